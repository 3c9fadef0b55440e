// Package bench measures parkit side by side with the best Go worker pools,
// with Python's executors and with the machine's floor (a naive pool of N
// goroutines over a buffered channel, a raw pipe to a child process), in
// one run, so that the ratios hold even on a noisy machine.
//
// Run everything, and write results.md and results.json, from this folder:
//
//	cd bench && go run ./cmd/benchtable
//
// The benchmarks are ordinary Go benchmarks (cd bench && go test -bench .).
// This folder is a Go module of its own (go.mod, with a replace rule to the
// checkout), and only it imports the anchors (pond, conc, ants, errgroup):
// the kit's go.mod does not list them, and a program that uses parkit pulls
// in none of them. Results are not asserted in tests: the machine decides
// them. The table says which goals parkit meets (the goal of each row is in
// specs, cmd/benchtable/rows.go).
package bench
