package browsertest_test

// The browser test: charts must draw wherever a learner opens a notebook.
// It executes testdata/chart-check.ipynb (every chart type) with the GoNB
// kernel, exports it with nbconvert and opens the results in headless
// Chromium with no network (every host name but 127.0.0.1 unresolvable):
//
//   - the HTML export opened from disk (Debian's nbconvert then loads
//     RequireJS from file://) and served over http (no RequireJS);
//   - the executed notebook, signed, in a live classic Notebook server;
//   - each output inserted into a plain page the way JupyterLab does
//     (innerHTML, then every <script> re-created), with the library
//     output, and without it (the charts then load echarts.min.js
//     themselves, by <script> or through RequireJS), and with no ECharts
//     anywhere (a readable message and the static picture);
//   - every chart of every HTML export in $PARKIT_HTML_DIR, if set.
//
// Each chart must have a canvas with drawn pixels and the page's console
// no errors. It skips if Jupyter, GoNB or Chromium is missing, unless
// CI=true, where missing tools fail it.

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parallelize-your-go/kit/internal/notebook"
)

// need returns the path of a tool, or skips (fails under CI=true).
func need(t *testing.T, what string, find func() (string, error)) string {
	t.Helper()
	p, err := find()
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing (%v); CI must not skip the browser test: run scripts/install.sh --with-test-tools", what, err)
	}
	t.Skipf("%s is missing (%v): install it (scripts/install.sh --with-test-tools) to run the browser test", what, err)
	return ""
}

func lookPath(name string) func() (string, error) {
	return func() (string, error) { return exec.LookPath(name) }
}

