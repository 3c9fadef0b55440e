//go:build linux && amd64

package osinfo

// Why an instruction and not getcpu(2): a system call costs 150 ns on a
// quiet machine and over a microsecond in some VMs, more than the tiny
// tasks whose spans it records. Linux tells user space the CPU's number
// (the low 12 bits; the NUMA node above them) in two places, and the
// vDSO's getcpu reads them the same way:
//
//   - the TSC_AUX register, read by RDPID or RDTSCP in a few nanoseconds,
//     on processors that have either instruction;
//   - otherwise the limit of a per-CPU segment in the GDT (entry 15,
//     selector 0x7b), read by LSL in about 20 ns on any x86-64 processor.
//
// A reader is used only if its answers agree with getcpu(2) at start-up;
// a parkit worker process uses the reader its parent checked (see
// WorkerCPURead).

// Implemented in cpu_linux_amd64.s.
func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
func rdpid() uint32
func rdtscpAux() uint32
func lsl() uint32

// The readers, fastest first; skipRDPID drops the first two.
var amd64Readers = []cpuReader{
	{"RDPID", hasRDPID, rdpid},
	{"RDTSCP", hasRDTSCP, rdtscpAux},
	{"LSL", func() bool { return true }, lsl},
}

func fastReaders(skipRDPID bool) []cpuReader {
	if skipRDPID {
		return amd64Readers[2:]
	}
	return amd64Readers
}

// hasRDPID reports CPUID.(EAX=7,ECX=0):ECX bit 22.
func hasRDPID() bool {
	if maxLeaf, _, _, _ := cpuid(0, 0); maxLeaf < 7 {
		return false
	}
	_, _, ecx, _ := cpuid(7, 0)
	return ecx&(1<<22) != 0
}

// hasRDTSCP reports CPUID.80000001H:EDX bit 27.
func hasRDTSCP() bool {
	if maxExt, _, _, _ := cpuid(0x80000000, 0); maxExt < 0x80000001 {
		return false
	}
	_, _, _, edx := cpuid(0x80000001, 0)
	return edx&(1<<27) != 0
}
