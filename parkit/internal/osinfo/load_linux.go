//go:build linux

package osinfo

import (
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Affinity is the number of CPUs in this thread's affinity mask (taskset,
// docker --cpuset-cpus), or -1 where unknown.
func Affinity() int {
	var set unix.CPUSet
	if unix.SchedGetaffinity(0, &set) != nil {
		return -1
	}
	return set.Count()
}

// MachineBusy is the CPU time that every process on the machine has used
// since boot, all CPUs together (user, nice, system, irq, softirq and
// steal from the "cpu" line of /proc/stat), or -1 where unknown. Its
// resolution is 10 ms per CPU. Reading it costs about 20 µs.
func MachineBusy() time.Duration {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return -1
	}
	return machineBusy(string(data))
}

// RunQueueWait is how long the calling OS thread has waited, runnable, for
// a CPU (the second field of /proc/thread-self/schedstat), or -1 where
// unknown. The caller should be locked to its thread.
func RunQueueWait() time.Duration {
	data, err := os.ReadFile("/proc/thread-self/schedstat")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return -1
	}
	ns, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return -1
	}
	return time.Duration(ns)
}
