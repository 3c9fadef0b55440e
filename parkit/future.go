package parkit

import (
	"context"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Future states.
const (
	queued int32 = iota
	running
	finished
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
type Future[T any] struct {
	state atomic.Int32
	ctx   taskContext

	// What to run: call in this process, or rem in a worker process.
	call caller[T]
	rem  *remoteCall[T]

	val T
	err error
	at  record // where and when it ran

	// Why a WaitGroup rather than a done channel made for every future: a
	// channel is one more allocation per task, and most futures are only
	// ever waited for with Result or Wait. The channel is made for the
	// callers that ask for it (Done, Wait with a cancellable context).
	finished  sync.WaitGroup // Done once, when the future completes
	completed atomic.Bool    // set after val, err and span are written
	mu        sync.Mutex
	done      chan struct{} // made on the first Done call; closed on completion
	onDone    []func()      // run once when the future completes
	origin    *time.Time    // the executor's start: span times count from it
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

// remoteCall is what a worker process needs to run a future's task.
type remoteCall[T any] struct {
	task   string
	arg    []byte
	decode func([]byte) (T, error)
}

// A caller runs a future's task in this process. Submit's caller is the
// submitted struct around the future (no closure to allocate); Go's is
// the closure it was given.
type caller[T any] interface {
	call(ctx context.Context) (T, error)
}

type funcCaller[T any] func(ctx context.Context) (T, error)

func (fn funcCaller[T]) call(ctx context.Context) (T, error) { return fn(ctx) }

// init prepares a zero future to run on ex.
func (f *Future[T]) init(ex *Executor) {
	f.finished.Add(1)
	f.ctx.parent = ex.ctx
	f.origin = &ex.started
}

func newFuture[T any](ex *Executor) *Future[T] {
	f := &Future[T]{}
	f.init(ex)
	return f
}

// Done returns a channel that is closed when the task has finished, failed
// or been cancelled.
func (f *Future[T]) Done() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done == nil {
		f.done = make(chan struct{})
		if f.completed.Load() {
			close(f.done)
		}
	}
	return f.done
}

// Wait blocks until the task finishes or ctx is done, and returns the task's
// result. A future that is done gives its result even if ctx has ended
// too. If ctx ends first, Wait returns ctx.Err() and the task goes on:
// call Cancel to stop it.
func (f *Future[T]) Wait(ctx context.Context) (T, error) {
	if ctx.Done() == nil || f.completed.Load() { // Background never ends
		return f.Result()
	}
	select {
	case <-f.Done():
		return f.val, f.err
	case <-ctx.Done():
		// Why look again: when both are ready, select picks either.
		if f.completed.Load() {
			return f.val, f.err
		}
		var zero T
		return zero, ctx.Err()
	}
}

// Result blocks until the task finishes and returns its result.
func (f *Future[T]) Result() (T, error) {
	f.finished.Wait()
	return f.val, f.err
}

// Err blocks until the task finishes and returns its error: the task's own,
// a *PanicError, ErrCancelled, ErrClosed or ErrWorkerCrashed.
func (f *Future[T]) Err() error {
	f.finished.Wait()
	return f.err
}

// Span returns where and when the task ran, relative to the executor's
// start. It is the zero Span until the future is done, and for tasks that
// never ran (cancelled while queued, executor closed).
func (f *Future[T]) Span() Span {
	if !f.completed.Load() {
		return Span{}
	}
	r := f.at
	return Span{Task: -1, Worker: int(r.worker), PID: int(r.pid), TID: int(r.tid), CPU: int(r.cpu),
		Start: r.start, End: r.end, Err: f.err}
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
	f.mu.Lock()
	if f.completed.Load() {
		f.mu.Unlock()
		fn()
		return
	}
	f.onDone = append(f.onDone, fn)
	f.mu.Unlock()
}

func (f *Future[T]) complete(v T, err error, s Span) {
	f.val, f.err, f.at = v, err, toRecord(s)
	f.mu.Lock()
	f.completed.Store(true)
	done := f.done // a Done channel made from now on is closed at once
	callbacks := f.onDone
	f.onDone = nil
	f.mu.Unlock()
	// Why callbacks before waking waiters: Completed then sees futures in
	// the order they completed, even when a task waits for another.
	for _, fn := range callbacks {
		fn()
	}
	if done != nil {
		close(done)
	}
	f.finished.Done()
}

// The job interface: how executors and workers drive a future.

func (f *Future[T]) begin() bool { return f.state.CompareAndSwap(queued, running) }

func (f *Future[T]) context() *taskContext { return &f.ctx }

func (f *Future[T]) fail(err error) {
	if f.state.CompareAndSwap(queued, finished) || f.state.CompareAndSwap(running, finished) {
		f.ctx.release()
		var zero T
		f.complete(zero, err, notRun)
	}
}

// cancelQueued cancels the task if it has not started, and reports
// whether it did.
func (f *Future[T]) cancelQueued() bool {
	if f.state.CompareAndSwap(queued, finished) {
		f.ctx.cancel()
		f.complete(f.val, ErrCancelled, notRun)
		return true
	}
	return false
}

func (f *Future[T]) runLocal(s Span, crashOnPanic bool) {
	var (
		v   T
		err error
	)
	// Why time.Since and not time.Now: Since reads only the monotonic
	// clock, half the cost of Now, which also reads the wall clock.
	s.Start = time.Since(*f.origin)
	if f.call == nil {
		err = ErrNotRegistered
	} else if crashOnPanic {
		v, err = f.call.call(&f.ctx)
	} else {
		v, err = f.callRecovering()
	}
	s.End = time.Since(*f.origin)
	f.ctx.release()
	f.state.Store(finished)
	f.complete(v, err, s)
}

func (f *Future[T]) callRecovering() (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	return f.call.call(&f.ctx)
}

func (f *Future[T]) remote() (task string, arg []byte) {
	if f.rem == nil {
		return "", nil
	}
	return f.rem.task, f.rem.arg
}

func (f *Future[T]) finishRemote(out []byte, s Span, err error) {
	var v T
	if err == nil && f.rem != nil && f.rem.decode != nil {
		v, err = f.rem.decode(out)
	}
	f.ctx.release()
	f.state.Store(finished)
	f.complete(v, err, s)
}

// notRun is the span of a task that never ran.
var notRun = Span{Task: -1, Worker: -1, PID: -1, TID: -1, CPU: -1}
