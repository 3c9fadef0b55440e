package lesson_test

import (
	"context"
	"errors"
	"math"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/lesson"
	"github.com/parallelize-your-go/kit/parkit"
)

func TestTable(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	lesson.Note("create goroutines", "1.2µs")
	lesson.Note("round trip processes", "50µs")
	table := lesson.Table()
	for _, want := range []string{"| threads are fast to create, processes slower | 1.2µs | (run its cell) |", "| 50µs (pipe) |"} {
		if !strings.Contains(table, want) {
			t.Errorf("Table() has no %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, "(run its cell) (") {
		t.Errorf("a missing figure got a channel/pipe suffix:\n%s", table)
	}
}

func TestCommunicationByKind(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	rt, err := lesson.RoundTrips(50)
	if err != nil {
		t.Fatal(err)
	}
	rate, err := lesson.Throughput(1<<20, 64<<10)
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range parkit.Kinds {
		if rt[kind] <= 0 || rate[kind] <= 0 {
			t.Errorf("%s: round trip %v, throughput %v; want both positive", kind, rt[kind], rate[kind])
		}
	}
	if notes := lesson.Notes(); notes["round trip threads"] == "" || notes["bulk processes"] == "" {
		t.Errorf("figures not noted for the table: %v", notes)
	}
}

func TestCrashes(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	codes, err := lesson.Crashes()
	if err != nil {
		t.Fatal(err)
	}
	if codes[parkit.Goroutines] != 2 || codes[parkit.Threads] != 2 {
		t.Errorf("exit codes %v, want 2 (a Go panic) for both", codes)
	}
}

func TestShowResults(t *testing.T) {
	ex, err := parkit.New(parkit.Goroutines, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	failOn2 := parkit.Func(func(_ context.Context, n int) (int, error) {
		if n == 2 {
			return 0, errors.New("boom")
		}
		return n, nil
	})
	var futures []*parkit.Future[int]
	for n := range 4 {
		futures = append(futures, parkit.Submit(ex, failOn2, n))
	}
	if ok := lesson.ShowResults(futures); ok != 3 {
		t.Errorf("ShowResults counted %d successes, want 3", ok)
	}
}

func TestPerTaskAndChunked(t *testing.T) {
	var calls atomic.Int64
	count := parkit.Func(func(_ context.Context, n int) (int, error) { calls.Add(1); return n, nil })
	ex, err := parkit.New(parkit.Goroutines, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	ctx := context.Background()
	for _, useMap := range []bool{false, true} {
		calls.Store(0)
		if d, err := lesson.PerTask(ctx, ex, count, 100, useMap); err != nil || d <= 0 || calls.Load() != 100 {
			t.Errorf("PerTask(map=%v) = %v, %v after %d calls; want a positive cost after 100", useMap, d, err, calls.Load())
		}
	}
	calls.Store(0)
	costs, err := lesson.ChunkCosts(ctx, ex, count, 10, 3, 10, 20) // 3 does not divide 10
	if err != nil || len(costs) != 3 || calls.Load() != 30 {
		t.Errorf("ChunkCosts = %v, %v after %d calls; want 3 costs after 30 calls", costs, err, calls.Load())
	}
	if ns := lesson.Nanoseconds([]time.Duration{time.Microsecond}); ns[0] != 1000 {
		t.Errorf("Nanoseconds(1µs) = %v", ns)
	}
}

func TestAmdahl(t *testing.T) {
	runs, err := lesson.Amdahl(context.Background(), 5*time.Millisecond, 4, 2, 1, 2, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 3 || runs[0].Speedup != 1 || runs[0].Ceiling != 1 {
		t.Fatalf("runs = %+v; want 3, the first with speedup and ceiling 1", runs)
	}
	s := runs[0].Serial.Seconds() / runs[0].Total().Seconds()
	want := 1 / (s + (1-s)/2) // 2 and 4 workers: 2 cores run at once
	for _, r := range runs[1:] {
		if math.Abs(r.Ceiling-want) > 1e-9 {
			t.Errorf("%d workers: ceiling %v, want %v (s = %v)", r.Workers, r.Ceiling, want, s)
		}
	}
}

func TestCostOf(t *testing.T) {
	rows := []lesson.PythonCost{{Label: "a, one", USPerTask: 1}, {Label: "b, two", USPerTask: 2}}
	if got := lesson.CostOf(rows, "b,"); got != 2 {
		t.Errorf("CostOf(b,) = %v", got)
	}
	if got := lesson.CostOf(rows, "c"); !math.IsNaN(got) {
		t.Errorf("CostOf(c) = %v, want NaN", got)
	}
}

func TestPython(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	var out any
	err := lesson.Python(&out, "no-such-script.py")
	if err == nil || !strings.Contains(err.Error(), "no-such-script.py") {
		t.Errorf("Python(missing script) = %v; want an error naming the script", err)
	}
}

func TestPythonCrash(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3")
	}
	var py lesson.PythonCrash
	if err := lesson.Python(&py, "../notebooks/python/crash.py"); err != nil {
		t.Fatal(err)
	}
	if len(py.ThreadsFinished) != 2 || len(py.ThreadsRaised) != 1 || len(py.PoolResults) != 3 {
		t.Errorf("crash.py = %+v; want 2 threads returned, 1 raised, 3 pool results", py)
	}
}
