package bench

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// The process rows: parkit's worker processes beside a raw pipe to a
// long-lived child (the floor: what any process pool must pay) and a
// fork/exec of this binary per task. The child is this test binary,
// re-executed with benchChildEnv set (see TestMain).

const benchChildEnv = "BENCH_CHILD" // "echo": serve frames; "once": one frame, then exit

// payloadLen is the size of the throughput rows' task input.
const payloadLen = 1 << 20

// lenOf is the throughput task: it receives a 1 MiB input and returns its
// length, so only the input is large.
var lenOf = parkit.NewTask("bench.len", func(_ context.Context, b []byte) (int, error) {
	return len(b), nil
})

func TestMain(m *testing.M) {
	switch os.Getenv(benchChildEnv) {
	case "echo":
		serveFrames(os.Stdin, os.Stdout, -1)
		os.Exit(0)
	case "once":
		serveFrames(os.Stdin, os.Stdout, 1)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveFrames answers length-prefixed frames: an 8-byte frame (the tiny
// task's input n) with n+1, any other frame with its length. It stops at
// EOF or after max frames (max < 0: no limit).
func serveFrames(r io.Reader, w io.Writer, max int) {
	in := bufio.NewReaderSize(r, 64<<10)
	var head [4]byte
	buf := make([]byte, 0, payloadLen)
	for i := 0; max < 0 || i < max; i++ {
		if _, err := io.ReadFull(in, head[:]); err != nil {
			return
		}
		n := binary.LittleEndian.Uint32(head[:])
		buf = buf[:n]
		if _, err := io.ReadFull(in, buf); err != nil {
			return
		}
		answer := uint64(n)
		if n == 8 {
			answer = binary.LittleEndian.Uint64(buf) + 1
		}
		var out [12]byte
		binary.LittleEndian.PutUint32(out[:4], 8)
		binary.LittleEndian.PutUint64(out[4:], answer)
		if _, err := w.Write(out[:]); err != nil {
			return
		}
	}
}

// A child is this binary serving frames on its stdin and stdout.
type child struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func startChild(mode string) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), benchChildEnv+"="+mode)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &child{cmd: cmd, in: in, out: bufio.NewReader(out)}, nil
}

// call sends one frame and reads the 8-byte answer.
func (c *child) call(payload []byte) (uint64, error) {
	var head [4]byte
	binary.LittleEndian.PutUint32(head[:], uint32(len(payload)))
	if _, err := c.in.Write(head[:]); err != nil {
		return 0, err
	}
	if _, err := c.in.Write(payload); err != nil {
		return 0, err
	}
	var out [12]byte
	if _, err := io.ReadFull(c.out, out[:]); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(out[4:]), nil
}

func (c *child) close() error {
	c.in.Close()
	return c.cmd.Wait()
}

func tinyFrame(n uint64) []byte {
	b := make([]byte, 8)
	binary.LittleEndian.PutUint64(b, n)
	return b
}

