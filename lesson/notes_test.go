package lesson_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/parallelize-your-go/kit/lesson"
)

// TestNotesStayPrivate: notes go to a folder only this user can open, and
// a symlink planted in the shared temporary folder is never followed.
func TestNotesStayPrivate(t *testing.T) {
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	victimDir := t.TempDir()
	for _, tc := range []struct {
		name  string
		works bool // notes are kept; otherwise Note refuses the place
		plant func(tmp string) error
	}{
		{"nothing planted", true, func(string) error { return nil }},
		{"symlink at the old fixed name", true, func(tmp string) error {
			return os.Symlink(victim, filepath.Join(tmp, "parkit-notes.json"))
		}},
		{"symlink in place of the folder", false, func(tmp string) error {
			return os.Symlink(victimDir, filepath.Join(tmp, "parkit-"+strconv.Itoa(os.Getuid())))
		}},
		{"folder open to all", false, func(tmp string) error {
			dir := filepath.Join(tmp, "parkit-"+strconv.Itoa(os.Getuid()))
			if err := os.Mkdir(dir, 0o777); err != nil {
				return err
			}
			return os.Chmod(dir, 0o777)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("GONB_TMP_DIR", tmp)
			if err := tc.plant(tmp); err != nil {
				t.Fatal(err)
			}
			lesson.Note("speedup", "3.9")
			if b, _ := os.ReadFile(victim); string(b) != "precious" {
				t.Fatalf("Note wrote through a planted symlink: the victim file holds %q", b)
			}
			if left, _ := os.ReadDir(victimDir); len(left) > 0 {
				t.Fatalf("Note wrote into the folder a planted symlink points to: %v", left)
			}
			got := lesson.Notes()["speedup"]
			if !tc.works {
				if got != "" {
					t.Errorf("Notes() read %q from an unsafe place", got)
				}
				return
			}
			if got != "3.9" {
				t.Errorf("Notes()[speedup] = %q, want 3.9", got)
			}
			dir := filepath.Join(tmp, "parkit-"+strconv.Itoa(os.Getuid()))
			if info, err := os.Lstat(dir); err != nil {
				t.Errorf("no notes folder: %v", err)
			} else if !info.IsDir() || info.Mode().Perm() != 0o700 {
				t.Errorf("the notes folder %s has mode %v, want a folder with mode 0700", dir, info.Mode())
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*"))
			for _, f := range files {
				if info, err := os.Stat(f); err == nil && info.Mode().Perm()&0o077 != 0 {
					t.Errorf("%s: mode %v, want no access for others", f, info.Mode())
				}
			}
		})
	}
}
