package chart

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/parallelize-your-go/kit/parkit"
)

//go:embed js/timeline.js
var timelineJS string

// Timeline draws one recorded experiment: one row per worker, one bar per
// task from its start to its end, coloured by task (see ColorBy), titled
// with the executor, workload, workers and makespan. Hovering a bar shows
// its task, worker, PID, thread, CPU, start, end and duration.
func Timeline(tl *parkit.Timeline, opts ...Option) *Chart {
	c := timelines([]*parkit.Timeline{tl}, newConfig(opts))
	c.kind = "timeline"
	return c
}

// Compare stacks several timelines on one shared time axis, top to
// bottom in the order given, so their makespans compare at a glance:
// threads vs processes, idle vs busy, GOMAXPROCS=1 vs N. Colours mean the
// same in all of them.
func Compare(tls []*parkit.Timeline, opts ...Option) *Chart {
	cfg := newConfig(opts)
	if cfg.title == "" {
		cfg.title = "Comparison on one time axis"
	}
	c := timelines(tls, cfg)
	c.kind = "compare"
	return c
}

// Layout of the interactive chart, in pixels.
const (
	titleHeight = 36 // the chart's own title, when it has one
	panelTitle  = 26 // each timeline's title
	rowHeight   = 26 // one worker
	axisHeight  = 46 // time axis labels and name
	panelGap    = 10
	gridLeft    = 84 // room for "worker 10"
)

// A group is a set of bars with one colour: one task, CPU, thread, ...
type group struct {
	label string
	color color.RGBA
}

// palette is ECharts' default one, so the pictures match the pages.
var palette = []color.RGBA{
	{0x54, 0x70, 0xc6, 0xff}, {0x91, 0xcc, 0x75, 0xff}, {0xfa, 0xc8, 0x58, 0xff},
	{0xee, 0x66, 0x66, 0xff}, {0x73, 0xc0, 0xde, 0xff}, {0x3b, 0xa2, 0x72, 0xff},
	{0xfc, 0x84, 0x52, 0xff}, {0x9a, 0x60, 0xb4, 0xff}, {0xea, 0x7c, 0xcc, 0xff},
}

func cssColor(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// groupKey is the number a span is coloured by, and its label.
func groupKey(m ColorMode, s parkit.Span) (int, string) {
	known := func(prefix string, n int) string {
		if n < 0 {
			return prefix + " ?"
		}
		return fmt.Sprintf("%s %d", prefix, n)
	}
	switch m {
	case ByCPU:
		return s.CPU, known("CPU", s.CPU)
	case ByThread:
		return s.TID, known("thread", s.TID)
	case ByProcess:
		return s.PID, known("PID", s.PID)
	case ByWorker:
		return s.Worker, known("worker", s.Worker)
	default:
		return s.Task, known("task", s.Task)
	}
}

// groups assigns each span of every timeline its group, the same key
// getting the same colour everywhere. It returns the groups in key order
// and, per timeline, each span's group index (-1: never ran).
func groups(tls []*parkit.Timeline, m ColorMode) ([]group, [][]int) {
	var keys []int
	labels := map[int]string{}
	for _, tl := range tls {
		for _, s := range tl.Spans {
			k, l := groupKey(m, s)
			if _, ok := labels[k]; !ok {
				keys = append(keys, k)
				labels[k] = l
			}
		}
	}
	slices.Sort(keys)
	index := map[int]int{}
	gs := make([]group, len(keys))
	for i, k := range keys {
		index[k] = i
		c := i
		if m == ByTask {
			c = k // task i keeps its colour when tasks are missing
		}
		gs[i] = group{labels[k], palette[((c%len(palette))+len(palette))%len(palette)]}
	}
	of := make([][]int, len(tls))
	for t, tl := range tls {
		of[t] = make([]int, len(tl.Spans))
		for i, s := range tl.Spans {
			k, _ := groupKey(m, s)
			of[t][i] = index[k]
			if s.Worker < 0 || s.Worker >= tl.Workers {
				of[t][i] = -1
			}
		}
	}
	return gs, of
}

// A timeUnit is how the time axis counts: s, ms or µs.
type timeUnit struct {
	name string
	size time.Duration
}

func unitFor(end time.Duration) timeUnit {
	switch {
	case end >= 20*time.Second:
		return timeUnit{"s", time.Second}
	case end >= time.Millisecond:
		return timeUnit{"ms", time.Millisecond}
	default:
		return timeUnit{"µs", time.Microsecond}
	}
}

func (u timeUnit) of(d time.Duration) float64 { return float64(d) / float64(u.size) }

// axisTicks picks a round tick interval for a time axis that ends at x
// (1, 2, 2.5 or 5 times a power of ten, about 8 ticks) and the axis end, the
// first tick at or after x: 963.9 -> 200, 1000; 1718.1 -> 250, 1750. The end
// label is then a round number, and bars keep at least 85% of the width.
func axisTicks(x float64) (interval, end float64) {
	if x <= 0 {
		return 1, 1
	}
	raw := x / 8
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if interval = m * pow; interval >= raw*(1-1e-9) {
			break
		}
	}
	return interval, math.Ceil(x/interval-1e-9) * interval
}

