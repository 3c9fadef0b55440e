package parkit

import (
	"fmt"
	"runtime"
	"strings"

	"github.com/parallelize-your-go/kit/parkit/internal/osinfo"
)

// A CPULimit is how many CPUs this process can really use, and why: the
// least of the CPUs the OS reports (runtime.NumCPU), the CPUs in its
// affinity mask (taskset, docker --cpuset-cpus) and its cgroup CPU
// bandwidth quota (docker --cpus, a Kubernetes limit, a Binder pod).
//
// Why it matters: a quota caps the CPU time, not the CPUs one can see, so
// nproc and NumCPU still show every CPU of the machine, and Go's
// container-aware default never sets GOMAXPROCS below 2 for a quota. Under
// a 1-CPU quota on a 2-CPU machine, busy tasks reach a speedup of about 1.
type CPULimit struct {
	Cores     float64 // the limit: min(NumCPU, Affinity, Quota); a quota can make it fractional
	NumCPU    int     // runtime.NumCPU
	Affinity  int     // CPUs in the affinity mask; -1 where unknown
	Quota     float64 // cores' worth of the cgroup quota; 0 if none
	QuotaFile string  // the cgroup file that sets Quota
}

// ReadCPULimit reads this process's CPU limit now. It reads a few files in
// /proc and /sys (tens of microseconds); outside Linux it is NumCPU.
func ReadCPULimit() CPULimit {
	q := osinfo.CgroupQuota()
	l := CPULimit{NumCPU: runtime.NumCPU(), Affinity: osinfo.Affinity(), Quota: q.Cores, QuotaFile: q.File}
	l.Cores = float64(l.NumCPU)
	if l.Affinity > 0 {
		l.Cores = min(l.Cores, float64(l.Affinity))
	}
	if l.Quota > 0 {
		l.Cores = min(l.Cores, l.Quota)
	}
	return l
}

// Limited reports whether something other than the machine's CPU count
// (an affinity mask or a quota) sets the limit.
func (l CPULimit) Limited() bool { return l.Cores < float64(l.NumCPU) }

// String says the limit and what set it: "2 CPUs", or "1 core (a cgroup
// CPU quota; the machine shows 2 CPUs)".
func (l CPULimit) String() string {
	if !l.Limited() {
		return plural(l.NumCPU, "CPU", "CPUs")
	}
	why := "an affinity mask of " + plural(l.Affinity, "CPU", "CPUs")
	if l.Quota > 0 && l.Quota <= l.Cores {
		why = "a cgroup CPU quota"
	}
	return fmt.Sprintf("%s (%s; the machine shows %s)", cores(l.Cores), why, plural(l.NumCPU, "CPU", "CPUs"))
}

// cores says "1 core", "1.5 cores", "2 cores".
func cores(n float64) string {
	if n == 1 {
		return "1 core"
	}
	return fmt.Sprintf("%s cores", trimFloat(n))
}

// trimFloat prints n with at most two decimals and no trailing zeros.
func trimFloat(n float64) string {
	s := fmt.Sprintf("%.2f", n)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	return strings.TrimSuffix(s, ".")
}