// repoRoot is the checkout: this package is parkit/chart/browsertest.
func repoRoot(t *testing.T) string {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the browser test takes about a minute")
	}
	root := repoRoot(t)
	chromium := need(t, "Chromium", func() (string, error) {
		for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(n); err == nil {
				return p, nil
			}
		}
		return "", fmt.Errorf("no chromium, chromium-browser or google-chrome on PATH")
	})
	jupyter := need(t, "Jupyter", lookPath("jupyter"))
	need(t, "the GoNB kernel", func() (string, error) {
		// Debian's Jupyter has no "kernelspec" command: look in its data dirs.
		out, err := exec.Command(jupyter, "--paths", "--json").Output()
		if err != nil {
			return "", fmt.Errorf("jupyter --paths: %v", err)
		}
		var paths struct{ Data []string }
		json.Unmarshal(out, &paths)
		for _, d := range paths.Data {
			if p := filepath.Join(d, "kernels", "gonb", "kernel.json"); fileExists(p) {
				return p, nil
			}
		}
		return "", fmt.Errorf("no kernels/gonb/kernel.json in %v (run gonb --install)", paths.Data)
	})
	js := need(t, "ECharts JS", func() (string, error) {
		p := os.Getenv("PARKIT_ECHARTS_JS")
		if p == "" {
			p = filepath.Join(root, "third_party", "echarts", "echarts.min.js")
		}
		_, err := os.Stat(p)
		return p, err
	})
	shots := filepath.Join(root, "out", "screenshots")
	os.MkdirAll(shots, 0o755)

	// Execute the fixture notebook and export it.
	dir := t.TempDir()
	copyFile(t, filepath.Join("testdata", "chart-check.ipynb"), filepath.Join(dir, "chart-check.ipynb"))
	env := append(os.Environ(), "PARKIT_REPO="+root, "PARKIT_ECHARTS_JS="+js, "JUPYTER_RUNTIME_DIR="+filepath.Join(dir, "runtime"))
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	if err := notebook.Execute(ctx, dir, "chart-check.ipynb", "executed.ipynb", env); err != nil {
		t.Fatal(err)
	}
	t.Logf("executed the notebook in %v", time.Since(start).Round(time.Millisecond))
	outputs := checkExecuted(t, filepath.Join(dir, "executed.ipynb"))
	run(t, dir, env, jupyter, "nbconvert", "--to", "html", "--output", "export.html", "executed.ipynb")
	// The same export without RequireJS: an empty script in its place.
	run(t, dir, env, jupyter, "nbconvert", "--to", "html", "--output", "export-norequire.html",
		"--HTMLExporter.require_js_url=data:text/javascript,", "executed.ipynb")

	// A server for the pages that need http, and the browser.
	srv := httptest.NewServer(pages(dir, js, outputs))
	defer srv.Close()
	b := newBrowser(t, chromium)
	const charts = 7

	t.Run("export from disk, with RequireJS", func(t *testing.T) {
		p := b.check(t, "file://"+filepath.Join(dir, "export.html"), charts, true)
		if !p.requireJS {
			t.Errorf("the export opened from disk should have RequireJS (Debian's nbconvert loads it from file://)")
		}
		b.screenshot(t, p, "compare", filepath.Join(shots, "compare-html-export.png"))
		b.screenshot(t, p, "timeline-sched", filepath.Join(shots, "timeline-sched-html-export.png"))
	})
	t.Run("export from disk, without RequireJS", func(t *testing.T) {
		p := b.check(t, "file://"+filepath.Join(dir, "export-norequire.html"), charts, true)
		if p.requireJS {
			t.Errorf("the export made with an empty require_js_url should have no RequireJS")
		}
	})
	t.Run("classic Notebook server", func(t *testing.T) {
		url := notebookServer(t, dir, env, jupyter)
		p := b.check(t, url, charts, true)
		if !p.requireJS {
			t.Errorf("the classic Notebook should have RequireJS")
		}
		b.screenshot(t, p, "compare", filepath.Join(shots, "compare-notebook.png"))
	})
	t.Run("JupyterLab's way, with the library output", func(t *testing.T) {
		b.check(t, srv.URL+"/lab.html", charts, true)
	})
	t.Run("JupyterLab's way, charts load echarts.min.js", func(t *testing.T) {
		b.check(t, srv.URL+"/lab-nolib.html", charts, true)
	})
	t.Run("RequireJS page, charts load echarts.min.js", func(t *testing.T) {
		b.check(t, srv.URL+"/amd-nolib.html", charts, true)
	})
	t.Run("no ECharts anywhere: message and picture", func(t *testing.T) {
		b.checkFallback(t, srv.URL+"/none/index.html", charts)
	})
	if d := os.Getenv("PARKIT_HTML_DIR"); d != "" {
		t.Run("exports in PARKIT_HTML_DIR", func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join(d, "*.html"))
			if len(files) == 0 {
				t.Fatalf("PARKIT_HTML_DIR=%s has no .html files", d)
			}
			for _, f := range files {
				t.Run(filepath.Base(f), func(t *testing.T) {
					abs, _ := filepath.Abs(f)
					b.check(t, "file://"+abs, -1, true)
				})
			}
		})
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, dir string, env []string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, lastLines(string(out), 40))
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// An output is one display_data output's text/html, with its other MIME types.
type output struct {
	HTML  string
	Types []string
}

