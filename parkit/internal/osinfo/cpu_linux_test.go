package osinfo

import (
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestFastReadersAgreeWithGetcpu pins a locked thread to each CPU it may
// run on in turn, where the thread cannot move, and checks that every
// reader this processor has gives the same CPU as getcpu(2): the RDPID
// path, and the fallback that machines without RDPID take.
func TestFastReadersAgreeWithGetcpu(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var allowed unix.CPUSet
	if err := unix.SchedGetaffinity(0, &allowed); err != nil {
		t.Fatal(err)
	}
	// Why restore: the test thread goes back to the runtime's pool after
	// UnlockOSThread, and must not stay pinned.
	defer unix.SchedSetaffinity(0, &allowed)
	readers := fastReaders(false)
	if len(readers) == 0 {
		t.Skipf("no fast CPU read on %s: CPU uses getcpu(2)", runtime.GOARCH)
	}
	for _, r := range readers {
		t.Run(r.name, func(t *testing.T) {
			if !r.available() {
				t.Skipf("this processor lacks %s", r.name)
			}
			checked := 0
			for cpu := range 1024 {
				if !allowed.IsSet(cpu) {
					continue
				}
				var one unix.CPUSet
				one.Set(cpu)
				if err := unix.SchedSetaffinity(0, &one); err != nil {
					t.Fatalf("pinning to CPU %d: %v", cpu, err)
				}
				if got := syscallCPU(); got != cpu {
					t.Fatalf("pinned to CPU %d, getcpu(2) says %d", cpu, got)
				}
				if got := int(r.read() & 0xfff); got != cpu {
					t.Errorf("pinned to CPU %d: %s read %d", cpu, r.name, got)
				}
				checked++
			}
			if checked == 0 {
				t.Fatal("no CPU in this thread's affinity mask")
			}
		})
	}
}

// TestChooseCPUReader checks the internal switch: no-rdpid never picks
// RDPID or RDTSCP, getcpu picks the system call, a typo says so, and a
// worker given WorkerCPURead uses this process's reader.
func TestChooseCPUReader(t *testing.T) {
	_, auto := chooseCPUReader("auto")
	mine := cpuPath // this process's reader, as a worker of it gets it
	if cpuRead == nil {
		mine = "getcpu(2)"
	}
	for _, tc := range []struct {
		mode   string
		reject []string
		want   string // "" for any
	}{
		{"", nil, ""},
		{"no-rdpid", []string{"RDPID", "RDTSCP"}, ""},
		{"getcpu", nil, "getcpu(2)"},
		{"rdpdi", nil, `getcpu(2) (PARKIT_CPU_READ="rdpdi" is not a mode: use auto, no-rdpid or getcpu)`},
		{"checked:nonesuch", nil, auto}, // not a reader here: checked as usual
		{WorkerCPURead(), nil, mine},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			read, path := chooseCPUReader(tc.mode)
			if tc.want != "" && path != tc.want {
				t.Errorf("path %q, want %q", path, tc.want)
			}
			for _, bad := range tc.reject {
				if path == bad {
					t.Errorf("mode %q chose %s", tc.mode, path)
				}
			}
			if (read == nil) != strings.HasPrefix(path, "getcpu") {
				t.Errorf("path %q does not match the reader chosen", path)
			}
		})
	}
}

func BenchmarkSyscallCPU(b *testing.B) {
	for b.Loop() {
		syscallCPU()
	}
}

// BenchmarkReader is each fast reader this processor has.
func BenchmarkReader(b *testing.B) {
	for _, r := range fastReaders(false) {
		if !r.available() {
			continue
		}
		b.Run(r.name, func(b *testing.B) {
			for b.Loop() {
				r.read()
			}
		})
	}
}
