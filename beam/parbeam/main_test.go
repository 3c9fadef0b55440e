package parbeam_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the tests if a goroutine of ours is left running. Why one
// exception: prism.Execute starts Prism's job server once per process and
// keeps it serving for the next pipelines, by design.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction(
		"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism/internal/jobservices.(*Server).Serve"))
}
