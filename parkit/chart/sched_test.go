package chart

import (
	"bytes"
	"image/png"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
	"github.com/parallelize-your-go/kit/parkit/sched"
)

// takingTurns is 3 busy tasks on 3 workers under GOMAXPROCS=1: each runs
// 20 ms slices in turn on P0 and M7, 100 ms in all, with one GC pause.
func takingTurns() (*parkit.Timeline, *sched.Sched) {
	tl := &parkit.Timeline{Executor: "goroutines", Workload: "busy 100ms", Workers: 3, Tasks: 3, GOMAXPROCS: 1, NumCPU: 2}
	s := &sched.Sched{GOMAXPROCS: 1, GC: []sched.Pause{{Start: 150 * time.Millisecond, End: 150*time.Millisecond + 80*time.Microsecond, Why: "GC mark termination"}}}
	for task := range 3 {
		tl.Spans = append(tl.Spans, parkit.Span{Task: task, Worker: task, PID: 1, TID: -1, CPU: -1, End: 300 * time.Millisecond})
	}
	for turn := range 15 {
		task := turn % 3
		ended := sched.EndPreempted
		if turn >= 12 {
			ended = sched.EndDone
		}
		start := time.Duration(turn) * 20 * time.Millisecond
		s.Slices = append(s.Slices, sched.Slice{Task: task, Goroutine: 10 + task, P: 0, M: 7,
			Start: start, End: start + 20*time.Millisecond, Ended: ended})
	}
	return tl, s
}

func TestSchedTextFitsAndShowsTurns(t *testing.T) {
	tl, s := takingTurns()
	text := TimelineSched(tl, s).Text()
	for _, l := range strings.Split(text, "\n") {
		if n := len([]rune(l)); n > TextWidth {
			t.Errorf("line is %d columns, more than %d:\n%s", n, TextWidth, l)
		}
	}
	p0 := regexp.MustCompile(`(?m)^\s*P0 \|(.*)\|$`).FindStringSubmatch(text)
	if p0 == nil {
		t.Fatalf("no P0 row:\n%s", text)
	}
	// 15 turns of 20 ms on 300 ms: the row reads 0..1..2..0..1.. in 15 runs.
	runs := regexp.MustCompile(`0+|1+|2+`).FindAllString(p0[1], -1)
	if len(runs) != 15 || runs[0][0] != '0' || runs[1][0] != '1' || runs[2][0] != '2' {
		t.Errorf("P0 row %q: want 15 turns 0, 1, 2, 0, ...", p0[1])
	}
	for _, want := range []string{"worker 2 |", "M7 |", "STW |", "GOMAXPROCS 1", "12 preempted"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text has no %q:\n%s", want, text)
		}
	}
}

func TestSchedChartPanels(t *testing.T) {
	tl, s := takingTurns()
	for _, tc := range []struct {
		c      *Chart
		panels int
	}{{Sched(tl, s), 2}, {TimelineSched(tl, s), 3}} {
		grids := strings.Count(tc.c.option, `"gridIndex":`)/2 + 1 // an x and a y axis per grid but the first
		if grids != tc.panels {
			t.Errorf("%s: %d grids, want %d", tc.c.kind, grids, tc.panels)
		}
		for _, fn := range []string{"parkitSlice", "parkitSliceTip", "parkitPause", "parkitPauseTip"} {
			if !strings.Contains(tc.c.option, fn) || !strings.Contains(tc.c.funcs, "function "+fn) {
				t.Errorf("%s: the option or its script lacks %s", tc.c.kind, fn)
			}
		}
		// One zoom for all the time axes.
		if !strings.Contains(tc.c.option, `"xAxisIndex":[0,1`) {
			t.Errorf("%s: the zoom does not span the panels: %s", tc.c.kind, tc.c.option)
		}
		b, err := tc.c.PNG()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("%s: PNG: %v", tc.c.kind, err)
		}
	}
}
