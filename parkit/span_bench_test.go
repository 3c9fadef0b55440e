package parkit

import (
	"testing"
	"time"
)

// spanEpoch stands for an executor's start time.
var spanEpoch = time.Now()

// BenchmarkStartSpan is the cost of recording one span in a goroutine
// worker: the start record (thread id, CPU) plus the two clock reads a
// task's start and end take (monotonic only, as runLocal reads them).
// BenchmarkStartSpanLockedThread is the same for a thread worker, whose
// thread id is read once.
func BenchmarkStartSpan(b *testing.B) {
	for b.Loop() {
		s := startSpan(0, -1)
		s.Start = time.Since(spanEpoch)
		s.End = time.Since(spanEpoch)
	}
}

func BenchmarkStartSpanLockedThread(b *testing.B) {
	for b.Loop() {
		s := startSpan(0, 1234)
		s.Start = time.Since(spanEpoch)
		s.End = time.Since(spanEpoch)
	}
}
