package output

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file holds the charts of parameter sweeps and calibration: heat maps
// of two-factor sweeps, bar charts of sensitivity indices and fits of
// simulated bands to observed data. They share the canvas handling, fonts,
// palette and tick labels of the line charts in plot.go.

// heatmapHeight is the default heat map height: taller than line charts
// because the colour bar and the legend row take width and height.
const heatmapHeight = 13 * vg.Centimeter

var (
	// noDataColor fills heat map cells without a finite value. It is a
	// neutral grey, which the colour map (all hues) does not contain.
	noDataColor = color.Gray{Y: 0xd0}

	// boundaryStyle draws the tipping boundary; boundaryHalo, drawn below
	// it, keeps the line visible over the dark end of the colour map.
	boundaryStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(2.5)}
	boundaryHalo  = draw.LineStyle{Color: color.White, Width: vg.Points(5)}

	whiskerStyle = draw.LineStyle{Color: color.Gray{Y: 0x20}, Width: vg.Points(1)}
)

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
	ZMin, ZMax    *float64 // colour scale range; nil = data range
}

// SaveHeatmap draws h and writes it to path; the format comes from the
// extension (.png, .svg, also .pdf). The chart is 16cm x 13cm, and PNGs are
// rendered at 150 dpi. Values outside a fixed ZMin/ZMax get the colour of
// the nearest end of the scale.
//
// Like SaveChart, it renders in memory first: an invalid heat map or format
// is reported as an error and leaves no file behind.
func SaveHeatmap(h Heatmap, path string) error {
	return saveAs(path, func(format string, w io.Writer) error { return renderHeatmap(h, format, w) })
}

// Bars is a bar chart with optional error bars: one group per factor, one
// bar per series (e.g. first-order and total Sobol indices, or Morris mu*
// and sigma).
//
// The y axis starts at 0, or below it when a value or error bar is
// negative. A NaN value is marked "n/a" instead of a bar; a NaN Low or High
// leaves out that error bar.
type Bars struct {
	Title, YLabel string
	Labels        []string // factor names on the x axis (long dotted paths: rotate or wrap so they stay legible)
	Series        []BarSeries
}

// BarSeries is one bar per factor, in the order of Bars.Labels, drawn in
// the palette colour of its index in Bars.Series.
type BarSeries struct {
	Name              string
	Values, Low, High []float64 // Low/High nil = no error bars
}

// SaveBars draws b and writes it to path; the format comes from the
// extension (.png, .svg, also .pdf). The chart is 16cm x 10cm, and PNGs are
// rendered at 150 dpi. Long factor names are wrapped at dots, or slanted if
// wrapping does not make them fit.
//
// Like SaveChart, it renders in memory first: an invalid bar chart or
// format is reported as an error and leaves no file behind.
func SaveBars(b Bars, path string) error {
	return saveAs(path, func(format string, w io.Writer) error { return renderBars(b, format, w) })
}

// Fit shows observed data points over a simulated band: for calibration.
//
// Curves are drawn as in Chart (mean line, 5-95% band, NaN gaps, fixed
// colours by index); each PointSet is drawn as filled circles with a black
// outline in the colour of the curve of the same Name. The y axis always
// includes 0.
type Fit struct {
	Title, XLabel, YLabel string
	Curves                []Curve // simulated mean and 5-95% band per series (reuse Curve), on X
	X                     []float64
	Points                []PointSet // observed data, drawn as markers in the colour of the curve with the same Name
}

// PointSet is the observed data for one series: Y at X, in any order. Points
// with a NaN or ±Inf coordinate are left out.
type PointSet struct {
	Name string
	X, Y []float64
}

// SaveFit draws f and writes it to path; the format comes from the
// extension (.png, .svg, also .pdf). The chart is 16cm x 10cm, and PNGs are
// rendered at 150 dpi. The legend has "NAME (simulated)" and
// "NAME (observed)" entries.
//
// Like SaveChart, it renders in memory first: an invalid fit or format is
// reported as an error and leaves no file behind.
func SaveFit(f Fit, path string) error {
	return saveAs(path, func(format string, w io.Writer) error { return renderFit(f, format, w) })
}

