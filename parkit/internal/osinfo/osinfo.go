// Package osinfo reads what the operating system knows about the calling
// thread: its id and the CPU it runs on. Both are -1 where the platform does
// not tell.
package osinfo

import "os"

// PID is this process's id, read once.
var PID = os.Getpid()

// CPUReadEnv is the internal switch that chooses how CPU reads the CPU:
// unset (or "auto") for the fastest way the machine has, "no-rdpid" to
// act as if the processor lacked RDPID and RDTSCP (the path machines
// without them take), "getcpu" for the system call alone. The benchmark
// table sets it to measure every path on one machine. parkit gives its
// worker processes the mode WorkerCPURead returns.
const CPUReadEnv = "PARKIT_CPU_READ"
