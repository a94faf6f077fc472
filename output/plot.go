package output

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Curve is one platform's series over time: the mean (or the single run) and,
// with replicates, a 5-95% band.
//
// Mean, Low and High are indexed like Chart.X. A NaN or ±Inf value is treated
// as "no data" and leaves a gap, so a run that stopped early or a platform
// that did not exist yet does not have to be padded with fake numbers.
type Curve struct {
	Name      string
	Mean      []float64
	Low, High []float64 // nil when there is a single replicate; same length as Mean otherwise
}

// Chart describes one line chart: x values shared by all curves.
//
// Curves are drawn in order with a fixed colour per index, so the same
// platform order gives the same colours across all charts of a run.
type Chart struct {
	Title, XLabel, YLabel string
	X                     []float64
	Curves                []Curve
	YMin, YMax            *float64 // optional fixed y range (e.g. 0..1 for shares); nil = automatic, but always include 0
}

const (
	// defaultWidth and defaultHeight are used for a zero width/height: a
	// 16:10 chart that fits a report page without scaling.
	defaultWidth  = 16 * vg.Centimeter
	defaultHeight = 10 * vg.Centimeter

	// pngDPI is sharp enough for slides and reports while keeping a
	// default-sized PNG around 950x590 pixels.
	pngDPI = 150

	// maxPNGPixels guards against a typo in width/height allocating gigabytes.
	maxPNGPixels = 100e6

	// maxPoints is the number of points per series above which series are
	// thinned out: more points than the output has pixels only make SVG/PDF
	// files big and slow to open.
	maxPoints = 2000

	// bandAlpha keeps bands light enough that overlapping bands of several
	// curves and the lines drawn on top of them stay readable.
	bandAlpha = 0x40
)

// palette is the Okabe-Ito colour-blind-safe palette without its yellow,
// which is nearly invisible on white. Curve i gets palette[i%len(palette)];
// after a full cycle the line gets a dash pattern so curves stay distinct.
var palette = []color.NRGBA{
	{R: 0x00, G: 0x72, B: 0xB2, A: 0xff}, // blue
	{R: 0xD5, G: 0x5E, B: 0x00, A: 0xff}, // vermillion
	{R: 0x00, G: 0x9E, B: 0x73, A: 0xff}, // bluish green
	{R: 0xE6, G: 0x9F, B: 0x00, A: 0xff}, // orange
	{R: 0xCC, G: 0x79, B: 0xA7, A: 0xff}, // reddish purple
	{R: 0x56, G: 0xB4, B: 0xE9, A: 0xff}, // sky blue
	{R: 0x00, G: 0x00, B: 0x00, A: 0xff}, // black
}

// dashCycles are the dash patterns (in points) used for the 2nd, 3rd, ...
// pass through the palette.
var dashCycles = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(1.5), vg.Points(2)},
	{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)},
}

var (
	gridColor   = color.Gray{Y: 0xdd}
	legendFill  = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xe0}
	legendFrame = color.Gray{Y: 0xbb}
	sansFont    = font.Font{Typeface: "Liberation", Variant: "Sans"}
)

// SaveChart draws c and writes it to path; the format comes from the extension
// (.png, .svg, also .pdf). Width/height default to 16cm x 10cm when zero. PNGs
// are rendered at 150 dpi.
//
// The chart is rendered completely in memory before path is created, so an
// invalid chart or format never leaves an empty or truncated file behind.
func SaveChart(c Chart, path string, width, height vg.Length) error {
	return saveAs(path, func(format string, w io.Writer) error {
		return RenderChart(c, format, width, height, w)
	})
}