// renderWith is the common part of the render functions: it checks the
// format and size, builds the chart with build and draws it to w.
func renderWith(format string, width, height vg.Length, w io.Writer, build func(width vg.Length) (name string, drawFn func(draw.Canvas), err error)) error {
	f, ok := formatOf(format)
	if !ok {
		return fmt.Errorf("unsupported plot format %q (use png, svg or pdf)", format)
	}
	width, height, err := canvasSize(width, height, f)
	if err != nil {
		return err
	}
	name, drawFn, err := build(width)
	if err != nil {
		return err
	}
	return drawTo(name, f, width, height, w, drawFn)
}

// ---------------------------------------------------------------------------
// Heat maps

// renderHeatmap writes h in the given format ("png", "svg" or "pdf") to w.
func renderHeatmap(h Heatmap, format string, w io.Writer) error {
	return renderWith(format, defaultWidth, heatmapHeight, w, func(vg.Length) (string, func(draw.Canvas), error) {
		hp, err := buildHeatmap(h)
		if err != nil {
			return "", nil, err
		}
		return hp.name, hp.draw, nil
	})
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
	for _, b := range []struct {
		name string
		v    *float64
	}{{"ZMin", h.ZMin}, {"ZMax", h.ZMax}} {
		if b.v != nil && !finite(*b.v) {
			return fmt.Errorf("%s: %s is %v", name, b.name, *b.v)
		}
	}
	if h.ZMin != nil && h.ZMax != nil && !(*h.ZMin < *h.ZMax) {
		return fmt.Errorf("%s: ZMin (%g) must be less than ZMax (%g)", name, *h.ZMin, *h.ZMax)
	}
	return nil
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

// gridAxis maps the grid values of one heat map axis to plot coordinates:
// the values themselves, or their log10 for a log-spaced grid.
type gridAxis struct {
	values, coords []float64
	log            bool
}

func newGridAxis(v []float64) gridAxis {
	a := gridAxis{values: v, coords: v}
	if logSpaced(v) {
		a.log = true
		a.coords = make([]float64, len(v))
		for i, x := range v {
			a.coords[i] = math.Log10(x)
		}
	}
	return a
}

// logSpaced reports whether the increasing grid v is positive and clearly
// more even on a log scale than on a linear one (its steps vary at most half
// as much there). Such grids (0.01, 0.1, 1, 10 or 1, 2, 4, 8) get a log
// axis: on a linear one most cells would be squeezed into a corner.
func logSpaced(v []float64) bool {
	if len(v) < 3 || !(v[0] > 0) {
		return false
	}
	lin := make([]float64, len(v)-1)
	lg := make([]float64, len(v)-1)
	for i := range lin {
		lin[i] = v[i+1] - v[i]
		lg[i] = math.Log10(v[i+1]) - math.Log10(v[i])
	}
	return variation(lg) < 0.5*variation(lin)
}

// variation is the coefficient of variation (standard deviation over mean)
// of the positive steps d.
func variation(d []float64) float64 {
	var sum, sq float64
	for _, x := range d {
		sum += x
	}
	mean := sum / float64(len(d))
	for _, x := range d {
		sq += (x - mean) * (x - mean)
	}
	return math.Sqrt(sq/float64(len(d))) / mean
}

// maxGridTicks is the number of grid values up to which every value gets a
// tick; a cell per tick lets the reader find each sweep point.
const maxGridTicks = 10

// gridTicks ticks a heat map axis: at the grid values if there are at most
// maxGridTicks, otherwise at round values (1-2-5 times powers of ten on a
// log axis).
type gridTicks struct{ a gridAxis }

// Ticks implements plot.Ticker.
func (t gridTicks) Ticks(lo, hi float64) []plot.Tick {
	if len(t.a.values) <= maxGridTicks {
		labels := cleanLabels(t.a.values)
		ticks := make([]plot.Tick, len(labels))
		for i, l := range labels {
			ticks[i] = plot.Tick{Value: t.a.coords[i], Label: l}
		}
		return ticks
	}
	if t.a.log {
		return logTicks(lo, hi)
	}
	return readableTicks{}.Ticks(lo, hi)
}

// logTicks ticks the log10 coordinate range [lo, hi]: at powers of ten
// (every second, third... one over many decades), or at 1-2-5 or 1..9
// times them when that is needed for at least three ticks.
func logTicks(lo, hi float64) []plot.Tick {
	const eps = 1e-9
	var vals []float64
	for _, mults := range [][]float64{{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}} {
		step := 1.0
		if len(mults) == 1 {
			step = math.Max(1, math.Ceil((hi-lo)/8))
		}
		vals = vals[:0]
		for k := math.Floor(lo); k <= math.Ceil(hi) && len(vals) < 100; k += step {
			for _, m := range mults {
				if c := k + math.Log10(m); c >= lo-eps && c <= hi+eps {
					vals = append(vals, math.Pow(10, k)*m)
				}
			}
		}
		if len(vals) >= 3 {
			break
		}
	}
	labels := cleanLabels(vals)
	ticks := make([]plot.Tick, len(vals))
	for i, v := range vals {
		ticks[i] = plot.Tick{Value: math.Log10(v), Label: labels[i]}
	}
	return ticks
}

// cleanLabels formats values given by the user (grid values of a sweep) with
// the fewest significant digits that show them exactly, but no more than 4
// once the labels differ: 0.1 rather than 0.10000000000000001, 2,500 and
// 25k like the other tick labels.
func cleanLabels(vs []float64) []string {
	var labels []string
	for sig := 1; sig <= 17; sig++ {
		labels = make([]string, len(vs))
		exact, distinct := true, true
		seen := make(map[string]bool, len(vs))
		for i, v := range vs {
			l, ok := formatSig(v, sig)
			exact = exact && ok
			distinct = distinct && !seen[l]
			seen[l] = true
			labels[i] = l
		}
		if exact || (distinct && sig >= 4) {
			break
		}
	}
	return labels
}

// formatSig formats v with (at least) sig significant digits in the style
// of readableTicks, and reports whether the label is v to 1e-9 relative.
func formatSig(v float64, sig int) (string, bool) {
	if v == 0 {
		return "0", true
	}
	a := math.Abs(v)
	if a < 1e-4 || a >= 1e15 {
		s := strconv.FormatFloat(v, 'g', sig, 64)
		back, _ := strconv.ParseFloat(s, 64)
		return s, math.Abs(back-v) <= 1e-9*a
	}
	scale, suffix := unitOf(a)
	x := v / scale
	dec := max(0, sig-1-int(math.Floor(math.Log10(math.Abs(x)))))
	s := strconv.FormatFloat(x, 'f', dec, 64)
	back, _ := strconv.ParseFloat(s, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return groupThousands(s) + suffix, math.Abs(back*scale-v) <= 1e-9*a
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
	entries  []legendEntry
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
	hp := &heatmapPlot{name: name, colors: colors, zLabel: h.ZLabel}
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
		hp.entries = append(hp.entries, legendEntry{label, lineThumb{boundaryHalo, boundaryStyle}})
	}
	for _, row := range h.Z {
		if hasNonFinite(row) {
			hp.entries = append(hp.entries, legendEntry{"no data", swatch{noDataColor}})
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
	o.Canvas.SetLineWidth(vg.Points(0.5))
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
	th := hp.p.TextHandler
	tickStyle := text.Style{Font: font.From(sansFont, 9), Handler: th, Color: color.Black, YAlign: draw.YCenter}
	zStyle := text.Style{Font: font.From(sansFont, 11), Handler: th, Color: color.Black,
		Rotation: math.Pi / 2, XAlign: draw.XCenter, YAlign: draw.YCenter}
	legStyle := text.Style{Font: font.From(sansFont, 10), Handler: th, Color: color.Black, YAlign: draw.YCenter}

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
	// row need a background too (SVG and PDF are transparent).
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())

	var row draw.Canvas
	if len(hp.entries) > 0 {
		rowH := legStyle.Height("Mg") + 4
		row = c
		row.Max.Y = row.Min.Y + rowH
		c.Min.Y += rowH + rowGap
	}
	main := c
	main.Max.X -= panelW
	hp.p.Draw(main)
	data := hp.p.DataCanvas(main)
	box := rect(data.Min.X, data.Min.Y, data.Max.X, data.Max.Y)
	c.StrokeLines(draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}, append(box, box[0]))

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
	c.StrokeLines(draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}, append(frame, frame[0]))
	for _, t := range ticks {
		y := y0 + bh*vg.Length((t.Value-hp.zlo)/(hp.zhi-hp.zlo))
		c.StrokeLine2(draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}, x0+barW, y, x0+barW+tickLen, y)
		c.FillText(tickStyle, vg.Point{X: x0 + barW + tickLen + labelGap, Y: y}, t.Label)
	}
	if hp.zLabel != "" {
		x := x0 + barW + tickLen + labelGap + labelW + zGap + zStyle.Height(hp.zLabel)/2
		c.FillText(zStyle, vg.Point{X: x, Y: y0 + bh/2}, hp.zLabel)
	}

	if len(hp.entries) > 0 {
		drawLegendRow(row, data.Center().X, legStyle, hp.entries)
	}
}

