package chart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
)

// EChartsEnv names the environment variable that, if set, is the path of
// the ECharts JavaScript file (echarts.min.js) to inline.
const EChartsEnv = "PARKIT_ECHARTS_JS"

// echartsRel is where scripts/install.sh puts ECharts, from the repo root.
var echartsRel = filepath.Join("third_party", "echarts", "echarts.min.js")

// installHint says how to get ECharts; shown when it cannot be found.
var installHint = "ECharts JS not found (looked at $" + EChartsEnv + " and " + echartsRel +
	" in this folder and its parents): run scripts/install.sh, or set " + EChartsEnv +
	" to an echarts.min.js " + EChartsVersion + ". Charts below load it from next to the notebook or the web, else show a picture."

var echarts struct {
	once sync.Once
	js   string
	path string
	err  error
}

// echartsJS returns the ECharts library, read once per program.
func echartsJS() (js, path string, err error) {
	echarts.once.Do(func() {
		echarts.path, echarts.err = findECharts()
		if echarts.err != nil {
			return
		}
		b, err := os.ReadFile(echarts.path)
		if err != nil {
			echarts.err = err
			return
		}
		echarts.js = string(b)
	})
	return echarts.js, echarts.path, echarts.err
}

// findECharts looks at $PARKIT_ECHARTS_JS, then for
// third_party/echarts/echarts.min.js in the working directory and each of
// its parents.
func findECharts() (string, error) {
	if p := os.Getenv(EChartsEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("chart: $%s: %w", EChartsEnv, err)
		}
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, echartsRel)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("chart: " + installHint)
		}
		dir = parent
	}
}

// scriptEnd matches what would end an inline <script> early.
var scriptEnd = regexp.MustCompile(`(?i)</(script)|<!--`)

// libraryHTML is ECharts as one inline <script> that sets window.echarts
// even when the page has RequireJS: the bundle runs inside a function
// whose parameters define, module and exports are undefined, so its UMD
// header takes the "browser global" branch. Then it draws the charts that
// queued themselves before it (js/loader.js). ok is false, and the HTML a
// hint, if ECharts cannot be found.
func libraryHTML() (html string, ok bool) {
	js, _, err := echartsJS()
	if err != nil {
		return "<div class=\"parkit-echarts-hint\" style=\"color:#8a6d3b;font-size:12px\">" + installHint + "</div>", false
	}
	js = scriptEnd.ReplaceAllStringFunc(js, func(s string) string {
		if s == "<!--" {
			return `<\!--`
		}
		return `<\/` + s[2:]
	})
	return "<script data-parkit-echarts=\"" + EChartsVersion + "\">\n" +
		"if (!(window.echarts && window.echarts.init)) {\n" +
		"(function (define, module, exports) {\n" + js + "\n}).call(window);\n}\n" +
		"if (window.__parkitECharts && window.__parkitECharts.flush) window.__parkitECharts.flush();\n" +
		"</script>\n", true
}
