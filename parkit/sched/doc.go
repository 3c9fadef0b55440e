// Package sched shows where the tasks of a parkit run really ran: on which
// goroutine, P (the runtime's processor, at most GOMAXPROCS of them) and
// OS thread (M), in which running slices, and why each slice ended
// (preempted, blocked, in a system call, done). It reads the Go execution
// trace that parkit.TraceTo records, with golang.org/x/exp/trace, and ties
// each task to its goroutine exactly, through the region and log entry the
// executor writes around every task (not by guessing from times).
//
// Record runs a parkit.Experiment with a trace and derives its Sched;
// Derive reads a trace file recorded with parkit.TraceTo. parkit/chart
// draws a Sched (chart.Sched, chart.TimelineSched). The trace file is kept
// for `go tool trace`.
//
// What a trace cannot show: the CPU a thread ran on (the trace records Ps
// and Ms, not CPUs), and tasks run in worker processes, which have their
// own runtimes (Sched.Untraced lists them).
package sched
