package lesson

import (
	"context"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// PerTask runs n tiny tasks t(0) on ex and returns the cost per task:
// either one future per task (parkit.Submit for each, then Result for
// each) or one parkit.Map call over all n inputs.
func PerTask(ctx context.Context, ex *parkit.Executor, t *parkit.Task[int, int], n int, useMap bool) (time.Duration, error) {
	inputs := make([]int, n)
	start := time.Now()
	if useMap {
		if _, err := parkit.Map(ctx, ex, t, inputs); err != nil {
			return 0, err
		}
		return time.Since(start) / time.Duration(n), nil
	}
	futures := make([]*parkit.Future[int], n)
	for i := range futures {
		futures[i] = parkit.Submit(ex, t, inputs[i])
	}
	for _, f := range futures {
		if _, err := f.Result(); err != nil {
			return 0, err
		}
	}
	return time.Since(start) / time.Duration(n), nil
}

// Chunked runs t(0), ..., t(n-1) on ex, handing the tasks to the workers
// in chunks of chunk tasks (one parkit.Go closure per chunk), and returns
// the cost per task. ex must run closures: goroutines or threads.
func Chunked(ctx context.Context, ex *parkit.Executor, t *parkit.Task[int, int], n, chunk int) (time.Duration, error) {
	start := time.Now()
	var futures []*parkit.Future[int]
	for lo := 0; lo < n; lo += chunk {
		futures = append(futures, parkit.Go(ex, func(ctx context.Context) (int, error) {
			sum := 0
			for i := lo; i < min(lo+chunk, n); i++ {
				v, err := t.Call(ctx, i)
				if err != nil {
					return 0, err
				}
				sum += v
			}
			return sum, nil
		}))
	}
	for _, f := range futures {
		if _, err := f.Result(); err != nil {
			return 0, err
		}
	}
	return time.Since(start) / time.Duration(n), nil
}

// A PythonCost is one row of notebooks/python/overhead.py's output: what
// one tiny task costs through one Python pool API.
type PythonCost struct {
	Label     string  `json:"label"`
	USPerTask float64 `json:"us_per_task"`
	Tasks     int     `json:"tasks"`
}