// BenchmarkProcessRoundTrip is one tiny task to one worker process and
// back, waited for before the next.
func BenchmarkProcessRoundTrip(b *testing.B) {
	b.Run("parkit-processes", func(b *testing.B) {
		ex := newExecutor(b, parkit.Processes, 1)
		parkit.Submit(ex, addOne, 1).Result() // the worker is up
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if _, err := parkit.Submit(ex, addOne, 1).Result(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("floor-pipe", func(b *testing.B) {
		c, err := startChild("echo")
		if err != nil {
			b.Fatal(err)
		}
		defer c.close()
		frame := tinyFrame(1)
		c.call(frame)
		b.ResetTimer()
		for b.Loop() {
			if _, err := c.call(frame); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fork-exec", func(b *testing.B) {
		frame := tinyFrame(1)
		for b.Loop() {
			c, err := startChild("once")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.call(frame); err != nil {
				b.Fatal(err)
			}
			c.close()
		}
	})
}

// BenchmarkProcessPayload sends 1 MiB inputs to GOMAXPROCS worker
// processes, all kept busy; ns/op is per task, and MiB/s is reported.
func BenchmarkProcessPayload(b *testing.B) {
	workers := runtime.GOMAXPROCS(0)
	payload := make([]byte, payloadLen)
	b.Run("parkit-processes", func(b *testing.B) {
		ex := newExecutor(b, parkit.Processes, workers)
		for range workers {
			parkit.Submit(ex, lenOf, payload).Result()
		}
		b.SetBytes(payloadLen)
		b.ResetTimer()
		futures := make([]*parkit.Future[int], 0, b.N)
		for range b.N {
			futures = append(futures, parkit.Submit(ex, lenOf, payload))
		}
		for _, f := range futures {
			if n, err := f.Result(); err != nil || n != payloadLen {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("floor-pipe", func(b *testing.B) {
		children := make([]*child, workers)
		for i := range children {
			c, err := startChild("echo")
			if err != nil {
				b.Fatal(err)
			}
			defer c.close()
			c.call(payload)
			children[i] = c
		}
		b.SetBytes(payloadLen)
		b.ResetTimer()
		// Each child gets its share of the tasks, as a pool's workers would.
		var wg sync.WaitGroup
		for i, c := range children {
			n := b.N/workers + min(1, max(0, b.N%workers-i))
			wg.Go(func() {
				for range n {
					if got, err := c.call(payload); err != nil || got != payloadLen {
						panic(fmt.Sprint(got, err))
					}
				}
			})
		}
		wg.Wait()
	})
}

// BenchmarkProcessStartup is a new executor of one worker process up to
// its first result.
func BenchmarkProcessStartup(b *testing.B) {
	b.Run("parkit-processes", func(b *testing.B) {
		for b.Loop() {
			ex, err := parkit.New(parkit.Processes, 1)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := parkit.Submit(ex, addOne, 1).Result(); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			ex.Close()
			b.StartTimer()
		}
	})
	b.Run("floor-fork-exec", func(b *testing.B) {
		// Also reported: the CPU time (user + system) a child used, from
		// its start to its exit, which bounds how many start-ups the CPUs
		// can run at once.
		frame := tinyFrame(1)
		var cpu time.Duration
		for b.Loop() {
			c, err := startChild("echo")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := c.call(frame); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			c.close()
			cpu += c.cmd.ProcessState.UserTime() + c.cmd.ProcessState.SystemTime()
			b.StartTimer()
		}
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	})
}

// pidOf is the start-up rows' task: it answers with its worker's pid, so
// the caller can tell which workers are up.
var pidOf = parkit.NewTask("bench.pid", func(_ context.Context, _ int) (int, error) {
	return os.Getpid(), nil
})

// BenchmarkProcessStartupAll is a new executor of w worker processes up
// to the moment every one of them has answered a task: all of them ready.
// Its floor starts w children at once, each from its own goroutine, and
// waits for each one's first echo: what starting w processes costs this
// machine, whoever starts them.
func BenchmarkProcessStartupAll(b *testing.B) {
	for _, w := range []int{5, 1024} {
		b.Run(fmt.Sprintf("floor-fork-exec/w=%d", w), func(b *testing.B) {
			frame := tinyFrame(1)
			for b.Loop() {
				children := make([]*child, w)
				errs := make([]error, w)
				var wg sync.WaitGroup
				for i := range children {
					wg.Go(func() {
						if children[i], errs[i] = startChild("echo"); errs[i] == nil {
							_, errs[i] = children[i].call(frame)
						}
					})
				}
				wg.Wait()
				b.StopTimer()
				for i, c := range children {
					if c != nil {
						c.close()
					}
					if errs[i] != nil {
						b.Fatal(errs[i])
					}
				}
				b.StartTimer()
			}
		})
		b.Run(fmt.Sprintf("parkit-processes/w=%d", w), func(b *testing.B) {
			for b.Loop() {
				ex, err := parkit.New(parkit.Processes, w, parkit.MaxWorkers(w))
				if err != nil {
					b.Fatal(err)
				}
				allAnswered(b, ex, w)
				b.StopTimer()
				ex.Close()
				b.StartTimer()
			}
		})
	}
}

// allAnswered submits tasks until w distinct worker processes have
// answered. Each round gives every runner one task; a runner whose worker
// is still starting holds its task until the worker is up.
func allAnswered(b *testing.B, ex *parkit.Executor, w int) {
	seen := map[int]bool{}
	for len(seen) < w {
		futures := make([]*parkit.Future[int], w-len(seen))
		for i := range futures {
			futures[i] = parkit.Submit(ex, pidOf, 0)
		}
		for _, f := range futures {
			pid, err := f.Result()
			if err != nil {
				b.Fatal(err)
			}
			seen[pid] = true
		}
	}
}
