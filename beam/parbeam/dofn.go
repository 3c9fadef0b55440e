package parbeam

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/parallelize-your-go/kit/parkit"
	"golang.org/x/sys/unix"
)

// Why an init with a side effect: Beam finds DoFns by their registered
// type, and a worker process must register them before it serves. It only
// adds this package's DoFn to Beam's registry.
func init() {
	register.DoFn2x1[context.Context, int, error](&busyFn{})
}

// record is one element's span as a bundle writes it: one JSON line in
// the run's directory, written as soon as the element ends, so the
// elements of a bundle that dies midway are still seen.
type record struct {
	Task    int    `json:"task"`
	Bundle  string `json:"bundle"`
	Host    string `json:"host"`
	PID     int    `json:"pid"`
	TID     int    `json:"tid"`
	CPU     int    `json:"cpu"`
	StartNS int64  `json:"start_ns"` // wall clock, Unix ns: one clock for every process on the machine
	EndNS   int64  `json:"end_ns"`
	Error   string `json:"error,omitempty"`
}

// bundles numbers the bundles this process starts.
var bundles atomic.Int64

// busyFn runs parkit's busy task on each element (a task index) and
// records its span. Beam serializes the exported fields to the workers.
type busyFn struct {
	Dir   string // where the bundles write their records
	Steps int64  // the busy loop's steps per element

	bundle string
	file   *os.File
	out    *bufio.Writer
	host   string
}

// StartBundle names the bundle (Beam does not tell a DoFn its bundle's id)
// and opens its record file.
func (f *busyFn) StartBundle(ctx context.Context) error {
	f.host, _ = os.Hostname()
	n := bundles.Add(1)
	f.bundle = fmt.Sprintf("%s/%d/%d", f.host, os.Getpid(), n)
	name := fmt.Sprintf("bundle-%d-%d.jsonl", os.Getpid(), n)
	var err error
	f.file, err = os.OpenFile(filepath.Join(f.Dir, name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("parbeam: opening the bundle's record file: %w", err)
	}
	f.out = bufio.NewWriter(f.file)
	return nil
}

// ProcessElement runs one busy task and writes its span.
func (f *busyFn) ProcessElement(ctx context.Context, task int) error {
	r := record{Task: task, Bundle: f.bundle, Host: f.host, PID: os.Getpid(), TID: unix.Gettid(), CPU: cpu()}
	r.StartNS = time.Now().UnixNano()
	sum, err := parkit.BusyTask.Call(ctx, f.Steps)
	r.EndNS = time.Now().UnixNano()
	if err == nil && sum != parkit.BusySum(f.Steps) {
		err = fmt.Errorf("parbeam: busy sum %d, want %d", sum, parkit.BusySum(f.Steps))
	}
	if err != nil {
		r.Error = err.Error()
	}
	line, _ := json.Marshal(r)
	f.out.Write(append(line, '\n'))
	// Flushed per element: a worker killed midway leaves what it did.
	if ferr := f.out.Flush(); ferr != nil && err == nil {
		err = fmt.Errorf("parbeam: writing a record: %w", ferr)
	}
	return err
}

// FinishBundle closes the bundle's record file.
func (f *busyFn) FinishBundle(ctx context.Context) error {
	return f.file.Close()
}

// cpu is the CPU this thread runs on, or -1.
func cpu() int {
	var c uint32
	// Why a raw syscall: x/sys/unix has no getcpu wrapper.
	if _, _, errno := unix.RawSyscall(unix.SYS_GETCPU, uintptr(unsafe.Pointer(&c)), 0, 0); errno != 0 {
		return -1
	}
	return int(c)
}
