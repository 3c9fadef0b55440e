//go:build linux

package osinfo

import (
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// TID returns the id of the OS thread running the caller (gettid(2)).
// It costs one system call, about 50-100 ns.
func TID() int { return unix.Gettid() }

// CPU returns the CPU the caller's thread is running on, or -1. The answer
// can be stale the moment it returns: the kernel may move the thread at any
// time. On amd64 processors with RDPID or RDTSCP it costs a few
// nanoseconds (see cpu_linux_amd64.go); elsewhere one system call,
// getcpu(2).
func CPU() int {
	if cpu, ok := fastCPU(); ok {
		return cpu
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

// CPUTime is the CPU time (user + system) this process has used so far,
// all threads together.
func CPUTime() time.Duration {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ChildrenCPUTime is the CPU time (user + system) of this process's
// children that have exited and been waited for.
func ChildrenCPUTime() time.Duration {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_CHILDREN, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ThreadCPUTime is the CPU time the calling OS thread has used; the caller
// should be locked to its thread. 0 where unknown.
func ThreadCPUTime() time.Duration {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
