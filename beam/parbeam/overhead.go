package parbeam

import (
	"context"
	"fmt"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// An Overhead is what running tiny tasks costs on one executor: the wall
// time for a small and a large number of empty busy tasks, started from
// scratch each time (executor or pipeline included), and what that says.
type Overhead struct {
	Executor     string        // "goroutines", "processes", "beam prism"
	Small, Large int           // the two task counts
	WallSmall    time.Duration // best wall time for Small tasks
	WallLarge    time.Duration // best wall time for Large tasks
	// PerElement is (WallLarge-WallSmall)/(Large-Small): what one more
	// task adds. Fixed is WallSmall minus Small of those: the start-up.
	PerElement, Fixed time.Duration
}

func (o Overhead) String() string {
	return fmt.Sprintf("%-11s about %v per element, %v to start (%d tasks: %v; %d: %v)",
		o.Executor, parkit.Approx(o.PerElement), parkit.Approx(o.Fixed),
		o.Small, parkit.Approx(o.WallSmall), o.Large, parkit.Approx(o.WallLarge))
}

// MeasureOverhead times small and large runs of an empty busy task
// (parkit.BusyTask of 0 steps) on parkit's goroutines and processes, 2
// workers each, and as a Beam pipeline on embedded Prism (with its
// Reshuffle, each element also writes its span record): after one untimed
// run of each, the best of runs tries. The runs take turns, so a busy
// machine disturbs them alike. Take large in the thousands: the start-up
// varies by more than a few hundred elements cost.
// With 100 and 3000 tasks and 3 runs it takes about 5 s here: Beam
// costs about 50-80 µs per element, processes about 25 µs.
func MeasureOverhead(ctx context.Context, small, large, runs int) ([]Overhead, error) {
	if small < 1 || large <= small || runs < 1 {
		return nil, fmt.Errorf("parbeam: MeasureOverhead(%d, %d, %d): want 1 <= small < large and runs >= 1", small, large, runs)
	}
	runners := []struct {
		name string
		run  func(n int) error
	}{
		{string(parkit.Goroutines), func(n int) error { return parkitMap(ctx, parkit.Goroutines, n) }},
		{string(parkit.Processes), func(n int) error { return parkitMap(ctx, parkit.Processes, n) }},
		{"beam prism", func(n int) error { _, err := Run(ctx, Config{Tasks: n, Reshuffle: true}); return err }},
	}
	out := make([]Overhead, len(runners))
	for i, r := range runners {
		out[i] = Overhead{Executor: r.name, Small: small, Large: large}
	}
	// A first, untimed run of each starts what stays up (Prism's job
	// server) and warms the caches.
	for _, r := range runners {
		if err := r.run(small); err != nil {
			return nil, fmt.Errorf("parbeam: %s, %d tasks: %w", r.name, small, err)
		}
	}
	for range runs {
		for i, r := range runners {
			for _, n := range []int{small, large} {
				start := time.Now()
				if err := r.run(n); err != nil {
					return nil, fmt.Errorf("parbeam: %s, %d tasks: %w", r.name, n, err)
				}
				took, best := time.Since(start), &out[i].WallSmall
				if n == large {
					best = &out[i].WallLarge
				}
				if *best == 0 || took < *best {
					*best = took
				}
			}
		}
	}
	for i := range out {
		o := &out[i]
		o.PerElement = (o.WallLarge - o.WallSmall) / time.Duration(large-small)
		o.Fixed = o.WallSmall - o.PerElement*time.Duration(small)
	}
	return out, nil
}

// parkitMap runs n empty busy tasks with parkit.Map on a new executor of
// 2 workers, closed before it returns.
func parkitMap(ctx context.Context, kind parkit.Kind, n int) error {
	ex, err := parkit.New(kind, 2)
	if err != nil {
		return err
	}
	defer ex.Close()
	_, err = parkit.Map(ctx, ex, parkit.BusyTask, make([]int64, n))
	return err
}
