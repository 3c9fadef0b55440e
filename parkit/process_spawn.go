package parkit

import (
	"cmp"
	"os/exec"
	"runtime"
	"slices"
	"sync"
)

// Why workers are started from spawner threads: Linux's parent-death
// signal (Pdeathsig, see sysProcAttr) fires when the thread that started
// the child exits, not the process. Go may end a thread when a goroutine
// locked to it returns (the Threads executor's threads do), so a worker
// started from an arbitrary goroutine could be killed at random. A
// spawner is a goroutine locked to its OS thread that starts workers and
// ends only once every worker it started has been reaped.
//
// Why a few spawners shared by all pools, not one thread per worker: a
// start blocks its thread only until the kernel has executed the new
// program (Go's fork is a vfork); the worker's own start-up then runs in
// the worker. So a few threads start workers as fast as the CPUs allow,
// while a thread per worker made every start pay for a new OS thread
// too: 128 workers took twice as long to be ready as 128 bare child
// processes (see BenchmarkProcessStartupAll).
type spawner struct {
	starts chan spawnRequest
	live   int // workers started here and not yet released (spawners.mu)
}

type spawnRequest struct {
	cmd  *exec.Cmd
	done chan error
}

// maxSpawners is how many spawner threads may exist at once. Why four per
// CPU: a start waits, its thread idle, while the kernel loads the new
// program, so one spawner per CPU left the CPUs short of work; 1,024
// workers were all ready 1.6x later than 1,024 bare child processes with
// one per CPU, 1.2x with four (on 2 CPUs).
var maxSpawners = max(runtime.NumCPU()*4, 1)

// spawners are the spawner threads that exist. Each ends when its last
// worker is released, so a program whose executors are all closed keeps
// no thread or goroutine of ours.
var spawners struct {
	mu  sync.Mutex
	all []*spawner
}

// startOnSpawner starts cmd from a spawner thread, which stays until
// release is called; call it once the process has been waited for.
func startOnSpawner(cmd *exec.Cmd) (release func(), err error) {
	s := takeSpawner()
	req := spawnRequest{cmd: cmd, done: make(chan error, 1)}
	s.starts <- req
	if err := <-req.done; err != nil {
		s.release()
		return nil, err
	}
	return sync.OnceFunc(s.release), nil
}

// takeSpawner counts one more worker on a new spawner while there are
// fewer than maxSpawners (a listed spawner always has a live worker),
// else on the least loaded one.
func takeSpawner() *spawner {
	spawners.mu.Lock()
	defer spawners.mu.Unlock()
	var s *spawner
	if len(spawners.all) < maxSpawners {
		s = &spawner{starts: make(chan spawnRequest)}
		spawners.all = append(spawners.all, s)
		go s.serve()
	} else {
		s = slices.MinFunc(spawners.all, func(a, b *spawner) int { return cmp.Compare(a.live, b.live) })
	}
	s.live++
	return s
}

// release counts one worker of s less; the last one ends s's thread.
func (s *spawner) release() {
	spawners.mu.Lock()
	defer spawners.mu.Unlock()
	if s.live--; s.live == 0 {
		// Why under the lock: takeSpawner can no longer pick s, so no
		// start can be sent after the close.
		for i, t := range spawners.all {
			if t == s {
				spawners.all = append(spawners.all[:i], spawners.all[i+1:]...)
				break
			}
		}
		close(s.starts)
	}
}

func (s *spawner) serve() {
	runtime.LockOSThread()
	// Never unlocked: when serve returns its thread exits, which is safe
	// only now that every worker it started has been reaped.
	for req := range s.starts {
		req.done <- req.cmd.Start()
	}
}

// countSpawners reports how many spawner threads exist (for tests).
func countSpawners() int {
	spawners.mu.Lock()
	defer spawners.mu.Unlock()
	return len(spawners.all)
}

// startAll starts the pool's first workers, all at once: their start-ups
// overlap, so n workers are ready in about the time of n/CPUs start-ups.
// If any fails, it kills the others and returns the first error.
func (pp *processPool) startAll(n int) ([]*workerProc, error) {
	procs := make([]*workerProc, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { procs[i], errs[i] = pp.start(i) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			for _, p := range procs {
				if p != nil {
					p.kill()
					p.reap()
				}
			}
			return nil, err
		}
	}
	return procs, nil
}
