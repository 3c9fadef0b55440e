// Package parbeam runs the article's busy experiment on Apache Beam and
// records it as a parkit.Timeline, so parkit/chart draws it like the
// experiments on goroutines and processes.
//
// Beam is a distributed engine: a pipeline says what to compute, and the
// runner decides where, in which bundles, and how many at once. Run uses
// Prism, Beam's local runner, embedded in this process (the Go SDK's
// worker runs here too, in "loopback" mode), so nothing needs installing.
// Each element records where and when it ran (host, process, OS thread,
// CPU, bundle): the timeline's workers are Beam's bundles.
//
// What a learner sees: with beam.Create feeding the busy step directly,
// all elements run one after another in one bundle; a Reshuffle before it
// lets Prism split the slow bundle and run the parts at once. MeasureOverhead
// compares Beam's cost per element with parkit's goroutines and processes.
//
// Beyond one process: Config.Endpoint submits to a Beam job service
// through the Go SDK's universal runner, and Config.WorkerPool has the
// runner ask an external SDK worker pool for its workers. StartCluster
// starts both on this machine as processes of their own (the command
// kit/beam/cmd/parbeam, which scripts/beam-cluster.sh also drives), with
// KillWorker to lose the worker mid-run: Prism runs a job's elements in
// one worker and fails the job when it dies, where Flink or Dataflow
// would retry the bundle elsewhere.
//
// parbeam lives in its own module (kit/beam), so the kit's main module does
// not carry Beam's dependencies.
package parbeam
