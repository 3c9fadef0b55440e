package parkit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

func TestBusyComputesTheSum(t *testing.T) {
	for _, n := range []int64{0, 1, 2, 10, 1<<20 + 3, 5_000_000} {
		got, err := parkit.BusyTask.Call(context.Background(), n)
		if err != nil || got != parkit.BusySum(n) {
			t.Errorf("busy(%d) = %d, %v; want %d", n, got, err, parkit.BusySum(n))
		}
	}
}

func TestBusyStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := parkit.BusyTask.Call(ctx, 1<<40); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestIdleSleepsAndStopsWhenCancelled(t *testing.T) {
	start := time.Now()
	if d, err := parkit.IdleTask.Call(context.Background(), 20*time.Millisecond); err != nil || d != 20*time.Millisecond {
		t.Fatalf("idle: %v, %v", d, err)
	}
	if took := time.Since(start); took < 20*time.Millisecond {
		t.Errorf("idle(20ms) returned after %v", took)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := parkit.IdleTask.Call(ctx, time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
}

func TestMemoryTouchesEveryPage(t *testing.T) {
	for _, tc := range []struct{ size, pages int }{{0, 0}, {1, 1}, {4096, 1}, {4097, 2}, {1 << 20, 256}} {
		if got, err := parkit.MemoryTask.Call(context.Background(), tc.size); err != nil || got != tc.pages {
			t.Errorf("memory(%d) = %d, %v; want %d pages", tc.size, got, err, tc.pages)
		}
	}
	if _, err := parkit.MemoryTask.Call(context.Background(), -1); err == nil {
		t.Error("memory(-1) succeeded")
	}
}

func TestCalibrateBusyScalesWithDuration(t *testing.T) {
	short, long := parkit.CalibrateBusy(time.Millisecond), parkit.CalibrateBusy(100*time.Millisecond)
	if short < 1 || long < 50*short || long > 200*short {
		t.Fatalf("CalibrateBusy: 1ms -> %d steps, 100ms -> %d steps: not about 100x", short, long)
	}
}

func TestQuickMode(t *testing.T) {
	t.Setenv("PARKIT_QUICK", "1")
	if !parkit.Quick() || parkit.ByMode(1, 2) != 2 {
		t.Error("PARKIT_QUICK=1 does not select quick mode")
	}
	t.Setenv("PARKIT_QUICK", "")
	if parkit.Quick() || parkit.ByMode(1, 2) != 1 {
		t.Error("quick mode without PARKIT_QUICK=1")
	}
}

func TestNewTaskRejectsProgrammerErrors(t *testing.T) {
	fn := func(context.Context, int) (int, error) { return 0, nil }
	for name, register := range map[string]func(){
		"empty name":     func() { parkit.NewTask("", fn) },
		"nil function":   func() { parkit.NewTask[int, int]("parkit_test.nil", nil) },
		"duplicate name": func() { parkit.NewTask("parkit.busy", fn) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("NewTask with %s did not panic", name)
				}
			}()
			register()
		})
	}
}
