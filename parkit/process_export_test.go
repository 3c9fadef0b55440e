package parkit

import (
	"io"
	"os"
	"strconv"
)

// Hooks for the process executor's tests (package parkit_test).

// SetWorkerExe makes New start path as the worker binary ("" restores).
func SetWorkerExe(path string) { workerExe = path }

// MaxPayloadEnv lowers the payload limit in the test binary and its
// workers, so "result too large" can be tested without 256 MiB results.
const MaxPayloadEnv = "PARKIT_TEST_MAX_PAYLOAD"

func init() {
	// Runs in workers too: this file's package initializes before the
	// external test package, whose last task starts the worker serving.
	if n, err := strconv.Atoi(os.Getenv(MaxPayloadEnv)); err == nil {
		maxPayload = n
	}
}

// SetMaxPayload sets the payload limit here and, through the environment,
// in workers started afterwards; it returns a function that undoes it.
func SetMaxPayload(n int) (restore func()) {
	old := maxPayload
	maxPayload = n
	os.Setenv(MaxPayloadEnv, strconv.Itoa(n))
	return func() { maxPayload = old; os.Unsetenv(MaxPayloadEnv) }
}

// GrowPipe enlarges a pipe as the process executor does, for the raw-pipe
// floor benchmark.
func GrowPipe(f *os.File) { growPipe(f) }

// WorkerOutputBuffered writes n bytes without a newline, in pieces of
// 32 KiB, through a worker's output forwarder, and returns how many bytes
// it holds at most meanwhile.
func WorkerOutputBuffered(n int) int {
	w := &prefixWriter{dst: io.Discard, prefix: "[worker 0] "}
	piece := make([]byte, 32<<10)
	most := 0
	for ; n > 0; n -= len(piece) {
		w.Write(piece[:min(n, len(piece))])
		most = max(most, cap(w.partial))
	}
	return most
}

// Spawners reports how many spawner threads exist, and how many may.
func Spawners() (now, most int) { return countSpawners(), maxSpawners }
