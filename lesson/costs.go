package lesson

import (
	"fmt"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// The measurements of notebook 05, one per row of the article's table.
// Each runs one parkit probe per kind, prints one line per kind and keeps
// the figure with Note, so the table cell can show it again.

// byKind runs measure for each kind with its count, prints
// show(figure) and what the count counted (each, a format for the count),
// notes "<row> <kind>" = show(figure), and returns the figures by kind.
func byKind[T any](row, each string, counts map[parkit.Kind]int, measure func(parkit.Kind, int) (T, error), show func(T) string) (map[parkit.Kind]T, error) {
	figures := map[parkit.Kind]T{}
	for _, kind := range parkit.Kinds {
		n, ok := counts[kind]
		if !ok {
			continue
		}
		v, err := measure(kind, n)
		if err != nil {
			return nil, fmt.Errorf("%s, %s: %w", row, kind, err)
		}
		figures[kind] = v
		fmt.Printf("%-10s %14s  ("+each+")\n", kind, show(v), n)
		Note(row+" "+string(kind), show(v))
	}
	return figures, nil
}

// Creation measures what creating one goroutine, OS thread and process
// costs with CreationCost: 10,000 goroutines, 200 threads and 20
// processes (5 in quick mode). About a second in all.
func Creation() (map[parkit.Kind]time.Duration, error) {
	counts := map[parkit.Kind]int{parkit.Goroutines: 10_000, parkit.Threads: 200, parkit.Processes: parkit.ByMode(20, 5)}
	return byKind("create", "average of %d", counts, CreationCost, showDuration)
}

// Memory measures the memory one waiting goroutine, OS thread and process
// takes with MemoryCost: 10,000 goroutines, 200 threads and 5
// processes. About two seconds in all.
func Memory() (map[parkit.Kind]int64, error) {
	counts := map[parkit.Kind]int{parkit.Goroutines: 10_000, parkit.Threads: 200, parkit.Processes: 5}
	return byKind("memory", "average of %d", counts, MemoryCost, func(b int64) string { return fmt.Sprintf("%.1f KiB", float64(b)/1024) })
}

// RoundTrips measures a caller asking a worker for an answer and waiting
// for it, n times: over channels to a goroutine, over channels to a
// goroutine locked to its own OS thread, and over pipes to a child process
// (ChannelLatency and PipeLatency). It prints the average
// round trip per kind.
func RoundTrips(n int) (map[parkit.Kind]time.Duration, error) {
	counts := map[parkit.Kind]int{parkit.Goroutines: n, parkit.Threads: n, parkit.Processes: n}
	measure := func(kind parkit.Kind, n int) (time.Duration, error) {
		if kind == parkit.Processes {
			return PipeLatency(n)
		}
		return ChannelLatency(kind, n)
	}
	return byKind("round trip", "average of %d", counts, measure, showDuration)
}

// Throughput measures how fast total bytes move in chunks of chunk bytes:
// over a channel between two goroutines, between two locked OS threads,
// and through a pipe to a child process (ChannelThroughput and
// PipeThroughput). It prints MB/s per kind.
func Throughput(total, chunk int) (map[parkit.Kind]float64, error) {
	counts := map[parkit.Kind]int{parkit.Goroutines: total / chunk, parkit.Threads: total / chunk, parkit.Processes: total / chunk}
	measure := func(kind parkit.Kind, chunks int) (float64, error) {
		if kind == parkit.Processes {
			return PipeThroughput(chunks*chunk, chunk)
		}
		return ChannelThroughput(kind, chunks*chunk, chunk)
	}
	return byKind("bulk", fmt.Sprintf("%%d chunks of %d KiB", chunk>>10), counts, measure, func(r float64) string { return fmt.Sprintf("%.0f MB/s", r/1e6) })
}

func showDuration(d time.Duration) string { return parkit.Approx(d).String() }

// NotedGap returns how many times slower the figure noted as slow is than
// the one noted as fast, both durations kept with Note by an earlier cell
// (e.g. "round trip processes" over "round trip goroutines"), or false if
// either is missing or unreadable.
func NotedGap(slow, fast string) (float64, bool) {
	notes := Notes()
	s, err1 := time.ParseDuration(notes[slow])
	f, err2 := time.ParseDuration(notes[fast])
	if err1 != nil || err2 != nil || f <= 0 {
		return 0, false
	}
	return float64(s) / float64(f), true
}
