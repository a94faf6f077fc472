package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file draws curves with bands and observed points, for the kinds that
// show series against x (Lines, FitData).

// Curve is one series against x: the mean (or the single run) and, with
// replicates, a 5-95% band.
//
// Mean, Low and High are indexed like the chart's X. A NaN or ±Inf value is
// treated as "no data" and leaves a gap, so a run that stopped early or a
// platform that did not exist yet does not have to be padded with fake
// numbers.
type Curve struct {
	Name      string
	Mean      []float64
	Low, High []float64 // nil when there is a single replicate; same length as Mean otherwise
}

// PointSet is observed data for one series: Y at X, in any order. Points
// with a NaN or ±Inf coordinate are left out.
type PointSet struct {
	Name   string // the curve the points belong to, whose colour they take
	X, Y   []float64
	Marker Marker // the glyph; the zero value is a circle
	Label  string // the legend's text; "" means "NAME (observed)"
}

// legendName is the legend's text for the points.
func (ps PointSet) legendName() string {
	if ps.Label != "" {
		return ps.Label
	}
	return ps.Name + " (observed)"
}

// maxPoints is the number of points per series above which series are
// thinned out: more points than the output has pixels only make SVG files
// big and slow to open.
const maxPoints = 2000

// curveName identifies a curve in error messages, by name when it has one.
func curveName(i int, cv Curve) string {
	if cv.Name == "" {
		return fmt.Sprintf("curve #%d", i)
	}
	return fmt.Sprintf("curve %q", cv.Name)
}

// checkCurves reports everything about curves on x that would make a chart
// meaningless or make gonum/plot panic, with a message naming the chart
// (as name) and curve.
func checkCurves(name string, x []float64, curves []Curve) error {
	if len(curves) == 0 {
		return fmt.Errorf("%s: no curves to plot", name)
	}
	if len(x) == 0 {
		return fmt.Errorf("%s: X is empty", name)
	}
	for i, cv := range curves {
		if err := checkBand(name+": "+curveName(i, cv), "points", "X", len(x), "Mean", cv.Mean, cv.Low, cv.High); err != nil {
			return err
		}
	}
	return nil
}

// addCurves adds the bands and then the lines of curves to p (bands first,
// so no band covers another curve's line), records what they cover as
// legend obstacles, and returns one legend entry per curve, in order (name
// empty for unnamed curves).
func addCurves(p *plot.Plot, name string, x []float64, curves []Curve, lg *legend) ([]legendEntry, error) {
	bucket := 1
	if len(x) > maxPoints {
		// Two points (min and max) per bucket keep the visual envelope of
		// the series, including single-step spikes, at ~maxPoints points.
		bucket = (len(x) + maxPoints/2 - 1) / (maxPoints / 2)
	}

	entries := make([]legendEntry, len(curves))
	var lines []plot.Plotter
	for i, cv := range curves {
		col := palette[i%len(palette)]
		var bandCol color.Color
		if cv.Low != nil {
			bandCol = color.NRGBA{R: col.R, G: col.G, B: col.B, A: bandAlpha}
			var rings []plotter.XYer
			for _, r := range finiteRuns(x, cv.Low, cv.High) {
				if r[1]-r[0] < 2 {
					continue // a band needs a width to be visible
				}
				lo := thin(x, cv.Low, r[0], r[1], bucket)
				hi := thin(x, cv.High, r[0], r[1], bucket)
				ring := make(plotter.XYs, 0, len(lo)+len(hi))
				ring = append(ring, lo...)
				for j := len(hi) - 1; j >= 0; j-- {
					ring = append(ring, hi[j])
				}
				rings = append(rings, ring)
				lg.obstacles = append(lg.obstacles, obstacle{lo, 0.5}, obstacle{hi, 0.5})
			}
			if len(rings) > 0 {
				poly, err := plotter.NewPolygon(rings...)
				if err != nil {
					return nil, fmt.Errorf("%s: %s: band: %w", name, curveName(i, cv), err)
				}
				poly.Color = bandCol
				poly.LineStyle = draw.LineStyle{} // no outline: the band edges are not data
				p.Add(poly)
			}
		}

		ls := curveStyle(i)
		var isolated plotter.XYs
		for _, r := range finiteRuns(x, cv.Mean) {
			pts := thin(x, cv.Mean, r[0], r[1], bucket)
			lg.obstacles = append(lg.obstacles, obstacle{pts, 1})
			if len(pts) == 1 {
				// A value with gaps on both sides has no line segment;
				// a dot keeps it from silently disappearing.
				isolated = append(isolated, pts[0])
				continue
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", name, curveName(i, cv), err)
			}
			l.LineStyle = ls
			lines = append(lines, l)
		}
		if len(isolated) > 0 {
			s, err := plotter.NewScatter(isolated)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", name, curveName(i, cv), err)
			}
			s.GlyphStyle = draw.GlyphStyle{Color: col, Radius: pointRadius, Shape: draw.CircleGlyph{}}
			lines = append(lines, s)
		}
		entries[i] = legendEntry{cv.Name, curveThumb{line: ls, band: bandCol}}
	}
	p.Add(lines...)
	return entries, nil
}

