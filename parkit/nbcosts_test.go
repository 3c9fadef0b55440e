package parkit_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/parallelize-your-go/kit/parkit"
)

// The measurements re-execute the test binary as a child; parkit's init
// catches the child before the tests run.

func TestCreationCost(t *testing.T) {
	for _, kind := range parkit.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			d, err := parkit.CreationCost(kind, 3)
			if err != nil || d <= 0 {
				t.Fatalf("CreationCost(%s) = %v, %v", kind, d, err)
			}
		})
	}
	if _, err := parkit.CreationCost(parkit.Goroutines, 0); err == nil {
		t.Error("n=0: no error")
	}
}

func TestMemoryCost(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	for _, tc := range []struct {
		kind parkit.Kind
		n    int
	}{{parkit.Goroutines, 1000}, {parkit.Threads, 10}, {parkit.Processes, 2}} {
		t.Run(string(tc.kind), func(t *testing.T) {
			size, err := parkit.MemoryCost(tc.kind, tc.n)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d bytes each", tc.kind, size) // RSS can shrink meanwhile: no lower bound
			if tc.kind == parkit.Processes && size < 100<<10 {
				t.Errorf("a process takes %d bytes? want at least 100 KiB", size)
			}
		})
	}
}

func TestCommunication(t *testing.T) {
	for _, kind := range []parkit.Kind{parkit.Goroutines, parkit.Threads} {
		t.Run(string(kind), func(t *testing.T) {
			if d, err := parkit.ChannelLatency(kind, 100); err != nil || d <= 0 {
				t.Errorf("ChannelLatency = %v, %v", d, err)
			}
			if r, err := parkit.ChannelThroughput(kind, 1<<20, 64<<10); err != nil || r <= 0 {
				t.Errorf("ChannelThroughput = %v, %v", r, err)
			}
		})
	}
	t.Run("pipes", func(t *testing.T) {
		if d, err := parkit.PipeLatency(100); err != nil || d <= 0 {
			t.Errorf("PipeLatency = %v, %v", d, err)
		}
		if r, err := parkit.PipeThroughput(1<<20, 64<<10); err != nil || r <= 0 {
			t.Errorf("PipeThroughput = %v, %v", r, err)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		if _, err := parkit.ChannelLatency(parkit.Processes, 10); err == nil || !strings.Contains(err.Error(), "PipeLatency") {
			t.Errorf("ChannelLatency(Processes): %v, want an error that points at PipeLatency", err)
		}
		if _, err := parkit.ChannelThroughput(parkit.Goroutines, 1<<20, 0); err == nil {
			t.Error("ChannelThroughput with chunk 0: no error")
		}
		if _, err := parkit.PipeThroughput(1<<20, 0); err == nil {
			t.Error("PipeThroughput with chunk 0: no error")
		}
	})
}

func TestPanicInChild(t *testing.T) {
	for _, kind := range []parkit.Kind{parkit.Goroutines, parkit.Threads} {
		code, line, err := parkit.PanicInChild(kind)
		if err != nil || code != 2 || !strings.HasPrefix(line, "panic: a goroutine panicked") {
			t.Errorf("PanicInChild(%s) = %d, %q, %v; want 2, \"panic: a goroutine panicked...\"", kind, code, line, err)
		}
	}
	if _, _, err := parkit.PanicInChild(parkit.Processes); err == nil {
		t.Error("PanicInChild(Processes): no error")
	}
}

func TestNotes(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	if len(parkit.Notes()) != 0 {
		t.Fatal("notes before any Note")
	}
	parkit.Note("a", "1")
	parkit.Note("b", "2")
	if got := parkit.Notes(); got["a"] != "1" || got["b"] != "2" {
		t.Errorf("Notes() = %v", got)
	}
}
