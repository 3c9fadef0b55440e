// Package wire is the protocol between parkit and its worker processes:
// length-prefixed frames on a pipe of their own (not stdin or stdout, so
// nothing a task prints can corrupt it).
//
// A frame is a 4-byte little-endian body length, then the body: one kind
// byte, the message's fields as varints, length-prefixed strings and
// flag bytes (0 or 1), for
// requests and responses a padding (its length as a varint, then as many
// zero bytes) that starts a large payload 64-byte aligned in the frame,
// and last the payload (task input or output), which runs to the end of
// the frame. A worker first sends a Hello, then answers each Request with
// one Response.
package wire

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// MaxFrame is the largest frame body Read accepts and Write sends: a
// task's input or output must be a little smaller.
const MaxFrame = 256 << 20

// Message kinds: the first byte of a frame body.
const (
	KindHello    byte = 'H'
	KindRequest  byte = 'Q'
	KindResponse byte = 'R'
)

// ErrTooLarge is returned for a frame longer than MaxFrame.
var ErrTooLarge = errors.New("wire: frame too large")

// Hello is a worker's first message: it is serving.
type Hello struct {
	PID int
}

// A Request asks a worker to run the registered task Task on Arg. A batch
// request's Arg holds a chunk of inputs (parkit's Map), to run the task on
// each and answer with all their results at once.
type Request struct {
	ID    uint64
	Task  string
	Batch bool
	Arg   []byte
}

// A Response is the result of the request with the same ID. Times are the
// worker's wall clock in Unix nanoseconds.
type Response struct {
	ID    uint64
	PID   int
	TID   int   // OS thread that ran the task, -1 if unknown
	CPU   int   // CPU it started on, -1 if unknown
	Start int64 // when the task started
	End   int64 // when it returned
	Err   string
	Out   []byte
}

// A Writer writes frames. It is not safe for concurrent use.
type Writer struct {
	w   io.Writer
	buf []byte
}

// NewWriter returns a Writer on w (unbuffered: each message is written at once).
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Why payloads are written separately when large: copying a 1 MiB input
// into the header buffer would cost as much as the pipe write itself.
const inlinePayload = 16 << 10

// Why align large payloads: the kernel copies to and from a pipe in
// pieces that start where the pipe's pages start, which is where a frame
// or a payload written on its own starts; a frame read into a buffer
// aligned like the stream (see Read) then gets every piece 64-byte
// aligned. On AMD EPYC, reading 1 MiB from a pipe into a destination 1 to
// 31 bytes past a 64-byte boundary takes twice as long.
const align = 64

var zeros [align]byte

// frame pads head (for a large payload) and writes it and the payload.
func (w *Writer) frame(head []byte, payload []byte) error {
	pad := 0
	if len(payload) > inlinePayload {
		pad = -(len(head) + 1) & (align - 1) // +1: the padding's length byte
	}
	head = append(head, byte(pad))
	head = append(head, zeros[:pad]...)
	return w.write(head, payload)
}

func (w *Writer) write(head []byte, payload []byte) error {
	n := len(head) - 4 + len(payload)
	if n > MaxFrame {
		return fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, n, MaxFrame)
	}
	binary.LittleEndian.PutUint32(head, uint32(n))
	if len(payload) <= inlinePayload {
		head = append(head, payload...)
		w.buf = head[:0]
		_, err := w.w.Write(head)
		return err
	}
	w.buf = head[:0]
	if _, err := w.w.Write(head); err != nil {
		return err
	}
	_, err := w.w.Write(payload)
	return err
}

func (w *Writer) head(kind byte) []byte {
	return append(w.buf[:0], 0, 0, 0, 0, kind)
}

// WriteHello writes h.
func (w *Writer) WriteHello(h *Hello) error {
	b := binary.AppendVarint(w.head(KindHello), int64(h.PID))
	return w.write(b, nil)
}

// WriteRequest writes r.
func (w *Writer) WriteRequest(r *Request) error {
	b := binary.AppendUvarint(w.head(KindRequest), r.ID)
	b = appendString(b, r.Task)
	b = append(b, boolByte(r.Batch))
	return w.frame(b, r.Arg)
}

