package parbeam_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/beam/parbeam"
	"github.com/parallelize-your-go/kit/parkit"
)

func TestRun(t *testing.T) {
	// Elements well over Prism's 100 ms progress tick, so a bundle that
	// can be split shows no progress between two ticks and is split.
	steps := parkit.CalibrateBusy(400 * time.Millisecond)
	for _, tc := range []struct {
		cfg       parbeam.Config
		oneBundle bool
		executor  string
	}{
		{parbeam.Config{Tasks: 4, Steps: steps}, true, "beam prism"},
		{parbeam.Config{Tasks: 4, Steps: steps, Reshuffle: true}, false, "beam prism + reshuffle"},
		{parbeam.Config{Tasks: 4, Steps: steps, Reshuffle: true, NoSplit: true}, true, "beam prism + reshuffle, no split"},
	} {
		t.Run(tc.executor, func(t *testing.T) {
			res, err := parbeam.Run(context.Background(), tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Log(res.Summary())
			tl := res.Timeline
			if tl.Executor != tc.executor || tl.Tasks != 4 || tl.Err() != nil {
				t.Fatalf("timeline %q, %d tasks, err %v", tl.Executor, tl.Tasks, tl.Err())
			}
			var tasks []int
			for _, s := range tl.Spans {
				tasks = append(tasks, s.Task)
				if s.End <= s.Start || s.Worker < 0 || s.Worker >= tl.Workers {
					t.Errorf("bad span %+v (workers %d)", s, tl.Workers)
				}
			}
			slices.Sort(tasks)
			if !slices.Equal(tasks, []int{0, 1, 2, 3}) {
				t.Errorf("tasks run %v, want each of 0..3 once", tasks)
			}
			if got := res.Bundles == 1; got != tc.oneBundle {
				t.Errorf("%d bundles; want one bundle: %v", res.Bundles, tc.oneBundle)
			}
			if tl.Serial <= 0 || tl.CPUTime <= 0 {
				t.Errorf("serial %v, CPU time %v: not measured", tl.Serial, tl.CPUTime)
			}
		})
	}
}

func TestRunBadInput(t *testing.T) {
	for _, cfg := range []parbeam.Config{{Tasks: -1}, {Tasks: 2, Steps: -5}} {
		if _, err := parbeam.Run(context.Background(), cfg); err == nil {
			t.Errorf("Run(%+v): no error", cfg)
		}
	}
}

func TestMeasureOverhead(t *testing.T) {
	o, err := parbeam.MeasureOverhead(context.Background(), 2, 6, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(o) != 3 || o[2].Executor != "beam prism" {
		t.Fatalf("got %v", o)
	}
	for _, x := range o {
		t.Log(x)
		if x.WallSmall <= 0 || x.WallLarge <= 0 {
			t.Errorf("%s: not timed: %+v", x.Executor, x)
		}
	}
	if _, err := parbeam.MeasureOverhead(context.Background(), 5, 5, 1); err == nil {
		t.Error("MeasureOverhead(5, 5, 1): no error")
	}
}
