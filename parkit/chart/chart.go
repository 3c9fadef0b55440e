package chart

import (
	"encoding/json"
	"regexp"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TextWidth is the width in columns of a chart's text rendering.
const TextWidth = 100

// A Chart is a figure ready to show: in a notebook cell (Display), as a
// standalone page (WriteHTML, SaveHTML), as a picture (PNG, SVG) or as
// text (Text). Make one with Timeline, Compare, Bars or Lines. A Chart
// does not change once made, so its methods may be called from several
// goroutines.
type Chart struct {
	title  string
	kind   string // "timeline", "compare", "bars" or "lines"
	height int    // pixels of the interactive chart
	funcs  string // JavaScript that option refers to, run before it
	option string // JavaScript expression: the ECharts option
	text   string

	// drawStatic draws the static picture, of staticHeight, on a canvas
	// staticWidth wide.
	drawStatic   func(c draw.Canvas)
	staticHeight vg.Length
}

// staticWidth is the width of the static pictures: 900 px at 96 dpi.
const staticWidth = 9.375 * vg.Inch

// Title is the chart's title.
func (c *Chart) Title() string { return c.title }

// Text is the chart in plain text, at most TextWidth columns wide: for a
// timeline, parkit.Timeline.Text.
func (c *Chart) Text() string { return c.text }

// funcMarker matches the quoted function names that go-echarts' FuncOpts
// leaves in the option's JSON ("__f__parkitBar__f__"). We only ever pass
// it a name, never code: go-echarts strips newlines from code (so a //
// comment swallows the rest) and its own page breaks on a '"' in it. The
// named functions live, readable, in js/*.js.
var funcMarker = regexp.MustCompile(`"__f__([A-Za-z_$][A-Za-z0-9_$]*)__f__"`)

// optionJS turns a go-echarts option (from JSON()) into a JavaScript
// expression: JSON with the function names unquoted. json.Marshal escapes
// <, > and & as \u003c..., so no title can end the <script> early.
func optionJS(obj map[string]any) string {
	b, err := json.Marshal(obj)
	if err != nil {
		panic("chart: the ECharts option does not marshal: " + err.Error()) // only plain data goes in
	}
	return string(funcMarker.ReplaceAll(b, []byte("$1")))
}
