package chart

import (
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file splits a Lines chart in two panels when some curves would be
// flat lines at the bottom of the others' scale (Lines.SplitSmall).

// smallRatio is how many times smaller than the largest a curve's peak must
// be to get the lower panel: at a twentieth, a curve spans less than 5% of
// the axis, a few pixels.
const smallRatio = 20

// splitHeight is the canvas height of a split chart: two panels, each a
// little shorter than a chart of its own.
const splitHeight = 16 * vg.Centimeter

// split returns which curves go to the lower panel, and whether there are
// any: those whose peak mean is positive and under 1/smallRatio of the
// largest peak.
func (l Lines) split() ([]bool, bool) {
	if !l.SplitSmall || l.LogY || len(l.Curves) < 2 {
		return nil, false
	}
	peaks := make([]float64, len(l.Curves))
	for i, cv := range l.Curves {
		for _, v := range cv.Mean {
			if finite(v) {
				peaks[i] = math.Max(peaks[i], v)
			}
		}
	}
	largest := slices.Max(peaks)
	small := make([]bool, len(l.Curves))
	any := false
	for i, p := range peaks {
		small[i] = p > 0 && p*smallRatio < largest
		any = any || small[i]
	}
	return small, any
}

// drawSplit draws l's large curves in the upper panel and the small ones in
// the lower, each with its points and events, on a shared x axis. A curve
// keeps its index, and so its colour, in both panels: in the panel it does
// not belong to it is a nameless gap.
func drawSplit(name string, l Lines, small []bool) (string, func(draw.Canvas), error) {
	if _, err := matchObserved(name, l.Curves, l.Points); err != nil {
		return "", nil, err // before the points are shared out by name
	}
	upper, lower := l, l
	upper.XLabel = ""
	lower.Title = ""
	upper.Curves, upper.Points = panel(l, small, false)
	lower.Curves, lower.Points = panel(l, small, true)
	lower.YLabel = l.YLabel + ", own scale"
	var plots [2]*plot.Plot
	for i, part := range []Lines{upper, lower} {
		p, err := linesPlot(name, part, part.Points, false)
		if err != nil {
			return "", nil, err
		}
		plots[i] = p
	}
	return name, func(c draw.Canvas) {
		tiles := draw.Tiles{Rows: 2, Cols: 1, PadY: vg.Points(6)}
		canvases := plot.Align([][]*plot.Plot{{plots[0]}, {plots[1]}}, tiles, c)
		plots[0].Draw(canvases[0][0])
		plots[1].Draw(canvases[1][0])
	}, nil
}

// panel is l's curves and points for the lower panel (lower) or the upper:
// the others' curves become gaps without a name, their points are left out.
func panel(l Lines, small []bool, lower bool) ([]Curve, []PointSet) {
	curves := make([]Curve, len(l.Curves))
	var points []PointSet
	for i, cv := range l.Curves {
		if small[i] == lower {
			curves[i] = cv
			for _, ps := range l.Points {
				if ps.Name == cv.Name {
					points = append(points, ps)
				}
			}
			continue
		}
		gap := make([]float64, len(cv.Mean))
		for j := range gap {
			gap[j] = math.NaN()
		}
		curves[i] = Curve{Mean: gap}
	}
	return curves, points
}
