package parkit

import (
	"context"
	"fmt"
	"iter"
)

// Submit queues t(in) on ex and returns its future at once; it never
// blocks. On a process executor, t must be registered (NewTask) and in
// encodable, or the future fails at once with the reason.
func Submit[In, Out any](ex *Executor, t *Task[In, Out], in In) *Future[Out] {
	if ex.backend.remote() {
		return submitRemote[Out](ex, t.name, false, in)
	}
	s := &submitted[In, Out]{t: t, in: in}
	s.init(ex)
	ex.submit(s)
	return &s.Future
}

// submitted is Submit's local job: a future with its task and input, one
// allocation where a closure over t and in would be a second.
type submitted[In, Out any] struct {
	Future[Out]
	t  *Task[In, Out]
	in In
}

func (s *submitted[In, Out]) runLocal(sp record, crashOnPanic bool) {
	s.Future.run(sp, crashOnPanic, s)
}

func (s *submitted[In, Out]) call(ctx context.Context) (Out, error) { return s.t.fn(ctx, s.in) }

// Go queues the closure fn on ex and returns its future: the shortest way
// to run in-process work. Process executors cannot run closures: the
// future fails with ErrNotRegistered (use NewTask and Submit).
func Go[T any](ex *Executor, fn func(ctx context.Context) (T, error)) *Future[T] {
	g := &goCall[T]{fn: fn}
	g.init(ex)
	if ex.backend.remote() {
		g.fail(fmt.Errorf("%w: parkit.Go got a closure; register the function with parkit.NewTask and use parkit.Submit", ErrNotRegistered))
		return &g.Future
	}
	ex.submit(g)
	return &g.Future
}

// goCall is Go's local job: a future with its closure.
type goCall[T any] struct {
	Future[T]
	fn func(ctx context.Context) (T, error)
}

func (g *goCall[T]) runLocal(s record, crashOnPanic bool) { g.Future.run(s, crashOnPanic, g) }

func (g *goCall[T]) call(ctx context.Context) (T, error) {
	if g.fn == nil {
		var zero T
		return zero, ErrNotRegistered
	}
	return g.fn(ctx)
}

// Completed yields the futures in the order they complete (Python's
// as_completed), each distinct future once, however often it is passed.
// Stopping the loop early is fine: nothing is left waiting.
func Completed[T any](futures ...*Future[T]) iter.Seq[*Future[T]] {
	return func(yield func(*Future[T]) bool) {
		distinct := make(map[*Future[T]]bool, len(futures))
		ready := make(chan *Future[T], len(futures))
		for _, f := range futures {
			if !distinct[f] {
				distinct[f] = true
				f.whenDone(func() { ready <- f })
			}
		}
		for range distinct {
			if !yield(<-ready) {
				return
			}
		}
	}
}
