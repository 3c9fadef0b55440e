package lesson

import (
	"fmt"
	"strings"

	"github.com/parallelize-your-go/kit/parkit"
)

// tableRows are the article's rows, with the Note prefix of the
// figures that answer each and what carried them (for communication).
var tableRows = []struct{ claim, note, via string }{
	{"threads are fast to create, processes slower", "create", ""},
	{"threads share memory and use less of it", "memory", ""},
	{"threads talk fast (a caller asking a worker), processes slowly: one round trip", "round trip", "via"},
	{"... and in bulk", "bulk", "via"},
	{"threads use one core (GIL), processes all: speedup with 4 workers", "speedup", ""},
	{"memory-costly tasks: threads far slower than processes (makespan)", "memory-heavy", ""},
	{"a crashing thread takes all down; a process does not", "crash", ""},
}

// Table returns the article's table as Markdown, filled with the figures
// that notebook 05's cells kept with Note; a figure whose cell has
// not run yet shows as "(run its cell)".
func Table() string {
	notes := Notes()
	var b strings.Builder
	b.WriteString("| The article says | goroutines (Go) | OS threads (Go) | processes (Go) |\n|---|---|---|---|\n")
	for _, row := range tableRows {
		fmt.Fprintf(&b, "| %s |", row.claim)
		for _, kind := range parkit.Kinds {
			v, ok := notes[row.note+" "+string(kind)]
			if !ok {
				v = "(run its cell)"
			} else if row.via != "" {
				v += map[parkit.Kind]string{parkit.Goroutines: " (channel)", parkit.Threads: " (channel)", parkit.Processes: " (pipe)"}[kind]
			}
			fmt.Fprintf(&b, " %s |", v)
		}
		b.WriteString("\n")
	}
	return b.String()
}
