package parkit_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependenciesStayLean: a program that only wants a pool pulls in the
// standard library and x/sys, never the charts, GoNB or the notebooks'
// helpers (package lesson depends on parkit, not the reverse).
func TestDependenciesStayLean(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		first, _, _ := strings.Cut(dep, "/")
		switch {
		case strings.Contains(dep, "/kit/lesson"), strings.Contains(dep, "/kit/parkit/chart"):
			t.Errorf("parkit imports %s: notebook and chart code must depend on parkit, not the reverse", dep)
		case strings.Contains(first, ".") && !strings.HasPrefix(dep, "golang.org/x/sys/") &&
			!strings.HasPrefix(dep, "github.com/parallelize-your-go/kit/"):
			t.Errorf("parkit imports %s: it may use only the standard library and golang.org/x/sys", dep)
		}
	}
}
