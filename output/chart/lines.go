package chart

import (
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Lines is curves with optional 5-95% bands against x: a run's users,
// registrations and shares over time (x = steps, labelled by
// TimeAxis.Label), and a sweep outcome or chance of winning against one
// factor.
//
// Curves are drawn in order with a fixed colour per index, so the same
// platform order gives the same colours across all charts of a run. The x
// axis spans the finite X; the y axis always includes 0.
//
// This is the time-series chart: calendar ticks (from TimeAxis) and the
// observed record with labelled intervention dates belong here.
type Lines struct {
	Title, XLabel, YLabel string
	X                     []float64
	Curves                []Curve
	YMin, YMax            *float64 // optional fixed y range (e.g. 0..1 for shares); nil = automatic
}

func (l Lines) size() (vg.Length, vg.Length) { return defaultWidth, defaultHeight }

func (l Lines) build(vg.Length) (string, func(draw.Canvas), error) {
	name := titled("chart", l.Title)
	if err := checkCurves(name, l.X, l.Curves); err != nil {
		return "", nil, err
	}
	if err := checkBounds(name, "Y", l.YMin, l.YMax); err != nil {
		return "", nil, err
	}
	cp, err := plotCurves(name, l.Title, l.XLabel, l.YLabel, l.X, l.Curves)
	if err != nil {
		return "", nil, err
	}
	for _, e := range cp.entries {
		if e.name != "" {
			cp.legend.entries = append(cp.legend.entries, e)
		}
	}
	cp.legend.addTo(cp.p)

	// Ranges are set after Add, which widens them to the plotted data, so
	// the explicit choices below win.
	p := cp.p
	p.X.Min, p.X.Max = xRange(l.X)
	lo, hi := curvesRange(l.X, l.Curves)
	p.Y.Min, p.Y.Max = paddedRange(lo, hi, l.YMin, l.YMax)
	return name, p.Draw, nil
}
