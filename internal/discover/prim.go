// Package discover finds where in a sweep's factor space a condition holds: scenario
// discovery by PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), as the EMA
// Workbench does it (Kwakkel 2017). It works on a table of factor values, one row per run,
// and a boolean outcome per row; it knows nothing of sweeps' files except in runs.go.
//
// PRIM looks for a box, an interval per factor, where the condition holds often (density:
// the share of the box's runs where it holds) while covering most of the runs where it holds
// (coverage) and a fair share of all runs (mass). Starting from the box that holds every
// run, peeling removes at each step the slice of alpha (0.05) of the box's runs, at the low or
// the high end of one factor, that leaves the densest box, until a further peel would leave
// less than MinMass of all runs. The boxes passed through are the peeling trajectory; one is
// chosen (by default the densest with coverage of at least MinCoverage, the earliest of equal
// density) and then pasted: its faces are moved back out, alpha of its runs at a time, while
// that makes it denser.
//
// Swept factors are often on grids, where the alpha quantile can equal the smallest value: a
// peel then removes the whole lowest (or highest) level, and a paste adds the whole next
// level, as the Workbench does for discrete factors.
package discover

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Data is a table of runs: X[f][i] is factor f's value in run i, Y[i] whether the condition
// holds in run i.
type Data struct {
	Factors []string
	X       [][]float64
	Y       []bool
}

// Options tune PRIM; the zero value means the documented defaults.
type Options struct {
	Alpha       float64 // share of a box's runs peeled or pasted at a time; 0 = 0.05
	MinMass     float64 // peeling stops before a box holds less than this share of runs; 0 = 0.05
	MinCoverage float64 // the chosen box is the densest with at least this coverage; 0 = 0.8
	// Box chooses a box of the trajectory by index (0 = all runs) instead of the rule; -1
	// (or any negative) uses the rule.
	Box int
}

// DefaultOptions are the Workbench's defaults: alpha 0.05, a minimum mass of 0.05, and the
// densest box covering at least 80% of the runs where the condition holds.
func DefaultOptions() Options {
	return Options{Alpha: 0.05, MinMass: 0.05, MinCoverage: 0.8, Box: -1}
}

// Box is an interval per factor, inclusive, and how it does.
type Box struct {
	Lower, Upper []float64
	Runs         int     // runs inside
	Hits         int     // runs inside where the condition holds
	Coverage     float64 // Hits / all runs where it holds
	Density      float64 // Hits / Runs
	Mass         float64 // Runs / all runs
}

// Result is PRIM's answer: the peeling trajectory, the index of the box chosen on it, and
// that box after pasting.
type Result struct {
	Trajectory []Box
	Chosen     int
	Pasted     Box
	// Range is the full box (every run's factor values): a factor whose pasted limits are
	// Range's is unrestricted.
	Range Box
}

// prim holds the data and what is fixed while peeling.
type prim struct {
	d      Data
	alpha  float64
	hits   int // runs where the condition holds, in all
	levels [][]float64
}

// Run runs PRIM on d.
func Run(d Data, opts Options) (*Result, error) {
	if err := check(d); err != nil {
		return nil, err
	}
	opts = withDefaults(opts)
	p := &prim{d: d, alpha: opts.Alpha}
	for _, y := range d.Y {
		if y {
			p.hits++
		}
	}
	if p.hits == 0 || p.hits == len(d.Y) {
		return nil, fmt.Errorf("the condition holds in %d of the %d runs: there is nothing to tell apart", p.hits, len(d.Y))
	}
	for _, x := range d.X {
		lv := slices.Clone(x)
		slices.Sort(lv)
		p.levels = append(p.levels, slices.Compact(lv))
	}
	full := Box{}
	for f := range d.X {
		full.Lower = append(full.Lower, p.levels[f][0])
		full.Upper = append(full.Upper, p.levels[f][len(p.levels[f])-1])
	}
	full = p.measure(full)
	res := &Result{Trajectory: []Box{full}, Range: full}
	minRuns := opts.MinMass * float64(len(d.Y))
	for {
		next, ok := p.peel(res.Trajectory[len(res.Trajectory)-1], minRuns)
		if !ok {
			break
		}
		res.Trajectory = append(res.Trajectory, next)
	}
	switch {
	case opts.Box >= len(res.Trajectory):
		return nil, fmt.Errorf("box %d: the peeling trajectory has boxes 0 to %d", opts.Box, len(res.Trajectory)-1)
	case opts.Box >= 0:
		res.Chosen = opts.Box
	default:
		res.Chosen = choose(res.Trajectory, opts.MinCoverage)
	}
	res.Pasted = p.paste(res.Trajectory[res.Chosen])
	return res, nil
}

func withDefaults(o Options) Options {
	d := DefaultOptions()
	if o.Alpha > 0 {
		d.Alpha = o.Alpha
	}
	if o.MinMass > 0 {
		d.MinMass = o.MinMass
	}
	if o.MinCoverage > 0 {
		d.MinCoverage = o.MinCoverage
	}
	d.Box = o.Box
	return d
}

