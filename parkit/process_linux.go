package parkit

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// sysProcAttr makes the kernel kill a worker when the thread that started
// it exits (see startOnOwnThread): a worker never outlives its parent,
// even when the parent is killed with SIGKILL.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
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
