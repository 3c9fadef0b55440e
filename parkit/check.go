package parkit

import "fmt"

// How far a figure may pass what is physically possible before a timeline
// calls it unreliable: 10%, plus 0.1 core of slack for small figures.
// Why slack at all: the OS counts CPU time in ticks, and two runs of the
// same loop differ by a few percent on any machine.
const (
	tolerance = 0.10
	slack     = 0.1
)

// busyOthers is how many cores other programs must use during a run
// before a timeline says the machine was busy.
const busyOthers = 0.25

// CPUBound reports whether the tasks mostly computed rather than waited:
// the run used at least half as much CPU time as its serial time (busy
// tasks use about as much; idle tasks almost none), or, without a serial
// baseline (SkipSerial), kept at least half a core busy throughout. False
// if the CPU time was not measured.
func (tl *Timeline) CPUBound() bool {
	switch {
	case tl.CPUTime <= 0:
		return false
	case tl.Serial > 0:
		return 2*tl.CPUTime >= tl.Serial
	default:
		return 2*tl.CPUTime >= tl.Makespan()
	}
}

// MaxSpeedup is the highest speedup this run could reach. Tasks run in
// waves of Workers (15 equal tasks on 5 workers take 3 waves: at most 5x);
// busy tasks also keep at most CPULimit cores busy, and goroutines and
// threads at most GOMAXPROCS. 0 if the timeline has no tasks.
func (tl *Timeline) MaxSpeedup() float64 {
	if tl.Tasks <= 0 || tl.Workers <= 0 {
		return 0
	}
	waves := (tl.Tasks + tl.Workers - 1) / tl.Workers
	most := float64(tl.Tasks) / float64(waves)
	if tl.CPUBound() {
		if tl.CPULimit > 0 {
			most = min(most, tl.CPULimit)
		}
		if inProcess(tl.Executor) && tl.GOMAXPROCS > 0 {
			most = min(most, float64(tl.GOMAXPROCS))
		}
	}
	return most
}

// inProcess reports whether an executor kind runs Go tasks inside this
// program, under its GOMAXPROCS.
func inProcess(executor string) bool {
	return executor == string(Goroutines) || executor == string(Threads)
}

// Unreliable says why the speedup cannot be taken as a result, or "" if it
// can: it is above what the run could reach (MaxSpeedup), or, for busy
// tasks, above the cores the run used (tasks cannot finish faster than
// the CPU they got). Either means the one-task baseline was slower than
// the same task inside the run.
func (tl *Timeline) Unreliable() string {
	s := tl.Speedup()
	if s == 0 {
		return ""
	}
	const why = "the one-task baseline ran slower than the same tasks in the run (a CPU that sped up meanwhile, or a machine that got quieter)"
	if most := tl.MaxSpeedup(); s > most*(1+tolerance)+slack {
		return fmt.Sprintf("the speedup %.2fx is more than this run could reach (%.2fx): %s; read the timeline, not this figure", s, most, why)
	}
	if tl.CPUBound() && s > tl.CoresUsed()*(1+tl.coresTolerance())+slack {
		return fmt.Sprintf("the speedup %.2fx is above the %.2f cores the run used: %s; read the timeline, not this figure", s, tl.CoresUsed(), why)
	}
	return ""
}

// coresTolerance is how far the speedup may pass the cores used. Why wider
// on a busy machine: a core then runs the same steps at a speed that
// depends on what shares it (a hyperthread sibling, its caches); seen
// here, a baseline task used 1.5 times the CPU time of the same task in
// the run. The cap of MaxSpeedup stays strict.
func (tl *Timeline) coresTolerance() float64 {
	if tl.OthersCores >= busyOthers {
		return 0.5
	}
	return tolerance
}

// Caveats lists, in plain sentences, what a reader must know before
// trusting this run's figures: an unreliable speedup, a CPU limit below
// the CPUs the machine shows, other programs busy during the run, CPU time
// spent on something other than the tasks. Empty for a clean run on a
// quiet machine.
func (tl *Timeline) Caveats() []string {
	var out []string
	if why := tl.Unreliable(); why != "" {
		out = append(out, why)
	}
	if tl.CPULimit > 0 && tl.CPULimit < float64(tl.NumCPU) {
		c := fmt.Sprintf("this program may use only %s although the machine shows %s (a CPU quota or affinity mask: docker --cpus, a Kubernetes or Binder limit, taskset), so busy tasks reach a speedup of at most about %s here",
			cores(tl.CPULimit), plural(tl.NumCPU, "CPU", "CPUs"), trimFloat(tl.CPULimit))
		if float64(tl.GOMAXPROCS) > tl.CPULimit {
			c += fmt.Sprintf("; GOMAXPROCS is still %d (Go never sets it below 2 for a quota), so %d threads run Go code at once and share %s",
				tl.GOMAXPROCS, tl.GOMAXPROCS, cores(tl.CPULimit))
		}
		out = append(out, c)
	}
	if tl.OthersCores >= busyOthers {
		if tl.CPUBound() {
			out = append(out, fmt.Sprintf("other programs used %.1f cores during this run: the tasks could get fewer cores than this program may use, so the speedup and cores used can be lower than on a quiet machine; rerun when it is quiet", tl.OthersCores))
		} else {
			out = append(out, fmt.Sprintf("other programs used %.1f cores during this run (these tasks mostly wait, so they hardly notice)", tl.OthersCores))
		}
	}
	if tl.CPUBound() && tl.Serial > 0 && tl.Unreliable() == "" {
		if used, s := tl.CoresUsed(), tl.Speedup(); used > s*(1+tl.coresTolerance())+slack {
			out = append(out, tl.lostCores(used, s))
		}
	}
	return out
}

// lostCores says where the cores a run used beyond its speedup went. When
// each worker had a CPU of its own and the run's CPU time fits in its
// tasks' spans, the tasks themselves took longer on the CPU than the same
// task alone: the CPUs ran the same steps slower during the run (seen on a
// 2-vCPU VM whose vCPUs share a physical core: 1.23 s of CPU per task
// against 0.98 s alone). Otherwise the executor spent it.
func (tl *Timeline) lostCores(used, speedup float64) string {
	cpus := tl.CPULimit
	if inProcess(tl.Executor) && tl.GOMAXPROCS > 0 && (cpus <= 0 || float64(tl.GOMAXPROCS) < cpus) {
		cpus = float64(tl.GOMAXPROCS)
	}
	if float64(tl.Workers) <= cpus && tl.CPUTime <= tl.BusyTime() {
		return fmt.Sprintf("the tasks took %.2f times the CPU time they take alone (%s against %s): the CPUs ran the same steps slower during this run (two hardware threads that share one physical core, a VM host busy elsewhere, a lower clock), which the speedup counts as lost; it is not the executor's overhead",
			float64(tl.CPUTime)/float64(tl.Serial), formatDuration(tl.CPUTime), formatDuration(tl.Serial))
	}
	return fmt.Sprintf("%.2f of the %.2f cores used went to something other than the tasks (hand-offs between OS threads, starting worker processes or interpreters, garbage collection)", used-speedup, used)
}