// checkExecuted checks the executed notebook: no errors, every chart
// output a MIME bundle with HTML, PNG and text, the live cell left with
// its final chart only. It returns the HTML outputs in order.
func checkExecuted(t *testing.T, path string) []output {
	t.Helper()
	nb, err := notebook.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	var outs []output
	library := 0
	for _, c := range nb.Cells {
		src := string(c.Source)
		for _, o := range c.Outputs {
			if o.Type == "error" || o.Name == "stderr" {
				t.Errorf("cell %q: %s output: %s", firstLine(src), o.Type, o.Text)
			}
			h := string(o.Data["text/html"])
			if h == "" {
				continue
			}
			types := make([]string, 0, len(o.Data))
			for k := range o.Data {
				types = append(types, k)
			}
			slices.Sort(types)
			outs = append(outs, output{h, types})
			if strings.Contains(h, "data-parkit-echarts") {
				library++
				continue
			}
			if strings.Contains(h, "parkit-progress") {
				t.Errorf("cell %q: the live progress is left in the saved notebook", firstLine(src))
			}
			if !slices.Equal(types, []string{"image/png", "text/html", "text/plain"}) {
				t.Errorf("cell %q: chart output has %v, want image/png, text/html, text/plain", firstLine(src), types)
			}
			if txt := string(o.Data["text/plain"]); strings.Contains(src, "chart.TimelineSched") && !strings.Contains(txt, "P0 |") {
				t.Errorf("cell %q: text/plain has no scheduler rows:\n%s", firstLine(src), txt)
			}
			if txt := string(o.Data["text/plain"]); strings.Contains(src, "chart.Timeline") && !strings.Contains(txt, "worker 0 |") {
				t.Errorf("cell %q: text/plain is not a text timeline:\n%s", firstLine(src), txt)
			}
		}
	}
	if library != 1 {
		t.Errorf("the ECharts library was sent %d times, want once", library)
	}
	return outs
}

func firstLine(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "%%\n")
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// pages serves the test's folder and the pages that insert the notebook's
// outputs the way JupyterLab does.
func pages(dir, js string, outs []output) http.Handler {
	var charts []string
	var all []string
	for _, o := range outs {
		all = append(all, o.HTML)
		if !strings.Contains(o.HTML, "data-parkit-echarts") {
			charts = append(charts, o.HTML)
		}
	}
	page := func(requireJS bool, outputs []string) string {
		list, _ := json.Marshal(outputs) // escapes <, so no </script> inside
		var b strings.Builder
		b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\">")
		if requireJS {
			b.WriteString(`<script src="/requirejs/require.min.js"></script>`)
		}
		b.WriteString("</head><body>\n<script>\nconst outputs = ")
		b.Write(list)
		b.WriteString(`;
// JupyterLab's RenderedHTML: set innerHTML, then re-create each script so
// it runs; an external one loads asynchronously. One output per task, as
// messages arrive.
function render(html) {
  const host = document.createElement("div");
  host.className = "jp-OutputArea-output";
  document.body.appendChild(host);
  host.innerHTML = html;
  for (const script of Array.from(host.getElementsByTagName("script"))) {
    const clone = document.createElement("script");
    for (const a of Array.from(script.attributes)) clone.setAttribute(a.name, a.value);
    clone.textContent = script.textContent;
    script.parentNode.replaceChild(clone, script);
  }
}
outputs.forEach((html, i) => setTimeout(() => render(html), 10 * i));
</script>
</body></html>
`)
		return b.String()
	}
	mux := http.NewServeMux()
	files := http.FileServer(http.Dir(dir))
	mux.Handle("/", files)
	serve := func(path, body string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io := strings.NewReader(body)
			http.ServeContent(w, r, path, time.Time{}, io)
		})
	}
	serve("/lab.html", page(false, all))
	serve("/lab-nolib.html", page(false, charts))
	serve("/amd-nolib.html", page(true, charts))
	// No echarts.min.js next to this one: its charts find none.
	serve("/none/index.html", page(false, charts))
	mux.HandleFunc("/echarts.min.js", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, js) })
	mux.Handle("/requirejs/", http.StripPrefix("/requirejs/", http.FileServer(http.Dir("/usr/share/javascript/requirejs"))))
	return mux
}

