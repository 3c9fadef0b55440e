package main

import (
	"strings"
	"testing"
	"time"
)

// TestTableFromBenchmarkOutput checks the harness on canned output, so it
// cannot rot between full runs: parsing, medians, ratios, goals, skips.
func TestTableFromBenchmarkOutput(t *testing.T) {
	clear(samples)
	clear(skipped)
	out := `goos: linux
BenchmarkSubmitWait/parkit-goroutines/w=5-2   1000   900 ns/op   352 B/op   1 allocs/op
BenchmarkSubmitWait/parkit-goroutines/w=5-2   1000   700 ns/op   352 B/op   1 allocs/op
BenchmarkSubmitWait/parkit-goroutines/w=5-2   1000   800 ns/op   352 B/op   1 allocs/op
BenchmarkSubmitWait/floor-chanpool/w=5-2      1000   500 ns/op   128 B/op   1 allocs/op
BenchmarkSubmitWait/pond-future/w=5-2         1000  4000 ns/op   368 B/op   8 allocs/op
BenchmarkStartSpan/cpu=LSL-2           1000000    80 ns/op
`
	parseBench([]byte(out), "")
	skipped["py:"] = "skipped: no python"
	paths := spanPaths()
	rows := buildRows()
	find := func(measure, anchor string) Row {
		for _, r := range rows {
			if r.Measure == measure && (anchor == "" || r.Anchor == anchor) {
				return r
			}
		}
		t.Fatalf("no row %q vs %q", measure, anchor)
		return Row{}
	}
	r := find("Submit+Wait each, w=5", "pond v2 futures")
	if *r.Parkit != 800 || *r.ParkitMin != 700 || *r.ParkitMax != 900 || *r.Ratio != 0.2 || !*r.Met {
		t.Errorf("pond row = %+v", r)
	}
	if r := find("Submit+Wait each, w=5", "floor: chan pool + chan future"); *r.Ratio != 1.6 || *r.Met {
		t.Errorf("floor row = %+v", r)
	}
	if !strings.HasPrefix(paths, "LSL natively, not measured with RDPID forced off") {
		t.Errorf("span paths = %q", paths)
	}
	if r := find("record one span (default), this machine's CPU read", ""); r.GoalOn != "parkit" || !*r.Met {
		t.Errorf("span row = %+v", r)
	}
	if r := find("tiny task round trip, 1 worker", ""); r.Parkit != nil || !strings.Contains(r.Note, "skipped") {
		t.Errorf("a row without figures should say skipped: %+v", r)
	}
	md := markdown(machine{NumCPU: 2}, rows)
	if !strings.Contains(md, "| Submit+Wait each, w=5 | ns/task | 800 [700-900] |") {
		t.Errorf("markdown lacks the Submit+Wait row:\n%s", md)
	}
}

func TestParseProfileTop(t *testing.T) {
	out := `File: bench.test
Showing nodes accounting for 2.57s, 90.49% of 2.84s total
      flat  flat%   sum%        cum   cum%
     1.09s 38.38% 38.38%      2.33s 82.04%  github.com/x/parkit.Submit[go.shape.int64,go.shape.int64]
    950ms 33.45% 71.83%      0.95s 33.45%  runtime.memclrNoHeapPointers
`
	top, err := parseTop(out)
	if err != nil || len(top) != 2 || top[0].flat != 1090*time.Millisecond || top[1].name != "runtime.memclrNoHeapPointers" || top[0].cumPct != "82.04%" {
		t.Fatalf("parseTop = %+v, %v", top, err)
	}
	if _, err := parseTop("no profile"); err == nil {
		t.Error("parseTop accepted output without functions")
	}
}

func TestBeamRows(t *testing.T) {
	clear(samples)
	clear(skipped)
	parseBench([]byte("BenchmarkOverhead-2   1   5000000000 ns/op   14400 beam-ns/elem   1030 proc-ns/elem   58.0 gor-ns/elem   14.0 beam/proc   248 beam/gor\n"), "beam:")
	var got []Row
	for _, r := range buildRows() {
		if strings.HasPrefix(r.Section, "Beam") {
			got = append(got, r)
		}
	}
	if len(got) != 2 || got[0].Parkit == nil || *got[0].Parkit != 1030 || got[0].Ratio == nil || *got[0].Ratio != 1030.0/14400 ||
		got[1].Parkit == nil || *got[1].Parkit != 58 {
		t.Fatalf("Beam rows = %+v", got)
	}
}
