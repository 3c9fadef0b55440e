// Tests of the notebooks: how they are committed (always), and what their
// outputs show once executed (when PARKIT_EXECUTED_DIR names a folder of
// executed copies, as scripts/test.sh makes them). They check structure,
// never timings: 15 bars on 5 rows, 5 distinct processes, no errors.
package notebooks_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parallelize-your-go/kit/internal/notebook"
)

func committed(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("[0-9][0-9]-*.ipynb")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks found (%v)", err)
	}
	return paths
}

// TestCommitted checks every notebook's shape as committed: outputs
// cleared, the sections every notebook has (a goal, a summary, exercises,
// links), and the kit's setup cell (notebook.SetupCell, at most 3 lines)
// as the first code cell.
func TestCommitted(t *testing.T) {
	for _, path := range committed(t) {
		t.Run(path, func(t *testing.T) {
			nb, err := notebook.Read(path)
			if err != nil {
				t.Fatal(err)
			}
			var all strings.Builder
			firstCode := ""
			for i, c := range nb.Cells {
				all.WriteString(string(c.Source) + "\n")
				if c.Type != "code" {
					continue
				}
				if firstCode == "" {
					firstCode = string(c.Source)
				}
				if len(c.Outputs) > 0 || c.Count != nil {
					t.Errorf("cell %d has outputs or an execution count: clear them with go run ./notebooks/tools/nbgen", i)
				}
			}
			if firstCode != notebook.SetupCell {
				t.Errorf("the first code cell is not the setup cell (run go run ./notebooks/tools/nbgen):\n%s", firstCode)
			}
			for _, want := range []string{"**Goal:**", "## Summary", "## Try it yourself", "<!-- nav -->"} {
				if !strings.Contains(all.String(), want) {
					t.Errorf("no %q", want)
				}
			}
		})
	}
}

// TestSetupCellIsShort keeps the setup cell what a learner reads past at
// a glance: at most 3 lines, the script doing the work.
func TestSetupCellIsShort(t *testing.T) {
	if n := strings.Count(notebook.SetupCell, "\n") + 1; n > 3 {
		t.Errorf("notebook.SetupCell has %d lines, want at most 3: move the work into scripts/notebook-setup.sh", n)
	}
	if _, err := os.Stat("../scripts/notebook-setup.sh"); err != nil {
		t.Errorf("the setup cell runs ../scripts/notebook-setup.sh: %v", err)
	}
}

// TestLinksUpToDate fails if the index's contents or a notebook's
// navigation links are stale.
func TestLinksUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds nbgen")
	}
	out, err := exec.Command("go", "run", "./tools/nbgen", "-check", "-dir", ".").CombinedOutput()
	if err != nil {
		t.Errorf("nbgen -check: %v\n%s", err, out)
	}
}

// TestReadmeListsTheNotebooks fails if README.md's list of notebooks is
// not the contents nbgen makes from their titles and goals.
func TestReadmeListsTheNotebooks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds nbgen")
	}
	toc, err := exec.Command("go", "run", "./tools/nbgen", "-toc", "-dir", ".").Output()
	if err != nil {
		t.Fatalf("nbgen -toc: %v", err)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), strings.TrimSpace(string(toc))) {
		t.Errorf("README.md's notebook list is stale: replace it with the output of go run ./notebooks/tools/nbgen -toc:\n%s", toc)
	}
}

// A timeline as Timeline.Text draws it: a title line, "worker N |...|" rows,
// a bar "[7===]", or its bare label "11" when the task is too short for
// brackets ("[7==]11[12]" is three bars).
var (
	rowRE = regexp.MustCompile(`^\s*worker (\d+) \|(.*)\|$`)
	barRE = regexp.MustCompile(`\[?\d+`)
)

