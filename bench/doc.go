// Package bench measures parkit side by side with the best Go worker pools,
// with Python's executors and with the machine's floor (a naive pool of N
// goroutines over a buffered channel, a raw pipe to a child process), in
// one run, so that the ratios hold even on a noisy machine.
//
// Run everything, and write results.md and results.json, with
//
//	go run ./bench/cmd/benchtable
//
// The benchmarks are ordinary Go benchmarks (go test -bench . ./bench/);
// only this package imports the anchors (pond, conc, ants, errgroup), so a
// program that uses parkit pulls in none of them. Results are not asserted
// in tests: the machine decides them. The table says which goals parkit
// meets (see goals.go in cmd/benchtable).
package bench
