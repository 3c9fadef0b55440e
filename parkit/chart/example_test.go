package chart_test

import (
	"fmt"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
	"github.com/parallelize-your-go/kit/parkit/chart"
)

// A timeline recorded by hand: 4 tasks of 1s on 2 workers. In a notebook
// Display shows the interactive chart; elsewhere it prints the text.
func ExampleTimeline() {
	tl := &parkit.Timeline{Executor: "goroutines", Workload: "idle (sleep 1s)", Workers: 2, Tasks: 4}
	for i := range 4 {
		start := time.Duration(i/2) * time.Second
		tl.Spans = append(tl.Spans, parkit.Span{Task: i, Worker: i % 2, Start: start, End: start + time.Second})
	}
	chart.Timeline(tl).Display()
	// Output:
	// goroutines, idle (sleep 1s), 2 workers, 4 tasks, makespan 2s
	// worker 0 |[0=========================================][2==========================================]|
	// worker 1 |[1=========================================][3==========================================]|
	//           0s                                                                                      2s
}

// Derived figures: the speedup of idle and busy tasks against the number
// of workers (made-up numbers here; the notebooks measure them).
func ExampleLines() {
	c := chart.Lines("Speedup vs workers", []string{"1", "2", "4"},
		chart.Series{Name: "idle", Values: []float64{1, 2, 4}},
		chart.Series{Name: "busy", Values: []float64{1, 2, 2}})
	fmt.Print(c.Text())
	// Output:
	// Speedup vs workers
	// 1      idle          1 |##########
	//        busy          1 |##########
	// 2      idle          2 |####################
	//        busy          2 |####################
	// 4      idle          4 |########################################
	//        busy          2 |####################
}