// timelineShape counts the rows and bars of the first text timeline whose
// title line starts with prefix (e.g. "goroutines, idle"); -1, -1 if none.
func timelineShape(all, prefix string) (rows, bars int) {
	lines := strings.Split(all, "\n")
	for i, line := range lines {
		if !strings.HasPrefix(line, prefix) {
			continue
		}
		for _, row := range lines[i+1:] {
			m := rowRE.FindStringSubmatch(row)
			if m == nil {
				break
			}
			rows++
			bars += len(barRE.FindAllString(m[2], -1))
		}
		return rows, bars
	}
	return -1, -1
}

// facts are what each executed notebook must show, as regexps matched
// against the text of its outputs, and timelines as title prefix -> rows, bars.
var facts = map[string]struct {
	lines     []string
	timelines map[string][2]int
	check     func(t *testing.T, all string) // facts a regexp cannot say
}{
	"00-index.ipynb": {
		lines:     []string{`CPUs\s+\d+`, `GOMAXPROCS\s+\d+`, `GoNB\s+v\d`, `15 tasks on 5 workers, 1 process`},
		timelines: map[string][2]int{"goroutines, idle": {5, 15}},
	},
	"01-multicore.ipynb": {
		lines: []string{`tasks on \d+ workers, 1 process`, `(?m)^1 workers: makespan`, `default GOMAXPROCS: \d+`, `GOMAXPROCS=1,`},
	},
	"02-multithread.ipynb": {
		lines: []string{
			`(?m)^1 worker\(s\): makespan`, `(?m)^3 worker\(s\): makespan`, `goroutines: 10001 - OS threads: \d+`,
			`(?m)^12 tasks on \d+ goroutines? ran in \d+ slices on \d+ Ps?`, `12 busy goroutines take turns on GOMAXPROCS Ps`,
			`idle goroutines are parked`, `each locked goroutine runs on an OS thread of its own`,
		},
		check:     threadsPerWorker,
		timelines: map[string][2]int{"goroutines, idle": {1, 3}},
	},
	"05-threads-vs-processes.ipynb": {
		lines: []string{
			`(?m)^goroutines +\S+ +\(average of 10000\)`, `(?m)^threads +\S+ +\(average of 200\)`, `(?m)^processes +\S+ +\(average of \d+\)`,
			`KiB +\(average of`, `(?m)^threads +makespan`, `(?m)^threads +\S+ +\(average of \d+\)\nprocesses +\S+ +\(average of \d+\)\nlocked threads took`,
			`(?m)^processes +\d+ MB/s +\(\d+ chunks of 64 KiB\)`,
			`(?m)^processes +4 workers: speedup`,
			`(?m)^threads +the child exited with status 2; its stderr began with: panic: a goroutine panicked`,
			`(threads that returned: \[0 4\]|python3 is not installed)`,
			`task 3: failed, worker crashed: true`, `(?m)^task 7: 49$`,
			`\| a crashing thread takes all down; a process does not \| the panic ended the program.*7 of 8 tasks succeeded`,
			`(?m)^(✓ as expected|✗ not this time): goroutines answer`,
		},
	},
	"06-three-toolboxes.ipynb": {
		lines: []string{
			`<nil> \[0 1 4 9 16 25 36 49 64 81 100 121 144 169 196\]`,
			`threads \[1 4 9 16 25 36 49 64\] <nil>`, `processes \[1 4 9 16 25 36 49 64\] <nil>`,
			`cancel the last one \(still queued\): true`, `done: slept 0s, error: parkit: task cancelled`,
			`(?m)^processes +one future per task: .* Map: `, `(?m)^chunk +1000: `,
			`(multiprocessing.Pool.map, default chunksize .* +[\d.]+ µs per task|python3 is not installed)`,
		},
	},
	"03-go-reminder.ipynb": {
		lines: []string{`hello from goroutine 2`, `\[0 1 4 9 16\]`, `(?m)^(ant|bee|cat) done`, `gave up after 50ms`, `returned after \d+ms with 0s, error: context deadline exceeded`},
	},
	"07-going-further.ipynb": {
		lines: []string{
			`10 tasks on 4 workers, 1 process`, `(✓ as expected|✗ not this time): 3 waves`, `WARNING: DATA RACE`, `counter = 400000 \(400000 expected\)`,
			`(?m)^4 workers: serial .* ceiling`, `serial loop: .*parkit.Map on 2 workers`, `(?m)^15 tasks on 5 workers, 1 process`,
		},
		timelines: map[string][2]int{"goroutines, idle": {4, 10}},
	},
	"08-beyond-one-machine.ipynb": {
		lines: []string{
			`beam bridge: added to go.work`,
			`(?m)^beam prism: 6 elements in 1 bundle\(s\) on .*; at most 1 at once`,
			`(?m)^(✓ as expected|✗ not this time): with Create feeding the busy step, all elements run in one bundle`,
			`(?m)^beam prism \+ reshuffle: 6 elements in \d+ bundle\(s\)`,
			`(?m)^beam prism \+ reshuffle, no split: 6 elements in 1 bundle\(s\)`,
			`(?m)^(✓ as expected|✗ not this time): a Reshuffle lets Prism split the bundle`,
			`(?m)^goroutines +about \S+ per element`, `(?m)^processes +about \S+ per element`, `(?m)^beam prism +about \S+ per element`,
			`(?m)^(✓ as expected|✗ not this time): per element, Beam costs more than parkit's processes`,
			`(?m)^job server localhost:\d+ \(pid \d+\), worker pool localhost:\d+ \(pid \d+\); built in`,
			`(?m)^beam job service \+ worker pool \+ reshuffle: 6 elements in \d+ bundle\(s\)`,
			`(?m)^beam job service \+ worker pool \+ reshuffle, job failed: \d of 6 elements`,
			`(?m)^error \S+ after the kill: parbeam: the Beam job failed \(\d of 6 elements finished\)`,
			`(?m)^(✓ as expected|✗ not this time): all elements ran in the worker pool's process, not this one`,
			`(?m)^(✓ as expected|✗ not this time): the job fails when its only worker dies`,
		},
		check: spreadTimeline,
		timelines: map[string][2]int{
			"beam prism, busy": {1, 6}, "beam prism + reshuffle, no split, busy": {1, 6},
		},
	},
	"04-the-experiment.ipynb": {
		lines: []string{
			`15 results in`,
			`(?m)^task 14: worker \d`,
			`(?m)^goroutines .*15 tasks on 5 workers, 1 process`,
			`(?m)^threads .*15 tasks on 5 workers, 1 process, 5 OS threads`,
			`(?m)^processes .*15 tasks on 5 workers, 5 processes`,
			`GOMAXPROCS=1`,
			`(?m)^threads +5 OS threads; ran a median`, `a turn between locked OS threads takes longer than one between goroutines`,
			`(?m)^15 tasks on 5 goroutines ran in \d+ slices on 1 P \[0\]`, `under GOMAXPROCS=1 the busy goroutines take turns on one P`,
			`(python threads .*15 tasks on 5 workers, 1 process|python3 is not installed)`,
		},
		timelines: map[string][2]int{
			"goroutines, idle": {5, 15}, "threads, idle": {5, 15}, "processes, idle": {5, 15},
			"goroutines, busy": {5, 15}, "processes, busy": {5, 15},
		},
	},
}

