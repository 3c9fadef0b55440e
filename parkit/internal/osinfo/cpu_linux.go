//go:build linux

package osinfo

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// checkedPrefix starts the mode of a reader that another process of this
// program checked on this machine (see WorkerCPURead).
const checkedPrefix = "checked:"

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
		if name, ok := strings.CutPrefix(mode, checkedPrefix); ok {
			for _, r := range fastReaders(false) {
				if r.name == name {
					return r.read, r.name
				}
			}
			return chooseCPUReader("auto") // not a reader here: check as usual
		}
		return nil, fmt.Sprintf("getcpu(2) (%s=%q is not a mode: use auto, no-rdpid or getcpu)", CPUReadEnv, mode)
	}
	for _, r := range readers {
		if r.available() && agreesWithGetcpu(r.read) {
			return r.read, r.name
		}
	}
	return nil, "getcpu(2)"
}

// WorkerCPURead is the CPUReadEnv mode for a worker process of this
// program on this machine: the reader this process chose and checked,
// which the worker then uses without checking it again. Why: the check
// (CPUID, which a virtual machine traps, and getcpu(2) calls) took about
// 0.7 ms of each worker's start-up on a 2-CPU VM.
func WorkerCPURead() string {
	if cpuRead == nil {
		return "getcpu"
	}
	return checkedPrefix + cpuPath
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
