package chart

import (
	"fmt"
	"image/color"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/parallelize-your-go/kit/parkit/sched"
)

// staticPanels draws a scheduler chart's panels with gonum/plot, stacked
// on one time range under the title: the picture fallback.
func staticPanels(title string, panels []panel, pauses []sched.Pause, unit timeUnit, end time.Duration) (func(draw.Canvas), vg.Length) {
	const (
		rowH   = 0.3 * vg.Inch
		extraH = 0.95 * vg.Inch // a plot's title, axis and padding
		titleH = 0.45 * vg.Inch
	)
	plots := make([]*plot.Plot, len(panels))
	heights := make([]vg.Length, len(panels))
	total := titleH
	_, axisMax := axisTicks(unit.of(end))
	for i, pn := range panels {
		p := plot.New()
		p.Title.Text = pn.title
		p.Title.TextStyle.Font.Size = vg.Points(11)
		p.X.Label.Text = "time (" + unit.name + ")"
		p.X.Min, p.X.Max = 0, axisMax
		p.Add(plotter.NewGrid())
		p.Add(&panelBars{panel: pn, pauses: pauses, unit: unit})
		// Why no names on the axis: each plot would size its margin to its
		// longest name, and the panels' time axes must line up. panelBars
		// writes them in a margin of the same width in every panel.
		p.NominalY(make([]string, len(pn.rows))...)
		p.Y.Min, p.Y.Max = -0.5, float64(len(pn.rows))-0.5
		plots[i] = p
		heights[i] = rowH*vg.Length(len(pn.rows)) + extraH
		total += heights[i]
	}
	drawFn := func(c draw.Canvas) {
		c.FillPolygon(color.White, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
		sty := draw.TextStyle{Color: color.Black, Font: plot.DefaultFont, XAlign: draw.XCenter, YAlign: draw.YCenter,
			Handler: plot.DefaultTextHandler}
		sty.Font.Size = vg.Points(13)
		top := c.Max.Y
		c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: top - titleH/2}, title)
		top -= titleH
		for i, p := range plots {
			sub := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: c.Min.X, Y: top - heights[i]},
				Max: vg.Point{X: c.Max.X, Y: top},
			}}
			p.Draw(draw.Crop(sub, rowNames, -0.25*vg.Inch, 0.05*vg.Inch, -0.05*vg.Inch))
			top -= heights[i]
		}
	}
	return drawFn, total
}

// rowNames is the margin for the row names: "worker 10".
const rowNames = 0.85 * vg.Inch

// panelBars is a gonum/plot Plotter that draws a panel's bars, its
// preemption ticks and the pauses.
type panelBars struct {
	panel
	pauses []sched.Pause
	unit   timeUnit
}

func (b *panelBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	rows := len(b.rows)
	label := draw.TextStyle{Color: color.White, Font: plot.DefaultFont, XAlign: draw.XCenter, YAlign: draw.YCenter,
		Handler: plot.DefaultTextHandler}
	label.Font.Size = vg.Points(8)
	name := draw.TextStyle{Color: color.Black, Font: plot.DefaultFont, XAlign: draw.XRight, YAlign: draw.YCenter,
		Handler: plot.DefaultTextHandler}
	name.Font.Size = vg.Points(10)
	for r, text := range b.rows {
		c.FillText(name, vg.Point{X: c.Min.X - vg.Points(6), Y: trY(float64(rows - 1 - r))}, text)
	}
	tick := draw.LineStyle{Color: color.RGBA{0x22, 0x22, 0x22, 0xff}, Width: vg.Points(1.2)}
	for _, br := range b.bars {
		y := float64(rows - 1 - br.row)
		x0, x1 := trX(b.unit.of(br.start)), trX(b.unit.of(br.end))
		x1 = max(x1, x0+1) // a slice too short to see still shows
		y0, y1 := trY(y-0.35), trY(y+0.35)
		box := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
		col := palette[((br.task%len(palette))+len(palette))%len(palette)]
		c.FillPolygon(col, c.ClipPolygonXY(box))
		if br.failed {
			red := draw.LineStyle{Color: color.RGBA{0xa5, 0x0f, 0x15, 0xff}, Width: vg.Points(1.5)}
			c.StrokeLines(red, c.ClipLinesXY(append(box, box[0]))...)
		}
		if br.preempted {
			c.StrokeLines(tick, c.ClipLinesXY([]vg.Point{{X: x1, Y: trY(y - 0.45)}, {X: x1, Y: trY(y + 0.45)}})...)
		}
		if text := fmt.Sprint(br.task); x1-x0 > vg.Points(5*float64(len(text))+4) {
			c.FillText(label, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, text)
		}
	}
	grey := color.NRGBA{0x78, 0x78, 0x78, 0x60}
	for _, ps := range b.pauses {
		x0, x1 := trX(b.unit.of(ps.Start)), trX(b.unit.of(ps.End))
		x1 = max(x1, x0+2)
		y0, y1 := trY(-0.5), trY(float64(rows)-0.5)
		c.FillPolygon(grey, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}))
	}
}
