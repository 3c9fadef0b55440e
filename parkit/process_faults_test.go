package parkit_test

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// spawn is what spawnTask does: start `sleep 30`, write its pid to File,
// then exit the worker, hang (ignoring its context), or return.
type spawn struct {
	File, Then string
}

var (
	spawnTask = parkit.NewTask("test.spawn", func(ctx context.Context, s spawn) (int, error) {
		child := exec.Command("sleep", "30")
		child.Stdout, child.Stderr = os.Stdout, os.Stderr // as a careless task would
		if err := child.Start(); err != nil {
			return 0, err
		}
		if err := os.WriteFile(s.File, []byte(strconv.Itoa(child.Process.Pid)), 0o600); err != nil {
			return 0, err
		}
		switch s.Then {
		case "exit":
			os.Exit(3)
		case "hang":
			time.Sleep(time.Minute)
		}
		return child.Process.Pid, nil
	})
	writeTask = parkit.NewTask("test.write", func(ctx context.Context, s string) (int, error) {
		return os.Stdout.WriteString(s)
	})
)

// TestProcessDescendantsEndWithWorker: a program a task started neither
// delays the report of its worker's crash, cancellation or shutdown, nor
// outlives its worker.
func TestProcessDescendantsEndWithWorker(t *testing.T) {
	for _, tc := range []struct {
		name, then string
		end        func(t *testing.T, ex *parkit.Executor, f *parkit.Future[int]) error
	}{
		{"crash", "exit", func(t *testing.T, ex *parkit.Executor, f *parkit.Future[int]) error {
			_, err := f.Wait(bounded(t))
			return wantIs(err, parkit.ErrWorkerCrashed)
		}},
		{"cancel", "hang", func(t *testing.T, ex *parkit.Executor, f *parkit.Future[int]) error {
			f.Cancel()
			_, err := f.Wait(bounded(t))
			return wantIs(err, parkit.ErrCancelled)
		}},
		{"shutdown", "hang", func(t *testing.T, ex *parkit.Executor, f *parkit.Future[int]) error {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- ex.Shutdown(ctx) }()
			select {
			case err := <-done:
				return wantIs(err, context.DeadlineExceeded)
			case <-bounded(t).Done():
				return errors.New("Shutdown with a 1 s deadline still blocks after 20 s")
			}
		}},
		{"close", "return", func(t *testing.T, ex *parkit.Executor, f *parkit.Future[int]) error {
			if _, err := f.Result(); err != nil {
				return err
			}
			ex.Close()
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ex := newProcesses(t, 1)
			file := filepath.Join(t.TempDir(), "pid")
			start := time.Now()
			f := parkit.Submit(ex, spawnTask, spawn{File: file, Then: tc.then})
			pid := waitForPID(t, file)
			t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) }) // whatever happens
			start = time.Now()
			if err := tc.end(t, ex, f); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s with a grandchild: reported in %v", tc.name, time.Since(start).Round(time.Millisecond))
			for deadline := time.Now().Add(5 * time.Second); alive(pid); time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("the program the task started (pid %d) outlived its worker", pid)
				}
			}
		})
	}
}

// bounded is a context that ends after 20 s: a wait that should be short
// fails the test instead of hanging it.
func bounded(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func wantIs(err, want error) error {
	if !errors.Is(err, want) {
		return errors.New("got " + errorString(err) + ", want " + want.Error())
	}
	return nil
}

func errorString(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}

func waitForPID(t *testing.T, file string) int {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(file); err == nil && len(b) > 0 {
			pid, err := strconv.Atoi(string(b))
			if err != nil {
				t.Fatal(err)
			}
			return pid
		}
	}
	t.Fatal("the task did not start its program")
	return 0
}

