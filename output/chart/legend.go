package chart

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file is the one legend of all charts: entries with thumbnails, drawn
// on a light box in the corner of the data area that hides the least data,
// or in a row below a chart whose data area is full (heat maps).

type legendEntry struct {
	name  string
	thumb plot.Thumbnailer
}

// obstacle is a drawn polyline (in data coordinates) the legend should not
// cover; weight says how bad covering it is (lines 1, band edges less).
type obstacle struct {
	pts    plotter.XYs
	weight float64
}

// legend is a plotter that draws the legend. It is a plotter rather than
// plot.Legend because placement needs the final canvas geometry and gonum's
// legend has neither a background nor automatic placement.
type legend struct {
	entries   []legendEntry
	obstacles []obstacle
	style     text.Style
}

const (
	legendInset = 5 // pt between the data area edge and the legend box
	legendPad   = 4 // pt between the legend box and its content
)

// addTo adds the legend on top of everything added to p so far, if it has
// entries.
func (lg *legend) addTo(p *plot.Plot) {
	if len(lg.entries) > 0 {
		lg.style = textStyle(p, legendSize)
		p.Add(lg)
	}
}

// layout returns a gonum legend holding lg's entries and the size of the
// box drawn around it.
func (lg *legend) layout() (leg plot.Legend, boxW, boxH vg.Length) {
	const pad = legendPad
	leg = plot.NewLegend()
	leg.TextStyle = lg.style
	leg.ThumbnailWidth = vg.Points(20)
	leg.Padding = vg.Points(3)
	var textW, entH vg.Length
	for _, e := range lg.entries {
		leg.Add(e.name, e.thumb)
		r := lg.style.Rectangle(e.name)
		textW = max(textW, r.Max.X-r.Min.X)
		entH = max(entH, r.Max.Y)
	}
	n := vg.Length(len(lg.entries))
	em := lg.style.Rectangle(" ").Max.X
	boxW = leg.ThumbnailWidth + em + textW + 2*pad
	boxH = n*entH + (n-1)*leg.Padding + 2*pad
	return leg, boxW, boxH
}

// Plot implements plot.Plotter.
func (lg *legend) Plot(c draw.Canvas, plt *plot.Plot) {
	const (
		inset = legendInset
		pad   = legendPad
	)
	leg, boxW, boxH := lg.layout()
	descent := lg.style.FontExtents().Descent

	trX, trY := plt.Transforms(&c)
	type corner struct {
		top, left bool
		box       vg.Rectangle
	}
	var best corner
	bestScore := math.Inf(1)
	// Top-left first: it wins ties, and it is where adoption curves (which
	// start low and rise) usually leave room.
	for _, cr := range []corner{{top: true, left: true}, {top: true}, {}, {left: true}} {
		if cr.left {
			cr.box.Min.X = c.Min.X + inset
			cr.box.Max.X = cr.box.Min.X + boxW
		} else {
			cr.box.Max.X = c.Max.X - inset
			cr.box.Min.X = cr.box.Max.X - boxW
		}
		if cr.top {
			cr.box.Max.Y = c.Max.Y - inset
			cr.box.Min.Y = cr.box.Max.Y - boxH
		} else {
			cr.box.Min.Y = c.Min.Y + inset
			cr.box.Max.Y = cr.box.Min.Y + boxH
		}
		score := 0.0
		for _, o := range lg.obstacles {
			for j := range o.pts {
				a := vg.Point{X: trX(o.pts[j].X), Y: trY(o.pts[j].Y)}
				b := a
				if j+1 < len(o.pts) {
					b = vg.Point{X: trX(o.pts[j+1].X), Y: trY(o.pts[j+1].Y)}
				}
				if segmentHitsRect(a, b, cr.box) {
					score += o.weight
				}
			}
		}
		if score < bestScore {
			best, bestScore = cr, score
		}
	}

	frame := []vg.Point{
		best.box.Min, {X: best.box.Max.X, Y: best.box.Min.Y},
		best.box.Max, {X: best.box.Min.X, Y: best.box.Max.Y},
	}
	c.FillPolygon(legendFill, frame)
	c.StrokeLines(draw.LineStyle{Color: legendFrame, Width: hairline}, append(frame, frame[0]))

	// Offsets that make plot.Legend.Draw put its content inside the box.
	leg.Top, leg.Left = best.top, best.left
	if best.left {
		leg.XOffs = inset + pad
	} else {
		leg.XOffs = -(inset + pad)
	}
	if best.top {
		leg.YOffs = descent - inset - pad
	} else {
		leg.YOffs = inset + pad
	}
	leg.Draw(c)
}

