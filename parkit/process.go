package parkit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/parallelize-your-go/kit/parkit/internal/osinfo"
	"github.com/parallelize-your-go/kit/parkit/internal/wire"
)

// The process executor: each runner owns one worker process (this program,
// re-executed; see process_worker.go for the worker's side) and sends it
// one task at a time over a pipe pair of their own. A worker that dies is
// replaced as soon as its task has failed, so the next task does not wait
// for a worker to start.

// processPool is what the workers of one executor share.
// It is the executor's backend for Processes.
type processPool struct {
	ex      *Executor
	exe     string
	env     []string
	cpuTime atomic.Int64  // CPU time of exited workers, in nanoseconds
	first   []*workerProc // started by New, one per runner
}

// workerExe overrides the worker binary (tests use it to make one that
// fails to start).
var workerExe string

// How long Close waits for an idle worker to exit after its request pipe
// is closed, before killing it.
const exitGrace = 5 * time.Second

func newProcessPool(ex *Executor) (*processPool, error) {
	if IsWorker() {
		// Main is running in a worker: the worker never found its last
		// task. Stop here rather than start workers of workers.
		workerFatal("the program's main function started in a worker process; register tasks only in package-level vars, the same in every process")
	}
	exe, err := executable()
	if err != nil {
		return nil, fmt.Errorf("parkit: finding this program's binary to start worker processes: %w", err)
	}
	initTasks.Lock()
	tasks := strconv.Itoa(initTasks.n) + " " + initTasks.last
	initTasks.Unlock()
	pp := &processPool{ex: ex, exe: exe}
	pp.env = workerEnviron(os.Environ(), tasks)
	// Start every worker now, in parallel: their start-up overlaps, and
	// the timeline shows it as the delay before the first tasks.
	if pp.first, err = pp.startAll(ex.workers); err != nil {
		return nil, err
	}
	return pp, nil
}

func (pp *processPool) remote() bool { return true }

func (pp *processPool) newRunner(worker int) runner {
	// A replacement runner (see Executor.work) gets nil: it starts its
	// worker process with its first job.
	p := pp.first[worker]
	pp.first[worker] = nil
	return &processRunner{pool: pp, worker: worker, proc: p}
}

// executable is the binary to re-execute: /proc/self/exe on Linux, which
// stays valid when GoNB rebuilds the cell binary at the same path.
func executable() (string, error) {
	if workerExe != "" {
		return workerExe, nil
	}
	if runtime.GOOS == "linux" {
		if _, err := os.Stat("/proc/self/exe"); err == nil {
			return "/proc/self/exe", nil
		}
	}
	return os.Executable()
}

// workerEnviron is the parent's environment for a worker, without GoNB's
// display pipes and with this process's GOMAXPROCS.
func workerEnviron(parent []string, tasks string) []string {
	var env []string
	gorace := "atexit_sleep_ms=0"
	for _, kv := range parent {
		switch {
		// Why: a program built with -race sleeps 1 s on exit by default;
		// its workers would make every Close take a second.
		case strings.HasPrefix(kv, "GORACE="):
			if !strings.Contains(kv, "atexit_sleep_ms") {
				gorace = kv[len("GORACE="):] + " " + gorace
			} else {
				gorace = kv[len("GORACE="):]
			}
			continue
		// Why: a worker that inherits GONB_PIPE* and displays anything
		// corrupts the cell's display pipe, and gonbui.Sync hangs.
		case strings.HasPrefix(kv, "GONB_PIPE"),
			strings.HasPrefix(kv, envWorker+"="), strings.HasPrefix(kv, envTasks+"="),
			strings.HasPrefix(kv, "GOMAXPROCS="), strings.HasPrefix(kv, osinfo.CPUReadEnv+"="):
			continue
		}
		env = append(env, kv)
	}
	// Why set GOMAXPROCS: a program (or notebook cell) that called
	// runtime.GOMAXPROCS expects its workers to run with the same limit.
	env = append(env, "GOMAXPROCS="+strconv.Itoa(runtime.GOMAXPROCS(0)), "GORACE="+gorace, envTasks+"="+tasks)
	// Why: the worker then reads the CPU the way this process checked,
	// and skips checking it again as it starts.
	if mode := osinfo.WorkerCPURead(); mode != "" {
		env = append(env, osinfo.CPUReadEnv+"="+mode)
	}
	return env
}

