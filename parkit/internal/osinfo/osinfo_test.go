package osinfo

import (
	"os"
	"runtime"
	"testing"
	"time"
)

func TestThreadAndCPU(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux only")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if TID() <= 0 || TID() != TID() {
		t.Errorf("TID() = %d, not a stable positive id on a locked thread", TID())
	}
	if TID() == os.Getpid() {
		// Fine only on the main thread, which a test goroutine rarely is.
		t.Logf("TID equals PID: running on the main thread")
	}
	if c := CPU(); c < 0 || c >= runtime.NumCPU()*4 {
		t.Errorf("CPU() = %d, out of range", c)
	}
	// Spin until the OS has counted 10ms of CPU time for us; a loaded
	// machine may take longer, but the count must grow.
	start := CPUTime()
	deadline := time.Now().Add(10 * time.Second)
	for CPUTime()-start < 10*time.Millisecond {
		if time.Now().After(deadline) {
			t.Fatalf("CPUTime grew by only %v over 10s of busy looping", CPUTime()-start)
		}
	}
}

func BenchmarkTimeNow(b *testing.B) {
	for b.Loop() {
		time.Now()
	}
}

func BenchmarkTID(b *testing.B) {
	for b.Loop() {
		TID()
	}
}

func BenchmarkCPU(b *testing.B) {
	for b.Loop() {
		CPU()
	}
}
