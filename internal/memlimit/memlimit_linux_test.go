package memlimit

import "testing"

// TestRealSystemHasALimit reads the real /proc: Linux always has MemAvailable.
func TestRealSystemHasALimit(t *testing.T) {
	t.Parallel()
	if got := Available(); got.Source == "" || !(got.Bytes > 0) {
		t.Errorf("Available() = %+v, want a positive limit with its source", got)
	}
}