// notebookServer starts a classic Notebook server on 127.0.0.1 serving
// dir, with the executed notebook signed (trusted, so its scripts run),
// and returns the notebook's URL. The server stops with the test.
func notebookServer(t *testing.T, dir string, env []string, jupyter string) string {
	t.Helper()
	// Debian's Jupyter has no "trust" command: sign with the Python that
	// runs jupyter.
	run(t, dir, env, jupyterPython(t, jupyter), "-m", "nbformat.sign", "executed.ipynb")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	token := "parkit-chart-test"
	cmd := exec.Command(jupyter, "notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1",
		fmt.Sprintf("--port=%d", port), "--NotebookApp.token="+token, "--notebook-dir="+dir)
	cmd.Dir, cmd.Env = dir, env
	logf, _ := os.Create(filepath.Join(dir, "notebook-server.log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // to stop its kernels too
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		logf.Close()
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/api/status?token=" + token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(filepath.Join(dir, "notebook-server.log"))
			t.Fatalf("the Notebook server did not start: %v\n%s", err, lastLines(string(out), 30))
		}
		time.Sleep(200 * time.Millisecond)
	}
	return base + "/notebooks/executed.ipynb?token=" + token
}

// jupyterPython is the interpreter of the jupyter script (its #! line).
func jupyterPython(t *testing.T, jupyter string) string {
	b, err := os.ReadFile(jupyter)
	if err == nil && strings.HasPrefix(string(b), "#!") {
		line, _, _ := strings.Cut(string(b[2:]), "\n")
		if f := strings.Fields(line); len(f) == 1 && fileExists(f[0]) {
			return f[0]
		}
	}
	return "python3"
}

// A browser is headless Chromium with no network but 127.0.0.1.
type browser struct {
	ctx context.Context
}

func newBrowser(t *testing.T, path string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 1000),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	if err := chromedp.Do(ctx); err != nil { // start the browser
		cancel()
		cancelAlloc()
		t.Fatalf("starting Chromium: %v", err)
	}
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return &browser{ctx: ctx}
}

// A chartState is what the page says of one chart.
type chartState struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Drawn    bool   `json:"drawn"`
	Ink      int    `json:"ink"`
	Message  string `json:"message"`
	ImageOn  bool   `json:"imageOn"`
	CanvasOn bool   `json:"canvasOn"`
}

type pageState struct {
	Charts    []chartState `json:"charts"`
	requireJS bool
	tab       context.Context
}

// probe counts each chart's inked pixels: non-transparent, non-white.
const probe = `(() => ({
  requireJS: typeof window.requirejs === "function",
  charts: Array.from(document.querySelectorAll(".parkit-chart")).map(box => {
    const cv = box.querySelector(".parkit-chart-canvas canvas");
    let ink = 0;
    if (cv && cv.width > 0 && cv.height > 0) {
      const d = cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) ink++;
      }
    }
    const msg = box.querySelector(".parkit-chart-message");
    const img = box.querySelector(".parkit-chart-static");
    const canvas = box.querySelector(".parkit-chart-canvas");
    return {
      id: box.id, kind: box.getAttribute("data-parkit-kind"),
      drawn: box.getAttribute("data-drawn") === "1", ink: ink,
      message: msg && msg.style.display !== "none" ? msg.textContent : "",
      imageOn: !!img && getComputedStyle(img).display !== "none" && img.naturalWidth > 0,
      canvasOn: !!canvas && getComputedStyle(canvas).display !== "none"
    };
  })
}))()`

// open loads url in a new tab and collects its console errors:
// console.error calls, uncaught exceptions and the browser log's errors
// (such as failed loads).
func (b *browser) open(t *testing.T, url string) (context.Context, func() []string) {
	tab, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	var mu sync.Mutex
	var errs []string
	messages := chromedp.Console(tab)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if (m.Type == chromedp.ConsoleError || m.IsException()) && !widgetsProbe(m.String(), m.URL) {
				mu.Lock()
				errs = append(errs, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line))
				mu.Unlock()
			}
		}
	}()
	start := time.Now()
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	t.Logf("loaded %s in %v", url, time.Since(start).Round(time.Millisecond))
	return tab, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(errs)
	}
}

