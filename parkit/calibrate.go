package parkit

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/parallelize-your-go/kit/internal/cpuinfo"
	"github.com/parallelize-your-go/kit/parkit/internal/osinfo"
)

// CalibrateBusy returns the number of BusyTask steps that take about d on
// one free core of this machine. The loop's speed is measured once per
// machine and kept in a small cache file (see BusyStepsPerSecond), so
// every cell of a notebook and every program sizes "a CPU loop of about
// 1s" the same way.
func CalibrateBusy(d time.Duration) int64 {
	return max(1, int64(d.Seconds()*BusyStepsPerSecond()))
}

// BusyStepsPerSecond is how many BusyTask steps one core of this machine
// runs per second of CPU time. The first call in a program reads it from
// the cache file busy-loop.json in $PARKIT_CACHE_DIR (default: the user's
// cache directory, e.g. ~/.cache/parkit); if the file has no entry for
// this machine (CPU model, CPU count, architecture, Go version), it
// measures the loop (about half a second) and stores the answer there if
// the machine was quiet meanwhile (else the next program measures again).
func BusyStepsPerSecond() float64 { return busyStepsPerSecond() }

var busyStepsPerSecond = sync.OnceValue(func() float64 {
	return cachedSpeed(calibrationCacheDir(), machineKey(), measureBusySpeed)
})

// calibrationWarmUp is how long the loop runs before it is timed.
//
// Why: a CPU that has been idle runs slowly and speeds up after some load
// (frequency scaling, on laptops and on cloud machines alike). Seen here:
// 0.7 billion steps/s from idle, 1.6 billion after about 200 ms of load.
const calibrationWarmUp = 400 * time.Millisecond

// measureBusySpeed times the loop in CPU time of its own locked thread, so
// that other programs competing for the core do not make it look slower
// (they delay the thread). It reports whether the machine was quiet
// meanwhile: a busy neighbour on the same physical core (a hyperthread
// sibling) does slow the steps, and such a measurement must not be kept.
func measureBusySpeed() (speed float64, quiet bool) {
	load := StartLoadMeter()
	defer func() { quiet = load.OthersCores() < busyOthers }()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for warm := time.Now().Add(calibrationWarmUp); time.Now().Before(warm); {
		busy(context.Background(), 1<<20)
	}
	timeIt := func(n int64) time.Duration {
		start, wall := osinfo.ThreadCPUTime(), time.Now()
		busy(context.Background(), n)
		if took := osinfo.ThreadCPUTime() - start; took > 0 {
			return took
		}
		return time.Since(wall) // no thread CPU clock on this platform
	}
	for n := int64(1 << 20); ; n *= 2 {
		if took := timeIt(n); took >= 10*time.Millisecond {
			// The best of three at this size: the least disturbed.
			for range 2 {
				took = min(took, timeIt(n))
			}
			return float64(n) / took.Seconds(), false
		}
	}
}

// machineKey names this machine and toolchain in the cache: the loop's
// speed depends on the CPU and on the code the compiler made.
func machineKey() string {
	return fmt.Sprintf("%s|%d CPUs|%s|%s", cpuinfo.Model(), runtime.NumCPU(), runtime.GOARCH, runtime.Version())
}

func calibrationCacheDir() string {
	if dir := os.Getenv("PARKIT_CACHE_DIR"); dir != "" {
		return dir
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "parkit")
}

// cachedSpeed returns the speed stored for key in dir/busy-loop.json, or
// measures it and, if measure says the machine was quiet, stores it there.
// A cache that cannot be read or written only costs a measurement: it
// never fails the caller.
func cachedSpeed(dir, key string, measure func() (float64, bool)) float64 {
	file := filepath.Join(dir, "busy-loop.json")
	speeds := map[string]float64{}
	if dir != "" {
		if data, err := os.ReadFile(file); err == nil {
			json.Unmarshal(data, &speeds) // a damaged file is measured again
		}
		if s := speeds[key]; s > 0 {
			return s
		}
	}
	s, quiet := measure()
	if dir == "" || !quiet {
		return s
	}
	speeds[key] = s
	if data, err := json.Marshal(speeds); err == nil {
		writeFileAtomic(dir, file, data)
	}
	return s
}

// writeFileAtomic writes data to file through a private temporary file in
// dir (created 0700 if missing) and a rename, so that concurrent programs
// never read half a file, and a planted file or link is replaced, not
// followed.
func writeFileAtomic(dir, file string, data []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".busy-loop-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %v %v", tmp.Name(), werr, cerr)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
