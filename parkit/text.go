package parkit

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Text draws the timeline in plain text, at most width columns wide (80 if
// width <= 0): a title, one row per worker with one bar per task labelled
// with its index ("[3=====]"; failed tasks are drawn with 'x'), and a time
// axis. It is what terminals, text exports and tests see.
func (tl *Timeline) Text(width int) string { return tl.TextUntil(width, tl.Makespan()) }

// TextUntil is Text with a time axis from 0 to end (at least the
// makespan), so that several timelines drawn with the same end can be
// compared column by column.
func (tl *Timeline) TextUntil(width int, end time.Duration) string {
	if width <= 0 {
		width = 80
	}
	label := func(w int) string { return fmt.Sprintf("worker %d |", w) }
	gutter := len(label(max(tl.Workers-1, 0)))
	cols := max(width-gutter-1, 10) // bar area, between the two '|'
	end = max(end, tl.Makespan(), 1)
	col := func(d time.Duration) int { return int(int64(cols) * int64(d) / int64(end)) }

	rows := make([][]byte, tl.Workers)
	for w := range rows {
		rows[w] = []byte(strings.Repeat(" ", cols))
	}
	for _, s := range tl.Spans {
		if s.Worker < 0 || s.Worker >= tl.Workers {
			continue // never ran
		}
		from := min(col(s.Start), cols-1)
		to := max(from+1, min(col(s.End), cols))
		drawBar(rows[s.Worker][from:to], strconv.Itoa(s.Task), s.Err != nil)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", tl.Title())
	for w, row := range rows {
		fmt.Fprintf(&b, "%*s%s|\n", gutter, label(w), row)
	}
	axisEnd := formatDuration(end)
	fmt.Fprintf(&b, "%*s0s%*s\n", gutter, "", cols-1, axisEnd)
	return b.String()
}

// drawBar fills cells with "[7====]" (or "[7xxxx]" for a failed task),
// shortened to fit: "[7]", "7".
func drawBar(cells []byte, id string, failed bool) {
	fill := byte('=')
	if failed {
		fill = 'x'
	}
	for i := range cells {
		cells[i] = fill
	}
	switch n := len(cells); {
	case n >= len(id)+2:
		cells[0], cells[n-1] = '[', ']'
		copy(cells[1:], id)
	default:
		copy(cells, id[:min(len(id), n)])
	}
}

// Title says what ran: "goroutines · busy (...) · 5 workers · 15 tasks".
func (tl *Timeline) Title() string {
	return fmt.Sprintf("%s, %s, %s, %s, makespan %s", tl.Executor, tl.Workload,
		plural(tl.Workers, "worker", "workers"), plural(tl.Tasks, "task", "tasks"), formatDuration(tl.Makespan()))
}

// plural says "1 worker", "5 workers", "2 processes".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Summary lists the derived figures, one per line, then the run's caveats
// (see Caveats), each on a line of its own starting with "note:". An
// unreliable speedup is not printed as a result.
func (tl *Timeline) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "makespan      %s (GOMAXPROCS=%d, %s)\n", formatDuration(tl.Makespan()), tl.GOMAXPROCS, tl.cpus())
	fmt.Fprintf(&b, "busy time     %s (sum of task durations)\n", formatDuration(tl.BusyTime()))
	if tl.Serial > 0 {
		fmt.Fprintf(&b, "serial        %s (one task alone x %d)\n", formatDuration(tl.Serial), tl.Tasks)
		if tl.Unreliable() != "" {
			fmt.Fprintf(&b, "speedup       unreliable (%.2fx measured: see the note below)\n", tl.Speedup())
		} else {
			fmt.Fprintf(&b, "speedup       %.2fx over serial (at most %sx in this run)\n", tl.Speedup(), trimFloat(tl.MaxSpeedup()))
		}
	}
	fmt.Fprintf(&b, "utilization   %.0f%% of the workers' time\n", 100*tl.Utilization())
	fmt.Fprintf(&b, "max overlap   %d tasks at once\n", tl.MaxOverlap())
	if tl.CPUTime > 0 {
		fmt.Fprintf(&b, "cores used    %.2f on average (CPU time %s)\n", tl.CoresUsed(), formatDuration(tl.CPUTime))
	}
	if tl.OthersCores >= 0 {
		fmt.Fprintf(&b, "others        %.2f cores used by other programs during the run\n", tl.OthersCores)
	}
	if err := tl.Err(); err != nil {
		fmt.Fprintf(&b, "failed tasks  %d\n", strings.Count(err.Error()+"\n", "\n"))
	}
	for _, c := range tl.Caveats() {
		fmt.Fprintf(&b, "note: %s\n", c)
	}
	return b.String()
}

// cpus says "2 CPUs", or "2 CPUs, CPU limit 1 core" when the program could
// use fewer than the machine shows.
func (tl *Timeline) cpus() string {
	s := plural(tl.NumCPU, "CPU", "CPUs")
	if tl.CPULimit > 0 && tl.CPULimit < float64(tl.NumCPU) {
		s += ", CPU limit " + cores(tl.CPULimit)
	}
	return s
}

// formatDuration rounds d for people: 2.01s, 153ms, 42.3µs.
func formatDuration(d time.Duration) string { return Approx(d).String() }

// Placement says where the timeline's tasks ran, counting distinct values:
// "15 tasks on 5 workers, 1 process, 5 OS threads, 2 CPUs". Tasks that
// never ran are left out; unknown threads or CPUs (-1) are not counted.
func (tl *Timeline) Placement() string {
	workers, pids, tids, cpus := map[int]bool{}, map[int]bool{}, map[[2]int]bool{}, map[int]bool{}
	ran := 0
	for _, s := range tl.Spans {
		if s.Worker < 0 {
			continue
		}
		ran++
		workers[s.Worker], pids[s.PID] = true, true
		if s.TID >= 0 {
			tids[[2]int{s.PID, s.TID}] = true
		}
		if s.CPU >= 0 {
			cpus[s.CPU] = true
		}
	}
	return fmt.Sprintf("%s on %s, %s, %s, %s", plural(ran, "task", "tasks"),
		plural(len(workers), "worker", "workers"), plural(len(pids), "process", "processes"),
		plural(len(tids), "OS thread", "OS threads"), plural(len(cpus), "CPU", "CPUs"))
}

// Approx rounds d to three significant digits, for printing measured
// figures without false precision: 2.496543ms -> 2.5ms, 805ns -> 805ns.
// It is the kit's one rounding of durations: timelines' text, the
// scheduler summaries of parkit/sched and the axes of parkit/chart use it.
func Approx(d time.Duration) time.Duration {
	unit := time.Duration(1)
	for abs := max(d, -d); abs >= 1000*unit; unit *= 10 {
	}
	return d.Round(unit)
}
