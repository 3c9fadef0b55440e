package parkit_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// Tasks for the process executor's tests. They are package-level vars, so
// the test binary, re-executed as a worker, registers them too; this
// package is initialized after parkit, as a user's package would be.
var (
	pidTask = parkit.NewTask("test.pid", func(ctx context.Context, d time.Duration) (int, error) {
		time.Sleep(d)
		return os.Getpid(), nil
	})
	squareTask = parkit.NewTask("test.square", func(ctx context.Context, n int) (int, error) {
		if n < 0 {
			return 0, fmt.Errorf("negative input %d", n)
		}
		return n * n, nil
	})
	crashTask = parkit.NewTask("test.crash", func(ctx context.Context, how string) (int, error) {
		switch how {
		case "panic":
			panic("boom in the worker")
		case "exit":
			fmt.Fprintln(os.Stderr, "about to exit 3")
			os.Exit(3)
		case "kill":
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
		case "garbage":
			// A task that writes on the protocol's descriptor.
			os.NewFile(4, "protocol").Write([]byte("\x05\x00\x00\x00Zjunk and more junk"))
		}
		time.Sleep(10 * time.Second)
		return 0, nil
	})
	echoTask = parkit.NewTask("test.echo", func(ctx context.Context, b []byte) ([]byte, error) {
		return b, nil
	})
	bigTask = parkit.NewTask("test.big", func(ctx context.Context, n int) ([]byte, error) {
		return make([]byte, n), nil
	})
	envTask = parkit.NewTask("test.env", func(ctx context.Context, name string) (string, error) {
		return os.Getenv(name), nil
	})
	maxProcsTask = parkit.NewTask("test.gomaxprocs", func(ctx context.Context, _ int) (int, error) {
		return runtime.GOMAXPROCS(0), nil
	})
	printTask = parkit.NewTask("test.print", func(ctx context.Context, msg string) (int, error) {
		fmt.Fprintln(os.Stderr, msg)
		fmt.Println(msg)
		return 0, nil
	})
	chanTask = parkit.NewTask("test.chan", func(ctx context.Context, c chan int) (int, error) {
		return 0, nil
	})
	funcOutTask = parkit.NewTask("test.funcout", func(ctx context.Context, _ int) (func(), error) {
		return nil, nil
	})
)

// lateTask is registered while the tests run, not at package level.
var lateTask = sync.OnceValue(func() *parkit.Task[int, int] {
	return parkit.NewTask("test.late", func(ctx context.Context, n int) (int, error) { return n, nil })
})

// newProcesses starts a process executor and, at the end of the test,
// closes it and checks that no child process or goroutine is left.
func newProcesses(t *testing.T, workers int) *parkit.Executor {
	t.Helper()
	goroutines := runtime.NumGoroutine()
	ex, err := parkit.New(parkit.Processes, workers)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ex.Close()
		checkNoChildren(t)
		checkGoroutines(t, goroutines)
	})
	return ex
}

// children lists this process's child processes, zombies included, from
// the parent field of /proc/<pid>/stat.
func children(t *testing.T) []int {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("listing child processes needs /proc")
	}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var kids []int
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue // it exited meanwhile
		}
		// The command name may hold spaces: fields start after its ')'.
		fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(fields) > 2 && fields[1] == strconv.Itoa(os.Getpid()) {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(path)))
			kids = append(kids, pid)
		}
	}
	return kids
}

func checkNoChildren(t *testing.T) {
	t.Helper()
	if kids := children(t); len(kids) > 0 {
		t.Errorf("after Close, child processes are left: %v", kids)
	}
}

func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Errorf("goroutines leaked: %d before, %d after Close\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestProcessDistinctPIDs(t *testing.T) {
	const workers = 3
	ex := newProcesses(t, workers)
	var futures []*parkit.Future[int]
	for range 2 * workers {
		futures = append(futures, parkit.Submit(ex, pidTask, 100*time.Millisecond))
	}
	pids := map[int]bool{}
	for _, f := range futures {
		pid, err := f.Result()
		if err != nil {
			t.Fatal(err)
		}
		if pid == os.Getpid() {
			t.Fatal("a task ran in the test process itself")
		}
		pids[pid] = true
		if s := f.Span(); s.PID != pid || s.TID <= 0 || s.End <= s.Start || s.Start <= 0 {
			t.Errorf("span %+v for a task that ran in pid %d", s, pid)
		}
	}
	if len(pids) != workers {
		t.Errorf("tasks ran in %d distinct processes, want %d: %v", len(pids), workers, pids)
	}
}

