package parkit

import (
	"errors"
	"fmt"
)

// Errors returned by executors and futures. Test for them with errors.Is.
var (
	// ErrClosed: the executor was closed before the task could run.
	ErrClosed = errors.New("parkit: executor is closed (create a new one with parkit.New, or submit before Close)")
	// ErrCancelled: the task's future was cancelled with Future.Cancel.
	ErrCancelled = errors.New("parkit: task cancelled")
	// ErrPanicked: the task panicked; the error is a *PanicError with the stack.
	ErrPanicked = errors.New("parkit: task panicked")
	// ErrWorkerCrashed: the worker process running the task died (panic,
	// os.Exit, a signal); the error says how and shows its last stderr lines.
	// errors.As finds the worker's *exec.ExitError in it (its exit code)
	// when the worker had exited.
	ErrWorkerCrashed = errors.New("parkit: worker process crashed")
	// ErrGoexit: the task left without returning or panicking: it called
	// runtime.Goexit (as t.FailNow does), which ends the goroutine that runs
	// it. The executor replaces that worker.
	ErrGoexit = errors.New("parkit: task called runtime.Goexit instead of returning")
	// ErrNotRegistered: a process executor was asked to run a closure or a
	// task that was not registered at package level with NewTask.
	ErrNotRegistered = errors.New("parkit: task is not registered for worker processes")
)

// PanicError is the error of a task that panicked. It keeps the panic value
// and the stack of the goroutine that panicked, so the failure can be found
// after the worker has moved on.
type PanicError struct {
	Value any    // what was passed to panic
	Stack []byte // the panicking goroutine's stack (runtime/debug.Stack)
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("parkit: task panicked: %v\n\n%s", e.Value, e.Stack)
}

// Unwrap makes errors.Is(err, ErrPanicked) true.
func (e *PanicError) Unwrap() error { return ErrPanicked }

// tooLargeError: an input too large to send to a worker process (Map
// splits a chunk that gets one).
type tooLargeError struct{ msg string }

func (e *tooLargeError) Error() string { return e.msg }
