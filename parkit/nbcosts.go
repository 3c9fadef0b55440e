package parkit

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// CreationCost measures how long it takes, on average over n, to create a
// goroutine, an OS thread or a process and see it end: for goroutines and
// threads, n of them are started, wait until all exist, and end together;
// processes (this program, re-executed, exiting at once) are started and
// waited for one at a time. Goroutines are measured after a first,
// uncounted round. Expect well under a microsecond per goroutine,
// tens of microseconds per thread and milliseconds per process.
func CreationCost(kind Kind, n int) (time.Duration, error) {
	if n <= 0 {
		return 0, fmt.Errorf("parkit.CreationCost: n is %d, want at least 1", n)
	}
	if kind == Goroutines {
		// Warm up: the first goroutines also pay for fresh stack memory
		// from the OS, a one-time cost a running program has already paid.
		holdMany(kind, n)()
	}
	start := time.Now()
	switch kind {
	case Goroutines, Threads:
		release := holdMany(kind, n)
		release()
	case Processes:
		for range n {
			cmd, err := childCommand("exit")
			if err != nil {
				return 0, err
			}
			if err := cmd.Run(); err != nil {
				return 0, fmt.Errorf("parkit.CreationCost: child process: %w", err)
			}
		}
	default:
		return 0, fmt.Errorf("parkit.CreationCost: unknown kind %q", kind)
	}
	return time.Since(start) / time.Duration(n), nil
}

// holdMany starts n goroutines (each locked to a new OS thread for Threads)
// and returns once all are running; they stay blocked until release is
// called, which waits for them to end. A goroutine that ends while locked
// takes its thread with it, so the threads end too.
func holdMany(kind Kind, n int) (release func()) {
	var started, ended sync.WaitGroup
	gate := make(chan struct{})
	started.Add(n)
	ended.Add(n)
	for range n {
		go func() {
			defer ended.Done()
			if kind == Threads {
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
// measured in a fresh child process (this program, re-executed), so memory
// freed earlier by this one does not hide the cost: the growth of its
// resident memory (RSS) while n of them wait. Processes are measured by
// the proportional set size (PSS: private pages plus a share of the shared
// ones) of n waiting children. Linux only; it takes about a second for
// 10,000 goroutines. Expect a few KiB per goroutine, some tens of KiB per
// thread (plus kernel memory that RSS does not show) and megabytes per Go
// process.
func MemoryCost(kind Kind, n int) (int64, error) {
	if n <= 0 {
		return 0, fmt.Errorf("parkit.MemoryCost: n is %d, want at least 1", n)
	}
	switch kind {
	case Goroutines, Threads:
		c, err := startChild(fmt.Sprintf("memory %s %d", kind, n))
		if err != nil {
			return 0, err
		}
		line, readErr := c.out.ReadString('\n')
		if err := c.stop(); err != nil {
			return 0, err
		}
		size, err := strconv.ParseInt(strings.TrimSpace(line), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parkit.MemoryCost: the child said %q (%v)", line, readErr)
		}
		return size, nil
	case Processes:
		var children []*child
		defer func() {
			for _, c := range children {
				c.stop()
			}
		}()
		var total int64
		for range n {
			c, err := startChild("wait")
			if err != nil {
				return 0, err
			}
			children = append(children, c)
			if _, err := c.out.ReadString('\n'); err != nil { // "ready": fully started
				return 0, fmt.Errorf("parkit.MemoryCost: child did not start: %w", err)
			}
		}
		for _, c := range children {
			pid := fmt.Sprint(c.cmd.Process.Pid)
			size, err := memField(pid, "smaps_rollup", "Pss:")
			if err != nil {
				if size, err = memField(pid, "status", "VmRSS:"); err != nil {
					return 0, err
				}
			}
			total += size
		}
		return total / int64(n), nil
	}
	return 0, fmt.Errorf("parkit.MemoryCost: unknown kind %q", kind)
}

// memoryInChild is a measurement child's side of MemoryCost: the RSS growth
// per goroutine or thread while n wait, or -1.
func memoryInChild(kind Kind, n int) int64 {
	runtime.GC()
	before, err := memField("self", "status", "VmRSS:")
	if err != nil || n <= 0 {
		return -1
	}
	release := holdMany(kind, n)
	after, err := memField("self", "status", "VmRSS:")
	release()
	if err != nil {
		return -1
	}
	return (after - before) / int64(n)
}

// memField reads a "Name:   123 kB" line of /proc/<pid>/<file>, in bytes.
func memField(pid, file, name string) (int64, error) {
	data, err := os.ReadFile("/proc/" + pid + "/" + file)
	if err != nil {
		return 0, fmt.Errorf("parkit: memory figures need Linux's /proc: %w", err)
	}
	for line := range strings.Lines(string(data)) {
		if value, ok := strings.CutPrefix(line, name); ok {
			var kb int64
			if _, err := fmt.Sscan(value, &kb); err != nil {
				return 0, fmt.Errorf("parkit: /proc/%s/%s: %q: %w", pid, file, line, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("parkit: no %q in /proc/%s/%s", name, pid, file)
}