func TestProcessMap(t *testing.T) {
	ex := newProcesses(t, 3)
	for _, n := range []int{0, 1, 7, 1000} {
		in := make([]int, n)
		for i := range in {
			in[i] = i
		}
		out, err := parkit.Map(context.Background(), ex, squareTask, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != n {
			t.Fatalf("Map of %d inputs: %d outputs", n, len(out))
		}
		for i, v := range out {
			if v != i*i {
				t.Fatalf("Map: out[%d] = %d, want %d", i, v, i*i)
			}
		}
	}
	_, err := parkit.Map(context.Background(), ex, squareTask, []int{1, 2, -3, 4})
	if err == nil || !strings.Contains(err.Error(), "input 2: negative input -3") {
		t.Errorf("Map with a failing input: got %v, want the input's index and error", err)
	}
}

// TestProcessCrash: a worker that panics, exits or is killed fails only its
// own task; the other workers' tasks finish and the pool replaces it.
func TestProcessCrash(t *testing.T) {
	tests := []struct {
		how  string
		want []string
	}{
		{"panic", []string{"exit status 2", "panic: boom in the worker"}},
		{"exit", []string{"exit status 3", "about to exit 3"}},
		{"kill", []string{"signal: killed"}},
		{"garbage", []string{"wire: "}},
	}
	for _, tt := range tests {
		t.Run(tt.how, func(t *testing.T) {
			ex := newProcesses(t, 2)
			slow := parkit.Submit(ex, pidTask, 300*time.Millisecond)
			crash := parkit.Submit(ex, crashTask, tt.how)
			_, err := crash.Result()
			if !errors.Is(err, parkit.ErrWorkerCrashed) {
				t.Fatalf("got %v, want ErrWorkerCrashed", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("the error does not say %q:\n%v", w, err)
				}
			}
			if _, err := slow.Result(); err != nil {
				t.Errorf("the other worker's task failed too: %v", err)
			}
			// The pool replaced the dead worker: both run tasks again.
			var again []*parkit.Future[int]
			for range 4 {
				again = append(again, parkit.Submit(ex, pidTask, 50*time.Millisecond))
			}
			for _, f := range again {
				if _, err := f.Result(); err != nil {
					t.Errorf("after the crash: %v", err)
				}
			}
		})
	}
}

// TestProcessReplacesAtOnce: a dead worker's replacement starts as soon as
// its task has failed, not when the next task comes, which would wait for it.
func TestProcessReplacesAtOnce(t *testing.T) {
	tests := []struct {
		name string
		end  func(ex *parkit.Executor) error
	}{
		{"crash", func(ex *parkit.Executor) error {
			return parkit.Submit(ex, crashTask, "exit").Err()
		}},
		{"cancel", func(ex *parkit.Executor) error {
			f := parkit.Submit(ex, parkit.IdleTask, time.Minute)
			time.Sleep(300 * time.Millisecond) // until its worker runs it
			f.Cancel()
			return f.Err()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := newProcesses(t, 1)
			old, err := parkit.Submit(ex, pidTask, 0).Result()
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.end(ex); err == nil {
				t.Fatal("the task did not fail")
			}
			// No task is submitted meanwhile: the runner starts the new
			// worker on its own.
			var kids []int
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				kids = children(t)
				if len(kids) == 1 && kids[0] != old {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("no replacement for worker pid %d: child processes %v", old, kids)
				}
			}
			if pid, err := parkit.Submit(ex, pidTask, 0).Result(); err != nil || pid != kids[0] {
				t.Errorf("the next task: pid %d, %v; want the replacement, pid %d", pid, err, kids[0])
			}
		})
	}
}

func TestProcessCancelRunning(t *testing.T) {
	ex := newProcesses(t, 1)
	f := parkit.Submit(ex, parkit.IdleTask, time.Minute)
	// Wait until its worker runs it: a queued task would be cancelled
	// without touching the worker.
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	if f.Cancel() {
		t.Fatal("Cancel reported the task as still queued")
	}
	_, err := f.Result()
	if !errors.Is(err, parkit.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want ErrCancelled and context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancelling took %v", d)
	}
	if pid, err := parkit.Submit(ex, pidTask, 0).Result(); err != nil || pid <= 0 {
		t.Errorf("the replacement worker: pid %d, %v", pid, err)
	}
}

