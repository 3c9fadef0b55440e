package bench

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/alitto/pond/v2"
	"github.com/panjf2000/ants/v2"
	"github.com/sourcegraph/conc/iter"
	"github.com/sourcegraph/conc/pool"
	"golang.org/x/sync/errgroup"

	"github.com/parallelize-your-go/kit/parkit"
)

// The tiny task every pool runs: one atomic add. Whatever a benchmark
// reports per op is the pool's cost per task.
var counter atomic.Int64

func tiny() int64 { return counter.Add(1) }

// addOne is the tiny task as a parkit task. Registered, so that a worker
// process could run it too.
var addOne = parkit.NewTask("bench.add", func(_ context.Context, n int64) (int64, error) {
	return counter.Add(n), nil
})

// workerCounts are the pool sizes of the tiny-task rows: the article's 5
// workers, and GOMAXPROCS (named "P" so the row names do not depend on the
// machine).
func workerCounts() []struct {
	name string
	n    int
} {
	return []struct {
		name string
		n    int
	}{{"w=5", 5}, {"w=P", runtime.GOMAXPROCS(0)}}
}

// BenchmarkSubmitWait submits one task and waits for its result before
// submitting the next: the latency of one hand-off to a worker and back.
func BenchmarkSubmitWait(b *testing.B) {
	for _, w := range workerCounts() {
		for _, kind := range []parkit.Kind{parkit.Goroutines, parkit.Threads} {
			b.Run("parkit-"+string(kind)+"/"+w.name, func(b *testing.B) {
				ex := newExecutor(b, kind, w.n)
				b.ReportAllocs()
				for b.Loop() {
					parkit.Submit(ex, addOne, 1).Result()
				}
			})
		}
		b.Run("floor-chanpool/"+w.name, func(b *testing.B) {
			chanPoolSubmitWait(b, w.n, false)
		})
		b.Run("floor-lockedchanpool/"+w.name, func(b *testing.B) {
			// The same floor on workers locked to OS threads: what any pool
			// of locked threads pays per hand-off (an OS wake-up).
			chanPoolSubmitWait(b, w.n, true)
		})
		b.Run("pond-future/"+w.name, func(b *testing.B) {
			p := pond.NewResultPool[int64](w.n)
			defer p.StopAndWait()
			b.ReportAllocs()
			for b.Loop() {
				p.Submit(tiny).Wait()
			}
		})
		b.Run("ants+chan/"+w.name, func(b *testing.B) {
			p, err := ants.NewPool(w.n)
			if err != nil {
				b.Fatal(err)
			}
			defer p.Release()
			b.ReportAllocs()
			for b.Loop() {
				done := make(chan int64, 1)
				p.Submit(func() { done <- tiny() })
				<-done
			}
		})
	}
	b.Run("goroutine+chan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			done := make(chan int64, 1)
			go func() { done <- tiny() }()
			<-done
		}
	})
}

// BenchmarkFireWaitAll submits b.N tasks, then waits for all of them.
func BenchmarkFireWaitAll(b *testing.B) {
	for _, w := range workerCounts() {
		for _, kind := range []parkit.Kind{parkit.Goroutines, parkit.Threads} {
			b.Run("parkit-"+string(kind)+"/"+w.name, func(b *testing.B) {
				ex := newExecutor(b, kind, w.n)
				futures := make([]*parkit.Future[int64], b.N)
				b.ReportAllocs()
				b.ResetTimer()
				for i := range futures {
					futures[i] = parkit.Submit(ex, addOne, 1)
				}
				for _, f := range futures {
					f.Result()
				}
			})
		}
		b.Run("floor-chanpool/"+w.name, func(b *testing.B) {
			tasks := make(chan func(), 1024)
			var workers, all sync.WaitGroup
			for range w.n {
				workers.Go(func() {
					for t := range tasks {
						t()
					}
				})
			}
			b.ReportAllocs()
			b.ResetTimer()
			all.Add(b.N)
			for range b.N {
				tasks <- func() { tiny(); all.Done() }
			}
			all.Wait()
			b.StopTimer()
			close(tasks)
			workers.Wait()
		})
		b.Run("errgroup/"+w.name, func(b *testing.B) {
			var g errgroup.Group
			g.SetLimit(w.n)
			b.ReportAllocs()
			for range b.N {
				g.Go(func() error { tiny(); return nil })
			}
			g.Wait()
		})
		b.Run("conc-pool/"+w.name, func(b *testing.B) {
			p := pool.New().WithMaxGoroutines(w.n)
			b.ReportAllocs()
			for range b.N {
				p.Go(func() { tiny() })
			}
			p.Wait()
		})
		b.Run("pond-group/"+w.name, func(b *testing.B) {
			p := pond.NewPool(w.n)
			defer p.StopAndWait()
			b.ReportAllocs()
			b.ResetTimer()
			g := p.NewGroup()
			for range b.N {
				g.Submit(func() { tiny() })
			}
			g.Wait()
		})
		b.Run("ants/"+w.name, func(b *testing.B) {
			p, err := ants.NewPool(w.n)
			if err != nil {
				b.Fatal(err)
			}
			defer p.Release()
			var all sync.WaitGroup
			b.ReportAllocs()
			b.ResetTimer()
			all.Add(b.N)
			for range b.N {
				p.Submit(func() { tiny(); all.Done() })
			}
			all.Wait()
		})
	}
	b.Run("waitgroup-goroutines", func(b *testing.B) {
		// No pool: one goroutine per task, b.N of them at once.
		var wg sync.WaitGroup
		b.ReportAllocs()
		for range b.N {
			wg.Go(func() { tiny() })
		}
		wg.Wait()
	})
}

