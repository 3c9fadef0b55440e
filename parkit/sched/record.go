package sched

import (
	"context"
	"fmt"
	"os"
	"slices"

	"github.com/parallelize-your-go/kit/parkit"
)

// Record runs the experiment x with an execution trace written to the file
// at tracePath (kept, for `go tool trace`) and returns its timeline and
// the scheduler's view of it. Tracing slows a busy run by a few percent;
// deriving takes about twice as long as reading the trace (the bench
// table's "Execution traces" rows). It fails if another execution trace
// is running.
func Record(ctx context.Context, x parkit.Experiment, tracePath string) (*parkit.Timeline, *Sched, error) {
	f, err := os.Create(tracePath)
	if err != nil {
		return nil, nil, fmt.Errorf("sched: the trace file: %w", err)
	}
	x.Options = append(slices.Clip(x.Options), parkit.TraceTo(f))
	tl, err := x.Run(ctx)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("sched: writing the trace: %w", cerr)
	}
	if err != nil {
		return nil, nil, err
	}
	s, err := DeriveFile(tracePath, tl)
	if err != nil {
		return nil, nil, err
	}
	return tl, s, nil
}
