package parkit_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// Square is a registered task: every executor kind can run it, worker
// processes included.
var Square = parkit.NewTask("parkit_test.square", func(_ context.Context, n int) (int, error) {
	return n * n, nil
})

func Example() {
	ex, err := parkit.New(parkit.Goroutines, 5)
	if err != nil {
		panic(err)
	}
	defer ex.Close()

	squares, err := parkit.Map(context.Background(), ex, Square, []int{1, 2, 3, 4, 5})
	fmt.Println(squares, err)
	// Output: [1 4 9 16 25] <nil>
}

func ExampleSubmit() {
	ex, _ := parkit.New(parkit.Threads, 2)
	defer ex.Close()

	// Submit returns at once; the futures complete on the workers.
	var futures []*parkit.Future[int]
	for n := range 4 {
		futures = append(futures, parkit.Submit(ex, Square, n))
	}
	for _, f := range futures {
		v, err := f.Wait(context.Background())
		fmt.Println(v, err)
	}
	// Output:
	// 0 <nil>
	// 1 <nil>
	// 4 <nil>
	// 9 <nil>
}

func ExampleGo() {
	ex, _ := parkit.New(parkit.Goroutines, 2)
	defer ex.Close()

	greeting := parkit.Go(ex, func(ctx context.Context) (string, error) {
		return strings.ToUpper("hello from a worker"), nil
	})
	fmt.Println(greeting.Result())
	// Output: HELLO FROM A WORKER <nil>
}

func ExampleCompleted() {
	ex, _ := parkit.New(parkit.Goroutines, 3)
	defer ex.Close()

	// Each task waits for the one before it: they complete in the order
	// first, second, third, whatever order they are passed in.
	first := parkit.Go(ex, func(context.Context) (string, error) { return "first", nil })
	second := parkit.Go(ex, func(ctx context.Context) (string, error) {
		first.Wait(ctx)
		return "second", nil
	})
	third := parkit.Go(ex, func(ctx context.Context) (string, error) {
		second.Wait(ctx)
		return "third", nil
	})
	// A future passed twice is yielded once.
	for f := range parkit.Completed(third, second, first, third) {
		fmt.Println(f.Result())
	}
	// Output:
	// first <nil>
	// second <nil>
	// third <nil>
}

func ExampleFuture_Cancel() {
	ex, _ := parkit.New(parkit.Goroutines, 1)
	defer ex.Close()

	started := make(chan struct{})
	long := parkit.Go(ex, func(ctx context.Context) (int, error) {
		close(started)
		<-ctx.Done() // a long task that listens to its context
		return 0, ctx.Err()
	})
	waiting := parkit.Submit(ex, Square, 3)
	<-started

	fmt.Println(waiting.Cancel(), waiting.Err()) // never ran
	fmt.Println(long.Cancel(), long.Err())       // stopped through its context
	// Output:
	// true parkit: task cancelled
	// false context canceled
}

func ExampleExperiment() {
	tl, err := parkit.Experiment{
		Executor: parkit.Goroutines,
		Workers:  5,
		Tasks:    15,
		Workload: parkit.Idle(10 * time.Millisecond),
	}.Run(context.Background())
	if err != nil {
		panic(err)
	}
	// Timings vary from run to run; the shape does not.
	fmt.Println(len(tl.Spans), "tasks,", tl.MaxOverlap(), "at once")
	// Output: 15 tasks, 5 at once
}

func ExampleTimeline_WriteJSON() {
	tl := &parkit.Timeline{Executor: "goroutines", Workload: "idle", Workers: 1, Tasks: 1, GOMAXPROCS: 2, NumCPU: 2,
		CPULimit: 1.5, OthersCores: 0.25,
		Spans: []parkit.Span{{Task: 0, Worker: 0, PID: 42, TID: 43, CPU: 1, Start: 5, End: 2_000_000_005}}}
	var b strings.Builder
	tl.WriteJSON(&b)
	fmt.Print(b.String())
	// Output:
	// {
	//   "executor": "goroutines",
	//   "workload": "idle",
	//   "workers": 1,
	//   "tasks": 1,
	//   "gomaxprocs": 2,
	//   "num_cpu": 2,
	//   "makespan_ns": 2000000005,
	//   "serial_ns": 0,
	//   "cpu_time_ns": 0,
	//   "cpu_limit": 1.5,
	//   "others_cores": 0.25,
	//   "spans": [
	//     {
	//       "task": 0,
	//       "worker": 0,
	//       "pid": 42,
	//       "tid": 43,
	//       "cpu": 1,
	//       "start_ns": 5,
	//       "end_ns": 2000000005,
	//       "error": ""
	//     }
	//   ]
	// }
}
