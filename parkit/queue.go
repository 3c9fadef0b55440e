package parkit

import "sync"

// queue is the executor's unbounded FIFO of jobs. Submit never blocks, as
// with Python's executors; workers block in pop until a job or close.
type queue struct {
	mu     sync.Mutex
	ready  sync.Cond
	jobs   []job
	head   int
	closed bool
}

func newQueue() *queue {
	q := &queue{}
	q.ready.L = &q.mu
	return q
}

// push adds j and reports false if the queue is closed.
func (q *queue) push(j job) bool {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return false
	}
	q.jobs = append(q.jobs, j)
	q.mu.Unlock()
	q.ready.Signal()
	return true
}

// pop waits for the next job; ok is false once the queue is closed and empty.
func (q *queue) pop() (j job, ok bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.head == len(q.jobs) {
		if q.closed {
			return nil, false
		}
		q.ready.Wait()
	}
	j = q.jobs[q.head]
	q.jobs[q.head] = nil
	q.head++
	if q.head == len(q.jobs) { // empty: reuse the backing array
		q.jobs, q.head = q.jobs[:0], 0
	}
	return j, true
}

// close stops pushes; queued jobs are still popped.
func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.ready.Broadcast()
}

// drain removes and returns the jobs still queued.
func (q *queue) drain() []job {
	q.mu.Lock()
	defer q.mu.Unlock()
	left := q.jobs[q.head:]
	q.jobs, q.head = nil, 0
	return left
}
