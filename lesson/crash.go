package lesson

import (
	"errors"
	"fmt"

	"github.com/parallelize-your-go/kit/parkit"
)

// Crashes shows what a panic in one goroutine, or in one goroutine locked
// to its own OS thread, does to a Go program (parkit.PanicInChild, in a
// child process): it prints the child's exit status, notes the outcome for
// the table and returns the exit statuses by kind.
func Crashes() (map[parkit.Kind]int, error) {
	codes := map[parkit.Kind]int{}
	for _, kind := range []parkit.Kind{parkit.Goroutines, parkit.Threads} {
		code, line, err := parkit.PanicInChild(kind)
		if err != nil {
			return nil, err
		}
		codes[kind] = code
		fmt.Printf("%-10s the child exited with status %d; its stderr began with: %s\n", kind, code, line)
		outcome := "the panic ended the program, every goroutine with it"
		if code == 0 {
			outcome = "the program went on"
		}
		parkit.Note("crash "+string(kind), fmt.Sprintf("%s (exit status %d)", outcome, code))
	}
	return codes, nil
}

// ShowResults waits for every future, prints "task i: result" or "task i:
// failed, worker crashed: true|false" for each, and returns how many
// succeeded.
func ShowResults[T any](futures []*parkit.Future[T]) (succeeded int) {
	for i, f := range futures {
		v, err := f.Result()
		if err != nil {
			fmt.Printf("task %d: failed, worker crashed: %v\n", i, errors.Is(err, parkit.ErrWorkerCrashed))
			continue
		}
		succeeded++
		fmt.Printf("task %d: %v\n", i, v)
	}
	return succeeded
}

// PythonCrash is what notebooks/python/crash.py reports: three Python
// threads of which one raises, then the same three tasks on a
// ThreadPoolExecutor.
type PythonCrash struct {
	ThreadsFinished []int    `json:"threads_finished"` // results of the threads that returned
	ThreadsRaised   []string `json:"threads_raised"`   // exceptions that ended a thread
	PoolResults     []any    `json:"pool_results"`     // each future's result, or its exception
}
