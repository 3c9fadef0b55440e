//go:build linux && !amd64

package osinfo

// fastReaders is empty here: CPU makes the getcpu(2) system call.
//
// Why no fast read on arm64: the kernel gives user space no per-CPU value
// there (its vDSO has no getcpu, and no register holds the CPU's number);
// only a thread that registered rseq(2) could read one, and Go does not
// register it. A system call on arm64 costs about 100-300 ns.
func fastReaders(skipRDPID bool) []cpuReader { return nil }
