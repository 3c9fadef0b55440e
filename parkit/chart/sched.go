package chart

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/parallelize-your-go/kit/parkit"
	"github.com/parallelize-your-go/kit/parkit/sched"
)

//go:embed js/sched.js
var schedJS string

// Sched draws the scheduler's view of a run (see parkit/sched): one row
// per P with the running slices of the tasks' goroutines, coloured by task
// as in Timeline, a dark tick where the scheduler preempted a slice and a
// grey band over each stop-the-world pause; under it the same slices by
// OS thread (M). Hovering a slice shows its task, goroutine, P, M, times
// and why it ended.
func Sched(tl *parkit.Timeline, s *sched.Sched, opts ...Option) *Chart {
	return schedChart("sched", tl, s, false, newConfig(opts))
}

// TimelineSched draws the task timeline on top and the scheduler's view
// (Sched) under it, on one time axis: zooming one zooms all. It is what
// `examples/experiment -sched FILE -html PAGE` writes.
func TimelineSched(tl *parkit.Timeline, s *sched.Sched, opts ...Option) *Chart {
	return schedChart("timeline-sched", tl, s, true, newConfig(opts))
}

// A panel is one plot area of a scheduler chart: rows of bars.
type panel struct {
	title  string
	rows   []string
	bars   []bar
	slices bool // the bars are running slices, not tasks
}

// A bar is a task or a running slice. Its value is the custom series'
// data item: [row, start, end, task, ...] (see parkitBar, parkitSlice).
type bar struct {
	row        int
	start, end time.Duration
	task       int
	more       []any  // the item's values after the task
	name       string // what the tooltip adds: an error, why a slice ended
	failed     bool
	preempted  bool
}

func schedChart(kind string, tl *parkit.Timeline, s *sched.Sched, withTasks bool, cfg config) *Chart {
	if tl == nil {
		tl = &parkit.Timeline{Executor: "no timeline"}
	}
	if s == nil {
		s = &sched.Sched{}
	}
	var panels []panel
	if withTasks {
		panels = append(panels, taskPanel(tl))
	}
	panels = append(panels, slicePanel(s, "P", s.Procs()), slicePanel(s, "M", s.Threads()))
	end := maxMakespan([]*parkit.Timeline{tl})
	for _, sl := range s.Slices {
		end = max(end, sl.End)
	}
	unit := unitFor(end)
	title := cfg.title
	if title == "" {
		title = "Where the tasks ran: " + tl.Title()
	}
	c := &Chart{title: title, kind: kind}
	c.option, c.height = panelsOption(title, panels, s.GC, unit, end, cfg)
	c.funcs = fmt.Sprintf("var parkitUnit = %q, parkitShowGroup = false;\n%s\n%s", unit.name, timelineJS, schedJS)
	c.text = schedText(tl, s, withTasks, title, end)
	c.drawStatic, c.staticHeight = staticPanels(title, panels, s.GC, unit, end)
	return c
}

func taskPanel(tl *parkit.Timeline) panel {
	p := panel{title: "tasks by worker: " + tl.Title(), rows: make([]string, max(tl.Workers, 1))}
	for w := range p.rows {
		p.rows[w] = fmt.Sprintf("worker %d", w)
	}
	for _, s := range tl.Spans {
		if s.Worker < 0 || s.Worker >= tl.Workers {
			continue // never ran
		}
		b := bar{row: s.Worker, start: s.Start, end: s.End, task: s.Task, failed: s.Err != nil}
		if b.failed {
			b.name = s.Err.Error()
		}
		b.more = []any{s.Worker, s.PID, s.TID, s.CPU, map[bool]int{false: 0, true: 1}[b.failed]}
		p.bars = append(p.bars, b)
	}
	return p
}

