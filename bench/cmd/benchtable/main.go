// Command benchtable runs the benchmark suite of package bench, side by
// side in one run, and writes the table of ratios (parkit / anchor) to
// bench/results.md and bench/results.json, printing the markdown.
//
//	cd bench && go run ./cmd/benchtable          # the full run, 10-20 minutes on 2 cores
//	cd bench && go run ./cmd/benchtable -quick   # a minute: checks the harness, figures meaningless
//
// Every figure is the median of -count runs, shown with its min and max.
// The rows that depend on how parkit reads the CPU run twice: with this
// machine's own path and with the path of a machine without RDPID and
// RDTSCP, forced by PARKIT_CPU_READ=no-rdpid; the header names both, the
// clock source, and the load before and after.
// Python's rows use Debian's /usr/bin/python3 (installed with apt-get if
// missing, when running as root); a row says "skipped" with the reason if
// a side cannot run.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

var (
	count  = flag.Int("count", 5, "runs of every benchmark; each figure is their median")
	quick  = flag.Bool("quick", false, "tiny counts, to check the harness (the figures mean nothing)")
	outDir = flag.String("out", ".", "where to write results.md and results.json")
	python = flag.String("python", "/usr/bin/python3", "the Python to compare with (Debian's)")
)

// samples holds every measured value by key: "<benchmark name> <unit>" for
// Go benchmarks, "py:<name>" for the Python script.
var samples = map[string][]float64{}

// skipped says why a side could not be measured, by key prefix.
var skipped = map[string]string{}

func main() {
	flag.Parse()
	start := time.Now()
	if *quick {
		*count = 1
	}
	m := machine{LoadBefore: loadavg(), GoVersion: runtime.Version(), NumCPU: runtime.NumCPU(), CPU: cpuModel(), Count: *count,
		CPUFeatures: cpuFeatures(), ClockSource: clockSource()}
	tmp, err := os.MkdirTemp("", "benchtable")
	check(err)
	defer os.RemoveAll(tmp)

	step("building the benchmark binaries")
	benchBin, parkitBin := filepath.Join(tmp, "bench.test"), filepath.Join(tmp, "parkit.test")
	// Run from bench/, its own module: parkit is a dependency there (a
	// replace rule points at this checkout), named by its import path.
	run("go", "test", "-c", "-o", benchBin, ".")
	run("go", "test", "-c", "-o", parkitBin, "github.com/parallelize-your-go/kit/parkit")
	m.Anchors = anchorVersions()

	n := func(full, q int) string {
		if *quick {
			return strconv.Itoa(q) + "x"
		}
		return strconv.Itoa(full) + "x"
	}
	for _, g := range []group{
		{what: "tiny tasks: goroutine pools", pattern: `^BenchmarkSubmitWait$/^(parkit-goroutines|floor-chanpool|pond|ants|goroutine)`, benchtime: n(1_000_000, 1000)},
		{what: "tiny tasks: goroutine pools, CPU read forced without RDPID", pattern: `^BenchmarkSubmitWait$/^parkit-goroutines`, benchtime: n(1_000_000, 1000), cpuRead: forced},
		{what: "tiny tasks: locked threads", pattern: `^BenchmarkSubmitWait$/^(parkit-threads|floor-lockedchanpool)`, benchtime: n(100_000, 1000)},
		{what: "tiny tasks: fire and wait all", pattern: `^BenchmarkFireWaitAll$`, benchtime: n(1_000_000, 1000)},
		{what: "tiny tasks: fire and wait all, CPU read forced without RDPID", pattern: `^BenchmarkFireWaitAll$/^parkit-goroutines`, benchtime: n(1_000_000, 1000), cpuRead: forced},
		{what: "tiny tasks: ordered Map", pattern: `^BenchmarkMap$`, benchtime: n(1_000_000, 1000)},
		{what: "GOMAXPROCS=1: tiny tasks", pattern: `^BenchmarkSubmitWait$/^(parkit-goroutines|floor-chanpool)/w=P`, benchtime: n(1_000_000, 1000), procs: "1"},
		{what: "process round trips", pattern: `^BenchmarkProcessRoundTrip$/^(parkit|floor)`, benchtime: n(5000, 20)},
		{what: "process fork/exec", pattern: `^BenchmarkProcessRoundTrip$/^fork`, benchtime: n(100, 2)},
		{what: "process 1 MiB payloads", pattern: `^BenchmarkProcessPayload$`, benchtime: n(256, 4)},
		{what: "process start-up", pattern: `^BenchmarkProcessStartup$`, benchtime: n(10, 1)},
		{what: "process start-up, 5 workers", pattern: `^BenchmarkProcessStartupAll$//^w=5$`, benchtime: n(10, 1)},
		// Why one run: 1,024 start-ups take tens of seconds on 2 cores.
		{what: "process start-up, 1,024 workers", pattern: `^BenchmarkProcessStartupAll$//^w=1024$`, benchtime: "1x", count: 1, slow: true},
		{what: "CPU-bound scaling", pattern: `^BenchmarkScaling$`, benchtime: "1x"},
		{what: "GOMAXPROCS=1: CPU-bound scaling", pattern: `^BenchmarkScaling$`, benchtime: "1x", procs: "1"},
		{what: "memory", pattern: `^BenchmarkMemory$`, benchtime: "1x"},
		{what: "execution trace: tracing on vs off", pattern: `^BenchmarkTracing$`, benchtime: n(4, 1)},
		{what: "execution trace: derive vs read", pattern: `^BenchmarkDerive$`, benchtime: n(3, 1)},
	} {
		if g.slow && *quick {
			skipped[g.prefix()+strings.Trim(g.pattern, "^$")] = "skipped with -quick"
			continue
		}
		goBench(benchBin, g)
	}
	for _, cpuRead := range []string{"", forced, "getcpu"} {
		goBench(parkitBin, group{what: "span recording " + cpuRead, pattern: `^BenchmarkStartSpan`, benchtime: n(2_000_000, 1000), cpuRead: cpuRead})
	}
	m.CPURead = spanPaths()
	deriveStartupAnchors()
	profiles := profileRows(benchBin, tmp, n(1_000_000, 1000))
	m.Python = pythonBench(*quick)
	beamBench(*quick)

	m.LoadAfter = loadavg()
	m.Took = time.Since(start).Round(time.Second).String()
	rows := append(buildRows(), profiles...)
	md := markdown(m, rows)
	check(os.WriteFile(filepath.Join(*outDir, "results.md"), []byte(md), 0o644))
	js, err := json.MarshalIndent(rows, "", "  ")
	check(err)
	check(os.WriteFile(filepath.Join(*outDir, "results.json"), append(js, '\n'), 0o644))
	fmt.Print(md)
}

