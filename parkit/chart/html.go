package chart

import (
	"crypto/rand"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html"
	"strings"
)

//go:embed js/loader.js
var loaderJS string

// fallbackURLs are where a chart's script looks for ECharts when the page
// does not have it yet: next to the notebook or page (scripts/install.sh
// copies it to notebooks/), then public CDNs.
var fallbackURLs = []string{
	"echarts.min.js",
	"https://cdn.jsdelivr.net/npm/echarts@" + EChartsVersion + "/dist/echarts.min.js",
	"https://unpkg.com/echarts@" + EChartsVersion + "/dist/echarts.min.js",
}

// newID returns a fresh DOM id for a chart.
func newID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "parkit-chart-" + hex.EncodeToString(b)
}

// fragment is the chart's HTML: a box holding the interactive chart's
// canvas (hidden until drawn), the static PNG (hidden once the chart is
// drawn; what sanitized, script-less viewers show), a message line for
// when ECharts cannot be had, and the script that draws it (js/loader.js).
//
// Why our own HTML and not go-echarts' RenderContent or RenderSnippet:
// their script assumes window.echarts is already there (it is not, with
// RequireJS on the page, or while an external <script> still loads),
// their div's class "container" is styled by the classic Notebook's
// Bootstrap, and RenderSnippet quotes the option's functions.
func (c *Chart) fragment(id string, png []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<div class=\"parkit-chart\" id=%q data-parkit-kind=%q style=\"max-width:1000px\">\n", id, c.kind)
	fmt.Fprintf(&b, "<div class=\"parkit-chart-canvas\" style=\"display:none;width:100%%;height:%dpx\"></div>\n", c.height)
	if png != nil {
		fmt.Fprintf(&b, "<img class=\"parkit-chart-static\" alt=\"%s\" style=\"max-width:100%%\" src=\"data:image/png;base64,%s\">\n",
			html.EscapeString(c.title), base64.StdEncoding.EncodeToString(png))
	}
	b.WriteString("<div class=\"parkit-chart-message\" style=\"display:none;color:#8a6d3b;font-size:12px\"></div>\n</div>\n")
	fmt.Fprintf(&b, "<script>\n(function () {\nvar makeOption = function (echarts) {\n%s\nreturn %s;\n};\n",
		c.funcs, c.option)
	fmt.Fprintf(&b, "%s(window, %q, makeOption, %s);\n})();\n</script>\n", strings.TrimSpace(loaderJS), id, jsStrings(fallbackURLs))
	return b.String()
}

func jsStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
