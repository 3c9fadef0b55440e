package chart

import (
	"context"
	"fmt"
	"html"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"github.com/parallelize-your-go/kit/parkit"
)

// Live runs the experiment like exp.Run and displays its timeline chart
// (drawn with opts). While it runs for more than a second, the cell shows
// how many tasks are done and running, the time elapsed, and the timeline
// so far, growing as tasks finish (updated twice a second); the final
// chart then replaces it, so a saved notebook keeps only the chart.
// exp.OnSpan, if set, is still called.
//
// Outside a notebook Live prints the final chart's text. On error it
// returns it, with the cell showing where the run stopped.
func Live(ctx context.Context, exp parkit.Experiment, opts ...Option) (*parkit.Timeline, error) {
	p := newProgress(exp)
	onSpan := exp.OnSpan
	exp.OnSpan = func(s parkit.Span) {
		if onSpan != nil {
			onSpan(s)
		}
		p.add(s)
	}
	type result struct {
		tl  *parkit.Timeline
		err error
	}
	done := make(chan result, 1)
	go func() {
		tl, err := exp.Run(ctx)
		done <- result{tl, err}
	}()

	const (
		quiet = time.Second            // show no progress for runs shorter than this
		every = 500 * time.Millisecond // between updates
	)
	tick := time.NewTicker(every)
	defer tick.Stop()
	displayID := ""
	for {
		select {
		case r := <-done:
			if r.err != nil {
				if displayID != "" {
					msg := "The experiment stopped: " + r.err.Error()
					gonbui.SendData(&protocol.DisplayData{DisplayID: displayID, Data: map[protocol.MIMEType]any{
						protocol.MIMETextHTML: "<pre>" + html.EscapeString(msg) + "</pre>", protocol.MIMETextPlain: msg}})
					gonbui.Sync()
				}
				return nil, r.err
			}
			c := Timeline(r.tl, opts...)
			if displayID == "" {
				c.Display()
				return r.tl, nil
			}
			c.Update(displayID)
			return r.tl, nil
		case <-tick.C:
			if !gonbui.IsNotebook || time.Since(p.start) < quiet {
				continue
			}
			if displayID == "" {
				sendLibrary()
				displayID = "parkit-live-" + gonbui.UniqueId()
			}
			gonbui.SendData(&protocol.DisplayData{DisplayID: displayID, Data: p.bundle(opts)})
		}
	}
}

// progress is what Live knows of a running experiment: the spans of the
// tasks done so far.
type progress struct {
	start      time.Time
	executor   string
	workload   string
	workers    int
	tasks      int
	skipSerial bool

	mu    sync.Mutex
	spans []parkit.Span
}

// maxLiveSpans caps the spans drawn while running: beyond it the cell
// shows the counts only, as redrawing the chart would cost more than the
// tasks.
const maxLiveSpans = 2000

func newProgress(exp parkit.Experiment) *progress {
	exp = exp.WithDefaults()
	return &progress{start: time.Now(), executor: string(exp.Executor), workload: exp.Workload.String(),
		workers: exp.Workers, tasks: exp.Tasks, skipSerial: exp.SkipSerial}
}

func (p *progress) add(s parkit.Span) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.spans = append(p.spans, s)
}

// bundle shows the counts and, if not too many, the timeline so far.
func (p *progress) bundle(opts []Option) map[protocol.MIMEType]any {
	p.mu.Lock()
	tl := &parkit.Timeline{Executor: p.executor, Workload: p.workload, Workers: p.workers, Tasks: p.tasks,
		Spans: append([]parkit.Span(nil), p.spans...)}
	p.mu.Unlock()
	done := len(tl.Spans)
	running := min(p.workers, p.tasks-done) // a pool keeps all its workers busy
	status := fmt.Sprintf("Running: %d of %d tasks done, %d running, %.1fs elapsed",
		done, p.tasks, running, time.Since(p.start).Seconds())
	if done == 0 && !p.skipSerial {
		status += " (first, one task runs alone: the serial baseline)"
	}
	h := "<div class=\"parkit-progress\" style=\"font-family:monospace;margin:4px 0\">" + html.EscapeString(status) + "</div>\n"
	plain := status + "\n"
	if done > 0 && done <= maxLiveSpans {
		c := Timeline(tl, append(opts, noAnimation)...)
		h += c.fragment(newID(), nil)
		plain += c.Text()
	}
	return map[protocol.MIMEType]any{protocol.MIMETextHTML: h, protocol.MIMETextPlain: plain}
}
