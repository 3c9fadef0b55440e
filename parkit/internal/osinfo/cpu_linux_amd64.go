//go:build linux && amd64

package osinfo

// Why an instruction and not getcpu(2): a system call costs 150-250 ns on
// a typical VM, more than the tiny tasks whose spans it records. Linux
// keeps each CPU's number in its TSC_AUX register (the low 12 bits; the
// NUMA node above them), which the RDPID and RDTSCP instructions read in
// a few nanoseconds without entering the kernel, as the vDSO's getcpu
// does. fastCPU is used only if the processor has one of them and its
// answers agree with getcpu(2) at start-up.

// Implemented in cpu_linux_amd64.s.
func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
func rdpid() uint32
func rdtscpAux() uint32

// cpuReader is the fastest way this machine has to read TSC_AUX, or nil.
var cpuReader = chooseCPUReader()

func chooseCPUReader() func() uint32 {
	var read func() uint32
	if maxLeaf, _, _, _ := cpuid(0, 0); maxLeaf >= 7 {
		if _, _, ecx, _ := cpuid(7, 0); ecx&(1<<22) != 0 {
			read = rdpid
		}
	}
	if read == nil {
		if maxExt, _, _, _ := cpuid(0x80000000, 0); maxExt >= 0x80000001 {
			if _, _, _, edx := cpuid(0x80000001, 0); edx&(1<<27) != 0 {
				read = rdtscpAux
			}
		}
	}
	if read == nil || !agreesWithGetcpu(read) {
		return nil
	}
	return read
}

// agreesWithGetcpu checks read against the system call: the thread may
// move between the two reads, so it takes one agreement out of a few
// tries where getcpu(2) read the same CPU before and after.
func agreesWithGetcpu(read func() uint32) bool {
	for range 100 {
		before := syscallCPU()
		got := int(read() & 0xfff)
		after := syscallCPU()
		if before < 0 {
			return false
		}
		if before == after {
			if got == before {
				return true
			}
			return false
		}
	}
	return false
}

func fastCPU() (int, bool) {
	if cpuReader == nil {
		return 0, false
	}
	return int(cpuReader() & 0xfff), true
}
