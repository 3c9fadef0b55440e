package parbeam

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// A Cluster is a Beam cluster on this machine: Prism as a job server
// process and one external SDK worker pool process (the commands parbeam
// jobserver and parbeam workerpool), each in a process group of its own.
// Run a Config with its Endpoint and WorkerPool on it. Whoever starts a
// Cluster must Close it.
//
// Why one worker pool: Prism starts one SDK worker per environment per
// job (RunPipeline in prism/internal/execute.go), and the Go SDK puts
// every transform in one environment, so a job's elements all run in one
// worker, in one process; and a bundle that fails fails the job, with no
// retry (executePipeline, same file). Flink and Dataflow run many workers
// per job and retry a failed bundle on another.
type Cluster struct {
	Endpoint   string // the job server's address (localhost:PORT), for Config.Endpoint
	WorkerPool string // the worker pool's address (localhost:PORT), for Config.WorkerPool

	JobServerPID, WorkerPoolPID int

	// Build and Start are how long StartCluster took to build the
	// parbeam command and to start both processes until they served.
	Build, Start time.Duration

	dir   string // the binary, the processes' logs and address files
	procs []*clusterProc

	closeOnce sync.Once
	closeErr  error

	killOnce sync.Once
	killed   time.Time // when KillWorkerAfter killed the worker
	killErr  error
}

func (c *Cluster) String() string {
	return fmt.Sprintf("job server %s (pid %d), worker pool %s (pid %d); built in %v, started in %v",
		c.Endpoint, c.JobServerPID, c.WorkerPool, c.WorkerPoolPID, parkit.Approx(c.Build), parkit.Approx(c.Start))
}

type clusterProc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed once the process is reaped
	err  error         // its Wait error, set before done is closed
}

// startTimeout bounds how long StartCluster waits for a process to serve.
const startTimeout = time.Minute

// StartCluster builds the parbeam command (go build, in this module's
// directory: a few seconds with a warm build cache, minutes cold), starts
// its job server and worker pool, and returns once both serve. It needs
// the go command and this module's source, as a notebook or a test has.
// On error, nothing it started is left.
func StartCluster(ctx context.Context) (*Cluster, error) {
	dir, err := os.MkdirTemp("", "parbeam-cluster-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir}
	t0 := time.Now()
	bin, err := buildCommand(ctx, dir)
	if err != nil {
		c.Close()
		return nil, err
	}
	t1 := time.Now()
	c.Build = t1.Sub(t0)
	for _, name := range []string{"jobserver", "workerpool"} {
		if err := c.startProc(bin, name); err != nil {
			c.Close()
			return nil, err
		}
	}
	c.JobServerPID, c.WorkerPoolPID = c.procs[0].cmd.Process.Pid, c.procs[1].cmd.Process.Pid
	if c.Endpoint, err = c.waitAddr(ctx, c.procs[0]); err == nil {
		c.WorkerPool, err = c.waitAddr(ctx, c.procs[1])
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	c.Start = time.Since(t1)
	return c, nil
}

// buildCommand builds cmd/parbeam into dir. Why go build rather than this
// program: a test or a notebook cell cannot serve as the job server or
// the worker pool, and the pool must be a binary that registers the
// experiment's DoFn.
func buildCommand(ctx context.Context, dir string) (string, error) {
	_, file, _, ok := runtime.Caller(0)
	module := filepath.Dir(filepath.Dir(file))
	if _, err := os.Stat(filepath.Join(module, "go.mod")); !ok || err != nil {
		return "", fmt.Errorf("parbeam: cannot find the kit's beam module (looked in %q) to build "+
			"the parbeam command: start a cluster with scripts/beam-cluster.sh instead", module)
	}
	bin := filepath.Join(dir, "parbeam")
	// -s -w: no symbol table or DWARF, which halves the link of a large binary.
	cmd := exec.CommandContext(ctx, "go", "build", "-ldflags=-s -w", "-o", bin, "./cmd/parbeam")
	cmd.Dir = module
	cmd.Env = childEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("parbeam: building the parbeam command in %s: %w\n%s", module, err, out)
	}
	return bin, nil
}

// childEnv is this process's environment without GoNB's display pipes: a
// child that inherits them corrupts a notebook cell's output.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GONB_PIPE") {
			env = append(env, kv)
		}
	}
	return env
}

