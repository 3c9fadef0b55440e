package main

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// A Row is one line of the table and one object of results.json.
type Row struct {
	Section     string             `json:"section"`
	Measure     string             `json:"measure"`
	Unit        string             `json:"unit"`
	Parkit      *float64           `json:"parkit"`
	ParkitMin   *float64           `json:"parkit_min,omitempty"`
	ParkitMax   *float64           `json:"parkit_max,omitempty"`
	Anchor      string             `json:"anchor,omitempty"`
	AnchorValue *float64           `json:"anchor_value,omitempty"`
	Ratio       *float64           `json:"ratio,omitempty"`
	Goal        string             `json:"goal,omitempty"`
	GoalOn      string             `json:"goal_on,omitempty"` // "ratio" or "parkit" (an absolute goal)
	Met         *bool              `json:"met,omitempty"`
	Anchors     map[string]float64 `json:"anchors,omitempty"` // every anchor's median
	Note        string             `json:"note,omitempty"`
}

// spec describes a row: parkit's key, the anchors' keys by name, and the
// goal. Without goalAnchor the ratio is against the best anchor.
type spec struct {
	section, measure, unit string
	parkit                 string
	anchors                [][2]string // {name, key}
	goalAnchor             string      // anchor name the goal's ratio uses
	goal                   string      // "<= 0.5", ">= 0.9"; on the ratio, or on parkit if goalAnchor is "-"
	higherBetter           bool
	note                   string
	// bound names an anchor that no implementation can beat on this
	// machine (a lower bound, in the goal anchor's unit): when the bound
	// alone misses the goal, the row says the goal is out of reach here.
	bound string
}

func a(name, key string) [2]string { return [2]string{name, key} }

