//go:build unix

package lesson

import (
	"os"

	"golang.org/x/sys/unix"
)

// mkfifo makes a named pipe that only this user can open.
func mkfifo(path string) error { return unix.Mkfifo(path, 0o600) }

// redirectStderr makes f this process's standard error (file descriptor
// 2), where the Go runtime writes a fatal panic's report.
func redirectStderr(f *os.File) error { return unix.Dup2(int(f.Fd()), 2) }
