package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// heatmapHeight is the heat map height: taller than line charts because
// the colour bar and the legend row take width and height.
const heatmapHeight = 13 * vg.Centimeter

// Heatmap is a two-factor sweep result: Z[i][j] is the value at X[j], Y[i]
// (rows = Y).
//
// X and Y must be finite and strictly increasing; they may be unevenly
// spaced. Each cell is centred on its X/Y value and reaches half way to its
// neighbours. Grids that are closer to geometric than to even spacing (such
// as 0.01, 0.1, 1, 10) are drawn on a logarithmic axis so all cells get a
// similar size. A NaN or ±Inf in Z means "no data" and is drawn as a grey
// cell, listed as "no data" in the legend.
type Heatmap struct {
	Title, XLabel, YLabel, ZLabel string
	X, Y                          []float64
	Z                             [][]float64
	// Boundary, if non-nil, is a second field on the same grid whose contour at BoundaryLevel
	// is drawn as the tipping boundary (e.g. P(entrant wins) = 0.5), labelled BoundaryLabel in a legend.
	//
	// The contour is interpolated between cell centres. Where Boundary is
	// not finite, the boundary is not drawn through that cell. If the field never reaches
	// BoundaryLevel, the legend entry says "(not reached)".
	Boundary      [][]float64
	BoundaryLevel float64
	BoundaryLabel string
	ZMin, ZMax    *float64 // colour scale range, values beyond it in the colour of its nearest end; nil = data range
}

func (h Heatmap) size() (vg.Length, vg.Length) { return defaultWidth, heatmapHeight }

func (h Heatmap) build(vg.Length) (string, func(draw.Canvas), error) {
	hp, err := buildHeatmap(h)
	if err != nil {
		return "", nil, err
	}
	return hp.name, hp.draw, nil
}

// validateHeatmap reports inputs that make the heat map meaningless or would
// make gonum/plot panic.
func validateHeatmap(name string, h Heatmap) error {
	for _, a := range []struct {
		name string
		v    []float64
	}{{"X", h.X}, {"Y", h.Y}} {
		if len(a.v) == 0 {
			return fmt.Errorf("%s: %s is empty", name, a.name)
		}
		for i, v := range a.v {
			if !finite(v) {
				return fmt.Errorf("%s: %s[%d] is %v", name, a.name, i, v)
			}
			if i > 0 && !(v > a.v[i-1]) {
				return fmt.Errorf("%s: %s must be strictly increasing, but %s[%d] = %g follows %s[%d] = %g",
					name, a.name, a.name, i, v, a.name, i-1, a.v[i-1])
			}
		}
	}
	for _, f := range []struct {
		name string
		z    [][]float64
	}{{"Z", h.Z}, {"Boundary", h.Boundary}} {
		if f.z == nil && f.name == "Boundary" {
			continue
		}
		if len(f.z) != len(h.Y) {
			return fmt.Errorf("%s: %s has %d rows, Y has %d values", name, f.name, len(f.z), len(h.Y))
		}
		for i, row := range f.z {
			if len(row) != len(h.X) {
				return fmt.Errorf("%s: %s row %d has %d values, X has %d", name, f.name, i, len(row), len(h.X))
			}
		}
	}
	if h.Boundary != nil && !finite(h.BoundaryLevel) {
		return fmt.Errorf("%s: BoundaryLevel is %v", name, h.BoundaryLevel)
	}
	return checkBounds(name, "Z", h.ZMin, h.ZMax)
}

// heatGrid is a plotter.GridXYZ over a row-major field (rows = y) in plot
// coordinates; non-finite values read as NaN.
type heatGrid struct {
	x, y []float64
	z    [][]float64
}

func (g heatGrid) Dims() (c, r int)   { return len(g.x), len(g.y) }
func (g heatGrid) X(c int) float64    { return g.x[c] }
func (g heatGrid) Y(r int) float64    { return g.y[r] }
func (g heatGrid) Z(c, r int) float64 { return finiteOrNaN(g.z[r][c]) }

