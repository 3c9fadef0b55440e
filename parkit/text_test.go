package parkit_test

import (
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

func TestPlacement(t *testing.T) {
	tl := &parkit.Timeline{Workers: 2, Spans: []parkit.Span{
		{Worker: 0, PID: 1, TID: 10, CPU: 0},
		{Worker: 1, PID: 1, TID: 11, CPU: 0},
		{Worker: 1, PID: 1, TID: 11, CPU: 1},
		{Worker: -1, PID: -1, TID: -1, CPU: -1}, // never ran
	}}
	if got, want := tl.Placement(), "3 tasks on 2 workers, 1 process, 2 OS threads, 2 CPUs"; got != want {
		t.Errorf("Placement() = %q, want %q", got, want)
	}
}

func TestApprox(t *testing.T) {
	for _, tc := range []struct{ in, want time.Duration }{
		{805, 805},
		{2496543 * time.Nanosecond, 2500 * time.Microsecond},
		{103856 * time.Nanosecond, 104 * time.Microsecond},
		{1234567891 * time.Nanosecond, 1230 * time.Millisecond},
		{-2496543, -2500000},
	} {
		if got := parkit.Approx(tc.in); got != tc.want {
			t.Errorf("Approx(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
