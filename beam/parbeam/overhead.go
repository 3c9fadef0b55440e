package parbeam

import (
	"context"
	"fmt"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// An Overhead is what running tiny tasks costs on one executor: the time
// for a small and a large number of empty busy tasks, and what that says.
type Overhead struct {
	Executor     string        // "goroutines", "processes", "beam prism"
	Small, Large int           // the two task counts
	WallSmall    time.Duration // best time for Small tasks
	WallLarge    time.Duration // best time for Large tasks
	// PerElement is what one more task adds: for Beam, whose runs each
	// start a job, (WallLarge-WallSmall)/(Large-Small); for parkit's
	// executors, started before the clock, WallLarge/Large (a difference
	// of a few microseconds would be timer noise). Start is the best time
	// to start the executor (parkit's New) or, for Beam, what a run costs
	// beyond its elements: WallSmall minus Small times PerElement.
	PerElement, Start time.Duration
}

func (o Overhead) String() string {
	return fmt.Sprintf("%-11s about %v per element, %v to start (%d tasks: %v; %d: %v)",
		o.Executor, parkit.Approx(o.PerElement), parkit.Approx(o.Start),
		o.Small, parkit.Approx(o.WallSmall), o.Large, parkit.Approx(o.WallLarge))
}

// MeasureOverhead times small and large runs of an empty busy task
// (parkit.BusyTask of 0 steps) with parkit.Map on goroutines and on worker
// processes, 2 workers each, and as a Beam pipeline on embedded Prism
// (Create, Reshuffle, the busy step, each element writing its span
// record). parkit's executors are started before the clock starts (their
// start, which varies by more than thousands of tasks cost, is timed
// apart); a Beam run cannot be cut so, and its start cancels out in the
// difference of the two runs. After one untimed run of each, the best of runs tries; the
// runs take turns, so a busy machine disturbs them alike. With 100 and
// 3000 tasks and 3 runs it takes a few seconds (see BenchmarkOverhead).
func MeasureOverhead(ctx context.Context, small, large, runs int) ([]Overhead, error) {
	if small < 1 || large <= small || runs < 1 {
		return nil, fmt.Errorf("parbeam: MeasureOverhead(%d, %d, %d): want 1 <= small < large and runs >= 1", small, large, runs)
	}
	runners := []struct {
		name string
		run  func(n int) (start, work time.Duration, err error)
	}{
		{string(parkit.Goroutines), func(n int) (time.Duration, time.Duration, error) { return parkitMap(ctx, parkit.Goroutines, n) }},
		{string(parkit.Processes), func(n int) (time.Duration, time.Duration, error) { return parkitMap(ctx, parkit.Processes, n) }},
		{"beam prism", func(n int) (time.Duration, time.Duration, error) {
			start := time.Now()
			_, err := Run(ctx, Config{Tasks: n, Reshuffle: true})
			return 0, time.Since(start), err
		}},
	}
	out := make([]Overhead, len(runners))
	for i, r := range runners {
		out[i] = Overhead{Executor: r.name, Small: small, Large: large}
		// A first, untimed run starts what stays up (Prism's job server)
		// and warms the caches.
		if _, _, err := r.run(small); err != nil {
			return nil, fmt.Errorf("parbeam: %s, %d tasks: %w", r.name, small, err)
		}
	}
	best := func(d *time.Duration, took time.Duration) {
		if *d == 0 || took < *d {
			*d = took
		}
	}
	for range runs {
		for i, r := range runners {
			for _, n := range []int{small, large} {
				start, work, err := r.run(n)
				if err != nil {
					return nil, fmt.Errorf("parbeam: %s, %d tasks: %w", r.name, n, err)
				}
				if n == small {
					best(&out[i].WallSmall, work)
				} else {
					best(&out[i].WallLarge, work)
				}
				if start > 0 {
					best(&out[i].Start, start)
				}
			}
		}
	}
	for i := range out {
		o := &out[i]
		o.PerElement = o.WallLarge / time.Duration(large)
		if o.Start == 0 {
			o.PerElement = (o.WallLarge - o.WallSmall) / time.Duration(large-small)
			o.Start = o.WallSmall - o.PerElement*time.Duration(small)
		}
	}
	return out, nil
}

// parkitMap starts an executor of 2 workers, then runs n empty busy tasks
// on it with parkit.Map, and closes it: how long the start and the Map
// took.
func parkitMap(ctx context.Context, kind parkit.Kind, n int) (start, work time.Duration, err error) {
	t0 := time.Now()
	ex, err := parkit.New(kind, 2)
	if err != nil {
		return 0, 0, err
	}
	defer ex.Close()
	// Why one task first: worker processes start on their first task.
	if _, err := parkit.Map(ctx, ex, parkit.BusyTask, []int64{0, 0}); err != nil {
		return 0, 0, err
	}
	t1 := time.Now()
	_, err = parkit.Map(ctx, ex, parkit.BusyTask, make([]int64, n))
	return t1.Sub(t0), time.Since(t1), err
}
