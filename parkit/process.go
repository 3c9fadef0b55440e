package parkit

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/parallelize-your-go/kit/parkit/internal/wire"
)

// The process executor: each runner owns one worker process (this program,
// re-executed; see process_worker.go for the worker's side) and sends it
// one task at a time over a pipe pair of their own. A worker that dies is
// replaced before the runner's next task.

// processPool is what the workers of one executor share.
type processPool struct {
	ex      *Executor
	exe     string
	env     []string
	spawns  chan spawnRequest // served by spawner, on one locked OS thread
	live    atomic.Int32      // runners not yet stopped
	cpuTime atomic.Int64      // CPU time of exited workers, in nanoseconds
	first   []*workerProc     // started by New, one per runner
}

// workerExe overrides the worker binary (tests use it to make one that
// fails to start).
var workerExe string

// How long Close waits for an idle worker to exit after its request pipe
// is closed, before killing it.
const exitGrace = 5 * time.Second

func newProcessRunners(ex *Executor) (func(worker int) runner, error) {
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
	pp := &processPool{ex: ex, exe: exe, spawns: make(chan spawnRequest)}
	pp.env = workerEnviron(os.Environ(), tasks)
	pp.live.Store(int32(ex.workers))
	go pp.spawner()
	// Start every worker now, in parallel: their start-up overlaps, and
	// the timeline shows it as the delay before the first tasks.
	for i := range ex.workers {
		p, err := pp.start(i)
		if err != nil {
			for _, p := range pp.first {
				p.kill()
				<-p.exited
			}
			close(pp.spawns)
			return nil, err
		}
		pp.first = append(pp.first, p)
	}
	ex.proc = pp
	return func(worker int) runner {
		return &processRunner{pool: pp, worker: worker, proc: pp.first[worker]}
	}, nil
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
	for _, kv := range parent {
		switch {
		// Why: a worker that inherits GONB_PIPE* and displays anything
		// corrupts the cell's display pipe, and gonbui.Sync hangs.
		case strings.HasPrefix(kv, "GONB_PIPE"),
			strings.HasPrefix(kv, envWorker+"="), strings.HasPrefix(kv, envTasks+"="),
			strings.HasPrefix(kv, "GOMAXPROCS="):
			continue
		}
		env = append(env, kv)
	}
	// Why set GOMAXPROCS: a program (or notebook cell) that called
	// runtime.GOMAXPROCS expects its workers to run with the same limit.
	return append(env, "GOMAXPROCS="+strconv.Itoa(runtime.GOMAXPROCS(0)), envTasks+"="+tasks)
}

type spawnRequest struct {
	cmd   *exec.Cmd
	reply chan error
}

// spawner starts every worker process of the pool from one goroutine
// locked to its OS thread.
//
// Why: Linux's parent-death signal (Pdeathsig) fires when the thread that
// started the child exits, not the process. Go may end a thread when a
// goroutine locked to it returns (the Threads executor's threads do), so
// a worker started from an arbitrary goroutine could be killed at random.
// This thread lives until the pool's last runner has stopped.
func (pp *processPool) spawner() {
	runtime.LockOSThread()
	// Never unlocked: when this goroutine returns its thread exits, and
	// any worker still alive then gets its parent-death signal.
	for r := range pp.spawns {
		r.reply <- r.cmd.Start()
	}
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
	p := &workerProc{
		pool: pp, worker: i, req: reqW, resp: respR,
		w: wire.NewWriter(reqW), r: wire.NewReader(respR),
		responses: make(chan *wire.Response, 1),
		exited:    make(chan struct{}),
	}
	cmd := exec.Command(pp.exe, "-parkit-worker="+strconv.Itoa(i))
	cmd.Args[0] = os.Args[0]
	cmd.Env = append(pp.env, envWorker+"="+strconv.Itoa(i))
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
	reply := make(chan error)
	pp.spawns <- spawnRequest{cmd, reply}
	err = <-reply
	reqR.Close() // the worker has its own copies now
	respW.Close()
	if err != nil {
		reqW.Close()
		respR.Close()
		return nil, fmt.Errorf("parkit: starting worker process %d (%s): %w", i, pp.exe, err)
	}
	p.pid = cmd.Process.Pid
	label := fmt.Sprintf("[worker %d pid %d] ", i, p.pid)
	p.stdout.setPrefix(label)
	p.stderr.setPrefix(label)
	go p.readLoop()
	return p, nil
}

// runnerStopped ends the spawner after the last runner.
func (pp *processPool) runnerStopped() {
	if pp.live.Add(-1) == 0 {
		close(pp.spawns)
	}
}

// workerCPUTime is the CPU time the executor's worker processes used, as
// the OS counted it when they exited (all have, after Close).
func (ex *Executor) workerCPUTime() time.Duration {
	if ex.proc == nil {
		return 0
	}
	return time.Duration(ex.proc.cpuTime.Load())
}

// workerProc is one running worker process.
type workerProc struct {
	pool   *processPool
	worker int
	pid    int
	cmd    *exec.Cmd
	req    *os.File // we write requests here
	resp   *os.File // and read responses here
	w      *wire.Writer
	r      *wire.Reader
	stdout *prefixWriter
	stderr *prefixWriter
	nextID uint64

	responses chan *wire.Response
	exited    chan struct{} // closed once the process has been waited for
	readErr   error         // why reading stopped (set before exited closes)
	ready     atomic.Bool   // said hello
}

