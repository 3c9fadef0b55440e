package lesson

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// The measurements of notebook 05 that need a second process (CreationCost
// and MemoryCost of processes, PipeLatency, PipeThroughput, PanicInChild)
// run their child's side as the tasks below, in the worker processes of a
// parkit.Processes executor: parkit's one way of starting this program
// again, with its one filtered environment. Registering them in
// package-level vars is what makes them known to every worker; it has no
// effect in a program that starts no worker process.

// emptyTask is CreationCost's: a worker process must be ready to run it.
var emptyTask = parkit.NewTask("lesson.empty", func(context.Context, int) (int, error) { return 0, nil })

// memoryTask is MemoryCost's child for goroutines and threads: the growth
// of its resident memory per goroutine or thread while n of them wait.
var memoryTask = parkit.NewTask("lesson.memory", func(_ context.Context, in memoryIn) (int64, error) {
	return memoryInChild(parkit.Kind(in.Kind), in.N)
})

type memoryIn struct {
	Kind string
	N    int
}

// pipeTask is the child's end of a link (see link): it opens the link's
// pipes, then in mode "echo" sends back every byte it reads; in "drain"
// reads everything and returns how many bytes; in "wait" writes its pid
// (8 bytes) and waits for the request pipe to close.
var pipeTask = parkit.NewTask("lesson.pipe", func(_ context.Context, in pipeIn) (int64, error) {
	req, err := os.OpenFile(filepath.Join(in.Dir, "req"), os.O_RDONLY, 0)
	if err != nil {
		return 0, err
	}
	defer req.Close()
	resp, err := os.OpenFile(filepath.Join(in.Dir, "resp"), os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	defer resp.Close()
	switch in.Mode {
	case "echo":
		return io.Copy(resp, req)
	case "drain":
		return io.Copy(io.Discard, req)
	case "wait":
		if _, err := fmt.Fprintf(resp, "%7d\n", os.Getpid()); err != nil {
			return 0, err
		}
		return io.Copy(io.Discard, req)
	}
	return 0, fmt.Errorf("lesson: unknown pipe mode %q", in.Mode)
})

type pipeIn struct {
	Dir  string // holds the named pipes "req" and "resp"
	Mode string // "echo", "drain" or "wait"
}

// panicTask is PanicInChild's child: its stderr goes to the file named by
// Stderr (so the panic's report does not reach the notebook), then one
// goroutine, locked to its own OS thread for kind Threads, panics.
var panicTask = parkit.NewTask("lesson.panic", func(_ context.Context, in panicIn) (int, error) {
	f, err := os.OpenFile(in.Stderr, os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	if err := redirectStderr(f); err != nil {
		return 0, err
	}
	go func() {
		if parkit.Kind(in.Kind) == parkit.Threads {
			runtime.LockOSThread()
		}
		panic("a goroutine panicked")
	}()
	time.Sleep(10 * time.Second)
	return 0, errors.New("lesson: the panicking goroutine did not end its process")
})

type panicIn struct {
	Kind   string
	Stderr string
}

// inWorkers starts a Processes executor of n workers, runs fn with it and
// closes it, which waits for the workers to exit. If fn fails, a task may
// still wait on its pipes: the workers are then killed after a second.
func inWorkers(n int, fn func(ex *parkit.Executor) error) error {
	ex, err := parkit.New(parkit.Processes, n)
	if err != nil {
		return err
	}
	if err := fn(ex); err != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		ex.Shutdown(ctx) // its error says only that the second ran out
		return err
	}
	return ex.Close()
}

// A link is a pair of named pipes (FIFOs) to pipeTask in worker
// processes: this program writes the request pipe and reads the response
// pipe. Why named pipes: a worker inherits only parkit's own pipes, and a
// path is what a task's input can carry. They are kernel pipes all the
// same: reads, writes and wake-ups cost what they cost on os.Pipe.
type link struct {
	dir       string
	req, resp *os.File
}

// newLink makes the pipes in a new private folder and opens this
// program's ends. Why O_RDWR: opening one end of a named pipe for reading
// or writing alone waits until the other end is open; O_RDWR returns at
// once (Linux), so a worker that fails to start cannot hang this program.
func newLink() (*link, error) {
	dir, err := os.MkdirTemp("", "lesson-link-")
	if err != nil {
		return nil, err
	}
	l := &link{dir: dir}
	for _, name := range []string{"req", "resp"} {
		if err := mkfifo(filepath.Join(dir, name)); err != nil {
			l.close()
			return nil, fmt.Errorf("lesson: making a named pipe: %w", err)
		}
	}
	if l.req, err = os.OpenFile(filepath.Join(dir, "req"), os.O_RDWR, 0); err == nil {
		l.resp, err = os.OpenFile(filepath.Join(dir, "resp"), os.O_RDWR, 0)
	}
	if err != nil {
		l.close()
		return nil, err
	}
	return l, nil
}

// start submits pipeTask in mode to ex; if the task fails, the link is
// closed, so that a read or write of it waiting for the dead child returns.
func (l *link) start(ex *parkit.Executor, mode string) *parkit.Future[int64] {
	f := parkit.Submit(ex, pipeTask, pipeIn{Dir: l.dir, Mode: mode})
	go func() {
		if f.Err() != nil {
			l.close()
		}
	}()
	return f
}

// closeRequests closes the request pipe: the child reads its end.
func (l *link) closeRequests() { l.req.Close() }

// close closes both ends and removes the folder; it may be called again.
func (l *link) close() {
	for _, f := range []*os.File{l.req, l.resp} {
		if f != nil {
			f.Close()
		}
	}
	os.RemoveAll(l.dir)
}
