// Command benchtable runs the benchmark suite of package bench, side by
// side in one run, and writes the table of ratios (parkit / anchor) to
// bench/results.md and bench/results.json, printing the markdown.
//
//	go run ./bench/cmd/benchtable            # the full run, about 6-8 minutes on 2 cores
//	go run ./bench/cmd/benchtable -quick     # seconds: checks the harness, figures meaningless
//
// Every figure is the median of -count runs, shown with its min and max.
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
	outDir = flag.String("out", "bench", "where to write results.md and results.json")
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
	m := machine{LoadBefore: loadavg(), GoVersion: runtime.Version(), NumCPU: runtime.NumCPU(), CPU: cpuModel(), Count: *count}
	tmp, err := os.MkdirTemp("", "benchtable")
	check(err)
	defer os.RemoveAll(tmp)

	step("building the benchmark binaries")
	benchBin, parkitBin := filepath.Join(tmp, "bench.test"), filepath.Join(tmp, "parkit.test")
	run("go", "test", "-c", "-o", benchBin, "./bench/")
	run("go", "test", "-c", "-o", parkitBin, "./parkit/")
	m.Anchors = anchorVersions()

	n := func(full, q int) string {
		if *quick {
			return strconv.Itoa(q) + "x"
		}
		return strconv.Itoa(full) + "x"
	}
	goBench(benchBin, "tiny tasks: goroutine pools", `^BenchmarkSubmitWait$/^(parkit-goroutines|floor-chanpool|pond|ants|goroutine)`, n(1_000_000, 1000), "")
	goBench(benchBin, "tiny tasks: locked threads", `^BenchmarkSubmitWait$/^(parkit-threads|floor-lockedchanpool)`, n(100_000, 1000), "")
	goBench(benchBin, "tiny tasks: fire and wait all", `^BenchmarkFireWaitAll$`, n(1_000_000, 1000), "")
	goBench(benchBin, "tiny tasks: ordered Map", `^BenchmarkMap$`, n(1_000_000, 1000), "")
	goBench(benchBin, "GOMAXPROCS=1: tiny tasks", `^BenchmarkSubmitWait$/^(parkit-goroutines|floor-chanpool)/w=P`, n(1_000_000, 1000), "1")
	goBench(benchBin, "process round trips", `^BenchmarkProcessRoundTrip$/^(parkit|floor)`, n(5000, 20), "")
	goBench(benchBin, "process fork/exec", `^BenchmarkProcessRoundTrip$/^fork`, n(100, 2), "")
	goBench(benchBin, "process 1 MiB payloads", `^BenchmarkProcessPayload$`, n(256, 4), "")
	goBench(benchBin, "process start-up", `^BenchmarkProcessStartup$`, n(10, 1), "")
	goBench(benchBin, "CPU-bound scaling", `^BenchmarkScaling$`, "1x", "")
	goBench(benchBin, "GOMAXPROCS=1: CPU-bound scaling", `^BenchmarkScaling$`, "1x", "1")
	goBench(benchBin, "memory", `^BenchmarkMemory$`, "1x", "")
	goBench(parkitBin, "span recording", `^BenchmarkStartSpan`, n(2_000_000, 1000), "")
	goBench(benchBin, "execution trace: tracing on vs off", `^BenchmarkTracing$`, n(4, 1), "")
	goBench(benchBin, "execution trace: derive vs read", `^BenchmarkDerive$`, n(3, 1), "")
	m.Python = pythonBench(*quick)

	m.LoadAfter = loadavg()
	m.Took = time.Since(start).Round(time.Second).String()
	rows := buildRows()
	md := markdown(m, rows)
	check(os.WriteFile(filepath.Join(*outDir, "results.md"), []byte(md), 0o644))
	js, err := json.MarshalIndent(rows, "", "  ")
	check(err)
	check(os.WriteFile(filepath.Join(*outDir, "results.json"), append(js, '\n'), 0o644))
	fmt.Print(md)
}

type machine struct {
	NumCPU     int
	CPU        string
	LoadBefore string
	LoadAfter  string
	GoVersion  string
	Python     string
	Anchors    string
	Count      int
	Took       string
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

// goBench runs one group of benchmarks -count times and records every
// result line. procs, if set, is GOMAXPROCS for the run (-test.cpu): its
// keys get the prefix "P=<procs>:".
func goBench(bin, what, pattern, benchtime, procs string) {
	step(what)
	args := []string{"-test.run=^$", "-test.bench=" + pattern, "-test.benchtime=" + benchtime, "-test.count=" + strconv.Itoa(*count)}
	prefix := ""
	if procs != "" {
		args = append(args, "-test.cpu="+procs)
		prefix = "P=" + procs + ":"
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = filepath.Dir(bin)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: %s failed: %v\n%s", what, err, out)
		skipped[prefix+strings.Trim(pattern, "^$")] = fmt.Sprintf("%s failed: %v", what, err)
	}
	parseBench(out, prefix)
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
	args := []string{"bench/python/bench.py", "--runs", strconv.Itoa(*count), "--workers", fmt.Sprintf("5,%d", runtime.GOMAXPROCS(0))}
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