// slicePanel has one row per P (what "P") or per OS thread ("M").
func slicePanel(s *sched.Sched, what string, ids []int) panel {
	p := panel{slices: true}
	if what == "P" {
		p.title = fmt.Sprintf("running slices by P (GOMAXPROCS %d); dark tick: preempted; grey: stop-the-world", s.GOMAXPROCS)
		// Every P, idle ones too: an empty row is part of the picture.
		ids = nil
		for i := range max(s.GOMAXPROCS, len(s.Procs())) {
			ids = append(ids, i)
		}
		for _, id := range s.Procs() {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	} else {
		p.title = "the same slices by OS thread (M)"
	}
	row := map[int]int{}
	for i, id := range ids {
		row[id] = i
		p.rows = append(p.rows, fmt.Sprintf("%s%d", what, id))
	}
	for _, sl := range s.Slices {
		r := row[sl.P]
		if what == "M" {
			r = row[sl.M]
		}
		name := sl.Ended
		if sl.Why != "" {
			name += " (" + sl.Why + ")"
		}
		p.bars = append(p.bars, bar{row: r, start: sl.Start, end: sl.End, task: sl.Task, name: name,
			preempted: sl.Ended == sched.EndPreempted,
			more:      []any{sl.Goroutine, sl.P, sl.M, map[bool]int{false: 0, true: 1}[sl.Ended == sched.EndPreempted]}})
	}
	return p
}

// panelsOption builds the ECharts option: one grid and pair of axes per
// panel, all time axes with the same range and one zoom; a custom series
// per (panel, colour) drawn by parkitBar or parkitSlice, and one per panel
// for the pauses (parkitPause).
func panelsOption(title string, panels []panel, pauses []sched.Pause, unit timeUnit, end time.Duration, cfg config) (string, int) {
	ch := charts.NewCustom()
	titles := []map[string]any{{"text": title, "left": "center", "top": 8, "textStyle": map[string]any{"fontSize": 15}}}
	top := 8 + titleHeight
	var grids []opts.Grid
	var xAxes []opts.XAxis
	var yAxes []opts.YAxis
	var axisIndex []int
	tick, axisMax := axisTicks(unit.of(end))
	for i, p := range panels {
		titles = append(titles, map[string]any{"text": p.title, "left": gridLeft, "top": top, "textStyle": map[string]any{"fontSize": 13}})
		top += panelTitle
		h := rowHeight * len(p.rows)
		grids = append(grids, opts.Grid{Left: fmt.Sprint(gridLeft), Right: "28", Top: fmt.Sprint(top), Height: fmt.Sprint(h)})
		top += h + axisHeight + panelGap
		xAxes = append(xAxes, opts.XAxis{Type: "value", Min: 0, Max: axisMax, GridIndex: i,
			Name: "time (" + unit.name + ")", NameLocation: "middle", NameGap: 24})
		yAxes = append(yAxes, opts.YAxis{Type: "category", Data: p.rows, Inverse: opts.Bool(true), GridIndex: i})
		axisIndex = append(axisIndex, i)
	}
	ch.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: opts.FuncOpts("parkitTip")}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(grids...),
		charts.WithXAxisOpts(xAxes[0]),
		charts.WithYAxisOpts(yAxes[0]),
	)
	ch.ExtendXAxis(xAxes[1:]...)
	ch.ExtendYAxis(yAxes[1:]...)
	tips := map[string]string{} // series name -> its tooltip function
	for i, p := range panels {
		data := make([][]opts.CustomData, len(palette))
		for _, b := range p.bars {
			c := ((b.task % len(palette)) + len(palette)) % len(palette)
			v := append([]any{b.row, unit.of(b.start), unit.of(b.end), b.task}, b.more...)
			data[c] = append(data[c], opts.CustomData{Name: b.name, Value: v})
		}
		render, tip := "parkitBar", "parkitTip"
		if p.slices {
			render, tip = "parkitSlice", "parkitSliceTip"
		}
		for c, items := range data {
			if len(items) == 0 {
				continue
			}
			name := fmt.Sprintf("panel %d colour %d", i, c)
			tips[name] = tip
			ch.AddSeries(name, items,
				charts.WithCustomChartOpts(opts.CustomChart{XAxisIndex: i, YAxisIndex: i, RenderItem: opts.FuncOpts(render)}),
				charts.WithEncodeOpts(opts.Encode{X: []int{1, 2}, Y: 0}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: cssColor(palette[c])}),
			)
		}
		if len(pauses) > 0 {
			var items []opts.CustomData
			for _, ps := range pauses {
				items = append(items, opts.CustomData{Name: ps.Why, Value: []any{0, unit.of(ps.Start), unit.of(ps.End)}})
			}
			name := fmt.Sprintf("panel %d pauses", i)
			tips[name] = "parkitPauseTip"
			ch.AddSeries(name, items,
				charts.WithCustomChartOpts(opts.CustomChart{XAxisIndex: i, YAxisIndex: i, RenderItem: opts.FuncOpts("parkitPause")}),
				charts.WithEncodeOpts(opts.Encode{X: []int{1, 2}}),
			)
		}
	}
	ch.Validate()
	obj := ch.JSON()
	obj["title"] = titles
	delete(obj, "toolbox")
	obj["xAxis"] = withInterval(obj["xAxis"], tick)
	obj["series"] = withTooltips(obj["series"], tips)
	if cfg.still {
		obj["animation"] = false
	}
	obj["dataZoom"] = []map[string]any{{"type": "inside", "xAxisIndex": axisIndex, "filterMode": "weakFilter"}}
	return optionJS(obj), top
}