// saveAs picks the format from path's extension, renders into memory with
// render and only then writes the file, so an invalid chart or format never
// leaves an empty or truncated file behind.
func saveAs(path string, render func(format string, w io.Writer) error) error {
	ext := filepath.Ext(path)
	format, ok := formatOf(ext)
	if !ok {
		return fmt.Errorf("unsupported plot format %q (use .png, .svg or .pdf)", ext)
	}
	var buf bytes.Buffer
	if err := render(format, &buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// RenderChart writes the chart in the given format ("png", "svg", also "pdf";
// case-insensitive, a leading dot is ignored) to w. It is what SaveChart uses,
// and lets tests and callers that stream output avoid the file system.
//
// Width/height default to 16cm x 10cm when zero. Invalid charts (no curves,
// empty X, lengths that do not match X, an empty fixed y range) are reported
// as errors before anything is written to w.
func RenderChart(c Chart, format string, width, height vg.Length, w io.Writer) error {
	f, ok := formatOf(format)
	if !ok {
		return fmt.Errorf("unsupported plot format %q (use png, svg or pdf)", format)
	}
	width, height, err := canvasSize(width, height, f)
	if err != nil {
		return err
	}
	p, err := buildPlot(c)
	if err != nil {
		return err
	}
	return drawTo(chartName(c), f, width, height, w, p.Draw)
}

// drawTo draws with drawFn on a width x height canvas of the canonical format
// f and writes the result to w. name identifies the chart in errors.
func drawTo(name, f string, width, height vg.Length, w io.Writer, drawFn func(draw.Canvas)) (err error) {
	// gonum/plot and its canvases panic on some degenerate input instead of
	// returning errors; a chart is never worth crashing a simulation run for.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: rendering failed: %v", name, r)
		}
	}()

	var cw vg.CanvasWriterTo
	switch f {
	case "png":
		cw = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(pngDPI))}
	case "svg":
		cw = vgsvg.New(width, height)
	case "pdf":
		cw = vgpdf.New(width, height)
	}
	// gonum lets the title touch the top edge and the data area reach the
	// right edge, where the last point of a line would be cut in half.
	drawFn(draw.Crop(draw.New(cw), vg.Points(4), -vg.Points(10), vg.Points(4), -vg.Points(6)))
	if _, err := cw.WriteTo(w); err != nil {
		return fmt.Errorf("%s: writing %s: %w", name, f, err)
	}
	return nil
}

// formatOf maps a file extension or format name to the canonical format.
func formatOf(s string) (string, bool) {
	f := strings.ToLower(strings.TrimPrefix(s, "."))
	switch f {
	case "png", "svg", "pdf":
		return f, true
	}
	return "", false
}

// canvasSize applies the defaults and rejects sizes the canvases would panic
// on (non-positive) or that would exhaust memory as a bitmap.
func canvasSize(w, h vg.Length, format string) (vg.Length, vg.Length, error) {
	if w == 0 {
		w = defaultWidth
	}
	if h == 0 {
		h = defaultHeight
	}
	if !(w > 0) || !(h > 0) || math.IsInf(float64(w), 0) || math.IsInf(float64(h), 0) {
		return 0, 0, fmt.Errorf("invalid chart size %v x %v", w, h)
	}
	if format == "png" {
		px := float64(w/vg.Inch*pngDPI) * float64(h/vg.Inch*pngDPI)
		if px > maxPNGPixels {
			return 0, 0, fmt.Errorf("chart size %v x %v is too large for a PNG at %d dpi", w, h, pngDPI)
		}
	}
	return w, h, nil
}

// chartName identifies a chart in error messages; charts of one run differ by
// title, so the title is what lets a user find the offending chart.
func chartName(c Chart) string { return titled("chart", c.Title) }

// titled names a chart of the given kind by its title, if it has one.
func titled(kind, title string) string {
	if title == "" {
		return kind
	}
	return fmt.Sprintf("%s %q", kind, title)
}

// curveName identifies a curve in error messages, by name when it has one.
func curveName(i int, cv Curve) string {
	if cv.Name == "" {
		return fmt.Sprintf("curve #%d", i)
	}
	return fmt.Sprintf("curve %q", cv.Name)
}