// TestProcessOutputIsFlushedAndBounded: a last line without a newline is
// forwarded when the worker exits, and a long line is forwarded in pieces.
func TestProcessOutputIsFlushedAndBounded(t *testing.T) {
	old := os.Stdout
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout = w
	ex, err := parkit.New(parkit.Processes, 1)
	os.Stdout = old
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 200<<10)
	got := make(chan string)
	go func() { b, _ := io.ReadAll(r); got <- string(b) }()
	for _, s := range []string{long + "\n", "no newline at the end"} {
		if _, err := parkit.Submit(ex, writeTask, s).Result(); err != nil {
			t.Error(err)
		}
	}
	ex.Close()
	w.Close()
	lines := strings.Split(strings.TrimSuffix(<-got, "\n"), "\n")
	var x strings.Builder
	for _, l := range lines[:len(lines)-1] {
		_, text, ok := strings.Cut(l, "] ")
		if !ok || !strings.HasPrefix(l, "[worker 0 pid ") || len(text) > 64<<10 {
			t.Fatalf("line of %d bytes %.40q...: want labelled pieces of at most 64 KiB", len(l), l)
		}
		x.WriteString(text)
	}
	if x.String() != long {
		t.Errorf("the long line came through as %d bytes in %d pieces, want %d bytes", x.Len(), len(lines)-1, len(long))
	}
	if last := lines[len(lines)-1]; !strings.HasSuffix(last, "] no newline at the end") {
		t.Errorf("the last line is %.60q, want the unfinished line, labelled", last)
	}
	n := parkit.WorkerOutputBuffered(16 << 20)
	if n > 128<<10 {
		t.Errorf("16 MiB of output without a newline: %d bytes held at once, want at most 128 KiB", n)
	}
	t.Logf("16 MiB of output without a newline: at most %d bytes held at once", n)
}

// TestProcessKilledBySignal: a worker killed from outside by a signal
// that Go reports with a register dump is described by its signal line.
func TestProcessKilledBySignal(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		want string
	}{
		{syscall.SIGSEGV, "SIGSEGV: segmentation violation"},
		{syscall.SIGABRT, "SIGABRT: abort"},
	} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			ex := newProcesses(t, 1)
			pid, err := parkit.Submit(ex, pidTask, 0).Result()
			if err != nil {
				t.Fatal(err)
			}
			f := parkit.Submit(ex, parkit.IdleTask, time.Minute)
			time.Sleep(300 * time.Millisecond) // until the worker runs it
			syscall.Kill(pid, tc.sig)
			_, err = f.Wait(bounded(t))
			if !errors.Is(err, parkit.ErrWorkerCrashed) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want ErrWorkerCrashed showing %q", err, tc.want)
			}
		})
	}
}

// TestProcessMapBatchesBySize: Map splits a chunk too large to send, and
// an input too large alone is named by its index, never by an internal
// task name.
func TestProcessMapBatchesBySize(t *testing.T) {
	defer parkit.SetMaxPayload(256 << 10)()
	ex := newProcesses(t, 1)
	inputs := make([][]byte, 12) // chunks of 3: 300 KiB each
	for i := range inputs {
		inputs[i] = []byte(strings.Repeat(strconv.Itoa(i%10), 100<<10))
	}
	out, err := parkit.Map(context.Background(), ex, echoTask, inputs)
	if err != nil {
		t.Fatalf("Map of 12 inputs of 100 KiB with a 256 KiB limit: %v", err)
	}
	for i := range inputs {
		if string(out[i]) != string(inputs[i]) {
			t.Fatalf("out[%d] differs from its input", i)
		}
	}
	// Results: 3 of 100 KiB are too large to send back together.
	sizes := make([]int, 12)
	for i := range sizes {
		sizes[i] = 100<<10 + i
	}
	big, err := parkit.Map(context.Background(), ex, bigTask, sizes)
	if err != nil {
		t.Fatalf("Map of 12 results of 100 KiB with a 256 KiB limit: %v", err)
	}
	for i, b := range big {
		if len(b) != sizes[i] {
			t.Fatalf("result %d has %d bytes, want %d", i, len(b), sizes[i])
		}
	}
	// One input or result too large alone is named by its index.
	inputs[5] = make([]byte, 512<<10)
	_, err = parkit.Map(context.Background(), ex, echoTask, inputs)
	if err == nil || !strings.Contains(err.Error(), `input 5: parkit: task "test.echo": its input is`) || strings.Contains(err.Error(), "[]") {
		t.Errorf("Map with an oversized input 5: got %v, want it named, with the task's own name", err)
	}
	sizes[7] = 512 << 10
	_, err = parkit.Map(context.Background(), ex, bigTask, sizes)
	if err == nil || !strings.Contains(err.Error(), `input 7: parkit: task "test.big": its result is`) || strings.Contains(err.Error(), "[]") {
		t.Errorf("Map with an oversized result 7: got %v, want it named, with the task's own name", err)
	}
}
