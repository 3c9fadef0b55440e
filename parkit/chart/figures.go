package chart

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// A Series is one named set of values in a Bars or Lines chart, one value
// per label.
type Series struct {
	Name   string
	Values []float64
}

// Bars draws derived figures as grouped bars: one group per label, one
// bar per series. For example the cost of creating a goroutine, a thread
// and a process:
//
//	chart.Bars("Creation cost (µs)", []string{"goroutine", "thread", "process"},
//		chart.Series{Name: "µs", Values: costs})
func Bars(title string, labels []string, series ...Series) *Chart {
	return figures("bar", title, labels, series)
}

// Lines draws derived figures as lines, one per series, over the labels.
// For example the speedup against the number of workers:
//
//	chart.Lines("Speedup vs workers", []string{"1", "2", "4", "8"},
//		chart.Series{Name: "idle", Values: idle}, chart.Series{Name: "busy", Values: busy})
func Lines(title string, labels []string, series ...Series) *Chart {
	return figures("line", title, labels, series)
}

func figures(kind, title string, labels []string, series []Series) *Chart {
	c := &Chart{title: title, kind: kind + "s", height: 380}
	tip := opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}
	global := []charts.GlobalOpts{
		charts.WithTooltipOpts(tip),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(series) > 1), Top: "34"}),
		charts.WithGridOpts(opts.Grid{Left: "60", Right: "28", Top: "70", Bottom: "40"}),
	}
	var obj map[string]any
	if kind == "bar" {
		ch := charts.NewBar()
		ch.SetGlobalOptions(global...)
		ch.SetXAxis(labels)
		for i, s := range series {
			ch.AddSeries(s.Name, barData(s.Values), charts.WithItemStyleOpts(opts.ItemStyle{Color: cssColor(palette[i%len(palette)])}),
				charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top"}))
		}
		ch.Validate()
		obj = ch.JSON()
	} else {
		ch := charts.NewLine()
		ch.SetGlobalOptions(global...)
		ch.SetXAxis(labels)
		for i, s := range series {
			// Labels of every other series go below the points, so two
			// close lines do not print their values on top of each other.
			ch.AddSeries(s.Name, lineData(s.Values), charts.WithItemStyleOpts(opts.ItemStyle{Color: cssColor(palette[i%len(palette)])}),
				charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: []string{"top", "bottom"}[i%2]}))
		}
		ch.Validate()
		obj = ch.JSON()
	}
	obj["title"] = map[string]any{"text": title, "left": "center", "top": 8, "textStyle": map[string]any{"fontSize": 15}}
	delete(obj, "toolbox")
	c.option = optionJS(obj)
	c.text = figuresText(title, labels, series)
	c.drawStatic, c.staticHeight = staticFigures(kind, title, labels, series), 4*vg.Inch
	return c
}

// round3 keeps three significant digits (1.9774 -> 1.98, 49712 -> 49700):
// the labels on bars and points stay short and do not claim false precision.
// It is parkit.Approx's rule for the plain numbers of a chart's series.
func round3(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	scale := math.Pow(10, 2-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*scale) / scale
}

func barData(vs []float64) []opts.BarData {
	d := make([]opts.BarData, len(vs))
	for i, v := range vs {
		d[i] = opts.BarData{Value: round3(v)}
	}
	return d
}

func lineData(vs []float64) []opts.LineData {
	d := make([]opts.LineData, len(vs))
	for i, v := range vs {
		d[i] = opts.LineData{Value: round3(v)}
	}
	return d
}

// figuresText is a table with a bar of '#' per value, scaled to the
// largest value.
func figuresText(title string, labels []string, series []Series) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", title)
	width := 5
	for _, l := range labels {
		width = max(width, len(l))
	}
	name := 0
	top := 0.0
	for _, s := range series {
		name = max(name, len(s.Name))
		for _, v := range s.Values {
			top = max(top, v)
		}
	}
	const barCols = 40
	for i, l := range labels {
		for j, s := range series {
			if i >= len(s.Values) {
				continue
			}
			head := ""
			if j == 0 {
				head = l
			}
			v := s.Values[i]
			n := 0
			if top > 0 && v > 0 {
				n = int(math.Round(barCols * v / top))
			}
			fmt.Fprintf(&b, "%-*s  %-*s %10s |%s\n", width, head, name, s.Name,
				strconv.FormatFloat(round3(v), 'f', -1, 64), strings.Repeat("#", n))
		}
	}
	return b.String()
}

// staticFigures draws the figures with gonum/plot.
func staticFigures(kind, title string, labels []string, series []Series) func(draw.Canvas) {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	n := len(series)
	w := vg.Points(min(40, 240/float64(max(n*len(labels), 1))))
	for i, s := range series {
		clr := color.Color(palette[i%len(palette)])
		vals := make(plotter.Values, len(labels))
		for j := range labels {
			if j < len(s.Values) {
				vals[j] = s.Values[j]
			}
		}
		if kind == "bar" {
			bars, err := plotter.NewBarChart(vals, w)
			if err != nil {
				continue
			}
			bars.Color = clr
			bars.LineStyle.Width = 0
			bars.Offset = w * vg.Length(2*i-n+1) / 2
			p.Add(bars)
			if n > 1 {
				p.Legend.Add(s.Name, bars)
			}
			continue
		}
		pts := make(plotter.XYs, len(vals))
		for j, v := range vals {
			pts[j] = plotter.XY{X: float64(j), Y: v}
		}
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			continue
		}
		line.Color, points.Color = clr, clr
		line.Width = vg.Points(2)
		p.Add(line, points)
		if n > 1 {
			p.Legend.Add(s.Name, line, points)
		}
	}
	p.NominalX(labels...)
	p.X.Min, p.X.Max = -0.5, float64(len(labels))-0.5
	p.Y.Min = 0
	return func(c draw.Canvas) {
		c.FillPolygon(color.White, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
		p.Draw(draw.Crop(c, 0.1*vg.Inch, -0.25*vg.Inch, 0.05*vg.Inch, -0.05*vg.Inch))
	}
}