// validate reports everything that would make the chart meaningless or make
// gonum/plot panic, with a message naming the chart (as name) and curve.
func validate(name string, c Chart) error {
	if len(c.Curves) == 0 {
		return fmt.Errorf("%s: no curves to plot", name)
	}
	if len(c.X) == 0 {
		return fmt.Errorf("%s: X is empty", name)
	}
	for i, cv := range c.Curves {
		if len(cv.Mean) != len(c.X) {
			return fmt.Errorf("%s: %s: Mean has %d points, X has %d", name, curveName(i, cv), len(cv.Mean), len(c.X))
		}
		if (cv.Low == nil) != (cv.High == nil) {
			return fmt.Errorf("%s: %s: Low and High must both be set or both be nil", name, curveName(i, cv))
		}
		if cv.Low != nil && len(cv.Low) != len(c.X) {
			return fmt.Errorf("%s: %s: Low has %d points, X has %d", name, curveName(i, cv), len(cv.Low), len(c.X))
		}
		if cv.High != nil && len(cv.High) != len(c.X) {
			return fmt.Errorf("%s: %s: High has %d points, X has %d", name, curveName(i, cv), len(cv.High), len(c.X))
		}
	}
	for _, b := range []struct {
		name string
		v    *float64
	}{{"YMin", c.YMin}, {"YMax", c.YMax}} {
		if b.v != nil && !finite(*b.v) {
			return fmt.Errorf("%s: %s is %v", name, b.name, *b.v)
		}
	}
	if c.YMin != nil && c.YMax != nil && !(*c.YMin < *c.YMax) {
		return fmt.Errorf("%s: YMin (%g) must be less than YMax (%g)", name, *c.YMin, *c.YMax)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// buildPlot turns a validated chart into a gonum plot.
func buildPlot(c Chart) (*plot.Plot, error) {
	if err := validate(chartName(c), c); err != nil {
		return nil, err
	}
	p := newPlot(c.Title, c.XLabel, c.YLabel)
	p.Add(newGrid(true))
	legend := &legendBox{}
	entries, err := addCurves(p, chartName(c), c, legend)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.name != "" {
			legend.entries = append(legend.entries, e)
		}
	}
	addLegend(p, legend)

	// Ranges are set after Add, which widens them to the plotted data, so
	// the explicit choices below win.
	p.X.Min, p.X.Max = xRange(c.X)
	p.Y.Min, p.Y.Max = yRange(c)
	return p, nil
}

// newPlot is a plot with the package's text style and tick labels.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	styleText(p)
	p.Title.Text = title
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.X.Tick.Marker = readableTicks{}
	p.Y.Tick.Marker = readableTicks{}
	return p
}

// newGrid is a light grid at the major ticks; vertical lines are left out
// where the x axis is categorical.
func newGrid(vertical bool) *plotter.Grid {
	grid := plotter.NewGrid()
	grid.Horizontal = draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)}
	grid.Vertical = grid.Horizontal
	if !vertical {
		grid.Vertical = draw.LineStyle{}
	}
	return grid
}

// addLegend adds lb on top of everything added to p so far, if it has
// entries.
func addLegend(p *plot.Plot, lb *legendBox) {
	if len(lb.entries) > 0 {
		lb.style = text.Style{Font: font.From(sansFont, 10), Handler: p.TextHandler, Color: color.Black}
		p.Add(lb)
	}
}

// addCurves adds the bands and then the lines of c.Curves to p (bands
// first, so no band covers another curve's line), records what they cover
// as legend obstacles, and returns one legend entry per curve, in order
// (name empty for unnamed curves). c must be valid; name is used in errors.
func addCurves(p *plot.Plot, name string, c Chart, legend *legendBox) ([]legendEntry, error) {
	bucket := 1
	if len(c.X) > maxPoints {
		// Two points (min and max) per bucket keep the visual envelope of
		// the series, including single-step spikes, at ~maxPoints points.
		bucket = (len(c.X) + maxPoints/2 - 1) / (maxPoints / 2)
	}

	entries := make([]legendEntry, len(c.Curves))
	var lines []plot.Plotter
	for i, cv := range c.Curves {
		col := palette[i%len(palette)]
		var bandCol color.Color
		if cv.Low != nil {
			bandCol = color.NRGBA{R: col.R, G: col.G, B: col.B, A: bandAlpha}
			var rings []plotter.XYer
			for _, r := range finiteRuns(c.X, cv.Low, cv.High) {
				if r[1]-r[0] < 2 {
					continue // a band needs a width to be visible
				}
				lo := thin(c.X, cv.Low, r[0], r[1], bucket)
				hi := thin(c.X, cv.High, r[0], r[1], bucket)
				ring := make(plotter.XYs, 0, len(lo)+len(hi))
				ring = append(ring, lo...)
				for j := len(hi) - 1; j >= 0; j-- {
					ring = append(ring, hi[j])
				}
				rings = append(rings, ring)
				legend.obstacles = append(legend.obstacles, obstacle{lo, 0.5}, obstacle{hi, 0.5})
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

		ls := draw.LineStyle{
			Color:  col,
			Width:  vg.Points(1.5),
			Dashes: dashCycles[(i/len(palette))%len(dashCycles)],
		}
		var isolated plotter.XYs
		for _, r := range finiteRuns(c.X, cv.Mean) {
			pts := thin(c.X, cv.Mean, r[0], r[1], bucket)
			legend.obstacles = append(legend.obstacles, obstacle{pts, 1})
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
			s.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(1.5), Shape: draw.CircleGlyph{}}
			lines = append(lines, s)
		}
		entries[i] = legendEntry{cv.Name, curveThumb{line: ls, band: bandCol}}
	}
	p.Add(lines...)
	return entries, nil
}

// styleText switches all text to Liberation Sans, which reads better at
// small sizes than gonum's default serif, and sets the sizes.
func styleText(p *plot.Plot) {
	p.Title.TextStyle.Font = font.From(sansFont, 13)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, 11)
		a.Tick.Label.Font = font.From(sansFont, 9)
	}
}

