package parbeam_test

import (
	"context"
	"testing"

	"github.com/parallelize-your-go/kit/beam/parbeam"
)

// BenchmarkOverhead reports the cost of one more element on Beam (Prism,
// embedded) beside parkit's processes and goroutines, measured in the same
// run, and Beam's ratios to them.
func BenchmarkOverhead(b *testing.B) {
	for b.Loop() {
		o, err := parbeam.MeasureOverhead(context.Background(), 100, 3000, 3)
		if err != nil {
			b.Fatal(err)
		}
		gor, proc, bm := o[0].PerElement, o[1].PerElement, o[2].PerElement
		b.ReportMetric(float64(bm.Nanoseconds()), "beam-ns/elem")
		b.ReportMetric(float64(proc.Nanoseconds()), "proc-ns/elem")
		b.ReportMetric(float64(gor.Nanoseconds()), "gor-ns/elem")
		b.ReportMetric(float64(bm)/float64(max(proc, 1)), "beam/proc")
		b.ReportMetric(float64(bm)/float64(max(gor, 1)), "beam/gor")
	}
}
