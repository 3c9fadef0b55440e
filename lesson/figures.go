package lesson

import (
	"math"
	"slices"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// Must panics if err is not nil: a cell's way to stop at the first error.
func Must(err error) {
	if err != nil {
		panic(err)
	}
}

// Speedup is the run's speedup, or NaN when it is unreliable (see
// parkit.Timeline.Unreliable), so that every claim compared with it fails
// and the verdict shows why.
func Speedup(tl *parkit.Timeline) float64 {
	if tl.Unreliable() != "" {
		return math.NaN()
	}
	return tl.Speedup()
}

// Threads is the number of distinct OS threads the run's tasks started on.
func Threads(tl *parkit.Timeline) int {
	seen := map[[2]int]bool{}
	for _, s := range tl.Spans {
		if s.Worker >= 0 && s.TID >= 0 {
			seen[[2]int{s.PID, s.TID}] = true
		}
	}
	return len(seen)
}

// Waves is the time from the first task's start to the last task's end,
// in task lengths (the median task duration): 15 sleeps on 5 workers take
// about 3. It leaves out the start-up before the first task (worker
// processes take a while to start), which the first span's Start shows.
func Waves(tl *parkit.Timeline) float64 {
	median := medianDuration(tl)
	if median <= 0 {
		return 0
	}
	first := tl.Makespan()
	for _, s := range tl.Spans {
		if s.Worker >= 0 {
			first = min(first, s.Start)
		}
	}
	return float64(tl.Makespan()-first) / float64(median)
}

// Stretch is how many times longer a task took in the run than alone (the
// median task duration over the serial baseline's one task): 5 busy tasks
// sharing 2 cores take about 2.5 times longer each. 0 if the serial time
// was not measured.
func Stretch(tl *parkit.Timeline) float64 {
	if tl.Serial <= 0 || tl.Tasks <= 0 {
		return 0
	}
	return float64(medianDuration(tl)) / (float64(tl.Serial) / float64(tl.Tasks))
}

func medianDuration(tl *parkit.Timeline) time.Duration {
	var ds []time.Duration
	for _, s := range tl.Spans {
		if s.Worker >= 0 {
			ds = append(ds, s.Duration())
		}
	}
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}
