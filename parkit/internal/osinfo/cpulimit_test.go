package osinfo

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func TestCgroupQuota(t *testing.T) {
	const mountsV1 = `30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
33 30 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`
	const mountsV2 = `25 1 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate
`
	const mountsContainer = `25 1 0:22 /kubepods/pod1 /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw
`
	files := map[string]string{
		// v1: a job cgroup under a parent with a looser limit.
		"/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us":         "-1\n",
		"/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us":        "100000\n",
		"/sys/fs/cgroup/cpu,cpuacct/ci/cpu.cfs_quota_us":      "300000\n",
		"/sys/fs/cgroup/cpu,cpuacct/ci/cpu.cfs_period_us":     "100000\n",
		"/sys/fs/cgroup/cpu,cpuacct/ci/job/cpu.cfs_quota_us":  "150000\n",
		"/sys/fs/cgroup/cpu,cpuacct/ci/job/cpu.cfs_period_us": "100000\n",
		"/sys/fs/cgroup/cpu,cpuacct/free/cpu.cfs_quota_us":    "-1\n",
		"/sys/fs/cgroup/cpu,cpuacct/free/cpu.cfs_period_us":   "100000\n",
		// v2: the parent is tighter than the child.
		"/sys/fs/cgroup/cpu.max":          "max 100000\n",
		"/sys/fs/cgroup/user/cpu.max":     "50000 100000\n",
		"/sys/fs/cgroup/user/app/cpu.max": "200000 100000\n",
		"/sys/fs/cgroup/none/cpu.max":     "max 100000\n",
	}
	read := func(name string) (string, error) {
		if s, ok := files[name]; ok {
			return s, nil
		}
		return "", errors.New("no such file")
	}
	for _, tc := range []struct {
		name, cgroup, mounts string
		cores                float64
		file                 string
	}{
		{"v1 job", "4:memory:/x\n1:cpu,cpuacct:/ci/job\n0::/\n", mountsV1, 1.5, "/sys/fs/cgroup/cpu,cpuacct/ci/job/cpu.cfs_quota_us"},
		{"v1 none", "1:cpu,cpuacct:/free\n0::/\n", mountsV1, 0, ""},
		{"v1 root", "1:cpu,cpuacct:/\n", mountsV1, 0, ""},
		{"v2 parent wins", "0::/user/app\n", mountsV2, 0.5, "/sys/fs/cgroup/user/cpu.max"},
		{"v2 none", "0::/none\n", mountsV2, 0, ""},
		{"v2 namespaced", "0::/user\n", mountsContainer, 0.5, "/sys/fs/cgroup/user/cpu.max"},
		{"v2 mount root stripped", "0::/kubepods/pod1/user\n", mountsContainer, 0.5, "/sys/fs/cgroup/user/cpu.max"},
		{"no cgroup", "", mountsV2, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := cgroupQuota(tc.cgroup, tc.mounts, read)
			if q.Cores != tc.cores || q.File != tc.file {
				t.Errorf("cgroupQuota = %+v, want %v cores from %q", q, tc.cores, tc.file)
			}
		})
	}
}

// TestCgroupQuotaHere reads this machine's real cgroup files: whatever the
// limit, the answer is a sane number of cores, and when the test runs under
// a quota (../shared/tools/cpu-quota), the quota's file is named.
func TestCgroupQuotaHere(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	q := CgroupQuota()
	if q.Cores < 0 || q.Cores > 4096 || (q.Cores > 0) != (q.File != "") {
		t.Fatalf("CgroupQuota() = %+v", q)
	}
	if q.Cores > 0 {
		if _, err := os.Stat(q.File); err != nil || filepath.Base(q.File) == "" {
			t.Errorf("quota file %q: %v", q.File, err)
		}
	}
	t.Logf("quota here: %+v", q)
}

func TestMachineBusy(t *testing.T) {
	const stat = "cpu  14932 7 8982 24430 356 11 221 5 3 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n"
	// user+nice+system+irq+softirq+steal ticks, 10 ms each.
	if got, want := machineBusy(stat), time.Duration(14932+7+8982+11+221+5)*10*time.Millisecond; got != want {
		t.Errorf("machineBusy = %v, want %v", got, want)
	}
	for _, bad := range []string{"", "intr 1 2 3", "cpu 1 2 x 4 5 6 7 8"} {
		if got := machineBusy(bad); got != -1 {
			t.Errorf("machineBusy(%q) = %v, want -1", bad, got)
		}
	}
	if runtime.GOOS != "linux" {
		return
	}
	// Spinning here must show up in the machine's count.
	before := MachineBusy()
	for start := CPUTime(); CPUTime()-start < 50*time.Millisecond; {
	}
	if after := MachineBusy(); after-before < 30*time.Millisecond {
		t.Errorf("MachineBusy grew by %v while this test spun for 50ms of CPU", after-before)
	}
}

func TestAffinity(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	if a := Affinity(); a < 1 || a > runtime.NumCPU() {
		t.Errorf("Affinity() = %d, want 1..NumCPU (%d)", a, runtime.NumCPU())
	}
}
