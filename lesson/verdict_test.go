package lesson

import (
	"strings"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

type caveats []string

func (c caveats) Caveats() []string { return c }

func TestVerdict(t *testing.T) {
	for _, tc := range []struct {
		name     string
		holds    bool
		evidence []Evidence
		want     []string
		wantNot  []string
	}{
		{"holds, quiet", true, nil, []string{"✓ as expected: claim (speedup 1.97x)\n"}, []string{"note"}},
		{"fails, quiet", false, nil, []string{"✗ not this time: claim", "no busy machine or CPU limit explains it"}, nil},
		{"fails, busy", false, []Evidence{caveats{"other programs used 0.9 cores"}, caveats{"other programs used 0.8 cores"}},
			[]string{"✗ not this time", "  note: other programs used 0.9 cores\n"}, []string{"no busy machine", "0.8 cores"}},
		{"holds under a quota", true, []Evidence{caveats{"only 1 core"}}, []string{"✓ as expected", "note: only 1 core"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			writeVerdict(&b, "claim", tc.holds, "speedup 1.97x", tc.evidence...)
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("verdict %q lacks %q", b.String(), w)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(b.String(), w) {
					t.Errorf("verdict %q has %q", b.String(), w)
				}
			}
		})
	}
}

func TestFigures(t *testing.T) {
	if got := Figures("speedup %.2fx", 1.964, "cores used %.2f", 1.97); got != "speedup 1.96x, cores used 1.97" {
		t.Errorf("Figures = %q", got)
	}
}

func TestLoadWatch(t *testing.T) {
	l := WatchLoad()
	if l.OthersCores() != -1 {
		t.Errorf("OthersCores before Stop = %v, want -1", l.OthersCores())
	}
	for i := 0; i < 1e7; i++ {
	}
	if o := l.Stop().OthersCores(); o < -1 || o > 4096 {
		t.Errorf("OthersCores = %v", o)
	}
	if Cores() <= 0 {
		t.Errorf("Cores() = %v", Cores())
	}
}

func TestBrief(t *testing.T) {
	tl := &parkit.Timeline{Executor: "goroutines", Workers: 5, Tasks: 15, GOMAXPROCS: 2, NumCPU: 2, CPULimit: 2,
		Serial: 15 * time.Second, CPUTime: 15 * time.Second, Spans: []parkit.Span{{End: 7531 * time.Millisecond}}}
	if got := Brief(tl); got != "makespan 7.53s, speedup 1.99x, cores used 1.99" {
		t.Errorf("Brief = %q", got)
	}
	tl.Serial = 30 * time.Second
	if got := Brief(tl); !strings.Contains(got, "speedup unreliable (3.98x measured)") {
		t.Errorf("Brief of an impossible run = %q", got)
	}
}

func TestRunFigures(t *testing.T) {
	tl := &parkit.Timeline{Executor: "goroutines", Workers: 5, Tasks: 15, GOMAXPROCS: 2, CPULimit: 2,
		Serial: 15 * time.Second, CPUTime: 15 * time.Second}
	for i := range 15 {
		wave := time.Duration(i / 5)
		tl.Spans = append(tl.Spans, parkit.Span{Task: i, Worker: i % 5, PID: 1, TID: 10 + i%2,
			Start: wave * 2500 * time.Millisecond, End: (wave + 1) * 2500 * time.Millisecond})
	}
	if got := Threads(tl); got != 2 {
		t.Errorf("Threads = %d, want 2", got)
	}
	if got := Waves(tl); got != 3 {
		t.Errorf("Waves = %v, want 3", got)
	}
	for i := range tl.Spans { // a start-up of half a task before the first one
		tl.Spans[i].Start += 1250 * time.Millisecond
		tl.Spans[i].End += 1250 * time.Millisecond
	}
	if got := Waves(tl); got != 3 {
		t.Errorf("Waves after a start-up delay = %v, want 3", got)
	}
	if got := Stretch(tl); got != 2.5 {
		t.Errorf("Stretch = %v, want 2.5", got)
	}
	if got := Speedup(tl); got != 15.0/8.75 {
		t.Errorf("Speedup = %v, want 15s/8.75s", got)
	}
	tl.Serial *= 2
	if got := Speedup(tl); got == got {
		t.Errorf("Speedup of an impossible run = %v, want NaN", got)
	}
}
