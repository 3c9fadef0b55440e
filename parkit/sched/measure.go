package sched

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// Procs lists the Ps the tasks ran on, in order.
func (s *Sched) Procs() []int { return s.distinct(func(sl Slice) int { return sl.P }) }

// Threads lists the OS threads (Ms) the tasks ran on, in order.
func (s *Sched) Threads() []int { return s.distinct(func(sl Slice) int { return sl.M }) }

// Goroutines lists the goroutines that ran the tasks, in order.
func (s *Sched) Goroutines() []int { return s.distinct(func(sl Slice) int { return sl.Goroutine }) }

func (s *Sched) distinct(key func(Slice) int) []int {
	set := map[int]bool{}
	for _, sl := range s.Slices {
		set[key(sl)] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// Count counts the slices that ended the given way (EndPreempted, ...).
func (s *Sched) Count(ended string) int {
	n := 0
	for _, sl := range s.Slices {
		if sl.Ended == ended {
			n++
		}
	}
	return n
}

// MedianSlice is the median length of the slices that ended the given way
// ("" for all): with EndPreempted, how long the scheduler let a busy
// goroutine run before giving its P to another. 0 if there are none.
func (s *Sched) MedianSlice(ended string) time.Duration {
	var d []time.Duration
	for _, sl := range s.Slices {
		if ended == "" || sl.Ended == ended {
			d = append(d, sl.Duration())
		}
	}
	return median(d)
}

// MedianGap is the median time a P spent between the end of one task
// slice and the start of the next one on it, when the first was
// preempted: the cost of one turn of the scheduler (a goroutine switch on
// one thread; for thread workers, a hand-off between OS threads). Gaps
// over a millisecond (the P was idle) are left out. 0 if there are none.
func (s *Sched) MedianGap() time.Duration {
	var d []time.Duration
	for _, row := range s.ByP() {
		for i := 1; i < len(row); i++ {
			gap := row[i].Start - row[i-1].End
			if row[i-1].Ended == EndPreempted && gap >= 0 && gap < time.Millisecond {
				d = append(d, gap)
			}
		}
	}
	return median(d)
}

// SwitchedThread counts the turns (as in MedianGap) where the next slice
// ran on another OS thread than the one before it on that P.
func (s *Sched) SwitchedThread() (switched, turns int) {
	for _, row := range s.ByP() {
		for i := 1; i < len(row); i++ {
			if row[i-1].Ended == EndPreempted && row[i].Start-row[i-1].End < time.Millisecond {
				turns++
				if row[i].M != row[i-1].M {
					switched++
				}
			}
		}
	}
	return switched, turns
}

// ByP groups the slices by P, each row in start order.
func (s *Sched) ByP() map[int][]Slice {
	rows := map[int][]Slice{}
	for _, sl := range s.Slices {
		rows[sl.P] = append(rows[sl.P], sl)
	}
	for _, row := range rows {
		slices.SortFunc(row, func(a, b Slice) int { return cmp.Compare(a.Start, b.Start) })
	}
	return rows
}

// Overlap returns an error naming two slices that overlap on one P (a P
// runs one goroutine at a time, so it always returns nil for a sound
// trace).
func (s *Sched) Overlap() error {
	for p, row := range s.ByP() {
		for i := 1; i < len(row); i++ {
			if row[i].Start < row[i-1].End {
				return fmt.Errorf("on P%d, task %d's slice %v..%v overlaps task %d's %v..%v",
					p, row[i-1].Task, row[i-1].Start, row[i-1].End, row[i].Task, row[i].Start, row[i].End)
			}
		}
	}
	return nil
}

// GCPauses returns the stop-the-world pauses the garbage collector made
// (the others are the trace's own start and stop).
func (s *Sched) GCPauses() []Pause {
	return slices.DeleteFunc(slices.Clone(s.GC), func(p Pause) bool { return !strings.HasPrefix(p.Why, "GC") })
}

// Summary is the measured figures in one paragraph, for a notebook cell.
func (s *Sched) Summary() string {
	var b strings.Builder
	tasks := s.distinct(func(sl Slice) int { return sl.Task })
	fmt.Fprintf(&b, "%s on %s ran in %s on %s %v and %s (GOMAXPROCS %d).\n",
		plural(len(tasks), "task"), plural(len(s.Goroutines()), "goroutine"), plural(len(s.Slices), "slice"),
		plural(len(s.Procs()), "P"), s.Procs(), plural(len(s.Threads()), "OS thread"), s.GOMAXPROCS)
	fmt.Fprintf(&b, "Slices ended: %d preempted, %d blocked, %d in a syscall, %d yielded, %d when the task returned.\n",
		s.Count(EndPreempted), s.Count(EndBlocked), s.Count(EndSyscall), s.Count(EndYield), s.Count(EndDone))
	if n := s.Count(EndPreempted); n > 0 {
		sw, turns := s.SwitchedThread()
		fmt.Fprintf(&b, "A busy goroutine ran a median %v before being preempted; a turn took a median %v, %d of %d on another OS thread.\n",
			parkit.Approx(s.MedianSlice(EndPreempted)), parkit.Approx(s.MedianGap()), sw, turns)
	}
	var running time.Duration
	for _, sl := range s.Slices {
		running += sl.Duration()
	}
	fmt.Fprintf(&b, "The tasks ran %v in all; the GC stopped the world %s.", parkit.Approx(running), plural(len(s.GCPauses()), "time"))
	return b.String()
}

// plural says "1 P", "2 Ps".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[len(d)/2]
}
