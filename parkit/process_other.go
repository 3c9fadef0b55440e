//go:build !linux

package parkit

import "syscall"

// sysProcAttr has no parent-death signal outside Linux: workers exit when
// their request pipe reaches EOF, which happens when the parent dies.
func sysProcAttr() *syscall.SysProcAttr { return nil }
