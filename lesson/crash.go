package lesson

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/parallelize-your-go/kit/parkit"
)

// Crashes shows what a panic in one goroutine, or in one goroutine locked
// to its own OS thread, does to a Go program (PanicInChild, in a worker
// process): it prints the child's exit status, notes the outcome for
// the table and returns the exit statuses by kind.
func Crashes() (map[parkit.Kind]int, error) {
	codes := map[parkit.Kind]int{}
	for _, kind := range []parkit.Kind{parkit.Goroutines, parkit.Threads} {
		code, line, err := PanicInChild(kind)
		if err != nil {
			return nil, err
		}
		codes[kind] = code
		fmt.Printf("%-10s the child exited with status %d; its stderr began with: %s\n", kind, code, line)
		outcome := "the panic ended the program, every goroutine with it"
		if code == 0 {
			outcome = "the program went on"
		}
		Note("crash "+string(kind), fmt.Sprintf("%s (exit status %d)", outcome, code))
	}
	return codes, nil
}

// PanicInChild shows what a panic in one goroutine does to a Go program,
// safely: in a worker process of a parkit.Processes executor (this
// program, started again), a goroutine (kind Goroutines) or a goroutine
// locked to its own OS thread (kind Threads) panics. It waits for the
// worker to die (about 10 ms after it started) and returns the worker's
// exit code and the first line it printed to stderr ("panic: ...").
func PanicInChild(kind parkit.Kind) (exitCode int, firstLine string, err error) {
	if kind != parkit.Goroutines && kind != parkit.Threads {
		return 0, "", fmt.Errorf("lesson.PanicInChild: kind %q: use Goroutines or Threads (a process executor's crash is shown with a task that exits)", kind)
	}
	stderr, err := os.CreateTemp("", "lesson-panic-*.txt")
	if err != nil {
		return 0, "", err
	}
	defer os.Remove(stderr.Name())
	defer stderr.Close()
	var crash error
	err = inWorkers(1, func(ex *parkit.Executor) error {
		crash = parkit.Submit(ex, panicTask, panicIn{Kind: string(kind), Stderr: stderr.Name()}).Err()
		return nil
	})
	var exit *exec.ExitError
	switch {
	case err != nil:
		return 0, "", err
	case crash == nil:
		return 0, "", errors.New("lesson.PanicInChild: the panicking worker did not crash")
	case !errors.As(crash, &exit):
		return 0, "", fmt.Errorf("lesson.PanicInChild: %w", crash)
	}
	out, err := io.ReadAll(stderr)
	line, _, _ := strings.Cut(string(out), "\n")
	return exit.ExitCode(), line, err
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
