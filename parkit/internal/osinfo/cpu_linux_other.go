//go:build linux && !amd64

package osinfo

// fastCPU is unavailable here: CPU makes the getcpu(2) system call.
func fastCPU() (int, bool) { return 0, false }