// drawLegendRow draws legend entries side by side in row, centred on
// centreX but kept inside row.
func drawLegendRow(row draw.Canvas, centreX vg.Length, sty text.Style, entries []legendEntry) {
	const (
		thumbW  = 20
		textGap = 5  // between a thumbnail and its text
		entGap  = 18 // between entries
	)
	var total vg.Length
	for i, e := range entries {
		if i > 0 {
			total += entGap
		}
		total += thumbW + textGap + sty.Width(e.name)
	}
	x := max(row.Min.X, min(centreX-total/2, row.Max.X-total))
	yc := row.Center().Y
	th := sty.Height("M")
	for _, e := range entries {
		tc := draw.Canvas{Canvas: row.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: yc - th/2}, Max: vg.Point{X: x + thumbW, Y: yc + th/2}}}
		e.thumb.Thumbnail(&tc)
		x += thumbW + textGap
		row.FillText(sty, vg.Point{X: x, Y: yc}, e.name)
		x += sty.Width(e.name) + entGap
	}
}

func rect(x0, y0, x1, y1 vg.Length) []vg.Point {
	return []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
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
	c.StrokeLines(draw.LineStyle{Color: color.Gray{Y: 0x80}, Width: vg.Points(0.5)}, append(pts, pts[0]))
}

