package parkit

import (
	"context"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Future states, in the order a future goes through them.
const (
	queued    int32 = iota
	running         // a worker took it
	claimed         // whoever completes it is writing its result
	completed       // val, err and at are written: readers may read them
	crashing        // its task panicked under CrashOnPanic: it never completes
)

// A Future is the pending result of one task submitted to an Executor
// (Python's concurrent.futures.Future). Wait for it with Wait or Result, or
// select on Done. It is safe for use by many goroutines.
//
// A future always completes, whatever its task does: it returns (the
// task's result), panics (a *PanicError), calls runtime.Goexit (ErrGoexit;
// the worker is replaced), is cancelled (ErrCancelled), or its worker
// process dies (ErrWorkerCrashed). Once done, a future gives the same
// result to every caller, whatever their context.
//
// Why so few fields: an executor allocates one future per task, and in a
// loop that submits a million tasks the memory they take (written for
// the first time, so the OS maps it page by page) costs more than the
// tasks themselves. What only some futures need (an error, channels,
// callbacks, cancellation) lives in the task context's extra, made on
// first use; what a task runs lives in the job around the future (see
// job).
type Future[T any] struct {
	// Why a WaitGroup rather than a done channel made for every future: a
	// channel is one more allocation per task, and most futures are only
	// ever waited for with Result or Wait. The channel is made for the
	// callers that ask for it (Done, Wait with a cancellable context).
	ready sync.WaitGroup // Done once, when the future completes
	state atomic.Int32
	ctx   taskContext

	val T
	at  record // where and when it ran; its error is in extra (see error)
}

// error is the task's error, once the future is done. Why in extra: most
// tasks succeed, and a nil error in every future would be 16 bytes more
// per task; a failed task pays for an extra instead.
func (f *Future[T]) error() error {
	if x := f.ctx.x.Load(); x != nil {
		return x.err
	}
	return nil
}

// Why a record and not a Span in every future: a future is allocated per
// task, and a smaller one costs the garbage collector less (a Span with its
// int fields and error is 72 bytes, a record 32).
type record struct {
	worker, pid, tid, cpu int32
	start, end            time.Duration
}

func toRecord(s Span) record {
	return record{int32(s.Worker), int32(s.PID), int32(s.TID), int32(s.CPU), s.Start, s.End}
}

// init prepares a zero future to run on ex.
func (f *Future[T]) init(ex *Executor) {
	f.ready.Add(1)
	f.ctx.ex = ex
}

// Done returns a channel that is closed when the task has finished, failed
// or been cancelled.
func (f *Future[T]) Done() <-chan struct{} {
	x := f.ctx.extra()
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.done == nil {
		x.done = make(chan struct{})
		if f.state.Load() == completed {
			x.closeDoneLocked()
		}
	}
	return x.done
}

// Wait blocks until the task finishes or ctx is done, and returns the task's
// result. A future that is done gives its result even if ctx has ended
// too. If ctx ends first, Wait returns ctx.Err() and the task goes on:
// call Cancel to stop it.
func (f *Future[T]) Wait(ctx context.Context) (T, error) {
	if ctx.Done() == nil || f.state.Load() == completed { // Background never ends
		return f.Result()
	}
	select {
	case <-f.Done():
		return f.val, f.error()
	case <-ctx.Done():
		// Why look again: when both are ready, select picks either.
		if f.state.Load() == completed {
			return f.val, f.error()
		}
		var zero T
		return zero, ctx.Err()
	}
}

// Result blocks until the task finishes and returns its result.
func (f *Future[T]) Result() (T, error) {
	f.ready.Wait()
	return f.val, f.error()
}

// Err blocks until the task finishes and returns its error: the task's own,
// a *PanicError, ErrCancelled, ErrClosed or ErrWorkerCrashed.
func (f *Future[T]) Err() error {
	f.ready.Wait()
	return f.error()
}

// Span returns where and when the task ran, relative to the executor's
// start. It is the zero Span until the future is done, and for tasks that
// never ran (cancelled while queued, executor closed).
func (f *Future[T]) Span() Span {
	if f.state.Load() != completed {
		return Span{}
	}
	r := f.at
	return Span{Task: -1, Worker: int(r.worker), PID: int(r.pid), TID: int(r.tid), CPU: int(r.cpu),
		Start: r.start, End: r.end, Err: f.error()}
}

// Cancel stops the task. A task still queued never runs: Cancel returns true
// and the future fails with ErrCancelled. A running task's context is
// cancelled (a worker process running it is killed and replaced) and Cancel
// returns false: the future completes when the task returns. Cancel on a
// finished task does nothing and returns false.
func (f *Future[T]) Cancel() bool {
	if f.cancelQueued() {
		return true
	}
	if f.state.Load() == running {
		f.ctx.cancel()
	}
	return false
}

// whenDone calls fn once the future completes (at once if it has).
func (f *Future[T]) whenDone(fn func()) {
	x := f.ctx.extra()
	x.mu.Lock()
	// Why the state is read after extra exists: complete stores the state
	// and then looks for extra, so one of the two sees the other (see
	// complete) and fn runs exactly once.
	if f.state.Load() == completed {
		x.mu.Unlock()
		fn()
		return
	}
	x.onDone = append(x.onDone, fn)
	x.mu.Unlock()
}

// complete writes the result and wakes whoever waits. Only the caller
// that moved the state to claimed (or a worker, from running) calls it.
func (f *Future[T]) complete(v T, err error, at record) {
	f.val, f.at = v, at
	if err != nil {
		f.ctx.extra().err = err
	}
	f.state.Store(completed) // publishes val, at and err
	// Why no lock when extra is nil: Done and whenDone make extra before
	// they read the state, and this reads extra after storing the state,
	// so a caller that this misses sees the future completed.
	if x := f.ctx.x.Load(); x != nil {
		x.mu.Lock()
		callbacks := x.onDone
		x.onDone = nil
		x.mu.Unlock()
		// Why callbacks before waking waiters: Completed then sees
		// futures in the order they completed, even when a task waits
		// for another.
		for _, fn := range callbacks {
			fn()
		}
		x.mu.Lock()
		x.closeDoneLocked()
		x.mu.Unlock()
	}
	f.ready.Done()
}

// The job interface: how executors and workers drive a future.

func (f *Future[T]) begin() bool { return f.state.CompareAndSwap(queued, running) }

func (f *Future[T]) context() *taskContext { return &f.ctx }

func (f *Future[T]) fail(err error) {
	if f.state.CompareAndSwap(queued, claimed) || f.state.CompareAndSwap(running, claimed) {
		f.ctx.release()
		var zero T
		f.complete(zero, err, notRun)
	}
}

// cancelQueued cancels the task if it has not started, and reports
// whether it did.
func (f *Future[T]) cancelQueued() bool {
	if f.state.CompareAndSwap(queued, claimed) {
		f.ctx.cancel()
		f.complete(f.val, ErrCancelled, notRun)
		return true
	}
	return false
}

// A caller is what a local job runs: its task on its input (Submit) or
// a closure (Go).
type caller[T any] interface {
	call(ctx context.Context) (T, error)
}

// run runs c in this goroutine as the future's task, which began on a
// worker whose start record is s.
func (f *Future[T]) run(s record, crashOnPanic bool, c caller[T]) {
	var (
		v   T
		err error
	)
	// Why time.Since and not time.Now: Since reads only the monotonic
	// clock, half the cost of Now, which also reads the wall clock.
	origin := &f.ctx.ex.started
	s.start = time.Since(*origin)
	if crashOnPanic {
		v, err = f.callCrashing(c)
	} else {
		v, err = callRecovering(&f.ctx, c)
	}
	s.end = time.Since(*origin)
	f.ctx.release()
	// Why no claimed state in between: nothing else completes a running
	// future but its worker (Executor.work fails it only if this never
	// returns), so complete may store completed at once.
	f.complete(v, err, s)
}

// callCrashing calls c and lets a panic end the program (CrashOnPanic).
// Why recover and panic again: while the panic unwinds the worker,
// Executor.work's deferred call fails a job whose task never returned,
// which is right for runtime.Goexit, but here would wake the future's
// waiters to run on while the program dies. The crashing state makes
// that fail a no-op.
func (f *Future[T]) callCrashing(c caller[T]) (T, error) {
	defer func() {
		if p := recover(); p != nil {
			f.state.Store(crashing)
			panic(p)
		}
	}()
	return c.call(&f.ctx)
}

func callRecovering[T any](ctx context.Context, c caller[T]) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	return c.call(ctx)
}

// finish completes a future whose task ran elsewhere (a worker process).
func (f *Future[T]) finish(v T, s Span, err error) {
	f.ctx.release()
	f.complete(v, err, toRecord(s))
}

// notRun is the record of a task that never ran.
var notRun = record{worker: -1, pid: -1, tid: -1, cpu: -1}