// withTooltips returns the series as JSON objects, each with its own
// tooltip formatter (go-echarts' series options have none for custom
// series).
func withTooltips(series any, tips map[string]string) []map[string]any {
	list := asObjects(series, "the series")
	for _, s := range list {
		if tip := tips[fmt.Sprint(s["name"])]; tip != "" {
			s["tooltip"] = map[string]any{"formatter": "__f__" + tip + "__f__"}
		}
	}
	return list
}

// schedText is the text fallback: the task timeline (if asked), then one
// row per P and per M, each column showing the task that ran longest in
// it (0-9, a-z, A-Z, then '*'), '#' under a stop-the-world pause, and the
// measured figures.
func schedText(tl *parkit.Timeline, s *sched.Sched, withTasks bool, title string, end time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", title)
	if withTasks {
		b.WriteString(tl.TextUntil(TextWidth, end))
		b.WriteString("\n")
	}
	// Same gutter as the timeline's "worker N |" so columns line up.
	gutter := len(fmt.Sprintf("worker %d |", max(tl.Workers-1, 0)))
	cols := max(TextWidth-gutter-1, 10)
	col := func(d time.Duration) int { return min(int(int64(cols)*int64(d)/int64(max(end, 1))), cols-1) }
	draw := func(label string, match func(sched.Slice) bool) {
		busy := make([]map[int]time.Duration, cols)
		for _, sl := range s.Slices {
			if !match(sl) {
				continue
			}
			for c := col(sl.Start); c <= col(sl.End); c++ {
				from := max(sl.Start, end*time.Duration(c)/time.Duration(cols))
				to := min(sl.End, end*time.Duration(c+1)/time.Duration(cols))
				if busy[c] == nil {
					busy[c] = map[int]time.Duration{}
				}
				busy[c][sl.Task] += max(to-from, 1)
			}
		}
		row := []byte(strings.Repeat(" ", cols))
		for c, tasks := range busy {
			best, most := -1, time.Duration(0)
			for task, d := range tasks {
				if d > most || d == most && task < best {
					best, most = task, d
				}
			}
			if best >= 0 {
				row[c] = taskChar(best)
			}
		}
		fmt.Fprintf(&b, "%*s%s|\n", gutter, label+" |", row)
	}
	b.WriteString("running slices by P (the task that ran longest in each column)\n")
	for _, p := range s.Procs() {
		draw(fmt.Sprintf("P%d", p), func(sl sched.Slice) bool { return sl.P == p })
	}
	if gc := s.GC; len(gc) > 0 {
		row := []byte(strings.Repeat(" ", cols))
		for _, ps := range gc {
			row[col(max(ps.Start, 0))] = '#'
		}
		fmt.Fprintf(&b, "%*s%s|\n", gutter, "STW |", row)
	}
	b.WriteString("by OS thread (M)\n")
	for _, m := range s.Threads() {
		draw(fmt.Sprintf("M%d", m), func(sl sched.Slice) bool { return sl.M == m })
	}
	fmt.Fprintf(&b, "%*s0s%*s\n\n", gutter, "", cols-1, parkit.Approx(end))
	b.WriteString(wrap(s.Summary(), TextWidth))
	if len(s.Untraced) > 0 {
		b.WriteString(wrap(fmt.Sprintf("\nNot in the trace (ran in worker processes): tasks %v.", s.Untraced), TextWidth))
	}
	return b.String()
}

// taskChar is the one-character name of a task in the text fallback.
func taskChar(task int) byte {
	const names = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	if task >= 0 && task < len(names) {
		return names[task]
	}
	return '*'
}

// wrap breaks each line of text at spaces so none is wider than width.
func wrap(text string, width int) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		n := 0
		for i, w := range strings.Fields(line) {
			if i > 0 && n+1+len([]rune(w)) > width {
				b.WriteString("\n")
				n = 0
			} else if i > 0 {
				b.WriteString(" ")
				n++
			}
			b.WriteString(w)
			n += len([]rune(w))
		}
		b.WriteString("\n")
	}
	return b.String()
}
