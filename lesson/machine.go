package lesson

import (
	"debug/buildinfo"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"github.com/parallelize-your-go/kit/internal/cpuinfo"
	"github.com/parallelize-your-go/kit/parkit"
)

// A MachineInfo describes the computer a program (or notebook) runs on:
// what decides how much can run in parallel. Get it with Machine.
type MachineInfo struct {
	NumCPU     int             // logical CPUs the OS offers this process (runtime.NumCPU)
	CPULimit   parkit.CPULimit // the CPUs it can really use: affinity, cgroup quota
	GOMAXPROCS int             // OS threads that may run Go code at once
	GoVersion  string          // the Go toolchain that built this program, e.g. "go1.26.8"
	OS, Arch   string          // runtime.GOOS and GOARCH
	CPUModel   string          // from /proc/cpuinfo on Linux; "" where unknown
	GoNB       string          // version of the gonb binary on PATH; "" if none
	Quick      bool            // quick mode (PARKIT_QUICK=1)
}

// Machine reports the facts about this machine that the notebooks print
// at the top. It reads /proc/cpuinfo and the build information of the
// gonb binary on PATH (the GoNB kernel), which costs about a millisecond.
func Machine() MachineInfo {
	return MachineInfo{
		NumCPU:     runtime.NumCPU(),
		CPULimit:   parkit.ReadCPULimit(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		GoVersion:  runtime.Version(),
		OS:         runtime.GOOS,
		Arch:       runtime.GOARCH,
		CPUModel:   cpuinfo.Model(),
		GoNB:       gonbVersion(),
		Quick:      parkit.Quick(),
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
