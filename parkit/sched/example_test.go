package sched_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
	"github.com/parallelize-your-go/kit/parkit/sched"
)

// Three busy tasks on three goroutine workers, under GOMAXPROCS=1: the
// trace shows them taking turns on the one P.
func ExampleRecord() {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	dir, _ := os.MkdirTemp("", "sched-example")
	defer os.RemoveAll(dir)

	x := parkit.Experiment{Workers: 3, Tasks: 3, Workload: parkit.BusyFor(60 * time.Millisecond), SkipSerial: true}
	_, s, err := sched.Record(context.Background(), x, filepath.Join(dir, "run.trace"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("Ps:", s.Procs())
	fmt.Println("goroutines:", len(s.Goroutines()))
	fmt.Println("preempted:", s.Count(sched.EndPreempted) > 0)
	fmt.Println("overlaps:", s.Overlap())
	// Output:
	// Ps: [0]
	// goroutines: 3
	// preempted: true
	// overlaps: <nil>
}
