package lesson

import (
	"context"
	"fmt"
	"time"

	"github.com/janpfeifer/gonb/gonbui/widgets"
	"github.com/parallelize-your-go/kit/parkit"
	"github.com/parallelize-your-go/kit/parkit/chart"
)

// RunOnce runs an experiment of tasks idle or busy tasks (0.5 s each;
// 0.05 s in quick mode) on workers goroutines and draws its timeline: as a
// new output, or in place of the output named redraw if that is not "".
func RunOnce(ctx context.Context, workers, tasks int, workload, redraw string) error {
	d := parkit.ByMode(500*time.Millisecond, 50*time.Millisecond)
	w := parkit.Idle(d)
	if workload == "busy" {
		w = parkit.BusyFor(d)
	}
	tl, err := parkit.Experiment{Workers: workers, Tasks: tasks, Workload: w, SkipSerial: true}.Run(ctx)
	if err != nil {
		return err
	}
	if redraw != "" {
		chart.Timeline(tl).Update(redraw)
		return nil
	}
	chart.Timeline(tl).Display()
	fmt.Println(tl.Placement())
	return nil
}

// Sliders shows two sliders (workers, tasks) and a workload choice from
// GoNB's gonbui/widgets, and re-runs RunOnce whenever one changes,
// redrawing the chart in place, until idle passes without a change. It
// needs a live notebook in a browser: a headless run has no widgets and
// would wait for ever.
func Sliders(ctx context.Context, idle time.Duration) error {
	workers, tasks := widgets.Slider(1, 20, 5).Done(), widgets.Slider(1, 60, 15).Done()
	workload := widgets.Select([]string{"idle", "busy"}).Done()
	changed := []<-chan int{workers.Listen().LatestOnly().C, tasks.Listen().LatestOnly().C, workload.Listen().LatestOnly().C}
	fmt.Printf("workers, tasks, workload: move one to re-run. Listening until %v pass without a change.\n", idle)
	for {
		select {
		case <-changed[0]:
		case <-changed[1]:
		case <-changed[2]:
		case <-time.After(idle):
			fmt.Println("stopped listening: re-run the cell to play again")
			return nil
		}
		kind := []string{"idle", "busy"}[workload.Value()]
		if err := RunOnce(ctx, workers.Value(), tasks.Value(), kind, "widgets-chart"); err != nil {
			return err
		}
	}
}
