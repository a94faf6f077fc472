package chart

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Bars is a bar chart with optional error bars: one group per factor, one
// bar per series (e.g. first-order and total Sobol indices, or Morris mu*
// and sigma).
//
// The y axis starts at 0, or below it when a value or error bar is
// negative. A NaN value is marked "n/a" instead of a bar; a NaN Low or High
// leaves out that error bar. Long factor names are wrapped at dots, or
// slanted if wrapping does not make them fit.
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

func (b Bars) size() (vg.Length, vg.Length) { return defaultWidth, defaultHeight }

func (b Bars) build(width vg.Length) (string, func(draw.Canvas), error) {
	p, lg, extents, err := buildBars(b, width)
	if err != nil {
		return "", nil, err
	}
	return titled("bar chart", b.Title), func(c draw.Canvas) {
		c = fitSlanted(p, c)
		lg.makeRoom(p, c, extents)
		p.Draw(c)
	}, nil
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
	for i, s := range b.Series {
		if err := checkBand(name+": "+seriesName(i, s), "values", "Labels", len(b.Labels), "Values", s.Values, s.Low, s.High); err != nil {
			return err
		}
	}
	return nil
}

func buildBars(b Bars, width vg.Length) (*plot.Plot, *legend, []extent, error) {
	name := titled("bar chart", b.Title)
	if err := validateBars(name, b); err != nil {
		return nil, nil, nil, err
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
	lg := &legend{}
	var extents []extent
	lo, hi := 0.0, 0.0
	for s, ser := range b.Series {
		off := (float64(s) - float64(k-1)/2) * slot
		vals := make(plotter.Values, n)
		for i, v := range ser.Values {
			x := float64(i) + off
			e := extent{x0: x - gb.width/2, x1: x + gb.width/2, lo: 0, hi: 0}
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
			lg.obstacles = append(lg.obstacles, obstacle{plotter.XYs{
				{X: e.x0, Y: e.lo}, {X: e.x0, Y: e.hi}, {X: e.x1, Y: e.hi}, {X: e.x1, Y: e.lo}, {X: e.x0, Y: e.lo},
			}, 1})
		}
		bc, err := plotter.NewBarChart(vals, 1) // width and offset are set when drawn
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %s: %w", name, seriesName(s, ser), err)
		}
		col := palette[s%len(palette)]
		bc.Color = col
		bc.LineStyle = draw.LineStyle{} // flat bars: outlines only add noise
		gb.bars = append(gb.bars, bc)
		gb.offsets = append(gb.offsets, off)
		if ser.Name != "" {
			lg.entries = append(lg.entries, legendEntry{ser.Name, swatch{col}})
		}
	}
	p.Add(gb, baseline{})
	if len(wh.x) > 0 {
		wh.capW = 0.3 * gb.width
		p.Add(wh)
	}
	if len(na.x) > 0 {
		na.style = textStyle(p, noteSize)
		na.style.Color, na.style.XAlign, na.style.YAlign = naColor, draw.XCenter, draw.YBottom
		p.Add(na)
	}
	lg.addTo(p)

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
	return p, lg, extents, nil
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
	c.StrokeLine2(baselineStyle, c.Min.X, trY(0), c.Max.X, trY(0))
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
