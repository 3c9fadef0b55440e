package parkit

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// The measurements of notebook 05 (CreationCost, MemoryCost, PipeLatency,
// PipeThroughput, PanicInChild) need a child process that is a Go program
// too. Like the process executor, they re-execute this program, with
// childEnv naming what the child should do; the init below catches it
// before main runs.
const childEnv = "PARKIT_NB_CHILD"

func init() {
	if mode, ok := os.LookupEnv(childEnv); ok {
		os.Unsetenv(childEnv)
		os.Exit(runChild(mode))
	}
}

// runChild is the whole life of a measurement child.
func runChild(mode string) int {
	switch mode {
	case "exit": // creation cost: start, then exit at once
		return 0
	case "wait": // memory cost: say ready, then wait for stdin to close
		fmt.Println("ready")
		io.Copy(io.Discard, os.Stdin)
		return 0
	case "echo": // latency: send back every byte read
		io.Copy(os.Stdout, os.Stdin)
		return 0
	case "drain": // throughput: read everything, then say how much
		n, _ := io.Copy(io.Discard, os.Stdin)
		fmt.Println(n)
		return 0
	case "panic goroutines", "panic threads": // one goroutine panics: the whole program ends
		go func() {
			if mode == "panic threads" {
				runtime.LockOSThread()
			}
			panic("a goroutine panicked")
		}()
		time.Sleep(10 * time.Second)
		return 0
	}
	var kind string
	var n int
	if _, err := fmt.Sscanf(mode, "memory %s %d", &kind, &n); err == nil { // MemoryCost
		fmt.Println(memoryInChild(Kind(kind), n))
		return 0
	}
	fmt.Fprintf(os.Stderr, "parkit: unknown %s=%q\n", childEnv, mode)
	return 2
}

// child is a running measurement child with pipes to its stdin and stdout.
type child struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr bytes.Buffer
}

// childCommand prepares this program as a child in the given mode, run
// from the same binary worker processes use (executable: it stays valid
// when GoNB rebuilds the cell binary at the same path). Why the
// environment is filtered: a child that inherits GoNB's display pipes
// would corrupt the notebook's display.
func childCommand(mode string) (*exec.Cmd, error) {
	exe, err := executable()
	if err != nil {
		return nil, fmt.Errorf("parkit: cannot find this program to re-execute it: %w", err)
	}
	cmd := exec.Command(exe)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GONB_PIPE") && !strings.HasPrefix(kv, childEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, childEnv+"="+mode)
	return cmd, nil
}

// startChild starts a child in mode with its stdin and stdout piped.
func startChild(mode string) (*child, error) {
	cmd, err := childCommand(mode)
	if err != nil {
		return nil, err
	}
	c := &child{cmd: cmd}
	cmd.Stderr = &c.stderr
	if c.in, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c.out = bufio.NewReader(out)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("parkit: starting a child process: %w", err)
	}
	return c, nil
}

// stop closes the child's stdin and waits for it to exit.
func (c *child) stop() error {
	c.in.Close()
	if err := c.cmd.Wait(); err != nil {
		return fmt.Errorf("parkit: child process: %w%s", err, lastLines(c.stderr.String(), 5))
	}
	return nil
}

// PanicInChild shows what a panic in one goroutine does to a Go program,
// safely: it runs this program again as a child process in which a
// goroutine (kind Goroutines) or a goroutine locked to its own OS thread
// (kind Threads) panics, waits for it (about 10 ms), and returns the
// child's exit code and the first line it printed to stderr ("panic: ...").
func PanicInChild(kind Kind) (exitCode int, firstLine string, err error) {
	if kind != Goroutines && kind != Threads {
		return 0, "", fmt.Errorf("parkit.PanicInChild: kind %q: use Goroutines or Threads (a process executor's crash is shown with a task that exits)", kind)
	}
	cmd, err := childCommand("panic " + string(kind))
	if err != nil {
		return 0, "", err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	if exitErr, ok := err.(*exec.ExitError); ok {
		line, _, _ := strings.Cut(stderr.String(), "\n")
		return exitErr.ExitCode(), line, nil
	}
	if err != nil {
		return 0, "", err
	}
	return 0, "", fmt.Errorf("parkit: the panicking child exited normally")
}
