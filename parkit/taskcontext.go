package parkit

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// taskContext is the context a task runs with: the executor's context plus
// the task's own cancellation (Future.Cancel).
//
// Why not context.WithCancel: that allocates and registers every task with
// the executor's context under one lock, which costs more than a tiny task.
// taskContext lives inside the future and makes what it needs to be
// cancelled or watched (see extra) only for tasks that ask for it.
type taskContext struct {
	ex *Executor // its context is the parent; its start, the spans' origin
	x  atomic.Pointer[extra]
}

// extra is what only some futures need, made on first use (a task that
// failed, Future.Done, Wait with a cancellable context, Cancel, watching
// the task's context, Completed): one lock guards the future's and its
// context's channels and callbacks.
type extra struct {
	mu        sync.Mutex
	cancelled atomic.Bool // Future.Cancel cancelled the task

	// The future's side.
	err        error         // the task's error, written before it completes
	done       chan struct{} // Future.Done's channel
	doneClosed bool
	onDone     []func() // run once when the future completes

	// The task context's side.
	ctxDone   chan struct{} // the context's Done channel
	ctxClosed bool
	stop      func() bool  // unregisters ctxDone from the executor's context
	after     []*afterFunc // AfterFunc and whenCancelled registrations
}

// extra returns c's extra, making it if needed.
func (c *taskContext) extra() *extra {
	if x := c.x.Load(); x != nil {
		return x
	}
	x := new(extra)
	if c.x.CompareAndSwap(nil, x) {
		return x
	}
	return c.x.Load()
}

func (x *extra) closeDoneLocked() {
	if x.done != nil && !x.doneClosed {
		x.doneClosed = true
		close(x.done)
	}
}

func (c *taskContext) parent() context.Context { return c.ex.ctx }

func (c *taskContext) Deadline() (time.Time, bool) { return c.parent().Deadline() }
func (c *taskContext) Value(key any) any           { return c.parent().Value(key) }

func (c *taskContext) Err() error {
	if x := c.x.Load(); x != nil && x.cancelled.Load() {
		return context.Canceled
	}
	return c.parent().Err()
}

func (c *taskContext) Done() <-chan struct{} {
	x := c.extra()
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.ctxDone == nil {
		x.ctxDone = make(chan struct{})
		if x.cancelled.Load() || c.parent().Err() != nil {
			x.closeCtxLocked()
		} else {
			x.stop = context.AfterFunc(c.parent(), x.closeCtx)
		}
	}
	return x.ctxDone
}

// cancel marks the task cancelled and wakes whoever waits on Done.
func (c *taskContext) cancel() {
	x := c.extra()
	x.cancelled.Store(true)
	x.mu.Lock()
	x.closeCtxLocked()
	after := x.after
	x.after = nil
	x.mu.Unlock()
	for _, a := range after {
		a.run()
	}
}

// AfterFunc calls f once the task is cancelled or its executor's context
// ends, and returns a function that stops that and reports whether it did.
// context.AfterFunc uses it, so watching a task's context starts no
// goroutine.
func (c *taskContext) AfterFunc(f func()) (stop func() bool) {
	a := &afterFunc{f: f}
	stopOwn := c.whenCancelled(a.run)
	stopParent := context.AfterFunc(c.parent(), a.run)
	return func() bool {
		stopParent()
		stopOwn()
		return a.stop()
	}
}

// whenCancelled calls f once the task is cancelled (Future.Cancel), not
// when the executor's context ends: for a watcher that watches that
// context once for all its tasks (a worker process's runner), which saves
// registering every task with it.
func (c *taskContext) whenCancelled(f func()) (stop func() bool) {
	a := &afterFunc{f: f}
	x := c.extra()
	x.mu.Lock()
	if x.cancelled.Load() {
		x.mu.Unlock()
		a.run()
		return a.stop
	}
	x.after = append(x.after, a)
	x.mu.Unlock()
	return a.stop
}

// afterFunc is an AfterFunc registration: f runs at most once, unless
// stopped first.
type afterFunc struct {
	f       func()
	claimed atomic.Bool
}

func (a *afterFunc) run() {
	if a.claimed.CompareAndSwap(false, true) {
		a.f()
	}
}

func (a *afterFunc) stop() bool { return a.claimed.CompareAndSwap(false, true) }

func (x *extra) closeCtx() {
	x.mu.Lock()
	x.closeCtxLocked()
	x.mu.Unlock()
}

func (x *extra) closeCtxLocked() {
	if x.ctxDone != nil && !x.ctxClosed {
		x.ctxClosed = true
		close(x.ctxDone)
	}
}

// release unregisters from the parent once the task has finished.
func (c *taskContext) release() {
	x := c.x.Load()
	if x == nil {
		return // nothing registered: Done was never called
	}
	x.mu.Lock()
	stop := x.stop
	x.stop = nil
	x.mu.Unlock()
	if stop != nil {
		stop()
	}
}
