package parkit

import (
	"context"
	"fmt"
	"iter"
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
	if strings.TrimSuffix(name, batchSuffix) == "" {
		return fmt.Errorf("%w: the task was made with parkit.Func; make it with parkit.NewTask(name, fn) at package level", ErrNotRegistered)
	}
	r, ok := lookupTask(strings.TrimSuffix(name, batchSuffix))
	switch {
	case !ok:
		return fmt.Errorf("%w: no task named %q", ErrNotRegistered, name)
	case !r.atInit:
		return fmt.Errorf("%w: task %q was registered while the program ran; worker processes know only tasks registered in package-level vars", ErrNotRegistered, name)
	case r.outErr != nil:
		return fmt.Errorf("parkit: task %q: its result cannot be sent back from a worker process: %w", name, r.outErr)
	}
	arg, err := encode(in)
	if err != nil {
		return fmt.Errorf("parkit: task %q: its input cannot be sent to a worker process: %w", name, err)
	}
	if len(arg) > maxPayload {
		return fmt.Errorf("parkit: task %q: its input is %d bytes once encoded, more than the %d bytes a worker process accepts", name, len(arg), maxPayload)
	}
	f.rem = &remoteCall[Out]{task: name, arg: arg, decode: func(out []byte) (Out, error) {
		var v Out
		if err := decode(out, &v); err != nil {
			return v, fmt.Errorf("parkit: task %q: decoding its result: %w", name, err)
		}
		return v, nil
	}}
	return nil
}

// Completed yields the futures in the order they complete (Python's
// as_completed). Stopping the loop early is fine: nothing is left waiting.
func Completed[T any](futures ...*Future[T]) iter.Seq[*Future[T]] {
	return func(yield func(*Future[T]) bool) {
		ready := make(chan *Future[T], len(futures))
		for _, f := range futures {
			f.whenDone(func() { ready <- f })
		}
		for range futures {
			if !yield(<-ready) {
				return
			}
		}
	}
}

// Map runs t on every input on ex and returns the outputs in input order
// (Python's executor.map). It stops at the first error, cancels what has
// not started, and returns that error; it returns ctx.Err() if ctx ends
// first. Tiny tasks are batched: each worker hand-off carries a chunk of
// about len(inputs)/(4*workers) inputs, so a million-element Map costs
// little more than a loop.
func Map[In, Out any](ctx context.Context, ex *Executor, t *Task[In, Out], inputs []In) ([]Out, error) {
	out := make([]Out, len(inputs))
	chunk := max(1, len(inputs)/(4*ex.workers))
	var futures []*Future[struct{}]
	if ex.kind == Processes {
		return mapRemote(ctx, ex, t, inputs, chunk)
	}
	for lo := 0; lo < len(inputs); lo += chunk {
		hi := min(lo+chunk, len(inputs))
		futures = append(futures, Go(ex, func(ctx context.Context) (struct{}, error) {
			for i := lo; i < hi; i++ {
				v, err := t.fn(ctx, inputs[i])
				if err != nil {
					return struct{}{}, fmt.Errorf("parkit.Map: input %d: %w", i, err)
				}
				out[i] = v
			}
			return struct{}{}, nil
		}))
	}
	if err := waitAll(ctx, futures); err != nil {
		return nil, err
	}
	return out, nil
}

// mapRemote sends each chunk to a worker process as one request, which
// runs t over the chunk there (see registered.batch): one round trip per
// chunk instead of one per input.
func mapRemote[In, Out any](ctx context.Context, ex *Executor, t *Task[In, Out], inputs []In, chunk int) ([]Out, error) {
	var futures []*Future[[]Out]
	for lo := 0; lo < len(inputs); lo += chunk {
		hi := min(lo+chunk, len(inputs))
		f := newFuture[[]Out](ex)
		if err := prepareRemote(f, t.name+batchSuffix, batchArg[In]{Base: lo, In: inputs[lo:hi]}); err != nil {
			f.fail(err)
		} else {
			ex.submit(f)
		}
		futures = append(futures, f)
	}
	if err := waitAll(ctx, futures); err != nil {
		return nil, err
	}
	out := make([]Out, 0, len(inputs))
	for _, f := range futures {
		outs, _ := f.Result()
		out = append(out, outs...)
	}
	if len(out) != len(inputs) {
		return nil, fmt.Errorf("parkit.Map: task %q: %d results for %d inputs", t.name, len(out), len(inputs))
	}
	return out, nil
}

// waitAll waits for every future; on the first error or when ctx ends it
// cancels the rest and returns that error.
func waitAll[T any](ctx context.Context, futures []*Future[T]) error {
	for i, f := range futures {
		if _, err := f.Wait(ctx); err != nil {
			for _, g := range futures[i:] {
				g.Cancel()
			}
			for _, g := range futures[i:] {
				<-g.Done()
			}
			return err
		}
	}
	return nil
}