// start launches worker i. It returns once the process exists; the worker
// says hello when it is ready to serve.
func (pp *processPool) start(i int) (*workerProc, error) {
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("parkit: starting worker %d: %w", i, err)
	}
	respR, respW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return nil, fmt.Errorf("parkit: starting worker %d: %w", i, err)
	}
	growPipe(reqW)
	growPipe(respW)
	// Why blocking mode (Fd's side effect): a runner then waits for its
	// worker's answer in read(2), and the kernel wakes this very thread
	// when it comes, instead of the runtime's poller waking some thread
	// that then schedules the runner: one system call instead of three,
	// and no scheduler hand-off. It costs an OS thread per busy worker.
	// Why only up to GOMAXPROCS workers: a goroutine blocked in read(2)
	// keeps its P until the runtime's monitor takes it back (20 us to
	// 10 ms later), so with more waiting runners than Ps the scheduler
	// stalls: 512 workers answered their first task 0.9 s after starting,
	// against 0.2 s through the poller.
	if pp.ex.workers <= runtime.GOMAXPROCS(0) {
		reqW.Fd()
		respR.Fd()
	}
	p := &workerProc{
		pool: pp, worker: i, req: reqW, resp: respR,
		w: wire.NewWriter(reqW), r: wire.NewReader(respR),
	}
	cmd := exec.Command(pp.exe, "-parkit-worker="+strconv.Itoa(i))
	cmd.Args[0] = os.Args[0]
	// Why the full slice expression: runners start workers concurrently,
	// and appending to pp.env itself could write into its spare capacity.
	cmd.Env = append(pp.env[:len(pp.env):len(pp.env)], envWorker+"="+strconv.Itoa(i))
	cmd.ExtraFiles = []*os.File{reqR, respW} // fd 3 and 4 in the worker
	// The label gets the pid once it is known.
	p.stdout = &prefixWriter{dst: os.Stdout, prefix: fmt.Sprintf("[worker %d] ", i)}
	p.stderr = &prefixWriter{dst: os.Stderr, prefix: p.stdout.prefix, keep: 200}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	// Why WaitDelay: Wait also waits for the worker's stdout and stderr to
	// close; a grandchild holding them must not make Close hang.
	cmd.WaitDelay = time.Second
	cmd.SysProcAttr = sysProcAttr()
	p.cmd = cmd
	p.release, err = startOnSpawner(cmd)
	reqR.Close() // the worker has its own copies now
	respW.Close()
	if err != nil {
		reqW.Close()
		respR.Close()
		return nil, fmt.Errorf("parkit: starting worker process %d (%s): %w", i, pp.exe, err)
	}
	p.pid = cmd.Process.Pid
	// Shutdown's deadline kills the worker (its runner watches the
	// running task's own cancellation).
	p.unwatch = context.AfterFunc(pp.ex.ctx, p.kill)
	label := fmt.Sprintf("[worker %d pid %d] ", i, p.pid)
	p.stdout.setPrefix(label)
	p.stderr.setPrefix(label)
	return p, nil
}

// workerCPUTime is the CPU time the executor's worker processes used, as
// the OS counted it when they exited (all have, after Close).
func (ex *Executor) workerCPUTime() time.Duration {
	pp, ok := ex.backend.(*processPool)
	if !ok {
		return 0
	}
	return time.Duration(pp.cpuTime.Load())
}

// workerProc is one running worker process.
type workerProc struct {
	pool    *processPool
	worker  int
	pid     int
	cmd     *exec.Cmd
	req     *os.File // we write requests here
	resp    *os.File // and read responses here
	w       *wire.Writer
	r       *wire.Reader
	stdout  *prefixWriter
	stderr  *prefixWriter
	nextID  uint64
	ready   bool  // said hello
	broken  error // why the protocol failed, if it did
	exited  error // what cmd.Wait said (an *exec.ExitError if it failed)
	reaped  bool
	unwatch func() bool // stops killing it when the executor's context ends
	release func()      // lets the spawner thread that started it end, once it is reaped

	mu   sync.Mutex // guards gone against kill
	gone bool       // reaped: its pid may belong to another process now
}

