package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCompareDrawsThreeTimelinesOnOneScale(t *testing.T) {
	page := filepath.Join(t.TempDir(), "compare.html")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-workload", "idle", "-duration", "20ms", "-html", page}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	for _, kind := range []string{"goroutines, idle", "threads, idle", "processes, idle"} {
		if !strings.Contains(out, kind) {
			t.Errorf("no %q timeline in:\n%s", kind, out)
		}
	}
	// One scale: every axis line ends with the same time.
	var ends []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "0s ") {
			fields := strings.Fields(line)
			ends = append(ends, fields[len(fields)-1])
		}
	}
	if len(ends) != 3 || ends[0] != ends[1] || ends[1] != ends[2] {
		t.Errorf("axis ends %v, want three equal ones", ends)
	}
	if data, err := os.ReadFile(page); err != nil || !strings.Contains(string(data), "<html") {
		t.Errorf("HTML page: %v", err)
	}
}

func TestCompareRejectsBadFlags(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-folder", "c.html")
	for _, args := range [][]string{
		{"-workload", "nap"}, {"-duration", "-1s"}, {"-duration", "2h"}, {"-nope"},
		{"stray"}, {"-duration", "10ms", "-html", missing},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 || stderr.Len() == 0 || stdout.Len() > 0 {
			t.Errorf("run(%q) = %d with stderr %q and stdout %q, want 2, a message and no run", args, code, stderr.String(), stdout.String())
		}
	}
}
