package evaluate

import (
	"math"
	"testing"

	"github.com/msgsim/msgsim/model"
)

// TestPenetration: users over the market; over all agents without a schedule; undefined
// (NaN) while the market is empty.
func TestPenetration(t *testing.T) {
	t.Parallel()
	s := &model.Series{Platforms: []string{"a"}, Agents: 8, Steps: 2, Users: []int64{0, 1, 3}}
	if got := Penetration(s, 2, 0); got != 3.0/8 {
		t.Errorf("no market: penetration %g, want 3/8", got)
	}
	s.Market = []int64{0, 2, 6}
	for step, want := range []float64{math.NaN(), 0.5, 0.5} {
		if got := Penetration(s, step, 0); got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("step %d: penetration %g, want %g", step, got, want)
		}
	}
	if m, ok := MeasureNamed("penetration"); !ok || m(s, 1, 0) != 0.5 {
		t.Error(`Measures has no "penetration" giving users / market`)
	}
}
