package osinfo

import (
	"bufio"
	"math"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

// A Quota is a cgroup CPU bandwidth limit: at most Cores CPUs' worth of
// time per period, whatever the number of CPUs (docker run --cpus, a
// Kubernetes CPU limit, a Binder pod). Cores is 0 when there is none.
type Quota struct {
	Cores float64
	File  string // the file that set it, e.g. /sys/fs/cgroup/cpu/x/cpu.cfs_quota_us
}

// CgroupQuota reads this process's cgroup CPU limit (cgroup v1 or v2),
// the tightest one on the path from its cgroup up to the root. It reads a
// few small files in /proc and /sys: tens of microseconds.
func CgroupQuota() Quota {
	cgroups, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return Quota{}
	}
	mounts, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return Quota{}
	}
	return cgroupQuota(string(cgroups), string(mounts), readFile)
}

func readFile(name string) (string, error) {
	b, err := os.ReadFile(name)
	return string(b), err
}

// cgroupQuota finds the cpu controller's directories for the cgroup paths
// in procCgroup (/proc/self/cgroup) under the mounts in mountinfo, and
// returns the tightest limit among them and their ancestors.
func cgroupQuota(procCgroup, mountinfo string, read func(string) (string, error)) Quota {
	best := Quota{}
	consider := func(q Quota) {
		if q.Cores > 0 && (best.Cores == 0 || q.Cores < best.Cores) {
			best = q
		}
	}
	for line := range strings.Lines(procCgroup) {
		// "hierarchy-id:controllers:path"; v2 is "0::path".
		parts := strings.SplitN(strings.TrimSpace(line), ":", 3)
		if len(parts) != 3 {
			continue
		}
		v2 := parts[0] == "0" && parts[1] == ""
		if !v2 && !hasWord(parts[1], ",", "cpu") {
			continue
		}
		root, mountpoint, ok := cgroupMount(mountinfo, v2)
		if !ok {
			continue
		}
		rel, ok := strings.CutPrefix(parts[2], root)
		if !ok {
			rel = parts[2] // a namespaced cgroup path is relative to the mount already
		}
		for dir := path.Join(mountpoint, rel); strings.HasPrefix(dir, mountpoint); dir = path.Dir(dir) {
			if v2 {
				consider(quotaV2(dir, read))
			} else {
				consider(quotaV1(dir, read))
			}
			if dir == mountpoint {
				break
			}
		}
	}
	return best
}

// cgroupMount returns the root and mount point of the cgroup v2 mount, or
// of the v1 mount that has the cpu controller.
func cgroupMount(mountinfo string, v2 bool) (root, mountpoint string, ok bool) {
	sc := bufio.NewScanner(strings.NewReader(mountinfo))
	for sc.Scan() {
		// "id parent maj:min root mountpoint opts [optional...] - fstype source superopts"
		pre, post, found := strings.Cut(sc.Text(), " - ")
		fields, after := strings.Fields(pre), strings.Fields(post)
		if !found || len(fields) < 5 || len(after) < 3 {
			continue
		}
		switch {
		case v2 && after[0] == "cgroup2":
			return fields[3], fields[4], true
		case !v2 && after[0] == "cgroup" && hasWord(after[2], ",", "cpu"):
			return fields[3], fields[4], true
		}
	}
	return "", "", false
}

func hasWord(list, sep, word string) bool {
	for w := range strings.SplitSeq(list, sep) {
		if w == word {
			return true
		}
	}
	return false
}

// quotaV1 reads cpu.cfs_quota_us / cpu.cfs_period_us (quota -1: none).
func quotaV1(dir string, read func(string) (string, error)) Quota {
	file := dir + "/cpu.cfs_quota_us"
	q, err1 := read(file)
	p, err2 := read(dir + "/cpu.cfs_period_us")
	if err1 != nil || err2 != nil {
		return Quota{}
	}
	return ratio(file, strings.TrimSpace(q), strings.TrimSpace(p))
}

// quotaV2 reads cpu.max: "max 100000" (none) or "150000 100000".
func quotaV2(dir string, read func(string) (string, error)) Quota {
	file := dir + "/cpu.max"
	s, err := read(file)
	if err != nil {
		return Quota{}
	}
	f := strings.Fields(s)
	if len(f) != 2 {
		return Quota{}
	}
	return ratio(file, f[0], f[1])
}

func ratio(file, quota, period string) Quota {
	q, err1 := strconv.ParseFloat(quota, 64)
	p, err2 := strconv.ParseFloat(period, 64)
	if err1 != nil || err2 != nil || q <= 0 || p <= 0 || math.IsInf(q, 0) {
		return Quota{}
	}
	return Quota{Cores: q / p, File: file}
}

// clockTick is the unit of /proc/stat: USER_HZ, 100 per second on every
// Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

// machineBusy reads the busy CPU time from the text of /proc/stat.
func machineBusy(stat string) time.Duration {
	line, _, _ := strings.Cut(stat, "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return -1
	}
	var ticks int64
	// user nice system idle iowait irq softirq steal [guest guest_nice]:
	// guest time is already counted in user and nice.
	for _, i := range []int{1, 2, 3, 6, 7, 8} {
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return -1
		}
		ticks += n
	}
	return time.Duration(ticks) * clockTick
}
