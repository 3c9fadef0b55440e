package parkit

import (
	"context"
	"fmt"
	"io"
	"runtime/trace"
	"strconv"
	"sync"
	"time"
)

// TraceTo makes the executor record a Go execution trace (runtime/trace)
// into w from New until Close or Shutdown returns, with each task that runs
// in this process marked so the trace says exactly which goroutine ran it:
// a region of type TraceRegion around the task and, inside it, a log entry
// of category TraceRegion whose message is "SEQ NS": the task's submission
// number on this executor (0, 1, ...; an Experiment's task index) and the
// time since the executor started, on the clock of the spans. parkit/sched
// derives the scheduler's view from such a trace; `go tool trace` opens it.
//
// Only one execution trace can run in a program at a time: New fails if
// another is running (go test -trace, another executor with TraceTo).
// Tracing costs each task a region and a log entry (about a microsecond)
// and a busy program a few percent of its speed: the bench table measures
// both ("Execution traces"). Process executors trace the parent only: what
// a worker process ran is not in the trace.
func TraceTo(w io.Writer) Option { return func(c *config) { c.traceTo = w } }

// TraceRegion is the region type and log category that mark tasks in an
// execution trace recorded with TraceTo.
const TraceRegion = "parkit.task"

// A tracer numbers an executor's tasks in submission order and marks them
// in the execution trace.
type tracer struct {
	started time.Time
	mu      sync.Mutex
	next    int
	seq     map[job]int
	stop    sync.Once
}

// startTracing starts the execution trace for ex, if it asked for one.
func (ex *Executor) startTracing() error {
	if ex.cfg.traceTo == nil {
		return nil
	}
	if err := trace.Start(ex.cfg.traceTo); err != nil {
		return fmt.Errorf("parkit: TraceTo: %w: only one execution trace can run at a time; stop the other one (go test -trace, another executor with TraceTo) first", err)
	}
	ex.tracer = &tracer{started: ex.started, seq: map[job]int{}}
	return nil
}

// stopTracing ends the execution trace, once; the writer then holds all of it.
func (ex *Executor) stopTracing() {
	if ex.tracer != nil {
		ex.tracer.stop.Do(trace.Stop)
	}
}

// submitted numbers j in submission order.
func (t *tracer) submitted(j job) {
	t.mu.Lock()
	t.seq[j] = t.next
	t.next++
	t.mu.Unlock()
}

// run runs j with fn inside a task region that names it.
func (t *tracer) run(j job, fn func(job)) {
	t.mu.Lock()
	seq := t.seq[j]
	delete(t.seq, j)
	t.mu.Unlock()
	ctx := context.Background()
	region := trace.StartRegion(ctx, TraceRegion)
	// Why the clock in the message: the trace has its own clock; the log
	// event is stamped just after this reading, which ties the two.
	now := time.Since(t.started)
	trace.Log(ctx, TraceRegion, strconv.Itoa(seq)+" "+strconv.FormatInt(int64(now), 10))
	fn(j)
	region.End()
}
