package chart

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// article is the article's shape, 15 tasks on 5 workers, with uneven
// durations so that every bar has its own place: task i runs on worker
// i%5, after the tasks before it on that worker.
func article() *parkit.Timeline {
	tl := &parkit.Timeline{Executor: "goroutines", Workload: "idle (sleep about 2s)", Workers: 5, Tasks: 15,
		GOMAXPROCS: 2, NumCPU: 2}
	free := make([]time.Duration, 5)
	for i := range 15 {
		w := i % 5
		d := time.Duration(1500+137*i) * time.Millisecond
		tl.Spans = append(tl.Spans, parkit.Span{Task: i, Worker: w, PID: 4242, TID: 4300 + w, CPU: i % 2,
			Start: free[w], End: free[w] + d})
		free[w] += d + 40*time.Millisecond
	}
	return tl
}

// TestTextFitsAndPlacesBars checks the text rendering of a 15-task,
// 5-worker timeline: at most 100 columns, and each task's bar, "[i===]",
// in its worker's row, from the column of its start to that of its end.
func TestTextFitsAndPlacesBars(t *testing.T) {
	tl := article()
	text := Timeline(tl).Text()
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for _, l := range lines {
		if n := len([]rune(l)); n > TextWidth {
			t.Errorf("line is %d columns, more than %d:\n%s", n, TextWidth, l)
		}
	}
	rows := map[int]string{} // worker -> the bar area, between the '|'
	rowRE := regexp.MustCompile(`^\s*worker (\d+) \|(.*)\|$`)
	for _, l := range lines {
		if m := rowRE.FindStringSubmatch(l); m != nil {
			var w int
			fmt.Sscan(m[1], &w)
			rows[w] = m[2]
		}
	}
	if len(rows) != tl.Workers {
		t.Fatalf("found %d worker rows, want %d:\n%s", len(rows), tl.Workers, text)
	}
	cols := len(rows[0])
	end := tl.Makespan()
	col := func(d time.Duration) int { return int(int64(cols) * int64(d) / int64(end)) }
	for _, s := range tl.Spans {
		row := rows[s.Worker]
		label := fmt.Sprintf("[%d", s.Task)
		from, to := col(s.Start), col(s.End)
		if got := strings.Index(row, label); got != from {
			t.Errorf("task %d: bar starts at column %d of worker %d's row, want %d (its start, %v):\n%s",
				s.Task, got, s.Worker, from, s.Start, text)
			continue
		}
		if to-1 >= len(row) || row[to-1] != ']' {
			t.Errorf("task %d: bar does not end at column %d (its end, %v) in worker %d's row %q",
				s.Task, to-1, s.End, s.Worker, row)
		}
		for w, other := range rows {
			if w != s.Worker && strings.Contains(other, label+"=") {
				t.Errorf("task %d also drawn in worker %d's row", s.Task, w)
			}
		}
	}
}

func TestChartsRender(t *testing.T) {
	tl := article()
	failed := article()
	failed.Executor = "processes"
	failed.Spans[3].Err = errors.New(`task 3 failed: </script><b>"quoted"</b>`)
	tests := []struct {
		name  string
		chart *Chart
		text  []string // in the text rendering
	}{
		{"timeline", Timeline(tl), []string{"goroutines, idle", "worker 4 |"}},
		{"by cpu", Timeline(tl, ColorBy(ByCPU)), []string{"worker 0 |"}},
		{"compare", Compare([]*parkit.Timeline{tl, failed}, ColorBy(ByProcess), Title("Goroutines vs processes")),
			[]string{"Goroutines vs processes", "goroutines, idle", "processes, idle", "[3xxx"}},
		{"empty compare", Compare(nil), []string{"no timeline"}},
		{"bars", Bars("Creation cost (µs)", []string{"goroutine", "thread", "process"},
			Series{Name: "µs", Values: []float64{0.3, 12, 900}}), []string{"process", "####"}},
		{"lines", Lines("Speedup vs workers", []string{"1", "2", "4"},
			Series{Name: "idle", Values: []float64{1, 2, 3.9}}, Series{Name: "busy", Values: []float64{1, 1.9, 2}}),
			[]string{"idle", "busy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.chart
			for _, want := range tt.text {
				if !strings.Contains(c.Text(), want) {
					t.Errorf("text lacks %q:\n%s", want, c.Text())
				}
			}
			b, err := c.PNG()
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("PNG does not decode: %v", err)
			}
			if w := img.Bounds().Dx(); w != 900 {
				t.Errorf("PNG is %d px wide, want 900", w)
			}
			svg, err := c.SVG()
			if err != nil || !bytes.Contains(svg, []byte("<svg")) {
				t.Errorf("SVG: %v, %.40q", err, svg)
			}
			h := c.fragment("parkit-chart-test", b)
			if strings.Contains(h, "__f__") {
				t.Errorf("HTML keeps go-echarts' function markers")
			}
			// Only our own </script> may close the script: titles and
			// error messages are escaped.
			if n := strings.Count(strings.ToLower(h), "</script"); n != 1 {
				t.Errorf("the fragment has %d </script, want 1", n)
			}
			if strings.Contains(h, `class="container"`) {
				t.Errorf("the fragment uses the class container, which the classic Notebook styles")
			}
		})
	}
}

