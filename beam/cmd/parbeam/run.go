package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"
	"github.com/parallelize-your-go/kit/beam/parbeam"
	"github.com/parallelize-your-go/kit/parkit"
)

// run runs the busy experiment with parbeam.Run, configured by the Go
// SDK's standard flags (which its packages define on flag.CommandLine)
// and the experiment's own, prints its summary and writes its timeline.
func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("parbeam run", flag.ContinueOnError)
	flag.CommandLine.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, f.Name, f.Usage) })
	runner := fs.String("runner", "prism", "Beam runner: prism, or universal, portable, flink, spark (these need --endpoint)")
	tasks := fs.Int("tasks", 15, "elements")
	steps := fs.Int64("steps", -1, "busy-loop steps per element (default: -element's worth)")
	element := fs.Duration("element", 0, "busy time per element, calibrated on this machine, when -steps is not given")
	reshuffle := fs.Bool("reshuffle", false, "put a Reshuffle before the busy step (a fusion break, so the runner may split)")
	records := fs.String("records", "", "directory the workers and this process share for the elements' spans (default: a temporary one)")
	jsonFile := fs.String("json", "", "write the timeline to this file as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg := parbeam.Config{Tasks: *tasks, Steps: *steps, Reshuffle: *reshuffle,
		Endpoint: *jobopts.Endpoint, RecordDir: *records}
	switch {
	case *tasks < 1 || *tasks > parkit.MaxTasks:
		return badUsage{fmt.Errorf("-tasks %d: want 1 to %d", *tasks, parkit.MaxTasks)}
	case *steps >= 0 && *element != 0:
		return badUsage{fmt.Errorf("give -steps or -element, not both")}
	case *steps < -1 || *element < 0:
		return badUsage{fmt.Errorf("-steps %d, -element %v: want 0 or more", *steps, *element)}
	case *steps == -1:
		cfg.Steps = parkit.CalibrateBusy(*element)
	}
	switch strings.ToLower(*runner) {
	case "prism":
	case "universal", "portable", "flink", "spark":
		// The Go SDK's Flink and Spark runners only call the universal
		// runner (runners/flink/flink.go, runners/spark/spark.go).
		if cfg.Endpoint == "" {
			return badUsage{fmt.Errorf("--runner %s needs --endpoint, its job server's host:port", *runner)}
		}
	default:
		return badUsage{fmt.Errorf("--runner %s: parbeam run submits to a Beam job service "+
			"(prism, universal, portable, flink, spark); Dataflow's Go runner is not built in", *runner)}
	}
	switch strings.ToUpper(*jobopts.EnvironmentType) {
	case "", "LOOPBACK":
	case "EXTERNAL":
		if *jobopts.EnvironmentConfig == "" {
			return badUsage{fmt.Errorf("--environment_type EXTERNAL needs --environment_config, the worker pool's host:port")}
		}
		cfg.WorkerPool = *jobopts.EnvironmentConfig
	default:
		return badUsage{fmt.Errorf("--environment_type %s: parbeam run takes LOOPBACK (workers in this process) "+
			"or EXTERNAL (a worker pool: parbeam workerpool)", *jobopts.EnvironmentType)}
	}

	res, err := parbeam.Run(ctx, cfg)
	if res != nil {
		fmt.Println(res.Summary())
		if *jsonFile != "" {
			if werr := writeJSON(*jsonFile, res.Timeline); werr != nil && err == nil {
				err = werr
			}
		}
	}
	return err
}

func writeJSON(name string, tl *parkit.Timeline) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := tl.WriteJSON(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
