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
// taskContext lives inside the future and makes its Done channel only for
// tasks that ask for it.
type taskContext struct {
	parent    context.Context
	cancelled atomic.Bool
	mu        sync.Mutex
	done      chan struct{} // made on first Done call
	closed    bool
	stop      func() bool  // unregisters from parent
	after     []*afterFunc // AfterFunc registrations
}

func (c *taskContext) Deadline() (time.Time, bool) { return c.parent.Deadline() }
func (c *taskContext) Value(key any) any           { return c.parent.Value(key) }

func (c *taskContext) Err() error {
	if c.cancelled.Load() {
		return context.Canceled
	}
	return c.parent.Err()
}

func (c *taskContext) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
		if c.cancelled.Load() || c.parent.Err() != nil {
			c.closeLocked()
		} else {
			c.stop = context.AfterFunc(c.parent, c.closeDone)
		}
	}
	return c.done
}

// cancel marks the task cancelled and wakes whoever waits on Done.
func (c *taskContext) cancel() {
	c.cancelled.Store(true)
	c.closeDone()
	c.mu.Lock()
	after := c.after
	c.after = nil
	c.mu.Unlock()
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
	stopParent := context.AfterFunc(c.parent, a.run)
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
	c.mu.Lock()
	if c.cancelled.Load() {
		c.mu.Unlock()
		a.run()
		return a.stop
	}
	c.after = append(c.after, a)
	c.mu.Unlock()
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

func (c *taskContext) closeDone() {
	c.mu.Lock()
	c.closeLocked()
	c.mu.Unlock()
}

func (c *taskContext) closeLocked() {
	if c.done != nil && !c.closed {
		c.closed = true
		close(c.done)
	}
}

// release unregisters from the parent once the task has finished.
func (c *taskContext) release() {
	c.mu.Lock()
	stop := c.stop
	c.stop = nil
	c.mu.Unlock()
	if stop != nil {
		stop()
	}
}
