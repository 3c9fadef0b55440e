package parkit

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/parallelize-your-go/kit/parkit/internal/osinfo"
	"github.com/parallelize-your-go/kit/parkit/internal/wire"
)

// A worker process is this program re-executed with PARKIT_WORKER set. It
// must serve tasks and never run the program's main function, which could
// print, write files or start another pool.
//
// How a worker avoids main: Go runs every package's variable initializers
// and init functions, the main package's last, then main.main, with no hook
// in between. A worker must start serving after the last task is
// registered (tasks in package main are registered last of all) but before
// main.main. So the parent counts the tasks registered during its own
// initialization and tells the worker, which runs the same binary and so
// registers the same tasks in the same order; the NewTask call that
// registers the last of them does not return: it serves tasks until the
// parent closes the pipe, then exits. Everything a task's function refers
// to is initialized before it (Go initializes a variable's dependencies
// first, through function bodies too), so tasks find their package-level
// state ready.
//
// The rule for users that follows: register tasks in package-level var
// declarations (or init functions), never later; and keep state that tasks
// need in package-level vars, not in init functions that run after the
// task's declaration.
const (
	envWorker = "PARKIT_WORKER"       // the worker's index
	envTasks  = "PARKIT_WORKER_TASKS" // "<count> <name of the last task>"
)

// The worker's ends of its pipes: cmd.ExtraFiles start at fd 3.
const (
	fdRequests  = 3
	fdResponses = 4
)

// initTasks counts the tasks registered during initialization, in order.
var initTasks struct {
	sync.Mutex
	n    int
	last string
}

// workerEnv is set in a worker process: how many tasks to wait for.
var workerEnv = readWorkerEnv()

type workerSetup struct {
	index int
	tasks int
	last  string
}

func readWorkerEnv() *workerSetup {
	v, ok := os.LookupEnv(envWorker)
	if !ok {
		return nil
	}
	w := &workerSetup{index: -1}
	w.index, _ = strconv.Atoi(v)
	n, last, _ := strings.Cut(os.Getenv(envTasks), " ")
	w.tasks, _ = strconv.Atoi(n)
	w.last = last
	// Why unset: a task that starts a program of its own must not turn
	// that program into a parkit worker.
	os.Unsetenv(envWorker)
	os.Unsetenv(envTasks)
	return w
}

// IsWorker reports whether this process is a parkit worker process. Its
// main function never runs, so this is only useful in package
// initialization, e.g. to skip work that only the main program needs.
func IsWorker() bool { return workerEnv != nil }

// duringInit reports whether the caller runs during package
// initialization: runtime.doInit1 is then on the stack.
func duringInit() bool {
	pcs := make([]uintptr, 64)
	for {
		n := runtime.Callers(2, pcs)
		if n < len(pcs) {
			pcs = pcs[:n]
			break
		}
		pcs = make([]uintptr, 2*len(pcs))
	}
	// Why a cached return address first: doInit1 calls every package's
	// initializers from the same place, so once one registration has
	// found that address, the next ones (every task, in every worker
	// process as it starts) find it among the raw return addresses
	// without naming each frame. A miss falls back to naming them.
	if pc := initCallPC.Load(); pc != 0 && slices.Contains(pcs, pc) {
		return true
	}
	for _, pc := range slices.Backward(pcs) {
		// pc-1: the call instruction, as runtime.Callers documents.
		if f := runtime.FuncForPC(pc - 1); f != nil && f.Name() == "runtime.doInit1" {
			initCallPC.Store(pc)
			return true
		}
	}
	return false
}

// initCallPC is the return address in runtime.doInit1 that duringInit
// last found.
var initCallPC atomic.Uintptr

// registeredAtInit counts a task registered during initialization; in a
// worker process, once the count reaches the parent's, it serves forever.
func registeredAtInit(name string) {
	initTasks.Lock()
	initTasks.n++
	initTasks.last = name
	n := initTasks.n
	initTasks.Unlock()
	if w := workerEnv; w != nil && n == w.tasks {
		if name != w.last {
			workerFatal(fmt.Sprintf("task %d is %q here but %q in the parent: the program must register the same tasks, in the same order, in every process", n, name, w.last))
		}
		serveWorker(w)
	}
}

// workerFatal reports why this worker cannot serve and exits.
func workerFatal(msg string) {
	fmt.Fprintf(os.Stderr, "parkit worker: %s\n", msg)
	os.Exit(70)
}

