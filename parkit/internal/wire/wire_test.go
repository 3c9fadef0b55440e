package wire

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	big := bytes.Repeat([]byte{7}, 3<<20) // larger than the inline and first-read sizes
	msgs := []any{
		&Hello{PID: 1234},
		&Request{ID: 1, Task: "parkit.idle", Arg: []byte("arg")},
		&Request{ID: 2, Task: "", Arg: []byte{}},
		&Request{ID: 4, Task: "parkit.sum", Batch: true, Arg: []byte("chunk")},
		&Request{ID: 3, Task: "big", Arg: big},
		&Response{ID: 1, PID: 1234, TID: -1, CPU: -1, Start: 1e18, End: 1e18 + 5, Err: "boom", Out: []byte{}},
		&Response{ID: 9, PID: 1, TID: 2, CPU: 3, Out: big},
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, m := range msgs {
		if err := write(w, m); err != nil {
			t.Fatal(err)
		}
	}
	r := NewReader(&buf)
	for i, want := range msgs {
		body, err := r.Read()
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		got, err := parse(body)
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("message %d: got %+v, want %+v", i, got, want)
		}
	}
	if _, err := r.Read(); err != io.EOF {
		t.Errorf("after the last frame: got %v, want io.EOF", err)
	}
}

// TestPayloadAligned: a large payload starts 64-byte aligned in its frame
// (length included), so reading frames into buffers aligned like the
// stream gets the kernel's copies aligned; small ones are not padded.
func TestPayloadAligned(t *testing.T) {
	for _, n := range []int{0, 100, inlinePayload + 1, 1 << 20} {
		for _, task := range []string{"", "t", "a.longer.task.name"} {
			var buf bytes.Buffer
			if err := NewWriter(&buf).WriteRequest(&Request{ID: 300, Task: task, Arg: make([]byte, n)}); err != nil {
				t.Fatal(err)
			}
			payloadAt := buf.Len() - n
			if aligned := payloadAt%align == 0; n > inlinePayload && !aligned {
				t.Errorf("a %d-byte payload starts at byte %d of its frame, not on a multiple of %d", n, payloadAt, align)
			} else if n <= inlinePayload && payloadAt > 32 {
				t.Errorf("a %d-byte payload starts at byte %d: padded", n, payloadAt)
			}
			body, err := NewReader(&buf).Read()
			if err != nil {
				t.Fatal(err)
			}
			if req, err := ParseRequest(body); err != nil || len(req.Arg) != n || req.Task != task {
				t.Errorf("read back %+v, %v", req, err)
			}
		}
	}
}

func TestBadFrames(t *testing.T) {
	frame := func(body string) string {
		return string(binary.LittleEndian.AppendUint32(nil, uint32(len(body)))) + body
	}
	tests := []struct {
		name, in, want string
	}{
		{"too large", "\xff\xff\xff\x7f", "frame too large"},
		{"empty frame", "\x00\x00\x00\x00", "empty frame"},
		{"cut length", "\x05\x00", "unexpected EOF"},
		{"cut body", "\x05\x00\x00\x00QQ", "unexpected EOF"},
		{"unknown kind", frame("Zjunk"), "unknown frame kind"},
		{"bad varint", frame("R\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"), "bad varint"},
		{"long string", frame("Q\x01\x7fab"), "string of 127 bytes"},
		{"long padding", frame("Q\x01\x00\x00\x05ab"), "padding of 5 bytes"},
		{"bad flag", frame("Q\x01\x00\x02\x00"), "bad bool"},
		{"trailing bytes", frame("H\x02\x00"), "bytes after a hello"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := NewReader(strings.NewReader(tt.in)).Read()
			if err == nil {
				_, err = parse(body)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if err := NewWriter(io.Discard).WriteRequest(&Request{Arg: make([]byte, MaxFrame)}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("writing an oversized request: got %v, want ErrTooLarge", err)
	}
}

// parse decodes any kind of frame body, as the two ends do.
func parse(body []byte) (any, error) {
	if len(body) == 0 {
		return nil, errors.New("wire: empty body")
	}
	switch body[0] {
	case KindHello:
		return ParseHello(body)
	case KindRequest:
		return ParseRequest(body)
	case KindResponse:
		return ParseResponse(body)
	}
	return nil, errors.New("wire: unknown frame kind")
}

// write encodes any kind of message, the inverse of parse.
func write(w *Writer, m any) error {
	switch m := m.(type) {
	case *Hello:
		return w.WriteHello(m)
	case *Request:
		return w.WriteRequest(m)
	case *Response:
		return w.WriteResponse(m)
	}
	return fmt.Errorf("wire: cannot write a %T", m)
}

// FuzzRead feeds arbitrary bytes to the reader and parsers: they must
// return errors, never panic or hang, and whatever parses must re-encode to
// the same message. `go test` runs the seeds below; `go test -fuzz
// FuzzRead ./parkit/internal/wire` explores further.
func FuzzRead(f *testing.F) {
	var seed bytes.Buffer
	w := NewWriter(&seed)
	w.WriteHello(&Hello{PID: 7})
	w.WriteRequest(&Request{ID: 1, Task: "t", Arg: []byte("x")})
	w.WriteRequest(&Request{ID: 2, Task: "t", Batch: true, Arg: []byte("xs")})
	w.WriteResponse(&Response{ID: 1, PID: 7, TID: 8, CPU: -1, Start: 1, End: 2, Err: "e", Out: []byte("y")})
	f.Add(seed.Bytes())
	f.Add([]byte("garbage that a task printed on the wrong fd\n"))
	f.Add([]byte("\xff\xff\xff\xff"))
	f.Add([]byte("\x03\x00\x00\x00R\x80\x80"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data))
		for {
			body, err := r.Read()
			if err != nil {
				return
			}
			m, err := parse(body)
			if err != nil {
				continue
			}
			var buf bytes.Buffer
			if err := write(NewWriter(&buf), m); err != nil {
				t.Fatal(err)
			}
			again, err := NewReader(&buf).Read()
			if err != nil {
				t.Fatal(err)
			}
			m2, err := parse(again)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(normalize(m), normalize(m2)) {
				t.Fatalf("re-encoded %+v as %+v", m, m2)
			}
		}
	})
}

// normalize makes nil and empty payloads equal.
func normalize(m any) any {
	switch m := m.(type) {
	case *Request:
		c := *m
		if len(c.Arg) == 0 {
			c.Arg = nil
		}
		return &c
	case *Response:
		c := *m
		if len(c.Out) == 0 {
			c.Out = nil
		}
		return &c
	}
	return m
}
