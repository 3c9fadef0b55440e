package lesson

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// CreationCost measures how long it takes, on average over n, to create a
// goroutine, an OS thread or a process and see it end: for goroutines and
// threads, n of them are started, wait until all exist, and end together;
// processes are started one at a time, each the one worker of a
// parkit.Processes executor (this program, started again), which runs one
// empty task and exits. Goroutines are measured after a first, uncounted
// round. Expect well under a microsecond per goroutine, tens of
// microseconds per thread and milliseconds per process.
func CreationCost(kind parkit.Kind, n int) (time.Duration, error) {
	if n <= 0 {
		return 0, fmt.Errorf("lesson.CreationCost: n is %d, want at least 1", n)
	}
	if kind == parkit.Goroutines {
		// Warm up: the first goroutines also pay for fresh stack memory
		// from the OS, a one-time cost a running program has already paid.
		holdMany(kind, n)()
	}
	start := time.Now()
	switch kind {
	case parkit.Goroutines, parkit.Threads:
		release := holdMany(kind, n)
		release()
	case parkit.Processes:
		for range n {
			err := inWorkers(1, func(ex *parkit.Executor) error {
				return parkit.Submit(ex, emptyTask, 0).Err()
			})
			if err != nil {
				return 0, fmt.Errorf("lesson.CreationCost: worker process: %w", err)
			}
		}
	default:
		return 0, fmt.Errorf("lesson.CreationCost: unknown kind %q", kind)
	}
	return time.Since(start) / time.Duration(n), nil
}

// holdMany starts n goroutines (each locked to a new OS thread for Threads)
// and returns once all are running; they stay blocked until release is
// called, which waits for them to end. A goroutine that ends while locked
// takes its thread with it, so the threads end too.
func holdMany(kind parkit.Kind, n int) (release func()) {
	var started, ended sync.WaitGroup
	gate := make(chan struct{})
	started.Add(n)
	ended.Add(n)
	for range n {
		go func() {
			defer ended.Done()
			if kind == parkit.Threads {
				runtime.LockOSThread() // never unlocked: the thread exits with the goroutine
			}
			started.Done()
			<-gate
		}()
	}
	started.Wait()
	return func() { close(gate); ended.Wait() }
}

// MemoryCost measures the memory one idle goroutine, OS thread or process
// takes, in bytes, averaged over n of them. Goroutines and threads are
// measured in a fresh process (a worker process of a parkit.Processes
// executor: this program, started again), so memory freed earlier by this
// one does not hide the cost: the growth of its resident memory (RSS)
// while n of them wait. Processes are measured by the proportional set
// size (PSS: private pages plus a share of the shared ones) of n idle
// worker processes. Linux only; it takes about a second for 10,000
// goroutines. Expect a few KiB per goroutine, some tens of KiB per thread
// (plus kernel memory that RSS does not show) and megabytes per Go
// process.
func MemoryCost(kind parkit.Kind, n int) (int64, error) {
	if n <= 0 {
		return 0, fmt.Errorf("lesson.MemoryCost: n is %d, want at least 1", n)
	}
	var size int64
	var err error
	switch kind {
	case parkit.Goroutines, parkit.Threads:
		err = inWorkers(1, func(ex *parkit.Executor) (err error) {
			size, err = parkit.Submit(ex, memoryTask, memoryIn{Kind: string(kind), N: n}).Result()
			return err
		})
	case parkit.Processes:
		err = inWorkers(n, func(ex *parkit.Executor) (err error) {
			size, err = processesMemory(ex, n)
			return err
		})
	default:
		return 0, fmt.Errorf("lesson.MemoryCost: unknown kind %q", kind)
	}
	if err != nil {
		return 0, fmt.Errorf("lesson.MemoryCost: %w", err)
	}
	return size, nil
}

// processesMemory is the average PSS of ex's n worker processes, each
// waiting in pipeTask (so each task is in a worker of its own), or its
// RSS where the kernel does not tell the PSS.
func processesMemory(ex *parkit.Executor, n int) (int64, error) {
	l, err := newLink()
	if err != nil {
		return 0, err
	}
	defer l.close()
	futures := make([]*parkit.Future[int64], n)
	for i := range futures {
		futures[i] = l.start(ex, "wait")
	}
	var total int64
	line := make([]byte, 8)
	for range n {
		if _, err := io.ReadFull(l.resp, line); err != nil { // a pid: that worker is ready
			return 0, fmt.Errorf("a worker process did not start its task: %w", errors.Join(err, firstErr(futures)))
		}
		pid := strings.TrimSpace(string(line))
		size, err := memField(pid, "smaps_rollup", "Pss:")
		if err != nil {
			if size, err = memField(pid, "status", "VmRSS:"); err != nil {
				return 0, err
			}
		}
		total += size
	}
	l.closeRequests()
	return total / int64(n), firstErr(futures)
}

// firstErr waits for every future and returns the first error.
func firstErr[T any](futures []*parkit.Future[T]) error {
	var first error
	for _, f := range futures {
		if err := f.Err(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// memoryInChild is a worker's side of MemoryCost: the RSS growth per
// goroutine or thread while n wait.
func memoryInChild(kind parkit.Kind, n int) (int64, error) {
	runtime.GC()
	before, err := memField("self", "status", "VmRSS:")
	if err != nil {
		return 0, err
	}
	release := holdMany(kind, n)
	after, err := memField("self", "status", "VmRSS:")
	release()
	if err != nil {
		return 0, err
	}
	return (after - before) / int64(n), nil
}

// memField reads a "Name:   123 kB" line of /proc/<pid>/<file>, in bytes.
func memField(pid, file, name string) (int64, error) {
	data, err := os.ReadFile("/proc/" + pid + "/" + file)
	if err != nil {
		return 0, fmt.Errorf("lesson: memory figures need Linux's /proc: %w", err)
	}
	for line := range strings.Lines(string(data)) {
		if value, ok := strings.CutPrefix(line, name); ok {
			var kb int64
			if _, err := fmt.Sscan(value, &kb); err != nil {
				return 0, fmt.Errorf("lesson: /proc/%s/%s: %q: %w", pid, file, line, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("lesson: no %q in /proc/%s/%s", name, pid, file)
}
