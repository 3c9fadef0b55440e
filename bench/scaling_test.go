package bench

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// scalingTasks busy tasks of about scalingTask each make one scaling run:
// 8 tasks split evenly over 1, 2, 4 or 8 workers.
const (
	scalingTasks = 8
	scalingTask  = 50 * time.Millisecond
)

// BenchmarkScaling runs the same CPU-bound work (the busy workload) in one
// goroutine, then on w workers, and reports the speedup (serial time /
// parallel time) and the efficiency (speedup / w). Run it with -benchtime=1x.
// The anchor is plain goroutines over a WaitGroup, each with its share.
func BenchmarkScaling(b *testing.B) {
	n := parkit.CalibrateBusy(scalingTask)
	serial := func() time.Duration {
		start := time.Now()
		for range scalingTasks {
			parkit.BusyTask.Call(context.Background(), n)
		}
		return time.Since(start)
	}
	for w := 1; w <= runtime.NumCPU(); w++ {
		for _, kind := range parkit.Kinds {
			b.Run(string(kind)+"/w="+strconv.Itoa(w), func(b *testing.B) {
				ex := newExecutor(b, kind, w)
				for range w { // warm up: every worker has started
					parkit.Submit(ex, parkit.BusyTask, 1000).Result()
				}
				var speedup float64
				for b.Loop() {
					s := serial()
					start := time.Now()
					futures := make([]*parkit.Future[int64], scalingTasks)
					for i := range futures {
						futures[i] = parkit.Submit(ex, parkit.BusyTask, n)
					}
					for _, f := range futures {
						if _, err := f.Result(); err != nil {
							b.Fatal(err)
						}
					}
					speedup = float64(s) / float64(time.Since(start))
				}
				b.ReportMetric(speedup, "speedup")
				b.ReportMetric(speedup/float64(w), "efficiency")
			})
		}
		b.Run("waitgroup/w="+strconv.Itoa(w), func(b *testing.B) {
			var speedup float64
			for b.Loop() {
				s := serial()
				start := time.Now()
				var wg sync.WaitGroup
				for i := range w {
					wg.Go(func() {
						for j := i; j < scalingTasks; j += w {
							parkit.BusyTask.Call(context.Background(), n)
						}
					})
				}
				wg.Wait()
				speedup = float64(s) / float64(time.Since(start))
			}
			b.ReportMetric(speedup, "speedup")
			b.ReportMetric(speedup/float64(w), "efficiency")
		})
	}
}

// BenchmarkMemory reports, read from the OS (VmRSS in /proc), the memory
// one idle goroutine, one idle locked OS thread and one idle parkit worker
// process hold. Run it with -benchtime=1x.
func BenchmarkMemory(b *testing.B) {
	for _, c := range []struct {
		name   string
		n      int // waiters to start
		locked bool
		unit   string
	}{
		{"goroutine", 20000, false, "B/goroutine"},
		{"locked-thread", 500, true, "B/thread"},
	} {
		b.Run(c.name, func(b *testing.B) {
			var perOne float64
			for b.Loop() {
				perOne = rssPerWaiter(c.n, c.locked)
			}
			b.ReportMetric(perOne, c.unit)
		})
	}
	b.Run("parkit-process", func(b *testing.B) {
		workers := runtime.GOMAXPROCS(0)
		var perOne float64
		for b.Loop() {
			ex, err := parkit.New(parkit.Processes, workers)
			if err != nil {
				b.Fatal(err)
			}
			pids := map[int]bool{}
			// Enough tasks that every worker runs some, as after real use.
			var futures []*parkit.Future[int64]
			for range 50 * workers {
				futures = append(futures, parkit.Submit(ex, addOne, 1))
			}
			for _, f := range futures {
				f.Result()
				pids[f.Span().PID] = true
			}
			var sum float64
			for pid := range pids {
				sum += float64(vmRSS(strconv.Itoa(pid)))
			}
			perOne = sum / float64(len(pids))
			ex.Close()
		}
		b.ReportMetric(perOne, "B/process")
	})
}

// rssPerWaiter starts n goroutines (locked to their own OS threads if
// locked) that block, and returns the growth of this process's RSS per
// goroutine.
func rssPerWaiter(n int, locked bool) float64 {
	// Why FreeOSMemory: it returns freed heap pages to the OS, so the
	// difference is memory the waiters hold, not garbage not yet returned.
	debug.FreeOSMemory()
	before := vmRSS("self")
	release := make(chan struct{})
	var started, ended sync.WaitGroup
	started.Add(n)
	ended.Add(n)
	for range n {
		go func() {
			defer ended.Done()
			if locked {
				runtime.LockOSThread()
				// Why not unlocked: exiting locked ends the thread, so the
				// next run starts from as many threads as this one did.
			}
			started.Done()
			<-release
		}()
	}
	started.Wait()
	debug.FreeOSMemory()
	after := vmRSS("self")
	close(release)
	ended.Wait()
	return float64(after-before) / float64(n)
}

// vmRSS reads VmRSS of /proc/<pid>/status in bytes; 0 if unknown.
func vmRSS(pid string) int64 {
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
