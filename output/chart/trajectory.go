package chart

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Trajectory is PRIM's peeling trajectory (scenario discovery): each box
// peeled on the way, by the share of the runs where the condition holds
// that it covers (x) and the share of its runs where it holds (y), both in
// [0, 1]. Peeling walks from the box of all runs, at coverage 1, towards
// smaller and denser boxes. The chosen box is ringed and labelled; the
// box it became after pasting, when given and different, is a square.
type Trajectory struct {
	Title             string
	Coverage, Density []float64 // one per box, in peeling order
	Chosen            int       // index of the chosen box
	// Pasted is the chosen box after pasting, as {coverage, density}; nil
	// when there is none.
	Pasted []float64
}

func (t Trajectory) size() (vg.Length, vg.Length) { return defaultWidth, defaultHeight }

func (t Trajectory) build(vg.Length) (string, func(draw.Canvas), error) {
	name := titled("trajectory chart", t.Title)
	switch {
	case len(t.Coverage) == 0:
		return "", nil, fmt.Errorf("%s: no boxes to plot", name)
	case len(t.Coverage) != len(t.Density):
		return "", nil, fmt.Errorf("%s: %d coverages for %d densities", name, len(t.Coverage), len(t.Density))
	case t.Chosen < 0 || t.Chosen >= len(t.Coverage):
		return "", nil, fmt.Errorf("%s: chosen box %d of %d", name, t.Chosen, len(t.Coverage))
	case t.Pasted != nil && len(t.Pasted) != 2:
		return "", nil, fmt.Errorf("%s: Pasted has %d values, want coverage and density", name, len(t.Pasted))
	}
	pts := make(plotter.XYs, len(t.Coverage))
	for i := range pts {
		pts[i] = plotter.XY{X: t.Coverage[i], Y: t.Density[i]}
		if !(pts[i].X >= 0 && pts[i].X <= 1 && pts[i].Y >= 0 && pts[i].Y <= 1) {
			return "", nil, fmt.Errorf("%s: box %d at coverage %.3g, density %.3g, outside [0, 1]", name, i, pts[i].X, pts[i].Y)
		}
	}
	p := newPlot(t.Title, "coverage (share of the runs where it holds, inside the box)", "density (share of the box's runs where it holds)")
	p.Add(newGrid(true))
	line, scatter, err := plotter.NewLinePoints(pts)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", name, err)
	}
	line.LineStyle = curveStyle(0)
	scatter.GlyphStyle = draw.GlyphStyle{Color: palette[0], Radius: pointRadius, Shape: draw.CircleGlyph{}}
	p.Add(line, scatter)
	marks := plotter.XYs{pts[t.Chosen]}
	labels := []string{fmt.Sprintf("box %d (chosen)", t.Chosen)}
	chosen, err := plotter.NewScatter(plotter.XYs{pts[t.Chosen]})
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", name, err)
	}
	chosen.GlyphStyle = draw.GlyphStyle{Color: palette[1], Radius: observedRadius, Shape: draw.RingGlyph{}}
	p.Add(chosen)
	if t.Pasted != nil && t.Pasted[0] == pts[t.Chosen].X && t.Pasted[1] == pts[t.Chosen].Y {
		labels[0] = fmt.Sprintf("box %d (chosen; pasting adds nothing)", t.Chosen)
	} else if t.Pasted != nil {
		pasted, err := plotter.NewScatter(plotter.XYs{{X: t.Pasted[0], Y: t.Pasted[1]}})
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", name, err)
		}
		pasted.GlyphStyle = draw.GlyphStyle{Color: palette[1], Radius: observedRadius, Shape: draw.SquareGlyph{}}
		p.Add(pasted)
		marks = append(marks, plotter.XY{X: t.Pasted[0], Y: t.Pasted[1]})
		labels = append(labels, "pasted")
	}
	for i, m := range marks {
		lbl, err := pointLabel(p, m, labels[i], 0.5)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", name, err)
		}
		if i == 1 { // the pasted box: below its mark, away from the chosen box's label
			lbl.Offset.Y = -vg.Points(12)
		}
		p.Add(lbl)
	}
	lo := 1.0
	for _, d := range t.Density {
		lo = math.Min(lo, d)
	}
	p.X.Min, p.X.Max = 0, 1.05
	p.Y.Min, p.Y.Max = math.Max(0, lo-0.05), 1.05
	return name, p.Draw, nil
}