// call sends one request and reads its response. An error means the
// worker is unusable: it died, was killed, or broke the protocol.
//
// Why no reader goroutine: each goroutine hand-off costs microseconds, as
// much as the pipe itself. Cancellation kills the process instead (see
// processRunner.run), which ends a blocked read or write here.
func (p *workerProc) call(req *wire.Request) (*wire.Response, error) {
	if err := p.w.WriteRequest(req); err != nil {
		return nil, err
	}
	for {
		body, err := p.r.Read()
		if err != nil {
			return nil, err
		}
		switch body[0] {
		case wire.KindHello:
			if _, err := wire.ParseHello(body); err != nil {
				return nil, err
			}
			p.ready = true
		case wire.KindResponse:
			resp, err := wire.ParseResponse(body)
			if err == nil && (!p.ready || resp.ID != req.ID) {
				err = fmt.Errorf("wire: response %d to request %d (hello first: %v)", resp.ID, req.ID, p.ready)
			}
			return resp, err
		default:
			return nil, fmt.Errorf("wire: unexpected frame kind %q", body[0])
		}
	}
}

// kill ends the process and the programs its tasks started at once
// (SIGKILL); it is safe to call at any time.
func (p *workerProc) kill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.gone {
		killGroup(p.pid)
		p.cmd.Process.Kill()
	}
}

// reap waits for the process to exit (kill it first, or close its request
// pipe), ends what its tasks started, and records its CPU time. It is
// called once, by its runner.
func (p *workerProc) reap() {
	if p.reaped {
		return
	}
	p.reaped = true
	p.unwatch()
	p.req.Close()
	// Why wait twice: programs that tasks started must end with their
	// worker, and its group can be killed only while its pid is still
	// its own, before cmd.Wait reaps it.
	waitExited(p.pid)
	p.mu.Lock()
	killGroup(p.pid)
	p.gone = true
	p.mu.Unlock()
	p.exited = p.cmd.Wait()
	p.stdout.flush()
	p.stderr.flush()
	p.release()
	p.resp.Close()
	if st := p.cmd.ProcessState; st != nil {
		p.pool.cpuTime.Add(int64(st.UserTime() + st.SystemTime()))
	}
}

// crashed describes how the worker died, for ErrWorkerCrashed.
func (p *workerProc) crashed(task string) error {
	how := "its protocol pipe closed"
	if st := p.cmd.ProcessState; st != nil {
		how = st.String() // "exit status 2", "signal: killed"
	}
	if p.broken != nil {
		how += " after a protocol error (" + p.broken.Error() + ")"
	}
	when := "while running task " + strconv.Quote(task)
	if !p.ready {
		when = "before it was ready to serve (" + p.pool.exe + " may not be a parkit program, or registers other tasks than this process)"
	}
	msg := fmt.Sprintf("%s: worker %d (pid %d) %s: %s", ErrWorkerCrashed.Error(), p.worker, p.pid, when, how)
	if tail := p.stderr.tail(); tail != "" {
		msg += "; its last stderr lines:\n" + tail
	}
	return &crashError{msg: msg, exited: p.exited}
}

type crashError struct {
	msg    string
	exited error // cmd.Wait's error, nil if the worker was not reaped
}

func (e *crashError) Error() string { return e.msg }

// Unwrap gives ErrWorkerCrashed, and how the worker exited (errors.As
// finds its *exec.ExitError, with the exit code).
func (e *crashError) Unwrap() []error {
	if e.exited == nil {
		return []error{ErrWorkerCrashed}
	}
	return []error{ErrWorkerCrashed, e.exited}
}

// processRunner runs jobs on one worker process, replacing it when it dies.
type processRunner struct {
	pool   *processPool
	worker int
	proc   *workerProc // nil if a replacement failed to start, until the next job
}

