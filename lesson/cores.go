package lesson

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/parallelize-your-go/kit/parkit"
	"github.com/parallelize-your-go/kit/parkit/chart"
)

// Speedups runs tasks copies of work on goroutines, OS threads and
// processes, with each worker count, and returns the timelines by kind, in
// the order of workers. It prints one line per run: the speedup over
// serial and the cores the run used ("unreliable" instead of a speedup
// the run cannot have reached: see parkit.Timeline.Unreliable), and notes
// the last run of each kind for the table.
func Speedups(ctx context.Context, work parkit.Workload, tasks int, workers ...int) (map[parkit.Kind][]*parkit.Timeline, error) {
	runs := map[parkit.Kind][]*parkit.Timeline{}
	for _, kind := range parkit.Kinds {
		for _, w := range workers {
			tl, err := parkit.Experiment{Executor: kind, Workers: w, Tasks: tasks, Workload: work}.Run(ctx)
			if err != nil {
				return nil, err
			}
			runs[kind] = append(runs[kind], tl)
			fmt.Printf("%-10s %s: %s\n", kind, plural(w, "worker"), speedupAndCores(tl))
		}
		last := runs[kind][len(runs[kind])-1]
		Note("speedup "+string(kind), fmt.Sprintf("%s with %s", speedupAndCores(last), plural(last.Workers, "worker")))
	}
	return runs, nil
}

func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}

// MemoryHeavy runs the article's memory-costly case, parkit.ArticleMemory
// (each task allocates and touches 64 MiB; 16 MiB in quick mode), 15
// tasks on 5 workers, on goroutines, OS threads and processes, and returns
// the timelines by kind. Before each run it hands the memory of earlier
// runs back to the OS (debug.FreeOSMemory), so goroutines and threads too
// must get every page from the OS, as fresh worker processes must. It
// prints one line per kind and notes the makespans for the table.
func MemoryHeavy(ctx context.Context) (map[parkit.Kind]*parkit.Timeline, error) {
	runs := map[parkit.Kind]*parkit.Timeline{}
	for _, kind := range parkit.Kinds {
		debug.FreeOSMemory()
		tl, err := parkit.Experiment{Executor: kind, Workers: 5, Tasks: 15, Workload: parkit.ArticleMemory()}.Run(ctx)
		if err != nil {
			return nil, err
		}
		runs[kind] = tl
		fmt.Printf("%-10s makespan %-8v cores used %.2f\n", kind, showDuration(tl.Makespan()), tl.CoresUsed())
		Note("memory-heavy "+string(kind), showDuration(tl.Makespan()))
	}
	return runs, nil
}

// SpeedupSeries turns Speedups' timelines into one chart series per kind:
// the speedups, in the order of the worker counts.
func SpeedupSeries(runs map[parkit.Kind][]*parkit.Timeline) []chart.Series {
	var series []chart.Series
	for _, kind := range parkit.Kinds {
		s := chart.Series{Name: string(kind)}
		for _, tl := range runs[kind] {
			s.Values = append(s.Values, tl.Speedup())
		}
		series = append(series, s)
	}
	return series
}
