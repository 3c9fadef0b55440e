package parkit

import (
	"context"
	"fmt"
	"iter"
	"runtime/debug"
	"strings"
)

// Submit queues t(in) on ex and returns its future at once; it never
// blocks. On a process executor, t must be registered (NewTask) and in
// encodable, or the future fails at once with the reason.
func Submit[In, Out any](ex *Executor, t *Task[In, Out], in In) *Future[Out] {
	s := &submitted[In, Out]{t: t, in: in}
	f := &s.Future
	f.init(ex)
	if ex.kind == Processes {
		if err := prepareRemote(f, t.name, in); err != nil {
			f.fail(err)
			return f
		}
	} else {
		f.call = s
	}
	ex.submit(f)
	return f
}

// submitted is a future with its task and input: Submit makes one
// allocation, where a closure over t and in would be a second.
type submitted[In, Out any] struct {
	Future[Out]
	t  *Task[In, Out]
	in In
}

func (s *submitted[In, Out]) call(ctx context.Context) (Out, error) { return s.t.fn(ctx, s.in) }

// Go queues the closure fn on ex and returns its future: the shortest way
// to run in-process work. Process executors cannot run closures: the
// future fails with ErrNotRegistered (use NewTask and Submit).
func Go[T any](ex *Executor, fn func(ctx context.Context) (T, error)) *Future[T] {
	f := newFuture[T](ex)
	if ex.kind == Processes {
		f.fail(fmt.Errorf("%w: parkit.Go got a closure; register the function with parkit.NewTask and use parkit.Submit", ErrNotRegistered))
		return f
	}
	if fn != nil { // a nil fn fails with ErrNotRegistered when it runs
		f.call = funcCaller[T](fn)
	}
	ex.submit(f)
	return f
}

// prepareRemote readies f to run the task registered as name on in, in a
// worker process.
func prepareRemote[In, Out any](f *Future[Out], name string, in In) error {
	// Errors name the task as its user registered it, never with the
	// suffix that marks Map's batches.
	base := strings.TrimSuffix(name, batchSuffix)
	if base == "" {
		return fmt.Errorf("%w: the task was made with parkit.Func; make it with parkit.NewTask(name, fn) at package level", ErrNotRegistered)
	}
	r, ok := lookupTask(base)
	switch {
	case !ok:
		return fmt.Errorf("%w: no task named %q", ErrNotRegistered, base)
	case !r.atInit:
		return fmt.Errorf("%w: task %q was registered while the program ran; worker processes know only tasks registered in package-level vars", ErrNotRegistered, base)
	case r.outErr != nil:
		return fmt.Errorf("parkit: task %q: its result cannot be sent back from a worker process: %w", base, r.outErr)
	}
	arg, err := encode(in)
	if err != nil {
		return fmt.Errorf("parkit: task %q: its input cannot be sent to a worker process: %w", base, err)
	}
	if len(arg) > maxPayload {
		return &tooLargeError{fmt.Sprintf("parkit: task %q: its input is %d bytes once encoded, more than the %d bytes a worker process accepts", base, len(arg), maxPayload)}
	}
	f.rem = &remoteCall[Out]{task: name, arg: arg, decode: func(out []byte) (v Out, err error) {
		// Why recover: a type's GobDecode or UnmarshalBinary may panic on
		// what a worker sent; that fails this task, not the program.
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("parkit: task %q: decoding its result: %w", base, &PanicError{Value: p, Stack: debug.Stack()})
			}
		}()
		if err := decode(out, &v); err != nil {
			return v, fmt.Errorf("parkit: task %q: decoding its result: %w", base, err)
		}
		return v, nil
	}}
	return nil
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
