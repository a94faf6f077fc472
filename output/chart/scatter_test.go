package chart

import (
	"math"
	"testing"
)

// sampledRuns is 120 runs of a three-factor Latin hypercube: the entrant wins where its
// appeal is high and the preinstall share large, and the third factor does nothing.
func sampledRuns() Scatter {
	s := Scatter{Title: "Sampled sweep: final_share.laiwang against each factor", YLabel: "final_share.laiwang", Groups: []string{"wechat", "laiwang", "tie"}}
	appeal := ScatterFactor{Label: "laiwang appeal"}
	share := ScatterFactor{Label: "laiwang preinstall share"}
	noise := ScatterFactor{Label: "wechat churn"}
	for r := range 120 {
		a, b, c := math.Mod(float64(r)*0.618, 1), math.Mod(float64(r)*0.382+0.1, 1)*0.6, math.Mod(float64(r)*0.171, 1)*0.05
		y := 1 / (1 + math.Exp(-12*(a+b-0.9)))
		appeal.X, share.X, noise.X = append(appeal.X, a), append(share.X, b), append(noise.X, c)
		s.Y = append(s.Y, y)
		switch {
		case y > 0.5:
			s.Group = append(s.Group, 1)
		case y == 0.5:
			s.Group = append(s.Group, 2)
		default:
			s.Group = append(s.Group, 0)
		}
	}
	s.Factors = []ScatterFactor{appeal, share, noise}
	return s
}

func TestScatterGolden(t *testing.T) { checkImageGolden(t, sampledRuns(), "scatter") }

// Four factors take two rows of panels, the last row keeping the others' panel size.
func TestScatterRows(t *testing.T) {
	s := sampledRuns()
	s.Factors = append(s.Factors, ScatterFactor{Label: "wechat switching cost", X: s.Factors[0].X})
	s.Y[3] = math.NaN() // a run without a value is left out
	checkImageGolden(t, s, "scatter_rows")
}

func TestScatterErrors(t *testing.T) {
	const name = `scatter chart "Sampled sweep: final_share.laiwang against each factor": `
	for _, c := range []struct {
		change func(*Scatter)
		want   string
	}{
		{func(s *Scatter) { s.Factors = nil }, "no factors to plot"},
		{func(s *Scatter) { s.Group = s.Group[:5] }, "5 groups for 120 runs"},
		{func(s *Scatter) { s.Group[7] = 3 }, "group 3 of 3 names"},
		{func(s *Scatter) { s.Factors[1].X = s.Factors[1].X[:2] }, `factor "laiwang preinstall share" has 2 values for 120 runs`},
	} {
		s := sampledRuns()
		c.change(&s)
		checkErrors(t, s, name+c.want)
	}
}

// screening is a Morris result of five factors: two that matter, one of them mostly through
// interactions, and three that do not.
func screening() MuSigma {
	return MuSigma{
		Title:  "Screening: Morris mu* and sigma of final_share.laiwang",
		Labels: []string{"laiwang appeal", "laiwang preinstall share", "laiwang launch", "wechat churn", "decision temperature"},
		MuStar: []float64{0.42, 0.3, 0.05, 0.01, 0.02},
		Sigma:  []float64{0.2, 0.45, 0.04, 0.005, 0.03},
	}
}

func TestMuSigmaGolden(t *testing.T) { checkImageGolden(t, screening(), "mu_sigma") }

func TestMuSigmaErrors(t *testing.T) {
	const name = `mu-sigma chart "Screening: Morris mu* and sigma of final_share.laiwang": `
	for _, c := range []struct {
		change func(*MuSigma)
		want   string
	}{
		{func(m *MuSigma) { m.Labels, m.MuStar, m.Sigma = nil, nil, nil }, "no factors to plot"},
		{func(m *MuSigma) { m.Sigma = m.Sigma[:2] }, "5 labels, 5 mu* and 2 sigma"},
		{func(m *MuSigma) {
			for i := range m.MuStar {
				m.MuStar[i] = math.NaN()
			}
		}, "no factor has a finite mu* and sigma"},
	} {
		m := screening()
		c.change(&m)
		checkErrors(t, m, name+c.want)
	}
}

// levelLines is a mixed grid drawn as Lines: the outcome against a numeric factor, a line
// per level of a categorical one; and a categorical x axis through LevelTicks.
func TestLevelTicksGolden(t *testing.T) {
	l := Lines{Title: "Mixed grid: final_share.laiwang by decision rule", XLabel: "decision rule", YLabel: "final_share.laiwang (mean, 5-95% of replicates)",
		XTicks: LevelTicks([]string{"logit", "threshold", "bass"}), X: []float64{0, 1, 2},
		Curves: []Curve{
			{Name: "laiwang appeal = 0.4", Mean: []float64{0.1, 0.05, 0.2}, Low: []float64{0, 0, 0.1}, High: []float64{0.3, 0.2, 0.3}},
			{Name: "laiwang appeal = 0.8", Mean: []float64{0.6, 0.7, 0.4}, Low: []float64{0.3, 0.5, 0.3}, High: []float64{0.8, 0.9, 0.5}},
		}}
	checkImageGolden(t, l, "level_lines")
}
