package parkit

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ChannelLatency measures one round trip between two goroutines over
// unbuffered channels (send a value, get one back), averaged over n round
// trips. Expect a few hundred nanoseconds.
func ChannelLatency(n int) time.Duration {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v
		}
		close(pong)
	}()
	start := time.Now()
	for i := range n {
		ping <- i
		<-pong
	}
	took := time.Since(start)
	close(ping)
	<-pong
	return took / time.Duration(max(n, 1))
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

// ChannelThroughput measures how fast data moves between two goroutines, in
// bytes per second: total bytes in chunks of chunk bytes. To compare fairly
// with a pipe, which copies each byte into the kernel and out again, the
// sender copies each chunk into a fresh buffer and the receiver copies it
// out; the channel itself only passes a slice header (24 bytes).
func ChannelThroughput(total, chunk int) float64 {
	src, dst := make([]byte, chunk), make([]byte, chunk)
	// Why a free list: allocating a fresh chunk per message would measure
	// the allocator and the garbage collector, not the channel.
	const inFlight = 16
	full, free := make(chan []byte, inFlight), make(chan []byte, inFlight)
	for range inFlight {
		free <- make([]byte, chunk)
	}
	done := make(chan struct{})
	go func() {
		for b := range full {
			copy(dst, b)
			free <- b
		}
		close(done)
	}()
	start := time.Now()
	for sent := 0; sent < total; sent += chunk {
		b := <-free
		copy(b, src)
		full <- b
	}
	close(full)
	<-done
	return float64(total) / time.Since(start).Seconds()
}

// PipeThroughput measures how fast data moves to a child process through a
// pipe, in bytes per second: total bytes written in chunks of chunk bytes,
// until the child reports it has read them all.
func PipeThroughput(total, chunk int) (float64, error) {
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
