package calibrate

import (
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
