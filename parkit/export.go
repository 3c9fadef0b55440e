package parkit

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
)

// timelineJSON is the schema WriteJSON writes; other tools rely on it, so
// change it only with a new field, never by renaming one:
//
//	{"executor": "goroutines", "workload": "idle (sleep 2s)",
//	 "workers": 5, "tasks": 15, "gomaxprocs": 2, "num_cpu": 2,
//	 "makespan_ns": 6004123456, "serial_ns": 30001234567,
//	 "cpu_time_ns": 1234567, "cpu_limit": 2, "others_cores": 0.05,
//	 "spans": [{"task": 0, "worker": 0, "pid": 4242, "tid": 4243, "cpu": 1,
//	            "start_ns": 51234, "end_ns": 2000123456, "error": ""}, ...]}
//
// Times are nanoseconds from the experiment's start; tid and cpu are -1
// where the platform does not tell; error is "" for a task that succeeded.
// serial_ns and cpu_time_ns are 0 when not measured; cpu_limit (cores this
// program could use: the least of num_cpu, the affinity mask and the cgroup
// quota) is 0 and others_cores (cores other programs used during the run)
// -1 when unknown.
type timelineJSON struct {
	Executor   string  `json:"executor"`
	Workload   string  `json:"workload"`
	Workers    int     `json:"workers"`
	Tasks      int     `json:"tasks"`
	GOMAXPROCS int     `json:"gomaxprocs"`
	NumCPU     int     `json:"num_cpu"`
	MakespanNS int64   `json:"makespan_ns"`
	SerialNS   int64   `json:"serial_ns"`
	CPUTimeNS  int64   `json:"cpu_time_ns"`
	CPULimit   float64 `json:"cpu_limit"`
	// A pointer, so that a file without the field reads as unknown (-1).
	OthersCores *float64   `json:"others_cores"`
	Spans       []spanJSON `json:"spans"`
}

type spanJSON struct {
	Task    int    `json:"task"`
	Worker  int    `json:"worker"`
	PID     int    `json:"pid"`
	TID     int    `json:"tid"`
	CPU     int    `json:"cpu"`
	StartNS int64  `json:"start_ns"`
	EndNS   int64  `json:"end_ns"`
	Error   string `json:"error"`
}

func toSpanJSON(s Span) spanJSON {
	j := spanJSON{Task: s.Task, Worker: s.Worker, PID: s.PID, TID: s.TID, CPU: s.CPU,
		StartNS: int64(s.Start), EndNS: int64(s.End)}
	if s.Err != nil {
		j.Error = s.Err.Error()
	}
	return j
}

// WriteJSON writes the timeline in the schema documented on timelineJSON,
// every field ReadJSON reads, unrounded: a timeline read back has the same
// derived figures (speedup, cores used, caveats).
func (tl *Timeline) WriteJSON(w io.Writer) error {
	out := timelineJSON{
		Executor: tl.Executor, Workload: tl.Workload, Workers: tl.Workers, Tasks: tl.Tasks,
		GOMAXPROCS: tl.GOMAXPROCS, NumCPU: tl.NumCPU, MakespanNS: int64(tl.Makespan()),
		SerialNS: int64(tl.Serial), CPUTimeNS: int64(tl.CPUTime),
		CPULimit: tl.CPULimit, OthersCores: new(tl.OthersCores),
		Spans: make([]spanJSON, len(tl.Spans)),
	}
	for i, s := range tl.Spans {
		out.Spans[i] = toSpanJSON(s)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// csvHeader is WriteCSV's first row: the span fields of the JSON schema,
// then the run's cpu_limit and others_cores (the same on every row).
var csvHeader = []string{"task", "worker", "pid", "tid", "cpu", "start_ns", "end_ns", "error", "cpu_limit", "others_cores"}

// WriteCSV writes one row per span, with a header row of the JSON field
// names.
func (tl *Timeline) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for _, s := range tl.Spans {
		j := toSpanJSON(s)
		cw.Write([]string{
			strconv.Itoa(j.Task), strconv.Itoa(j.Worker), strconv.Itoa(j.PID),
			strconv.Itoa(j.TID), strconv.Itoa(j.CPU),
			strconv.FormatInt(j.StartNS, 10), strconv.FormatInt(j.EndNS, 10), j.Error,
			strconv.FormatFloat(tl.CPULimit, 'g', -1, 64),
			strconv.FormatFloat(tl.OthersCores, 'g', -1, 64),
		})
	}
	cw.Flush()
	return cw.Error()
}
