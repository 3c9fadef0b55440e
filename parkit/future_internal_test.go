package parkit

import (
	"testing"
	"unsafe"
)

// TestFutureSize keeps the per-task object small: Submit allocates one
// submitted job per task, and a loop that fires a million tasks pays for
// every byte of it in fresh memory (see Future). 96 bytes is a Go size
// class; the job was 256 bytes before the future moved its rarely used
// parts (an error included) to extra.
func TestFutureSize(t *testing.T) {
	const limit = 96
	if n := unsafe.Sizeof(submitted[int64, int64]{}); n > limit {
		t.Errorf("a Submit job of int64 to int64 is %d bytes, more than %d: keep rarely used fields in extra", n, limit)
	}
	if n := unsafe.Sizeof(goCall[int64]{}); n > limit {
		t.Errorf("a Go job of int64 is %d bytes, more than %d", n, limit)
	}
	t.Logf("Future[int64] %d bytes, Submit's job %d, Go's job %d, extra %d", unsafe.Sizeof(Future[int64]{}),
		unsafe.Sizeof(submitted[int64, int64]{}), unsafe.Sizeof(goCall[int64]{}), unsafe.Sizeof(extra{}))
}
