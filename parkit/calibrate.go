package parkit

import (
	"context"
	"sync"
	"time"
)

// CalibrateBusy returns the number of BusyTask steps that take about d on
// one core of this machine. The first call warms the CPU up and measures
// the loop's speed (about half a second); later calls reuse it. Calibrate on
// a quiet machine: a loaded one gives fewer steps, and tasks that are
// shorter when it quiets down.
func CalibrateBusy(d time.Duration) int64 {
	return max(1, int64(d.Seconds()*busyStepsPerSecond()))
}

// calibrationWarmUp is how long the loop runs before it is timed.
//
// Why: a CPU that has been idle runs slowly and speeds up after some load
// (frequency scaling, on laptops and on cloud machines alike). Seen here:
// 0.7 billion steps/s from idle, 1.6 billion after about 200 ms of load.
// Timed cold, "1 s" tasks took 0.46 s once the CPU had sped up, and the
// experiment's serial baseline, timed at another speed, gave speedups
// such as 2.6x on 2 cores.
const calibrationWarmUp = 400 * time.Millisecond

var busyStepsPerSecond = sync.OnceValue(func() float64 {
	for warm := time.Now().Add(calibrationWarmUp); time.Now().Before(warm); {
		busy(context.Background(), 1<<20)
	}
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
