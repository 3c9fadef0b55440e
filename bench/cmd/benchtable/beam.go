package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// beamBench runs BenchmarkOverhead of kit/beam's parbeam (Beam on
// embedded Prism beside parkit's processes and goroutines, on the same
// empty task, in the same run) with go test in ../beam, and records its
// metrics as "beam:Overhead <unit>". Why a subprocess: beam/ is a module
// of its own, so this one does not carry Apache Beam's dependencies.
func beamBench(quick bool) {
	step("Beam (Prism, embedded): one more element")
	runs := *count
	if quick {
		runs = 1
	}
	// One iteration is a whole MeasureOverhead: a few seconds.
	cmd := exec.Command("go", "test", "-run=^$", "-bench=^BenchmarkOverhead$", "-benchtime=1x", "-count="+strconv.Itoa(runs), "./parbeam")
	cmd.Dir = filepath.Join("..", "beam")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		skipped["beam:"] = "skipped: go test in ../beam failed: " + err.Error()
		return
	}
	parseBench(out, "beam:")
}

// beamSpecs are the Beam rows: parkit's cost per element against Beam's.
func beamSpecs() []spec {
	sec := "Beam (Prism, embedded) vs parkit: one more empty element, measured in the same run (parbeam.MeasureOverhead)"
	beam := [][2]string{a("Beam on embedded Prism, with a Reshuffle", "beam:Overhead beam-ns/elem")}
	note := "parkit.Map on 2 workers started before the clock, 3000 tasks; Beam: the difference of runs of 3000 and 100 elements, each run a job"
	return []spec{
		{section: sec, measure: "per element, parkit processes", unit: "ns/element", parkit: "beam:Overhead proc-ns/elem", anchors: beam, note: note},
		{section: sec, measure: "per element, parkit goroutines", unit: "ns/element", parkit: "beam:Overhead gor-ns/elem", anchors: beam},
	}
}
