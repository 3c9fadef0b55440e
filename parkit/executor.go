package parkit

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/parallelize-your-go/kit/parkit/internal/osinfo"
)

// Kind names the kind of workers an Executor runs tasks on.
type Kind string

const (
	// Goroutines run tasks on N worker goroutines, multiplexed by the Go
	// runtime onto up to GOMAXPROCS OS threads (the article's thread pool,
	// without a GIL). Cheapest: a task costs well under a microsecond.
	Goroutines Kind = "goroutines"
	// Threads run tasks on N workers, each locked to its own OS thread
	// (runtime.LockOSThread), so every task of a worker has the same thread
	// id. The threads end with the executor.
	Threads Kind = "threads"
	// Processes run tasks in N worker processes: this program, re-executed.
	// Only tasks registered with NewTask can cross the process boundary.
	// Programs a task starts end with its worker (they share its process
	// group): when it crashes, is killed by Cancel or Shutdown, or exits
	// at Close.
	Processes Kind = "processes"
)

// Kinds lists every executor kind, in the order the notebooks show them.
var Kinds = []Kind{Goroutines, Threads, Processes}

// An Executor runs submitted tasks on a fixed number of workers, in
// submission order. Submit tasks with Submit, Go or Map; the caller must
// call Close (or Shutdown) to release the workers.
type Executor struct {
	kind    Kind
	workers int
	cfg     config
	started time.Time

	ctx     context.Context // ends when Shutdown's deadline passes
	cancel  context.CancelFunc
	q       *queue
	wg      sync.WaitGroup
	once    sync.Once
	backend backend // how the workers run tasks: asked, never the kind
	tracer  *tracer // marks tasks in the execution trace, for TraceTo
}

// A backend is how an executor's workers run tasks: in this process
// (goroutines, threads) or in worker processes. New picks it from the
// kind; from then on the executor and the submit functions ask it.
type backend interface {
	// newRunner makes worker i's runner, on the worker's own goroutine
	// (a thread worker locks it to its OS thread).
	newRunner(worker int) runner
	// remote reports whether tasks run in other processes: only
	// registered tasks with encodable inputs and results can, and
	// cancelling the executor's context kills what runs there.
	remote() bool
}

// A runner is one worker's way to run jobs: in this goroutine, or in a
// worker process.
type runner interface {
	run(j job)
	stop()
}

// job is what a queue holds: a future and what it runs, seen without its
// types. A local runner runs a localJob; a process runner sends a
// remoteJob to its worker process.
type job interface {
	begin() bool // queued -> running; false if cancelled meanwhile
	context() *taskContext
	fail(err error)
}

// localJob is a task that runs in this process (Submit, Go).
type localJob interface {
	job
	runLocal(at record, crashOnPanic bool)
}

// New starts an executor of the given kind with the given number of
// workers; 0 means runtime.GOMAXPROCS(0). Starting costs about a microsecond
// per goroutine worker, tens of microseconds per thread worker and
// milliseconds per worker process.
func New(kind Kind, workers int, opts ...Option) (*Executor, error) {
	cfg := config{maxWorkers: DefaultMaxWorkers}
	for _, o := range opts {
		o(&cfg)
	}
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case workers < 0:
		return nil, fmt.Errorf("parkit: %d workers: the worker count must be positive (or 0 for GOMAXPROCS)", workers)
	case workers > cfg.maxWorkers:
		return nil, fmt.Errorf("parkit: %d workers is more than the limit of %d: lower it, or pass parkit.MaxWorkers(%d) if you mean it", workers, cfg.maxWorkers, workers)
	}
	ex := &Executor{kind: kind, workers: workers, cfg: cfg, started: time.Now(), q: newQueue()}
	ex.ctx, ex.cancel = context.WithCancel(context.Background())
	var err error
	ex.backend, err = ex.newBackend()
	if err == nil {
		err = ex.startTracing()
	}
	if err != nil {
		ex.cancel()
		return nil, err
	}
	ex.wg.Add(workers)
	for i := range workers {
		go ex.work(i)
	}
	return ex, nil
}

// newBackend is the one place that looks at the executor's kind.
func (ex *Executor) newBackend() (backend, error) {
	switch ex.kind {
	case Goroutines:
		return &localBackend{ex: ex}, nil
	case Threads:
		return &localBackend{ex: ex, lockThreads: true}, nil
	case Processes:
		return newProcessPool(ex)
	}
	return nil, fmt.Errorf("parkit: unknown executor kind %q: use one of %v", ex.kind, Kinds)
}

