package parkit

import (
	"context"
	"fmt"
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
// The rule for worker processes: register tasks in package-level var
// declarations (a notebook cell's declarations count), never inside main
// or a function it calls. A worker is this program re-executed; it runs
// package initialization only, starts serving right after registering the
// last task the parent registered, and never runs main. State a task reads
// must be set up in package-level var initializers too: init functions
// that run after the task's declaration do not run in workers.
//
// In and Out must be encodable with encoding/gob for worker processes
// ([]byte, strings, ints, durations and float64 skip gob and cost less).
// Submit checks both and fails the future at once if they are not.
type Task[In, Out any] struct {
	name string
	fn   func(context.Context, In) (Out, error)
}

// NewTask registers fn under name and returns the task. Call it in a
// package-level var declaration so every process registers the same tasks
// (worker processes know only the tasks registered while the program's
// packages are initialized). It panics if fn is nil or name is empty or
// taken: those are programmer errors found at start-up.
func NewTask[In, Out any](name string, fn func(context.Context, In) (Out, error)) *Task[In, Out] {
	if fn == nil {
		panic(fmt.Sprintf("parkit.NewTask(%q): fn is nil", name))
	}
	if name == "" {
		panic("parkit.NewTask: the name is empty: give the task a unique name such as \"mypkg.resize\", or use parkit.Func for in-process tasks")
	}
	r := newRegistered(name, fn)
	if _, taken := registry.LoadOrStore(name, r); taken {
		panic(fmt.Sprintf("parkit.NewTask: a task named %q is already registered: pick a unique name", name))
	}
	if r.atInit {
		// In a worker process this may not return: see serveWhenReady.
		registeredAtInit(name)
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