func check(d Data) error {
	switch {
	case len(d.X) == 0:
		return errors.New("no numeric factor to peel")
	case len(d.X) != len(d.Factors):
		return fmt.Errorf("%d factor names for %d factor columns", len(d.Factors), len(d.X))
	}
	for f, x := range d.X {
		if len(x) != len(d.Y) {
			return fmt.Errorf("factor %s has %d values for %d runs", d.Factors[f], len(x), len(d.Y))
		}
		for i, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("factor %s: run %d has no finite value (%g)", d.Factors[f], i, v)
			}
		}
	}
	return nil
}

// choose is the rule: the densest box with coverage at least minCoverage, the earliest
// (largest) of equal density. Box 0 covers everything, so there is always one.
func choose(trajectory []Box, minCoverage float64) int {
	best := 0
	for i, b := range trajectory {
		if b.Coverage >= minCoverage && b.Density > trajectory[best].Density {
			best = i
		}
	}
	return best
}

// inside reports whether run i is in b.
func (p *prim) inside(b Box, i int) bool { return p.insideBut(b, i, -1) }

// insideBut reports whether run i is in b on every factor but skip.
func (p *prim) insideBut(b Box, i, skip int) bool {
	for f, x := range p.d.X {
		if f != skip && (x[i] < b.Lower[f] || x[i] > b.Upper[f]) {
			return false
		}
	}
	return true
}

// measure fills in b's counts and shares.
func (p *prim) measure(b Box) Box {
	b.Runs, b.Hits = 0, 0
	for i, y := range p.d.Y {
		if p.inside(b, i) {
			b.Runs++
			if y {
				b.Hits++
			}
		}
	}
	n := float64(len(p.d.Y))
	b.Coverage = float64(b.Hits) / float64(p.hits)
	b.Mass = float64(b.Runs) / n
	b.Density = 0
	if b.Runs > 0 {
		b.Density = float64(b.Hits) / float64(b.Runs)
	}
	return b
}

// withLimit is b with factor f's lower (or upper) limit set to v, measured.
func (p *prim) withLimit(b Box, f int, lower bool, v float64) Box {
	nb := Box{Lower: slices.Clone(b.Lower), Upper: slices.Clone(b.Upper)}
	if lower {
		nb.Lower[f] = v
	} else {
		nb.Upper[f] = v
	}
	return p.measure(nb)
}

// peel returns the densest box one peel away from b that keeps at least minRuns runs (ties:
// the larger box, then the first factor, low end first), and false when there is none.
func (p *prim) peel(b Box, minRuns float64) (Box, bool) {
	var best Box
	found := false
	for f := range p.d.X {
		var vals []float64
		for i, x := range p.d.X[f] {
			if p.inside(b, i) {
				vals = append(vals, x)
			}
		}
		slices.Sort(vals)
		if len(vals) == 0 || vals[0] == vals[len(vals)-1] {
			continue // one value left: nothing to peel
		}
		k := int(math.Ceil(p.alpha * float64(len(vals))))
		// Low end: keep values >= the (k+1)-th smallest, or above the lowest level if that
		// is the lowest itself; high end likewise.
		lo := vals[min(k, len(vals)-1)]
		if lo == vals[0] {
			lo = nextAbove(vals, vals[0])
		}
		hi := vals[max(len(vals)-1-k, 0)]
		if hi == vals[len(vals)-1] {
			hi = nextBelow(vals, vals[len(vals)-1])
		}
		for _, c := range []Box{p.withLimit(b, f, true, lo), p.withLimit(b, f, false, hi)} {
			if float64(c.Runs) < minRuns || c.Runs == 0 {
				continue
			}
			if !found || c.Density > best.Density || c.Density == best.Density && c.Runs > best.Runs {
				best, found = c, true
			}
		}
	}
	return best, found
}

// paste moves b's faces back out, alpha of its runs (at least one level) at a time, taking
// the move that makes it densest while that is denser than b.
func (p *prim) paste(b Box) Box {
	for {
		best := b
		for f := range p.d.X {
			for _, lower := range []bool{true, false} {
				v, ok := p.pasteLimit(b, f, lower)
				if !ok {
					continue
				}
				if c := p.withLimit(b, f, lower, v); c.Density > best.Density {
					best = c
				}
			}
		}
		if best.Density <= b.Density {
			return b
		}
		b = best
	}
}

// pasteLimit is the limit of factor f that adds to b at least alpha of b's runs (at least
// one level) from just outside its lower or upper face; false when there is nothing outside.
func (p *prim) pasteLimit(b Box, f int, lower bool) (float64, bool) {
	var outside []float64
	for i, x := range p.d.X[f] {
		if lower && x >= b.Lower[f] || !lower && x <= b.Upper[f] {
			continue
		}
		if p.insideBut(b, i, f) {
			outside = append(outside, x)
		}
	}
	if len(outside) == 0 {
		return 0, false
	}
	slices.Sort(outside)
	if lower {
		slices.Reverse(outside) // nearest first
	}
	k := max(int(math.Ceil(p.alpha*float64(b.Runs))), 1)
	return outside[min(k, len(outside))-1], true
}

// nextAbove is the smallest value of sorted vals above v (v itself if none).
func nextAbove(vals []float64, v float64) float64 {
	for _, x := range vals {
		if x > v {
			return x
		}
	}
	return v
}

// nextBelow is the largest value of sorted vals below v (v itself if none).
func nextBelow(vals []float64, v float64) float64 {
	for i := len(vals) - 1; i >= 0; i-- {
		if vals[i] < v {
			return vals[i]
		}
	}
	return v
}
