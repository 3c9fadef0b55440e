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
	"github.com/parallelize-your-go/kit/parkit"
	"golang.org/x/sys/unix"
)

// A Config is one busy experiment on Beam. The zero value runs the
// article's shape (15 elements) of an empty loop; set Steps (e.g. with
// parkit.CalibrateBusy) for real work.
type Config struct {
	Tasks int   // elements; default 15
	Steps int64 // busy-loop steps per element (parkit.BusyTask)

	// Endpoint is a Beam job service (host:port) to submit the pipeline
	// to: a Prism job server process (parbeam jobserver, StartCluster) or
	// a real cluster's (Flink's or Spark's job server). "" runs Prism
	// embedded in this process.
	Endpoint string
	// WorkerPool is an external SDK worker pool (host:port, as the job
	// service sees it) the runner asks for its workers: parbeam
	// workerpool, which runs them as goroutines of its own process. ""
	// is Beam's LOOPBACK: the workers run in this process, and the runner
	// dials back to it (so this process must stay up and reachable).
	WorkerPool string
	// RecordDir is where the elements write their spans, in a directory of
	// the run's own that Run removes: it must be the same path for the
	// workers and this process (a shared file system on a real cluster).
	// "" is the system's temporary directory, enough on one machine.
	RecordDir string

	// Progress, if set, is called from another goroutine with the number
	// of elements ended so far, each time it grows (checked every 20 ms,
	// while the job runs). Run waits for it to return before it returns.
	Progress func(ended int)

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
	// Tasks is the number of elements asked for. When the job failed,
	// Timeline holds only the element runs that ended (its Tasks and
	// Serial count those) and its Executor ends in ", job failed".
	Tasks int
}

// LogLevel is the level of the logs Beam and Prism write to stderr, set at
// the first Run (beam.Init installs slog's default handler then): "warn"
// keeps a notebook's outputs to the run's own; "info" shows each job's
// progress.
var LogLevel = "warn"

// runMu serializes runs: the Go SDK keeps its job options (endpoint,
// experiments) in package-level flags.
var runMu sync.Mutex

// Run runs cfg as a Beam pipeline and returns its timeline. With no
// Endpoint it runs on Prism embedded in this process (the first run starts
// Prism's job server, which then stays up for the next runs); with one, it
// submits through Beam's universal runner, as the Go SDK's Flink and Spark
// runners do. It first checks, within a few seconds, that the Endpoint and
// WorkerPool answer, and returns an error that names the address if not.
// It blocks until the job ends. A job that fails returns an error that
// says so with Beam's reason and, beside it, a Result of the elements that
// finished (each writes its span as it ends). Cancelling ctx stops the
// wait, not the job: the Go SDK does not cancel it on the job service.
// Runs take turns: Beam keeps its job options in package-level flags,
// which Run sets and restores.
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
	if err := checkServices(ctx, cfg); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(cfg.RecordDir, "parbeam-")
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
	stop := watchProgress(dir, cfg.Progress)
	jobErr := submit(ctx, p, cfg, dir)
	stop()
	wall := time.Since(start)
	// Why not measured with a worker pool: the elements ran in its
	// process, which this one cannot read, and its CPU time would count as
	// other programs' load.
	if cfg.WorkerPool == "" {
		tl.CPUTime = processCPU() - cpuBefore
		tl.OthersCores = load.OthersCores()
	}
	recs, err := readRecords(dir)
	if err != nil {
		return nil, err
	}
	res := toResult(tl, recs, start)
	res.Wall, res.Tasks = wall, cfg.Tasks
	if jobErr != nil {
		tl.Executor += ", job failed"
		tl.Tasks, tl.Serial = len(tl.Spans), one*time.Duration(len(tl.Spans))
		return res, fmt.Errorf("parbeam: the Beam job failed (%d of %d elements finished): %w",
			res.Finished(), cfg.Tasks, jobErr)
	}
	if res.Bundles == 0 {
		return nil, fmt.Errorf("parbeam: the job ended but no element recorded a span in %s", dir)
	}
	return res, nil
}

// Finished counts the elements that ran to their end without error.
func (r *Result) Finished() int {
	n := 0
	for _, s := range r.Timeline.Spans {
		if s.Err == nil {
			n++
		}
	}
	return n
}

func executorName(cfg Config) string {
	name := "beam prism"
	if cfg.Endpoint != "" {
		name = "beam job service"
	}
	if cfg.WorkerPool != "" {
		name += " + worker pool"
	}
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

// watchProgress calls progress with the number of records in dir each
// time it grows, until the returned stop is called; stop returns once
// progress has returned.
func watchProgress(dir string, progress func(int)) (stop func()) {
	if progress == nil {
		return func() {}
	}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		seen := 0
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
			}
			if recs, err := readRecords(dir); err == nil && len(recs) > seen {
				seen = len(recs)
				progress(seen)
			}
		}
	}()
	return func() { close(quit); <-done }
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
	return firstSeen(r.Elements, func(e Element) string { return e.Host })
}

// PIDs lists the processes that ran elements, in first-start order.
func (r *Result) PIDs() []int {
	return firstSeen(r.Timeline.Spans, func(s parkit.Span) int { return s.PID })
}

// firstSeen lists the distinct keys of items, in the order they first
// appear.
func firstSeen[T any, K comparable](items []T, key func(T) K) []K {
	var keys []K
	for _, it := range items {
		if k := key(it); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// Retried counts the element runs that were a retry (Attempt > 1).
func (r *Result) Retried() int {
	n := 0
	for _, e := range r.Elements {
		if e.Attempt > 1 {
			n++
		}
	}
	return n
}

// Summary says in one line how the elements were spread.
func (r *Result) Summary() string {
	if r.Bundles == 0 {
		return fmt.Sprintf("%s: none of %d elements finished", r.Timeline.Executor, r.Tasks)
	}
	ran := fmt.Sprint(r.Tasks)
	if n := len(r.Timeline.Spans); n < r.Tasks {
		ran = fmt.Sprintf("%d of %d", n, r.Tasks)
	}
	return fmt.Sprintf("%s: %s elements in %d bundle(s) on %s; at most %d at once; wall %v",
		r.Timeline.Executor, ran, r.Bundles, strings.Join(r.Hosts(), ", "),
		r.Timeline.MaxOverlap(), parkit.Approx(r.Wall))
}
