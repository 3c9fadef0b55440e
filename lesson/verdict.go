package lesson

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Evidence is what a verdict rests on: anything that can say what a reader
// must know before trusting its figures. *parkit.Timeline and *Load are
// Evidence.
type Evidence interface {
	Caveats() []string
}

// Verdict prints whether this run bears out claim: "✓ as expected: CLAIM
// (FIGURES)" or "✗ not this time: CLAIM (FIGURES)", then one "note:" line
// per distinct caveat of the evidence. When the claim fails and nothing
// explains it, it says so and suggests a rerun. figures should give the
// measured numbers the verdict was computed from.
func Verdict(claim string, holds bool, figures string, evidence ...Evidence) {
	writeVerdict(os.Stdout, claim, holds, figures, evidence...)
}

func writeVerdict(w io.Writer, claim string, holds bool, figures string, evidence ...Evidence) {
	mark := "✓ as expected"
	if !holds {
		mark = "✗ not this time"
	}
	if figures != "" {
		figures = " (" + figures + ")"
	}
	fmt.Fprintf(w, "%s: %s%s\n", mark, claim, figures)
	// Several runs often share a caveat with other figures ("other
	// programs used 1.5 cores", "... 1.6 cores"): keep the first of each.
	var caveats, kinds []string
	for _, e := range evidence {
		for _, c := range e.Caveats() {
			if kind := strings.Map(notDigit, c); !slices.Contains(kinds, kind) {
				caveats, kinds = append(caveats, c), append(kinds, kind)
			}
		}
	}
	for _, c := range caveats {
		fmt.Fprintf(w, "  note: %s\n", c)
	}
	if !holds && len(caveats) == 0 {
		fmt.Fprintln(w, "  note: no busy machine or CPU limit explains it: run the cell again; if it persists, this machine differs from the lesson's expectation")
	}
}

// notDigit drops the digits of a caveat, for comparing its kind.
func notDigit(r rune) rune {
	if '0' <= r && r <= '9' {
		return -1
	}
	return r
}

// Between reports whether lo <= x <= hi: the usual shape of a claim.
func Between(x, lo, hi float64) bool { return lo <= x && x <= hi }

// Figures joins "name value" pairs for Verdict: Figures("speedup %.2fx",
// s, "cores used %.2f", c) is "speedup 1.96x, cores used 1.97".
func Figures(formatsAndValues ...any) string {
	var parts []string
	for i := 0; i+1 < len(formatsAndValues); i += 2 {
		format, _ := formatsAndValues[i].(string)
		parts = append(parts, fmt.Sprintf(format, formatsAndValues[i+1]))
	}
	return strings.Join(parts, ", ")
}
