package parkit

import (
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit/internal/osinfo"
)

// spanEpoch stands for an executor's start time.
var spanEpoch = time.Now()

// BenchmarkStartSpan is the cost of recording one span: the start record
// (CPU) plus the two clock reads a task's start and end take (monotonic
// only, as runLocal reads them). That is all a goroutine or thread worker
// pays by default. Its name carries the way this machine reads the CPU
// (osinfo.CPUPath; PARKIT_CPU_READ forces another), and its parts are
// measured alone: the CPU read, and the two clock reads.
// BenchmarkStartSpanWithThreadID adds the gettid a goroutine worker made
// with RecordThreadIDs pays (Experiment does).
func BenchmarkStartSpan(b *testing.B) {
	b.Run("cpu="+osinfo.CPUPath(), func(b *testing.B) {
		for b.Loop() {
			s := startSpan(0, -1)
			s.start = time.Since(spanEpoch)
			s.end = time.Since(spanEpoch)
		}
	})
	b.Run("part=cpu-read", func(b *testing.B) {
		for b.Loop() {
			osinfo.CPU()
		}
	})
	b.Run("part=two-clock-reads", func(b *testing.B) {
		var s Span
		for b.Loop() {
			s.Start = time.Since(spanEpoch)
			s.End = time.Since(spanEpoch)
		}
	})
}

func BenchmarkStartSpanWithThreadID(b *testing.B) {
	for b.Loop() {
		s := startSpan(0, osinfo.TID())
		s.start = time.Since(spanEpoch)
		s.end = time.Since(spanEpoch)
	}
}
