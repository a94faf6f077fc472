package calibrate

import (
	"math"
	"testing"

	"github.com/msgsim/msgsim/internal/evaluate"
)

// TestSeriesNamesAreMeasures: every series a target may name is a measure of evaluate's
// table, which simulated reads it through.
func TestSeriesNamesAreMeasures(t *testing.T) {
	for _, name := range SeriesNames {
		if _, ok := evaluate.MeasureNamed(name); !ok {
			t.Errorf("target series %q is not in evaluate.Measures", name)
		}
	}
}

// TestPointKeyExact: points that differ in the last bit of one value are different points
// of the cache; equal points are one.
func TestPointKeyExact(t *testing.T) {
	x := []float64{0.1, 3}
	next := []float64{math.Nextafter(0.1, 1), 3}
	if keyOf(x) == keyOf(next) {
		t.Errorf("%v and %v share a cache key", x, next)
	}
	if keyOf(x) != keyOf([]float64{0.1, 3}) {
		t.Error("equal points have different keys")
	}
	if keyOf([]float64{1, 2}) == keyOf([]float64{2, 1}) {
		t.Error("the key ignores the order of the parameters")
	}
}
