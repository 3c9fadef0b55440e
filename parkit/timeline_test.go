package parkit_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

const ms = time.Millisecond

// articleTimeline is 15 tasks of 100 ms on 5 workers, in 3 waves, with
// task 14 failed.
func articleTimeline() *parkit.Timeline {
	tl := &parkit.Timeline{Executor: "goroutines", Workload: "idle", Workers: 5, Tasks: 15,
		GOMAXPROCS: 2, NumCPU: 2, Serial: 1500 * ms, CPUTime: 30 * ms,
		CPULimit: 1.5, OthersCores: 0.25}
	for i := range 15 {
		wave := time.Duration(i / 5)
		s := parkit.Span{Task: i, Worker: i % 5, PID: 100, TID: 200 + i%5, CPU: i % 2,
			Start: wave * 100 * ms, End: (wave + 1) * 100 * ms}
		if i == 14 {
			s.Err = errors.New("task 14 failed")
		}
		tl.Spans = append(tl.Spans, s)
	}
	return tl
}

func TestDerivedFigures(t *testing.T) {
	tl := articleTimeline()
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"makespan (ms)", float64(tl.Makespan() / ms), 300},
		{"busy time (ms)", float64(tl.BusyTime() / ms), 1500},
		{"speedup", tl.Speedup(), 5},
		{"utilization", tl.Utilization(), 1},
		{"max overlap", float64(tl.MaxOverlap()), 5},
		{"cores used", tl.CoresUsed(), 0.1},
	} {
		if diff := tc.got - tc.want; diff > 1e-9 || diff < -1e-9 {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if err := tl.Err(); err == nil || !strings.Contains(err.Error(), "task 14 failed") {
		t.Errorf("Err() = %v", err)
	}
}

func TestMaxOverlapCountsOnlyTrueOverlap(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spans [][2]time.Duration
		want  int
	}{
		{"none", nil, 0},
		{"back to back", [][2]time.Duration{{0, 10}, {10, 20}, {20, 30}}, 1},
		{"nested", [][2]time.Duration{{0, 100}, {10, 20}, {15, 30}}, 3},
		{"staircase", [][2]time.Duration{{0, 10}, {5, 15}, {12, 20}}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl := &parkit.Timeline{}
			for _, s := range tc.spans {
				tl.Spans = append(tl.Spans, parkit.Span{Start: s[0], End: s[1]})
			}
			if got := tl.MaxOverlap(); got != tc.want {
				t.Errorf("MaxOverlap = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestWriteJSONSchema(t *testing.T) {
	var buf bytes.Buffer
	if err := articleTimeline().WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	wantTop := []string{"cpu_limit", "cpu_time_ns", "executor", "gomaxprocs", "makespan_ns", "num_cpu", "others_cores", "serial_ns", "spans", "tasks", "workers", "workload"}
	if got := sortedKeys(doc); !reflect.DeepEqual(got, wantTop) {
		t.Errorf("top-level keys %v, want %v", got, wantTop)
	}
	if doc["makespan_ns"] != float64(300*ms) || doc["workers"] != 5.0 || doc["executor"] != "goroutines" {
		t.Errorf("top-level values wrong: %v", doc)
	}
	spans := doc["spans"].([]any)
	if len(spans) != 15 {
		t.Fatalf("%d spans, want 15", len(spans))
	}
	last := spans[14].(map[string]any)
	wantSpan := []string{"cpu", "end_ns", "error", "pid", "start_ns", "task", "tid", "worker"}
	if got := sortedKeys(last); !reflect.DeepEqual(got, wantSpan) {
		t.Errorf("span keys %v, want %v", got, wantSpan)
	}
	if last["task"] != 14.0 || last["worker"] != 4.0 || last["start_ns"] != float64(200*ms) ||
		last["end_ns"] != float64(300*ms) || last["error"] != "task 14 failed" || last["tid"] != 204.0 {
		t.Errorf("span 14 = %v", last)
	}
	if first := spans[0].(map[string]any); first["error"] != "" {
		t.Errorf("a task that succeeded has error %q, want \"\"", first["error"])
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := articleTimeline().WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"task", "worker", "pid", "tid", "cpu", "start_ns", "end_ns", "error", "cpu_limit", "others_cores"}; !reflect.DeepEqual(rows[0], want) {
		t.Errorf("header %v, want %v", rows[0], want)
	}
	if want := []string{"14", "4", "100", "204", "0", "200000000", "300000000", "task 14 failed", "1.5", "0.25"}; !reflect.DeepEqual(rows[15], want) {
		t.Errorf("last row %v, want %v", rows[15], want)
	}
}

// TestTextPlacesEachBar checks the text drawing against the spans: each
// task's label stands in its worker's row, at the column of its start.
func TestTextPlacesEachBar(t *testing.T) {
	tl := articleTimeline()
	const width = 100
	text := tl.Text(width)
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) != 1+5+1 {
		t.Fatalf("%d lines, want title + 5 rows + axis:\n%s", len(lines), text)
	}
	for _, line := range lines {
		if len(line) > width {
			t.Errorf("line of %d columns > %d: %q", len(line), width, line)
		}
	}
	rows := lines[1:6]
	barsStart := strings.Index(rows[0], "|") + 1
	cols := len(rows[0]) - barsStart - 1
	for _, s := range tl.Spans {
		row := rows[s.Worker]
		if !strings.HasPrefix(row, "worker "+strconv.Itoa(s.Worker)) {
			t.Fatalf("row %d is %q", s.Worker, row)
		}
		col := barsStart + int(int64(cols)*int64(s.Start)/int64(tl.Makespan()))
		label := "[" + strconv.Itoa(s.Task)
		if got := row[col : col+len(label)]; got != label {
			t.Errorf("task %d: row %d has %q at column %d, want %q:\n%s", s.Task, s.Worker, got, col, label, text)
		}
	}
	if !strings.Contains(rows[4], "[14xxx") {
		t.Errorf("the failed task 14 is not drawn with x: %q", rows[4])
	}
	if got := strings.Count(text, "["); got != 15 {
		t.Errorf("%d bars drawn, want 15", got)
	}
}

func TestTextUntilSharesTheScale(t *testing.T) {
	tl := articleTimeline() // makespan 300ms
	text := tl.TextUntil(100, 600*ms)
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if axis := lines[len(lines)-1]; !strings.HasSuffix(axis, "600ms") {
		t.Errorf("axis %q does not end at 600ms", axis)
	}
	row := lines[1]
	bars := row[strings.Index(row, "|")+1 : len(row)-1]
	if half := bars[len(bars)/2+1:]; strings.TrimSpace(half) != "" {
		t.Errorf("a 300ms timeline drawn until 600ms has bars in its right half: %q", row)
	}
	if got := tl.TextUntil(100, time.Millisecond); got != tl.Text(100) {
		t.Errorf("TextUntil with an end before the makespan differs from Text:\n%s\n%s", got, tl.Text(100))
	}
}
