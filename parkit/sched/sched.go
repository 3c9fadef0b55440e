package sched

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"
)

// A Sched is the scheduler's view of a run: every running slice of every
// task's goroutine, the stop-the-world pauses, and GOMAXPROCS. Times are
// on the clock of the run's parkit.Timeline: since its executor started;
// in JSON (WriteJSON) they are integers of nanoseconds, named *_ns. The
// fields document the JSON form.
type Sched struct {
	GOMAXPROCS int     `json:"gomaxprocs"`           // during the run (the last value seen)
	Slices     []Slice `json:"slices"`               // in start order
	GC         []Pause `json:"gc"`                   // stop-the-world pauses, in start order
	Untraced   []int   `json:"untraced,omitempty"`   // tasks that ran elsewhere (worker processes): not in the trace
	TraceFile  string  `json:"trace_file,omitempty"` // the trace, for `go tool trace`
	Events     int     `json:"events"`               // events in the trace
	// Moved counts the events whose time x/exp/trace moved later to keep
	// the trace in order (a thread's batch flushed late at a trace
	// generation boundary): slices that touch them start or end a little
	// late. Usually 0; seen with hundreds of thousands of tiny tasks.
	Moved      int           `json:"moved_events"`
	ClockError time.Duration `json:"clock_error_ns"` // how far trace times may be off the timeline's clock
	Tasks      []TaskRun     `json:"tasks"`          // per task: its goroutine and time spent running
}

// A Slice is a stretch of time a task's goroutine ran on one P and one
// OS thread without a break.
type Slice struct {
	Task      int           `json:"task"`      // the task's index in the experiment
	Goroutine int           `json:"goroutine"` // the goroutine's id
	P         int           `json:"p"`         // the runtime's processor, 0..GOMAXPROCS-1
	M         int           `json:"m"`         // the OS thread (the runtime's M id, not the OS tid)
	Start     time.Duration `json:"start_ns"`
	End       time.Duration `json:"end_ns"`
	Ended     string        `json:"end"` // see the End* constants
	Why       string        `json:"why,omitempty"`
}

// Why a slice ended (Slice.Ended).
const (
	EndPreempted = "preempted" // the scheduler took the P for another goroutine (or GC)
	EndYield     = "yield"     // the goroutine gave up the P (runtime.Gosched)
	EndBlocked   = "blocked"   // it waited: channel, lock, sleep, ... (Why says which)
	EndSyscall   = "syscall"   // it entered a system call
	EndDone      = "done"      // the task returned
	EndTraceEnd  = "trace end" // the trace stopped while it ran
)

// A Pause is a stop-the-world pause: no goroutine ran.
type Pause struct {
	Start time.Duration `json:"start_ns"`
	End   time.Duration `json:"end_ns"`
	Why   string        `json:"why"` // e.g. "GC mark termination"
}

// A TaskRun is one task as the trace saw it.
type TaskRun struct {
	Task      int           `json:"task"`
	Goroutine int           `json:"goroutine"`
	Running   time.Duration `json:"running_ns"` // the sum of its slices
}

// Duration returns how long the slice ran.
func (s Slice) Duration() time.Duration { return s.End - s.Start }

// WriteJSON writes s as indented JSON.
func (s *Sched) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(s)
}

// SaveJSON writes s to the file path with WriteJSON: what
// examples/experiment -sched does.
func (s *Sched) SaveJSON(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := s.WriteJSON(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadJSON reads a Sched written by WriteJSON.
func ReadJSON(r io.Reader) (*Sched, error) {
	var s Sched
	if err := json.NewDecoder(r).Decode(&s); err != nil {
		return nil, fmt.Errorf("sched: reading the JSON: %w (was it written by sched.WriteJSON?)", err)
	}
	return &s, nil
}
