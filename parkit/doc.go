// Package parkit runs tasks concurrently on goroutines, OS threads or OS
// processes behind one futures-style API, and records when and where each
// task ran, so the difference can be seen on a timeline.
//
// It is the library behind the "Parallelize your Go!" notebooks, a Go
// walk-through of the article "Parallelize your Python!" (2016).
//
// Which executor when:
//   - Goroutines: the default for everything in one program. Tasks cost
//     well under a microsecond; CPU-bound work uses up to GOMAXPROCS cores
//     at once (there is no GIL in Go).
//   - Threads: each worker locked to its own OS thread. Rarely needed in
//     real code (cgo or OS calls that care about the calling thread);
//     here it shows what OS threads cost and look like.
//   - Processes: worker processes with their own memory, which survive
//     each other's crashes (a panic, os.Exit or a kill fails only that
//     task, and the worker is replaced). Tasks must be registered with
//     NewTask in package-level vars (see Task), and their inputs and
//     outputs cross a pipe: a round trip costs tens of microseconds, and a
//     worker takes milliseconds to start.
//
// The pieces:
//   - New, Submit, Go, Map, Completed and Future: run work.
//   - Idle, Busy, BusyFor, Memory: the article's workloads, and NewWorkload.
//   - Experiment and Timeline: the article's experiment, recorded, with
//     derived figures (Speedup, Utilization, MaxOverlap, CoresUsed),
//     WriteJSON, WriteCSV and a plain-text drawing (Text).
//   - TraceTo: record a Go execution trace while an executor runs, with
//     each task marked; parkit/sched derives from it where each task's
//     goroutine really ran (Ps, OS threads, preemptions).
//
// Charts of timelines live in parkit/chart, and what only the notebooks
// use (machine facts, notes between cells, cost probes) in package lesson,
// so a program that only wants a pool pulls in no chart or notebook code.
package parkit
