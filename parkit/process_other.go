//go:build !linux

package parkit

import (
	"os"
	"syscall"
)

// sysProcAttr has no parent-death signal outside Linux: workers exit when
// their request pipe reaches EOF, which happens when the parent dies.
func sysProcAttr() *syscall.SysProcAttr { return nil }

// parentDeathSignal: workers must watch for their parent's death.
const parentDeathSignal = false

// growPipe does nothing: only Linux resizes pipes.
func growPipe(*os.File) {}

// killGroup does nothing: outside Linux a worker's own children are not
// tracked, and only the worker is killed.
func killGroup(pid int) {}

// waitExited does nothing: reaping waits.
func waitExited(pid int) {}