// work is one worker's loop.
func (ex *Executor) work(worker int) {
	r := ex.backend.newRunner(worker)
	var j job
	goexit := true // until the loop returns: a job that never returns ends this goroutine
	defer func() {
		if goexit {
			// Why here: runtime.Goexit in a task (or in decoding a worker
			// process's result) runs this deferred call and nothing after
			// it. The job fails instead of never completing, and a new
			// goroutine takes this worker's place (a new OS thread for
			// Threads) before this one stops its runner.
			j.fail(ErrGoexit)
			ex.wg.Add(1)
			go ex.work(worker)
		}
		r.stop()
		ex.wg.Done()
	}()
	for {
		var ok bool
		if j, ok = ex.q.pop(); !ok {
			goexit = false
			return
		}
		if j.begin() {
			r.run(j)
		}
	}
}

// Kind reports the executor's kind.
func (ex *Executor) Kind() Kind { return ex.kind }

// Workers reports the number of workers.
func (ex *Executor) Workers() int { return ex.workers }

// Started reports when the executor was created: spans are relative to it.
func (ex *Executor) Started() time.Time { return ex.started }

// Close stops taking tasks, waits for every queued and running task to
// finish, and releases the workers (threads end, processes exit). It is
// safe to call more than once.
func (ex *Executor) Close() error {
	ex.q.close()
	ex.wg.Wait()
	ex.once.Do(ex.cancel)
	ex.stopTracing()
	return nil
}

// Shutdown is Close with a deadline: when ctx ends first, tasks still
// queued fail with ErrClosed, running tasks' contexts are cancelled, and
// worker processes are killed. Goroutine and thread tasks that ignore their
// context cannot be stopped from outside (Go has no way to kill a
// goroutine); Shutdown then returns ctx.Err() without waiting for them.
func (ex *Executor) Shutdown(ctx context.Context) error {
	ex.q.close()
	finished := make(chan struct{})
	go func() { ex.wg.Wait(); close(finished) }()
	select {
	case <-finished:
		ex.once.Do(ex.cancel)
		ex.stopTracing()
		return nil
	case <-ctx.Done():
	}
	defer ex.stopTracing()
	for _, j := range ex.q.drain() {
		j.fail(ErrClosed)
	}
	ex.once.Do(ex.cancel)
	if ex.backend.remote() {
		// Cancelling killed the worker processes' running tasks, so this
		// wait is short, and no child process is left behind.
		<-finished
	} else {
		select {
		case <-finished:
		case <-time.After(100 * time.Millisecond): // let well-behaved tasks return
		}
	}
	return fmt.Errorf("parkit: shutdown: %w", ctx.Err())
}

// submit queues j, failing it at once if the executor is closed.
func (ex *Executor) submit(j job) {
	if ex.tracer != nil {
		ex.tracer.submitted(j)
	}
	if !ex.q.push(j) {
		j.fail(ErrClosed)
	}
}

// localBackend runs tasks in this process, on goroutines or on
// goroutines locked to their own OS threads.
type localBackend struct {
	ex          *Executor
	lockThreads bool
}

func (b *localBackend) remote() bool { return false }

func (b *localBackend) newRunner(worker int) runner {
	r := &localRunner{ex: b.ex, worker: worker, tid: -1}
	switch {
	case b.lockThreads:
		// Why never unlocked: a goroutine that exits while locked takes its
		// OS thread with it, so Close leaves no thread behind.
		runtime.LockOSThread()
		r.tid = osinfo.TID()
	case b.ex.cfg.recordThreadIDs:
		r.readTID = true
	}
	if b.ex.tracer != nil {
		return tracedRunner{r}
	}
	return r
}

// localRunner runs jobs in the worker goroutine itself.
type localRunner struct {
	ex      *Executor
	worker  int
	tid     int  // the locked thread's id; -1 if not known
	readTID bool // read the thread id per task (goroutine workers, RecordThreadIDs)
}

func (r *localRunner) run(j job) {
	tid := r.tid
	if r.readTID {
		// Why per task: Go may move a goroutine to another thread
		// between tasks (and during one; the span keeps where it started).
		tid = osinfo.TID()
	}
	j.(localJob).runLocal(startSpan(r.worker, tid), r.ex.cfg.crashOnPanic)
}

func (r *localRunner) stop() {}

// tracedRunner runs each job inside its task region, for TraceTo.
type tracedRunner struct{ *localRunner }

func (r tracedRunner) run(j job) { r.ex.tracer.run(j, r.localRunner.run) }

// startSpan records where a task starts: the worker, this process, the OS
// thread tid, and the CPU. Reading the CPU costs a few nanoseconds on amd64
// machines with RDPID and about 20 ns without (osinfo.CPU); reading a
// goroutine worker's thread id costs a system call (gettid, 100 ns to over
// a microsecond in some VMs), which is why only executors made with
// RecordThreadIDs pay it. See BenchmarkStartSpan.
func startSpan(worker, tid int) record {
	return record{worker: int32(worker), pid: int32(osinfo.PID), tid: int32(tid), cpu: int32(osinfo.CPU())}
}
