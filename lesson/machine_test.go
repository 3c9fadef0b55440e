package lesson_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/parallelize-your-go/kit/lesson"
)

func TestMachine(t *testing.T) {
	m := lesson.Machine()
	if m.NumCPU < 1 || m.GOMAXPROCS < 1 || !strings.HasPrefix(m.GoVersion, "go") {
		t.Errorf("Machine() = %+v", m)
	}
	for _, s := range []string{m.String(), m.Table()} {
		if !strings.Contains(s, "GOMAXPROCS") {
			t.Errorf("%q does not mention GOMAXPROCS", s)
		}
	}
}

func TestOSThreads(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	if n := lesson.OSThreads(); n < 1 {
		t.Errorf("OSThreads() = %d, want at least 1", n)
	}
}