type machine struct {
	NumCPU      int
	CPU         string
	CPUFeatures string // RDPID and RDTSCP: whether this processor has them
	ClockSource string // the kernel's clock source, which time.Now reads
	CPURead     string // how spans read the CPU, natively and forced
	LoadBefore  string
	LoadAfter   string
	GoVersion   string
	Python      string
	Anchors     string
	Count       int
	Took        string
}

func step(what string) {
	fmt.Fprintf(os.Stderr, "benchtable: %s (%s)\n", what, time.Now().Format("15:04:05"))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

func run(name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	check(cmd.Run())
}

// forced is the PARKIT_CPU_READ mode that takes the path of a machine
// without RDPID and RDTSCP, on any machine.
const forced = "no-rdpid"

// A group is one run of a benchmark binary.
type group struct {
	what, pattern, benchtime string
	procs                    string // GOMAXPROCS for the run (-test.cpu), if set
	cpuRead                  string // PARKIT_CPU_READ for the run, if set
	count                    int    // runs, if not -count
	noRecord                 bool   // run only for a side effect (a profile)
	slow                     bool   // skipped with -quick
}

// prefix is what the group's keys start with: "cpu=<mode>:" and
// "P=<procs>:" when set.
func (g group) prefix() string {
	p := ""
	if g.cpuRead != "" {
		p += "cpu=" + g.cpuRead + ":"
	}
	if g.procs != "" {
		p += "P=" + g.procs + ":"
	}
	return p
}

// goBench runs one group of benchmarks and records every result line
// under the group's prefix.
func goBench(bin string, g group, extra ...string) {
	step(g.what)
	runs := *count
	if g.count > 0 {
		runs = min(runs, g.count)
	}
	args := append([]string{"-test.run=^$", "-test.bench=" + g.pattern, "-test.benchtime=" + g.benchtime, "-test.count=" + strconv.Itoa(runs)}, extra...)
	if g.procs != "" {
		args = append(args, "-test.cpu="+g.procs)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = filepath.Dir(bin)
	cmd.Env = os.Environ()
	if g.cpuRead != "" {
		cmd.Env = append(cmd.Env, "PARKIT_CPU_READ="+g.cpuRead)
	}
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: %s failed: %v\n%s", g.what, err, out)
		skipped[g.prefix()+strings.Trim(g.pattern, "^$")] = fmt.Sprintf("%s failed: %v", g.what, err)
	}
	if !g.noRecord {
		parseBench(out, g.prefix())
	}
}

var procSuffix = regexp.MustCompile(`-\d+$`)

// parseBench reads "BenchmarkName-2  1000  12.3 ns/op  4 B/op ..." lines.
func parseBench(out []byte, prefix string) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := prefix + procSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err == nil {
				samples[name+" "+f[i+1]] = append(samples[name+" "+f[i+1]], v)
			}
		}
	}
}

