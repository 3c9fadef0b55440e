package parkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/parallelize-your-go/kit/parkit"
)

// TestSpawnersOutliveTheirWorkersOnly checks the parent-death guarantee's
// other side: workers started by the shared spawner threads survive while
// other goroutines' threads come and go (a Threads executor's end its
// threads), at most maxSpawners spawners exist however many workers start,
// and the spawners end once every worker is reaped.
func TestSpawnersOutliveTheirWorkersOnly(t *testing.T) {
	if now, _ := parkit.Spawners(); now != 0 {
		t.Fatalf("%d spawner threads before any pool", now)
	}
	a, err := parkit.New(parkit.Processes, 6)
	if err != nil {
		t.Fatal(err)
	}
	b, err := parkit.New(parkit.Processes, 3)
	if err != nil {
		a.Close()
		t.Fatal(err)
	}
	if now, most := parkit.Spawners(); now < 1 || now > most {
		t.Errorf("%d spawner threads for 9 workers; want 1 to %d", now, most)
	}
	pids := func(ex *parkit.Executor, n int) map[int]bool {
		seen := map[int]bool{}
		for range 4 * n {
			pid, err := parkit.Submit(ex, pidTask, 20*time.Millisecond).Result()
			if err != nil {
				t.Fatalf("a worker died: %v", err)
			}
			seen[pid] = true
		}
		return seen
	}
	before := pids(a, 6)
	// Threads that end while the workers live: a Threads executor's
	// locked goroutines return on Close, taking their OS threads along.
	for range 3 {
		th, err := parkit.New(parkit.Threads, 8)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parkit.Map(context.Background(), th, parkit.IdleTask, []time.Duration{time.Millisecond, time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		th.Close()
	}
	after := pids(a, 6)
	for pid := range after {
		if !before[pid] {
			t.Errorf("worker %d is new: a worker died when other threads ended (before %v, after %v)", pid, before, after)
		}
	}
	b.Close()
	if now, _ := parkit.Spawners(); now < 1 {
		t.Errorf("no spawner thread left while pool a's workers live")
	}
	a.Close()
	if now, _ := parkit.Spawners(); now != 0 {
		t.Errorf("%d spawner threads after every pool closed", now)
	}
}
