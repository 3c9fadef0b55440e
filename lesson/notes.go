package lesson

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// Note keeps a measured figure under key, so a later cell of the same
// notebook can show it again: in GoNB every cell runs as a new program, so
// values do not survive from one cell to the next. Notes live in a small
// JSON file in a folder of the kernel's temporary folder ($GONB_TMP_DIR,
// else the system's) that only this user can open, and last as long as
// it. Errors are ignored: a note is a convenience, never needed for
// correctness.
func Note(key, value string) {
	path, err := notesPath()
	if err != nil {
		return
	}
	notes := readNotes(path)
	notes[key] = value
	data, err := json.Marshal(notes)
	if err != nil {
		return
	}
	// Why a new file renamed into place: rename replaces whatever is at
	// path, a symlink included, instead of writing where it points.
	f, err := os.CreateTemp(filepath.Dir(path), "notes-*.json")
	if err != nil {
		return
	}
	_, err = f.Write(data)
	if err = errors.Join(err, f.Close()); err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
}

// Notes returns every figure kept with Note (an empty map if none).
func Notes() map[string]string {
	path, err := notesPath()
	if err != nil {
		return map[string]string{}
	}
	return readNotes(path)
}

func readNotes(path string) map[string]string {
	notes := map[string]string{}
	if data, err := os.ReadFile(path); err == nil {
		json.Unmarshal(data, &notes)
	}
	return notes
}

// notesPath is the notes file in this user's private folder, made with
// mode 0700 if missing. Why private: the temporary folder is shared by
// every local user, who could plant a symlink at a fixed name there.
func notesPath() (string, error) {
	base := os.Getenv("GONB_TMP_DIR")
	if base == "" {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "parkit-"+strconv.Itoa(os.Getuid()))
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", err
	}
	info, err := os.Lstat(dir) // a symlink is refused, not followed
	if err != nil {
		return "", err
	}
	if !info.IsDir() || info.Mode().Perm() != 0o700 || !ownedByMe(info) {
		return "", fmt.Errorf("lesson: %s is not a folder of this user's with mode 0700: remove it", dir)
	}
	return filepath.Join(dir, "notes.json"), nil
}
