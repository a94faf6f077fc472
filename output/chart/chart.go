// Package chart draws msgsim's charts with gonum.org/v1/plot: run curves
// with 5-95% bands, sweep heat maps and lines, sensitivity bars, and
// simulated bands against observed data.
//
// Each kind is one type in a file of its own (Lines, FitData, Heatmap,
// Bars) and shares the rest: one Save and Render (this file), one style
// (style.go), one legend (legend.go), one axis helper (axis.go) and the
// drawing of curves and points (curves.go).
package chart

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Chart is one of the chart kinds of this package: Lines, FitData, Heatmap
// or Bars. Its methods are unexported because a kind also needs the
// package's style, legend and axes; a new kind is a new file here.
type Chart interface {
	// size is the canvas size of the kind.
	size() (width, height vg.Length)
	// build validates the chart and lays it out for a canvas width wide.
	// name identifies the chart in errors raised while drawing.
	build(width vg.Length) (name string, drawFn func(draw.Canvas), err error)
}

// Format is an image format a chart can be written in.
type Format int

const (
	// PNG is a bitmap at 150 dpi, for slides and documents.
	PNG Format = iota
	// SVG is a vector image, for the web and for editing.
	SVG
)

// Formats are all formats, in the order the CLI writes them.
var Formats = []Format{PNG, SVG}

// String is the format's name, which is also its file extension.
func (f Format) String() string {
	switch f {
	case PNG:
		return "png"
	case SVG:
		return "svg"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// FormatOf is the format named by s, a format name or a file extension
// (case-insensitive, a leading dot is ignored).
func FormatOf(s string) (Format, error) {
	for _, f := range Formats {
		if strings.EqualFold(strings.TrimPrefix(s, "."), f.String()) {
			return f, nil
		}
	}
	return 0, fmt.Errorf("unsupported plot format %q (use png or svg)", s)
}

const (
	// defaultWidth and defaultHeight are the canvas of most kinds: a 16:10
	// chart that fits a report page without scaling.
	defaultWidth  = 16 * vg.Centimeter
	defaultHeight = 10 * vg.Centimeter

	// pngDPI is sharp enough for slides and reports while keeping a
	// default-sized PNG around 950x590 pixels.
	pngDPI = 150
)

// Save draws c and writes it to path in the format of path's extension
// (.png or .svg). Charts are 16cm x 10cm (heat maps 16cm x 13cm), PNGs
// rendered at 150 dpi.
//
// The chart is rendered completely in memory before path is created, so an
// invalid chart or format never leaves an empty or truncated file behind.
func Save(c Chart, path string) error {
	f, err := FormatOf(filepath.Ext(path))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := Render(c, f, &buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// Render draws c in format f to w. Invalid charts (no data, lengths that do
// not match, empty fixed ranges) are reported as errors naming the chart
// before anything is written to w.
func Render(c Chart, f Format, w io.Writer) (err error) {
	if f != PNG && f != SVG {
		return fmt.Errorf("unsupported plot format %v", f)
	}
	width, height := c.size()
	name, drawFn, err := c.build(width)
	if err != nil {
		return err
	}
	// gonum/plot and its canvases panic on some degenerate input instead of
	// returning errors; a chart is never worth crashing a simulation run for.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: rendering failed: %v", name, r)
		}
	}()
	var cw vg.CanvasWriterTo = vgsvg.New(width, height)
	if f == PNG {
		cw = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(pngDPI))}
	}
	// gonum lets the title touch the top edge and the data area reach the
	// right edge, where the last point of a line would be cut in half.
	drawFn(draw.Crop(draw.New(cw), vg.Points(4), -vg.Points(10), vg.Points(4), -vg.Points(6)))
	if _, err := cw.WriteTo(w); err != nil {
		return fmt.Errorf("%s: writing %v: %w", name, f, err)
	}
	return nil
}

// titled names a chart of the given kind by its title, if it has one:
// charts of one run differ by title, so the title is what lets a user find
// the offending chart.
func titled(kind, title string) string {
	if title == "" {
		return kind
	}
	return fmt.Sprintf("%s %q", kind, title)
}

// checkBand checks one series of values, and its optional Low/High band,
// against the n values of ref; where names the series in errors and unit
// names its elements ("points", "values").
func checkBand(where, unit, ref string, n int, valuesName string, values, low, high []float64) error {
	if len(values) != n {
		return fmt.Errorf("%s: %s has %d %s, %s has %d", where, valuesName, len(values), unit, ref, n)
	}
	if (low == nil) != (high == nil) {
		return fmt.Errorf("%s: Low and High must both be set or both be nil", where)
	}
	for _, s := range []struct {
		name string
		v    []float64
	}{{"Low", low}, {"High", high}} {
		if s.v != nil && len(s.v) != n {
			return fmt.Errorf("%s: %s has %d %s, %s has %d", where, s.name, len(s.v), unit, ref, n)
		}
	}
	return nil
}

// checkBounds checks an optional fixed axis range called axis (Y, Z): each
// bound finite, and min below max when both are set.
func checkBounds(name, axis string, lo, hi *float64) error {
	for _, b := range []struct {
		name string
		v    *float64
	}{{axis + "Min", lo}, {axis + "Max", hi}} {
		if b.v != nil && !finite(*b.v) {
			return fmt.Errorf("%s: %s is %v", name, b.name, *b.v)
		}
	}
	if lo != nil && hi != nil && !(*lo < *hi) {
		return fmt.Errorf("%s: %sMin (%g) must be less than %sMax (%g)", name, axis, *lo, axis, *hi)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
