package parkit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
)

// Map runs t on every input on ex and returns the outputs in input order
// (Python's executor.map). Tiny tasks are batched: each worker hand-off
// carries a chunk of about len(inputs)/(4*workers) inputs (and, for worker
// processes, at most the payload limit once encoded), so a million-element
// Map costs little more than a loop.
//
// Map returns as soon as its outcome is known: when every input has
// succeeded; with the first failing input in input order once every input
// before it has succeeded (the error names the input's index); or with
// ctx.Err() as soon as ctx ends. When it gives up, it first cancels the
// inputs that have not started, so none starts later, then cancels the
// running ones' contexts (a worker process running one is killed) and
// returns without waiting for them: goroutine and thread tasks that ignore
// their context finish in the background, and Close waits for them. Map
// copies inputs first, so the caller may reuse the slice once Map returns.
func Map[In, Out any](ctx context.Context, ex *Executor, t *Task[In, Out], inputs []In) ([]Out, error) {
	chunk := max(1, len(inputs)/(4*ex.workers))
	if ex.backend.remote() {
		return mapRemote(ctx, ex, t, inputs, chunk)
	}
	// Why a copy: tasks Map gave up on may still be running after it
	// returns, and must not read a slice the caller has got back.
	inputs = slices.Clone(inputs)
	out := make([]Out, len(inputs))
	var gaveUp atomic.Bool // a chunk stops at its next input once set
	var futures []*Future[struct{}]
	for lo := 0; lo < len(inputs); lo += chunk {
		hi := min(lo+chunk, len(inputs))
		futures = append(futures, Go(ex, func(ctx context.Context) (struct{}, error) {
			for i := lo; i < hi && !gaveUp.Load(); i++ {
				v, err := t.fn(ctx, inputs[i])
				if err != nil {
					return struct{}{}, fmt.Errorf("parkit.Map: input %d: %w", i, err)
				}
				out[i] = v
			}
			return struct{}{}, nil
		}))
	}
	if err := waitAll(ctx, futures, func() { gaveUp.Store(true) }); err != nil {
		return nil, err
	}
	return out, nil
}

// mapRemote sends each chunk to a worker process as one request, which
// runs t over the chunk there (see registered.batch): one round trip per
// chunk instead of one per input. A chunk whose inputs or results are too
// large to send together is split in two.
func mapRemote[In, Out any](ctx context.Context, ex *Executor, t *Task[In, Out], inputs []In, chunk int) ([]Out, error) {
	var batches []remoteBatch[Out]
	var submit func(lo, hi int) error
	submit = func(lo, hi int) error {
		c, err := newRemoteCall[[]Out](ex, t.name, true, batchArg[In]{Base: lo, In: inputs[lo:hi]})
		var tooLarge *tooLargeError
		switch {
		case errors.As(err, &tooLarge) && hi-lo > 1:
			mid := lo + (hi-lo)/2
			if err := submit(lo, mid); err != nil {
				return err
			}
			return submit(mid, hi)
		case tooLarge != nil:
			return fmt.Errorf("parkit.Map: input %d: %w", lo, err)
		case err != nil:
			return err
		}
		ex.submit(c)
		batches = append(batches, remoteBatch[Out]{lo, hi, &c.Future})
		return nil
	}
	for lo := 0; lo < len(inputs); lo += chunk {
		if err := submit(lo, min(lo+chunk, len(inputs))); err != nil {
			giveUp(futuresOf(batches), nil)
			return nil, err
		}
	}
	out := make([]Out, 0, len(inputs))
	for i := 0; i < len(batches); i++ {
		b := batches[i]
		outs, err := b.f.Wait(ctx)
		if msg, ok := strings.CutPrefix(errorText(err), batchTooLarge); ok {
			if b.hi-b.lo == 1 {
				err = fmt.Errorf("parkit.Map: input %d: %s", b.lo, msg)
			} else {
				// Resubmit the chunk as two halves, waited for in its place.
				rest := slices.Clone(batches[i+1:])
				batches = batches[:i]
				mid := b.lo + (b.hi-b.lo)/2
				err = errors.Join(submit(b.lo, mid), submit(mid, b.hi))
				batches = append(batches, rest...)
				i--
				if err == nil {
					continue
				}
			}
		}
		if err != nil {
			giveUp(futuresOf(batches[max(i, 0):]), nil)
			return nil, err
		}
		out = append(out, outs...)
	}
	if len(out) != len(inputs) {
		return nil, fmt.Errorf("parkit.Map: task %q: %d results for %d inputs", t.name, len(out), len(inputs))
	}
	return out, nil
}

// remoteBatch is a chunk of Map's inputs, lo to hi, sent as one request.
type remoteBatch[Out any] struct {
	lo, hi int
	f      *Future[[]Out]
}

func futuresOf[Out any](batches []remoteBatch[Out]) []*Future[[]Out] {
	futures := make([]*Future[[]Out], len(batches))
	for i, b := range batches {
		futures[i] = b.f
	}
	return futures
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// waitAll waits for the futures in order; on the first error, or when ctx
// ends, it gives up on the rest (see giveUp) and returns that error
// without waiting for them.
func waitAll[T any](ctx context.Context, futures []*Future[T], stop func()) error {
	for i, f := range futures {
		if _, err := f.Wait(ctx); err != nil {
			giveUp(futures[i:], stop)
			return err
		}
	}
	return nil
}

// giveUp cancels the futures that have not started, then calls stop (if
// not nil) and cancels the running ones. Why in that order: cancelling a
// running task frees its worker, which would otherwise take the next
// queued input before Map cancels it.
func giveUp[T any](futures []*Future[T], stop func()) {
	for _, f := range futures {
		f.cancelQueued()
	}
	if stop != nil {
		stop()
	}
	for _, f := range futures {
		f.Cancel()
	}
}