func (r *processRunner) run(jb job) {
	j := jb.(remoteJob)
	task, batch, arg := j.request()
	sent := time.Since(r.pool.ex.started)
	if r.proc == nil {
		p, err := r.pool.start(r.worker)
		if err != nil {
			j.finishRemote(nil, r.failed(sent, nil), err)
			return
		}
		r.proc = p
	}
	p := r.proc
	p.nextID++
	// Cancelling the task (Future.Cancel, or Shutdown for every worker, see
	// start) kills its worker: a process is the one kind of worker that can
	// be stopped from outside. Why not context.AfterFunc on the task's
	// context: that allocates its Done channel and registers the task with
	// the executor's context, twice, for every task.
	var killed atomic.Bool
	stop := j.context().whenCancelled(func() {
		killed.Store(true)
		p.kill()
	})
	resp, err := p.call(&wire.Request{ID: p.nextID, Task: task, Batch: batch, Arg: arg})
	if !stop() {
		// The kill ran or is about to run: wait for it.
		for !killed.Load() {
			runtime.Gosched()
		}
	}
	cancelled := killed.Load() || r.pool.ex.ctx.Err() != nil
	if err == nil && cancelled {
		// Killed after it answered: keep the answer, replace the worker.
		p.reap()
		r.proc = nil
	} else if err != nil {
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, syscall.EPIPE) {
			p.broken = err // garbage on the pipe, not just a dead worker
		}
		p.kill()
		p.reap()
		r.proc = nil
		if cancelled {
			err = fmt.Errorf("%w while running in worker %d: its process (pid %d) was killed and will be replaced: %w", ErrCancelled, r.worker, p.pid, j.context().Err())
		} else {
			err = p.crashed(task)
		}
		j.finishRemote(nil, r.failed(sent, p), err)
		r.replace()
		return
	}
	if resp.Err == ErrGoexit.Error() {
		err = ErrGoexit
	} else if resp.Err != "" {
		err = errors.New(resp.Err)
	}
	j.finishRemote(resp.Out, r.span(resp), err)
	if r.proc == nil {
		r.replace()
	}
}

// replace starts a worker in place of a dead one, after its task's future
// has completed (the caller need not wait for a start-up to learn of a
// crash). If it fails, the next task tries again and reports why.
func (r *processRunner) replace() {
	if r.pool.ex.ctx.Err() != nil {
		return // shutting down: the worker would be killed at once
	}
	if p, err := r.pool.start(r.worker); err == nil {
		r.proc = p
	}
}

// failed is the span of a task whose worker died or was killed: from when
// it was sent until now, as seen from this process.
func (r *processRunner) failed(sent time.Duration, p *workerProc) Span {
	s := Span{Task: -1, Worker: r.worker, PID: -1, TID: -1, CPU: -1}
	if p != nil {
		s.PID = p.pid
	}
	s.Start, s.End = sent, time.Since(r.pool.ex.started)
	return s
}

// span converts the worker's wall-clock times to the executor's timeline.
func (r *processRunner) span(resp *wire.Response) Span {
	s := Span{Task: -1, Worker: r.worker}
	// Why Round(0): ex.started carries a monotonic clock reading, which
	// another process's times cannot be compared with; its wall clock can.
	origin := r.pool.ex.started.Round(0)
	s.PID, s.TID, s.CPU = resp.PID, resp.TID, resp.CPU
	s.Start = time.Unix(0, resp.Start).Sub(origin)
	s.End = time.Unix(0, resp.End).Sub(origin)
	return s
}

// stop closes the worker's request pipe, so it exits, and reaps it.
func (r *processRunner) stop() {
	p := r.proc
	if p == nil {
		return
	}
	r.proc = nil
	p.req.Close()
	exited := make(chan struct{})
	go func() {
		p.reap()
		close(exited)
	}()
	select {
	case <-exited:
	case <-time.After(exitGrace):
		p.kill()
		<-exited
	case <-r.pool.ex.ctx.Done():
		p.kill()
		<-exited
	}
}
