package parkit

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"
)

// The built-in tasks behind the workloads. They are registered, so every
// executor kind, worker processes included, can run them.
var (
	// IdleTask sleeps for the given duration (or until its context ends)
	// and returns it. It costs no CPU: a sleeping goroutine is parked, and
	// a sleeping thread or process waits in the kernel.
	IdleTask = NewTask("parkit.idle", idle)
	// BusyTask adds up 0..n-1 in a CPU loop and returns the sum,
	// n*(n-1)/2 (check it with BusySum). It costs about n CPU cycles and
	// keeps one core fully busy; it checks its context every 2^20 steps.
	BusyTask = NewTask("parkit.busy", busy)
	// MemoryTask allocates a buffer of the given size in bytes, writes one
	// byte in every 4 KiB page so the OS must really provide the memory,
	// and returns the number of pages touched. It costs one page fault per
	// page (about 0.1-0.3 ms per MiB) and the buffer's size in RSS until
	// the garbage collector frees it.
	MemoryTask = NewTask("parkit.memory", memory)
)

func idle(ctx context.Context, d time.Duration) (time.Duration, error) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return d, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func busy(ctx context.Context, n int64) (int64, error) {
	const step = 1 << 20
	var sum int64
	for lo := int64(0); lo < n; lo += step {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		for i := lo; i < min(lo+step, n); i++ {
			sum += i
		}
	}
	return sum, nil
}

// BusySum is BusyTask's expected result for n: 0+1+...+(n-1).
func BusySum(n int64) int64 {
	if n <= 0 {
		return 0
	}
	return n * (n - 1) / 2
}

func memory(ctx context.Context, size int) (int, error) {
	const page = 4096
	if size < 0 {
		return 0, fmt.Errorf("parkit.memory: size %d is negative", size)
	}
	buf := make([]byte, size)
	pages := 0
	for i := 0; i < len(buf); i += page {
		buf[i] = 1
		pages++
	}
	return pages, ctx.Err()
}

// A Workload is one task with its input: what an experiment runs Tasks
// times. Make one with Idle, Busy, BusyFor, Memory or NewWorkload.
type Workload struct {
	Name   string // short, for titles: "idle", "busy"
	Detail string // what one task does: "sleep 2s"

	submit   func(ex *Executor) pending
	serial   func(ctx context.Context) error // one task in the caller
	cpuBound bool                            // only computes: its serial baseline is CPU time
}

// pending is a *Future[T] seen without its type.
type pending interface {
	Done() <-chan struct{}
	Err() error
	Span() Span
	Cancel() bool
	whenDone(func())
}

// String returns the name and detail, e.g. "idle (sleep 2s)".
func (w Workload) String() string {
	if w.Detail == "" {
		return w.Name
	}
	return w.Name + " (" + w.Detail + ")"
}

// NewWorkload makes a workload that runs t(in). Use a registered task
// (NewTask) if it should run on process executors too.
func NewWorkload[In, Out any](name, detail string, t *Task[In, Out], in In) Workload {
	return Workload{
		Name:   name,
		Detail: detail,
		submit: func(ex *Executor) pending { return Submit(ex, t, in) },
		serial: func(ctx context.Context) error { _, err := t.Call(ctx, in); return err },
	}
}

// Idle is the article's idle task: sleep for d (the article used 2 s).
func Idle(d time.Duration) Workload {
	return NewWorkload("idle", "sleep "+d.String(), IdleTask, d)
}

// Busy is the article's busy task: a CPU loop of n steps.
func Busy(n int64) Workload {
	w := NewWorkload("busy", fmt.Sprintf("sum of %d numbers", n), BusyTask, n)
	w.cpuBound = true
	return w
}

// BusyFor is a busy task sized to take about d on one free core of this
// machine (see CalibrateBusy), so cells finish in seconds anywhere. Its
// detail names the step count, the same in every program on this machine:
// "CPU loop of about 1s, 1.61G steps".
func BusyFor(d time.Duration) Workload {
	n := CalibrateBusy(d)
	w := Busy(n)
	w.Detail = fmt.Sprintf("CPU loop of about %v, %s steps", d, shortCount(n))
	return w
}

// shortCount writes n with three significant digits and a k, M or G
// suffix: 1.61G.
func shortCount(n int64) string {
	v, suffix := float64(n), ""
	for _, s := range []string{"k", "M", "G", "T"} {
		if v < 999.5 { // 999.5 would print as 1e+03
			break
		}
		v, suffix = v/1000, s
	}
	return strconv.FormatFloat(v, 'g', 3, 64) + suffix
}

// Memory allocates and touches size bytes per task.
func Memory(size int) Workload {
	return NewWorkload("memory", fmt.Sprintf("touch %d MiB", size>>20), MemoryTask, size)
}

// Quick reports whether quick mode is on: PARKIT_QUICK=1 in the
// environment. Notebooks and examples then keep the article's shapes with
// shorter durations, so everything runs in seconds (CI sets it).
func Quick() bool { return os.Getenv("PARKIT_QUICK") == "1" }

// ByMode returns normal, or quick in quick mode.
func ByMode[T any](normal, quick T) T {
	if Quick() {
		return quick
	}
	return normal
}

// ArticleIdle is the article's idle workload: sleep 2 s (0.2 s in quick mode).
func ArticleIdle() Workload { return Idle(ByMode(2*time.Second, 200*time.Millisecond)) }

// ArticleBusy is the busy workload the notebooks use: a CPU loop of about
// 1 s on this machine (0.1 s in quick mode).
func ArticleBusy() Workload { return BusyFor(ByMode(time.Second, 100*time.Millisecond)) }

// ArticleMemory allocates and touches 64 MiB per task (16 MiB in quick mode).
func ArticleMemory() Workload { return Memory(ByMode(64<<20, 16<<20)) }
