package sweep

import (
	"slices"
	"testing"
)

// TestFactorsWiderThanFloatRange: a factor whose width overflows float64 (found by
// FuzzSweepFile) must still give finite values within its bounds, or be refused.
func TestFactorsWiderThanFloatRange(t *testing.T) {
	t.Parallel()
	plan := func(yaml string) *Plan {
		t.Helper()
		return mustPlanText(t, "base: testdata/base.yaml\n"+yaml, "s.yaml", ".")
	}
	grid := plan("factors:\n  - {path: platforms.entrant.appeal, range: {from: -1e308, to: 1e308, steps: 5}}\n")
	var got []float64
	for _, pt := range grid.Points {
		got = append(got, pt.Values[0].(float64))
	}
	if want := []float64{-1e308, -5e307, 0, 5e307, 1e308}; !slices.Equal(got, want) {
		t.Errorf("grid levels %v, want %v", got, want)
	}
	sampled := plan("design: latin_hypercube\nsamples: 50\nfactors:\n  - {path: platforms.entrant.appeal, uniform: {min: -1e308, max: 1e308}}\n")
	below, above := 0, 0
	for _, pt := range sampled.Points {
		x := pt.Values[0].(float64)
		if !(x >= -1e308 && x <= 1e308) {
			t.Fatalf("uniform value %v outside [-1e308, 1e308]", x)
		}
		if x < 0 {
			below++
		} else {
			above++
		}
	}
	if below != 25 || above != 25 { // one value in each of the 50 strata, half of them below 0
		t.Errorf("%d uniform values below 0 and %d above, want 25 and 25", below, above)
	}

	const normal = "design: random\nsamples: 3\nfactors:\n  - {path: platforms.entrant.appeal, normal: {mean: 1e308, sd: 2e307}}\n"
	_, err := Parse([]byte("base: testdata/base.yaml\n"+normal), "s.yaml", ".")
	want := "s.yaml:5:64: factors.0.normal.sd: sampled values reach 6 sd either side of the mean, and 1e+308 ± 6 x 2e+307 is beyond the largest number (about 1.8e308); give a smaller mean or sd, or truncate with min and max"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n got %v\nwant %s", err, want)
	}
	truncated := plan("design: random\nsamples: 50\nfactors:\n  - {path: platforms.entrant.appeal, normal: {mean: 1e308, sd: 2e307, min: 0, max: 1.5e308}}\n")
	for _, pt := range truncated.Points {
		if x := pt.Values[0].(float64); !(x >= 0 && x <= 1.5e308) {
			t.Fatalf("truncated normal value %v outside [0, 1.5e308]", x)
		}
	}
}