// WriteResponse writes r.
func (w *Writer) WriteResponse(r *Response) error {
	b := binary.AppendUvarint(w.head(KindResponse), r.ID)
	for _, v := range []int64{int64(r.PID), int64(r.TID), int64(r.CPU), r.Start, r.End} {
		b = binary.AppendVarint(b, v)
	}
	b = appendString(b, r.Err)
	return w.frame(b, r.Out)
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// A Reader reads frames. It is not safe for concurrent use.
type Reader struct {
	r *bufio.Reader
}

// NewReader returns a Reader on r.
func NewReader(r io.Reader) *Reader { return &Reader{r: bufio.NewReaderSize(r, 64<<10)} }

// Read reads the next frame and returns its body (kind byte first). At a
// clean end between frames it returns io.EOF; a frame cut short is
// io.ErrUnexpectedEOF.
func (r *Reader) Read() ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(r.r, n[:]); err != nil {
		return nil, err
	}
	size := int(binary.LittleEndian.Uint32(n[:]))
	switch {
	case size > MaxFrame:
		return nil, fmt.Errorf("%w: a frame of %d bytes announced, the limit is %d", ErrTooLarge, size, MaxFrame)
	case size == 0:
		return nil, errors.New("wire: empty frame")
	}
	// Why the body keeps room for the length in front of it: the buffer
	// is then laid out like the frame in the stream, aligned to 64 bytes
	// (Go allocates buffers this large on 64-byte boundaries, whole pages
	// above 32 KiB), so a padded payload lands aligned (see align).
	//
	// Why in two steps for large frames: a garbage length must not make
	// us allocate MaxFrame bytes before the data is there.
	const first = 16 << 20
	frame := make([]byte, 4+min(size, first))
	if _, err := io.ReadFull(r.r, frame[4:]); err != nil {
		return nil, noEOF(err)
	}
	if size > first {
		frame = slices.Grow(frame, size-first)[:4+size]
		if _, err := io.ReadFull(r.r, frame[4+first:]); err != nil {
			return nil, noEOF(err)
		}
	}
	return frame[4:], nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// ParseHello parses a frame body of kind KindHello.
func ParseHello(body []byte) (*Hello, error) {
	d := decoder{b: body}
	d.kind(KindHello)
	h := &Hello{PID: d.int()}
	return h, d.done("hello")
}

// ParseRequest parses a frame body of kind KindRequest. Arg aliases body.
func ParseRequest(body []byte) (*Request, error) {
	d := decoder{b: body}
	d.kind(KindRequest)
	r := &Request{ID: d.uvarint(), Task: d.string(), Batch: d.bool()}
	d.padding()
	r.Arg = d.rest()
	return r, d.done("request")
}

// ParseResponse parses a frame body of kind KindResponse. Out aliases body.
func ParseResponse(body []byte) (*Response, error) {
	d := decoder{b: body}
	d.kind(KindResponse)
	r := &Response{ID: d.uvarint(), PID: d.int(), TID: d.int(), CPU: d.int()}
	r.Start, r.End = d.varint(), d.varint()
	r.Err = d.string()
	d.padding()
	r.Out = d.rest()
	return r, d.done("response")
}

// decoder reads fields until the first error, which it keeps.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("wire: "+format, args...)
	}
}

func (d *decoder) kind(want byte) {
	if len(d.b) == 0 || d.b[0] != want {
		d.fail("not a %q frame", want)
		return
	}
	d.b = d.b[1:]
}

func (d *decoder) uvarint() uint64 { return readVarint(d, binary.Uvarint) }

func (d *decoder) varint() int64 { return readVarint(d, binary.Varint) }

// readVarint reads one varint with read (binary.Uvarint or binary.Varint).
// A function, not a method, because methods cannot have type parameters.
func readVarint[T uint64 | int64](d *decoder, read func([]byte) (T, int)) T {
	if d.err != nil {
		return 0
	}
	v, n := read(d.b)
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int {
	v := d.varint()
	if int64(int(v)) != v {
		d.fail("integer %d out of range", v)
	}
	return int(v)
}

func (d *decoder) bool() bool {
	if d.err != nil {
		return false
	}
	if len(d.b) == 0 || d.b[0] > 1 {
		d.fail("bad bool")
		return false
	}
	v := d.b[0] == 1
	d.b = d.b[1:]
	return v
}

func (d *decoder) string() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.fail("string of %d bytes in %d left", n, len(d.b))
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) padding() {
	n := d.uvarint()
	if d.err != nil {
		return
	}
	if n > uint64(len(d.b)) {
		d.fail("padding of %d bytes in %d left", n, len(d.b))
		return
	}
	d.b = d.b[n:]
}

func (d *decoder) rest() []byte {
	if d.err != nil {
		return nil
	}
	b := d.b
	d.b = nil
	return b
}

func (d *decoder) done(what string) error {
	if d.err != nil {
		return fmt.Errorf("%w (decoding a %s)", d.err, what)
	}
	if len(d.b) != 0 {
		return fmt.Errorf("wire: %d bytes after a %s", len(d.b), what)
	}
	return nil
}
