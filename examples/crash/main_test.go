package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestCrashFailsOnlyItsOwnTask(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-executor", "processes", "-how", "panic"}, "task 3: its worker process crashed"},
		{[]string{"-executor", "processes", "-how", "exit"}, "task 3: its worker process crashed"},
		{[]string{"-executor", "goroutines", "-how", "panic"}, "task 3: panicked; parkit recovered it"},
		{[]string{"-executor", "threads", "-how", "panic"}, "task 3: panicked; parkit recovered it"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr); code != 0 {
			t.Fatalf("run(%q) = %d: %s", tc.args, code, stderr.String())
		}
		out := stdout.String()
		if !strings.Contains(out, tc.want) || !strings.Contains(out, "7 of 8 tasks succeeded") || !strings.Contains(out, "task 7: 49") {
			t.Errorf("run(%q):\n%s", tc.args, out)
		}
	}
}

func TestCrashRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-how", "explode"}, {"-executor", "fibers"}, {"stray"}, {"-how", "panic", "stray"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 2 || stderr.Len() == 0 || stdout.Len() > 0 {
			t.Errorf("run(%q) = %d with stderr %q and stdout %q, want 2, a message and no run", args, code, stderr.String(), stdout.String())
		}
	}
}
