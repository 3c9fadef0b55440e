package parkit_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"os"
	"os/exec"
	"testing"

	"github.com/parallelize-your-go/kit/parkit"
)

// The process executor beside its floor: a raw pipe echo to a child
// process (this test binary re-executed in echo mode), with the same
// length-prefixed frames and no gob, futures or task lookup. Run both with
//
//	go test -run '^$' -bench 'Process|RawPipe' ./parkit/

const echoEnv = "PARKIT_TEST_ECHO"

func init() {
	if os.Getenv(echoEnv) == "1" {
		echoChild()
	}
}

// echoChild sends back every frame it reads on fd 3 to fd 4, until EOF.
func echoChild() {
	in := bufio.NewReaderSize(os.NewFile(3, "in"), 64<<10)
	out := os.NewFile(4, "out")
	buf := make([]byte, 4, 4+64)
	for {
		if _, err := io.ReadFull(in, buf[:4]); err != nil {
			os.Exit(0)
		}
		n := int(binary.LittleEndian.Uint32(buf))
		if cap(buf) < 4+n {
			buf = append(buf[:4], make([]byte, n)...)
		}
		buf = buf[:4+n]
		if _, err := io.ReadFull(in, buf[4:]); err != nil {
			os.Exit(1)
		}
		if _, err := out.Write(buf); err != nil {
			os.Exit(1)
		}
	}
}

// echoPeer is the parent's end of a raw echo child.
type echoPeer struct {
	cmd *exec.Cmd
	w   *os.File
	r   *bufio.Reader
	rf  *os.File
	buf []byte
}

func startEcho(b *testing.B) *echoPeer {
	reqR, reqW, _ := os.Pipe()
	respR, respW, _ := os.Pipe()
	parkit.GrowPipe(reqW) // the same pipe size as the process executor's
	parkit.GrowPipe(respW)
	cmd := exec.Command("/proc/self/exe")
	cmd.Env = append(os.Environ(), echoEnv+"=1")
	cmd.ExtraFiles = []*os.File{reqR, respW}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	reqR.Close()
	respW.Close()
	return &echoPeer{cmd: cmd, w: reqW, rf: respR, r: bufio.NewReaderSize(respR, 64<<10)}
}

func (p *echoPeer) roundTrip(b *testing.B, payload []byte) {
	frame := binary.LittleEndian.AppendUint32(p.buf[:0], uint32(len(payload)))
	if len(payload) < 16<<10 {
		frame = append(frame, payload...)
		p.buf = frame
		_, err := p.w.Write(frame)
		if err != nil {
			b.Fatal(err)
		}
	} else {
		p.buf = frame
		// Write while reading: the child echoes before it has read all.
		go func() {
			p.w.Write(frame)
			p.w.Write(payload)
		}()
	}
	var n [4]byte
	if _, err := io.ReadFull(p.r, n[:]); err != nil {
		b.Fatal(err)
	}
	back := make([]byte, binary.LittleEndian.Uint32(n[:]))
	if _, err := io.ReadFull(p.r, back); err != nil {
		b.Fatal(err)
	}
}

func (p *echoPeer) close() {
	p.w.Close()
	p.cmd.Wait()
	p.rf.Close()
}

func benchProcesses(b *testing.B, payload []byte) {
	ex, err := parkit.New(parkit.Processes, 1)
	if err != nil {
		b.Fatal(err)
	}
	defer ex.Close()
	parkit.Submit(ex, echoTask, payload).Result() // the worker is up
	b.SetBytes(int64(len(payload)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := parkit.Submit(ex, echoTask, payload).Result(); err != nil {
			b.Fatal(err)
		}
	}
}

func benchRaw(b *testing.B, payload []byte) {
	p := startEcho(b)
	defer p.close()
	p.roundTrip(b, payload)
	b.SetBytes(int64(len(payload)))
	b.ResetTimer()
	for b.Loop() {
		p.roundTrip(b, payload)
	}
}

var tiny = []byte("tiny")

// BenchmarkProcessRoundTrip is one tiny task sent to a worker process and
// its result back: Submit, encode, pipe, run, pipe, decode, Result.
func BenchmarkProcessRoundTrip(b *testing.B) { benchProcesses(b, tiny) }

// BenchmarkProcessPayload1MiB sends 1 MiB to a worker and gets it back.
func BenchmarkProcessPayload1MiB(b *testing.B) { benchProcesses(b, make([]byte, 1<<20)) }

// BenchmarkRawPipeEcho is the floor for both: the same frames echoed by a
// child process, with nothing else.
func BenchmarkRawPipeEcho(b *testing.B) {
	b.Run("tiny", func(b *testing.B) { benchRaw(b, tiny) })
	b.Run("1MiB", func(b *testing.B) { benchRaw(b, make([]byte, 1<<20)) })
}

// BenchmarkProcessMap maps a tiny task over 10,000 inputs on 2 workers:
// batching makes this a few round trips, not 10,000.
func BenchmarkProcessMap(b *testing.B) {
	ex, err := parkit.New(parkit.Processes, 2)
	if err != nil {
		b.Fatal(err)
	}
	defer ex.Close()
	in := make([]int, 10_000)
	for b.Loop() {
		if _, err := parkit.Map(context.Background(), ex, squareTask, in); err != nil {
			b.Fatal(err)
		}
	}
}
