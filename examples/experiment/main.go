// Experiment runs the article's experiment from the terminal: a number of
// tasks (default 15) on a pool of workers (default 5), with an idle, busy
// or memory workload, and draws when each task ran.
//
//	go run ./examples/experiment -executor goroutines -workload busy
//	GOMAXPROCS=1 go run ./examples/experiment -workload busy   # Go's "GIL"
//	PARKIT_QUICK=1 go run ./examples/experiment                # seconds
//	go run ./examples/experiment -html /tmp/timeline.html      # an interactive chart
//	go run ./examples/experiment -workload busy -sched /tmp/s.json -html /tmp/s.html
//	                                  # where each task's goroutine ran (P, thread), from a trace
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/parallelize-your-go/kit/examples/internal/cli"
	"github.com/parallelize-your-go/kit/parkit"
	"github.com/parallelize-your-go/kit/parkit/chart"
	"github.com/parallelize-your-go/kit/parkit/sched"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("experiment", flag.ContinueOnError)
	flags.SetOutput(stderr)
	executor := flags.String("executor", "goroutines", "where tasks run: goroutines, threads or processes")
	workload := flags.String("workload", "idle", "what each task does: idle (sleep), busy (CPU loop) or memory")
	workers := flags.Int("workers", 5, "number of workers")
	tasks := flags.Int("tasks", 15, "number of tasks")
	jsonPath := flags.String("json", "", "write the timeline as JSON to this file")
	csvPath := flags.String("csv", "", "write the timeline as CSV to this file")
	htmlPath := flags.String("html", "", "write the timeline as an interactive chart, a standalone HTML page that works offline")
	schedPath := flags.String("sched", "", "record an execution trace (kept beside it as .trace) and write where each task's goroutine ran, as JSON, to this file")
	width := flags.Int("width", 100, "width of the text timeline in columns")
	if err := flags.Parse(args); err != nil {
		return 2 // flag has printed the error and usage
	}
	if flags.NArg() > 0 {
		return usageError(stderr, flags, "unexpected arguments %q: every setting is a flag", flags.Args())
	}

	// Step 1: pick the workload and check the flags.
	w, ok := workloads[*workload]
	if !ok {
		return usageError(stderr, flags, "-workload %q: use idle, busy or memory", *workload)
	}
	kind := parkit.Kind(*executor)
	if kind != parkit.Goroutines && kind != parkit.Threads && kind != parkit.Processes {
		return usageError(stderr, flags, "-executor %q: use goroutines, threads or processes", *executor)
	}
	if *workers <= 0 || *tasks <= 0 {
		return usageError(stderr, flags, "-workers %d -tasks %d: both must be positive", *workers, *tasks)
	}
	if *workers > parkit.DefaultMaxWorkers {
		return usageError(stderr, flags, "-workers %d: at most %d", *workers, parkit.DefaultMaxWorkers)
	}
	if *tasks > parkit.MaxTasks {
		return usageError(stderr, flags, "-tasks %d: at most %d", *tasks, parkit.MaxTasks)
	}
	if *width < minWidth || *width > maxWidth {
		return usageError(stderr, flags, "-width %d: use %d to %d columns", *width, minWidth, maxWidth)
	}
	// Output paths are checked now, not after a long run.
	for _, path := range []string{*jsonPath, *csvPath, *htmlPath, *schedPath} {
		if path == "" {
			continue
		}
		if err := cli.CheckOutput(path); err != nil {
			return usageError(stderr, flags, "%v", err)
		}
	}

	// Step 2: run it, with a progress line when stderr is a terminal.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	exp := parkit.Experiment{Executor: kind, Workers: *workers, Tasks: *tasks, Workload: w()}
	progress := newProgress(stderr, *tasks)
	exp.OnSpan = progress.taskDone
	var tl *parkit.Timeline
	var sc *sched.Sched
	var err error
	if *schedPath != "" {
		tracePath := strings.TrimSuffix(*schedPath, filepath.Ext(*schedPath)) + ".trace"
		tl, sc, err = sched.Record(ctx, exp, tracePath)
	} else {
		tl, err = exp.Run(ctx)
	}
	progress.finish()
	if err != nil {
		fmt.Fprintln(stderr, "experiment:", err)
		return 1
	}

	// Step 3: draw the timeline and print the figures.
	fmt.Fprint(stdout, tl.Text(*width))
	fmt.Fprintln(stdout)
	fmt.Fprint(stdout, tl.Summary())
	page := chart.Timeline(tl)
	if sc != nil {
		page = chart.TimelineSched(tl, sc)
		fmt.Fprintf(stdout, "\n%s\ntrace for `go tool trace`: %s\n", chart.Sched(tl, sc).Text(), sc.TraceFile)
	}

	// Step 4: export.
	var schedJSON func(io.Writer) error
	if sc != nil {
		schedJSON = sc.WriteJSON
	}
	for _, out := range []struct {
		path  string
		write func(io.Writer) error
	}{{*jsonPath, tl.WriteJSON}, {*csvPath, tl.WriteCSV}, {*schedPath, schedJSON}, {*htmlPath, page.WriteHTML}} {
		if out.path == "" {
			continue
		}
		if err := writeFile(out.path, out.write); err != nil {
			fmt.Fprintln(stderr, "experiment:", err)
			return 1
		}
	}
	return 0
}

// The text timeline's width bounds, in columns.
const minWidth, maxWidth = 20, 1000

var workloads = map[string]func() parkit.Workload{
	"idle":   parkit.ArticleIdle,
	"busy":   parkit.ArticleBusy,
	"memory": parkit.ArticleMemory,
}

func usageError(stderr io.Writer, flags *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(stderr, "experiment: "+format+"\n", args...)
	fmt.Fprintln(stderr, "run with -h to see every flag")
	return 2
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// progress prints "3/15 tasks done, 5.2s" on one terminal line while a
// run goes; it stays silent when stderr is not a terminal.
type progress struct {
	out   io.Writer
	tasks int
	start time.Time
	done  atomic.Int64
	stop  chan struct{}
	ended chan struct{}
}

func newProgress(out io.Writer, tasks int) *progress {
	p := &progress{out: out, tasks: tasks, start: time.Now(), stop: make(chan struct{}), ended: make(chan struct{})}
	if !isTerminal(out) {
		close(p.ended)
		return p
	}
	go func() {
		defer close(p.ended)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				fmt.Fprint(out, "\r\033[K") // erase the line
				return
			case <-tick.C:
				fmt.Fprintf(out, "\r%d/%d tasks done, %.1fs", p.done.Load(), p.tasks, time.Since(p.start).Seconds())
			}
		}
	}()
	return p
}

func (p *progress) taskDone(parkit.Span) { p.done.Add(1) }

func (p *progress) finish() {
	close(p.stop)
	<-p.ended
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
