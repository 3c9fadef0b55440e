package parkit

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// How a task crosses the process boundary, both ways, in one place: the
// parent encodes a task's input and decodes its result (remoteCall); a
// worker process decodes the input and encodes the result (registered).
// Requests carry the task's registered name, and a flag for Map's
// batches (wire.Request.Batch).

// handler runs a registered task on encoded input, in a worker process.
type handler func(ctx context.Context, arg []byte) ([]byte, error)

// A registered task, as worker processes see it.
type registered struct {
	run    handler // one input
	batch  handler // a chunk of inputs, for Map
	atInit bool    // registered while the program's packages were initialized
	// outErr says why Out cannot be sent back, if it cannot. Why checked
	// on first use and not at registration: encoding a value costs tens of
	// microseconds the first time gob meets its type, and every worker
	// process registers every task while it starts, where only the
	// parent, at its first Submit, needs the answer.
	outErr func() error
}

var registry sync.Map // task name -> *registered

// lookupTask finds a registered task.
func lookupTask(name string) (*registered, bool) {
	r, ok := registry.Load(name)
	if !ok {
		return nil, false
	}
	return r.(*registered), true
}

// batchArg is what Map sends a worker for a chunk: inputs Base, Base+1, ...
type batchArg[In any] struct {
	Base int
	In   []In
}

// newRegistered wraps fn for worker processes: it decodes the input (or
// a batch of inputs), runs fn, and encodes the result.
func newRegistered[In, Out any](name string, fn func(context.Context, In) (Out, error)) *registered {
	r := &registered{atInit: duringInit()}
	r.run = func(ctx context.Context, arg []byte) ([]byte, error) {
		var in In
		if err := decode(arg, &in); err != nil {
			return nil, fmt.Errorf("parkit: task %q: decoding its input: %w", name, err)
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		return encode(out)
	}
	r.batch = func(ctx context.Context, arg []byte) ([]byte, error) {
		var b batchArg[In]
		if err := decode(arg, &b); err != nil {
			return nil, fmt.Errorf("parkit: task %q: decoding its inputs: %w", name, err)
		}
		outs := make([]Out, len(b.In))
		for i, in := range b.In {
			out, err := fn(ctx, in)
			if err != nil {
				return nil, fmt.Errorf("parkit.Map: input %d: %w", b.Base+i, err)
			}
			outs[i] = out
		}
		return encode(outs)
	}
	r.outErr = sync.OnceValue(func() error {
		_, err := encode(*new(Out))
		return err
	})
	return r
}

// remoteJob is a task that runs in a worker process.
type remoteJob interface {
	job
	request() (task string, batch bool, arg []byte)
	finishRemote(out []byte, s Span, err error)
}

// remoteCall is the parent's side of a task run in a worker process: the
// future, and the request that runs its task there.
type remoteCall[Out any] struct {
	Future[Out]
	task  string // as registered
	batch bool   // arg is a batchArg and the result an []Out: Map's chunk
	arg   []byte
}

// submitRemote queues the task registered as name on arg (a batch of
// inputs for Map) for a worker process, or fails the future at once with
// why it cannot run there.
func submitRemote[Out, A any](ex *Executor, name string, batch bool, arg A) *Future[Out] {
	c, err := newRemoteCall[Out](ex, name, batch, arg)
	if err != nil {
		c.fail(err)
	} else {
		ex.submit(c)
	}
	return &c.Future
}

// newRemoteCall encodes arg for the task registered as name. On an error
// it still returns the call, not queued, for the caller to fail.
func newRemoteCall[Out, A any](ex *Executor, name string, batch bool, arg A) (*remoteCall[Out], error) {
	c := &remoteCall[Out]{task: name, batch: batch}
	c.init(ex)
	if name == "" {
		return c, fmt.Errorf("%w: the task was made with parkit.Func; make it with parkit.NewTask(name, fn) at package level", ErrNotRegistered)
	}
	r, ok := lookupTask(name)
	switch {
	case !ok:
		return c, fmt.Errorf("%w: no task named %q", ErrNotRegistered, name)
	case !r.atInit:
		return c, fmt.Errorf("%w: task %q was registered while the program ran; worker processes know only tasks registered in package-level vars", ErrNotRegistered, name)
	case r.outErr() != nil:
		return c, fmt.Errorf("parkit: task %q: its result cannot be sent back from a worker process: %w", name, r.outErr())
	}
	b, err := encode(arg)
	if err != nil {
		return c, fmt.Errorf("parkit: task %q: its input cannot be sent to a worker process: %w", name, err)
	}
	if len(b) > maxPayload {
		return c, &tooLargeError{fmt.Sprintf("parkit: task %q: its input is %d bytes once encoded, more than the %d bytes a worker process accepts", name, len(b), maxPayload)}
	}
	c.arg = b
	return c, nil
}

func (c *remoteCall[Out]) request() (string, bool, []byte) { return c.task, c.batch, c.arg }

// finishRemote decodes what the worker process sent back and completes
// the future.
func (c *remoteCall[Out]) finishRemote(out []byte, s Span, err error) {
	var v Out
	if err == nil {
		v, err = decodeResult[Out](c.task, out)
	}
	c.finish(v, s, err)
}

func decodeResult[Out any](task string, out []byte) (v Out, err error) {
	// Why recover: a type's GobDecode or UnmarshalBinary may panic on
	// what a worker sent; that fails this task, not the program.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("parkit: task %q: decoding its result: %w", task, &PanicError{Value: p, Stack: debug.Stack()})
		}
	}()
	if err := decode(out, &v); err != nil {
		return v, fmt.Errorf("parkit: task %q: decoding its result: %w", task, err)
	}
	return v, nil
}
