package chart

import (
	"fmt"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Twin is a Lines chart with a deterministic counterpart of some of its
// curves drawn over them as dashed lines in the same colour: a run's
// agent-based mean and band beside its mean-field twin. The x axis's label
// says which lines are the twin's (TwinLabel), so the legend keeps one entry
// per platform and the title its length.
//
// The y range covers the twin as well as the curves. SplitSmall is ignored:
// a small platform's panel would need its twin too, and the log scale
// (LogY) shows small platforms already.
type Twin struct {
	Lines
	// Twins are matched to Lines.Curves by Name; only Mean is drawn. A curve
	// without a twin is drawn alone.
	Twins []Curve
	// TwinLabel names the dashed lines after the x label, e.g. "dashed: mean-field twin".
	TwinLabel string
}

// twinDashes is the twin's dash pattern: long dashes, distinct from the
// palette's second-cycle patterns at a glance.
var twinDashes = []vg.Length{vg.Points(5), vg.Points(3)}

func (t Twin) size() (vg.Length, vg.Length) { return defaultWidth, defaultHeight }

func (t Twin) build(vg.Length) (string, func(draw.Canvas), error) {
	l := t.Lines
	l.SplitSmall = false
	if t.TwinLabel != "" {
		l.XLabel += "; " + t.TwinLabel
	}
	name := titled("chart", l.Title)
	if err := checkCurves(name+": twins", l.X, t.Twins); err != nil {
		return "", nil, err
	}
	index := make([]int, len(t.Twins))
	for k, tw := range t.Twins {
		index[k] = -1
		for i, cv := range l.Curves {
			if cv.Name == tw.Name {
				index[k] = i
			}
		}
		if index[k] < 0 {
			return "", nil, fmt.Errorf("%s: twin %q: no curve has that name", name, tw.Name)
		}
	}
	if _, hi := curvesRange(l.X, t.Twins); l.YMax == nil && !l.LogY {
		if _, curvesHi := curvesRange(l.X, l.Curves); hi > curvesHi {
			top := hi * 1.05
			l.YMax = &top
		}
	}
	p, err := linesPlot(name, l, l.Points, false)
	if err != nil {
		return "", nil, err
	}
	for k, tw := range t.Twins {
		style := curveStyle(index[k])
		style.Dashes = twinDashes
		for _, r := range finiteRuns(l.X, tw.Mean) {
			pts := make(plotter.XYs, 0, r[1]-r[0])
			for j := r[0]; j < r[1]; j++ {
				if !l.LogY || tw.Mean[j] > 0 {
					pts = append(pts, plotter.XY{X: l.X[j], Y: tw.Mean[j]})
				}
			}
			if len(pts) < 2 {
				continue
			}
			line, err := plotter.NewLine(pts)
			if err != nil {
				return "", nil, fmt.Errorf("%s: twin %q: %w", name, tw.Name, err)
			}
			line.LineStyle = style
			p.Add(line)
		}
	}
	return name, p.Draw, nil
}
