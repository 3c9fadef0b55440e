package parkit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/internal/notebook"
)

// gonbImports follows the setup cell (notebook.SetupCell), as in the
// notebooks.
const gonbImports = `import "github.com/parallelize-your-go/kit/parkit"`

// Tasks declared in the notebook itself, as a reader would.
const gonbTasks = `var CellPID = parkit.NewTask("cell.pid", func(ctx context.Context, d time.Duration) (int, error) {
	time.Sleep(d)
	return os.Getpid(), nil
})

var CellSquare = parkit.NewTask("cell.square", func(ctx context.Context, n int) (int, error) { return n * n, nil })

var CellBoom = parkit.NewTask("cell.boom", func(ctx context.Context, n int) (int, error) { panic("boom in a cell task") })`

const gonbRun = `%%
ctx := context.Background()
tl, err := parkit.Experiment{Executor: parkit.Processes, Workers: 5, Tasks: 10,
	Workload: parkit.NewWorkload("pid", "", CellPID, 200*time.Millisecond)}.Run(ctx)
if err != nil {
	panic(err)
}
pids := map[int]bool{}
for _, s := range tl.Spans {
	pids[s.PID] = pids[s.PID] || s.PID != os.Getpid()
}
fmt.Printf("%d distinct worker PIDs\n", len(pids))
ex, err := parkit.New(parkit.Processes, 2)
if err != nil {
	panic(err)
}
out, err := parkit.Map(ctx, ex, CellSquare, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
fmt.Println("squares:", out, err)
_, err = parkit.Submit(ex, CellBoom, 1).Result()
fmt.Println("crash isolated:", errors.Is(err, parkit.ErrWorkerCrashed))
ex.Close()
fmt.Println("done")`

// TestProcessInGoNBCell runs the process executor inside a notebook cell
// executed by the GoNB kernel: workers re-execute the cell's binary, run
// tasks declared in the notebook, and neither hang the cell nor outlive it.
func TestProcessInGoNBCell(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the GoNB notebook run (about 10 s)")
	}
	if _, err := exec.LookPath("jupyter"); err != nil {
		t.Skip("jupyter is not installed (scripts/install.sh installs it with GoNB)")
	}
	if !haveKernel("gonb") {
		t.Skip("the gonb Jupyter kernel is not installed (scripts/install.sh installs it)")
	}
	kit, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	// The notebook sits in a folder beside a link to this checkout's
	// scripts/, as the notebooks sit beside it: its setup cell runs
	// ../scripts/notebook-setup.sh.
	root := t.TempDir()
	dir := filepath.Join(root, "notebooks")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(kit, "scripts"), filepath.Join(root, "scripts")); err != nil {
		t.Fatal(err)
	}
	nb := notebook.Notebook{
		Cells: []notebook.Cell{notebook.Code(notebook.SetupCell), notebook.Code(gonbImports),
			notebook.Code(gonbTasks), notebook.Code(gonbRun)},
		Metadata: map[string]any{"kernelspec": map[string]any{"display_name": "Go (gonb)", "language": "go", "name": "gonb"}},
		NBFormat: 4, NBFormatMinor: 5,
	}
	if err := nb.Write(filepath.Join(dir, "cell.ipynb")); err != nil {
		t.Fatal(err)
	}

	// A marker in the environment, which the kernel, the cell and its
	// workers inherit, finds any of them left behind.
	marker := fmt.Sprintf("PARKIT_GONB_TEST=%d-%d", os.Getpid(), time.Now().UnixNano())
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	env := append(os.Environ(), marker, "JUPYTER_RUNTIME_DIR="+filepath.Join(root, "runtime"))
	start := time.Now()
	if err := notebook.Execute(ctx, dir, "cell.ipynb", "out.ipynb", env); err != nil { // 180 s per cell
		t.Fatalf("executing the notebook failed after %v (a hang shows as a timeout): %v", time.Since(start), err)
	}
	t.Logf("notebook executed in %v", time.Since(start).Round(time.Millisecond))

	got, err := notebook.Read(filepath.Join(dir, "out.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range got.Cells[0].Outputs {
		t.Errorf("the setup cell printed %q; it must print nothing when it works", o.Plain())
	}
	var stdout, stderr strings.Builder
	for _, c := range got.Cells {
		for _, o := range c.Outputs {
			text := string(o.Text)
			switch {
			case o.Type == "error":
				t.Errorf("a cell failed: %s", o.EValue)
			case o.Name == "stderr":
				stderr.WriteString(text)
			default:
				stdout.WriteString(text)
			}
		}
	}
	for _, want := range []string{
		"5 distinct worker PIDs",
		"squares: [1 4 9 16 25 36 49 64 81 100] <nil>",
		"crash isolated: true",
		"done",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the cells' output lacks %q:\n%s\nstderr:\n%s", want, stdout.String(), stderr.String())
		}
	}
	if !strings.Contains(stderr.String(), "] panic: boom in a cell task") {
		t.Errorf("the crashed worker's stderr did not reach the notebook, labelled:\n%s", stderr.String())
	}
	checkNoChildren(t)
	// No worker outlives the cell (they would be orphans by now, not our
	// children): wait a little for the kernel's shutdown, then look.
	deadline := time.Now().Add(10 * time.Second)
	for {
		left := processesWith(marker, "PARKIT_WORKER=")
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("worker processes outlived the notebook: %v", left)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// haveKernel reports whether a Jupyter kernel spec of that name exists in
// one of Jupyter's data directories.
func haveKernel(name string) bool {
	out, err := exec.Command("jupyter", "--paths", "--json").Output()
	if err != nil {
		return false
	}
	var paths struct{ Data []string }
	if json.Unmarshal(out, &paths) != nil {
		return false
	}
	for _, d := range paths.Data {
		if _, err := os.Stat(filepath.Join(d, "kernels", name, "kernel.json")); err == nil {
			return true
		}
	}
	return false
}

// processesWith lists the processes whose initial environment holds all of
// the given entries (prefixes of KEY=VALUE entries).
func processesWith(entries ...string) []int {
	paths, _ := filepath.Glob("/proc/[0-9]*/environ")
	var pids []int
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		env := "\x00" + string(b)
		all := true
		for _, e := range entries {
			all = all && strings.Contains(env, "\x00"+e)
		}
		if all {
			var pid int
			fmt.Sscanf(filepath.Base(filepath.Dir(p)), "%d", &pid)
			pids = append(pids, pid)
		}
	}
	return pids
}
