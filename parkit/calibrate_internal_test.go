package parkit

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCachedSpeed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	measured := 0
	measure := func() (float64, bool) { measured++; return 1.5e9, true }
	if s := cachedSpeed(dir, "cpu A", measure); s != 1.5e9 || measured != 1 {
		t.Fatalf("first call: %v after %d measurements, want 1.5e9 after 1", s, measured)
	}
	// Another program on the same machine reads it back, measuring nothing.
	if s := cachedSpeed(dir, "cpu A", measure); s != 1.5e9 || measured != 1 {
		t.Errorf("second call: %v after %d measurements, want the cached 1.5e9", s, measured)
	}
	// Another machine sharing the directory gets its own entry.
	if s := cachedSpeed(dir, "cpu B", func() (float64, bool) { return 2e9, true }); s != 2e9 {
		t.Errorf("cpu B: %v, want 2e9", s)
	}
	// A measurement on a busy machine is used, not kept.
	busy := func() (float64, bool) { measured++; return 0.7e9, false }
	if s := cachedSpeed(dir, "cpu C", busy); s != 0.7e9 {
		t.Errorf("cpu C: %v, want 0.7e9", s)
	}
	if s := cachedSpeed(dir, "cpu C", busy); s != 0.7e9 || measured != 3 {
		t.Errorf("cpu C again: %v after %d measurements, want a new measurement (not cached)", s, measured)
	}
	measured = 1
	if s := cachedSpeed(dir, "cpu A", measure); s != 1.5e9 || measured != 1 {
		t.Errorf("cpu A after B: %v after %d measurements", s, measured)
	}
	info, err := os.Stat(dir)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("cache dir %v, %v: want a private 0700 directory", info, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("cache dir holds %d files, want only busy-loop.json (no temporary files left)", len(entries))
	}
	// A damaged file is measured again, not trusted.
	os.WriteFile(filepath.Join(dir, "busy-loop.json"), []byte("{garbage"), 0o600)
	if s := cachedSpeed(dir, "cpu A", measure); s != 1.5e9 || measured != 2 {
		t.Errorf("damaged cache: %v after %d measurements, want a new measurement", s, measured)
	}
	// No cache directory at all only costs a measurement.
	if s := cachedSpeed("", "cpu A", measure); s != 1.5e9 || measured != 3 {
		t.Errorf("no cache: %v after %d measurements", s, measured)
	}
}

func TestShortCount(t *testing.T) {
	for n, want := range map[int64]string{7: "7", 1234: "1.23k", 1_610_000_000: "1.61G", 999_999: "1M", 999_400: "999k"} {
		if got := shortCount(n); got != want {
			t.Errorf("shortCount(%d) = %q, want %q", n, got, want)
		}
	}
}
