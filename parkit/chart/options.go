package chart

// An Option changes how Timeline or Compare draws.
type Option func(*config)

type config struct {
	colorBy ColorMode
	title   string
	still   bool // no animation: for charts redrawn often
}

// A ColorMode says what a bar's colour shows.
type ColorMode int

const (
	ByTask    ColorMode = iota // each task its own colour (the default)
	ByCPU                      // the CPU the task started on
	ByThread                   // the OS thread that ran it
	ByProcess                  // the process that ran it
	ByWorker                   // the worker that ran it
)

// ColorBy colours the bars by task (the default), CPU, thread, process or
// worker. Other than by task, the chart gets a legend.
func ColorBy(m ColorMode) Option { return func(c *config) { c.colorBy = m } }

// Title replaces the chart's title. A timeline's own title (executor,
// workload, workers, makespan) then becomes its subtitle.
func Title(t string) Option { return func(c *config) { c.title = t } }

func newConfig(opts []Option) config {
	var c config
	for _, o := range opts {
		o(&c)
	}
	return c
}

// noAnimation draws the chart at once: Live's progress charts are redrawn
// twice a second.
func noAnimation(c *config) { c.still = true }
