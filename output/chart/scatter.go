package chart

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Scatter is a sweep's runs seen along each factor: one panel per factor, the outcome (y) of
// every run against the factor's value (x), each run's point in its group's colour (the
// platform that won it). It is the plot of designs that sample the factors together (Latin
// hypercube, random) or grid more than two: a panel shows how the outcome follows its
// factor whatever the others do, and where a winner takes over.
type Scatter struct {
	Title, YLabel string
	Factors       []ScatterFactor // one panel each, in order, three to a row
	Y             []float64       // the outcome of each run; NaN is left out
	// Group is each run's index into Groups, whose names the legend shows in the palette's
	// colours in order.
	Group  []int
	Groups []string
}

// ScatterFactor is one panel's x: a factor's label and each run's value of it.
type ScatterFactor struct {
	Label string
	X     []float64
	// Levels, for a factor of words, name its levels: X holds each run's level index.
	Levels []string
}

// scatterColumns is the most panels a row holds.
const scatterColumns = 3

func (s Scatter) rows() int { return (len(s.Factors) + scatterColumns - 1) / scatterColumns }

func (s Scatter) size() (vg.Length, vg.Length) {
	return defaultWidth, max(defaultHeight, vg.Length(s.rows())*7*vg.Centimeter)
}

func (s Scatter) build(vg.Length) (string, func(draw.Canvas), error) {
	name := titled("scatter chart", s.Title)
	switch {
	case len(s.Factors) == 0:
		return "", nil, fmt.Errorf("%s: no factors to plot", name)
	case len(s.Group) != len(s.Y):
		return "", nil, fmt.Errorf("%s: %d groups for %d runs", name, len(s.Group), len(s.Y))
	}
	for _, g := range s.Group {
		if g < 0 || g >= len(s.Groups) {
			return "", nil, fmt.Errorf("%s: group %d of %d names", name, g, len(s.Groups))
		}
	}
	for _, f := range s.Factors {
		if len(f.X) != len(s.Y) {
			return "", nil, fmt.Errorf("%s: factor %q has %d values for %d runs", name, f.Label, len(f.X), len(s.Y))
		}
	}
	rows := s.rows()
	cols := min(len(s.Factors), scatterColumns)
	plots := make([][]*plot.Plot, rows)
	var lg legend
	for i, f := range s.Factors {
		yLabel := ""
		if i%scatterColumns == 0 {
			yLabel = s.YLabel
		}
		p := newPlot("", f.Label, yLabel)
		p.Add(newGrid(f.Levels == nil))
		p.X.Tick.Marker = readableTicks{target: 3} // a panel is a third of a chart's width
		if f.Levels != nil {
			p.X.Tick.Marker = labelTicks(f.Levels)
			p.X.Min, p.X.Max = -0.5, float64(len(f.Levels))-0.5
		}
		for g, group := range s.Groups {
			var pts plotter.XYs
			for r, y := range s.Y {
				if s.Group[r] == g && finite(y) && finite(f.X[r]) {
					pts = append(pts, plotter.XY{X: f.X[r], Y: y})
				}
			}
			glyph := draw.GlyphStyle{Color: translucent(palette[g%len(palette)]), Radius: pointRadius, Shape: draw.CircleGlyph{}}
			if i == 0 {
				lg.entries = append(lg.entries, legendEntry{name: group, thumb: glyphThumb(glyph)})
			}
			if len(pts) == 0 {
				continue
			}
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return "", nil, fmt.Errorf("%s: %w", name, err)
			}
			sc.GlyphStyle = glyph
			p.Add(sc)
		}
		plots[i/scatterColumns] = append(plots[i/scatterColumns], p)
	}
	for r := range plots {
		for len(plots[r]) < cols {
			plots[r] = append(plots[r], nil) // an empty tile keeps the last row's panels the others' size
		}
	}
	return name, func(c draw.Canvas) {
		c.SetColor(color.White)
		c.Fill(c.Rectangle.Path())
		title := newPlot(s.Title, "", "")
		sty := textStyle(title, titleSize)
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
		c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y - vg.Points(4)}, s.Title)
		c.Max.Y -= sty.Height(s.Title) + vg.Points(10)
		lg.style = textStyle(title, legendSize)
		row := c
		row.Max.Y = row.Min.Y + lg.style.Height("Mg") + 4
		c.Min.Y = row.Max.Y + vg.Points(4)
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(10), PadY: vg.Points(10)}
		canvases := plot.Align(plots, tiles, c)
		for r := range plots {
			for k, p := range plots[r] {
				if p != nil {
					p.Draw(canvases[r][k])
				}
			}
		}
		lg.drawRow(row, c.Center().X)
	}, nil
}

// translucent lets overlapping points of many runs show their density.
func translucent(c color.NRGBA) color.NRGBA {
	c.A = 0xb0
	return c
}

// glyphThumb is a legend thumbnail of one point.
type glyphThumb draw.GlyphStyle

// Thumbnail implements plot.Thumbnailer.
func (g glyphThumb) Thumbnail(c *draw.Canvas) {
	style := draw.GlyphStyle(g)
	style.Radius = observedRadius
	c.DrawGlyph(style, c.Center())
}