// segmentHitsRect reports whether segment ab intersects r (Liang-Barsky).
func segmentHitsRect(a, b vg.Point, r vg.Rectangle) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	for _, e := range [4][2]float64{
		{-dx, float64(a.X - r.Min.X)},
		{dx, float64(r.Max.X - a.X)},
		{-dy, float64(a.Y - r.Min.Y)},
		{dy, float64(r.Max.Y - a.Y)},
	} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// extent is what one bar (with its error bar) covers, in data coordinates.
type extent struct{ x0, x1, lo, hi float64 }

// makeRoom raises the top of p's y axis, if needed, so that the legend
// fits into a top corner above the drawn extents instead of covering some.
func (lg *legend) makeRoom(p *plot.Plot, c draw.Canvas, extents []extent) {
	if len(lg.entries) == 0 {
		return
	}
	_, boxW, boxH := lg.layout()
	// Twice, because a higher top can widen the y tick labels and so
	// move the bars.
	for range 2 {
		data := p.DataCanvas(c)
		trX, _ := p.Transforms(&data)
		f := float64((boxH + legendInset + 3) / (data.Max.Y - data.Min.Y))
		if f >= 0.5 {
			return // a legend this tall is better placed over the bars
		}
		need := math.Inf(1)
		for _, left := range []bool{true, false} {
			x0, x1 := data.Min.X, data.Min.X+legendInset+boxW+3
			if !left {
				x0, x1 = data.Max.X-legendInset-boxW-3, data.Max.X
			}
			top := math.Inf(-1)
			for _, e := range extents {
				if trX(e.x1) >= x0 && trX(e.x0) <= x1 {
					top = math.Max(top, e.hi)
				}
			}
			// The box, f of the axis height, must fit above top.
			need = math.Min(need, (top-f*p.Y.Min)/(1-f))
		}
		if !(need > p.Y.Max) {
			return
		}
		p.Y.Max = need
	}
}

// drawRow draws the entries side by side in row, centred on centreX but
// kept inside row.
func (lg *legend) drawRow(row draw.Canvas, centreX vg.Length) {
	const (
		thumbW  = 20
		textGap = 5  // between a thumbnail and its text
		entGap  = 18 // between entries
	)
	sty := lg.style
	sty.YAlign = draw.YCenter
	var total vg.Length
	for i, e := range lg.entries {
		if i > 0 {
			total += entGap
		}
		total += thumbW + textGap + sty.Width(e.name)
	}
	x := max(row.Min.X, min(centreX-total/2, row.Max.X-total))
	yc := row.Center().Y
	th := sty.Height("M")
	for _, e := range lg.entries {
		tc := draw.Canvas{Canvas: row.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: yc - th/2}, Max: vg.Point{X: x + thumbW, Y: yc + th/2}}}
		e.thumb.Thumbnail(&tc)
		x += thumbW + textGap
		row.FillText(sty, vg.Point{X: x, Y: yc}, e.name)
		x += sty.Width(e.name) + entGap
	}
}

// curveThumb is a legend thumbnail: the line, over a swatch of the band
// colour when the curve has a band, so the band needs no legend entry of its
// own.
type curveThumb struct {
	line draw.LineStyle
	band color.Color
}

// Thumbnail implements plot.Thumbnailer.
func (t curveThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	if t.band != nil {
		h := (c.Max.Y - c.Min.Y) * 0.3
		c.FillPolygon(t.band, []vg.Point{
			{X: c.Min.X, Y: y - h}, {X: c.Max.X, Y: y - h},
			{X: c.Max.X, Y: y + h}, {X: c.Min.X, Y: y + h},
		})
	}
	c.StrokeLine2(t.line, c.Min.X, y, c.Max.X, y)
}

// lineThumb is a legend thumbnail of lines drawn on top of each other (a
// halo and the line).
type lineThumb []draw.LineStyle

// Thumbnail implements plot.Thumbnailer.
func (t lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	for _, ls := range t {
		c.StrokeLine2(ls, c.Min.X, y, c.Max.X, y)
	}
}

// swatch is a legend thumbnail of a filled square with a thin frame.
type swatch struct{ fill color.Color }

// Thumbnail implements plot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	h := c.Max.Y - c.Min.Y
	x0 := c.Center().X - h/2
	pts := rect(x0, c.Min.Y, x0+h, c.Max.Y)
	c.FillPolygon(s.fill, pts)
	c.StrokeLines(draw.LineStyle{Color: swatchFrame, Width: hairline}, append(pts, pts[0]))
}

func rect(x0, y0, x1, y1 vg.Length) []vg.Point {
	return []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
}
