// Package chart draws parkit timelines and the figures derived from them,
// for notebooks (GoNB), standalone HTML pages, pictures and terminals.
//
// Use it when you have a recorded *parkit.Timeline (from an
// parkit.Experiment) and want to see it:
//
//	tl, err := parkit.Experiment{Workload: parkit.ArticleIdle()}.Run(ctx)
//	chart.Timeline(tl).Display()
//
// Timeline draws one experiment: one row per worker, one bar per task from
// its start to its end. Compare stacks several on one shared time axis
// (threads vs processes, idle vs busy, GOMAXPROCS=1 vs N). Bars and Lines
// draw derived figures, such as speedup against the number of workers.
// Live runs an experiment while its timeline grows in the cell.
// Sched draws the scheduler's view of a run recorded with parkit/sched
// (one row per P and per OS thread, running slices coloured by task);
// TimelineSched puts the task timeline over it on one zoomable time axis.
//
// Every chart has four renderings, so it shows wherever it is opened:
//
//   - HTML: an interactive ECharts chart (zoom with the mouse wheel, hover a
//     bar for its task, worker, process, thread, CPU and times);
//   - PNG (and SVG): a static picture drawn in Go with gonum/plot, shown by
//     untrusted notebooks, GitHub's viewer and PDF exports;
//   - text: the ASCII timeline of parkit.Timeline.Text, shown by terminals,
//     text exports and tests.
//
// Display sends all of them as one notebook output; outside a notebook it
// prints the text. WriteHTML and SaveHTML write a page that works offline.
//
// # Where ECharts comes from
//
// The ECharts JavaScript library (version EChartsVersion, npm's echarts
// package) is not committed: scripts/install.sh puts it in
// third_party/echarts/echarts.min.js and notebooks/echarts.min.js. This
// package finds it through $PARKIT_ECHARTS_JS, else by looking for
// third_party/echarts/echarts.min.js in the working directory and its
// parents (a notebook's working directory is its folder).
//
// In a notebook the library is inlined once per kernel session, in a
// small output of its own before the first chart, and it always sets
// window.echarts, even on pages with RequireJS (where ECharts' bundle
// would otherwise only define an AMD module). Each chart's own script
// draws the chart if window.echarts is there; else it waits for the
// library output or loads echarts.min.js itself, next to the notebook
// first, then from public CDNs; if all fail it says so under the static
// picture, which stays visible.
//
// The chart package imports parkit, never the other way round: programs
// that only run executors do not pull in go-echarts, gonum/plot or GoNB.
package chart
