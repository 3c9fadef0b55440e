package parkit

import (
	"testing"
	"time"
)

// BenchmarkStartSpan is the cost of recording one span in a goroutine
// worker: the start record (thread id, CPU) plus the two clock reads a
// task's start and end take. BenchmarkStartSpanLockedThread is the same
// for a thread worker, whose thread id is read once.
func BenchmarkStartSpan(b *testing.B) {
	for b.Loop() {
		s := startSpan(0, -1)
		at := time.Now()
		s.End = time.Since(at)
	}
}

func BenchmarkStartSpanLockedThread(b *testing.B) {
	for b.Loop() {
		s := startSpan(0, 1234)
		at := time.Now()
		s.End = time.Since(at)
	}
}