// pythonBench runs bench/python/bench.py and records its samples as
// "py:<key>"; it returns the Python version, or why it was skipped.
func pythonBench(quick bool) string {
	step("Python's executors")
	if _, err := os.Stat(*python); err != nil && os.Geteuid() == 0 {
		step("installing Debian's python3 with apt-get")
		for _, args := range [][]string{{"update", "-qq"}, {"install", "-y", "-qq", "python3"}} {
			cmd := exec.Command("apt-get", args...)
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			cmd.Run()
		}
	}
	if _, err := os.Stat(*python); err != nil {
		skipped["py:"] = "skipped: " + *python + " not found and apt-get could not install it"
		return skipped["py:"]
	}
	args := []string{"python/bench.py", "--runs", strconv.Itoa(*count), "--workers", fmt.Sprintf("5,%d", runtime.GOMAXPROCS(0))}
	if quick {
		args = append(args, "--tasks", "200", "--round-trips", "20", "--payloads", "4")
	}
	cmd := exec.Command(*python, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	var res struct {
		Python  string
		Results map[string][]float64
	}
	if err == nil {
		err = json.Unmarshal(out, &res)
	}
	if err != nil {
		skipped["py:"] = "skipped: the Python script failed: " + err.Error()
		return skipped["py:"]
	}
	for k, v := range res.Results {
		samples["py:"+k] = v
	}
	return "Python " + res.Python + " (" + *python + ", multiprocessing start method fork)"
}

func anchorVersions() string {
	out, err := exec.Command("go", "list", "-m", "github.com/alitto/pond/v2", "github.com/sourcegraph/conc", "github.com/panjf2000/ants/v2", "golang.org/x/sync").Output()
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(string(out), " ", "@")), ", ")
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// cpuFeatures says whether the processor has RDPID and RDTSCP, from the
// kernel's flags.
func cpuFeatures() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "flags" {
			flags := strings.Fields(v)
			yes := map[bool]string{true: "yes", false: "no"}
			return fmt.Sprintf("RDPID %s, RDTSCP %s", yes[slices.Contains(flags, "rdpid")], yes[slices.Contains(flags, "rdtscp")])
		}
	}
	return "RDPID and RDTSCP unknown (no flags in /proc/cpuinfo)"
}

func clockSource() string {
	b, err := os.ReadFile("/sys/devices/system/clocksource/clocksource0/current_clocksource")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// stats is the median, min and max of a key's samples.
type stats struct {
	Median, Min, Max float64
	N                int
}

func get(key string) (stats, bool) {
	v := slices.Clone(samples[key])
	if len(v) == 0 {
		return stats{}, false
	}
	slices.Sort(v)
	med := v[len(v)/2]
	if len(v)%2 == 0 {
		med = (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return stats{med, v[0], v[len(v)-1], len(v)}, true
}

// whySkipped finds the reason a key has no samples.
func whySkipped(key string) string {
	for prefix, why := range skipped {
		if strings.HasPrefix(key, prefix) || strings.Contains(key, strings.SplitN(prefix, "/", 2)[0]) {
			return why
		}
	}
	return "skipped: not measured"
}
