package parkit

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// Note keeps a measured figure under key, so a later cell of the same
// notebook can show it again: in GoNB every cell runs as a new program, so
// values do not survive from one cell to the next. Notes live in a small
// JSON file in the kernel's temporary folder ($GONB_TMP_DIR, else the
// system's) and last as long as it. Errors are ignored: a note is a
// convenience, never needed for correctness.
func Note(key, value string) {
	notes := Notes()
	notes[key] = value
	if data, err := json.Marshal(notes); err == nil {
		os.WriteFile(notesPath(), data, 0o644)
	}
}

// Notes returns every figure kept with Note (an empty map if none).
func Notes() map[string]string {
	notes := map[string]string{}
	if data, err := os.ReadFile(notesPath()); err == nil {
		json.Unmarshal(data, &notes)
	}
	return notes
}

func notesPath() string {
	dir := os.Getenv("GONB_TMP_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "parkit-notes.json")
}
