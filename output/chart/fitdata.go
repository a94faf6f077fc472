package chart

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// FitData shows observed data over simulated curves: a calibration's fit.
//
// Curves are drawn as in Lines (mean line, 5-95% band, NaN gaps, fixed
// colours by index); each of Observed is drawn as filled circles with a
// black outline in the colour of the curve of the same Name. The legend
// has "NAME (simulated)" and "NAME (observed)" entries. The y axis always
// includes 0, and both axes include every observed point.
type FitData struct {
	Title, XLabel, YLabel string
	X                     []float64
	Curves                []Curve    // simulated mean and 5-95% band per series, on X
	Observed              []PointSet // drawn as markers in the colour of the curve with the same Name
}

func (f FitData) size() (vg.Length, vg.Length) { return defaultWidth, defaultHeight }

func (f FitData) build(vg.Length) (string, func(draw.Canvas), error) {
	name := titled("fit chart", f.Title)
	if err := checkCurves(name, f.X, f.Curves); err != nil {
		return "", nil, err
	}
	curveOf := make([]int, len(f.Observed))
	for j, ps := range f.Observed {
		if ps.Name == "" {
			return "", nil, fmt.Errorf("%s: points #%d: Name is empty (it must match a curve's)", name, j)
		}
		curveOf[j] = -1
		for i, cv := range f.Curves {
			if cv.Name == ps.Name {
				curveOf[j] = i
				break
			}
		}
		if curveOf[j] < 0 {
			return "", nil, fmt.Errorf("%s: points %q: no curve has that name", name, ps.Name)
		}
		if len(ps.X) != len(ps.Y) {
			return "", nil, fmt.Errorf("%s: points %q: X has %d values, Y has %d", name, ps.Name, len(ps.X), len(ps.Y))
		}
	}

	cp, err := plotCurves(name, f.Title, f.XLabel, f.YLabel, f.X, f.Curves)
	if err != nil {
		return "", nil, err
	}
	p, lg := cp.p, cp.legend
	xs := append([]float64(nil), f.X...)
	lo, hi := curvesRange(f.X, f.Curves)
	pointEntries := make([][]legendEntry, len(f.Curves))
	for j, ps := range f.Observed {
		pts := finitePoints(ps)
		if len(pts) == 0 {
			continue
		}
		for _, pt := range pts {
			xs = append(xs, pt.X)
			lo, hi = math.Min(lo, pt.Y), math.Max(hi, pt.Y)
		}
		s, err := observedPoints(pts, curveOf[j])
		if err != nil {
			return "", nil, fmt.Errorf("%s: points %q: %w", name, ps.Name, err)
		}
		p.Add(s)
		lg.obstacles = append(lg.obstacles, obstacle{pts, 1})
		pointEntries[curveOf[j]] = append(pointEntries[curveOf[j]], legendEntry{ps.Name + " (observed)", s})
	}
	for i, e := range cp.entries {
		if e.name != "" {
			e.name += " (simulated)"
			lg.entries = append(lg.entries, e)
		}
		lg.entries = append(lg.entries, pointEntries[i]...)
	}
	lg.addTo(p)

	p.X.Min, p.X.Max = xRange(xs)
	p.Y.Min, p.Y.Max = paddedRange(lo, hi, nil, nil)
	return name, p.Draw, nil
}