func TestProcessShutdownDeadline(t *testing.T) {
	ex, err := parkit.New(parkit.Processes, 2)
	if err != nil {
		t.Fatal(err)
	}
	var futures []*parkit.Future[time.Duration]
	for range 4 {
		futures = append(futures, parkit.Submit(ex, parkit.IdleTask, time.Minute))
	}
	time.Sleep(200 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := ex.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown: got %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Shutdown took %v with a 200ms deadline", d)
	}
	for i, f := range futures {
		if _, err := f.Result(); err == nil {
			t.Errorf("task %d succeeded after Shutdown killed it", i)
		}
	}
	checkNoChildren(t)
	ex.Close()
}

func TestProcessCloseWaitsForRunningTasks(t *testing.T) {
	ex, err := parkit.New(parkit.Processes, 2)
	if err != nil {
		t.Fatal(err)
	}
	var futures []*parkit.Future[int]
	for range 4 {
		futures = append(futures, parkit.Submit(ex, pidTask, 100*time.Millisecond))
	}
	ex.Close()
	for _, f := range futures {
		if _, err := f.Result(); err != nil {
			t.Error(err)
		}
	}
	checkNoChildren(t)
}

func TestProcessEnvironment(t *testing.T) {
	t.Setenv("PARKIT_TEST_VALUE", "from the parent")
	t.Setenv("GONB_PIPE", "/nonexistent/pipe")
	t.Setenv("GONB_PIPE_BACK", "/nonexistent/pipe")
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ex := newProcesses(t, 1)
	for name, want := range map[string]string{
		"PARKIT_TEST_VALUE": "from the parent",
		"GONB_PIPE":         "",
		"GONB_PIPE_BACK":    "",
		"PARKIT_WORKER":     "",
	} {
		if got, err := parkit.Submit(ex, envTask, name).Result(); err != nil || got != want {
			t.Errorf("$%s in the worker: %q, %v; want %q", name, got, err, want)
		}
	}
	if n, err := parkit.Submit(ex, maxProcsTask, 0).Result(); err != nil || n != 1 {
		t.Errorf("GOMAXPROCS in the worker: %d, %v; want 1 as in the parent", n, err)
	}
}

// TestProcessOutput: what a worker prints reaches this process's stderr
// and stdout, labelled with the worker, and the protocol is unharmed.
func TestProcessOutput(t *testing.T) {
	oldErr, oldOut := os.Stderr, os.Stdout
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stderr, os.Stdout = w, w
	ex, err := parkit.New(parkit.Processes, 1)
	os.Stderr, os.Stdout = oldErr, oldOut
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parkit.Submit(ex, printTask, "hello from a task").Result(); err != nil {
		t.Error(err)
	}
	ex.Close()
	w.Close()
	out, _ := io.ReadAll(r)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		t.Fatalf("got output %q, want two lines", out)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "[worker 0 pid ") || !strings.HasSuffix(l, "] hello from a task") {
			t.Errorf("got line %q, want it labelled with the worker", l)
		}
	}
}