// serveWorker runs requests until the parent closes the request pipe,
// then exits the process. It never returns.
func serveWorker(w *workerSetup) {
	in := os.NewFile(fdRequests, "parkit-requests")
	out := os.NewFile(fdResponses, "parkit-responses")
	if in == nil || out == nil {
		workerFatal("the protocol pipes (fd 3 and 4) are missing")
	}
	// Why close-on-exec: a program that a task starts must not inherit
	// the protocol pipes. Holding them, it would keep the parent from
	// seeing this worker die until it exits too.
	syscall.CloseOnExec(fdRequests)
	syscall.CloseOnExec(fdResponses)
	ww := wire.NewWriter(out)
	if err := ww.WriteHello(&wire.Hello{PID: osinfo.PID}); err != nil {
		workerFatal("writing hello: " + err.Error())
	}
	// Why another goroutine serves: this one is still in package
	// initialization, locked to the main OS thread, and handing work to a
	// locked goroutine costs a thread switch per task.
	go serveRequests(wire.NewReader(in), ww)
	if !parentDeathSignal {
		// A worker busy with a task does not read its pipe, so it would
		// not see its parent die: check the parent's pid instead.
		go func() {
			parent := os.Getppid()
			for range time.Tick(time.Second) {
				if os.Getppid() != parent {
					os.Exit(1)
				}
			}
		}()
	}
	select {} // until the serving goroutine exits the process
}

// serveRequests runs requests until the parent closes the request pipe,
// then exits the process.
func serveRequests(r *wire.Reader, w *wire.Writer) {
	var req *wire.Request
	var start time.Time
	// The loop never returns: this deferred call runs only when a task
	// panics or calls runtime.Goexit.
	defer func() {
		if p := recover(); p != nil {
			// A panicking task ends its worker, as an unrecovered panic
			// ends any Go program; the parent reports it as a crash. Why
			// recover at all: without it, a deferred call cannot tell a
			// panic from runtime.Goexit.
			fmt.Fprintf(os.Stderr, "panic: %v\n\n%s", p, debug.Stack())
			os.Exit(2)
		}
		// runtime.Goexit: answer for the task, then serve on in a new
		// goroutine, as this one ends.
		resp := &wire.Response{ID: req.ID, PID: osinfo.PID, TID: osinfo.TID(), CPU: osinfo.CPU(),
			Err: ErrGoexit.Error(), Start: start.UnixNano(), End: time.Now().UnixNano()}
		if err := w.WriteResponse(resp); err != nil {
			workerFatal("writing a response: " + err.Error())
		}
		go serveRequests(r, w)
	}()
	for {
		body, err := r.Read()
		if err == io.EOF {
			os.Exit(0) // the parent closed the pipe, or died
		}
		if err != nil {
			workerFatal("reading a request: " + err.Error())
		}
		if req, err = wire.ParseRequest(body); err != nil {
			workerFatal(err.Error())
		}
		start = time.Now()
		if err := w.WriteResponse(runRequest(req)); err != nil {
			workerFatal("writing a response: " + err.Error())
		}
	}
}

// runRequest runs one task. Panics are not recovered: a panicking task ends
// its worker, and the parent reports the crash on that task's future.
func runRequest(req *wire.Request) *wire.Response {
	resp := &wire.Response{ID: req.ID, PID: osinfo.PID, TID: osinfo.TID(), CPU: osinfo.CPU()}
	name, batch := req.Task, req.Batch
	r, ok := lookupTask(name)
	start := time.Now()
	var (
		out []byte
		err error
	)
	switch {
	case !ok:
		err = fmt.Errorf("%w: no task named %q in the worker process", ErrNotRegistered, name)
	case batch:
		out, err = r.batch(context.Background(), req.Arg)
	default:
		out, err = r.run(context.Background(), req.Arg)
	}
	end := time.Now()
	if err == nil && len(out) > maxPayload {
		err = fmt.Errorf("parkit: task %q: its result is %d bytes once encoded, more than the %d bytes a worker can send back", name, len(out), maxPayload)
		if batch {
			err = fmt.Errorf("%s%w", batchTooLarge, err) // Map splits the chunk
		}
		out = nil
	}
	if err != nil {
		resp.Err = err.Error()
	}
	resp.Out = out
	resp.Start, resp.End = start.UnixNano(), end.UnixNano()
	return resp
}

// batchTooLarge starts the error of a chunk whose results are too large
// to send back together.
const batchTooLarge = "parkit.Map: a chunk's results are too large to send back together: "

// maxPayload is the largest encoded input or output a task can have in a
// worker process, leaving room for the message header.
var maxPayload = wire.MaxFrame - 64<<10
