package parkit

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// prefixWriter forwards a worker's output line by line, each line labelled
// with the worker ("[worker 2 pid 1234] "), and keeps its last lines for
// crash reports.
type prefixWriter struct {
	mu      sync.Mutex
	dst     io.Writer
	prefix  string
	partial []byte   // an unfinished line
	keep    int      // how many lines to keep
	lines   []string // the last lines, oldest first
}

const (
	maxLine    = 1 << 10  // longer lines are cut in the kept tail
	maxPartial = 64 << 10 // longer lines are forwarded in pieces of this size
)

func (w *prefixWriter) setPrefix(p string) {
	w.mu.Lock()
	w.prefix = p
	w.mu.Unlock()
}

func (w *prefixWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := len(b)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			// Why in pieces: output without newlines must not pile up
			// in this process's memory.
			for len(w.partial)+len(b) >= maxPartial {
				k := maxPartial - len(w.partial)
				w.line(append(w.partial, b[:k]...))
				w.partial = w.partial[:0]
				b = b[k:]
			}
			w.partial = append(w.partial, b...)
			break
		}
		w.line(append(w.partial, b[:i]...))
		w.partial = w.partial[:0]
		b = b[i+1:]
	}
	return n, nil
}

// flush forwards an unfinished last line: call it once the worker has
// exited.
func (w *prefixWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.flushLocked()
}

func (w *prefixWriter) flushLocked() {
	if len(w.partial) > 0 {
		w.line(w.partial)
		w.partial = w.partial[:0]
	}
}

func (w *prefixWriter) line(l []byte) {
	// Errors writing to our own stdout or stderr are not the worker's
	// problem: forwarding is best effort.
	io.WriteString(w.dst, w.prefix+string(l)+"\n")
	if w.keep > 0 {
		if len(l) > maxLine {
			l = append(l[:maxLine:maxLine], "..."...)
		}
		if len(w.lines) == w.keep {
			w.lines = append(w.lines[:0], w.lines[1:]...)
		}
		w.lines = append(w.lines, string(l))
	}
}

// tail returns the kept lines, an unfinished last line included, indented.
// When they hold a Go panic, fatal error or fatal signal, it starts there:
// the message matters more than the end of the stack or the registers.
func (w *prefixWriter) tail() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.flushLocked()
	const show = 12
	lines := w.lines[max(0, len(w.lines)-show):]
	for i, l := range w.lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") || isSignalLine(l) {
			lines = w.lines[i:min(i+show, len(w.lines))]
			break
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return "    " + strings.Join(lines, "\n    ")
}

// isSignalLine reports whether l is how the Go runtime announces a fatal
// signal: "SIGSEGV: segmentation violation", "SIGABRT: abort".
func isSignalLine(l string) bool {
	name, _, ok := strings.Cut(l, ": ")
	if !ok || len(name) < 4 || !strings.HasPrefix(name, "SIG") {
		return false
	}
	for _, c := range name[3:] {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