// curvesRange is the range of the finite values of curves at finite x,
// including 0.
func curvesRange(x []float64, curves []Curve) (lo, hi float64) {
	for _, cv := range curves {
		for _, s := range [][]float64{cv.Mean, cv.Low, cv.High} {
			for j, v := range s {
				if finite(v) && finite(x[j]) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	return lo, hi
}

// finitePoints is the points of ps with finite coordinates.
func finitePoints(ps PointSet) plotter.XYs {
	var pts plotter.XYs
	for k := range ps.X {
		if finite(ps.X[k]) && finite(ps.Y[k]) {
			pts = append(pts, plotter.XY{X: ps.X[k], Y: ps.Y[k]})
		}
	}
	return pts
}

// observedPoints draws pts as observed data in the colour of curve i: filled
// glyphs of the marker's shape with a black outline, so they stay visible on
// top of a line or band of the same colour.
func observedPoints(pts plotter.XYs, i int, m Marker) (*plotter.Scatter, error) {
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	s.GlyphStyle = draw.GlyphStyle{Color: palette[i%len(palette)], Radius: observedRadius, Shape: m.glyph()}
	return s, nil
}

// outlinedCircle is a glyph: a circle filled with the glyph colour and a
// thin black outline.
type outlinedCircle struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (outlinedCircle) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var p vg.Path
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	c.SetColor(sty.Color)
	c.Fill(p)
	c.SetLineStyle(outlineStyle)
	c.Stroke(p)
}

// finiteRuns returns the half-open index ranges [start, end) over which x and
// all of ys are finite. Each run becomes its own line, because gonum's
// NewLine rejects NaN/Inf and joining across a gap would invent data.
func finiteRuns(x []float64, ys ...[]float64) [][2]int {
	var runs [][2]int
	start := -1
	for i := range x {
		ok := finite(x[i])
		for _, y := range ys {
			ok = ok && finite(y[i])
		}
		switch {
		case ok && start < 0:
			start = i
		case !ok && start >= 0:
			runs = append(runs, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		runs = append(runs, [2]int{start, len(x)})
	}
	return runs
}

// thin returns the points of y over [start, end). With bucket > 1 it keeps
// the first and last point and, from every bucket of that many consecutive
// indices, the minimum and the maximum in index order; unlike a plain stride
// this preserves peaks and the band envelope. Buckets are aligned to absolute
// indices so Low, Mean and High are thinned consistently.
func thin(x, y []float64, start, end, bucket int) plotter.XYs {
	if bucket <= 1 {
		pts := make(plotter.XYs, 0, end-start)
		for i := start; i < end; i++ {
			pts = append(pts, plotter.XY{X: x[i], Y: y[i]})
		}
		return pts
	}
	pts := make(plotter.XYs, 0, 2*((end-start)/bucket+2))
	last := -1
	add := func(i int) {
		if i != last {
			pts = append(pts, plotter.XY{X: x[i], Y: y[i]})
			last = i
		}
	}
	add(start)
	for b := start - start%bucket; b < end; b += bucket {
		lo, hi := max(b, start), min(b+bucket, end)
		imin, imax := lo, lo
		for i := lo; i < hi; i++ {
			if y[i] < y[imin] {
				imin = i
			}
			if y[i] > y[imax] {
				imax = i
			}
		}
		add(min(imin, imax))
		add(max(imin, imax))
	}
	add(end - 1)
	return pts
}
