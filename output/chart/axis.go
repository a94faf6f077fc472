package chart

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"

	"github.com/msgsim/msgsim/internal/calendar"
)

// This file is the one axis helper: what an axis shows (time, units of
// people), its range and its ticks and tick labels.

// TimeAxis describes the time axis of a run's charts: steps from 0, in
// units of Unit ("week"), counted from Start when it is set.
//
// It is the place for calendar axes: a step length beside Start, and
// month and year ticks that Lines puts on its x axis instead of step
// numbers.
type TimeAxis struct {
	Unit  string    // the step length: "day", "week", "month"
	Start time.Time // the date of step 0; zero when the run has no calendar
}

// Label is the axis label: "time (weeks)", or "time (weeks from
// 2011-01-21)" with a start date.
func (a TimeAxis) Label() string {
	if a.Start.IsZero() {
		return fmt.Sprintf("time (%ss)", a.Unit)
	}
	return fmt.Sprintf("time (%ss from %s)", a.Unit, a.Start.Format(time.DateOnly))
}

// Ticks is the x axis's ticker: calendar ticks (months, labelled by their
// abbreviation, and years) when the axis has a start and a step length of
// day, week or month; nil, which leaves step numbers, otherwise.
func (a TimeAxis) Ticks() plot.Ticker {
	switch u := calendar.Unit(a.Unit); {
	case a.Start.IsZero() || !slices.Contains(calendar.Units, u):
		return nil
	default:
		return dateTicks{calendar.Calendar{Start: a.Start, Unit: u}}
	}
}

// dateTicks puts a labelled tick every 1, 2, 3, 6 or 12 months (whichever
// gives at most about eight), on the first of the month, with unlabelled
// monthly ticks between: January reads as its year, other months as Feb, Mar...
type dateTicks struct{ cal calendar.Calendar }

// Ticks implements plot.Ticker for an axis in steps of d.cal.
func (d dateTicks) Ticks(lo, hi float64) []plot.Tick {
	first, last := d.cal.DateOf(int(math.Floor(lo))), d.cal.DateOf(int(math.Ceil(hi)))
	first = time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
	months := (last.Year()-first.Year())*12 + int(last.Month()) - int(first.Month())
	every := 12
	for _, m := range []int{1, 2, 3, 6} {
		if months/m <= 8 {
			every = m
			break
		}
	}
	for months/every > 8 { // decades of months: a labelled tick every few years
		every += 12
	}
	var ticks []plot.Tick
	for m := 0; m <= months; m++ {
		date := first.AddDate(0, m, 0)
		x := d.cal.Position(date)
		if x < lo || x > hi {
			continue
		}
		index := date.Year()*12 + int(date.Month()) - 1
		switch {
		case index%every == 0 && date.Month() == time.January:
			ticks = append(ticks, plot.Tick{Value: x, Label: strconv.Itoa(date.Year())})
		case index%every == 0:
			ticks = append(ticks, plot.Tick{Value: x, Label: date.Format("Jan")})
		case every <= 12:
			ticks = append(ticks, plot.Tick{Value: x})
		}
	}
	return ticks
}

// Unit is how counts of agents are shown on an axis: multiplied by Factor,
// in Name ("agents", "people", "millions").
type Unit struct {
	Factor float64
	Name   string
}

// Counted is the unit's word after a number in a sentence: an axis reads
// "users (millions)", a sentence "393 million".
func (u Unit) Counted() string {
	if u.Name == "millions" {
		return "million"
	}
	return u.Name
}

// PeopleUnit is the unit for user counts of a run of agents agents, each
// standing for scale people: agents when unscaled, else people, or
// millions of people for populations of ten million or more.
func PeopleUnit(scale float64, agents int) Unit {
	switch {
	case scale == 1:
		return Unit{1, "agents"}
	case scale*float64(agents) >= 1e7:
		return Millions(scale)
	default:
		return Unit{scale, "people"}
	}
}

// Millions is the unit of millions of people for agents that each stand for
// scale people.
func Millions(scale float64) Unit { return Unit{scale / 1e6, "millions"} }

// xRange is the range of finite x values. Setting it explicitly keeps the x
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

// paddedRange turns the data range [lo, hi], which includes 0 (counts and
// shares are read against zero; an axis starting at e.g. 0.4 exaggerates
// small differences), into an axis range: 5% headroom beyond the data so
// the outermost curve does not run along the frame, and the optional fixed
// bounds yMin, yMax.
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