func TestOptionNamesFunctions(t *testing.T) {
	c := Timeline(article())
	for _, want := range []string{`"renderItem":parkitBar`, `"formatter":parkitTip`} {
		if !strings.Contains(c.option, want) {
			t.Errorf("option lacks %s: %.300s", want, c.option)
		}
	}
	for _, fn := range []string{"function parkitBar(", "function parkitTip("} {
		if !strings.Contains(c.funcs, fn) {
			t.Errorf("the chart's script does not define %s", fn)
		}
	}
}

func TestWriteHTMLInlinesECharts(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "echarts.min.js")
	os.WriteFile(fake, []byte(`/* fake */ var s = "</script>"; window.echarts = {init: function () {}};`), 0o644)
	t.Setenv(EChartsEnv, fake)
	echarts.once = sync.Once{} // read the fake, not a cached copy
	defer func() { echarts.once = sync.Once{} }()

	var b bytes.Buffer
	if err := Timeline(article()).WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{"<!DOCTYPE html>", "/* fake */", `<\/script>`, "(function (define, module, exports)", "data:image/png;base64,"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestNoEChartsStillDraws(t *testing.T) {
	t.Setenv(EChartsEnv, filepath.Join(t.TempDir(), "missing.js"))
	echarts.once = sync.Once{}
	defer func() { echarts.once = sync.Once{} }()
	lib, ok := libraryHTML()
	if ok || !strings.Contains(lib, "scripts/install.sh") {
		t.Errorf("without ECharts the library output should be the install hint, got ok=%v %.200q", ok, lib)
	}
	var b bytes.Buffer
	Timeline(article()).WriteHTML(&b)
	if !strings.Contains(b.String(), "https://cdn.jsdelivr.net/npm/echarts@"+EChartsVersion) {
		t.Errorf("the page has no fallback URL for ECharts")
	}
}

// TestEChartsVersionMirrorsVersionsEnv: versions.env is the one source of
// truth for versions; EChartsVersion repeats ECHARTS_JS_VERSION.
func TestEChartsVersionMirrorsVersionsEnv(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "versions.env"))
	if err != nil {
		t.Skipf("no versions.env: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "ECHARTS_JS_VERSION="); ok {
			if v != EChartsVersion {
				t.Errorf("EChartsVersion is %s, versions.env says %s", EChartsVersion, v)
			}
			return
		}
	}
	t.Errorf("versions.env has no ECHARTS_JS_VERSION")
}

func TestDisplayOutsideNotebookPrintsText(t *testing.T) {
	// Not under GoNB (no GONB_PIPE) Display and Update print the text; the
	// example below checks what. Here: they must not block or panic.
	if os.Getenv("GONB_PIPE") != "" {
		t.Skip("running under GoNB")
	}
	c := Bars("x", []string{"a"}, Series{Name: "s", Values: []float64{1}})
	for name, show := range map[string]func(){"Display": c.Display, "Update": func() { c.Update("some-id") }} {
		old := os.Stdout
		r, w, _ := os.Pipe()
		os.Stdout = w
		show()
		w.Close()
		os.Stdout = old
		var b bytes.Buffer
		b.ReadFrom(r)
		if !strings.HasPrefix(b.String(), "x\n") {
			t.Errorf("%s printed %q", name, b.String())
		}
	}
}

func TestAxisTicksAreRound(t *testing.T) {
	for _, tc := range []struct{ in, interval, end float64 }{
		{963.860375, 200, 1000}, {1718.132717, 250, 1750}, {601.4, 100, 700}, {600, 100, 600},
		{60.9, 10, 70}, {2.01, 0.5, 2.5}, {0, 1, 1},
	} {
		interval, end := axisTicks(tc.in)
		if math.Abs(interval-tc.interval) > 1e-9 || math.Abs(end-tc.end) > 1e-9 {
			t.Errorf("axisTicks(%v) = %v, %v; want %v, %v", tc.in, interval, end, tc.interval, tc.end)
		}
	}
}

func TestRound3KeepsThreeSignificantDigits(t *testing.T) {
	for _, tc := range []struct{ in, want float64 }{
		{1.9774, 1.98}, {49712, 49700}, {0.0012345, 0.00123}, {-2.345, -2.35}, {0, 0}, {568, 568},
	} {
		if got := round3(tc.in); math.Abs(got-tc.want) > 1e-12*math.Max(1, math.Abs(tc.want)) {
			t.Errorf("round3(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
