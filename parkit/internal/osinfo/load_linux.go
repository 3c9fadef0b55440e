//go:build linux

package osinfo

import (
	"os"
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