// startProc starts "parbeam name" in a process group of its own, its
// output going to name.log in the cluster's directory.
func (c *Cluster) startProc(bin, name string) error {
	log, err := os.Create(filepath.Join(c.dir, name+".log"))
	if err != nil {
		return err
	}
	defer log.Close() // the child holds its own copy
	cmd := exec.Command(bin, name, "-addr_file", filepath.Join(c.dir, name+".addr"))
	cmd.Stdout, cmd.Stderr, cmd.Env = log, log, childEnv()
	// Why Pdeathsig as well: a program that exits without Close (a
	// notebook cell that fails) takes its cluster with it. It is a safety
	// net only: the kernel sends it when the thread that started the
	// child ends, which in Go is not always the process's end.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("parbeam: starting %s: %w", name, err)
	}
	p := &clusterProc{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	c.procs = append(c.procs, p)
	return nil
}

// waitAddr waits until p writes its address file, and fails if p exits
// first, ctx ends, or startTimeout passes.
func (c *Cluster) waitAddr(ctx context.Context, p *clusterProc) (string, error) {
	name := filepath.Join(c.dir, p.name+".addr")
	deadline := time.After(startTimeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if b, err := os.ReadFile(name); err == nil {
			return strings.TrimSpace(string(b)), nil
		}
		select {
		case <-p.done:
			return "", fmt.Errorf("parbeam: %s exited before serving (%v): %s", p.name, p.err, c.logTail(p.name))
		case <-ctx.Done():
			return "", fmt.Errorf("parbeam: waiting for %s to serve: %w", p.name, ctx.Err())
		case <-deadline:
			return "", fmt.Errorf("parbeam: %s did not serve within %v: %s", p.name, startTimeout, c.logTail(p.name))
		case <-tick.C:
		}
	}
}

// logTail is the end of a process's log, for an error message.
func (c *Cluster) logTail(name string) string {
	b, _ := os.ReadFile(filepath.Join(c.dir, name+".log"))
	if i := len(b) - 2000; i > 0 {
		b = b[i:]
	}
	return string(bytes.TrimSpace(b))
}

// KillWorker kills the worker pool's process group with SIGKILL, as a
// host that is lost, and returns once the process is reaped. A job
// running on it fails within about a second: Prism sees its worker
// disconnect.
func (c *Cluster) KillWorker() error {
	return c.kill(c.procs[1], syscall.SIGKILL, 5*time.Second)
}

// KillWorkerAfter returns a Config.Progress that kills the worker pool
// (KillWorker) once n elements have ended, a host lost mid-run. Killed
// says when; Close returns the kill's error, if any.
func (c *Cluster) KillWorkerAfter(n int) func(ended int) {
	return func(ended int) {
		if ended >= n {
			c.killOnce.Do(func() {
				c.killErr = c.KillWorker()
				c.killed = time.Now()
			})
		}
	}
}

// Killed is when KillWorkerAfter's function killed the worker (zero if
// it has not). Call it after the Run it was given to.
func (c *Cluster) Killed() time.Time { return c.killed }

// kill signals p's process group and waits up to grace for p to be
// reaped; a process already reaped is not an error.
func (c *Cluster) kill(p *clusterProc, sig syscall.Signal, grace time.Duration) error {
	select {
	case <-p.done:
		return nil
	default:
	}
	// Negative: the whole group (Setpgid made the child its leader).
	if err := syscall.Kill(-p.cmd.Process.Pid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("parbeam: signalling %s: %w", p.name, err)
	}
	select {
	case <-p.done:
		return nil
	case <-time.After(grace):
		return fmt.Errorf("parbeam: %s (pid %d) still running %v after %v", p.name, p.cmd.Process.Pid, grace, sig)
	}
}

// Close stops the job server and the worker pool (SIGTERM, then SIGKILL
// after 2 s), reaps them, checks that no process of their groups is
// left, and removes the cluster's directory (binary and logs). It is
// safe to call more than once; later calls return the first's error.
func (c *Cluster) Close() error {
	c.closeOnce.Do(func() {
		var errs []error
		for _, p := range c.procs {
			if c.kill(p, syscall.SIGTERM, 2*time.Second) != nil {
				errs = append(errs, c.kill(p, syscall.SIGKILL, 5*time.Second))
			}
			// Why check the group too: a process its leader started
			// would outlive it.
			if err := syscall.Kill(-p.cmd.Process.Pid, 0); !errors.Is(err, syscall.ESRCH) {
				syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
				errs = append(errs, fmt.Errorf("parbeam: a process of %s's group (%d) was left; killed", p.name, p.cmd.Process.Pid))
			}
		}
		errs = append(errs, c.killErr, os.RemoveAll(c.dir))
		c.closeErr = errors.Join(errs...)
	})
	return c.closeErr
}