func specs() []spec {
	var s, forcedRows []spec
	ns := "ns/task"
	for _, w := range []string{"w=5", "w=P"} {
		sec := "Goroutine executor, 1,000,000 tiny tasks (an atomic add)"
		sw := func(impl string) string { return "SubmitWait/" + impl + "/" + w + " ns/op" }
		floors := []([2]string){a("floor: chan pool + chan future", sw("floor-chanpool")), a("pond v2 futures", sw("pond-future")), a("ants v2 + chan", sw("ants+chan")), a("goroutine per task + chan", "SubmitWait/goroutine+chan ns/op")}
		s = append(s,
			spec{section: sec, measure: "Submit+Wait each, " + w, unit: ns, parkit: sw("parkit-goroutines"), anchors: floors, goalAnchor: "pond v2 futures", goal: "<= 0.5"},
			spec{section: sec, measure: "Submit+Wait each, " + w, unit: ns, parkit: sw("parkit-goroutines"), anchors: floors, goalAnchor: "floor: chan pool + chan future", goal: "<= 1.5"},
			spec{section: sec, measure: "Submit+Wait allocs, " + w, unit: "allocs/task", parkit: "SubmitWait/parkit-goroutines/" + w + " allocs/op",
				anchors: [][2]string{a("floor: chan pool + chan future", "SubmitWait/floor-chanpool/"+w+" allocs/op"), a("pond v2 futures", "SubmitWait/pond-future/"+w+" allocs/op")}},
		)
		fw := func(impl string) string { return "FireWaitAll/" + impl + "/" + w + " ns/op" }
		fireAnchors := [][2]string{a("floor: chan pool", fw("floor-chanpool")), a("errgroup.SetLimit", fw("errgroup")), a("conc pool", fw("conc-pool")),
			a("pond v2 group", fw("pond-group")), a("ants v2", fw("ants")), a("WaitGroup + goroutine per task", "FireWaitAll/waitgroup-goroutines ns/op")}
		s = append(s, spec{section: sec, measure: "fire all, then wait all, " + w, unit: ns, parkit: fw("parkit-goroutines"),
			anchors: fireAnchors, goalAnchor: "conc pool", goal: "<= 1"})
		forcedRows = append(forcedRows,
			spec{measure: "Submit+Wait each, " + w, unit: ns, parkit: sw("parkit-goroutines"), anchors: floors, goalAnchor: "pond v2 futures", goal: "<= 0.5"},
			spec{measure: "Submit+Wait each, " + w, unit: ns, parkit: sw("parkit-goroutines"), anchors: floors, goalAnchor: "floor: chan pool + chan future", goal: "<= 1.5"},
			spec{measure: "fire all, then wait all, " + w, unit: ns, parkit: fw("parkit-goroutines"), anchors: fireAnchors, goalAnchor: "conc pool", goal: "<= 1"},
		)
		s = append(s, spec{section: sec, measure: "fire all allocs, " + w, unit: "allocs/task", parkit: "FireWaitAll/parkit-goroutines/" + w + " allocs/op",
			anchors: [][2]string{a("conc pool", "FireWaitAll/conc-pool/"+w+" allocs/op"), a("pond v2 group", "FireWaitAll/pond-group/"+w+" allocs/op")}})
		s = append(s, spec{section: sec, measure: "fire all bytes, " + w, unit: "B/task", parkit: "FireWaitAll/parkit-goroutines/" + w + " B/op",
			anchors: [][2]string{a("conc pool", "FireWaitAll/conc-pool/"+w+" B/op"), a("pond v2 group", "FireWaitAll/pond-group/"+w+" B/op"), a("floor: chan pool", "FireWaitAll/floor-chanpool/"+w+" B/op")},
			note:    "every future is kept until the end: fresh memory, which this row's ns/task pays for"})
		mp := func(impl string) string { return "Map/" + impl + "/" + w + " ns/op" }
		s = append(s, spec{section: sec, measure: "ordered Map, per element, " + w, unit: ns, parkit: mp("parkit-goroutines"),
			anchors:    [][2]string{a("conc iter.Map", mp("conc-iter.Map")), a("pond v2 result group", mp("pond-resultgroup")), a("floor: chan pool, one send per element", mp("floor-chanpool"))},
			goalAnchor: "conc iter.Map", goal: "<= 2"})
	}
	// The same rows with the CPU read of a machine without RDPID, forced:
	// the anchors do not read the CPU, so they are the same runs.
	for _, sp := range forcedRows {
		sp.section = "Goroutine executor, CPU read forced without RDPID (PARKIT_CPU_READ=" + forced + ")"
		sp.parkit = "cpu=" + forced + ":" + sp.parkit
		s = append(s, sp)
	}
	for _, w := range []string{"w=5", "w=P"} {
		sec := "Thread executor (workers locked to OS threads), the same tiny tasks"
		s = append(s,
			spec{section: sec, measure: "Submit+Wait each, " + w, unit: ns, parkit: "SubmitWait/parkit-threads/" + w + " ns/op",
				anchors:    [][2]string{a("parkit goroutines", "SubmitWait/parkit-goroutines/"+w+" ns/op"), a("floor: locked-thread chan pool", "SubmitWait/floor-lockedchanpool/"+w+" ns/op")},
				goalAnchor: "parkit goroutines", goal: "<= 2", note: "100,000 tasks"},
			spec{section: sec, measure: "fire all, then wait all, " + w, unit: ns, parkit: "FireWaitAll/parkit-threads/" + w + " ns/op",
				anchors: [][2]string{a("parkit goroutines", "FireWaitAll/parkit-goroutines/"+w+" ns/op")}, goalAnchor: "parkit goroutines", goal: "<= 2"},
			spec{section: sec, measure: "ordered Map, per element, " + w, unit: ns, parkit: "Map/parkit-threads/" + w + " ns/op",
				anchors: [][2]string{a("parkit goroutines", "Map/parkit-goroutines/"+w+" ns/op")}, goalAnchor: "parkit goroutines", goal: "<= 2"},
		)
	}
	for _, w := range []string{"w=5", "w=P"} {
		sec := "Go vs Python: thread pools on the same tiny tasks"
		s = append(s,
			spec{section: sec, measure: "Submit+Wait each, " + w, unit: ns, parkit: "SubmitWait/parkit-goroutines/" + w + " ns/op",
				anchors: [][2]string{a("ThreadPoolExecutor submit+result", "py:tpe-submit-wait/"+w)}, note: "Python: 20,000 tasks per run"},
			spec{section: sec, measure: "fire all, then wait all, " + w, unit: ns, parkit: "FireWaitAll/parkit-goroutines/" + w + " ns/op",
				anchors: [][2]string{a("ThreadPoolExecutor submit all, result each", "py:tpe-fire-wait-all/"+w)}},
			spec{section: sec, measure: "ordered Map, per element, " + w, unit: ns, parkit: "Map/parkit-goroutines/" + w + " ns/op",
				anchors: [][2]string{a("ThreadPoolExecutor.map", "py:tpe-map/"+w), a("multiprocessing.dummy Pool.map", "py:dummy-pool-map/"+w)}},
		)
	}
	sec := "Process executor"
	s = append(s,
		spec{section: sec, measure: "tiny task round trip, 1 worker", unit: ns, parkit: "ProcessRoundTrip/parkit-processes ns/op",
			anchors:    [][2]string{a("floor: raw pipe to a child", "ProcessRoundTrip/floor-pipe ns/op"), a("fork/exec per task", "ProcessRoundTrip/fork-exec ns/op"), a("Python ProcessPoolExecutor", "py:ppe-round-trip"), a("Python multiprocessing.Pool", "py:mp-pool-round-trip")},
			goalAnchor: "floor: raw pipe to a child", goal: "<= 1.5"},
		spec{section: sec, measure: "tiny task round trip, 1 worker", unit: ns, parkit: "ProcessRoundTrip/parkit-processes ns/op",
			anchors:    [][2]string{a("Python ProcessPoolExecutor", "py:ppe-round-trip"), a("Python multiprocessing.Pool", "py:mp-pool-round-trip")},
			goalAnchor: "Python ProcessPoolExecutor", goal: "<= 0.2"},
		spec{section: sec, measure: "1 MiB payload throughput, GOMAXPROCS workers", unit: "MB/s", parkit: "ProcessPayload/parkit-processes MB/s", higherBetter: true,
			anchors:    [][2]string{a("floor: raw pipes to children", "ProcessPayload/floor-pipe MB/s"), a("Python ProcessPoolExecutor", "py:ppe-payload"), a("Python multiprocessing.Pool", "py:mp-pool-payload")},
			goalAnchor: "floor: raw pipes to children", goal: ">= 0.5"},
		spec{section: sec, measure: "worker start-up to first result, 1 worker", unit: "ns", parkit: "ProcessStartup/parkit-processes ns/op",
			anchors:    [][2]string{a("floor: fork/exec + first echo", "ProcessStartup/floor-fork-exec ns/op"), a("Python ProcessPoolExecutor", "py:ppe-startup"), a("Python multiprocessing.Pool", "py:mp-pool-startup")},
			goalAnchor: "floor: fork/exec + first echo", goal: "<= 1.5"},
		spec{section: sec, measure: "CPU time of one start-up (the floor's child, user + system)", unit: "ns", parkit: "ProcessStartup/floor-fork-exec cpu-ns/op",
			anchors: [][2]string{a("its wall time", "ProcessStartup/floor-fork-exec ns/op")},
			note:    "a start-up that keeps a CPU busy its whole wall time cannot run more than CPUs at once"},
		spec{section: sec, measure: "all workers ready (each answered a task), 5 workers", unit: "ns", parkit: "ProcessStartupAll/parkit-processes/w=5 ns/op",
			anchors: [][2]string{a("one worker's start-up", "ProcessStartup/parkit-processes ns/op"), a("floor: 5 fork/execs at once + first echoes", "ProcessStartupAll/floor-fork-exec/w=5 ns/op"),
				a(cpuBoundName(5), cpuBoundKey(5))},
			goalAnchor: "one worker's start-up", goal: "<= 2", bound: cpuBoundName(5)},
		spec{section: sec, measure: "all workers ready (each answered a task), 1,024 workers", unit: "ns", parkit: "ProcessStartupAll/parkit-processes/w=1024 ns/op",
			anchors: [][2]string{a("1,024 x one worker's start-up / CPUs", startupEstimate), a("floor: 1,024 fork/execs at once + first echoes", "ProcessStartupAll/floor-fork-exec/w=1024 ns/op"),
				a(cpuBoundName(1024), cpuBoundKey(1024))},
			goalAnchor: "1,024 x one worker's start-up / CPUs", goal: "<= 1.5", bound: cpuBoundName(1024), note: "one run"},
	)
	for _, procs := range []string{"", "P=1:"} {
		sec := fmt.Sprintf("CPU-bound scaling (8 busy tasks of ~50 ms), GOMAXPROCS=%d", runtime.GOMAXPROCS(0))
		if procs != "" {
			sec = "CPU-bound scaling, GOMAXPROCS=1 (worker processes keep their own GOMAXPROCS)"
		}
		for w := 1; w <= runtime.NumCPU(); w++ {
			ws := strconv.Itoa(w)
			for _, kind := range []string{"goroutines", "threads", "processes"} {
				sp := spec{section: sec, measure: kind + " efficiency, " + ws + " workers", unit: "speedup/workers",
					parkit:  procs + "Scaling/" + kind + "/w=" + ws + " efficiency",
					anchors: [][2]string{a("WaitGroup + goroutines", procs+"Scaling/waitgroup/w="+ws+" efficiency")},
					note:    "speedup " + procs + "Scaling/" + kind + "/w=" + ws + " speedup"}
				if w == runtime.NumCPU() && procs == "" {
					sp.goalAnchor, sp.goal = "-", ">= 0.9"
				}
				s = append(s, sp)
			}
		}
	}
	sec = "Timeline recording"
	s = append(s,
		spec{section: sec, measure: "record one span (default), this machine's CPU read", unit: "ns/span", parkit: "StartSpan ns/op", goalAnchor: "-", goal: "<= 100",
			note: "the CPU read, two monotonic clock reads; a thread worker's id is read once; the path is in the header"},
		spec{section: sec, measure: "record one span, CPU read forced without RDPID", unit: "ns/span", parkit: "cpu=" + forced + ":StartSpan ns/op", goalAnchor: "-", goal: "<= 100",
			note: "PARKIT_CPU_READ=" + forced},
		spec{section: sec, measure: "record one span, CPU read by getcpu(2) (the old fallback)", unit: "ns/span", parkit: "cpu=getcpu:StartSpan ns/op", goalAnchor: "-",
			note: "PARKIT_CPU_READ=getcpu"},
		spec{section: sec, measure: "its part: the CPU read, this machine's path", unit: "ns", parkit: "StartSpan/part=cpu-read ns/op",
			anchors: [][2]string{a("without RDPID (forced)", "cpu="+forced+":StartSpan/part=cpu-read ns/op"), a("getcpu(2)", "cpu=getcpu:StartSpan/part=cpu-read ns/op")}},
		spec{section: sec, measure: "its part: two monotonic clock reads", unit: "ns", parkit: "StartSpan/part=two-clock-reads ns/op"},
		spec{section: sec, measure: "record one span with a goroutine's thread id", unit: "ns/span", parkit: "StartSpanWithThreadID ns/op", goalAnchor: "-",
			note: "RecordThreadIDs (Experiment): + gettid(2), as Go does not say which thread runs a goroutine"},
	)
	sec = "Execution traces (parkit.TraceTo, parkit/sched)"
	s = append(s,
		spec{section: sec, measure: "busy experiment (15 tasks of ~50 ms, 5 goroutines), traced vs not", unit: "% slower", parkit: "Tracing slowdown-%",
			goalAnchor: "-", goal: "<= 5", note: "makespans; runs alternate untraced and traced; the untraced run is the baseline"},
		spec{section: sec, measure: "the same, CPU time traced vs not", unit: "% more CPU", parkit: "Tracing cpu-%",
			note: "the CPU time the OS counted; other programs' load moves it less than the makespan"},
		spec{section: sec, measure: "parse a trace and derive the scheduler's view", unit: "ms per million events", parkit: "Derive/derive ms/Mevents",
			anchors: [][2]string{a("x/exp/trace's reader alone", "Derive/read ms/Mevents")}, note: "a trace of 150,000 tiny tasks"},
	)
	sec = "Memory (RSS growth read from /proc)"
	s = append(s,
		spec{section: sec, measure: "per idle goroutine", unit: "bytes", parkit: "Memory/goroutine B/goroutine", anchors: [][2]string{a("locked OS thread", "Memory/locked-thread B/thread")}},
		spec{section: sec, measure: "per idle locked OS thread", unit: "bytes", parkit: "Memory/locked-thread B/thread", anchors: [][2]string{a("Python threading.Thread", "py:thread-rss")}},
		spec{section: sec, measure: "RSS per worker process", unit: "bytes", parkit: "Memory/parkit-process B/process", anchors: [][2]string{a("Python ProcessPoolExecutor worker", "py:ppe-worker-rss")},
			goalAnchor: "Python ProcessPoolExecutor worker", goal: "<= 1"},
	)
	return append(s, beamSpecs()...)
}

