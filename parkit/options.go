package parkit

import "io"

// An Option changes how New builds an executor.
type Option func(*config)

type config struct {
	crashOnPanic    bool
	maxWorkers      int
	recordThreadIDs bool
	traceTo         io.Writer // TraceTo, in tracing.go
}

// CrashOnPanic lets a panicking task crash the whole program, as an
// unrecovered panic in any goroutine does in Go (and as a crashing thread
// takes a Python process down). Without it, the panic becomes a *PanicError
// on the task's future. Process executors ignore it: a panic ends only the
// worker process, which is their point.
func CrashOnPanic() Option { return func(c *config) { c.crashOnPanic = true } }

// RecordThreadIDs makes a goroutine executor record, in each task's span,
// the id of the OS thread that started the task. It costs a gettid system
// call per task (100 ns to over a microsecond in some VMs;
// BenchmarkStartSpanWithThreadID measures it), more than the rest of a
// tiny task's overhead, so it is off by default: spans of goroutine
// workers then have TID -1. Experiment turns it on. Thread and process
// workers always record their thread id, at no cost per task.
func RecordThreadIDs() Option { return func(c *config) { c.recordThreadIDs = true } }

// MaxWorkers raises the safety limit on the worker count (default
// DefaultMaxWorkers), for experiments that really want thousands of
// OS threads or processes.
func MaxWorkers(n int) Option { return func(c *config) { c.maxWorkers = n } }

// DefaultMaxWorkers is the largest worker count New accepts without the
// MaxWorkers option: more OS threads or processes than this is almost
// always a typo that would bring the machine to a crawl.
const DefaultMaxWorkers = 1024
