package osinfo

import (
	"runtime"
	"testing"
)

// TestFastCPUAgreesWithGetcpu checks the instruction against the system
// call on a locked thread, where the two can differ only if the kernel
// moved the thread between them.
func TestFastCPUAgreesWithGetcpu(t *testing.T) {
	if _, ok := fastCPU(); !ok {
		t.Skip("no fast CPU read on this machine: CPU uses getcpu(2)")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	agreed := 0
	for range 1000 {
		before := syscallCPU()
		fast, _ := fastCPU()
		if after := syscallCPU(); before == after {
			if fast != before {
				t.Fatalf("fast CPU read %d, getcpu(2) %d before and after", fast, before)
			}
			agreed++
		}
	}
	if agreed == 0 {
		t.Fatal("the thread moved between every pair of reads")
	}
}

func BenchmarkSyscallCPU(b *testing.B) {
	for b.Loop() {
		syscallCPU()
	}
}
