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

const maxLine = 1 << 10 // longer lines are cut in the kept tail

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
			w.partial = append(w.partial, b...)
			break
		}
		w.line(append(w.partial, b[:i]...))
		w.partial = w.partial[:0]
		b = b[i+1:]
	}
	return n, nil
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
// When they hold a Go panic or fatal error, it starts there: the message
// matters more than the end of the stack.
func (w *prefixWriter) tail() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.partial) > 0 {
		w.line(w.partial)
		w.partial = nil
	}
	const show = 12
	lines := w.lines[max(0, len(w.lines)-show):]
	for i, l := range w.lines {
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			lines = w.lines[i:min(i+show, len(w.lines))]
			break
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return "    " + strings.Join(lines, "\n    ")
}
