//go:build linux

package osinfo

import (
	"fmt"
	"os"
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// CPUReadEnv is the internal switch that chooses how CPU reads the CPU:
// unset (or "auto") for the fastest way the machine has, "no-rdpid" to
// act as if the processor lacked RDPID and RDTSCP (the path machines
// without them take), "getcpu" for the system call alone. The benchmark
// table sets it to measure every path on one machine.
const CPUReadEnv = "PARKIT_CPU_READ"

// A cpuReader is one way to read the CPU number without a system call.
type cpuReader struct {
	name      string
	available func() bool
	read      func() uint32 // the CPU's number in the low 12 bits
}

// cpuRead is the reader CPU uses (nil: getcpu(2)); cpuPath names it.
var cpuRead, cpuPath = chooseCPUReader(os.Getenv(CPUReadEnv))

func chooseCPUReader(mode string) (func() uint32, string) {
	var readers []cpuReader
	switch mode {
	case "", "auto":
		readers = fastReaders(false)
	case "no-rdpid":
		readers = fastReaders(true)
	case "getcpu":
	default:
		return nil, fmt.Sprintf("getcpu(2) (%s=%q is not a mode: use auto, no-rdpid or getcpu)", CPUReadEnv, mode)
	}
	for _, r := range readers {
		if r.available() && agreesWithGetcpu(r.read) {
			return r.read, r.name
		}
	}
	return nil, "getcpu(2)"
}

// CPUPath names the way CPU reads the CPU on this machine: "RDPID",
// "RDTSCP", "LSL" (the per-CPU segment limit, as the vDSO does without
// RDPID) or "getcpu(2)".
func CPUPath() string { return cpuPath }

// CPU returns the CPU the caller's thread is running on, or -1. The answer
// can be stale the moment it returns: the kernel may move the thread at any
// time. On amd64 it costs a few nanoseconds with RDPID or RDTSCP and about
// 20 ns without them (LSL); elsewhere one system call, getcpu(2), 100 ns
// to over a microsecond. See cpu_linux_amd64.go.
func CPU() int {
	if cpuRead != nil {
		return int(cpuRead() & 0xfff)
	}
	return syscallCPU()
}

// syscallCPU is CPU through getcpu(2).
func syscallCPU() int {
	var cpu uint32
	// Why a raw syscall: x/sys/unix has no getcpu wrapper, and glibc's
	// sched_getcpu would need cgo.
	_, _, errno := unix.RawSyscall(unix.SYS_GETCPU, uintptr(unsafe.Pointer(&cpu)), 0, 0)
	if errno != 0 {
		return -1
	}
	return int(cpu)
}

// agreesWithGetcpu checks read against the system call on a locked
// thread: the thread may move between the reads, so it takes the first
// of a few tries where getcpu(2) read the same CPU before and after.
func agreesWithGetcpu(read func() uint32) bool {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for range 100 {
		before := syscallCPU()
		got := int(read() & 0xfff)
		after := syscallCPU()
		if before < 0 {
			return false
		}
		if before == after {
			return got == before
		}
	}
	return false
}