// ---------------------------------------------------------------------------
// Bar charts

// renderBars writes b in the given format ("png", "svg" or "pdf") to w.
func renderBars(b Bars, format string, w io.Writer) error {
	return renderWith(format, 0, 0, w, func(width vg.Length) (string, func(draw.Canvas), error) {
		p, room, err := buildBars(b, width)
		if err != nil {
			return "", nil, err
		}
		return titled("bar chart", b.Title), func(c draw.Canvas) {
			c = fitSlanted(p, c)
			room.make(p, c)
			p.Draw(c)
		}, nil
	})
}

// seriesName identifies a bar series in error messages.
func seriesName(i int, s BarSeries) string {
	if s.Name == "" {
		return fmt.Sprintf("series #%d", i)
	}
	return fmt.Sprintf("series %q", s.Name)
}

func validateBars(name string, b Bars) error {
	if len(b.Labels) == 0 {
		return fmt.Errorf("%s: no factors to plot (Labels is empty)", name)
	}
	if len(b.Series) == 0 {
		return fmt.Errorf("%s: no series to plot", name)
	}
	n := len(b.Labels)
	for i, s := range b.Series {
		if len(s.Values) != n {
			return fmt.Errorf("%s: %s: Values has %d values, Labels has %d", name, seriesName(i, s), len(s.Values), n)
		}
		if (s.Low == nil) != (s.High == nil) {
			return fmt.Errorf("%s: %s: Low and High must both be set or both be nil", name, seriesName(i, s))
		}
		if s.Low != nil && len(s.Low) != n {
			return fmt.Errorf("%s: %s: Low has %d values, Labels has %d", name, seriesName(i, s), len(s.Low), n)
		}
		if s.High != nil && len(s.High) != n {
			return fmt.Errorf("%s: %s: High has %d values, Labels has %d", name, seriesName(i, s), len(s.High), n)
		}
	}
	return nil
}

// barExtent is what one bar (with its error bar) covers, in data
// coordinates.
type barExtent struct{ x0, x1, lo, hi float64 }

