package parkit

import (
	"context"
	"sync"
	"time"
)

// CalibrateBusy returns the number of BusyTask steps that take about d on
// one core of this machine. The first call measures the loop's speed (about
// 20 ms); later calls reuse it. Calibrate on a quiet machine: a loaded one
// gives fewer steps, and tasks that are shorter when it quiets down.
func CalibrateBusy(d time.Duration) int64 {
	return max(1, int64(d.Seconds()*busyStepsPerSecond()))
}

var busyStepsPerSecond = sync.OnceValue(func() float64 {
	n := int64(1 << 20)
	for {
		start := time.Now()
		busy(context.Background(), n)
		took := time.Since(start)
		if took >= 10*time.Millisecond {
			// Take the best of three at this size: the least disturbed.
			for range 2 {
				start := time.Now()
				busy(context.Background(), n)
				took = min(took, time.Since(start))
			}
			return float64(n) / took.Seconds()
		}
		n *= 2
	}
})
