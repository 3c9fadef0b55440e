package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// PNG draws the chart as a PNG picture, 900 pixels wide. It takes a few
// tens of milliseconds.
func (c *Chart) PNG() ([]byte, error) {
	canvas := vgimg.NewWith(vgimg.UseWH(staticWidth, c.staticHeight), vgimg.UseDPI(96))
	c.drawStatic(draw.New(canvas))
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: canvas}).WriteTo(&b); err != nil {
		return nil, fmt.Errorf("chart: PNG: %w", err)
	}
	return b.Bytes(), nil
}

// SVG draws the chart as an SVG picture.
func (c *Chart) SVG() ([]byte, error) {
	canvas := vgsvg.New(staticWidth, c.staticHeight)
	c.drawStatic(draw.New(canvas))
	var b bytes.Buffer
	if _, err := canvas.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("chart: SVG: %w", err)
	}
	return b.Bytes(), nil
}

// staticTimelines draws the timelines with gonum/plot, stacked, with the
// same time range, under the chart's title.
func staticTimelines(tls []*parkit.Timeline, cfg config, gs []group, of [][]int, unit timeUnit, end time.Duration) (func(draw.Canvas), vg.Length) {
	const (
		rowH   = 0.3 * vg.Inch
		extraH = 0.95 * vg.Inch // a plot's title, axis and padding
		titleH = 0.45 * vg.Inch
	)
	plots := make([]*plot.Plot, len(tls))
	heights := make([]vg.Length, len(tls))
	total := vg.Length(0)
	if cfg.title != "" {
		total += titleH
	}
	for t, tl := range tls {
		p := plot.New()
		p.Title.Text = tl.Title()
		p.Title.TextStyle.Font.Size = vg.Points(11)
		p.X.Label.Text = "time (" + unit.name + ")"
		_, axisMax := axisTicks(unit.of(end))
		p.X.Min, p.X.Max = 0, axisMax
		p.Add(plotter.NewGrid())
		rows := max(tl.Workers, 1)
		p.Add(&spanBars{tl: tl, groups: gs, of: of[t], unit: unit, rows: rows})
		names := make([]string, rows)
		for w := range names {
			names[w] = fmt.Sprintf("worker %d", rows-1-w) // worker 0 on top
		}
		p.NominalY(names...)
		p.Y.Min, p.Y.Max = -0.5, float64(rows)-0.5
		if cfg.colorBy != ByTask && t == 0 {
			p.Legend.Top = true
			p.Legend.Left = false
			for g, gr := range gs {
				if g < 8 {
					p.Legend.Add(gr.label, swatch(gr.color))
				}
			}
		}
		plots[t] = p
		heights[t] = rowH*vg.Length(rows) + extraH
		total += heights[t]
	}
	drawFn := func(c draw.Canvas) {
		c.FillPolygon(color.White, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
		top := c.Max.Y
		if cfg.title != "" {
			sty := draw.TextStyle{Color: color.Black, Font: plot.DefaultFont, XAlign: draw.XCenter, YAlign: draw.YCenter,
				Handler: plot.DefaultTextHandler}
			sty.Font.Size = vg.Points(14)
			c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: top - titleH/2}, cfg.title)
			top -= titleH
		}
		for t, p := range plots {
			sub := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: c.Min.X, Y: top - heights[t]},
				Max: vg.Point{X: c.Max.X, Y: top},
			}}
			p.Draw(draw.Crop(sub, 0.1*vg.Inch, -0.25*vg.Inch, 0.05*vg.Inch, -0.05*vg.Inch))
			top -= heights[t]
		}
	}
	return drawFn, total
}

// spanBars is a gonum/plot Plotter that draws a timeline's spans as bars.
type spanBars struct {
	tl     *parkit.Timeline
	groups []group
	of     []int
	unit   timeUnit
	rows   int
}

func (b *spanBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	label := draw.TextStyle{Color: color.White, Font: plot.DefaultFont, XAlign: draw.XCenter, YAlign: draw.YCenter,
		Handler: plot.DefaultTextHandler}
	label.Font.Size = vg.Points(8)
	for i, s := range b.tl.Spans {
		if b.of[i] < 0 {
			continue
		}
		y := float64(b.rows - 1 - s.Worker)
		x0, x1 := trX(b.unit.of(s.Start)), trX(b.unit.of(s.End))
		x1 = max(x1, x0+1) // a task too short to see still shows
		y0, y1 := trY(y-0.35), trY(y+0.35)
		box := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
		c.FillPolygon(b.groups[b.of[i]].color, c.ClipPolygonXY(box))
		if s.Err != nil {
			red := draw.LineStyle{Color: color.RGBA{0xa5, 0x0f, 0x15, 0xff}, Width: vg.Points(1.5)}
			c.StrokeLines(red, c.ClipLinesXY(append(box, box[0]))...)
		}
		text := fmt.Sprint(s.Task)
		if x1-x0 > vg.Points(5*float64(len(text))+4) {
			c.FillText(label, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, text)
		}
	}
}

// swatch is a legend entry's coloured square.
type swatch color.RGBA

func (s swatch) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}}
	c.FillPolygon(color.RGBA(s), pts)
}