// readLoop reads the worker's messages until its pipe closes or carries
// garbage, then reaps the process.
func (p *workerProc) readLoop() {
	defer close(p.exited)
	for {
		body, err := p.r.Read()
		if err == nil {
			err = p.handle(body)
		}
		if err != nil {
			p.readErr = err
			break
		}
	}
	// EOF means the worker is exiting; anything else is a protocol
	// error, and a worker that breaks the protocol is killed.
	p.kill()
	p.resp.Close()
	p.cmd.Wait()
	p.req.Close()
	if st := p.cmd.ProcessState; st != nil {
		p.pool.cpuTime.Add(int64(st.UserTime() + st.SystemTime()))
	}
}

func (p *workerProc) handle(body []byte) error {
	switch body[0] {
	case wire.KindHello:
		if _, err := wire.ParseHello(body); err != nil {
			return err
		}
		p.ready.Store(true)
		return nil
	case wire.KindResponse:
		resp, err := wire.ParseResponse(body)
		if err != nil {
			return err
		}
		select {
		case p.responses <- resp:
			return nil
		default:
			return errors.New("wire: a response nobody asked for")
		}
	}
	return fmt.Errorf("wire: unexpected frame kind %q", body[0])
}

// kill ends the process at once (SIGKILL); it is safe to call at any time.
func (p *workerProc) kill() {
	p.cmd.Process.Kill()
}

// crashed describes how the worker died, for ErrWorkerCrashed.
func (p *workerProc) crashed(task string) error {
	how := "its protocol pipe closed"
	if st := p.cmd.ProcessState; st != nil {
		how = st.String() // "exit status 2", "signal: killed"
	}
	if p.readErr != nil && !errors.Is(p.readErr, os.ErrClosed) && !errors.Is(p.readErr, io.EOF) {
		how += " (" + p.readErr.Error() + ")"
	}
	when := "while running task " + strconv.Quote(task)
	if !p.ready.Load() {
		when = "before it was ready to serve (" + p.pool.exe + " may not be a parkit program, or registers other tasks than this process)"
	}
	msg := fmt.Sprintf("%s: worker %d (pid %d) %s: %s", ErrWorkerCrashed.Error(), p.worker, p.pid, when, how)
	if tail := p.stderr.tail(); tail != "" {
		msg += "; its last stderr lines:\n" + tail
	}
	return &crashError{msg: msg}
}

type crashError struct{ msg string }

func (e *crashError) Error() string { return e.msg }
func (e *crashError) Unwrap() error { return ErrWorkerCrashed }

// processRunner runs jobs on one worker process, replacing it when it dies.
type processRunner struct {
	pool   *processPool
	worker int
	proc   *workerProc // nil after a crash, until the next job
}

func (r *processRunner) run(j job) {
	task, arg := j.remote()
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
	req := &wire.Request{ID: p.nextID, Task: task, Arg: arg}

	// Why the write may run in a goroutine: a large input fills the pipe
	// and blocks until the worker reads it; if the worker is stuck or the
	// task is cancelled meanwhile, killing the worker unblocks the write.
	// Small writes fit in an empty pipe and cannot block.
	var wrote chan error
	if len(arg) < 4<<10 {
		if err := p.w.WriteRequest(req); err != nil {
			r.lost(j, task, sent, err)
			return
		}
	} else {
		wrote = make(chan error, 1)
		go func() { wrote <- p.w.WriteRequest(req) }()
	}
	for {
		select {
		case err := <-wrote:
			if err != nil {
				r.lost(j, task, sent, err)
				return
			}
			wrote = nil // written: wait for the answer
		case resp := <-p.responses:
			if wrote != nil {
				// The worker answered, so it has read the whole request.
				<-wrote
			}
			if resp.ID != req.ID {
				r.lost(j, task, sent, fmt.Errorf("wire: response %d to request %d", resp.ID, req.ID))
				return
			}
			var err error
			if resp.Err != "" {
				err = errors.New(resp.Err)
			}
			j.finishRemote(resp.Out, r.span(resp), err)
			return
		case <-p.exited:
			r.proc = nil
			j.finishRemote(nil, r.failed(sent, p), p.crashed(task))
			return
		case <-j.context().Done():
			r.cancelled(j, sent)
			return
		}
	}
}

// cancelled kills the worker running j's task: a process is the one kind of
// worker that can be stopped from outside.
func (r *processRunner) cancelled(j job, sent time.Duration) {
	p := r.proc
	p.kill()
	<-p.exited
	r.proc = nil
	err := fmt.Errorf("%w while running in worker %d: its process (pid %d) was killed and will be replaced: %w", ErrCancelled, r.worker, p.pid, j.context().Err())
	j.finishRemote(nil, r.failed(sent, p), err)
}

// lost fails j after the worker broke the protocol or its pipe failed, and
// replaces the worker.
func (r *processRunner) lost(j job, task string, sent time.Duration, cause error) {
	p := r.proc
	p.kill()
	<-p.exited
	r.proc = nil
	if p.readErr == nil || errors.Is(p.readErr, os.ErrClosed) {
		p.readErr = cause
	}
	j.finishRemote(nil, r.failed(sent, p), p.crashed(task))
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
	defer r.pool.runnerStopped()
	p := r.proc
	if p == nil {
		return
	}
	r.proc = nil
	p.req.Close()
	select {
	case <-p.exited:
	case <-time.After(exitGrace):
		p.kill()
		<-p.exited
	case <-r.pool.ex.ctx.Done():
		p.kill()
		<-p.exited
	}
}
