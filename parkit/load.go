package parkit

import (
	"time"

	"github.com/parallelize-your-go/kit/parkit/internal/osinfo"
)

// A LoadMeter measures how busy the rest of the machine is while something
// runs: the CPU time all processes used (/proc/stat) minus this process's
// own and that of its children that exited meanwhile (worker processes,
// after Close). Start it with StartLoadMeter; it costs about 50 µs to
// start and to read.
type LoadMeter struct {
	start   time.Time
	machine time.Duration
	own     time.Duration
}

// StartLoadMeter starts measuring now.
func StartLoadMeter() *LoadMeter {
	return &LoadMeter{start: time.Now(), machine: osinfo.MachineBusy(), own: ownCPUTime()}
}

func ownCPUTime() time.Duration { return osinfo.CPUTime() + osinfo.ChildrenCPUTime() }

// OthersCores is the average number of cores that other processes used
// since the meter started: 0.9 means other programs kept almost one core
// busy. It is -1 where the platform does not tell (not Linux). The machine's
// count has a resolution of 10 ms per CPU, so short stretches are rough.
func (m *LoadMeter) OthersCores() float64 {
	machine := osinfo.MachineBusy()
	wall := time.Since(m.start)
	if machine < 0 || m.machine < 0 || wall <= 0 {
		return -1
	}
	others := (machine - m.machine) - (ownCPUTime() - m.own)
	return max(0, float64(others)/float64(wall))
}
