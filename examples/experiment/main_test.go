package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadFlagsExitWithStatus2: every bad flag is reported before any work
// starts (nothing on stdout), with exit status 2 and a message that names
// only what a command-line user can change.
func TestBadFlagsExitWithStatus2(t *testing.T) {
	t.Setenv("PARKIT_QUICK", "1") // should a bad flag slip through, the run is short
	missing := filepath.Join(t.TempDir(), "no-such-folder", "t.json")
	for _, args := range [][]string{
		{"-bogus"},
		{"-workload", "nap"},
		{"-executor", "fibers"},
		{"-workers", "0"},
		{"-workers", "1000000000"},
		{"-tasks", "-3"},
		{"-tasks", "100000000"},
		{"-width", "0"},
		{"-width", "100000000"},
		{"-json", missing},
		{"-csv", t.TempDir()},
		{"-html", missing},
		{"-sched", missing},
		{"leftover"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 {
			t.Errorf("run(%q) = %d, want 2; stderr:\n%s", args, code, stderr.String())
		}
		if stderr.Len() == 0 || strings.Contains(stderr.String(), "MaxWorkers") {
			t.Errorf("run(%q) printed %q, want an error about the flag", args, stderr.String())
		}
		if stdout.Len() > 0 {
			t.Errorf("run(%q) ran before rejecting the flag:\n%s", args, stdout.String())
		}
	}
}

func TestRunDrawsAndExports(t *testing.T) {
	t.Setenv("PARKIT_QUICK", "1")
	dir := t.TempDir()
	jsonPath, csvPath, htmlPath := filepath.Join(dir, "t.json"), filepath.Join(dir, "t.csv"), filepath.Join(dir, "t.html")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-executor", "threads", "-workload", "idle", "-json", jsonPath, "-csv", csvPath, "-html", htmlPath}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"threads, idle (sleep 200ms), 5 workers, 15 tasks", "worker 4 |", "speedup", "max overlap   5 tasks at once"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	var doc struct {
		Executor string `json:"executor"`
		Spans    []struct {
			Task int `json:"task"`
		} `json:"spans"`
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil || json.Unmarshal(data, &doc) != nil || doc.Executor != "threads" || len(doc.Spans) != 15 {
		t.Errorf("JSON export: %v, %+v", err, doc)
	}
	if data, err := os.ReadFile(csvPath); err != nil || strings.Count(string(data), "\n") != 16 {
		t.Errorf("CSV export: %v, %d lines, want header + 15", err, strings.Count(string(data), "\n"))
	}
	if data, err := os.ReadFile(htmlPath); err != nil || !strings.Contains(string(data), "<html") {
		t.Errorf("HTML export: %v, %d bytes", err, len(data))
	}
}

func TestSchedFlagWritesTheSchedulersView(t *testing.T) {
	t.Setenv("PARKIT_QUICK", "1")
	dir := t.TempDir()
	schedPath, htmlPath := filepath.Join(dir, "s.json"), filepath.Join(dir, "s.html")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-workload", "busy", "-tasks", "5", "-sched", schedPath, "-html", htmlPath}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr.String())
	}
	for _, want := range []string{"P0 |", "preempted", filepath.Join(dir, "s.trace")} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	var doc struct {
		GOMAXPROCS int `json:"gomaxprocs"`
		Slices     []struct {
			Task int    `json:"task"`
			End  string `json:"end"`
		} `json:"slices"`
	}
	data, err := os.ReadFile(schedPath)
	if err != nil || json.Unmarshal(data, &doc) != nil || doc.GOMAXPROCS < 1 || len(doc.Slices) < 5 {
		t.Errorf("-sched JSON: %v, %d slices", err, len(doc.Slices))
	}
	if _, err := os.Stat(filepath.Join(dir, "s.trace")); err != nil {
		t.Errorf("the trace is not kept: %v", err)
	}
	page, err := os.ReadFile(htmlPath)
	if err != nil || !strings.Contains(string(page), `data-parkit-kind="timeline-sched"`) {
		t.Errorf("-html with -sched: %v; want the combined chart", err)
	}
}
