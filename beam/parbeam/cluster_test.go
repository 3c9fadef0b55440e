package parbeam

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"
	"github.com/parallelize-your-go/kit/parkit"
)

func TestCluster(t *testing.T) {
	ctx := context.Background()
	c, err := StartCluster(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	t.Log(c)
	elem := 300 * time.Millisecond
	cfg := Config{Tasks: 3, Steps: parkit.CalibrateBusy(elem), Endpoint: c.Endpoint, WorkerPool: c.WorkerPool}

	opts := []*string{jobopts.Endpoint, jobopts.EnvironmentType, jobopts.EnvironmentConfig, jobopts.Experiments, jobopts.WorkerBinary}
	before := fmt.Sprint(deref(opts))
	res, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res.Summary())
	if after := fmt.Sprint(deref(opts)); after != before {
		t.Errorf("Beam's job options %s after the run, %s before: not restored", after, before)
	}
	if res.Finished() != 3 {
		t.Errorf("%d elements finished, want 3", res.Finished())
	}
	if pids := res.PIDs(); !slices.Equal(pids, []int{c.WorkerPoolPID}) {
		t.Errorf("elements ran in processes %v, want only the worker pool's %d", pids, c.WorkerPoolPID)
	}

	// Prism in this process, the workers in the pool's.
	emb, err := Run(ctx, Config{Tasks: 2, WorkerPool: c.WorkerPool})
	if err != nil {
		t.Fatal(err)
	}
	if pids := emb.PIDs(); !slices.Equal(pids, []int{c.WorkerPoolPID}) {
		t.Errorf("embedded Prism, external pool: elements ran in %v, want only the pool's %d", pids, c.WorkerPoolPID)
	}

	// A longer job, its worker killed once two elements have ended.
	cfg.Tasks = 8
	cfg.Progress = c.KillWorkerAfter(2)
	type outcome struct {
		res *Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := Run(ctx, cfg)
		done <- outcome{res, err}
	}()
	var got outcome
	select {
	case got = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run still running 30 s after its worker was killed")
	}
	killed := c.Killed()
	if killed.IsZero() {
		t.Fatalf("the worker was not killed; Run: %v", got.err)
	}
	t.Logf("Run returned %v after the kill: %v", time.Since(killed), got.err)
	if got.err == nil || !strings.Contains(got.err.Error(), "the Beam job failed") {
		t.Fatalf("error %v, want the job's failure", got.err)
	}
	if got.res == nil || got.res.Finished() < 1 || got.res.Finished() >= cfg.Tasks || got.res.Retried() != 0 {
		t.Fatalf("result %+v: want the elements that finished before the kill", got.res)
	}
	t.Log(got.res.Summary())

	// The pool is gone: the next run says so, at once.
	cfg.Progress = nil
	start := time.Now()
	if _, err := Run(ctx, cfg); err == nil || !strings.Contains(err.Error(), c.WorkerPool) {
		t.Errorf("run on a dead pool: error %v, want one that names %s", err, c.WorkerPool)
	} else if took := time.Since(start); took > 2*checkTimeout {
		t.Errorf("run on a dead pool: error after %v", took)
	}

	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	for _, pid := range []int{c.JobServerPID, c.WorkerPoolPID} {
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil {
			t.Errorf("process %d still exists after Close", pid)
		}
		if err := syscall.Kill(-pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("process group %d: %v, want none left", pid, err)
		}
	}
	if _, err := os.Stat(c.dir); !os.IsNotExist(err) {
		t.Errorf("cluster directory %s: %v, want it removed", c.dir, err)
	}
}

func TestRunUnreachable(t *testing.T) {
	port := closedPort(t)
	for _, cfg := range []Config{{Endpoint: port}, {WorkerPool: port}, {Endpoint: port, WorkerPool: port}} {
		start := time.Now()
		_, err := Run(context.Background(), cfg)
		if err == nil || !strings.Contains(err.Error(), port) {
			t.Errorf("%+v: error %v, want one that names %s", cfg, err, port)
		}
		if took := time.Since(start); took > 2*checkTimeout {
			t.Errorf("%+v: error after %v", cfg, took)
		}
	}
}

// closedPort is an address on localhost where nothing listens.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestClusterScript drives scripts/beam-cluster.sh as a reader would, and
// checks that stop leaves no process and no state behind.
func TestClusterScript(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts a cluster")
	}
	runDir := t.TempDir()
	script := func(args ...string) string {
		cmd := exec.Command("../../scripts/beam-cluster.sh", args...)
		cmd.Env = append(childEnv(), "XDG_RUNTIME_DIR="+runDir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("beam-cluster.sh %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	script("start")
	state := filepath.Join(runDir, fmt.Sprintf("parbeam-cluster-%d", os.Getuid()))
	var pids []int
	for _, name := range []string{"jobserver", "workerpool"} {
		b, err := os.ReadFile(filepath.Join(state, name+".pid"))
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			t.Fatalf("%s.pid: %q, %v", name, b, err)
		}
		pids = append(pids, pid)
	}
	defer func() { // if the test fails midway
		for _, pid := range pids {
			syscall.Kill(-pid, syscall.SIGKILL)
		}
	}()
	if out := script("run", "-tasks", "2"); !strings.Contains(out, "2 elements in 1 bundle") {
		t.Errorf("run: %s", out)
	}
	script("kill-worker")
	if out := script("status"); !strings.Contains(out, "workerpool stopped") {
		t.Errorf("status after kill-worker: %s", out)
	}
	script("stop")
	for _, pid := range pids {
		if err := syscall.Kill(-pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("process group %d: %v after stop, want none", pid, err)
		}
	}
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Errorf("%s: %v after stop, want it removed", state, err)
	}
}

func deref(ps []*string) []string {
	var out []string
	for _, p := range ps {
		out = append(out, *p)
	}
	return out
}
