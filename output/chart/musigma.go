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

// MuSigma is Morris screening's mu*-sigma plane: a point per factor at its mean absolute
// elementary effect (mu*, x) and their standard deviation (sigma, y), labelled with the
// factor. Factors near the origin do not matter; far right, they do; above the dashed line
// sigma = mu*, their effect depends on where the others are (interactions) or is not linear
// (Morris 1991; Campolongo et al. 2007).
type MuSigma struct {
	Title         string
	Labels        []string
	MuStar, Sigma []float64
}

func (m MuSigma) size() (vg.Length, vg.Length) { return defaultWidth, defaultHeight }

func (m MuSigma) build(vg.Length) (string, func(draw.Canvas), error) {
	name := titled("mu-sigma chart", m.Title)
	if len(m.Labels) == 0 {
		return "", nil, fmt.Errorf("%s: no factors to plot", name)
	}
	if len(m.MuStar) != len(m.Labels) || len(m.Sigma) != len(m.Labels) {
		return "", nil, fmt.Errorf("%s: %d labels, %d mu* and %d sigma", name, len(m.Labels), len(m.MuStar), len(m.Sigma))
	}
	p := newPlot(m.Title, "mu* (mean absolute elementary effect)", "sigma (sd of the elementary effects)")
	p.Add(newGrid(true))
	var pts plotter.XYs
	var labels []string
	top := 0.0
	for i, label := range m.Labels {
		if !finite(m.MuStar[i]) || !finite(m.Sigma[i]) {
			continue
		}
		pts = append(pts, plotter.XY{X: m.MuStar[i], Y: m.Sigma[i]})
		labels = append(labels, label)
		top = math.Max(top, math.Max(m.MuStar[i], m.Sigma[i]))
	}
	if len(pts) == 0 {
		return "", nil, fmt.Errorf("%s: no factor has a finite mu* and sigma", name)
	}
	if top == 0 {
		top = 1
	}
	top *= 1.15
	diagonal, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: top, Y: top}})
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", name, err)
	}
	diagonal.LineStyle = draw.LineStyle{Color: color.Gray{Y: 0x80}, Width: hairline, Dashes: dashCycles[1]}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", name, err)
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: palette[0], Radius: observedRadius, Shape: draw.CircleGlyph{}}
	p.Add(diagonal, sc)
	for i, pt := range pts {
		label, err := pointLabel(p, pt, labels[i], top/2)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", name, err)
		}
		p.Add(label)
	}
	lg := legend{entries: []legendEntry{{name: "sigma = mu*", thumb: lineThumb{diagonal.LineStyle}}}}
	lg.obstacles = append(lg.obstacles, obstacle{pts: plotter.XYs{{X: 0, Y: 0}, {X: top, Y: top}}, weight: 1})
	for _, pt := range pts {
		lg.obstacles = append(lg.obstacles, obstacle{pts: plotter.XYs{pt}, weight: 2})
	}
	lg.addTo(p)
	p.X.Min, p.X.Max = 0, top
	p.Y.Min, p.Y.Max = 0, top
	return name, p.Draw, nil
}

// pointLabel writes text beside the point pt: to its right, or to its left when the point
// lies right of mid, so that the label stays inside the plot.
func pointLabel(p *plot.Plot, pt plotter.XY, text string, mid float64) (*plotter.Labels, error) {
	label, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{pt}, Labels: []string{text}})
	if err != nil {
		return nil, err
	}
	label.TextStyle[0] = textStyle(p, legendSize)
	label.Offset = vg.Point{X: vg.Points(7), Y: vg.Points(4)}
	if pt.X > mid {
		label.TextStyle[0].XAlign = draw.XRight
		label.Offset.X = -label.Offset.X
	}
	return label, nil
}
