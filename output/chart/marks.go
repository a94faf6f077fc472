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

// This file draws what a time-series chart marks beside its curves: the
// glyphs of observed points and the labelled vertical lines of events.

// Marker is the glyph of a PointSet. Several sets over one curve (a
// platform's registered users and its monthly actives) differ by marker,
// as their colour is the curve's.
type Marker int

const (
	// Circle is the default marker.
	Circle Marker = iota
	// Triangle points up.
	Triangle
	// Square is axis-aligned.
	Square
	// Diamond is a square on its corner.
	Diamond
)

// glyph draws the marker filled in the glyph colour with a thin black
// outline.
func (m Marker) glyph() draw.GlyphDrawer {
	switch m {
	case Triangle:
		return outlinedPolygon{corners: 3, turn: math.Pi / 2}
	case Square:
		return outlinedPolygon{corners: 4, turn: math.Pi / 4}
	case Diamond:
		return outlinedPolygon{corners: 4}
	}
	return outlinedCircle{}
}

// outlinedPolygon is a glyph: a regular polygon with the given number of
// corners, the first at angle turn, filled with the glyph colour and with a
// thin black outline. Its corners lie a little outside the glyph radius so
// that its area is close to the circle's.
type outlinedPolygon struct {
	corners int
	turn    float64
}

// DrawGlyph implements draw.GlyphDrawer.
func (g outlinedPolygon) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius * 1.25
	var p vg.Path
	for k := range g.corners {
		a := g.turn + 2*math.Pi*float64(k)/float64(g.corners)
		at := vg.Point{X: pt.X + r*vg.Length(math.Cos(a)), Y: pt.Y + r*vg.Length(math.Sin(a))}
		if k == 0 {
			p.Move(at)
		} else {
			p.Line(at)
		}
	}
	p.Close()
	c.SetColor(sty.Color)
	c.Fill(p)
	c.SetLineStyle(outlineStyle)
	c.Stroke(p)
}

// Event is a date marked on a time axis: a dashed vertical line at X with
// Label written along it, at the top.
type Event struct {
	X     float64
	Label string
}

// checkEvents reports an event whose X is not finite.
func checkEvents(name string, events []Event) error {
	for i, e := range events {
		if !finite(e.X) {
			return fmt.Errorf("%s: event #%d (%q): X is %v", name, i, e.Label, e.X)
		}
	}
	return nil
}

var (
	eventStyle = draw.LineStyle{Color: color.Gray{Y: 0x50}, Width: vg.Points(0.75), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	eventColor = color.Gray{Y: 0x30}
)

// eventLines is a plotter of events. Events outside the x range are not
// drawn; their labels run upwards from below the top of the data area, on
// the right of their line.
type eventLines struct {
	events []Event
}

// Plot implements plot.Plotter.
func (ev eventLines) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, _ := plt.Transforms(&c)
	sty := textStyle(plt, noteSize)
	sty.Color = eventColor
	sty.Rotation = math.Pi / 2
	sty.XAlign, sty.YAlign = draw.XRight, draw.YTop
	var shown []Event
	for _, e := range ev.events {
		if e.X >= plt.X.Min && e.X <= plt.X.Max {
			shown = append(shown, e)
			x := trX(e.X)
			c.StrokeLine2(eventStyle, x, c.Min.Y, x, c.Max.Y)
		}
	}
	// Labels after every line, so that a close neighbour's line does not run over them; they
	// get no box, which would hide the curves beneath. A label whose column would touch an
	// earlier one's (events a step or two apart) starts below it instead of on top of it.
	type placed struct{ x, bottom vg.Length }
	var columns []placed
	thick := sty.FontExtents().Height
	for _, e := range shown {
		if e.Label == "" {
			continue
		}
		x, top := trX(e.X)+vg.Points(1.5), c.Max.Y-vg.Points(3)
		for _, p := range columns {
			if x-p.x < thick && p.x-x < thick {
				top = min(top, p.bottom-vg.Points(4))
			}
		}
		if top-sty.Width(e.Label) < c.Min.Y {
			top = c.Max.Y - vg.Points(3) // no room below: back on top, as without neighbours
		}
		c.FillText(sty, vg.Point{X: x, Y: top}, e.Label)
		columns = append(columns, placed{x, top - sty.Width(e.Label)})
	}
}

// eventObstacles makes the legend avoid the top of each event's line, where
// its label is written: a hidden label weighs as much as ten line segments
// covered. p's y range must be set.
func eventObstacles(p *plot.Plot, events []Event, lg *legend) {
	below := p.Y.Min + 0.6*(p.Y.Max-p.Y.Min)
	if _, ok := p.Y.Scale.(plot.LogScale); ok {
		below = math.Pow(10, math.Log10(p.Y.Min)+0.6*(math.Log10(p.Y.Max)-math.Log10(p.Y.Min)))
	}
	for _, e := range events {
		lg.obstacles = append(lg.obstacles, obstacle{plotter.XYs{{X: e.X, Y: below}, {X: e.X, Y: p.Y.Max}}, 10})
	}
}