func buildBars(b Bars, width vg.Length) (*plot.Plot, *legendRoom, error) {
	name := titled("bar chart", b.Title)
	if err := validateBars(name, b); err != nil {
		return nil, nil, err
	}
	n, k := len(b.Labels), len(b.Series)

	p := newPlot(b.Title, "", b.YLabel)
	p.Add(newGrid(false))
	// The x axis is categorical: the bars stand on a zero line (baseline)
	// rather than on an axis line below the data.
	p.X.Tick.Length = 0
	p.X.LineStyle.Width = 0

	// Group i is centred on x = i; its bars share 80% of the unit width,
	// with a small gap between neighbouring bars.
	const groupW = 0.8
	slot := groupW / float64(k)
	gb := &groupedBars{width: 0.9 * slot}
	wh := &whiskers{}
	na := &naMarks{}
	legend := &legendBox{}
	var extents []barExtent
	lo, hi := 0.0, 0.0
	for s, ser := range b.Series {
		off := (float64(s) - float64(k-1)/2) * slot
		vals := make(plotter.Values, n)
		for i, v := range ser.Values {
			x := float64(i) + off
			e := barExtent{x0: x - gb.width/2, x1: x + gb.width/2, lo: 0, hi: 0}
			if finite(v) {
				vals[i] = v
				e.lo, e.hi = math.Min(0, v), math.Max(0, v)
			} else {
				na.x = append(na.x, x)
			}
			if ser.Low != nil && finite(ser.Low[i]) && finite(ser.High[i]) {
				l, h := math.Min(ser.Low[i], ser.High[i]), math.Max(ser.Low[i], ser.High[i])
				wh.x, wh.lo, wh.hi = append(wh.x, x), append(wh.lo, l), append(wh.hi, h)
				e.lo, e.hi = math.Min(e.lo, l), math.Max(e.hi, h)
			}
			lo, hi = math.Min(lo, e.lo), math.Max(hi, e.hi)
			extents = append(extents, e)
			legend.obstacles = append(legend.obstacles, obstacle{plotter.XYs{
				{X: e.x0, Y: e.lo}, {X: e.x0, Y: e.hi}, {X: e.x1, Y: e.hi}, {X: e.x1, Y: e.lo}, {X: e.x0, Y: e.lo},
			}, 1})
		}
		bc, err := plotter.NewBarChart(vals, 1) // width and offset are set when drawn
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %s: %w", name, seriesName(s, ser), err)
		}
		col := palette[s%len(palette)]
		bc.Color = col
		bc.LineStyle = draw.LineStyle{} // flat bars: outlines only add noise
		gb.bars = append(gb.bars, bc)
		gb.offsets = append(gb.offsets, off)
		if ser.Name != "" {
			legend.entries = append(legend.entries, legendEntry{ser.Name, swatch{col}})
		}
	}
	p.Add(gb, baseline{})
	if len(wh.x) > 0 {
		wh.capW = 0.3 * gb.width
		p.Add(wh)
	}
	if len(na.x) > 0 {
		na.style = text.Style{Font: font.From(sansFont, 8), Handler: p.TextHandler, Color: color.Gray{Y: 0x60},
			XAlign: draw.XCenter, YAlign: draw.YBottom}
		p.Add(na)
	}
	addLegend(p, legend)

	labels, angle := layoutLabels(b.Labels, width, p.X.Tick.Label)
	p.X.Tick.Marker = labelTicks(labels)
	if angle != 0 {
		// Slanted labels end at their group, rising to the right.
		p.X.Tick.Label.Rotation = angle
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}

	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.Y.Min, p.Y.Max = paddedRange(lo, hi, nil, nil)
	return p, &legendRoom{legend: legend, extents: extents}, nil
}

// layoutLabels makes factor names fit under their groups of bars on a
// chart width wide: as they are if they fit, else wrapped after dots (and,
// if still too long, after underscores) into at most 3 lines, else
// unwrapped but slanted by angle (radians; 0 for horizontal labels).
func layoutLabels(labels []string, width vg.Length, sty text.Style) (out []string, angle float64) {
	// The y axis and the margins take about 70pt of the width, 60pt of
	// it on the left.
	const axisW, leftW = 70, 60
	groupW := (width - axisW) / vg.Length(len(labels))
	fit := 0.92 * groupW
	fits := true
	for _, l := range labels {
		fits = fits && sty.Width(l) <= fit
	}
	if fits {
		return labels, 0
	}
	out = make([]string, len(labels))
	for i, l := range labels {
		var lines []string
		for _, line := range wrapAfter(l, ".", fit, sty) {
			if sty.Width(line) > fit {
				lines = append(lines, wrapAfter(line, "_", fit, sty)...)
			} else {
				lines = append(lines, line)
			}
		}
		ok := len(lines) <= 3
		for _, line := range lines {
			ok = ok && sty.Width(line) <= fit
		}
		if !ok {
			return labels, slantAngle(labels, groupW, leftW, 0.1*width, sty)
		}
		out[i] = strings.Join(lines, "\n")
	}
	return out, 0
}

