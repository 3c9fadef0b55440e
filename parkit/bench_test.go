package parkit_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parallelize-your-go/kit/parkit"
)

// The per-task overhead of each way to run a tiny task (an atomic add),
// beside plain sync.WaitGroup baselines, so that `go test -bench .` shows
// the ratio in one run. ns/op is per task.

var counter atomic.Int64

var addOne = parkit.NewTask("parkit_test.add", func(_ context.Context, n int64) (int64, error) {
	return counter.Add(n), nil
})

const benchWorkers = 5

// BenchmarkBaselineWaitGroup: one goroutine per task, a WaitGroup to wait.
func BenchmarkBaselineWaitGroup(b *testing.B) {
	var wg sync.WaitGroup
	for b.Loop() {
		wg.Add(1)
		go func() { defer wg.Done(); counter.Add(1) }()
	}
	wg.Wait()
}

// BenchmarkBaselineChannelPool: N workers over a buffered channel, each
// task waited for on its own channel: the floor for a future.
func BenchmarkBaselineChannelPool(b *testing.B) {
	type task struct{ done chan int64 }
	tasks := make(chan task, 1024)
	var wg sync.WaitGroup
	for range benchWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range tasks {
				t.done <- counter.Add(1)
			}
		}()
	}
	for b.Loop() {
		t := task{done: make(chan int64, 1)}
		tasks <- t
		<-t.done
	}
	close(tasks)
	wg.Wait()
}

func benchSubmitWait(b *testing.B, kind parkit.Kind) {
	ex, err := parkit.New(kind, benchWorkers)
	if err != nil {
		b.Fatal(err)
	}
	defer ex.Close()
	b.ReportAllocs()
	for b.Loop() {
		parkit.Submit(ex, addOne, 1).Result()
	}
}

func BenchmarkSubmitWaitGoroutines(b *testing.B) { benchSubmitWait(b, parkit.Goroutines) }
func BenchmarkSubmitWaitThreads(b *testing.B)    { benchSubmitWait(b, parkit.Threads) }

// BenchmarkSubmitAllThenWait fires every task, then waits for all.
func BenchmarkSubmitAllThenWait(b *testing.B) {
	ex, _ := parkit.New(parkit.Goroutines, benchWorkers)
	defer ex.Close()
	b.ReportAllocs()
	futures := make([]*parkit.Future[int64], b.N)
	b.ResetTimer()
	for i := range futures {
		futures[i] = parkit.Submit(ex, addOne, 1)
	}
	for _, f := range futures {
		f.Result()
	}
}

// BenchmarkMap is the ordered Map, per element.
func BenchmarkMap(b *testing.B) {
	ex, _ := parkit.New(parkit.Goroutines, benchWorkers)
	defer ex.Close()
	inputs := make([]int64, b.N)
	for i := range inputs {
		inputs[i] = 1
	}
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := parkit.Map(context.Background(), ex, addOne, inputs); err != nil {
		b.Fatal(err)
	}
}
