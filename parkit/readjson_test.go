package parkit_test

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// throughJSON writes tl with WriteJSON and reads it back with ReadJSON.
func throughJSON(t *testing.T, tl *parkit.Timeline) *parkit.Timeline {
	t.Helper()
	var buf bytes.Buffer
	if err := tl.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := parkit.ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestReadJSONRoundTrip(t *testing.T) {
	want := &parkit.Timeline{Executor: "threads", Workload: "busy", Workers: 2, Tasks: 2, GOMAXPROCS: 2, NumCPU: 4,
		Serial: 3 * time.Second, CPUTime: 2900 * time.Millisecond, CPULimit: 1.5, OthersCores: 0.125,
		Spans: []parkit.Span{
			{Task: 0, Worker: 0, PID: 10, TID: 11, CPU: 1, Start: 5, End: 2 * time.Second},
			{Task: 1, Worker: 1, PID: 10, TID: 12, CPU: -1, Start: 7, End: time.Second, Err: errors.New("boom")},
		}}
	got := throughJSON(t, want)
	if got.Spans[1].Err == nil || got.Spans[1].Err.Error() != "boom" {
		t.Fatalf("span 1 error = %v, want boom", got.Spans[1].Err)
	}
	// Every derived figure survives the trip.
	if got.Speedup() != want.Speedup() || got.CoresUsed() != want.CoresUsed() || got.MaxSpeedup() != want.MaxSpeedup() ||
		!reflect.DeepEqual(got.Caveats(), want.Caveats()) {
		t.Errorf("derived figures changed: speedup %v -> %v, cores used %v -> %v, caveats %q -> %q",
			want.Speedup(), got.Speedup(), want.CoresUsed(), got.CoresUsed(), want.Caveats(), got.Caveats())
	}
	got.Spans[1].Err, want.Spans[1].Err = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
}

func TestReadJSONWithoutLoadIsUnknown(t *testing.T) {
	tl, err := parkit.ReadJSON(strings.NewReader(`{"workers": 1, "tasks": 1, "spans": []}`))
	if err != nil {
		t.Fatal(err)
	}
	if tl.OthersCores != -1 || tl.CPULimit != 0 {
		t.Errorf("others_cores %v, cpu_limit %v: want -1 and 0 (unknown)", tl.OthersCores, tl.CPULimit)
	}
}

func TestReadJSONExtraFields(t *testing.T) {
	in := `{"executor": "python threads", "workers": 1, "tasks": 1, "serial_ns": 3000, "cpu_time_ns": 2000,
		"spans": [{"task": 0, "worker": 0, "start_ns": 0, "end_ns": 1000}]}`
	tl, err := parkit.ReadJSON(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if tl.Serial != 3000 || tl.CPUTime != 2000 || tl.Makespan() != 1000 {
		t.Errorf("got serial %v, CPU time %v, makespan %v; want 3µs, 2µs, 1µs", tl.Serial, tl.CPUTime, tl.Makespan())
	}
}

func TestReadJSONErrors(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"not json", "hello"},
		{"no workers", `{"executor": "x", "spans": []}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parkit.ReadJSON(strings.NewReader(tc.in)); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestRunJSON(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	ctx := context.Background()
	tl, err := parkit.RunJSON(ctx, "sh", "-c", `echo '{"executor": "sh", "workers": 1, "tasks": 0, "spans": []}'`)
	if err != nil || tl.Executor != "sh" {
		t.Fatalf("RunJSON = %+v, %v", tl, err)
	}
	_, err = parkit.RunJSON(ctx, "sh", "-c", "echo oops >&2; exit 3")
	if err == nil || !strings.Contains(err.Error(), "oops") {
		t.Errorf("failing command: err = %v, want one that shows its stderr", err)
	}
}

// TestGoTimelineJSONRoundTrip sends a timeline that an executor really
// recorded (busy tasks on goroutines, with its serial baseline, CPU time
// and load) through WriteJSON and ReadJSON: every derived figure and every
// text made from it must come back the same.
func TestGoTimelineJSONRoundTrip(t *testing.T) {
	want, err := parkit.Experiment{Executor: parkit.Goroutines, Workers: 2, Tasks: 4,
		Workload: parkit.BusyFor(5 * time.Millisecond)}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want.Serial <= 0 || want.CPUTime <= 0 {
		t.Fatalf("the run measured no serial time (%v) or CPU time (%v): nothing to check", want.Serial, want.CPUTime)
	}
	got := throughJSON(t, want)
	for _, f := range []struct {
		name      string
		got, want any
	}{
		{"Speedup", got.Speedup(), want.Speedup()},
		{"CoresUsed", got.CoresUsed(), want.CoresUsed()},
		{"MaxSpeedup", got.MaxSpeedup(), want.MaxSpeedup()},
		{"Utilization", got.Utilization(), want.Utilization()},
		{"MaxOverlap", got.MaxOverlap(), want.MaxOverlap()},
		{"Makespan", got.Makespan(), want.Makespan()},
		{"Unreliable", got.Unreliable(), want.Unreliable()},
		{"Caveats", got.Caveats(), want.Caveats()},
		{"Summary", got.Summary(), want.Summary()},
		{"Placement", got.Placement(), want.Placement()},
		{"Text", got.Text(80), want.Text(80)},
	} {
		if !reflect.DeepEqual(f.got, f.want) {
			t.Errorf("%s changed through JSON: %v, want %v", f.name, f.got, f.want)
		}
	}
}