// BenchmarkMap is an ordered map over b.N inputs, per element.
func BenchmarkMap(b *testing.B) {
	for _, w := range workerCounts() {
		inputs := func(b *testing.B) []int64 {
			in := make([]int64, b.N)
			for i := range in {
				in[i] = 1
			}
			return in
		}
		for _, kind := range []parkit.Kind{parkit.Goroutines, parkit.Threads} {
			b.Run("parkit-"+string(kind)+"/"+w.name, func(b *testing.B) {
				ex := newExecutor(b, kind, w.n)
				in := inputs(b)
				b.ReportAllocs()
				b.ResetTimer()
				if _, err := parkit.Map(context.Background(), ex, addOne, in); err != nil {
					b.Fatal(err)
				}
			})
		}
		b.Run("conc-iter.Map/"+w.name, func(b *testing.B) {
			in := inputs(b)
			b.ReportAllocs()
			b.ResetTimer()
			iter.Mapper[int64, int64]{MaxGoroutines: w.n}.Map(in, func(n *int64) int64 { return counter.Add(*n) })
		})
		b.Run("pond-resultgroup/"+w.name, func(b *testing.B) {
			p := pond.NewResultPool[int64](w.n)
			defer p.StopAndWait()
			in := inputs(b)
			b.ReportAllocs()
			b.ResetTimer()
			g := p.NewGroup()
			for _, n := range in {
				g.Submit(func() int64 { return counter.Add(n) })
			}
			if _, err := g.Wait(); err != nil {
				b.Fatal(err)
			}
		})
		b.Run("floor-chanpool/"+w.name, func(b *testing.B) {
			// One channel send per element, results stored by index.
			in := inputs(b)
			b.ReportAllocs()
			b.ResetTimer()
			out := make([]int64, len(in))
			idx := make(chan int, 1024)
			var wg sync.WaitGroup
			for range w.n {
				wg.Go(func() {
					for i := range idx {
						out[i] = counter.Add(in[i])
					}
				})
			}
			for i := range in {
				idx <- i
			}
			close(idx)
			wg.Wait()
		})
	}
}

// chanPoolSubmitWait is the naive future as a floor for BenchmarkSubmitWait:
// workers goroutines (each locked to an OS thread if locked) over a buffered
// channel, each task answered on a channel of its own.
func chanPoolSubmitWait(b *testing.B, workers int, locked bool) {
	type task struct{ done chan int64 }
	tasks := make(chan task, 1024)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			if locked {
				runtime.LockOSThread()
			}
			for t := range tasks {
				t.done <- tiny()
			}
		})
	}
	b.ReportAllocs()
	for b.Loop() {
		t := task{done: make(chan int64, 1)}
		tasks <- t
		<-t.done
	}
	close(tasks)
	wg.Wait()
}

func newExecutor(b *testing.B, kind parkit.Kind, workers int) *parkit.Executor {
	b.Helper()
	ex, err := parkit.New(kind, workers)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ex.Close() })
	return ex
}
