package chart

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
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
// axis spans the finite X; the y axis always includes 0, unless LogY puts
// it on a log scale (see onLogAxis for what becomes of values <= 0).
//
// This is the time-series chart: calendar ticks (from TimeAxis) and
// labelled intervention dates belong here, as observed data over the
// curves already do (drawLines, used by FitData).
type Lines struct {
	Title, XLabel, YLabel string
	XTicks                plot.Ticker // the x axis's ticks (TimeAxis.Ticks for dates); nil: numbers
	X                     []float64
	Curves                []Curve
	YMin, YMax            *float64 // optional fixed y range (e.g. 0..1 for shares); nil = automatic
	// LogY draws the y axis on a log10 scale, so that a platform with a
	// thousandth of another's users still shows its shape. Fixed bounds
	// that are not positive are ignored there.
	LogY bool
	// Points are observed figures drawn over the curve of the same Name (a
	// run's record), each set with its own Marker and legend Label.
	Points []PointSet
	// Events are dates marked by labelled vertical lines (interventions,
	// launches).
	Events []Event
	// SplitSmall gives curves whose peak is under 1/smallRatio of the
	// largest peak a panel of their own below, on their own y scale, so a
	// platform with a twentieth of another's users is not a flat line at
	// the bottom. It has no effect with LogY, which shows both already.
	SplitSmall bool
}

func (l Lines) size() (vg.Length, vg.Length) {
	if _, ok := l.split(); ok {
		return defaultWidth, splitHeight
	}
	return defaultWidth, defaultHeight
}

func (l Lines) build(vg.Length) (string, func(draw.Canvas), error) {
	name := titled("chart", l.Title)
	if small, ok := l.split(); ok {
		return drawSplit(name, l, small)
	}
	p, err := linesPlot(name, l, l.Points, false)
	if err != nil {
		return "", nil, err
	}
	return name, p.Draw, nil
}

// drawLines draws l with observed data over its curves. With compare, the
// legend says which entries are simulated and which observed; otherwise
// it names the curves only.
func drawLines(name string, l Lines, observed []PointSet, compare bool) (string, func(draw.Canvas), error) {
	p, err := linesPlot(name, l, observed, compare)
	if err != nil {
		return "", nil, err
	}
	return name, p.Draw, nil
}

// linesPlot lays out l with observed data over its curves, as drawLines.
func linesPlot(name string, l Lines, observed []PointSet, compare bool) (*plot.Plot, error) {
	if err := checkCurves(name, l.X, l.Curves); err != nil {
		return nil, err
	}
	if err := checkBounds(name, "Y", l.YMin, l.YMax); err != nil {
		return nil, err
	}
	if err := checkEvents(name, l.Events); err != nil {
		return nil, err
	}
	curveOf, err := matchObserved(name, l.Curves, observed)
	if err != nil {
		return nil, err
	}

	curves, floor := l.Curves, 0.0
	if l.LogY {
		curves, floor = onLogAxis(l.X, curves, observed)
	}
	p, lg := newPlot(l.Title, l.XLabel, l.YLabel), &legend{}
	p.Add(newGrid(true))
	curveEntries, err := addCurves(p, name, l.X, curves, lg)
	if err != nil {
		return nil, err
	}
	xs := append([]float64(nil), l.X...)
	lo, hi := curvesRange(l.X, curves)
	pointEntries := make([][]legendEntry, len(l.Curves))
	for j, ps := range observed {
		pts := finitePoints(ps)
		if l.LogY {
			pts = slices.DeleteFunc(pts, func(pt plotter.XY) bool { return !(pt.Y > 0) })
		}
		if len(pts) == 0 {
			continue
		}
		for _, pt := range pts {
			xs = append(xs, pt.X)
			lo, hi = math.Min(lo, pt.Y), math.Max(hi, pt.Y)
		}
		s, err := observedPoints(pts, curveOf[j], ps.Marker)
		if err != nil {
			return nil, fmt.Errorf("%s: points %q: %w", name, ps.Name, err)
		}
		p.Add(s)
		lg.obstacles = append(lg.obstacles, obstacle{pts, 1})
		pointEntries[curveOf[j]] = append(pointEntries[curveOf[j]], legendEntry{ps.legendName(), s})
	}
	for i, e := range curveEntries {
		if e.name != "" {
			if compare {
				e.name += " (simulated)"
			}
			lg.entries = append(lg.entries, e)
		}
		lg.entries = append(lg.entries, pointEntries[i]...)
	}
	if len(l.Events) > 0 {
		p.Add(eventLines{l.Events}) // under the legend
	}
	lg.addTo(p)

	// Ranges are set after Add, which widens them to the plotted data, so
	// the explicit choices below win.
	p.X.Min, p.X.Max = xRange(xs)
	if l.XTicks != nil {
		p.X.Tick.Marker = l.XTicks
	}
	p.Y.Min, p.Y.Max = paddedRange(lo, hi, l.YMin, l.YMax)
	if l.LogY {
		p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, logScaleTicks{}
		p.Y.Min, p.Y.Max = logRange(floor, hi, l.YMin, l.YMax)
	}
	eventObstacles(p, l.Events, lg)
	return p, nil
}

// matchObserved returns, for each of observed, the index of the curve of
// the same name, or an error naming the chart (as name) and the points.
func matchObserved(name string, curves []Curve, observed []PointSet) ([]int, error) {
	curveOf := make([]int, len(observed))
	for j, ps := range observed {
		if ps.Name == "" {
			return nil, fmt.Errorf("%s: points #%d: Name is empty (it must match a curve's)", name, j)
		}
		curveOf[j] = -1
		for i, cv := range curves {
			if cv.Name == ps.Name {
				curveOf[j] = i
				break
			}
		}
		if curveOf[j] < 0 {
			return nil, fmt.Errorf("%s: points %q: no curve has that name", name, ps.Name)
		}
		if len(ps.X) != len(ps.Y) {
			return nil, fmt.Errorf("%s: points %q: X has %d values, Y has %d", name, ps.Name, len(ps.X), len(ps.Y))
		}
	}
	return curveOf, nil
}
