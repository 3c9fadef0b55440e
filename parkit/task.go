package parkit

import (
	"context"
	"fmt"
	"sync"
)

// A Task is a function that executors can run, in this process or in a
// worker process. Closures cannot cross a process boundary, so a task that
// worker processes can run is registered by name at package level, where
// the re-executed program registers it again before serving:
//
//	var Square = parkit.NewTask("example.square", func(ctx context.Context, n int) (int, error) {
//		return n * n, nil
//	})
//
// In and Out must be encodable with encoding/gob for worker processes.
type Task[In, Out any] struct {
	name string
	fn   func(context.Context, In) (Out, error)
}

// handler runs a registered task on encoded input, in a worker process.
type handler func(ctx context.Context, arg []byte) ([]byte, error)

var registry sync.Map // task name -> handler

// NewTask registers fn under name and returns the task. Call it in a
// package-level var declaration so every process registers the same tasks.
// It panics if fn is nil or name is empty or taken: those are programmer
// errors found at start-up.
func NewTask[In, Out any](name string, fn func(context.Context, In) (Out, error)) *Task[In, Out] {
	if fn == nil {
		panic(fmt.Sprintf("parkit.NewTask(%q): fn is nil", name))
	}
	if name == "" {
		panic("parkit.NewTask: the name is empty: give the task a unique name such as \"mypkg.resize\", or use parkit.Func for in-process tasks")
	}
	h := handler(func(ctx context.Context, arg []byte) ([]byte, error) {
		var in In
		if err := decode(arg, &in); err != nil {
			return nil, fmt.Errorf("parkit: task %q: decoding its input: %w", name, err)
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		return encode(out)
	})
	if _, taken := registry.LoadOrStore(name, h); taken {
		panic(fmt.Sprintf("parkit.NewTask: a task named %q is already registered: pick a unique name", name))
	}
	return &Task[In, Out]{name: name, fn: fn}
}

// Func wraps fn as an unregistered task: fine for goroutine and thread
// executors, refused by process executors with ErrNotRegistered.
func Func[In, Out any](fn func(context.Context, In) (Out, error)) *Task[In, Out] {
	if fn == nil {
		panic("parkit.Func: fn is nil")
	}
	return &Task[In, Out]{fn: fn}
}

// Name returns the name the task was registered under ("" for Func).
func (t *Task[In, Out]) Name() string { return t.name }

// Call runs the task directly in the calling goroutine: the serial baseline.
func (t *Task[In, Out]) Call(ctx context.Context, in In) (Out, error) { return t.fn(ctx, in) }

// lookupTask finds a registered task's handler (used by worker processes).
func lookupTask(name string) (handler, bool) {
	h, ok := registry.Load(name)
	if !ok {
		return nil, false
	}
	return h.(handler), true
}
