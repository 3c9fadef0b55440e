package sched_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/parallelize-your-go/kit/parkit"
	"github.com/parallelize-your-go/kit/parkit/sched"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// record runs tasks of workload on 5 workers under GOMAXPROCS procs with
// a trace, and checks what holds for every run.
func record(t *testing.T, procs int, kind parkit.Kind, w parkit.Workload, tasks int) (*parkit.Timeline, *sched.Sched) {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	x := parkit.Experiment{Executor: kind, Workers: 5, Tasks: tasks, Workload: w, SkipSerial: true}
	path := filepath.Join(t.TempDir(), "run.trace")
	tl, s, err := sched.Record(context.Background(), x, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := tl.Err(); err != nil {
		t.Fatal(err)
	}
	if s.TraceFile != path {
		t.Errorf("TraceFile = %q, want %q", s.TraceFile, path)
	}
	if s.GOMAXPROCS != procs {
		t.Errorf("GOMAXPROCS = %d, want %d", s.GOMAXPROCS, procs)
	}
	if err := s.Overlap(); err != nil {
		t.Error(err)
	}
	for _, sl := range s.Slices {
		span := tl.Spans[sl.Task]
		if sl.Start < span.Start || sl.End > span.End || sl.End <= sl.Start {
			t.Errorf("task %d's slice %v..%v is not within its span %v..%v", sl.Task, sl.Start, sl.End, span.Start, span.End)
		}
		if sl.P < 0 || sl.P >= procs || sl.M < 0 {
			t.Errorf("slice %+v: P or M out of range", sl)
		}
	}
	if kind != parkit.Processes && len(s.Tasks) != tasks {
		t.Errorf("%d tasks in the trace, want %d (untraced: %v)", len(s.Tasks), tasks, s.Untraced)
	}
	return tl, s
}

// busyShare is the share of the run's makespan that the tasks' slices fill
// per P: about 1 when the Ps were busy with the tasks.
func busyShare(tl *parkit.Timeline, s *sched.Sched) float64 {
	var running time.Duration
	for _, sl := range s.Slices {
		running += sl.Duration()
	}
	return float64(running) / float64(tl.Makespan()*time.Duration(len(s.Procs())))
}

func TestOneP(t *testing.T) {
	tl, s := record(t, 1, parkit.Goroutines, parkit.BusyFor(100*time.Millisecond), 5)
	if procs := s.Procs(); !slices.Equal(procs, []int{0}) {
		t.Errorf("under GOMAXPROCS=1 the slices ran on Ps %v, want [0]", procs)
	}
	// 5 busy tasks of 100 ms on one P take turns: each is preempted
	// several times (the scheduler's time slice is 10-20 ms).
	if n := s.Count(sched.EndPreempted); n < 5 {
		t.Errorf("%d preempted slices, want at least 5:\n%s", n, s.Summary())
	}
	if med := s.MedianSlice(sched.EndPreempted); med <= 0 || med >= 100*time.Millisecond {
		t.Errorf("median preempted slice %v, want between 0 and a task's length", med)
	}
	if share := busyShare(tl, s); share < 0.5 {
		t.Errorf("the tasks' slices fill %.0f%% of P0's time, want most of it:\n%s", 100*share, s.Summary())
	}
	if g := s.Goroutines(); len(g) != 5 {
		t.Errorf("tasks ran on goroutines %v, want 5 (one per worker)", g)
	}
}

func TestTwoPs(t *testing.T) {
	_, s := record(t, 2, parkit.Goroutines, parkit.BusyFor(60*time.Millisecond), 5)
	if procs := s.Procs(); !slices.Equal(procs, []int{0, 1}) {
		t.Errorf("under GOMAXPROCS=2 the slices ran on Ps %v, want [0 1]", procs)
	}
}

func TestThreadsOwnTheirM(t *testing.T) {
	_, s := record(t, 2, parkit.Threads, parkit.BusyFor(60*time.Millisecond), 5)
	mOf := map[int]int{}
	for _, sl := range s.Slices {
		if m, ok := mOf[sl.Goroutine]; ok && m != sl.M {
			t.Fatalf("locked goroutine %d ran on Ms %d and %d", sl.Goroutine, m, sl.M)
		}
		mOf[sl.Goroutine] = sl.M
	}
	if ms, gs := s.Threads(), s.Goroutines(); len(ms) != len(gs) || len(gs) < 2 {
		t.Errorf("thread workers' goroutines %v ran on Ms %v, want one M each", gs, ms)
	}
}

func TestIdleTasksBlock(t *testing.T) {
	tl, s := record(t, 2, parkit.Goroutines, parkit.Idle(50*time.Millisecond), 5)
	for _, task := range s.Tasks {
		if task.Running > tl.Spans[task.Task].Duration()/2 {
			t.Errorf("idle task %d ran %v of its %v", task.Task, task.Running, tl.Spans[task.Task].Duration())
		}
	}
	if n := s.Count(sched.EndBlocked); n < 5 {
		t.Errorf("%d blocked slices, want one per idle task at least:\n%s", n, s.Summary())
	}
}

func TestJSON(t *testing.T) {
	_, s := record(t, 1, parkit.Goroutines, parkit.BusyFor(30*time.Millisecond), 3)
	var b bytes.Buffer
	if err := s.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	// The documented keys.
	var doc struct {
		GOMAXPROCS *int             `json:"gomaxprocs"`
		Slices     []map[string]any `json:"slices"`
		GC         []map[string]any `json:"gc"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.GOMAXPROCS == nil || len(doc.Slices) == 0 || doc.GC == nil {
		t.Fatalf("missing gomaxprocs, slices or gc in %s", b.String())
	}
	for _, k := range []string{"task", "goroutine", "p", "m", "start_ns", "end_ns", "end"} {
		if _, ok := doc.Slices[0][k]; !ok {
			t.Errorf("a slice has no %q: %v", k, doc.Slices[0])
		}
	}
	back, err := sched.ReadJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Slices, s.Slices) || back.GOMAXPROCS != s.GOMAXPROCS {
		t.Error("the JSON does not read back to the same Sched")
	}
}

func TestDeriveErrors(t *testing.T) {
	tl, s := record(t, 1, parkit.Goroutines, parkit.BusyFor(20*time.Millisecond), 2)
	other := *tl
	other.Spans = slices.Clone(tl.Spans)
	other.Spans[1].Start += time.Second
	other.Spans[1].End += time.Second
	fewer := *tl
	fewer.Spans = tl.Spans[:1]
	for _, tc := range []struct {
		name, file string
		tl         *parkit.Timeline
		want       string
	}{
		{"another run's timeline", s.TraceFile, &other, "pass the timeline recorded with this trace"},
		{"fewer tasks", s.TraceFile, &fewer, "only 1 tasks"},
		{"not a trace", writeFile(t, "hello"), nil, "not a Go execution trace"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sched.DeriveFile(tc.file, tc.tl)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one that says %q", err, tc.want)
			}
		})
	}
}

func TestOnlyOneTrace(t *testing.T) {
	ex, err := parkit.New(parkit.Goroutines, 1, parkit.TraceTo(&bytes.Buffer{}))
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	_, err = parkit.New(parkit.Goroutines, 1, parkit.TraceTo(&bytes.Buffer{}))
	if err == nil || !strings.Contains(err.Error(), "only one execution trace") {
		t.Errorf("a second TraceTo: err = %v, want one that explains", err)
	}
}

func writeFile(t *testing.T, content string) string {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Worker processes have their own runtimes: their tasks are listed as
// untraced, not drawn.
func TestProcessesUntraced(t *testing.T) {
	_, s := record(t, 2, parkit.Processes, parkit.BusyFor(10*time.Millisecond), 3)
	if len(s.Slices) != 0 || !slices.Equal(s.Untraced, []int{0, 1, 2}) {
		t.Errorf("process tasks: %d slices, untraced %v; want none and [0 1 2]", len(s.Slices), s.Untraced)
	}
}