// widgetsProbe reports whether a console error is classic Notebook's own
// request for the ipywidgets extension. Why ignored: the Notebook asks for
// it on every page, and every machine without Debian's
// jupyter-nbextension-jupyter-js-widgets (a fresh Debian, most readers')
// answers 404; it is not the kit's error, and the kit needs no widgets.
func widgetsProbe(message, url string) bool {
	const probe = "/nbextensions/widgets/notebook/js/extension.js"
	return strings.Contains(url, probe) || strings.Contains(message, probe)
}

// wait polls the page until ok says its charts are done, or 30 s pass.
func (b *browser) wait(t *testing.T, tab context.Context, want int, ok func(pageState) bool) pageState {
	start := time.Now()
	var p pageState
	var last string
	for {
		type state struct {
			RequireJS bool         `json:"requireJS"`
			Charts    []chartState `json:"charts"`
		}
		raw, err := chromedp.Run(tab, chromedp.Evaluate[state](probe))
		if err != nil {
			t.Fatalf("probing the page: %v", err)
		}
		p = pageState{Charts: raw.Charts, requireJS: raw.RequireJS, tab: tab}
		cur := fmt.Sprint(p.Charts)
		if (want < 0 || len(p.Charts) == want) && ok(p) && cur == last {
			t.Logf("%d charts ready in %v", len(p.Charts), time.Since(start).Round(time.Millisecond))
			return p
		}
		last = cur
		if time.Since(start) > 30*time.Second {
			t.Logf("gave up waiting after 30s")
			return p
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// check opens url and asserts that it has want charts (any number if
// want < 0), each with a drawn canvas, and that the console has no errors.
func (b *browser) check(t *testing.T, url string, want int, noErrors bool) pageState {
	t.Helper()
	tab, errors := b.open(t, url)
	drawn := func(p pageState) bool {
		for _, c := range p.Charts {
			if !c.Drawn || c.Ink < 2000 {
				return false
			}
		}
		return true
	}
	p := b.wait(t, tab, want, drawn)
	if want >= 0 && len(p.Charts) != want {
		t.Errorf("%s: %d charts, want %d", url, len(p.Charts), want)
	}
	for _, c := range p.Charts {
		if !c.Drawn || c.Ink < 2000 || !c.CanvasOn || c.ImageOn {
			t.Errorf("%s: chart %s (%s) not drawn: %+v", url, c.ID, c.Kind, c)
		}
	}
	if errs := errors(); noErrors && len(errs) > 0 {
		t.Errorf("%s: console errors:\n%s", url, strings.Join(errs, "\n"))
	}
	return p
}

// checkFallback opens a page where ECharts cannot be had: each chart must
// keep its picture and say why it is not interactive.
func (b *browser) checkFallback(t *testing.T, url string, want int) {
	t.Helper()
	tab, _ := b.open(t, url) // the failed loads are logged as errors: expected here
	p := b.wait(t, tab, want, func(p pageState) bool {
		for _, c := range p.Charts {
			if c.Message == "" {
				return false
			}
		}
		return true
	})
	for _, c := range p.Charts {
		if c.Message == "" || !c.ImageOn || c.Drawn {
			t.Errorf("chart %s (%s): want the message and the picture, got %+v", c.ID, c.Kind, c)
		}
	}
	if len(p.Charts) > 0 {
		t.Logf("message: %s", p.Charts[0].Message)
	}
}

// screenshot saves the first chart of the kind as a PNG.
func (b *browser) screenshot(t *testing.T, p pageState, kind, path string) {
	t.Helper()
	for _, c := range p.Charts {
		if c.Kind != kind {
			continue
		}
		if err := chromedp.Do(p.tab, chromedp.ScrollIntoView("#"+c.ID)); err != nil {
			t.Errorf("scrolling to %s: %v", c.ID, err)
			return
		}
		png, err := chromedp.Run(p.tab, chromedp.Screenshot("#"+c.ID))
		if err != nil {
			t.Errorf("screenshot of %s: %v", c.ID, err)
			return
		}
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Error(err)
		}
		t.Logf("screenshot: %s", path)
		return
	}
	t.Errorf("no %s chart to screenshot", kind)
}
