package main

import (
	"fmt"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// spanModes are the PARKIT_CPU_READ modes the span rows run with: the
// machine's own path, the path without RDPID, and the system call.
var spanModes = []struct{ mode, label string }{
	{"", "natively"},
	{forced, "with RDPID forced off (PARKIT_CPU_READ=" + forced + ")"},
	{"getcpu", "for reference"},
}

// spanPaths finds the path each span run took, from its benchmark's name
// (StartSpan/cpu=<path>), files its samples under "<prefix>StartSpan
// ns/op", and says which path each mode took, for the table's header.
func spanPaths() string {
	var said []string
	for _, m := range spanModes {
		prefix := ""
		if m.mode != "" {
			prefix = "cpu=" + m.mode + ":"
		}
		path := "not measured"
		for key, v := range samples {
			rest, ok := strings.CutPrefix(key, prefix+"StartSpan/cpu=")
			if name, ok2 := strings.CutSuffix(rest, " ns/op"); ok && ok2 {
				path = name
				samples[prefix+"StartSpan ns/op"] = v
			}
		}
		said = append(said, path+" "+m.label)
	}
	return strings.Join(said, ", ")
}

// startupEstimate is the key of the 1,024-worker row's anchor: 1,024
// start-ups of one worker, spread over the CPUs.
const startupEstimate = "derived:1024 start-ups / CPUs ns/op"

// deriveStartupAnchors fills the start-up rows' derived anchors from the
// start-ups measured in this run: startupEstimate from each one-worker
// start-up, and cpuBoundKey from each start-up's CPU time, both spread
// over the CPUs.
func deriveStartupAnchors() {
	perCPU := func(to, from string, n int) {
		for _, v := range samples[from] {
			samples[to] = append(samples[to], v*float64(n)/float64(runtime.NumCPU()))
		}
	}
	perCPU(startupEstimate, "ProcessStartup/parkit-processes ns/op", 1024)
	for _, n := range []int{5, 1024} {
		perCPU(cpuBoundKey(n), "ProcessStartup/floor-fork-exec cpu-ns/op", n)
	}
}

// cpuBoundName and cpuBoundKey name the lower bound of n start-ups at
// once: n times the CPU time one start-up keeps a CPU busy (the floor's
// child: a bare process, less than a worker), over the CPUs. No pool can
// have all n ready sooner, however it starts them.
func cpuBoundName(n int) string {
	return fmt.Sprintf("bound: %s start-ups' CPU time / CPUs", thousands(n))
}

func cpuBoundKey(n int) string { return fmt.Sprintf("derived:%d start-ups' CPU / CPUs ns/op", n) }

func thousands(n int) string {
	if n >= 1000 {
		return fmt.Sprintf("%d,%03d", n/1000, n%1000)
	}
	return strconv.Itoa(n)
}

// profiled are the rows whose remaining nanoseconds the table explains
// with a CPU profile of one run.
var profiled = []struct{ name, pattern string }{
	{"Submit+Wait each, w=5", `^BenchmarkSubmitWait$/^parkit-goroutines/w=5$`},
	{"fire all, then wait all, w=5", `^BenchmarkFireWaitAll$/^parkit-goroutines/w=5$`},
}

// profileRows runs each profiled benchmark once with a CPU profile and
// returns its top functions as rows: the CPU time each takes per task
// (its flat samples over the tasks), summed over all threads.
func profileRows(bin, dir, benchtime string) []Row {
	var rows []Row
	tasks := parseTimes(benchtime)
	for i, p := range profiled {
		prof := fmt.Sprintf("%s/cpu%d.prof", dir, i)
		// Why not recorded: a profiled run is slower than the timed ones.
		goBench(bin, group{what: "CPU profile: " + p.name, pattern: p.pattern, benchtime: benchtime, count: 1, noRecord: true}, "-test.cpuprofile="+prof)
		top, err := pprofTop(bin, prof)
		sec := "Where parkit's time goes: CPU profile of " + p.name + " (flat CPU time per task, all threads)"
		if err != nil {
			rows = append(rows, Row{Section: sec, Measure: "profile", Note: "skipped: " + err.Error()})
			continue
		}
		for _, f := range top {
			if f.flat == 0 {
				continue // on the stack only: its callees are listed
			}
			ns := f.flat.Seconds() * 1e9 / tasks
			rows = append(rows, Row{Section: sec, Measure: f.name, Unit: "CPU ns/task", Parkit: &ns, ParkitMin: &ns, ParkitMax: &ns,
				Note: fmt.Sprintf("flat %s, cum %s of the samples", f.flatPct, f.cumPct)})
		}
	}
	return rows
}

// parseTimes reads a "<n>x" benchtime.
func parseTimes(benchtime string) float64 {
	n, _ := strconv.ParseFloat(strings.TrimSuffix(benchtime, "x"), 64)
	return max(n, 1)
}

type topFunc struct {
	name            string
	flat            time.Duration
	flatPct, cumPct string
}

// pprofTop reads the top functions by flat time from go tool pprof.
func pprofTop(bin, prof string) ([]topFunc, error) {
	out, err := exec.Command("go", "tool", "pprof", "-top", "-nodecount=12", bin, prof).Output()
	if err != nil {
		return nil, fmt.Errorf("go tool pprof: %w", err)
	}
	return parseTop(string(out))
}

// parseTop reads go tool pprof -top's lines.
func parseTop(out string) ([]topFunc, error) {
	var top []topFunc
	for line := range strings.SplitSeq(out, "\n") {
		// "flat flat% sum% cum cum% name"
		f := strings.Fields(line)
		if len(f) < 6 || !strings.HasSuffix(f[1], "%") {
			continue
		}
		flat, err := time.ParseDuration(f[0])
		if err != nil {
			continue
		}
		top = append(top, topFunc{strings.Join(f[5:], " "), flat, f[1], f[4]})
	}
	if len(top) == 0 {
		return nil, fmt.Errorf("no functions in the profile")
	}
	return top, nil
}
