package chart

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file is the one style of all charts: fonts and their sizes,
// colours and line widths.

// Font sizes in points.
const (
	titleSize  = 13
	labelSize  = 11 // axis labels, the colour bar's label
	tickSize   = 9
	legendSize = 10
	noteSize   = 8 // "n/a" marks on bars
)

// sansFont is Liberation Sans, which reads better at small sizes than
// gonum's default serif.
var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// palette is the Okabe-Ito colour-blind-safe palette without its yellow,
// which is nearly invisible on white. Series i gets palette[i%len(palette)];
// after a full cycle a line gets a dash pattern so curves stay distinct.
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

// bandAlpha keeps bands light enough that overlapping bands of several
// curves and the lines drawn on top of them stay readable.
const bandAlpha = 0x40

var (
	gridColor   = color.Gray{Y: 0xdd}
	legendFill  = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xe0}
	legendFrame = color.Gray{Y: 0xbb}
	naColor     = color.Gray{Y: 0x60}
	swatchFrame = color.Gray{Y: 0x80}

	// noDataColor fills heat map cells without a finite value. It is a
	// neutral grey, which the colour map (all hues) does not contain.
	noDataColor = color.Gray{Y: 0xd0}
)

// Line widths and styles.
var (
	curveWidth  = vg.Points(1.5)
	pointRadius = vg.Points(1.5) // an isolated value of a curve
	// observedRadius is larger than pointRadius so observed data stand out
	// from the curves they are compared with.
	observedRadius = vg.Points(3.5)

	hairline      = vg.Points(0.5) // grid, frames, colour bar ticks
	frameStyle    = draw.LineStyle{Color: color.Black, Width: hairline}
	outlineStyle  = draw.LineStyle{Color: color.Black, Width: vg.Points(0.75)}
	baselineStyle = draw.LineStyle{Color: color.Gray{Y: 0x40}, Width: vg.Points(0.75)}
	whiskerStyle  = draw.LineStyle{Color: color.Gray{Y: 0x20}, Width: vg.Points(1)}

	// boundaryStyle draws the tipping boundary; boundaryHalo, drawn below
	// it, keeps the line visible over the dark end of the colour map.
	boundaryStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(2.5)}
	boundaryHalo  = draw.LineStyle{Color: color.White, Width: vg.Points(5)}
)

// curveStyle is the line of the i-th series.
func curveStyle(i int) draw.LineStyle {
	return draw.LineStyle{
		Color:  palette[i%len(palette)],
		Width:  curveWidth,
		Dashes: dashCycles[(i/len(palette))%len(dashCycles)],
	}
}

// textStyle is black sans text of the given size, measured with p's text
// handler.
func textStyle(p *plot.Plot, size vg.Length) text.Style {
	return text.Style{Font: font.From(sansFont, size), Handler: p.TextHandler, Color: color.Black}
}

// newPlot is a plot with the package's text style and readable ticks.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.TextStyle.Font = font.From(sansFont, titleSize)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, labelSize)
		a.Tick.Label.Font = font.From(sansFont, tickSize)
	}
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
	grid.Horizontal = draw.LineStyle{Color: gridColor, Width: hairline}
	grid.Vertical = grid.Horizontal
	if !vertical {
		grid.Vertical = draw.LineStyle{}
	}
	return grid
}
