package parkit_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// Tasks for the tests of futures and Map on every kind of executor.
var (
	// hold blocks until the test closes held, ignoring its context. In a
	// worker process nothing closes it: the task runs until its worker
	// is killed.
	holdTask = parkit.NewTask("test.hold", func(ctx context.Context, n int) (int, error) {
		h := held()
		if h == nil { // in a worker process
			time.Sleep(time.Hour)
			return n, nil
		}
		h.started.Add(1)
		<-h.release
		return n, nil
	})
	// failFirst fails input 0 and holds the others.
	failFirstTask = parkit.NewTask("test.failfirst", func(ctx context.Context, n int) (int, error) {
		if n == 0 {
			return 0, errors.New("input zero fails")
		}
		return holdTask.Call(ctx, n)
	})
	// awaitCancel returns when its context ends; 1 and up count starts.
	awaitCancelTask = parkit.NewTask("test.awaitcancel", func(ctx context.Context, n int) (int, error) {
		if n == 0 {
			// A slow reaction to cancellation, run by whoever cancels
			// (the context package's AfterFunc hook): the canceller is
			// busy while this task returns and frees its worker.
			if a, ok := ctx.(interface{ AfterFunc(func()) func() bool }); ok {
				a.AfterFunc(func() { time.Sleep(20 * time.Millisecond) })
			}
			<-ctx.Done()
			return 0, ctx.Err()
		}
		held().started.Add(1)
		return n, nil
	})
	goexitTask = parkit.NewTask("test.goexit", func(ctx context.Context, n int) (int, error) {
		runtime.Goexit()
		return n, nil
	})
	badDecodeTask = parkit.NewTask("test.baddecode", func(ctx context.Context, how string) (badDecode, error) {
		return badDecode{How: how}, nil
	})
)

// badDecode panics or calls runtime.Goexit when decoded in the parent.
type badDecode struct{ How string }

func (b badDecode) GobEncode() ([]byte, error) { return []byte(b.How), nil }

func (b *badDecode) GobDecode(data []byte) error {
	if string(data) == "goexit" {
		runtime.Goexit()
	}
	panic("decoding " + string(data))
}

// holdState is what holdTask waits for, made new by each test.
type holdState struct {
	release chan struct{}
	started atomic.Int32
}

var heldNow atomic.Pointer[holdState]

func held() *holdState { return heldNow.Load() }

// hold makes holdTask block until the test ends (or release is called).
func hold(t *testing.T) (release func()) {
	h := &holdState{release: make(chan struct{})}
	heldNow.Store(h)
	release = sync.OnceFunc(func() { close(h.release) })
	t.Cleanup(release)
	return release
}

// newKind starts an executor of any kind that is closed, and checked for
// leftovers, at the end of the test.
func newKind(t *testing.T, kind parkit.Kind, workers int) *parkit.Executor {
	t.Helper()
	if kind == parkit.Processes {
		return newProcesses(t, workers)
	}
	return newExecutor(t, kind, workers)
}

// TestWaitOnADoneFuture: a done future gives its result to Wait even when
// Wait's context has ended too (select would pick either at random).
func TestWaitOnADoneFuture(t *testing.T) {
	for _, kind := range parkit.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			ex := newKind(t, kind, 1)
			f := parkit.Submit(ex, squareTask, 3)
			f.Result()
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			for range 200 {
				if v, err := f.Wait(ctx); v != 9 || err != nil {
					t.Fatalf("Wait with an ended context on a done future: %d, %v; want 9, nil", v, err)
				}
			}
		})
	}
}

// TestCompletedYieldsEachFutureOnce: a future passed twice is yielded once.
func TestCompletedYieldsEachFutureOnce(t *testing.T) {
	for _, kind := range parkit.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			ex := newKind(t, kind, 2)
			f, g := parkit.Submit(ex, squareTask, 2), parkit.Submit(ex, squareTask, 3)
			seen := map[*parkit.Future[int]]int{}
			for h := range parkit.Completed(f, f, g, f, g) {
				seen[h]++
			}
			if len(seen) != 2 || seen[f] != 1 || seen[g] != 1 {
				t.Errorf("Completed(f, f, g, f, g) yielded f %d times and g %d times, want once each", seen[f], seen[g])
			}
		})
	}
}

