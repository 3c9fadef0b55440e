package parkit

import (
	"errors"
	"time"
)

// newProcessRunners starts worker processes. (Being built: see issue 3.)
func newProcessRunners(ex *Executor) (func(worker int) runner, error) {
	return nil, errors.New("parkit: the process executor is not available yet")
}

// workerCPUTime is the CPU time the executor's worker processes used.
func (ex *Executor) workerCPUTime() time.Duration { return 0 }
