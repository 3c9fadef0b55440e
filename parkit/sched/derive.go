package sched

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
	"golang.org/x/exp/trace"
)

// DeriveFile is Derive on the trace file at path; the Sched remembers the
// path (TraceFile).
func DeriveFile(path string, tl *parkit.Timeline) (*Sched, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sched: %w", err)
	}
	defer f.Close()
	s, err := Derive(f, tl)
	if err != nil {
		return nil, fmt.Errorf("sched: %s: %w", path, err)
	}
	s.TraceFile = path
	return s, nil
}

// Derive reads an execution trace recorded with parkit.TraceTo and
// derives the Sched: each task's goroutine (from the region around the
// task) and its running slices. With tl, the timeline of the same run,
// slices are cut to each task's span, from the first instruction of the
// task to its return; with tl nil, to the region, which also holds the
// executor's few hundred nanoseconds of bookkeeping around the task. It
// fails if tl does not match the trace. Most of its time is
// x/exp/trace's own reading of the events (see the bench table).
func Derive(r io.Reader, tl *parkit.Timeline) (*Sched, error) {
	raw, err := readTrace(r)
	if err != nil {
		return nil, err
	}
	if len(raw.regions) == 0 && tl == nil {
		return nil, errors.New("the trace has no parkit tasks: record it with parkit.TraceTo (or sched.Record) while the tasks run in this process")
	}
	if len(raw.regions) == 0 { // e.g. every task ran in a worker process
		s := &Sched{GOMAXPROCS: raw.gomaxprocs, Events: raw.events, Slices: []Slice{}}
		s.Untraced = untraced(tl, nil)
		return s, nil
	}
	off, clockErr, err := raw.clockOffset()
	if err != nil {
		return nil, err
	}
	at := func(t trace.Time) time.Duration { return time.Duration(int64(t) - off) }
	s := &Sched{GOMAXPROCS: raw.gomaxprocs, Events: raw.events, Moved: raw.clamped, ClockError: clockErr, Slices: make([]Slice, 0, len(raw.regions)), GC: []Pause{}}
	s.Tasks = make([]TaskRun, 0, len(raw.regions))
	for _, p := range raw.pauses {
		s.GC = append(s.GC, Pause{Start: at(p.start), End: at(p.end), Why: p.why})
	}
	seen := map[int]bool{}
	for _, reg := range raw.regions {
		from, to := at(reg.begin), at(reg.end)
		if tl != nil {
			if reg.task >= len(tl.Spans) {
				return nil, fmt.Errorf("the trace has task %d but the timeline only %d tasks: pass the timeline recorded with this trace", reg.task, len(tl.Spans))
			}
			// The region encloses the span: check it does, then cut to it.
			span, tol := tl.Spans[reg.task], clockErr+time.Microsecond
			if !reg.moved && span.Start < from-tol || span.End > to+tol {
				return nil, fmt.Errorf("task %d ran %v..%v by the timeline, but the trace marks it %v..%v: pass the timeline recorded with this trace", reg.task, span.Start, span.End, from, to)
			}
			from, to = max(from, span.Start), min(to, span.End)
		}
		seen[reg.task] = true
		run := TaskRun{Task: reg.task, Goroutine: int(reg.g)}
		gs := raw.slices[reg.g]
		// The first slice that ends after the region begins, then on.
		first, _ := slices.BinarySearchFunc(gs, reg.begin, func(rs rawSlice, t trace.Time) int { return cmp.Compare(rs.end, t) })
		for _, rs := range gs[first:] {
			if rs.start > reg.end {
				break
			}
			start, end := max(at(rs.start), from), min(at(rs.end), to)
			if end <= start {
				continue
			}
			ended, why := rs.ended, rs.why
			if at(rs.end) > to {
				ended, why = EndDone, ""
			}
			s.Slices = append(s.Slices, Slice{Task: reg.task, Goroutine: int(reg.g), P: rs.p, M: rs.m,
				Start: start, End: end, Ended: ended, Why: why})
			run.Running += end - start
		}
		s.Tasks = append(s.Tasks, run)
	}
	if tl != nil {
		s.Untraced = untraced(tl, seen)
	}
	slices.SortFunc(s.Slices, func(a, b Slice) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.P, b.P)) })
	slices.SortFunc(s.Tasks, func(a, b TaskRun) int { return cmp.Compare(a.Task, b.Task) })
	return s, nil
}

// untraced lists the tasks that ran but are not in the trace.
func untraced(tl *parkit.Timeline, seen map[int]bool) []int {
	var out []int
	for i, span := range tl.Spans {
		if !seen[i] && span.Worker >= 0 {
			out = append(out, i)
		}
	}
	return out
}

// rawSlice is a goroutine's running stretch, on the trace's clock.
type rawSlice struct {
	start, end trace.Time
	p, m       int
	ended, why string
}

// region is one task's region on its goroutine.
type region struct {
	g          trace.GoID
	task       int
	begin, end trace.Time
	moved      bool // its begin was moved later by the reader (see readTrace)
}

// rawPause is a stop-the-world pause on the trace's clock.
type rawPause struct {
	start, end trace.Time
	why        string
}

// rawTrace is what one pass over the events collects.
type rawTrace struct {
	events     int
	clamped    int // events the reader moved forward in time
	gomaxprocs int
	slices     map[trace.GoID][]rawSlice
	regions    []region
	pauses     []rawPause
	// The clock ties: the trace clock minus the timeline's clock lies in
	// [low, high]: a region begins before the clock is read, the log
	// entry that carries the reading comes after it.
	low, high int64
}

