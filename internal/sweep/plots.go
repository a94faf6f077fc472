package sweep

import (
	"slices"

	"github.com/msgsim/msgsim/output"
	plot "github.com/msgsim/msgsim/output/chart"
)

// This file draws the designs without a one- or two-factor numeric grid's plots: every run
// against each factor (sampled designs, larger grids), a line per level (grids with a
// categorical factor), and Morris's mu*-sigma plane.

// runsColumn is the runs table's column named name; BuildTables always writes the point,
// winner and analysed outcome columns this file reads.
func runsColumn(t Tables, name string) output.Column {
	i := slices.IndexFunc(t.Runs.Columns, func(c output.Column) bool { return c.Name == name })
	return t.Runs.Columns[i]
}

// scatterChart is every run's outcome against each factor, coloured by the platform that won
// it; a factor of words is placed at its levels' positions, in the order the file lists them.
func scatterChart(a *Analysis, plan *Plan, t Tables) chart {
	y := runsColumn(t, a.Outcome).Floats
	winners := runsColumn(t, "winner").Strings
	points := runsColumn(t, "point").Ints
	var groups []string // the winners that occur, platforms first, in order
	for _, g := range append(slices.Clone(t.Platforms), "tie", "none") {
		if slices.Contains(winners, g) {
			groups = append(groups, g)
		}
	}
	s := plot.Scatter{Title: plan.Sweep.File.Name + ": " + a.Outcome + " of every run against each factor", YLabel: a.Outcome, Y: y, Groups: groups, Group: make([]int, len(y))}
	for r, w := range winners {
		s.Group[r] = slices.Index(groups, w)
	}
	for k, f := range plan.Sweep.File.Factors {
		sf := plot.ScatterFactor{Label: plan.Sweep.Labels[k], X: make([]float64, len(y))}
		words := wordLevels(f)
		for r, p := range points {
			switch v := plan.Points[p].Values[k].(type) {
			case float64:
				sf.X[r] = v
			case string:
				sf.X[r] = float64(slices.Index(words, v))
			}
		}
		if words != nil {
			sf.Levels = words
		}
		s.Factors = append(s.Factors, sf)
	}
	return chart{name: "scatter", title: a.Outcome + " of every run against each factor, coloured by winner", save: func(path string) error { return plot.Save(s, path) }}
}

// wordLevels are a factor's word values in file order; nil for a numeric factor.
func wordLevels(f Factor) []string {
	var words []string
	for _, v := range f.Values {
		if w, ok := v.(string); ok {
			words = append(words, w)
		}
	}
	return words
}

// levelLines is a grid of one or two factors, one of words at least, as lines: the
// outcome's mean and 5-95% band along one factor (the numeric one if there is one, placed by
// value; else the first, its levels in file order), a line per level of the other.
func levelLines(a *Analysis, plan *Plan, t Tables, k int, numeric []bool) chart {
	factors, kinds := plan.Sweep.File.Factors, plan.Sweep.Kinds
	along, across := 0, -1
	if len(factors) == 2 {
		across = 1
		if numeric[1] && !numeric[0] {
			along, across = 1, 0
		}
	}
	alongLevels := factors[along].levels(kinds[along])
	acrossLevels := []any{nil}
	if across >= 0 {
		acrossLevels = factors[across].levels(kinds[across])
	}
	order := make([]int, len(alongLevels)) // positions along x, by value for numbers
	for i := range order {
		order[i] = i
	}
	x := make([]float64, len(alongLevels))
	l := plot.Lines{Title: plan.Sweep.File.Name + ": " + a.Outcome, XLabel: plan.Sweep.Labels[along], YLabel: a.Outcome + " (mean, 5-95% of replicates)", X: x}
	if numeric[along] {
		slices.SortStableFunc(order, func(i, j int) int { return cmpFloat(alongLevels[i].(float64), alongLevels[j].(float64)) })
		for i, level := range order {
			x[i] = alongLevels[level].(float64)
		}
	} else {
		names := make([]string, len(alongLevels))
		for i, level := range alongLevels {
			x[i], names[i] = float64(i), formatValue(level)
		}
		l.XTicks = plot.LevelTicks(names)
	}
	for c, level := range acrossLevels {
		curve := plot.Curve{Name: a.Outcome, Mean: make([]float64, len(x)), Low: make([]float64, len(x)), High: make([]float64, len(x))}
		if across >= 0 {
			curve.Name = plan.Sweep.Labels[across] + " = " + formatValue(level)
		}
		for i, at := range order {
			// Grid points run through the second factor's levels fastest.
			p := at*len(acrossLevels) + c
			if along == 1 {
				p = c*len(alongLevels) + at
			}
			st := t.Stats[k][p]
			curve.Mean[i], curve.Low[i], curve.High[i] = st.Mean, st.P5, st.P95
		}
		l.Curves = append(l.Curves, curve)
	}
	title := a.Outcome + " against " + plan.Sweep.Labels[along]
	if across >= 0 {
		title += ", a line per " + plan.Sweep.Labels[across]
	}
	return chart{name: "levels", title: title, save: func(path string) error { return plot.Save(l, path) }}
}

// muSigmaChart is Morris's mu*-sigma plane, beside the bars of mu* and sigma.
func muSigmaChart(plan *Plan, outcome string, muStar, sigma []float64) chart {
	m := plot.MuSigma{Title: plan.Sweep.File.Name + ": Morris mu* and sigma of " + outcome, Labels: plan.Sweep.Labels, MuStar: muStar, Sigma: sigma}
	return chart{name: "mu_sigma", title: "Morris mu* against sigma: interactions and non-linear effects above the diagonal", save: func(path string) error { return plot.Save(m, path) }}
}
