package parkit_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

var inProcess = []parkit.Kind{parkit.Goroutines, parkit.Threads}

func newExecutor(t *testing.T, kind parkit.Kind, workers int, opts ...parkit.Option) *parkit.Executor {
	t.Helper()
	ex, err := parkit.New(kind, workers, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ex.Close() })
	return ex
}

func TestNewRejectsBadInput(t *testing.T) {
	for _, tc := range []struct {
		name    string
		kind    parkit.Kind
		workers int
		opts    []parkit.Option
		want    string
	}{
		{"negative workers", parkit.Goroutines, -1, nil, "must be positive"},
		{"too many workers", parkit.Threads, parkit.DefaultMaxWorkers + 1, nil, "MaxWorkers"},
		{"over a lowered limit", parkit.Goroutines, 3, []parkit.Option{parkit.MaxWorkers(2)}, "limit of 2"},
		{"unknown kind", parkit.Kind("fibers"), 2, nil, `unknown executor kind "fibers"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := parkit.New(tc.kind, tc.workers, tc.opts...)
			if err == nil {
				ex.Close()
				t.Fatalf("New(%q, %d) succeeded, want an error", tc.kind, tc.workers)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestZeroWorkersMeansGOMAXPROCS(t *testing.T) {
	ex := newExecutor(t, parkit.Goroutines, 0)
	if got, want := ex.Workers(), runtime.GOMAXPROCS(0); got != want {
		t.Errorf("Workers() = %d, want GOMAXPROCS %d", got, want)
	}
}

func TestSubmitReturnsResults(t *testing.T) {
	square := parkit.Func(func(_ context.Context, n int) (int, error) { return n * n, nil })
	for _, kind := range inProcess {
		t.Run(string(kind), func(t *testing.T) {
			ex := newExecutor(t, kind, 3)
			var futures []*parkit.Future[int]
			for i := range 20 {
				futures = append(futures, parkit.Submit(ex, square, i))
			}
			for i, f := range futures {
				got, err := f.Wait(context.Background())
				if err != nil || got != i*i {
					t.Errorf("task %d: got %d, %v; want %d", i, got, err, i*i)
				}
				if s := f.Span(); s.Worker < 0 || s.Worker >= 3 || s.End < s.Start || s.PID != os.Getpid() {
					t.Errorf("task %d: implausible span %+v", i, s)
				}
			}
		})
	}
}

func TestThreadWorkersKeepTheirThread(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("thread ids are read on Linux only")
	}
	ex := newExecutor(t, parkit.Threads, 3)
	var futures []*parkit.Future[struct{}]
	for range 30 {
		futures = append(futures, parkit.Go(ex, func(context.Context) (struct{}, error) {
			runtime.Gosched() // a chance to move, if the worker were not locked
			return struct{}{}, nil
		}))
	}
	threadOf := map[int]int{} // worker -> tid
	workerOf := map[int]int{} // tid -> worker
	for _, f := range futures {
		f.Result()
		s := f.Span()
		if tid, seen := threadOf[s.Worker]; seen && tid != s.TID {
			t.Errorf("worker %d ran on threads %d and %d", s.Worker, tid, s.TID)
		}
		if w, seen := workerOf[s.TID]; seen && w != s.Worker {
			t.Errorf("thread %d served workers %d and %d", s.TID, w, s.Worker)
		}
		threadOf[s.Worker], workerOf[s.TID] = s.TID, s.Worker
	}
}

func TestPanicBecomesErrorWithStack(t *testing.T) {
	for _, kind := range inProcess {
		t.Run(string(kind), func(t *testing.T) {
			ex := newExecutor(t, kind, 2)
			f := parkit.Go(ex, func(context.Context) (int, error) { panic("boom") })
			ok := parkit.Go(ex, func(context.Context) (int, error) { return 7, nil })
			err := f.Err()
			var pe *parkit.PanicError
			if !errors.As(err, &pe) || !errors.Is(err, parkit.ErrPanicked) {
				t.Fatalf("err = %v, want a *PanicError", err)
			}
			if pe.Value != "boom" || !strings.Contains(string(pe.Stack), "executor_test.go") {
				t.Errorf("panic value %v, stack without the test file:\n%s", pe.Value, pe.Stack)
			}
			if v, err := ok.Result(); v != 7 || err != nil {
				t.Errorf("the other task: %d, %v", v, err)
			}
		})
	}
}

// TestCrashOnPanicEndsTheProgram runs the test binary again so that the
// crash it checks for ends that child, not this test.
func TestCrashOnPanicEndsTheProgram(t *testing.T) {
	if os.Getenv("PARKIT_TEST_CRASH") == "1" {
		ex, _ := parkit.New(parkit.Goroutines, 1, parkit.CrashOnPanic())
		parkit.Go(ex, func(context.Context) (int, error) { panic("crash on purpose") }).Result()
		t.Fatal("still alive after a panic with CrashOnPanic")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashOnPanicEndsTheProgram$")
	cmd.Env = append(os.Environ(), "PARKIT_TEST_CRASH=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "panic: crash on purpose") {
		t.Fatalf("want the child to die of the panic (exit 2); got %v:\n%s", err, out)
	}
}

func TestSubmitAfterCloseFails(t *testing.T) {
	ex := newExecutor(t, parkit.Goroutines, 1)
	ex.Close()
	f := parkit.Go(ex, func(context.Context) (int, error) { return 1, nil })
	if err := f.Err(); !errors.Is(err, parkit.ErrClosed) {
		t.Fatalf("err = %v, want ErrClosed", err)
	}
	if s := f.Span(); s.Worker != -1 {
		t.Errorf("a task that never ran has span %+v, want Worker -1", s)
	}
}

func TestCloseWaitsForQueuedAndRunningTasks(t *testing.T) {
	ex := newExecutor(t, parkit.Goroutines, 2)
	var ran atomic.Int32
	for range 10 {
		parkit.Go(ex, func(context.Context) (int, error) {
			time.Sleep(5 * time.Millisecond)
			ran.Add(1)
			return 0, nil
		})
	}
	ex.Close()
	if got := ran.Load(); got != 10 {
		t.Fatalf("Close returned after %d of 10 tasks", got)
	}
}

func TestCancel(t *testing.T) {
	ex := newExecutor(t, parkit.Goroutines, 1)
	started := make(chan struct{})
	blocker := parkit.Go(ex, func(ctx context.Context) (int, error) {
		close(started)
		<-ctx.Done()
		return 0, ctx.Err()
	})
	queued := parkit.Go(ex, func(context.Context) (int, error) { return 1, nil })
	<-started

	if !queued.Cancel() {
		t.Error("Cancel of a queued task returned false")
	}
	if err := queued.Err(); !errors.Is(err, parkit.ErrCancelled) {
		t.Errorf("queued task: err = %v, want ErrCancelled", err)
	}
	if blocker.Cancel() {
		t.Error("Cancel of a running task returned true")
	}
	if err := blocker.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("running task: err = %v, want context.Canceled from its context", err)
	}
}

func TestWaitGivesUpWithItsContext(t *testing.T) {
	ex := newExecutor(t, parkit.Goroutines, 1)
	release := make(chan struct{})
	f := parkit.Go(ex, func(context.Context) (int, error) { <-release; return 1, nil })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := f.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait: %v, want DeadlineExceeded", err)
	}
	close(release)
	if v, err := f.Result(); v != 1 || err != nil {
		t.Errorf("after release: %d, %v", v, err)
	}
}

func TestShutdownWithDeadline(t *testing.T) {
	ex, err := parkit.New(parkit.Threads, 1)
	if err != nil {
		t.Fatal(err)
	}
	running := parkit.Go(ex, func(ctx context.Context) (int, error) {
		<-ctx.Done() // a well-behaved long task
		return 0, ctx.Err()
	})
	queued := parkit.Go(ex, func(context.Context) (int, error) { return 1, nil })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := ex.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown: %v, want DeadlineExceeded", err)
	}
	if err := queued.Err(); !errors.Is(err, parkit.ErrClosed) {
		t.Errorf("queued task: %v, want ErrClosed", err)
	}
	if err := running.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("running task: %v, want context.Canceled", err)
	}
	ex.Close() // and Close after Shutdown is fine
}

func TestMap(t *testing.T) {
	double := parkit.Func(func(_ context.Context, n int) (int, error) { return 2 * n, nil })
	for _, kind := range inProcess {
		for _, n := range []int{0, 1, 15, 10_000} {
			ex := newExecutor(t, kind, 3)
			inputs := make([]int, n)
			for i := range inputs {
				inputs[i] = i
			}
			out, err := parkit.Map(context.Background(), ex, double, inputs)
			if err != nil || len(out) != n {
				t.Fatalf("%s Map of %d: %d results, %v", kind, n, len(out), err)
			}
			for i, v := range out {
				if v != 2*i {
					t.Fatalf("%s Map of %d: out[%d] = %d, want %d", kind, n, i, v, 2*i)
				}
			}
		}
	}
}

func TestMapStopsAtTheFirstError(t *testing.T) {
	ex := newExecutor(t, parkit.Goroutines, 2)
	bad := errors.New("bad input")
	check := parkit.Func(func(_ context.Context, n int) (int, error) {
		if n == 7 {
			return 0, bad
		}
		return n, nil
	})
	_, err := parkit.Map(context.Background(), ex, check, []int{1, 2, 3, 4, 5, 6, 7, 8, 9})
	if !errors.Is(err, bad) || !strings.Contains(err.Error(), "input 6") {
		t.Fatalf("err = %v, want the bad input error naming input 6", err)
	}
}

func TestMapHonoursItsContext(t *testing.T) {
	ex := newExecutor(t, parkit.Goroutines, 2)
	ctx, cancel := context.WithCancel(context.Background())
	slow := parkit.Func(func(ctx context.Context, n int) (int, error) {
		cancel()
		<-ctx.Done()
		return 0, ctx.Err()
	})
	if _, err := parkit.Map(ctx, ex, slow, []int{1, 2, 3}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestCompletedYieldsInCompletionOrder(t *testing.T) {
	ex := newExecutor(t, parkit.Goroutines, 3)
	gates := []chan struct{}{make(chan struct{}), make(chan struct{}), make(chan struct{})}
	var futures []*parkit.Future[int]
	for i, gate := range gates {
		futures = append(futures, parkit.Go(ex, func(context.Context) (int, error) { <-gate; return i, nil }))
	}
	var order []int
	close(gates[2])
	for f := range parkit.Completed(futures...) {
		v, _ := f.Result()
		order = append(order, v)
		if len(order) < len(gates) {
			close(gates[[]int{1, 0}[len(order)-1]])
		}
	}
	if got := order; len(got) != 3 || got[0] != 2 || got[1] != 1 || got[2] != 0 {
		t.Fatalf("completion order %v, want [2 1 0]", got)
	}
}

func TestCompletedCanStopEarly(t *testing.T) {
	ex := newExecutor(t, parkit.Goroutines, 2)
	var futures []*parkit.Future[int]
	for i := range 5 {
		futures = append(futures, parkit.Go(ex, func(context.Context) (int, error) { return i, nil }))
	}
	for range parkit.Completed(futures...) {
		break
	}
}
