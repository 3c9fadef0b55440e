// Package lesson holds what the notebooks need beside parkit: verdicts
// that compare the figures a cell has just measured with what the lesson
// expects, and say so when a busy machine or a CPU limit explains a
// difference.
//
// Why a package of its own: a notebook's prose can only state an
// expectation; whether this run met it depends on the reader's machine
// (its cores, its CPU quota, the other programs on it). So the prose says
// what to expect and why, and the cell prints the verdict:
//
//	tl, _ := parkit.Experiment{Workers: 2, Tasks: 4, Workload: parkit.ArticleBusy()}.Run(ctx)
//	lesson.Verdict("two busy workers on two free cores run about twice as fast",
//		tl.Speedup() >= 0.8*tl.MaxSpeedup(), fmt.Sprintf("speedup %.2fx", tl.Speedup()), tl)
//
// prints "✓ as expected: ..." or "✗ not this time: ...", then a note for
// each caveat of the evidence (a *parkit.Timeline, or a *Load watched
// around any other measurement). It depends on parkit, never the reverse.
//
// It also holds the rest of what only the notebooks use, so that parkit
// stays an executor library:
//   - Machine: the facts the notebooks print first (CPUs, CPU limit,
//     GOMAXPROCS, Go and GoNB versions); OSThreads.
//   - Note and Notes: figures kept from one cell for a later one (each
//     GoNB cell is a new program).
//   - Notebook 05's probes: CreationCost, MemoryCost, ChannelLatency,
//     PipeLatency, ChannelThroughput, PipeThroughput and PanicInChild.
//     Those that need a second process run its side as tasks registered
//     here (package-level vars) in a parkit.Processes worker: parkit's one
//     way of starting this program again. Importing lesson starts nothing.
package lesson