// TestMapGivesUpWithoutWaiting: Map returns at its deadline, or with the
// first failing input, while inputs that ignore their context still run.
func TestMapGivesUpWithoutWaiting(t *testing.T) {
	for _, kind := range parkit.Kinds {
		for _, tc := range []struct {
			name    string
			task    *parkit.Task[int, int]
			timeout time.Duration
			want    func(error) bool
		}{
			{"deadline", holdTask, 100 * time.Millisecond, func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }},
			{"failing input", failFirstTask, time.Minute, func(err error) bool {
				return err != nil && strings.Contains(err.Error(), "input 0: input zero fails")
			}},
		} {
			t.Run(string(kind)+"/"+tc.name, func(t *testing.T) {
				ex := newKind(t, kind, 2)
				release := hold(t)
				// If Map waits for the held inputs, they are let go after
				// a while, so the test fails instead of hanging.
				var released atomic.Bool
				timer := time.AfterFunc(20*time.Second, func() { released.Store(true); release() })
				defer timer.Stop()
				ctx, cancel := context.WithTimeout(context.Background(), tc.timeout)
				defer cancel()
				start := time.Now()
				_, err := parkit.Map(ctx, ex, tc.task, []int{0, 1, 2, 3})
				took := time.Since(start)
				if !tc.want(err) {
					t.Errorf("Map: %v", err)
				}
				if released.Load() {
					t.Errorf("Map returned only after its held inputs were let go (%v)", took)
				}
				t.Logf("Map returned in %v", took.Round(time.Millisecond))
				release() // Close waits for the in-process ones
			})
		}
	}
}

// TestMapStartsNoInputAfterGivingUp: when Map gives up, queued inputs
// are cancelled before running ones free their workers to take them.
func TestMapStartsNoInputAfterGivingUp(t *testing.T) {
	for _, kind := range inProcess {
		t.Run(string(kind), func(t *testing.T) {
			for range 3 {
				ex := newKind(t, kind, 1)
				hold(t)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
				_, err := parkit.Map(ctx, ex, awaitCancelTask, []int{0, 1, 2, 3})
				cancel()
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("Map: %v, want DeadlineExceeded", err)
				}
				ex.Close()
				if n := held().started.Load(); n > 0 {
					t.Fatalf("%d queued inputs started after Map gave up", n)
				}
			}
		})
	}
}

// TestGoexitFailsOnlyItsTask: a task that calls runtime.Goexit fails with
// ErrGoexit; the worker is replaced or kept, and the next task runs.
func TestGoexitFailsOnlyItsTask(t *testing.T) {
	for _, kind := range parkit.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			ex := newKind(t, kind, 1)
			// Bounded waits: the test fails rather than hangs.
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			for i := range 3 {
				if _, err := parkit.Submit(ex, goexitTask, i).Wait(ctx); !errors.Is(err, parkit.ErrGoexit) {
					t.Fatalf("Goexit task %d: %v, want ErrGoexit", i, err)
				}
				if v, err := parkit.Submit(ex, squareTask, i).Wait(ctx); v != i*i || err != nil {
					t.Fatalf("the task after Goexit %d: %d, %v", i, v, err)
				}
			}
			done := make(chan struct{})
			go func() { ex.Close(); close(done) }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("Close blocked after a task called runtime.Goexit")
			}
		})
	}
}

// TestProcessResultDecodingFails: a result whose decoding panics or calls
// runtime.Goexit in this process fails its task, not the program.
func TestProcessResultDecodingFails(t *testing.T) {
	for _, tc := range []struct{ how, want string }{
		{"panic", "decoding its result: parkit: task panicked: decoding panic"},
		{"goexit", parkit.ErrGoexit.Error()},
	} {
		t.Run(tc.how, func(t *testing.T) {
			ex := newProcesses(t, 1)
			_, err := parkit.Submit(ex, badDecodeTask, tc.how).Result()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error saying %q", err, tc.want)
			}
			if v, err := parkit.Submit(ex, squareTask, 5).Result(); v != 25 || err != nil {
				t.Errorf("the next task: %d, %v", v, err)
			}
		})
	}
}