func TestProcessBadInput(t *testing.T) {
	ex := newProcesses(t, 1)
	lateTask := lateTask()
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"closure", func() error {
			return parkit.Go(ex, func(context.Context) (int, error) { return 1, nil }).Err()
		}, "parkit.Go got a closure"},
		{"Func task", func() error {
			return parkit.Submit(ex, parkit.Func(func(ctx context.Context, n int) (int, error) { return n, nil }), 1).Err()
		}, "made with parkit.Func"},
		{"registered late", func() error { return parkit.Submit(ex, lateTask, 1).Err() }, "registered while the program ran"},
		{"Map of a late task", func() error {
			_, err := parkit.Map(context.Background(), ex, lateTask, []int{1, 2})
			return err
		}, "registered while the program ran"},
		{"unencodable input", func() error { return parkit.Submit(ex, chanTask, make(chan int)).Err() }, "input cannot be sent"},
		{"unencodable result", func() error { return parkit.Submit(ex, funcOutTask, 1).Err() }, "result cannot be sent back"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

func TestProcessTooLarge(t *testing.T) {
	defer parkit.SetMaxPayload(1 << 20)()
	ex := newProcesses(t, 1)
	_, err := parkit.Submit(ex, echoTask, make([]byte, 2<<20)).Result()
	if err == nil || !strings.Contains(err.Error(), "its input is") {
		t.Errorf("an oversized input: got %v", err)
	}
	_, err = parkit.Submit(ex, bigTask, 2<<20).Result()
	if err == nil || !strings.Contains(err.Error(), "its result is") {
		t.Errorf("an oversized result: got %v", err)
	}
	// The worker survived and still serves.
	if b, err := parkit.Submit(ex, bigTask, 1000).Result(); err != nil || len(b) != 1000 {
		t.Errorf("after the oversized result: %d bytes, %v", len(b), err)
	}
}

func TestProcessWorkerFailsToStart(t *testing.T) {
	defer parkit.SetWorkerExe("")
	parkit.SetWorkerExe("/nonexistent/worker")
	if ex, err := parkit.New(parkit.Processes, 2); err == nil || !strings.Contains(err.Error(), "starting worker process") {
		t.Errorf("with a missing binary: got %v", err)
		if ex != nil {
			ex.Close()
		}
	}
	checkNoChildren(t)

	// A binary that starts but is not a parkit program: each task fails
	// with the reason, nothing hangs.
	parkit.SetWorkerExe("/bin/sh")
	ex := newProcesses(t, 2)
	for range 3 {
		_, err := parkit.Submit(ex, squareTask, 2).Result()
		if !errors.Is(err, parkit.ErrWorkerCrashed) || !strings.Contains(err.Error(), "before it was ready") {
			t.Errorf("got %v, want ErrWorkerCrashed before it was ready", err)
		}
	}
}

func TestProcessExperiment(t *testing.T) {
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &before)
	tl, err := parkit.Experiment{
		Executor: parkit.Processes, Workers: 3, Tasks: 6,
		Workload: parkit.Busy(20_000_000), SkipSerial: true,
	}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := tl.Err(); err != nil {
		t.Fatal(err)
	}
	pids := map[int]bool{}
	for _, s := range tl.Spans {
		pids[s.PID] = true
	}
	if len(pids) != 3 || pids[os.Getpid()] {
		t.Errorf("the experiment ran in pids %v, want 3 worker processes", pids)
	}
	// The workers' CPU time is counted, as the OS counted it for this
	// process's waited-for children.
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &after)
	children := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
	if tl.CPUTime < children {
		t.Errorf("CPUTime %v, but the workers alone used %v", tl.CPUTime, children)
	}
	if first := slices.MinFunc(tl.Spans, func(a, b parkit.Span) int { return int(a.Start - b.Start) }); first.Start <= 0 {
		t.Errorf("the first task started at %v: the start-up delay should show", first.Start)
	}
	checkNoChildren(t)
}

// TestProcessWorkersDieWithParent kills a parent process (this test binary,
// re-executed to run TestProcessOrphanHelper) while its workers run tasks,
// and checks that the workers die too.
func TestProcessWorkersDieWithParent(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestProcessOrphanHelper$", "-test.v")
	cmd.Env = append(os.Environ(), "PARKIT_TEST_ORPHAN_HELPER=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pids []int
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if pid, ok := strings.CutPrefix(sc.Text(), "worker pid "); ok {
			n, _ := strconv.Atoi(pid)
			pids = append(pids, n)
		}
		if sc.Text() == "busy" {
			break
		}
	}
	if len(pids) != 2 {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the helper reported worker pids %v", pids)
	}
	cmd.Process.Kill() // SIGKILL: the parent gets no chance to clean up
	cmd.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for _, pid := range pids {
		for alive(pid) {
			if time.Now().After(deadline) {
				for _, pid := range pids {
					syscall.Kill(pid, syscall.SIGKILL) // leave nothing behind
				}
				t.Fatalf("worker %d outlived its killed parent", pid)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}

func TestProcessOrphanHelper(t *testing.T) {
	if os.Getenv("PARKIT_TEST_ORPHAN_HELPER") != "1" {
		t.Skip("run by TestProcessWorkersDieWithParent")
	}
	ex, err := parkit.New(parkit.Processes, 2)
	if err != nil {
		t.Fatal(err)
	}
	a, b := parkit.Submit(ex, pidTask, 200*time.Millisecond), parkit.Submit(ex, pidTask, 200*time.Millisecond)
	for _, f := range []*parkit.Future[int]{a, b} {
		pid, err := f.Result()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("worker pid %d\n", pid)
	}
	parkit.Submit(ex, parkit.IdleTask, time.Minute)
	parkit.Submit(ex, parkit.IdleTask, time.Minute)
	time.Sleep(100 * time.Millisecond)
	fmt.Println("busy")
	time.Sleep(time.Minute) // until killed
}
