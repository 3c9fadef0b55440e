package parkit

import (
	"debug/buildinfo"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// A MachineInfo describes the computer a program (or notebook) runs on:
// what decides how much can run in parallel. Get it with Machine.
type MachineInfo struct {
	NumCPU     int      // logical CPUs the OS offers this process (runtime.NumCPU)
	CPULimit   CPULimit // the CPUs it can really use: affinity, cgroup quota
	GOMAXPROCS int      // OS threads that may run Go code at once
	GoVersion  string   // the Go toolchain that built this program, e.g. "go1.26.8"
	OS, Arch   string   // runtime.GOOS and GOARCH
	CPUModel   string   // from /proc/cpuinfo on Linux; "" where unknown
	GoNB       string   // version of the gonb binary on PATH; "" if none
	Quick      bool     // quick mode (PARKIT_QUICK=1)
}

// Machine reports the facts about this machine that the notebooks print
// at the top. It reads /proc/cpuinfo and the gonb binary's build
// information, which costs about a millisecond.
func Machine() MachineInfo {
	return MachineInfo{
		NumCPU:     runtime.NumCPU(),
		CPULimit:   ReadCPULimit(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		GoVersion:  runtime.Version(),
		OS:         runtime.GOOS,
		Arch:       runtime.GOARCH,
		CPUModel:   cpuModel(),
		GoNB:       gonbVersion(),
		Quick:      Quick(),
	}
}

// String is the one-line summary the notebooks' setup cells print.
func (m MachineInfo) String() string {
	mode := "default mode (the article's durations)"
	if m.Quick {
		mode = "quick mode (PARKIT_QUICK=1: same shapes, shorter durations)"
	}
	return fmt.Sprintf("%s %s/%s, %s, GOMAXPROCS=%d, %s", m.GoVersion, m.OS, m.Arch, m.CPULimit, m.GOMAXPROCS, mode)
}

// Table lists every fact, one per line.
func (m MachineInfo) Table() string {
	orUnknown := func(s string) string {
		if s == "" {
			return "unknown"
		}
		return s
	}
	var b strings.Builder
	fmt.Fprintf(&b, "CPU model    %s\n", orUnknown(m.CPUModel))
	fmt.Fprintf(&b, "CPUs         %d (logical CPUs the OS gives this process)\n", m.NumCPU)
	fmt.Fprintf(&b, "CPU limit    %s\n", m.CPULimit)
	fmt.Fprintf(&b, "GOMAXPROCS   %d (OS threads running Go code at once)\n", m.GOMAXPROCS)
	fmt.Fprintf(&b, "Go           %s %s/%s\n", m.GoVersion, m.OS, m.Arch)
	fmt.Fprintf(&b, "GoNB         %s\n", orUnknown(m.GoNB))
	fmt.Fprintf(&b, "quick mode   %v (PARKIT_QUICK=1)\n", m.Quick)
	return b.String()
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for line := range strings.Lines(string(data)) {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return ""
}

// gonbVersion reads the module version the gonb binary was built from.
// Why not $GONB_VERSION: GoNB sets it from a constant that can lag behind
// the release it was built from.
func gonbVersion() string {
	path, err := exec.LookPath("gonb")
	if err != nil {
		return ""
	}
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return ""
	}
	if info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	for _, dep := range info.Deps {
		if dep.Path == "github.com/janpfeifer/gonb" {
			return dep.Version
		}
	}
	return ""
}

// Placement says where the timeline's tasks ran, counting distinct values:
// "15 tasks on 5 workers, 1 process, 5 OS threads, 2 CPUs". Tasks that
// never ran are left out; unknown threads or CPUs (-1) are not counted.
func (tl *Timeline) Placement() string {
	workers, pids, tids, cpus := map[int]bool{}, map[int]bool{}, map[[2]int]bool{}, map[int]bool{}
	ran := 0
	for _, s := range tl.Spans {
		if s.Worker < 0 {
			continue
		}
		ran++
		workers[s.Worker], pids[s.PID] = true, true
		if s.TID >= 0 {
			tids[[2]int{s.PID, s.TID}] = true
		}
		if s.CPU >= 0 {
			cpus[s.CPU] = true
		}
	}
	return fmt.Sprintf("%s on %s, %s, %s, %s", plural(ran, "task", "tasks"),
		plural(len(workers), "worker", "workers"), plural(len(pids), "process", "processes"),
		plural(len(tids), "OS thread", "OS threads"), plural(len(cpus), "CPU", "CPUs"))
}

// OSThreads reports how many OS threads this process has now (the
// "Threads:" line of /proc/self/status), or -1 where unknown (not Linux).
func OSThreads() int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for line := range strings.Lines(string(data)) {
		if value, ok := strings.CutPrefix(line, "Threads:"); ok {
			var n int
			if _, err := fmt.Sscan(value, &n); err == nil {
				return n
			}
		}
	}
	return -1
}

// Approx rounds d to three significant digits, for printing measured
// figures without false precision: 2.496543ms -> 2.5ms, 805ns -> 805ns.
func Approx(d time.Duration) time.Duration {
	unit := time.Duration(1)
	for abs := max(d, -d); abs >= 1000*unit; unit *= 10 {
	}
	return d.Round(unit)
}
