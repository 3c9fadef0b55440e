package parkit

import (
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// ChannelLatency measures one round trip over unbuffered channels (send a
// value, get one back), averaged over n round trips, between two goroutines
// (kind Goroutines) or two goroutines each locked to its own OS thread
// (kind Threads). Expect a few hundred nanoseconds for goroutines: the Go
// scheduler hands the value over without the kernel. Expect tens of
// microseconds for locked threads: a thread that waits on a channel goes
// to sleep in the kernel, so every hand-off is an OS wake-up, as with a
// pipe, plus the scheduler's own work.
func ChannelLatency(kind Kind, n int) (time.Duration, error) {
	if err := channelKind("ChannelLatency", kind); err != nil {
		return 0, err
	}
	ping, pong := make(chan int), make(chan int)
	answered := onThread(kind, func() {
		for v := range ping {
			pong <- v
		}
	})
	var took time.Duration
	asked := onThread(kind, func() {
		start := time.Now()
		for i := range n {
			ping <- i
			<-pong
		}
		took = time.Since(start)
		close(ping)
	})
	asked()
	answered()
	return took / time.Duration(max(n, 1)), nil
}

// onThread runs f in a new goroutine, locked to its own OS thread when
// kind is Threads, and returns a function that waits until f has returned.
func onThread(kind Kind, f func()) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if kind == Threads {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
		}
		f()
	}()
	return func() { <-done }
}

// channelKind checks that kind is one that channels connect.
func channelKind(name string, kind Kind) error {
	if kind != Goroutines && kind != Threads {
		return fmt.Errorf("parkit.%s: kind %q has no channels between its workers; use Goroutines or Threads (Pipe%s measures processes)", name, kind, strings.TrimPrefix(name, "Channel"))
	}
	return nil
}

// PipeLatency measures one round trip of one byte to a child process and
// back over a pair of pipes, averaged over n round trips (the child's
// start-up is not counted). Expect tens of microseconds: each trip is two
// writes, two reads and two wake-ups of a sleeping process.
func PipeLatency(n int) (time.Duration, error) {
	c, err := startChild("echo")
	if err != nil {
		return 0, err
	}
	defer c.stop()
	buf := []byte{0}
	start := time.Now()
	for range n {
		if _, err := c.in.Write(buf); err != nil {
			return 0, fmt.Errorf("parkit.PipeLatency: %w", err)
		}
		if _, err := io.ReadFull(c.out, buf); err != nil {
			return 0, fmt.Errorf("parkit.PipeLatency: %w", err)
		}
	}
	return time.Since(start) / time.Duration(max(n, 1)), nil
}

// ChannelThroughput measures how fast data moves over a channel, in bytes
// per second: total bytes in chunks of chunk bytes, between two goroutines
// (kind Goroutines) or two goroutines each locked to its own OS thread
// (kind Threads). To compare fairly with a pipe, which copies each byte
// into the kernel and out again, the sender copies each chunk into a
// buffer and the receiver copies it out; the channel itself only passes a
// slice header (24 bytes).
func ChannelThroughput(kind Kind, total, chunk int) (float64, error) {
	if err := channelKind("ChannelThroughput", kind); err != nil {
		return 0, err
	}
	if total <= 0 || chunk <= 0 {
		return 0, fmt.Errorf("parkit.ChannelThroughput: total %d and chunk %d must both be positive", total, chunk)
	}
	src, dst := make([]byte, chunk), make([]byte, chunk)
	// Why a free list: allocating a fresh chunk per message would measure
	// the allocator and the garbage collector, not the channel.
	const inFlight = 16
	full, free := make(chan []byte, inFlight), make(chan []byte, inFlight)
	for range inFlight {
		free <- make([]byte, chunk)
	}
	received := onThread(kind, func() {
		for b := range full {
			copy(dst, b)
			free <- b
		}
	})
	start := time.Now()
	sent := onThread(kind, func() {
		for n := 0; n < total; n += chunk {
			b := <-free
			copy(b, src)
			full <- b
		}
		close(full)
	})
	sent()
	received()
	return float64(total) / time.Since(start).Seconds(), nil
}

// PipeThroughput measures how fast data moves to a child process through a
// pipe, in bytes per second: total bytes written in chunks of chunk bytes,
// until the child reports it has read them all.
func PipeThroughput(total, chunk int) (float64, error) {
	if total <= 0 || chunk <= 0 {
		return 0, fmt.Errorf("parkit.PipeThroughput: total %d and chunk %d must both be positive", total, chunk)
	}
	c, err := startChild("drain")
	if err != nil {
		return 0, err
	}
	buf := make([]byte, chunk)
	start := time.Now()
	for sent := 0; sent < total; sent += chunk {
		if _, err := c.in.Write(buf); err != nil {
			c.stop()
			return 0, fmt.Errorf("parkit.PipeThroughput: %w", err)
		}
	}
	c.in.Close()
	line, err := c.out.ReadString('\n')
	took := time.Since(start)
	if stopErr := c.stop(); stopErr != nil {
		return 0, stopErr
	}
	if n, _ := strconv.Atoi(strings.TrimSpace(line)); err != nil || n < total {
		return 0, fmt.Errorf("parkit.PipeThroughput: the child read %q bytes of %d (%v)", strings.TrimSpace(line), total, err)
	}
	return float64(total) / took.Seconds(), nil
}