// readableTicks places about five major ticks at multiples of 1, 2, 2.5 or 5
// times a power of ten (gonum's DefaultTicks aims at three, which leaves the
// grid too sparse) and labels them so that large values read as 250, 2,500,
// 25k, 2.5M, 1.2B instead of 1e+08. It has no minor ticks: with a grid they
// only add clutter. A narrow panel asks for fewer (target).
type readableTicks struct {
	target int // about how many ticks; 0 means five
}

// Ticks implements plot.Ticker.
func (r readableTicks) Ticks(lo, hi float64) []plot.Tick {
	target := 5.0
	if r.target > 0 {
		target = float64(r.target)
	}
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

// labelTicks puts label i at x = i: a categorical axis.
type labelTicks []string

// LevelTicks labels x = 0, 1, ... with the levels of a categorical factor, for Lines.XTicks.
func LevelTicks(levels []string) plot.Ticker { return labelTicks(levels) }

// Ticks implements plot.Ticker.
func (l labelTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := make([]plot.Tick, len(l))
	for i, s := range l {
		ticks[i] = plot.Tick{Value: float64(i), Label: s}
	}
	return ticks
}

// gridAxis maps the grid values of one axis of a sweep to plot coordinates:
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

// gridTicks ticks a sweep grid axis: at the grid values if there are at most
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

// onLogAxis returns curves as a log y axis shows them, and the axis floor:
// the power of ten at or below the smallest positive value of curves and
// observed (1 when there is none). A log axis has no place for 0, and a
// count is 0 before a platform launches or after it dies out, so a mean of
// 0 or less is no data there: the curve starts at its first positive value
// and leaves a gap where it falls to 0. A band whose 5% edge is 0 runs down
// to the floor (at least 5% of replicates have no users then); a band whose
// 95% edge is 0 is left out. curves are not modified.
func onLogAxis(x []float64, curves []Curve, observed []PointSet) ([]Curve, float64) {
	smallest := math.Inf(1)
	for _, cv := range curves {
		for _, s := range [][]float64{cv.Mean, cv.Low, cv.High} {
			for j, v := range s {
				if v > 0 && finite(v) && finite(x[j]) {
					smallest = math.Min(smallest, v)
				}
			}
		}
	}
	for _, ps := range observed {
		for _, pt := range finitePoints(ps) {
			if pt.Y > 0 {
				smallest = math.Min(smallest, pt.Y)
			}
		}
	}
	floor := 1.0
	if finite(smallest) {
		floor = math.Pow(10, math.Floor(math.Log10(smallest)))
	}
	out := make([]Curve, len(curves))
	for i, cv := range curves {
		out[i] = Curve{Name: cv.Name, Mean: slices.Clone(cv.Mean), Low: slices.Clone(cv.Low), High: slices.Clone(cv.High)}
		for j, v := range out[i].Mean {
			if !(v > 0) {
				out[i].Mean[j] = math.NaN()
			}
		}
		for j := range out[i].Low {
			switch {
			case !(out[i].High[j] > 0):
				out[i].Low[j], out[i].High[j] = math.NaN(), math.NaN()
			case !(out[i].Low[j] > 0):
				out[i].Low[j] = floor
			}
		}
	}
	return out, floor
}

// logRange is the range of a log y axis from floor (see onLogAxis) to the
// largest value hi, with 5% of the decades spanned as headroom, and the
// optional fixed bounds yMin, yMax where they are positive and in order.
func logRange(floor, hi float64, yMin, yMax *float64) (float64, float64) {
	lo := floor
	if yMin != nil && *yMin > 0 {
		lo = *yMin
	}
	const headroom = 0.05
	if hi > lo {
		hi *= math.Pow(hi/lo, headroom)
	} else {
		hi = 10 * lo // no data above the floor: show one decade
	}
	if yMax != nil && *yMax > lo {
		hi = *yMax
	}
	return lo, hi
}

// logScaleTicks ticks an axis drawn with plot.LogScale, whose range is in
// data values: as logTicks does a log10 coordinate range (powers of ten,
// or 1-2-5 times them over less than a few decades).
type logScaleTicks struct{}

// Ticks implements plot.Ticker.
func (logScaleTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := logTicks(math.Log10(lo), math.Log10(hi))
	for i := range ticks {
		ticks[i].Value = math.Pow(10, ticks[i].Value)
	}
	return ticks
}
