package lesson

import (
	"context"
	"fmt"
	"math"
	"strings"
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

// FuturesVsMap measures, for each kind with its task count, what a tiny
// task t costs on 2 workers with one future per task and with one Map
// call (PerTask), after a warm-up Map that starts the workers. It prints
// one line per kind and notes the figures ("submit <kind>", "map <kind>",
// in µs) for the Python comparison.
func FuturesVsMap(ctx context.Context, t *parkit.Task[int, int], counts map[parkit.Kind]int) (map[parkit.Kind][2]time.Duration, error) {
	costs := map[parkit.Kind][2]time.Duration{}
	for _, kind := range parkit.Kinds {
		n, ok := counts[kind]
		if !ok {
			continue
		}
		ex, err := parkit.New(kind, 2)
		if err != nil {
			return nil, err
		}
		_, err = PerTask(ctx, ex, t, 100, true) // warm up: start the workers
		var submit, mapped time.Duration
		if err == nil {
			submit, err = PerTask(ctx, ex, t, n, false)
		}
		if err == nil {
			mapped, err = PerTask(ctx, ex, t, n, true)
		}
		ex.Close()
		if err != nil {
			return nil, err
		}
		costs[kind] = [2]time.Duration{submit, mapped}
		fmt.Printf("%-10s one future per task: %8v   Map: %8v   (%d tasks)\n", kind, showDuration(submit), showDuration(mapped), n)
		Note("submit "+string(kind), fmt.Sprintf("%.2f", submit.Seconds()*1e6))
		Note("map "+string(kind), fmt.Sprintf("%.2f", mapped.Seconds()*1e6))
	}
	return costs, nil
}

// ChunkCosts runs n tiny tasks t on ex once per chunk size (Chunked),
// prints the cost per task for each and returns them in order.
func ChunkCosts(ctx context.Context, ex *parkit.Executor, t *parkit.Task[int, int], n int, chunks ...int) ([]time.Duration, error) {
	var costs []time.Duration
	for _, chunk := range chunks {
		per, err := Chunked(ctx, ex, t, n, chunk)
		if err != nil {
			return nil, err
		}
		fmt.Printf("chunk %6d: %v per task\n", chunk, showDuration(per))
		costs = append(costs, per)
	}
	return costs, nil
}

// PrintCosts prints python/overhead.py's rows, one per line, in µs per task.
func PrintCosts(rows []PythonCost) {
	for _, r := range rows {
		fmt.Printf("%-68s %8.2f µs per task (%d tasks)\n", r.Label, r.USPerTask, r.Tasks)
	}
}

// CostOf returns the cost per task, in µs, of the first row whose label
// starts with prefix, or NaN if there is none.
func CostOf(rows []PythonCost, prefix string) float64 {
	for _, r := range rows {
		if strings.HasPrefix(r.Label, prefix) {
			return r.USPerTask
		}
	}
	return math.NaN()
}

// Nanoseconds converts durations to float64 nanoseconds, for a chart.
func Nanoseconds(ds []time.Duration) []float64 {
	ns := make([]float64, len(ds))
	for i, d := range ds {
		ns[i] = float64(d.Nanoseconds())
	}
	return ns
}
