package parkit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
)

// ReadJSON reads a timeline written by WriteJSON, or by another tool in the
// same schema (the notebooks' Python experiment), so that every derived
// figure survives the round trip. Fields a file lacks read as unknown. A
// span's error comes back as a plain error with the same text.
func ReadJSON(r io.Reader) (*Timeline, error) {
	var in timelineJSON
	dec := json.NewDecoder(r)
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("parkit.ReadJSON: %w", err)
	}
	if in.Workers <= 0 {
		return nil, fmt.Errorf("parkit.ReadJSON: \"workers\" is %d: a timeline needs at least one worker", in.Workers)
	}
	tl := &Timeline{
		Executor: in.Executor, Workload: in.Workload, Workers: in.Workers, Tasks: in.Tasks,
		GOMAXPROCS: in.GOMAXPROCS, NumCPU: in.NumCPU,
		Serial: time.Duration(in.SerialNS), CPUTime: time.Duration(in.CPUTimeNS),
		CPULimit: in.CPULimit, OthersCores: -1,
		Spans: make([]Span, len(in.Spans)),
	}
	if in.OthersCores != nil {
		tl.OthersCores = *in.OthersCores
	}
	for i, s := range in.Spans {
		tl.Spans[i] = Span{Task: s.Task, Worker: s.Worker, PID: s.PID, TID: s.TID, CPU: s.CPU,
			Start: time.Duration(s.StartNS), End: time.Duration(s.EndNS)}
		if s.Error != "" {
			tl.Spans[i].Err = errors.New(s.Error)
		}
	}
	return tl, nil
}

// RunJSON runs a command that prints one timeline in the WriteJSON schema
// on its standard output, and reads it: how a notebook draws a timeline
// recorded by another program, such as the article's Python experiment.
// It blocks until the command exits; if the command fails, the error ends
// with the last lines it wrote to standard error.
func RunJSON(ctx context.Context, name string, args ...string) (*Timeline, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("parkit.RunJSON: %s: %w%s", cmd, err, lastLines(stderr.String(), 5))
	}
	tl, err := ReadJSON(&stdout)
	if err != nil {
		return nil, fmt.Errorf("parkit.RunJSON: %s: %w", cmd, err)
	}
	return tl, nil
}

// lastLines returns the last n lines of s, indented, after a newline; ""
// for an empty s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return ""
	}
	lines = lines[max(0, len(lines)-n):]
	return "\n\t" + strings.Join(lines, "\n\t")
}
