package lesson

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// ChannelLatency measures one round trip over unbuffered channels (send a
// value, get one back), averaged over n round trips, between two goroutines
// (kind Goroutines) or two goroutines each locked to its own OS thread
// (kind Threads). Expect a few hundred nanoseconds for goroutines: the Go
// scheduler hands the value over without the kernel. Expect tens of
// microseconds for locked threads: a thread that waits on a channel goes
// to sleep in the kernel, so every hand-off is an OS wake-up, as with a
// pipe, plus the scheduler's own work.
func ChannelLatency(kind parkit.Kind, n int) (time.Duration, error) {
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
func onThread(kind parkit.Kind, f func()) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if kind == parkit.Threads {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
		}
		f()
	}()
	return func() { <-done }
}

// channelKind checks that kind is one that channels connect.
func channelKind(name string, kind parkit.Kind) error {
	if kind != parkit.Goroutines && kind != parkit.Threads {
		return fmt.Errorf("lesson.%s: kind %q has no channels between its workers; use Goroutines or Threads (Pipe%s measures processes)", name, kind, strings.TrimPrefix(name, "Channel"))
	}
	return nil
}

// PipeLatency measures one round trip of one byte to a child process and
// back over a pair of pipes, averaged over n round trips (the child's
// start-up is not counted). The child is a worker process of a
// parkit.Processes executor (this program, started again) that echoes
// what it reads. Expect tens of microseconds: each trip is two writes, two
// reads and two wake-ups of a sleeping process.
func PipeLatency(n int) (took time.Duration, err error) {
	err = inWorkers(1, func(ex *parkit.Executor) error {
		l, err := newLink()
		if err != nil {
			return err
		}
		defer l.close()
		f := l.start(ex, "echo")
		buf := []byte{0}
		// The first trip waits for the child to start: not counted.
		if err := roundTrip(l, buf); err != nil {
			return errors.Join(err, f.Err())
		}
		start := time.Now()
		for range n {
			if err := roundTrip(l, buf); err != nil {
				return errors.Join(err, f.Err())
			}
		}
		took = time.Since(start) / time.Duration(max(n, 1))
		l.closeRequests()
		return f.Err()
	})
	if err != nil {
		return 0, fmt.Errorf("lesson.PipeLatency: %w", err)
	}
	return took, nil
}

// roundTrip sends buf to the echoing child and reads it back.
func roundTrip(l *link, buf []byte) error {
	if _, err := l.req.Write(buf); err != nil {
		return err
	}
	_, err := io.ReadFull(l.resp, buf)
	return err
}

// ChannelThroughput measures how fast data moves over a channel, in bytes
// per second: total bytes in chunks of chunk bytes, between two goroutines
// (kind Goroutines) or two goroutines each locked to its own OS thread
// (kind Threads). To compare fairly with a pipe, which copies each byte
// into the kernel and out again, the sender copies each chunk into a
// buffer and the receiver copies it out; the channel itself only passes a
// slice header (24 bytes).
func ChannelThroughput(kind parkit.Kind, total, chunk int) (float64, error) {
	if err := channelKind("ChannelThroughput", kind); err != nil {
		return 0, err
	}
	if total <= 0 || chunk <= 0 {
		return 0, fmt.Errorf("lesson.ChannelThroughput: total %d and chunk %d must both be positive", total, chunk)
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
// until the child (a worker process of a parkit.Processes executor) has
// read them all and said so. The child's start-up is not counted.
func PipeThroughput(total, chunk int) (rate float64, err error) {
	if total <= 0 || chunk <= 0 {
		return 0, fmt.Errorf("lesson.PipeThroughput: total %d and chunk %d must both be positive", total, chunk)
	}
	err = inWorkers(1, func(ex *parkit.Executor) error {
		// Why a first task: to start the worker process before the clock.
		if err := parkit.Submit(ex, emptyTask, 0).Err(); err != nil {
			return err
		}
		l, err := newLink()
		if err != nil {
			return err
		}
		defer l.close()
		buf := make([]byte, chunk)
		start := time.Now()
		f := l.start(ex, "drain")
		for sent := 0; sent < total; sent += chunk {
			if _, err := l.req.Write(buf); err != nil {
				return errors.Join(err, f.Err())
			}
		}
		l.closeRequests()
		n, err := f.Result()
		took := time.Since(start)
		if err == nil && n < int64(total) {
			err = fmt.Errorf("the child read %d bytes of %d", n, total)
		}
		rate = float64(total) / took.Seconds()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("lesson.PipeThroughput: %w", err)
	}
	return rate, nil
}
