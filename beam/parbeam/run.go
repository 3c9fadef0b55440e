package parbeam

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/parallelize-your-go/kit/parkit"
	"golang.org/x/sys/unix"
)

// A Config is one busy experiment on Beam. The zero value runs the
// article's shape (15 elements) of an empty loop; set Steps (e.g. with
// parkit.CalibrateBusy) for real work.
type Config struct {
	Tasks int   // elements; default 15
	Steps int64 // busy-loop steps per element (parkit.BusyTask)

	// Reshuffle puts a beam.Reshuffle between Create and the busy step: a
	// fusion break, so the busy step's elements arrive as data Prism can
	// split, rather than being emitted inside Create's one bundle.
	Reshuffle bool
	// NoSplit turns off Prism's dynamic splitting (its experiment
	// prism_disable_sdf_split): with Reshuffle, it shows that the split,
	// not the Reshuffle alone, spreads the elements.
	NoSplit bool
}

// Element is where and when one element ran.
type Element struct {
	Task    int
	Bundle  string // host/pid/n: the bundle that ran it (our name; Beam does not tell a DoFn)
	Host    string
	Attempt int // 1 for the first run of this task, 2 for a retry, ...
}

// A Result is a run's timeline plus what parkit's Span has no field for.
type Result struct {
	// Timeline is the run as parkit draws it: a span per element run
	// (retries included), Worker = the bundle's index in start order,
	// Workers = the number of bundles.
	Timeline *parkit.Timeline
	Elements []Element     // in the order of Timeline.Spans
	Bundles  int           // bundles that ran at least one element
	Wall     time.Duration // from building the pipeline to the job's end
}

// LogLevel is the level of the logs Beam and Prism write to stderr, set at
// the first Run (beam.Init installs slog's default handler then): "warn"
// keeps a notebook's outputs to the run's own; "info" shows each job's
// progress.
var LogLevel = "warn"

// runMu serializes runs: the Go SDK keeps its job options (endpoint,
// experiments) in package-level flags.
var runMu sync.Mutex

// Run runs cfg as a Beam pipeline on Prism embedded in this process and
// returns its timeline. It blocks until the job ends; the first run also
// starts Prism's job server, which then stays up for the next runs.
// Each element costs tens of microseconds of Beam's own work on top of
// the busy loop, and a run tens of milliseconds to start (see
// MeasureOverhead and BenchmarkOverhead).
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Tasks == 0 {
		cfg.Tasks = 15
	}
	if cfg.Tasks < 0 || cfg.Tasks > parkit.MaxTasks {
		return nil, fmt.Errorf("parbeam: %d tasks: a run takes 1 to %d", cfg.Tasks, parkit.MaxTasks)
	}
	if cfg.Steps < 0 {
		return nil, fmt.Errorf("parbeam: %d steps: use 0 or more (parkit.CalibrateBusy gives a count)", cfg.Steps)
	}
	if err := checkLocalhost(ctx, net.DefaultResolver.LookupHost); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "parbeam-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	runMu.Lock()
	defer runMu.Unlock()
	if !beam.Initialized() {
		beamlog.LogLevel = LogLevel
		beam.Init()
	}
	*jobopts.Experiments = ""
	if cfg.NoSplit {
		*jobopts.Experiments = "prism_disable_sdf_split"
	}

	limit := parkit.ReadCPULimit()
	tl := &parkit.Timeline{
		Executor: executorName(cfg), Workload: parkit.Busy(cfg.Steps).String(),
		Tasks: cfg.Tasks, GOMAXPROCS: runtime.GOMAXPROCS(0),
		NumCPU: limit.NumCPU, CPULimit: limit.Cores,
	}
	one, err := parkit.Experiment{Workload: parkit.Busy(cfg.Steps)}.Baseline(ctx)
	if err != nil {
		return nil, fmt.Errorf("parbeam: %w", err)
	}
	tl.Serial = one * time.Duration(cfg.Tasks)

	p, s := beam.NewPipelineWithRoot()
	col := beam.Create(s, slices.Collect(indices(cfg.Tasks))...)
	if cfg.Reshuffle {
		col = beam.Reshuffle(s, col)
	}
	beam.ParDo0(s, &busyFn{Dir: dir, Steps: cfg.Steps}, col)

	load := parkit.StartLoadMeter()
	cpuBefore := processCPU()
	start := time.Now()
	_, err = prism.Execute(ctx, p)
	wall := time.Since(start)
	tl.CPUTime = processCPU() - cpuBefore
	tl.OthersCores = load.OthersCores()
	if err != nil {
		return nil, fmt.Errorf("parbeam: the Beam job failed: %w", err)
	}
	recs, err := readRecords(dir)
	if err != nil {
		return nil, err
	}
	res := toResult(tl, recs, start)
	res.Wall = wall
	if res.Bundles == 0 {
		return nil, fmt.Errorf("parbeam: the job ended but no element recorded a span in %s", dir)
	}
	return res, nil
}