func finiteOrNaN(v float64) float64 {
	if !finite(v) {
		return math.NaN()
	}
	return v
}

// repaintGrid selects the cells of a heat map to paint again over the
// boundary contour: those where the boundary field is not finite, so the
// contour, which is interpolated through them, does not show there. Other
// cells read as NaN (not painted); a cell without a Z value reads as -Inf,
// which the repainting HeatMap draws in its Underflow colour, noDataColor.
type repaintGrid struct {
	heatGrid
	boundary [][]float64
	zmin     float64
}

func (g repaintGrid) Z(c, r int) float64 {
	if finite(g.boundary[r][c]) {
		return math.NaN()
	}
	v := g.z[r][c]
	if !finite(v) {
		return math.Inf(-1)
	}
	return math.Max(v, g.zmin) // below the scale: the lowest colour, not Underflow
}

// colorList is a palette.Palette.
type colorList []color.Color

func (p colorList) Colors() []color.Color { return p }

// heatColors is the colour scale of heat maps: moreland's Extended Black
// Body, a perceptually uniform sequential map (dark blue, purple, red,
// orange, yellow). Its black and white ends are cut off so that the lowest
// values stay distinguishable from the axes and black boundary line and the
// highest from the white background.
func heatColors(n int) (colorList, error) {
	const lo, hi = 0.1, 0.92
	cm := moreland.ExtendedBlackBody()
	cm.SetMin(0)
	cm.SetMax(1)
	cols := make(colorList, n)
	for i := range cols {
		c, err := cm.At(lo + (hi-lo)*float64(i)/float64(n-1))
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	return cols, nil
}

// zRange is the colour scale range: the finite data range or the fixed
// bounds, made non-empty.
func zRange(h Heatmap) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range h.Z {
		for _, v := range row {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if lo > hi {
		lo, hi = 0, 1 // no data at all
	}
	if h.ZMin != nil {
		lo = *h.ZMin
	}
	if h.ZMax != nil {
		hi = *h.ZMax
	}
	if !(lo < hi) {
		// A constant field, or one fixed bound on the far side of the
		// data: keep the fixed bound and make the range non-empty.
		d := 0.1 * math.Max(math.Abs(lo), math.Abs(hi))
		if d == 0 || !finite(d) {
			d = 0.5
		}
		switch {
		case h.ZMin != nil:
			hi = lo + d
		case h.ZMax != nil:
			lo = hi - d
		default:
			lo, hi = lo-d, hi+d
		}
	}
	return lo, hi
}

// fillGaps returns a copy of the field z with every non-finite value
// replaced by the mean of its finite 4-neighbours, repeatedly until none is
// left, so gonum's contouring (which does not handle NaN) can run on it.
// ok is false if z has no finite value at all.
func fillGaps(z [][]float64) (filled [][]float64, ok bool) {
	filled = make([][]float64, len(z))
	missing := 0
	for i, row := range z {
		filled[i] = make([]float64, len(row))
		for j, v := range row {
			filled[i][j] = finiteOrNaN(v)
			if !finite(v) {
				missing++
			}
		}
	}
	if len(z) == 0 || missing == len(z)*len(z[0]) {
		return nil, false
	}
	for missing > 0 {
		next := make([][]float64, len(filled))
		for i, row := range filled {
			next[i] = append([]float64(nil), row...)
			for j, v := range row {
				if !math.IsNaN(v) {
					continue
				}
				var sum float64
				var n int
				for _, d := range [4][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
					r, c := i+d[0], j+d[1]
					if r >= 0 && r < len(filled) && c >= 0 && c < len(row) && !math.IsNaN(filled[r][c]) {
						sum += filled[r][c]
						n++
					}
				}
				if n > 0 {
					next[i][j] = sum / float64(n)
					missing--
				}
			}
		}
		filled = next
	}
	return filled, true
}

// heatmapPlot is a built heat map: the gonum plot of the cells and boundary,
// and what is drawn around it (colour bar, legend row).
type heatmapPlot struct {
	name     string
	p        *plot.Plot
	colors   colorList
	zlo, zhi float64
	zLabel   string
	legend   *legend
}

func buildHeatmap(h Heatmap) (*heatmapPlot, error) {
	name := titled("heatmap", h.Title)
	if err := validateHeatmap(name, h); err != nil {
		return nil, err
	}
	colors, err := heatColors(256)
	if err != nil {
		return nil, fmt.Errorf("%s: colour map: %w", name, err)
	}
	hp := &heatmapPlot{name: name, colors: colors, zLabel: h.ZLabel, legend: &legend{}}
	hp.zlo, hp.zhi = zRange(h)

	xa, ya := newGridAxis(h.X), newGridAxis(h.Y)
	grid := heatGrid{x: xa.coords, y: ya.coords, z: h.Z}

	p := newPlot(h.Title, h.XLabel, h.YLabel)
	p.X.Tick.Marker = gridTicks{xa}
	p.Y.Tick.Marker = gridTicks{ya}
	p.X.Tick.Length = vg.Points(4)
	p.Y.Tick.Length = vg.Points(4)
	// The cells fill the data area, which gets a frame (see draw) instead
	// of axis lines, which gonum draws with a hairline gap to the cells.
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.LineStyle.Width, p.Y.LineStyle.Width = 0, 0
	hp.p = p

	hm := plotter.NewHeatMap(grid, colors)
	hm.Min, hm.Max = hp.zlo, hp.zhi
	hm.Underflow, hm.Overflow = colors[0], colors[len(colors)-1]
	hm.NaN = noDataColor
	p.Add(seamless{hm})

	if h.Boundary != nil {
		level := h.BoundaryLevel
		bmin, bmax := math.Inf(1), math.Inf(-1)
		repaint := false
		for _, row := range h.Boundary {
			for _, v := range row {
				if finite(v) {
					bmin, bmax = math.Min(bmin, v), math.Max(bmax, v)
				} else {
					repaint = true
				}
			}
		}
		if filled, ok := fillGaps(h.Boundary); ok {
			bgrid := heatGrid{x: grid.x, y: grid.y, z: filled}
			for _, ls := range []draw.LineStyle{boundaryHalo, boundaryStyle} {
				ct := plotter.NewContour(bgrid, []float64{level}, nil)
				ct.LineStyles = []draw.LineStyle{ls}
				p.Add(ct)
			}
			if repaint {
				rp := plotter.NewHeatMap(repaintGrid{heatGrid: grid, boundary: h.Boundary, zmin: hp.zlo}, colors)
				rp.Min, rp.Max = hp.zlo, hp.zhi
				rp.Underflow, rp.Overflow, rp.NaN = noDataColor, colors[len(colors)-1], nil
				p.Add(seamless{rp})
			}
		}
		label := h.BoundaryLabel
		if label == "" {
			label = "boundary at " + cleanLabels([]float64{level})[0]
		}
		if !(bmin <= level && level <= bmax && bmin < bmax) {
			label += " (not reached)"
		}
		hp.legend.entries = append(hp.legend.entries, legendEntry{label, lineThumb{boundaryHalo, boundaryStyle}})
	}
	for _, row := range h.Z {
		if hasNonFinite(row) {
			hp.legend.entries = append(hp.legend.entries, legendEntry{"no data", swatch{noDataColor}})
			break
		}
	}

	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = hm.DataRange()
	return hp, nil
}

// seamless draws a heat map with every cell also outlined in its own colour,
// so that neighbouring cells overlap slightly: without it, anti-aliasing
// leaves faint light lines between cells in PNGs and most SVG viewers.
type seamless struct{ *plotter.HeatMap }

// Plot implements plot.Plotter.
func (s seamless) Plot(c draw.Canvas, plt *plot.Plot) {
	c.Canvas = outlinedFills{c.Canvas}
	s.HeatMap.Plot(c, plt)
}

// outlinedFills is a vg.Canvas whose fills are also stroked with a thin
// line in the same colour.
type outlinedFills struct{ vg.Canvas }

func (o outlinedFills) Fill(p vg.Path) {
	o.Canvas.Fill(p)
	o.Canvas.SetLineWidth(hairline)
	o.Canvas.SetLineDash(nil, 0)
	o.Canvas.Stroke(p)
}

func hasNonFinite(v []float64) bool {
	for _, x := range v {
		if !finite(x) {
			return true
		}
	}
	return false
}

// draw lays out the heat map: the plot, a colour bar right of it spanning
// the data area, and a legend row below it.
func (hp *heatmapPlot) draw(c draw.Canvas) {
	const (
		barGap   = 12 // pt between the data area and the colour bar
		barW     = 12 // colour bar width
		tickLen  = 4
		labelGap = 3 // between a tick and its label
		zGap     = 8 // between the tick labels and the ZLabel
		rowGap   = 8 // between the x axis label and the legend row
	)
	tickStyle := textStyle(hp.p, tickSize)
	tickStyle.YAlign = draw.YCenter
	zStyle := textStyle(hp.p, labelSize)
	zStyle.Rotation, zStyle.XAlign, zStyle.YAlign = math.Pi/2, draw.XCenter, draw.YCenter
	hp.legend.style = textStyle(hp.p, legendSize)

	var ticks []plot.Tick
	var labelW vg.Length
	for _, t := range (readableTicks{}).Ticks(hp.zlo, hp.zhi) {
		if t.Value >= hp.zlo-1e-9*(hp.zhi-hp.zlo) && t.Value <= hp.zhi+1e-9*(hp.zhi-hp.zlo) {
			ticks = append(ticks, t)
			labelW = max(labelW, tickStyle.Width(t.Label))
		}
	}
	panelW := vg.Length(barGap+barW+tickLen+labelGap) + labelW
	if hp.zLabel != "" {
		panelW += zGap + zStyle.Height(hp.zLabel)
	}

	// The plot fills only its own area white; the colour bar and legend
	// row need a background too (SVG is transparent).
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())

	var row draw.Canvas
	if len(hp.legend.entries) > 0 {
		rowH := hp.legend.style.Height("Mg") + 4
		row = c
		row.Max.Y = row.Min.Y + rowH
		c.Min.Y += rowH + rowGap
	}
	main := c
	main.Max.X -= panelW
	hp.p.Draw(main)
	data := hp.p.DataCanvas(main)
	box := rect(data.Min.X, data.Min.Y, data.Max.X, data.Max.Y)
	c.StrokeLines(frameStyle, append(box, box[0]))

	// Colour bar: one strip per colour, each overlapping the next so that
	// anti-aliasing leaves no seams.
	x0 := main.Max.X + barGap
	y0, bh := data.Min.Y, data.Max.Y-data.Min.Y
	n := len(hp.colors)
	for i, col := range hp.colors {
		lo := y0 + bh*vg.Length(i)/vg.Length(n)
		hi := y0 + bh*vg.Length(i+1)/vg.Length(n)
		if i < n-1 {
			hi += bh / vg.Length(n)
		}
		c.FillPolygon(col, rect(x0, lo, x0+barW, hi))
	}
	frame := rect(x0, y0, x0+barW, y0+bh)
	c.StrokeLines(frameStyle, append(frame, frame[0]))
	for _, t := range ticks {
		y := y0 + bh*vg.Length((t.Value-hp.zlo)/(hp.zhi-hp.zlo))
		c.StrokeLine2(frameStyle, x0+barW, y, x0+barW+tickLen, y)
		c.FillText(tickStyle, vg.Point{X: x0 + barW + tickLen + labelGap, Y: y}, t.Label)
	}
	if hp.zLabel != "" {
		x := x0 + barW + tickLen + labelGap + labelW + zGap + zStyle.Height(hp.zLabel)/2
		c.FillText(zStyle, vg.Point{X: x, Y: y0 + bh/2}, hp.zLabel)
	}

	if len(hp.legend.entries) > 0 {
		hp.legend.drawRow(row, data.Center().X)
	}
}