func readTrace(r io.Reader) (*rawTrace, error) {
	rd, err := trace.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a Go execution trace (%w): record one with parkit.TraceTo", err)
	}
	raw := &rawTrace{slices: map[trace.GoID][]rawSlice{}, low: math.MinInt64, high: math.MaxInt64}
	running := map[trace.GoID]rawSlice{}
	open := map[trace.GoID]*region{}     // the task region each goroutine is in
	begun := map[trace.GoID]trace.Time{} // region begin, until its log entry
	stw := map[trace.GoID]rawPause{}
	var last trace.Time
	clampedBegin := map[trace.GoID]bool{}
	for {
		ev, err := rd.ReadEvent()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading the trace: %w", err)
		}
		raw.events++
		// Why: x/exp/trace keeps time in order by moving an event that
		// would go back in time to 1 ns after the one before it. That
		// happens after a generation boundary when a thread flushed its
		// old batch late; such times are too late, so they are no clock
		// ties. Real times are multiples of the clock's resolution.
		clamped := ev.Time() == last+1
		if clamped {
			raw.clamped++
		}
		last = ev.Time()
		switch ev.Kind() {
		case trace.EventStateTransition:
			st := ev.StateTransition()
			if st.Resource.Kind != trace.ResourceGoroutine {
				continue
			}
			g := st.Resource.Goroutine()
			from, to := st.Goroutine()
			if to == trace.GoRunning {
				if _, ok := running[g]; !ok {
					running[g] = rawSlice{start: ev.Time(), p: int(ev.Proc()), m: int(ev.Thread())}
				}
				continue
			}
			if from != trace.GoRunning {
				continue
			}
			if rs, ok := running[g]; ok {
				delete(running, g)
				rs.end = ev.Time()
				rs.ended, rs.why = endReason(to, st.Reason)
				raw.slices[g] = append(raw.slices[g], rs)
			}
		case trace.EventRegionBegin:
			if ev.Region().Type == parkit.TraceRegion {
				begun[ev.Goroutine()] = ev.Time()
				clampedBegin[ev.Goroutine()] = clamped
			}
		case trace.EventLog:
			l := ev.Log()
			g := ev.Goroutine()
			begin, ok := begun[g]
			if l.Category != parkit.TraceRegion || !ok {
				continue
			}
			delete(begun, g)
			task, clock, err := parseMark(l.Message)
			if err != nil {
				return nil, err
			}
			if !clamped && !clampedBegin[g] {
				raw.low = max(raw.low, int64(begin)-clock)
				raw.high = min(raw.high, int64(ev.Time())-clock)
			}
			open[g] = &region{g: g, task: task, begin: begin, moved: clamped || clampedBegin[g]}
		case trace.EventRegionEnd:
			if reg, ok := open[ev.Goroutine()]; ok && ev.Region().Type == parkit.TraceRegion {
				delete(open, ev.Goroutine())
				reg.end = ev.Time()
				raw.regions = append(raw.regions, *reg)
			}
		case trace.EventRangeBegin:
			if name := ev.Range().Name; strings.HasPrefix(name, "stop-the-world") {
				stw[ev.Goroutine()] = rawPause{start: ev.Time(), why: strings.TrimSuffix(strings.TrimPrefix(name, "stop-the-world ("), ")")}
			}
		case trace.EventRangeEnd:
			if p, ok := stw[ev.Goroutine()]; ok && strings.HasPrefix(ev.Range().Name, "stop-the-world") {
				delete(stw, ev.Goroutine())
				p.end = ev.Time()
				raw.pauses = append(raw.pauses, p)
			}
		case trace.EventMetric:
			if m := ev.Metric(); m.Name == "/sched/gomaxprocs:threads" {
				raw.gomaxprocs = int(m.Value.Uint64())
			}
		}
	}
	// What still runs when the trace stops ends there.
	for g, rs := range running {
		rs.end, rs.ended = last, EndTraceEnd
		raw.slices[g] = append(raw.slices[g], rs)
	}
	for g := range raw.slices {
		slices.SortFunc(raw.slices[g], func(a, b rawSlice) int { return cmp.Compare(a.start, b.start) })
	}
	slices.SortFunc(raw.regions, func(a, b region) int { return cmp.Compare(a.task, b.task) })
	return raw, nil
}

// endReason names why a goroutine stopped running.
func endReason(to trace.GoState, reason string) (ended, why string) {
	switch to {
	case trace.GoRunnable:
		if strings.Contains(reason, "preempt") {
			return EndPreempted, ""
		}
		return EndYield, reason
	case trace.GoWaiting:
		return EndBlocked, reason
	case trace.GoSyscall:
		return EndSyscall, reason
	}
	return EndDone, reason
}

// parseMark reads a task mark's "SEQ NS" (see parkit.TraceTo).
func parseMark(msg string) (task int, clock int64, err error) {
	seq, ns, ok := strings.Cut(msg, " ")
	if ok {
		task, err = strconv.Atoi(seq)
	}
	if ok && err == nil {
		clock, err = strconv.ParseInt(ns, 10, 64)
	}
	if !ok || err != nil || task < 0 {
		return 0, 0, fmt.Errorf("a %s log entry reads %q, not \"TASK NANOSECONDS\": the trace was not written by this version of parkit", parkit.TraceRegion, msg)
	}
	return task, clock, nil
}

// clockOffset is the trace clock minus the timeline's, and how far off it
// may be: half the width of the narrowest bracket the marks give, plus the
// trace clock's resolution (64 ns on amd64).
func (raw *rawTrace) clockOffset() (off int64, uncertain time.Duration, err error) {
	const resolution = 64
	if raw.low > raw.high+resolution {
		return 0, 0, fmt.Errorf("the task marks disagree about the clock (%d > %d ns): the trace is damaged", raw.low, raw.high)
	}
	return raw.low + (raw.high-raw.low)/2, time.Duration(max(raw.high-raw.low, 0)/2 + resolution), nil
}