func buildRows() []Row {
	var rows []Row
	for _, sp := range specs() {
		r := Row{Section: sp.section, Measure: sp.measure, Unit: sp.unit, Goal: sp.goal, Anchors: map[string]float64{}}
		p, ok := get(sp.parkit)
		if !ok {
			r.Note = whySkipped(sp.parkit)
			rows = append(rows, r)
			continue
		}
		r.Parkit, r.ParkitMin, r.ParkitMax = &p.Median, &p.Min, &p.Max
		best, bestName := math.NaN(), ""
		var missing []string
		for _, an := range sp.anchors {
			st, ok := get(an[1])
			if !ok {
				missing = append(missing, an[0]+": "+whySkipped(an[1]))
				continue
			}
			r.Anchors[an[0]] = st.Median
			better := st.Median < best
			if sp.higherBetter {
				better = st.Median > best
			}
			byBest := sp.goalAnchor == "" || sp.goalAnchor == "-" // an absolute goal: ratio against the best anchor
			if an[0] == sp.goalAnchor || (byBest && (math.IsNaN(best) || better)) {
				best, bestName = st.Median, an[0]
			}
		}
		if bestName != "" && best != 0 {
			ratio := p.Median / best
			r.Anchor, r.AnchorValue, r.Ratio = bestName, &best, &ratio
		}
		if sp.goal != "" {
			on, value := "ratio", r.Ratio
			if sp.goalAnchor == "-" {
				on, value = "parkit", r.Parkit
			}
			r.GoalOn = on
			if value != nil {
				met := meets(*value, sp.goal)
				r.Met = &met
			}
		}
		notes := missing
		if why := outOfReach(sp, r); why != "" {
			notes = append(notes, why)
		}
		if key, ok := strings.CutPrefix(sp.note, "speedup "); ok {
			if st, ok := get(key); ok {
				notes = append(notes, fmt.Sprintf("speedup %.2fx", st.Median))
			}
		} else if sp.note != "" {
			notes = append(notes, sp.note)
		}
		r.Note = strings.Join(notes, "; ")
		rows = append(rows, r)
	}
	return rows
}