// slantAngle is the flattest of 30, 45, 60 and 90 degrees at which slanted
// labels, which end at their group and hang down to the left, neither
// overlap each other (parallel lines slanted by a are groupW*sin(a)
// apart) nor stick out more than slack beyond the left edge of the chart
// (the first group is at about leftW + groupW/2). The chart is shifted right
// by any overhang left (fitSlanted).
func slantAngle(labels []string, groupW, leftW, slack vg.Length, sty text.Style) float64 {
	for _, deg := range []float64{30, 45, 60} {
		a := deg * math.Pi / 180
		ok := float64(groupW)*math.Sin(a) >= 1.15*float64(sty.Font.Size)
		for i, l := range labels {
			x := leftW + (vg.Length(i)+0.5)*groupW
			ok = ok && float64(sty.Width(l))*math.Cos(a) <= float64(x+slack)
		}
		if ok {
			return a
		}
	}
	return math.Pi / 2
}

// fitSlanted returns c with its left edge moved right as far as needed for
// slanted x tick labels, which hang down to the left of their group, to
// stay on the canvas. (gonum pads the data area for tick labels that
// stick out on the right, not on the left.)
func fitSlanted(p *plot.Plot, c draw.Canvas) draw.Canvas {
	if p.X.Tick.Label.Rotation == 0 {
		return c
	}
	edge := c.Min.X
	for range 2 {
		data := p.DataCanvas(c)
		trX, _ := p.Transforms(&data)
		var deficit vg.Length
		for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
			r := p.X.Tick.Label.Rectangle(t.Label)
			deficit = max(deficit, edge-(trX(t.Value)+r.Min.X))
		}
		if deficit <= 0 {
			break
		}
		c.Min.X += deficit
	}
	return c
}

// wrapAfter splits s after each occurrence of sep and greedily packs the
// pieces into lines at most width wide (a single piece may be wider).
func wrapAfter(s, sep string, width vg.Length, sty text.Style) []string {
	pieces := strings.SplitAfter(s, sep)
	var lines []string
	cur := ""
	for _, pc := range pieces {
		if cur != "" && sty.Width(cur+pc) > width {
			lines = append(lines, cur)
			cur = ""
		}
		cur += pc
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// labelTicks puts label i at x = i.
type labelTicks []string

// Ticks implements plot.Ticker.
func (l labelTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := make([]plot.Tick, len(l))
	for i, s := range l {
		ticks[i] = plot.Tick{Value: float64(i), Label: s}
	}
	return ticks
}

// groupedBars draws bar charts side by side: series s is shifted by
// offsets[s] and its bars are width wide, both in x data units. gonum's
// BarChart takes widths and offsets in canvas lengths, which are only
// known when drawing; setting them here makes the bars scale with the
// chart.
type groupedBars struct {
	bars    []*plotter.BarChart
	offsets []float64
	width   float64
}

// Plot implements plot.Plotter.
func (g *groupedBars) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, _ := plt.Transforms(&c)
	unit := trX(1) - trX(0)
	for i, bc := range g.bars {
		bc.Width = vg.Length(g.width) * unit
		bc.Offset = vg.Length(g.offsets[i]) * unit
		bc.Plot(c, plt)
	}
}

// baseline is the y = 0 line of a bar chart.
type baseline struct{}

// Plot implements plot.Plotter.
func (baseline) Plot(c draw.Canvas, plt *plot.Plot) {
	_, trY := plt.Transforms(&c)
	c.StrokeLine2(draw.LineStyle{Color: color.Gray{Y: 0x40}, Width: vg.Points(0.75)}, c.Min.X, trY(0), c.Max.X, trY(0))
}

// whiskers are error bars from lo to hi at x (data units) with caps capW
// wide (x data units).
type whiskers struct {
	x, lo, hi []float64
	capW      float64
}

// Plot implements plot.Plotter.
func (w *whiskers) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	half := (trX(w.capW) - trX(0)) / 2
	for i, x := range w.x {
		px, y0, y1 := trX(x), trY(w.lo[i]), trY(w.hi[i])
		c.StrokeLine2(whiskerStyle, px, y0, px, y1)
		c.StrokeLine2(whiskerStyle, px-half, y0, px+half, y0)
		c.StrokeLine2(whiskerStyle, px-half, y1, px+half, y1)
	}
}

