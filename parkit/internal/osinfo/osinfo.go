// Package osinfo reads what the operating system knows about the calling
// thread: its id and the CPU it runs on. Both are -1 where the platform does
// not tell.
package osinfo

import "os"

// PID is this process's id, read once.
var PID = os.Getpid()
