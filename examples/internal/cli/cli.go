// Package cli holds the checks the example programs share: each checks
// every flag before it starts work, so a typo costs a second, not a run.
package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// CheckOutput reports whether a file can be written at path, without
// changing what is there: an existing file must be a writable file, a new
// one must go in an existing folder that can be written to.
func CheckOutput(path string) error {
	if info, err := os.Stat(path); err == nil {
		if info.IsDir() {
			return fmt.Errorf("%s is a folder: give a file name", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		return f.Close()
	}
	dir := filepath.Dir(path)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("%s: the folder %s does not exist: create it first", path, dir)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("%s: cannot write in %s: %w", path, dir, errors.Unwrap(err))
	}
	f.Close()
	return os.Remove(f.Name())
}
