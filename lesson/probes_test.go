package lesson_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/parallelize-your-go/kit/lesson"
	"github.com/parallelize-your-go/kit/parkit"
)

// The measurements that need a child process run it as a parkit worker:
// the test binary, started again, serving lesson's tasks.

func TestCreationCost(t *testing.T) {
	for _, kind := range parkit.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			d, err := lesson.CreationCost(kind, 3)
			if err != nil || d <= 0 {
				t.Fatalf("CreationCost(%s) = %v, %v", kind, d, err)
			}
		})
	}
	if _, err := lesson.CreationCost(parkit.Goroutines, 0); err == nil {
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
			size, err := lesson.MemoryCost(tc.kind, tc.n)
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
			if d, err := lesson.ChannelLatency(kind, 100); err != nil || d <= 0 {
				t.Errorf("ChannelLatency = %v, %v", d, err)
			}
			if r, err := lesson.ChannelThroughput(kind, 1<<20, 64<<10); err != nil || r <= 0 {
				t.Errorf("ChannelThroughput = %v, %v", r, err)
			}
		})
	}
	t.Run("pipes", func(t *testing.T) {
		if d, err := lesson.PipeLatency(100); err != nil || d <= 0 {
			t.Errorf("PipeLatency = %v, %v", d, err)
		}
		if r, err := lesson.PipeThroughput(1<<20, 64<<10); err != nil || r <= 0 {
			t.Errorf("PipeThroughput = %v, %v", r, err)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		if _, err := lesson.ChannelLatency(parkit.Processes, 10); err == nil || !strings.Contains(err.Error(), "PipeLatency") {
			t.Errorf("ChannelLatency(Processes): %v, want an error that points at PipeLatency", err)
		}
		if _, err := lesson.ChannelThroughput(parkit.Goroutines, 1<<20, 0); err == nil {
			t.Error("ChannelThroughput with chunk 0: no error")
		}
		if _, err := lesson.PipeThroughput(1<<20, 0); err == nil {
			t.Error("PipeThroughput with chunk 0: no error")
		}
	})
}

func TestPanicInChild(t *testing.T) {
	for _, kind := range []parkit.Kind{parkit.Goroutines, parkit.Threads} {
		code, line, err := lesson.PanicInChild(kind)
		if err != nil || code != 2 || !strings.HasPrefix(line, "panic: a goroutine panicked") {
			t.Errorf("PanicInChild(%s) = %d, %q, %v; want 2, \"panic: a goroutine panicked...\"", kind, code, line, err)
		}
	}
	if _, _, err := lesson.PanicInChild(parkit.Processes); err == nil {
		t.Error("PanicInChild(Processes): no error")
	}
}

func TestNotes(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	if len(lesson.Notes()) != 0 {
		t.Fatal("notes before any Note")
	}
	lesson.Note("a", "1")
	lesson.Note("b", "2")
	if got := lesson.Notes(); got["a"] != "1" || got["b"] != "2" {
		t.Errorf("Notes() = %v", got)
	}
}

func TestNotedGap(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", t.TempDir()) // where notes live
	lesson.Note("round trip processes", "31.36µs")
	lesson.Note("round trip goroutines", "392ns")
	if gap, ok := lesson.NotedGap("round trip processes", "round trip goroutines"); !ok || gap != 80 {
		t.Errorf("NotedGap = %v, %v; want 80, true", gap, ok)
	}
	if _, ok := lesson.NotedGap("round trip processes", "never noted"); ok {
		t.Error("NotedGap with a missing note: ok")
	}
}
