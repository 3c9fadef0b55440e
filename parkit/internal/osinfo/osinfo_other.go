//go:build !linux

package osinfo

import "time"

// TID returns -1: this platform has no portable thread id.
func TID() int { return -1 }

// CPU returns -1: this platform has no portable getcpu.
func CPU() int { return -1 }

// CPUTime returns 0: not measured on this platform.
func CPUTime() time.Duration { return 0 }

// Affinity returns -1: unknown on this platform.
func Affinity() int { return -1 }

// MachineBusy returns -1: unknown on this platform.
func MachineBusy() time.Duration { return -1 }

// ChildrenCPUTime returns 0: not measured on this platform.
func ChildrenCPUTime() time.Duration { return 0 }

// ThreadCPUTime returns 0: not measured on this platform.
func ThreadCPUTime() time.Duration { return 0 }

// CPUPath names how CPU reads the CPU: here it does not.
func CPUPath() string { return "none" }

// WorkerCPURead is "": CPU reads nothing here, so workers need no mode.
func WorkerCPURead() string { return "" }