func executorName(cfg Config) string {
	name := "beam prism"
	if cfg.Reshuffle {
		name += " + reshuffle"
	}
	if cfg.NoSplit {
		name += ", no split"
	}
	return name
}

func indices(n int) func(yield func(any) bool) {
	return func(yield func(any) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
		}
	}
}

func processCPU() time.Duration {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// readRecords reads every bundle's record file in dir.
func readRecords(dir string) ([]record, error) {
	files, err := filepath.Glob(filepath.Join(dir, "bundle-*.jsonl"))
	if err != nil {
		return nil, err
	}
	var recs []record
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var r record
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				f.Close()
				return nil, fmt.Errorf("parbeam: a record in %s: %w", name, err)
			}
			recs = append(recs, r)
		}
		f.Close()
	}
	return recs, nil
}

// toResult orders the records by start and makes them spans: a bundle is
// a worker, numbered in the order the bundles started.
func toResult(tl *parkit.Timeline, recs []record, start time.Time) *Result {
	slices.SortFunc(recs, func(a, b record) int {
		return cmp.Or(cmp.Compare(a.StartNS, b.StartNS), cmp.Compare(a.Task, b.Task))
	})
	worker := map[string]int{}
	attempts := map[int]int{}
	res := &Result{Timeline: tl}
	for _, r := range recs {
		w, ok := worker[r.Bundle]
		if !ok {
			w = len(worker)
			worker[r.Bundle] = w
		}
		attempts[r.Task]++
		sp := parkit.Span{Task: r.Task, Worker: w, PID: r.PID, TID: r.TID, CPU: r.CPU,
			Start: time.Unix(0, r.StartNS).Sub(start), End: time.Unix(0, r.EndNS).Sub(start)}
		if r.Error != "" {
			sp.Err = fmt.Errorf("%s", r.Error)
		}
		tl.Spans = append(tl.Spans, sp)
		res.Elements = append(res.Elements, Element{Task: r.Task, Bundle: r.Bundle, Host: r.Host, Attempt: attempts[r.Task]})
	}
	tl.Workers = len(worker)
	res.Bundles = len(worker)
	return res
}

// Hosts lists the hosts that ran elements, in first-start order.
func (r *Result) Hosts() []string {
	var hosts []string
	for _, e := range r.Elements {
		if !slices.Contains(hosts, e.Host) {
			hosts = append(hosts, e.Host)
		}
	}
	return hosts
}

// Summary says in one line how the elements were spread.
func (r *Result) Summary() string {
	return fmt.Sprintf("%s: %d elements in %d bundle(s) on %s; at most %d at once; wall %v",
		r.Timeline.Executor, r.Timeline.Tasks, r.Bundles, strings.Join(r.Hosts(), ", "),
		r.Timeline.MaxOverlap(), parkit.Approx(r.Wall))
}
