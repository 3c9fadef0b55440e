package parkit

import "syscall"

// sysProcAttr makes the kernel kill a worker when the thread that started
// it exits (see processPool.spawner): a worker never outlives its parent,
// even when the parent is killed with SIGKILL.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
