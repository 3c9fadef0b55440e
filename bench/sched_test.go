package bench

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/exp/trace"

	"github.com/parallelize-your-go/kit/parkit"
	"github.com/parallelize-your-go/kit/parkit/sched"
)

// BenchmarkTracing runs the busy experiment (15 CPU-bound tasks of about
// 50 ms on 5 goroutine workers) without and with an execution trace
// (parkit.TraceTo), alternating, and reports the slowdown tracing causes
// in percent of the untraced makespan, and the extra CPU time in percent
// (less sensitive to other programs' load). Why alternating in one benchmark:
// the machine's load drifts, and two separate benchmarks would compare
// different moments. Run it with -benchtime=Nx.
func BenchmarkTracing(b *testing.B) {
	n := parkit.CalibrateBusy(50 * time.Millisecond)
	x := parkit.Experiment{Workload: parkit.Busy(n), SkipSerial: true}
	// run returns the experiment's makespan and CPU time. Why not wall
	// time around Run: starting and stopping the trace (a stop-the-world
	// each) is a one-off cost, not a slowdown of the tasks.
	run := func(traced bool) (time.Duration, time.Duration) {
		y := x
		if traced {
			y.Options = []parkit.Option{parkit.TraceTo(io.Discard)}
		}
		tl, err := y.Run(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		return tl.Makespan(), tl.CPUTime
	}
	run(false) // warm up: this VM's CPU speeds up under load
	var off, on, offCPU, onCPU time.Duration
	i := 0
	for b.Loop() {
		for k := range 2 { // untraced first, then traced first
			traced := (i+k)%2 == 1
			span, cpu := run(traced)
			if traced {
				on, onCPU = on+span, onCPU+cpu
			} else {
				off, offCPU = off+span, offCPU+cpu
			}
		}
		i++
	}
	b.ReportMetric(100*(float64(on)/float64(off)-1), "slowdown-%")
	b.ReportMetric(100*(float64(onCPU)/float64(offCPU)-1), "cpu-%")
	b.ReportMetric(float64(off)/float64(i)/1e6, "off-ms")
	b.ReportMetric(float64(on)/float64(i)/1e6, "on-ms")
}

// BenchmarkDerive times sched.DeriveFile on a trace of many tiny tasks
// (about a million events), and beside it x/exp/trace's own reader alone
// reading every event of the same file: the floor. Both report ms per
// million events.
func BenchmarkDerive(b *testing.B) {
	path := filepath.Join(b.TempDir(), "tiny.trace")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	x := parkit.Experiment{Workload: parkit.Idle(0), Tasks: 150_000, SkipSerial: true,
		Options: []parkit.Option{parkit.TraceTo(f)}}
	tl, err := x.Run(context.Background())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	events := 0
	b.Run("derive", func(b *testing.B) {
		for b.Loop() {
			s, err := sched.DeriveFile(path, tl)
			if err != nil {
				b.Fatal(err)
			}
			events = s.Events
		}
		b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(events)*1e6/1e6, "ms/Mevents")
		b.ReportMetric(float64(events), "events")
	})
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			events = readAll(b, path)
		}
		b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(events)*1e6/1e6, "ms/Mevents")
	})
}

// readAll reads every event of the trace at path with x/exp/trace.
func readAll(b *testing.B, path string) int {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	r, err := trace.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for {
		if _, err := r.ReadEvent(); err == io.EOF {
			return n
		} else if err != nil {
			b.Fatal(err)
		}
		n++
	}
}
