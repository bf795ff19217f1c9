package benchmarks

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run when a goroutine outlives it: the benchmarks start
// servers and fetch pages concurrently, and must leave nothing behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
