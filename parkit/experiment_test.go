package parkit_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

func TestExperimentRecordsEveryTask(t *testing.T) {
	for _, kind := range inProcess {
		t.Run(string(kind), func(t *testing.T) {
			var live atomic.Int32
			tl, err := parkit.Experiment{
				Executor: kind,
				Workload: parkit.Idle(20 * time.Millisecond),
				OnSpan:   func(parkit.Span) { live.Add(1) },
			}.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if tl.Workers != 5 || tl.Tasks != 15 || len(tl.Spans) != 15 || live.Load() != 15 {
				t.Fatalf("%d workers, %d tasks, %d spans, %d live updates; want 5, 15, 15, 15",
					tl.Workers, tl.Tasks, len(tl.Spans), live.Load())
			}
			workers := map[int]bool{}
			for i, s := range tl.Spans {
				if s.Task != i || s.Err != nil || s.Duration() < 20*time.Millisecond {
					t.Errorf("span %d: %+v", i, s)
				}
				workers[s.Worker] = true
			}
			if len(workers) != 5 {
				t.Errorf("tasks ran on %d workers, want 5", len(workers))
			}
			// Idle tasks overlap on every worker: five at a time.
			if tl.MaxOverlap() != 5 {
				t.Errorf("max overlap %d, want 5", tl.MaxOverlap())
			}
			if tl.Serial < 15*20*time.Millisecond {
				t.Errorf("serial baseline %v is less than 15 x 20ms", tl.Serial)
			}
		})
	}
}

func TestExperimentRejectsBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		exp  parkit.Experiment
		want string
	}{
		{"no workload", parkit.Experiment{}, "no workload"},
		{"negative tasks", parkit.Experiment{Workload: parkit.Idle(0), Tasks: -1}, "1 to"},
		{"huge task count", parkit.Experiment{Workload: parkit.Idle(0), Tasks: parkit.MaxTasks + 1}, "1 to"},
		{"negative workers", parkit.Experiment{Workload: parkit.Idle(0), Workers: -2}, "must be positive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.exp.Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestExperimentStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := parkit.Experiment{Workload: parkit.Idle(time.Hour), SkipSerial: true}.Run(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("Run took %v to stop", took)
	}
}

func TestExperimentRecordsFailures(t *testing.T) {
	bad := parkit.Func(func(_ context.Context, n int) (int, error) {
		if n%2 == 1 {
			return 0, errors.New("odd")
		}
		return n, nil
	})
	tl, err := parkit.Experiment{Workload: parkit.NewWorkload("odd", "", bad, 1), Tasks: 3, SkipSerial: true}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tl.Err() == nil || tl.Spans[0].Err == nil {
		t.Fatalf("failures not recorded: %+v", tl.Spans)
	}
}

func TestBaselineNeedsAWorkload(t *testing.T) {
	if _, err := (parkit.Experiment{}).Baseline(context.Background()); err == nil || !strings.Contains(err.Error(), "set Workload") {
		t.Errorf("Baseline without a workload: %v, want an error that says to set Workload", err)
	}
	one, err := parkit.Experiment{Workload: parkit.Idle(20 * time.Millisecond)}.Baseline(context.Background())
	if err != nil || one < 20*time.Millisecond {
		t.Errorf("Baseline of a 20ms sleep = %v, %v; want at least 20ms", one, err)
	}
}
