package parkit

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// sysProcAttr makes the kernel kill a worker when the thread that started
// it exits (see startOnSpawner): a worker never outlives its parent,
// even when the parent is killed with SIGKILL. Each worker leads a process
// group of its own, so that programs its tasks start can be ended with it
// (see killGroup).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
}

// killGroup kills the process group that worker pid leads: the worker and
// every process its tasks started (unless one left the group). Call it
// only before the worker is reaped: a zombie's pid cannot be reused.
func killGroup(pid int) {
	syscall.Kill(-pid, syscall.SIGKILL)
}

// waitExited waits until process pid has exited, without reaping it, so
// that its group can still be killed safely.
func waitExited(pid int) {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err != unix.EINTR {
			return
		}
	}
}

// parentDeathSignal: the kernel kills workers whose parent dies.
const parentDeathSignal = true

// growPipe enlarges a pipe's buffer from 64 KiB to 1 MiB where allowed
// (best effort): a large task input or output then crosses in a few
// system calls instead of one per 64 KiB, each waking the other process.
func growPipe(f *os.File) {
	if sc, err := f.SyscallConn(); err == nil {
		sc.Control(func(fd uintptr) {
			unix.FcntlInt(fd, unix.F_SETPIPE_SZ, 1<<20)
		})
	}
}
