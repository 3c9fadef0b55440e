package parkit

import (
	"cmp"
	"errors"
	"slices"
	"time"
)

// A Span is where and when one task ran. Start and End are relative to the
// start of the executor (or experiment) that ran it.
type Span struct {
	Task   int // index in the experiment; -1 outside one
	Worker int // the worker's index, 0..workers-1
	PID    int // the process that ran it
	TID    int // the OS thread that started it (-1 where unknown)
	CPU    int // the CPU it started on (-1 where unknown)
	Start  time.Duration
	End    time.Duration
	Err    error // nil if the task succeeded
}

// Duration is how long the task ran.
func (s Span) Duration() time.Duration { return s.End - s.Start }

// A Timeline is a recorded experiment: what ran, where and when. Its spans
// are in task order. Export it with WriteJSON or WriteCSV; draw it with
// parkit/chart or Text.
type Timeline struct {
	Executor   string // the executor kind, e.g. "goroutines"
	Workload   string // the workload, e.g. "idle 2s"
	Workers    int
	Tasks      int
	GOMAXPROCS int
	NumCPU     int
	Spans      []Span

	// Serial is how long the tasks take one after another on one free
	// core: one task run alone (times Tasks), the best of several runs;
	// for a task that computes, its thread's CPU time, which other
	// programs on the machine do not stretch (see Experiment); 0 if not
	// measured.
	Serial time.Duration
	// CPUTime is the CPU time the program (and its worker processes) used
	// during the experiment, as the OS counted it; 0 if unknown.
	CPUTime time.Duration
	// CPULimit is how many cores the program could really use during the
	// run: the least of NumCPU, its affinity mask and its cgroup quota
	// (see ReadCPULimit); 0 if unknown.
	CPULimit float64
	// OthersCores is the average number of cores that other programs used
	// during the run (see LoadMeter); -1 if unknown.
	OthersCores float64
}

// Makespan is the time from the experiment's start to its last task's end.
func (tl *Timeline) Makespan() time.Duration {
	var end time.Duration
	for _, s := range tl.Spans {
		end = max(end, s.End)
	}
	return end
}

// BusyTime is the sum of the tasks' durations.
func (tl *Timeline) BusyTime() time.Duration {
	var sum time.Duration
	for _, s := range tl.Spans {
		sum += s.Duration()
	}
	return sum
}

// Speedup is Serial / Makespan: how many times faster than running the
// tasks one after another. 0 if Serial was not measured.
func (tl *Timeline) Speedup() float64 {
	if tl.Serial == 0 || tl.Makespan() == 0 {
		return 0
	}
	return float64(tl.Serial) / float64(tl.Makespan())
}

// Utilization is BusyTime / (Makespan * Workers): the share of the
// workers' time spent running tasks, 0..1.
func (tl *Timeline) Utilization() float64 {
	if tl.Workers == 0 || tl.Makespan() == 0 {
		return 0
	}
	return float64(tl.BusyTime()) / float64(tl.Makespan()*time.Duration(tl.Workers))
}

// CoresUsed is CPUTime / Makespan: how many CPU cores the run kept busy on
// average (about 1 for busy tasks under GOMAXPROCS=1, about NumCPU when
// they run in parallel, about 0 for idle tasks). 0 if CPUTime is unknown.
func (tl *Timeline) CoresUsed() float64 {
	if tl.Makespan() == 0 {
		return 0
	}
	return float64(tl.CPUTime) / float64(tl.Makespan())
}

// MaxOverlap is the largest number of tasks that were running at once.
func (tl *Timeline) MaxOverlap() int {
	type edge struct {
		at    time.Duration
		delta int
	}
	edges := make([]edge, 0, 2*len(tl.Spans))
	for _, s := range tl.Spans {
		edges = append(edges, edge{s.Start, +1}, edge{s.End, -1})
	}
	// Ends sort before starts at the same instant: back-to-back tasks do
	// not overlap.
	slices.SortFunc(edges, func(a, b edge) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.delta, b.delta))
	})
	n, most := 0, 0
	for _, e := range edges {
		n += e.delta
		most = max(most, n)
	}
	return most
}

// Err joins the errors of the tasks that failed; nil if all succeeded.
func (tl *Timeline) Err() error {
	var errs []error
	for _, s := range tl.Spans {
		if s.Err != nil {
			errs = append(errs, s.Err)
		}
	}
	return errors.Join(errs...)
}
