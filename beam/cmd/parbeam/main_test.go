package main

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestRunBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-tasks", "0"}, "-tasks 0"},
		{[]string{"-steps", "5", "-element", "1s"}, "not both"},
		{[]string{"--runner", "dataflow"}, "Dataflow"},
		{[]string{"--runner", "flink"}, "needs --endpoint"},
		{[]string{"--environment_type", "DOCKER"}, "LOOPBACK"},
		{[]string{"--environment_type", "EXTERNAL"}, "needs --environment_config"},
		{[]string{"-bogus"}, "bogus"},
		{[]string{"extra"}, "unexpected argument"},
	} {
		err := run(context.Background(), tc.args)
		var bad badUsage
		if !errors.As(err, &bad) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run %q: error %v, want a usage error naming %q", tc.args, err, tc.want)
		}
	}
	if _, _, err := serveFlags("jobserver", []string{"-port", "70000"}); err == nil {
		t.Error("-port 70000: no error")
	}
}
