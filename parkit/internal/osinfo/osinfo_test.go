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
	start := CPUTime()
	for deadline := time.Now().Add(20 * time.Millisecond); time.Now().Before(deadline); {
	}
	if used := CPUTime() - start; used < 10*time.Millisecond {
		t.Errorf("CPUTime grew by %v over a 20ms busy loop", used)
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
