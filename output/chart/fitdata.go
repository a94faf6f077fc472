package chart

import (
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// FitData shows observed data over simulated curves: a calibration's fit.
//
// The curves are drawn as in Lines (mean line, 5-95% band, NaN gaps, fixed
// colours by index); each of Observed is drawn as filled circles with a
// black outline in the colour of the curve of the same Name. The legend
// has "NAME (simulated)" and "NAME (observed)" entries. Both axes include
// every observed point.
type FitData struct {
	Lines               // the simulated mean and 5-95% band per series
	Observed []PointSet // drawn as markers in the colour of the curve with the same Name
}

func (f FitData) size() (vg.Length, vg.Length) { return f.Lines.size() }

func (f FitData) build(vg.Length) (string, func(draw.Canvas), error) {
	return drawLines(titled("fit chart", f.Title), f.Lines, f.Observed, true)
}