func maxMakespan(tls []*parkit.Timeline) time.Duration {
	var end time.Duration
	for _, tl := range tls {
		end = max(end, tl.Makespan())
	}
	return max(end, time.Microsecond)
}

func timelines(tls []*parkit.Timeline, cfg config) *Chart {
	tls = slices.DeleteFunc(slices.Clone(tls), func(tl *parkit.Timeline) bool { return tl == nil })
	if len(tls) == 0 {
		tls = []*parkit.Timeline{{Executor: "no timeline"}}
	}
	gs, of := groups(tls, cfg.colorBy)
	end := maxMakespan(tls)
	unit := unitFor(end)

	title := cfg.title
	if title == "" && len(tls) == 1 {
		title = tls[0].Title()
	}
	c := &Chart{title: title}
	c.option, c.height = timelineOption(tls, cfg, gs, of, unit, end)
	c.funcs = fmt.Sprintf("var parkitUnit = %q, parkitShowGroup = %t;\n%s",
		unit.name, cfg.colorBy != ByTask, timelineJS)
	c.text = timelinesText(tls, cfg.title)
	c.drawStatic, c.staticHeight = staticTimelines(tls, cfg, gs, of, unit, end)
	return c
}

// timelineOption builds the ECharts option with go-echarts: a custom
// series per (timeline, colour group) whose renderItem, parkitBar in
// js/timeline.js, draws the bars; one grid (plot area) and pair of axes
// per timeline, all time axes with the same range.
func timelineOption(tls []*parkit.Timeline, cfg config, gs []group, of [][]int, unit timeUnit, end time.Duration) (string, int) {
	ch := charts.NewCustom()
	var titles []map[string]any
	top := 8
	addTitle := func(text string, left any, size int) {
		titles = append(titles, map[string]any{"text": text, "left": left, "top": top,
			"textStyle": map[string]any{"fontSize": size}})
	}
	// The chart's title (the timeline's own when there is only one), the
	// legend, then per timeline its title (if several) and its plot area.
	oneTitle := len(tls) == 1 && cfg.title == ""
	if oneTitle {
		addTitle(tls[0].Title(), "center", 15)
	} else {
		addTitle(cfg.title, "center", 15)
	}
	top += titleHeight
	legend := cfg.colorBy != ByTask
	legendTop := top - 6
	if legend {
		top += 22
	}
	var grids []opts.Grid
	var xAxes []opts.XAxis
	var yAxes []opts.YAxis
	axisIndex := make([]int, len(tls))
	tick, axisMax := axisTicks(unit.of(end))
	for i, tl := range tls {
		if !oneTitle {
			addTitle(tl.Title(), gridLeft, 13)
			top += panelTitle
		}
		h := rowHeight * max(tl.Workers, 1)
		grids = append(grids, opts.Grid{Left: fmt.Sprint(gridLeft), Right: "28", Top: fmt.Sprint(top), Height: fmt.Sprint(h)})
		top += h + axisHeight + panelGap
		workers := make([]string, tl.Workers)
		for w := range workers {
			workers[w] = fmt.Sprintf("worker %d", w)
		}
		xAxes = append(xAxes, opts.XAxis{Type: "value", Min: 0, Max: axisMax, GridIndex: i,
			Name: "time (" + unit.name + ")", NameLocation: "middle", NameGap: 24})
		yAxes = append(yAxes, opts.YAxis{Type: "category", Data: workers, Inverse: opts.Bool(true), GridIndex: i})
		axisIndex[i] = i
	}
	ch.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: opts.FuncOpts("parkitTip")}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(legend), Top: fmt.Sprint(legendTop), Type: "scroll"}),
		charts.WithGridOpts(grids...),
		charts.WithXAxisOpts(xAxes[0]),
		charts.WithYAxisOpts(yAxes[0]),
		charts.WithDataZoomOpts(opts.DataZoom{Type: "inside", XAxisIndex: axisIndex}),
	)
	ch.ExtendXAxis(xAxes[1:]...)
	ch.ExtendYAxis(yAxes[1:]...)

	for t, tl := range tls {
		data := make([][]opts.CustomData, len(gs))
		for i, s := range tl.Spans {
			g := of[t][i]
			if g < 0 {
				continue
			}
			failed, msg := 0, ""
			if s.Err != nil {
				failed, msg = 1, s.Err.Error()
			}
			data[g] = append(data[g], opts.CustomData{Name: msg, Value: []any{
				s.Worker, unit.of(s.Start), unit.of(s.End), s.Task, s.Worker, s.PID, s.TID, s.CPU, failed}})
		}
		for g, items := range data {
			if len(items) == 0 {
				continue
			}
			ch.AddSeries(gs[g].label, items,
				charts.WithCustomChartOpts(opts.CustomChart{XAxisIndex: t, YAxisIndex: t, RenderItem: opts.FuncOpts("parkitBar")}),
				charts.WithEncodeOpts(opts.Encode{X: []int{1, 2}, Y: 0}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: cssColor(gs[g].color)}),
			)
		}
	}
	ch.Validate()
	obj := ch.JSON()
	obj["title"] = titles // ECharts takes a list of titles; go-echarts only one
	delete(obj, "toolbox")
	// go-echarts' XAxis has no numeric interval: set it on the JSON form.
	obj["xAxis"] = withInterval(obj["xAxis"], tick)
	if cfg.still {
		obj["animation"] = false
	}
	// weakFilter keeps a bar that is only partly in the zoomed range
	// (go-echarts' DataZoom has no field for it).
	obj["dataZoom"] = []map[string]any{{"type": "inside", "xAxisIndex": axisIndex, "filterMode": "weakFilter"}}
	return optionJS(obj), top
}

// withInterval returns the axes as JSON objects with "interval" set.
func withInterval(axes any, interval float64) []map[string]any {
	list := asObjects(axes, "the x axes")
	for _, a := range list {
		a["interval"] = interval
	}
	return list
}

// timelinesText stacks the timelines' text renderings, all on the time
// scale of the longest, like the chart.
func timelinesText(tls []*parkit.Timeline, title string) string {
	var b strings.Builder
	if title != "" {
		fmt.Fprintf(&b, "%s\n\n", title)
	}
	end := maxMakespan(tls)
	for i, tl := range tls {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(tl.TextUntil(TextWidth, end))
	}
	return b.String()
}

// asObjects re-encodes a list of go-echarts options (series, axes) as JSON
// objects, so that fields go-echarts has no option for can be set.
func asObjects(v any, what string) []map[string]any {
	var list []map[string]any
	b, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(b, &list)
	}
	if err != nil {
		panic(fmt.Sprintf("parkit/chart: re-encoding %s: %v", what, err)) // go-echarts' own types always encode
	}
	return list
}
