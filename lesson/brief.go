package lesson

import (
	"fmt"
	"strings"

	"github.com/parallelize-your-go/kit/parkit"
)

// Brief is a run's figures on one line, for a cell that compares several
// runs: "makespan 7.53s, speedup 1.99x, cores used 1.99". An unreliable
// speedup (see parkit.Timeline.Unreliable) is printed as such, never as a
// result; figures that were not measured are left out.
func Brief(tl *parkit.Timeline) string {
	return "makespan " + parkit.Approx(tl.Makespan()).String() + ", " + speedupAndCores(tl)
}

// speedupAndCores is "speedup 1.93x, cores used 1.97", or "speedup
// unreliable (2.41x measured), cores used 1.90" when the run cannot have
// reached it; figures that were not measured are left out.
func speedupAndCores(tl *parkit.Timeline) string {
	var parts []string
	switch s := tl.Speedup(); {
	case s == 0:
	case tl.Unreliable() != "":
		parts = append(parts, fmt.Sprintf("speedup unreliable (%.2fx measured)", s))
	default:
		parts = append(parts, fmt.Sprintf("speedup %.2fx", s))
	}
	if tl.CPUTime > 0 {
		parts = append(parts, fmt.Sprintf("cores used %.2f", tl.CoresUsed()))
	}
	return strings.Join(parts, ", ")
}