// outOfReach says why a row's goal cannot be met on this machine, when
// its bound anchor alone, set against the goal anchor, misses the goal.
func outOfReach(sp spec, r Row) string {
	bound, ok := r.Anchors[sp.bound]
	against, ok2 := r.Anchors[sp.goalAnchor]
	if sp.bound == "" || !ok || !ok2 || against == 0 {
		return ""
	}
	if ratio := bound / against; !meets(ratio, sp.goal) {
		return fmt.Sprintf("out of reach on this machine: its bound alone is %.3gx %s, and the goal %s", ratio, sp.goalAnchor, sp.goal)
	}
	return ""
}

func meets(v float64, goal string) bool {
	op, num, _ := strings.Cut(goal, " ")
	x, _ := strconv.ParseFloat(num, 64)
	if op == ">=" {
		return v >= x
	}
	return v <= x
}

func markdown(m machine, rows []Row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Machine: %d CPUs (nproc), %s; %s; clock source %s; spans read the CPU by %s; load average %s before, %s after; %s; %s; anchors %s; median of %d runs [min-max]; took %s.\n",
		m.NumCPU, m.CPU, m.CPUFeatures, m.ClockSource, m.CPURead, m.LoadBefore, m.LoadAfter, m.GoVersion, m.Python, m.Anchors, m.Count, m.Took)
	section := ""
	for _, r := range rows {
		if r.Section != section {
			section = r.Section
			fmt.Fprintf(&b, "\n**%s**\n\n| measure | unit | parkit | anchors | ratio (parkit / anchor) | goal | met |\n|---|---|---|---|---|---|---|\n", section)
		}
		parkit, ratio, goal, met := "skipped", "", r.Goal, ""
		if r.Parkit != nil {
			parkit = fmt.Sprintf("%s [%s-%s]", num(*r.Parkit), num(*r.ParkitMin), num(*r.ParkitMax))
		}
		var anchors []string
		for _, an := range sortedAnchors(r) {
			anchors = append(anchors, fmt.Sprintf("%s %s", an, num(r.Anchors[an])))
		}
		if r.Ratio != nil {
			ratio = fmt.Sprintf("%.3g vs %s", *r.Ratio, r.Anchor)
		}
		if r.GoalOn == "parkit" {
			goal = "parkit " + r.Goal
		}
		if r.Met != nil {
			met = map[bool]string{true: "yes", false: "**no**"}[*r.Met]
		}
		if r.Note != "" {
			anchors = append(anchors, "("+r.Note+")")
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", r.Measure, r.Unit, parkit, strings.Join(anchors, "; "), ratio, goal, met)
	}
	return b.String()
}

func sortedAnchors(r Row) []string {
	var names []string
	for n := range r.Anchors {
		names = append(names, n)
	}
	slices.SortFunc(names, func(x, y string) int { return cmp.Compare(r.Anchors[x], r.Anchors[y]) })
	return names
}

// num prints a figure with 3 significant digits, thousands as k and M.
func num(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1e9:
		return fmt.Sprintf("%.3gG", v/1e9)
	case a >= 1e6:
		return fmt.Sprintf("%.3gM", v/1e6)
	case a >= 1e4:
		return fmt.Sprintf("%.3gk", v/1e3)
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	default:
		return fmt.Sprintf("%.3g", v)
	}
}
