//go:build !unix

package lesson

import (
	"errors"
	"os"
)

// mkfifo fails: named pipes are a Unix feature.
func mkfifo(string) error {
	return errors.New("named pipes need a Unix system (Linux, macOS)")
}

// redirectStderr does nothing: the panic's report then reaches this
// program's stderr, labelled with the worker.
func redirectStderr(*os.File) error { return nil }
