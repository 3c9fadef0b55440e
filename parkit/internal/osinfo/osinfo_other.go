//go:build !linux

package osinfo

import "time"

// TID returns -1: this platform has no portable thread id.
func TID() int { return -1 }

// CPU returns -1: this platform has no portable getcpu.
func CPU() int { return -1 }

// CPUTime returns 0: not measured on this platform.
func CPUTime() time.Duration { return 0 }
