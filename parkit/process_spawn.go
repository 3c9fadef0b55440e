package parkit

import (
	"os/exec"
	"runtime"
	"sync"
)

// startOnOwnThread starts cmd from a new goroutine locked to a new OS
// thread, which stays until release is called; call it once the process
// has been waited for.
//
// Why a thread per worker: Linux's parent-death signal (Pdeathsig, see
// sysProcAttr) fires when the thread that started the child exits, not
// the process. Go may end a thread when a goroutine locked to it returns
// (the Threads executor's threads do), so a worker started from an
// arbitrary goroutine could be killed at random. One thread for all
// workers would start them one after another; a thread each lets them
// start in parallel, at the cost of an idle OS thread (tens of KiB) per
// worker process.
func startOnOwnThread(cmd *exec.Cmd) (release func(), err error) {
	started := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		// Never unlocked: when this goroutine returns its thread exits,
		// and the worker, if still alive, gets its parent-death signal.
		started <- cmd.Start()
		<-done
	}()
	if err := <-started; err != nil {
		close(done)
		return nil, err
	}
	return sync.OnceFunc(func() { close(done) }), nil
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