// xRange is the range of finite X values. Setting it explicitly keeps the x
// axis identical across charts of a run even when a curve ends in NaNs.
func xRange(x []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range x {
		if finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo > hi {
		return 0, 1
	}
	return lo, hi // lo == hi is widened by gonum's sanitizeRange
}

// yRange includes 0 (adoption counts and shares are read against zero; a
// y axis starting at e.g. 0.4 exaggerates small differences), adds 5% headroom
// above the data so the top curve does not run along the frame, and applies
// the chart's fixed bounds.
func yRange(c Chart) (lo, hi float64) {
	lo, hi = 0, 0
	for _, cv := range c.Curves {
		for _, s := range [][]float64{cv.Mean, cv.Low, cv.High} {
			for j, v := range s {
				if finite(v) && finite(c.X[j]) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	return paddedRange(lo, hi, c.YMin, c.YMax)
}

// paddedRange turns the data range [lo, hi] (which must include 0) into an
// axis range as described for yRange, with optional fixed bounds yMin, yMax.
func paddedRange(lo, hi float64, yMin, yMax *float64) (float64, float64) {
	if lo == hi {
		hi = 1 // all zero or no data: show 0..1 rather than a degenerate axis
	}
	const headroom = 0.05
	span := hi - lo
	if yMax == nil && hi > 0 {
		hi += headroom * span
	}
	if yMin == nil && lo < 0 {
		lo -= headroom * span
	}
	if yMin != nil {
		lo = *yMin
	}
	if yMax != nil {
		hi = *yMax
	}
	// With only one bound fixed, the automatic one may end up on the wrong
	// side of it; keep the fixed bound and make the range non-empty.
	if !(lo < hi) {
		if yMax == nil {
			hi = lo + math.Max(1, math.Abs(lo))
		} else {
			lo = hi - math.Max(1, math.Abs(hi))
		}
	}
	return lo, hi
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

// readableTicks places about five major ticks at multiples of 1, 2, 2.5 or 5
// times a power of ten (gonum's DefaultTicks aims at three, which leaves the
// grid too sparse) and labels them so that large values read as 250, 2,500,
// 25k, 2.5M, 1.2B instead of 1e+08. It has no minor ticks: with a grid they
// only add clutter.
type readableTicks struct{}

// Ticks implements plot.Ticker.
func (readableTicks) Ticks(lo, hi float64) []plot.Tick {
	const target = 5
	span := hi - lo
	if !(span > 0) || !finite(span) {
		return []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 4, 64)}}
	}
	mag := math.Pow10(int(math.Floor(math.Log10(span / target))))
	step, bestScore := 0.0, math.Inf(1)
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		s := m * mag
		n := math.Floor(hi/s+1e-9) - math.Ceil(lo/s-1e-9) + 1
		score := math.Abs(n - target)
		if m == 2.5 {
			score += 0.5 // quarter steps read less easily than halves
		}
		if score < bestScore {
			step, bestScore = s, score
		}
	}

	maxAbs := math.Max(math.Abs(lo), math.Abs(hi))
	if maxAbs < 1e-4 || maxAbs >= 1e15 || step < 1e-9*maxAbs {
		// Tiny, astronomically large, or a narrow window far from zero:
		// exponent notation is the readable choice here, with just enough
		// significant digits to tell neighbouring ticks apart.
		digits := int(math.Ceil(math.Log10(maxAbs/step))) + 1
		digits = min(max(digits, 1), 17)
		var ticks []plot.Tick
		for k := math.Ceil(lo/step - 1e-9); k <= math.Floor(hi/step+1e-9); k++ {
			v := k * step
			if v == 0 {
				v = 0 // k may be -0 after Ceil, and "-0" is not a label
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', digits, 64)})
		}
		return ticks
	}
	scale, suffix := unitOf(maxAbs)
	// Enough decimals to show the step exactly; trailing zeros are trimmed
	// per label so 0, 0.5, 1 rather than 0.0, 0.5, 1.0.
	decimals := 0
	for ; decimals < 12; decimals++ {
		v := step / scale * math.Pow10(decimals)
		if math.Abs(v-math.Round(v)) < 1e-6*v {
			break
		}
	}

	var ticks []plot.Tick
	for k := math.Ceil(lo/step - 1e-9); k <= math.Floor(hi/step+1e-9); k++ {
		v := k * step
		label := "0"
		if k != 0 {
			label = strconv.FormatFloat(v/scale, 'f', decimals, 64)
			if strings.Contains(label, ".") {
				label = strings.TrimRight(strings.TrimRight(label, "0"), ".")
			}
			label = groupThousands(label) + suffix
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}

// unitOf is the scale and suffix for labelling numbers of magnitude a:
// 25k, 2.5M, 1.2B, 3T. "k" starts at 10,000 rather than 1,000 because 2,500
// reads better than 2.5k on an axis.
func unitOf(a float64) (scale float64, suffix string) {
	for _, u := range []struct {
		from, scale float64
		suffix      string
	}{{1e12, 1e12, "T"}, {1e9, 1e9, "B"}, {1e6, 1e6, "M"}, {1e4, 1e3, "k"}} {
		if a >= u.from {
			return u.scale, u.suffix
		}
	}
	return 1, ""
}

// groupThousands inserts commas into the integer part of a formatted number
// (2500 -> 2,500); with the suffixes above this matters only below 10,000.
func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if frac != "" {
		frac = "." + frac
	}
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return sign + b.String() + frac
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

// legendBox is a plotter that draws the legend on a light background box in
// the corner of the data area that hides the least data. It is a plotter
// rather than plot.Legend because placement needs the final canvas geometry
// and gonum's legend has neither a background nor automatic placement.
type legendBox struct {
	entries   []legendEntry
	obstacles []obstacle
	style     text.Style
}

const (
	legendInset = 5 // pt between the data area edge and the legend box
	legendPad   = 4 // pt between the legend box and its content
)

// layout returns a gonum legend holding lb's entries and the size of the
// box drawn around it.
func (lb *legendBox) layout() (leg plot.Legend, boxW, boxH vg.Length) {
	const pad = legendPad
	leg = plot.NewLegend()
	leg.TextStyle = lb.style
	leg.ThumbnailWidth = vg.Points(20)
	leg.Padding = vg.Points(3)
	var textW, entH vg.Length
	for _, e := range lb.entries {
		leg.Add(e.name, e.thumb)
		r := lb.style.Rectangle(e.name)
		textW = max(textW, r.Max.X-r.Min.X)
		entH = max(entH, r.Max.Y)
	}
	n := vg.Length(len(lb.entries))
	em := lb.style.Rectangle(" ").Max.X
	boxW = leg.ThumbnailWidth + em + textW + 2*pad
	boxH = n*entH + (n-1)*leg.Padding + 2*pad
	return leg, boxW, boxH
}

// Plot implements plot.Plotter.
func (lb *legendBox) Plot(c draw.Canvas, plt *plot.Plot) {
	const (
		inset = legendInset
		pad   = legendPad
	)
	leg, boxW, boxH := lb.layout()
	descent := lb.style.FontExtents().Descent

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
		for _, o := range lb.obstacles {
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
	c.StrokeLines(draw.LineStyle{Color: legendFrame, Width: vg.Points(0.5)}, append(frame, frame[0]))

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
