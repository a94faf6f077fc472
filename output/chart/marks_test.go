package chart

import (
	"math"
	"testing"
)

// recordChart is a run's adoption chart with a record: two platforms'
// bands, registered figures (circles) and monthly actives (triangles) of
// the first, one figure of the second (a square), and three labelled
// events, one outside the x range.
func recordChart() Lines {
	c := bandsChart()
	c.Title = "Adopters and the record"
	c.Points = []PointSet{
		{Name: "Signal", X: []float64{10, 25, 40}, Y: []float64{35, 95, 120}, Label: "Signal registered (record)"},
		{Name: "Signal", X: []float64{30, 45}, Y: []float64{90, 140}, Marker: Triangle, Label: "Signal monthly actives (record)"},
		{Name: "Threema", X: []float64{35}, Y: []float64{60}, Marker: Square, Label: "Threema registered (record)"},
	}
	c.Events = []Event{{X: 20, Label: "Threema preinstall"}, {X: 33, Label: "Signal ban"}, {X: 34, Label: "Signal campaign"}, {X: 80, Label: "never shown"}} // a week apart: stacked
	return c
}

// splitChart has an incumbent whose peak is 40 times the entrant's, which
// gets the lower panel with its record point and the events.
func splitChart() Lines {
	c := bandsChart()
	c.Title = "Incumbent and a small entrant"
	c.SplitSmall = true
	for i := range c.Curves[1].Mean {
		c.Curves[1].Mean[i] /= 40
		c.Curves[1].Low[i] /= 40
		c.Curves[1].High[i] /= 40
	}
	c.Points = []PointSet{
		{Name: "Signal", X: []float64{20}, Y: []float64{80}, Label: "Signal registered (record)"},
		{Name: "Threema", X: []float64{40}, Y: []float64{1.8}, Marker: Diamond, Label: "Threema registered (record)"},
	}
	c.Events = []Event{{X: 30, Label: "Threema launch"}}
	return c
}

func TestSplitSmall(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ratio     float64 // the large curve's peak over the small one's
		logY      bool
		want      bool
		wantSmall []bool
	}{
		{"a fortieth", 40, false, true, []bool{false, true}},
		{"just under a twentieth", 20.5, false, true, []bool{false, true}},
		{"a twentieth exactly", 20, false, false, nil},
		{"a tenth", 10, false, false, nil},
		{"log scale shows both", 40, true, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Lines{X: []float64{0, 1, 2}, SplitSmall: true, LogY: tc.logY, Curves: []Curve{
				{Name: "big", Mean: []float64{0, tc.ratio, math.NaN()}},
				{Name: "small", Mean: []float64{0, 0.5, 1}},
			}}
			small, ok := c.split()
			if ok != tc.want {
				t.Fatalf("split = %v, want %v", ok, tc.want)
			}
			if ok && (small[0] != tc.wantSmall[0] || small[1] != tc.wantSmall[1]) {
				t.Errorf("small = %v, want %v", small, tc.wantSmall)
			}
		})
	}
	// A platform that never has users gets no panel of zeros.
	c := Lines{X: []float64{0, 1}, SplitSmall: true, Curves: []Curve{{Name: "big", Mean: []float64{0, 100}}, {Name: "none", Mean: []float64{0, 0}}}}
	if _, ok := c.split(); ok {
		t.Error("a platform without users got a panel")
	}
	if w, h := splitChart().size(); w != defaultWidth || h != splitHeight {
		t.Errorf("split chart size %v x %v, want %v x %v", w, h, defaultWidth, splitHeight)
	}
}

func TestMarksErrors(t *testing.T) {
	bad := recordChart()
	bad.Events[1].X = math.NaN()
	checkErrors(t, bad, `chart "Adopters and the record": event #1 ("Signal ban"): X is NaN`)
	unknown := splitChart()
	unknown.Points[1].Name = "Threma"
	checkErrors(t, unknown, `chart "Incumbent and a small entrant": points "Threma": no curve has that name`)
}
