package chart

import (
	"bytes"
	"strings"
	"testing"
)

// peeling is a trajectory of twelve boxes from all runs (coverage 1, density 0.3) to a small
// pure box, the sixth chosen and pasted to a little more coverage.
func peeling() Trajectory {
	t := Trajectory{Title: "When does laiwang win? Peeling trajectory", Chosen: 6, Pasted: []float64{0.86, 0.9}}
	for i := range 12 {
		f := float64(i) / 11
		t.Coverage = append(t.Coverage, 1-0.8*f*f)
		t.Density = append(t.Density, 0.3+0.7*f)
	}
	return t
}

func TestTrajectoryGolden(t *testing.T) { checkImageGolden(t, peeling(), "trajectory") }

func TestTrajectoryErrors(t *testing.T) {
	const name = `trajectory chart "When does laiwang win? Peeling trajectory": `
	for _, c := range []struct {
		change func(*Trajectory)
		want   string
	}{
		{func(t *Trajectory) { t.Coverage, t.Density = nil, nil }, "no boxes to plot"},
		{func(t *Trajectory) { t.Density = t.Density[:3] }, "12 coverages for 3 densities"},
		{func(t *Trajectory) { t.Chosen = 12 }, "chosen box 12 of 12"},
		{func(t *Trajectory) { t.Pasted = []float64{1} }, "Pasted has 1 values, want coverage and density"},
		{func(t *Trajectory) { t.Density[2] = 1.5 }, "box 2 at coverage 0.974, density 1.5, outside [0, 1]"},
	} {
		tr := peeling()
		c.change(&tr)
		checkErrors(t, tr, name+c.want)
	}
}

// A pasted box the same as the chosen one gets no mark of its own, and says so.
func TestTrajectoryPastedUnchanged(t *testing.T) {
	tr := peeling()
	tr.Pasted = []float64{tr.Coverage[6], tr.Density[6]}
	var buf bytes.Buffer
	if err := Render(tr, SVG, &buf); err != nil {
		t.Fatal(err)
	}
	if svg := buf.String(); !strings.Contains(svg, "box 6 (chosen; pasting adds nothing)") || strings.Contains(svg, ">pasted<") {
		t.Errorf("the chosen and pasted box are one: want one label")
	}
}