// spreadTimeline checks notebook 08's Reshuffle run: its timeline has a
// row per bundle, as many as its summary line says, and every element.
func spreadTimeline(t *testing.T, all string) {
	m := regexp.MustCompile(`(?m)^beam prism \+ reshuffle: 6 elements in (\d+) bundle`).FindStringSubmatch(all)
	if m == nil {
		t.Error("no summary line for the Reshuffle run")
		return
	}
	rows, bars := timelineShape(all, "beam prism + reshuffle, busy")
	if strconv.Itoa(rows) != m[1] || bars != 6 {
		t.Errorf("the Reshuffle run's timeline: %d rows, %d bars; want %s rows (its bundles), 6 bars", rows, bars, m[1])
	}
}

// threadsPerWorker checks notebook 02's two placement lines: goroutine
// workers share fewer OS threads than there are workers; thread workers
// each have their own (every worker that ran a task: a worker whose
// thread starts late may find the queue empty).
func threadsPerWorker(t *testing.T, all string) {
	rx := regexp.MustCompile(`(?m)^12 tasks on (\d+) workers?, 1 process, (\d+) OS threads?,`)
	found := rx.FindAllStringSubmatch(all, -1)
	if len(found) != 2 {
		t.Fatalf("want 2 placement lines of 12 tasks (goroutines, then threads), found %d", len(found))
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	if workers, threads := num(found[0][1]), num(found[0][2]); threads >= workers {
		t.Errorf("goroutines: %d workers on %d OS threads, want fewer threads than workers", workers, threads)
	}
	if workers, threads := num(found[1][1]), num(found[1][2]); threads != workers || workers < 2 {
		t.Errorf("threads: %d workers on %d OS threads, want one thread per worker", workers, threads)
	}
}

// The setup cell's machine line ("go1.26.8 linux/amd64, 2 CPUs, ..." or
// "..., 1 core (a cgroup CPU quota; ...)"), and the speedups and cores used
// that cells print, on one line (lesson.Brief) or on two (Timeline.Summary).
var (
	limitRE   = regexp.MustCompile(`go1[\d.]+ \w+/\w+, (\d+(?:\.\d+)?) (?:CPUs?|cores?)`)
	speedupRE = regexp.MustCompile(`speedup\s+(\d+\.\d+)x`)
	coresRE   = regexp.MustCompile(`cores used\s+(\d+\.\d+)`)
)

// possibleFigures checks every speedup a notebook printed for busy tasks
// (those printed with cores used close to it): none above the CPUs this
// program could use, none above the cores its run used (tasks cannot finish
// faster than the CPU they got), beyond the tolerance parkit allows
// (10% + 0.1 of the CPUs; 50% + 0.1 of the cores used on a busy machine).
// A timeline that breaks this prints "unreliable" instead.
func impossibleFigures(all string) (problems []string) {
	m := limitRE.FindStringSubmatch(all)
	if m == nil {
		return []string{"no machine line with the CPU limit (lesson.Machine()) in the outputs"}
	}
	limit, _ := strconv.ParseFloat(m[1], 64)
	lines := strings.Split(all, "\n")
	for i, line := range lines {
		sm := speedupRE.FindStringSubmatch(line)
		if sm == nil || strings.HasPrefix(strings.TrimSpace(line), "note:") {
			continue // a caveat quotes the figure it explains, not a result
		}
		speedup, _ := strconv.ParseFloat(sm[1], 64)
		// Its cores used: on the same line, or within the next 3 (Summary).
		var cm []string
		for _, next := range lines[i:min(i+4, len(lines))] {
			if cm = coresRE.FindStringSubmatch(next); cm != nil {
				break
			}
		}
		if cm == nil {
			continue
		}
		cores, _ := strconv.ParseFloat(cm[1], 64)
		if 2*cores < speedup {
			continue // tasks that mostly wait: speedup is not capped by cores
		}
		// The cores used get parkit's allowance for a busy machine (see
		// Timeline.Unreliable), where a core's speed varies with what shares it.
		if speedup > limit*1.1+0.1 || speedup > cores*1.5+0.1 {
			problems = append(problems, fmt.Sprintf("impossible figure printed as a result: speedup %.2fx with %.2f cores used, %v CPUs available: %q",
				speedup, cores, limit, line))
		}
	}
	return problems
}

func TestImpossibleFigures(t *testing.T) {
	const machine = "go1.99.1 linux/amd64, 2 CPUs, GOMAXPROCS=2\n"
	for _, tc := range []struct {
		name, out string
		bad       bool
	}{
		{"fine", machine + "4 workers: makespan 7.5s, speedup 1.99x, cores used 1.99", false},
		{"above the CPUs", machine + "3 worker(s): makespan 1.477s, speedup 2.88x, cores used 2.5", true},
		{"above its cores", machine + "speedup       1.88x over serial\nutilization 90%\ncores used    1.10 on average", true},
		{"idle", machine + "processes makespan 6s, speedup 4.99x, cores used 0.02", false},
		{"quota", "go1.99.1 linux/amd64, 1 core (a cgroup CPU quota; the machine shows 2 CPUs)\nspeedup 1.90x, cores used 1.9", true},
		{"unreliable", machine + "speedup unreliable (2.41x measured), cores used 1.9", false},
		{"no machine line", "speedup 1.00x, cores used 1.00", true},
		{"a caveat quoting the figure", machine + "speedup       unreliable (1.95x measured)\n  note: the speedup 1.95x is above the 1.66 cores the run used\n1 workers: cores used 1.01", false},
	} {
		if got := len(impossibleFigures(tc.out)) > 0; got != tc.bad {
			t.Errorf("%s: impossibleFigures = %q, want bad=%v", tc.name, impossibleFigures(tc.out), tc.bad)
		}
	}
}

// TestExecuted checks the executed copies in $PARKIT_EXECUTED_DIR: every
// committed notebook must be there, with no error output, and show its facts.
func TestExecuted(t *testing.T) {
	dir := os.Getenv("PARKIT_EXECUTED_DIR")
	if dir == "" {
		t.Skip("PARKIT_EXECUTED_DIR is not set: execute the notebooks first (scripts/test.sh does)")
	}
	for _, path := range committed(t) {
		t.Run(path, func(t *testing.T) {
			exe := filepath.Join(dir, path)
			if _, err := os.Stat(exe); err != nil {
				t.Fatalf("no executed copy: %v", err)
			}
			nb, err := notebook.Read(exe)
			if err != nil {
				t.Fatal(err)
			}
			var outs []string
			setupDone := false
			for i, c := range nb.Cells {
				if c.Type == "code" && !setupDone {
					setupDone = true
					for _, o := range c.Outputs {
						t.Errorf("the setup cell printed %q; it must print nothing when it works", o.Plain())
					}
				}
				mayFail := slices.Contains(c.Metadata.Tags, "raises-exception") // nbclient's tag
				for _, o := range c.Outputs {
					if p := o.Plain(); p != "" {
						outs = append(outs, p)
					}
					if mayFail {
						continue
					}
					if o.Type == "error" {
						t.Errorf("cell %d: error output %s", i, o.EName)
					}
					if strings.Contains(string(o.Data["text/html"]), "gonb-err-") {
						t.Errorf("cell %d: Go compile error", i)
					}
				}
			}
			all := strings.Join(outs, "\n")
			want, ok := facts[path]
			if !ok {
				t.Fatalf("no facts listed for %s in notebooks_test.go: add a few", path)
			}
			for _, rx := range want.lines {
				if !regexp.MustCompile(rx).MatchString(all) {
					t.Errorf("no output matches %q", rx)
				}
			}
			if want.check != nil {
				want.check(t, all)
			}
			for _, p := range impossibleFigures(all) {
				t.Error(p)
			}
			for prefix, shape := range want.timelines {
				rows, bars := timelineShape(all, prefix)
				if got := [2]int{rows, bars}; got != shape {
					t.Errorf("timeline %q: %d rows, %d bars; want %d rows, %d bars", prefix, rows, bars, shape[0], shape[1])
				}
			}
		})
	}
}

func TestTimelineShape(t *testing.T) {
	const text = "processes, busy, 2 workers, 6 tasks, makespan 2.17s\n" +
		"worker 0 |  [1=======][9===]    |\n" +
		"worker 1 | [0==] [7==]11[12]    |\n" +
		"          0s               2.17s\n"
	if rows, bars := timelineShape(text, "processes, busy"); rows != 2 || bars != 6 {
		t.Errorf("timelineShape = %d rows, %d bars; want 2 rows, 6 bars (a bare label is a bar)", rows, bars)
	}
}
