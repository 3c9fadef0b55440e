package lesson

import (
	"fmt"

	"github.com/parallelize-your-go/kit/parkit"
)

// A Load watches how busy the rest of the machine is while a cell measures
// something that is not an experiment (a creation cost, a round trip):
// call WatchLoad before, Stop after, and pass it to Verdict. The CPU limit
// is read when the watch starts.
type Load struct {
	meter  *parkit.LoadMeter
	limit  parkit.CPULimit
	others float64
}

// WatchLoad starts watching now.
func WatchLoad() *Load {
	return &Load{meter: parkit.StartLoadMeter(), limit: parkit.ReadCPULimit(), others: -1}
}

// Stop ends the watch and returns l, for Verdict(..., l.Stop()).
func (l *Load) Stop() *Load {
	l.others = l.meter.OthersCores()
	return l
}

// OthersCores is the average number of cores other programs used between
// WatchLoad and Stop; -1 if unknown or not stopped yet.
func (l *Load) OthersCores() float64 { return l.others }

// busyOthers is the load above which a watch calls the machine busy, the
// same threshold as a timeline's.
const busyOthers = 0.25

// Caveats says whether other programs were busy while the figures were
// measured, and whether a CPU limit (a quota or an affinity mask) applied.
func (l *Load) Caveats() []string {
	var out []string
	if l.limit.Limited() {
		out = append(out, fmt.Sprintf("this program may use only %s", l.limit))
	}
	if l.others >= busyOthers {
		out = append(out, fmt.Sprintf("other programs used %.1f cores while this was measured: the figures are slower and noisier than this machine can do; rerun when it is quiet", l.others))
	}
	return out
}

// Cores is how many CPUs this program can really use now: the least of
// the CPUs the machine shows, its affinity mask and its cgroup quota.
func Cores() float64 { return parkit.ReadCPULimit().Cores }
