// Compare runs the article's experiment on goroutines, OS threads and OS
// processes, one after another, and draws the three timelines on one time
// axis: in the terminal, and as an interactive page with -html.
//
//	go run ./examples/compare                        # busy tasks of 0.2 s
//	go run ./examples/compare -workload idle -duration 2s -html /tmp/compare.html
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/parallelize-your-go/kit/examples/internal/cli"
	"github.com/parallelize-your-go/kit/parkit"
	"github.com/parallelize-your-go/kit/parkit/chart"
)

// maxDuration bounds -duration: 15 tasks of it run three times.
const maxDuration = time.Minute

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("compare", flag.ContinueOnError)
	flags.SetOutput(stderr)
	workload := flags.String("workload", "busy", "idle (sleep) or busy (CPU loop)")
	duration := flags.Duration("duration", 200*time.Millisecond, "how long one task takes (the article: 2s)")
	htmlPath := flags.String("html", "", "also write the chart as a standalone HTML page")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "compare: unexpected arguments %q: every setting is a flag\n", flags.Args())
		return 2
	}
	if *htmlPath != "" {
		if err := cli.CheckOutput(*htmlPath); err != nil {
			fmt.Fprintln(stderr, "compare: -html:", err)
			return 2
		}
	}
	// Quick by default: 15 tasks of 0.2 s take a few seconds per kind.
	var work parkit.Workload
	switch {
	case *duration <= 0 || *duration > maxDuration:
		fmt.Fprintf(stderr, "compare: -duration %v: use more than 0 and at most %v\n", *duration, maxDuration)
		return 2
	case *workload == "idle":
		work = parkit.Idle(*duration)
	case *workload == "busy":
		work = parkit.BusyFor(*duration)
	default:
		fmt.Fprintf(stderr, "compare: -workload %q: use idle or busy\n", *workload)
		return 2
	}

	// Run the same experiment on each kind of worker.
	var timelines []*parkit.Timeline
	for _, kind := range parkit.Kinds {
		tl, err := parkit.Experiment{Executor: kind, Workload: work}.Run(context.Background())
		if err != nil {
			fmt.Fprintln(stderr, "compare:", err)
			return 1
		}
		fmt.Fprintf(stdout, "%-10s makespan %-8v speedup %.2fx  cores used %.2f\n",
			kind, parkit.Approx(tl.Makespan()), tl.Speedup(), tl.CoresUsed())
		timelines = append(timelines, tl)
	}

	// Draw them on one time axis.
	c := chart.Compare(timelines, chart.Title("The article's experiment: goroutines, threads, processes"))
	fmt.Fprintln(stdout)
	fmt.Fprint(stdout, c.Text())
	if *htmlPath != "" {
		if err := c.SaveHTML(*htmlPath); err != nil {
			fmt.Fprintln(stderr, "compare:", err)
			return 1
		}
		fmt.Fprintln(stdout, "\nwrote", *htmlPath)
	}
	return 0
}