// naMarks writes "n/a" where a bar has no value.
type naMarks struct {
	x     []float64
	style text.Style
}

// Plot implements plot.Plotter.
func (m *naMarks) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	for _, x := range m.x {
		c.FillText(m.style, vg.Point{X: trX(x), Y: trY(0) + 2}, "n/a")
	}
}

// legendRoom raises the top of a bar chart's y axis, if needed, so that the
// legend fits into a top corner above the bars instead of covering some.
type legendRoom struct {
	legend  *legendBox
	extents []barExtent
}

func (r *legendRoom) make(p *plot.Plot, c draw.Canvas) {
	if len(r.legend.entries) == 0 {
		return
	}
	_, boxW, boxH := r.legend.layout()
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
			for _, e := range r.extents {
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

// ---------------------------------------------------------------------------
// Fits

// renderFit writes f in the given format ("png", "svg" or "pdf") to w.
func renderFit(f Fit, format string, w io.Writer) error {
	return renderWith(format, 0, 0, w, func(vg.Length) (string, func(draw.Canvas), error) {
		p, err := buildFit(f)
		if err != nil {
			return "", nil, err
		}
		return titled("fit chart", f.Title), p.Draw, nil
	})
}

func buildFit(f Fit) (*plot.Plot, error) {
	name := titled("fit chart", f.Title)
	c := Chart{Title: f.Title, XLabel: f.XLabel, YLabel: f.YLabel, X: f.X, Curves: f.Curves}
	if err := validate(name, c); err != nil {
		return nil, err
	}
	curveOf := make([]int, len(f.Points))
	for j, ps := range f.Points {
		if ps.Name == "" {
			return nil, fmt.Errorf("%s: points #%d: Name is empty (it must match a curve's)", name, j)
		}
		curveOf[j] = -1
		for i, cv := range f.Curves {
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

	p := newPlot(f.Title, f.XLabel, f.YLabel)
	p.Add(newGrid(true))
	legend := &legendBox{}
	curveEntries, err := addCurves(p, name, c, legend)
	if err != nil {
		return nil, err
	}

	xs := append([]float64(nil), f.X...)
	lo, hi := 0.0, 0.0
	for _, cv := range f.Curves {
		for _, s := range [][]float64{cv.Mean, cv.Low, cv.High} {
			for j, v := range s {
				if finite(v) && finite(f.X[j]) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	pointEntries := make([][]legendEntry, len(f.Curves))
	for j, ps := range f.Points {
		var pts plotter.XYs
		for k := range ps.X {
			if finite(ps.X[k]) && finite(ps.Y[k]) {
				pts = append(pts, plotter.XY{X: ps.X[k], Y: ps.Y[k]})
				xs = append(xs, ps.X[k])
				lo, hi = math.Min(lo, ps.Y[k]), math.Max(hi, ps.Y[k])
			}
		}
		if len(pts) == 0 {
			continue
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("%s: points %q: %w", name, ps.Name, err)
		}
		s.GlyphStyle = draw.GlyphStyle{Color: palette[curveOf[j]%len(palette)], Radius: vg.Points(3.5), Shape: outlinedCircle{}}
		p.Add(s)
		legend.obstacles = append(legend.obstacles, obstacle{pts, 1})
		pointEntries[curveOf[j]] = append(pointEntries[curveOf[j]], legendEntry{ps.Name + " (observed)", s})
	}
	for i, e := range curveEntries {
		if e.name != "" {
			e.name += " (simulated)"
			legend.entries = append(legend.entries, e)
		}
		legend.entries = append(legend.entries, pointEntries[i]...)
	}
	addLegend(p, legend)

	p.X.Min, p.X.Max = xRange(xs)
	p.Y.Min, p.Y.Max = paddedRange(lo, hi, nil, nil)
	return p, nil
}

// outlinedCircle is a glyph: a circle filled with the glyph colour and a
// thin black outline, which keeps observed points visible on top of a line
// or band of the same colour.
type outlinedCircle struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (outlinedCircle) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var p vg.Path
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	c.SetColor(sty.Color)
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: color.Black, Width: vg.Points(0.75)})
	c.Stroke(p)
}
