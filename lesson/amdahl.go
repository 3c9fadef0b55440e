package lesson

import (
	"context"
	"fmt"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// An AmdahlRun is one run of notebook 07's job: a serial part, then a
// parallel part, on some number of workers.
type AmdahlRun struct {
	Workers          int
	Serial, Parallel time.Duration // how long each part took
	Speedup          float64       // the one-worker job's time over this one's
	Ceiling          float64       // Amdahl's bound for this run (see Amdahl)
}

// Total is how long the whole job took.
func (r AmdahlRun) Total() time.Duration { return r.Serial + r.Parallel }

// Amdahl runs a job made of a serial part (one busy task of about task,
// alone) and a parallel part (tasks busy tasks of about task on a pool of
// goroutines) once for each worker count, the first of which should be 1.
// The busy loop is sized before any timing starts. Each run's Ceiling is
// Amdahl's law with s, the serial share of the first run's time, and the
// workers that can run at once, min(workers, cores):
// 1 / (s + (1-s)/min(workers, cores)). It prints one line per run.
func Amdahl(ctx context.Context, task time.Duration, tasks int, cores float64, workers ...int) ([]AmdahlRun, error) {
	steps := parkit.CalibrateBusy(task)
	var runs []AmdahlRun
	for _, w := range workers {
		start := time.Now()
		if _, err := parkit.BusyTask.Call(ctx, steps); err != nil {
			return nil, err
		}
		serial := time.Since(start)
		tl, err := parkit.Experiment{Workers: w, Tasks: tasks, Workload: parkit.BusyFor(task), SkipSerial: true}.Run(ctx)
		if err != nil {
			return nil, err
		}
		r := AmdahlRun{Workers: w, Serial: serial, Parallel: tl.Makespan()}
		first := r
		if len(runs) > 0 {
			first = runs[0]
		}
		s := first.Serial.Seconds() / first.Total().Seconds()
		r.Speedup = first.Total().Seconds() / r.Total().Seconds()
		r.Ceiling = 1 / (s + (1-s)/min(float64(w), cores))
		fmt.Printf("%d workers: serial %v + parallel %v = %v; speedup %.2fx, ceiling %.2fx (s = %.2f)\n",
			w, showDuration(r.Serial), showDuration(r.Parallel), showDuration(r.Total()), r.Speedup, r.Ceiling, s)
		runs = append(runs, r)
	}
	return runs, nil
}
