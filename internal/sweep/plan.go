package sweep

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"unsafe"

	"github.com/msgsim/msgsim/internal/streams"
	"github.com/msgsim/msgsim/internal/sweep/design"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/scenarios"
)

// Point is one combination of factor values: a float64 for numeric fields, a string for words.
type Point struct {
	Index  int
	Values []any
}

// Overrides turns the point into scenario overrides, after the sweep's fixed ones; messages
// about them say "set" or "factor".
func (p Point) Overrides(sw *Sweep) []scenarios.Override {
	out := setOverrides(sw.File.Set)
	for i, f := range sw.File.Factors {
		out = append(out, scenarios.Override{Assignment: f.Path + "=" + formatValue(p.Values[i]), Origin: "factor"})
	}
	return out
}

// setOverrides labels the sweep file's fixed overrides.
func setOverrides(set []string) []scenarios.Override {
	out := make([]scenarios.Override, len(set))
	for i, a := range set {
		out[i] = scenarios.Override{Assignment: a, Origin: "set"}
	}
	return out
}

func formatValue(v any) string {
	if x, ok := v.(float64); ok {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// Plan is a sweep's points, in design order, and what its analysis needs of the design.
type Plan struct {
	Sweep  *Sweep
	Points []Point
	// SaltelliN is the base sample size of a sobol design: points are the A matrix, the B
	// matrix, then one A-with-column-i-from-B block per factor, N points each.
	SaltelliN int
	// Trajectories are a morris design's, points listed trajectory by trajectory.
	Trajectories []design.Trajectory
	unit         [][]float64 // the design in [0,1]^d, for sampled designs
}

// Runs is the number of runs: points times replicates.
func (p *Plan) Runs() int { return len(p.Points) * p.Sweep.File.Replicates }

// RunSeed is the seed of one run, derived from the sweep seed, the point and the replicate
// alone, so results do not depend on the number of workers or the order runs finish.
func (p *Plan) RunSeed(point, replicate int) uint64 {
	return model.DeriveSeed(p.Sweep.File.Seed, uint64(point), uint64(replicate))
}

// maxPoints keeps a plan's tables and its validation within reason: a million points with
// replicates is already hours of runs on a workstation.
const maxPoints = 1_000_000

// MaxRuns bounds points times replicates: ten million runs is days of computing, and every
// run keeps a record in memory until the tables are written.
const MaxRuns = 10_000_000

// checkRuns refuses a plan of too many runs before its points are built.
func (sw *Sweep) checkRuns(points int) error {
	if runs := points * sw.File.Replicates; runs > MaxRuns {
		return fmt.Errorf("sweep %s: %d points x %d replicates = %d runs, more than %d; use fewer points or replicates", sw.Source, points, sw.File.Replicates, runs, MaxRuns)
	}
	return nil
}

// RecordBytes estimates the memory a sweep needs besides the runs themselves, which grows
// with the number of runs: a job per run to do, a record per run (its outcomes) kept until the
// tables are written, and the tables' columns, about as large again as the records, plus a
// seed string and the factor values per run.
func (p *Plan) RecordBytes() float64 {
	values := float64(len(OutcomeNames(p.platforms(), p.segments(), p.Sweep.At)) - 1)
	record := float64(unsafe.Sizeof(Record{})) + 8*values
	job := float64(unsafe.Sizeof([2]int{}))
	table := record + 40 + 8*float64(len(p.Sweep.File.Factors))
	return float64(p.Runs()) * (job + record + table)
}

// Plan lays out the sweep's points.
func (sw *Sweep) Plan() (*Plan, error) {
	f := &sw.File
	d := len(f.Factors)
	plan := &Plan{Sweep: sw}
	if f.Design == "grid" {
		return sw.gridPlan()
	}
	points := f.Samples
	switch f.Design {
	case "sobol":
		points *= d + 2
	case "morris":
		points *= d + 1
	}
	if points > maxPoints {
		return nil, fmt.Errorf("sweep %s: design %s with %d samples has %d points, more than %d", sw.Source, f.Design, f.Samples, points, maxPoints)
	}
	if err := sw.checkRuns(points); err != nil {
		return nil, err
	}
	var err error
	switch f.Design {
	case "latin_hypercube":
		plan.unit, err = design.LatinHypercube(f.Samples, d, rand.New(rand.NewPCG(f.Seed, streams.LatinHypercube)))
	case "random":
		plan.unit, err = design.Random(f.Samples, d, rand.New(rand.NewPCG(f.Seed, streams.RandomDesign)))
	case "sobol":
		var A, B [][]float64
		var AB [][][]float64
		A, B, AB, err = design.Saltelli(f.Samples, d, 1)
		plan.SaltelliN = f.Samples
		plan.unit = append(append(plan.unit, A...), B...)
		for _, block := range AB {
			plan.unit = append(plan.unit, block...)
		}
	case "morris":
		plan.Trajectories, err = design.Morris(f.Samples, d, f.Levels, rand.New(rand.NewPCG(f.Seed, streams.Morris)))
		for _, t := range plan.Trajectories {
			plan.unit = append(plan.unit, t.Points...)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("sweep %s: %w", sw.Source, err)
	}
	if len(plan.unit) > maxPoints {
		return nil, fmt.Errorf("sweep %s: %d points is more than %d", sw.Source, len(plan.unit), maxPoints)
	}
	for i, u := range plan.unit {
		pt := Point{Index: i, Values: make([]any, d)}
		for k, fac := range f.Factors {
			v, err := fac.quantile(u[k], sw.Kinds[k])
			if err != nil {
				return nil, fmt.Errorf("sweep %s: factor %s: %w", sw.Source, fac.Path, err)
			}
			pt.Values[k] = v
		}
		plan.Points = append(plan.Points, pt)
	}
	return plan, nil
}

// gridPlan is the full factorial of the factors' levels, the first factor varying slowest.
func (sw *Sweep) gridPlan() (*Plan, error) {
	levels := make([][]any, len(sw.File.Factors))
	total := 1
	for _, fac := range sw.File.Factors {
		n := len(fac.Values)
		if fac.Range != nil {
			n = fac.Range.Steps
		}
		if n > maxPoints || total*n > maxPoints {
			return nil, fmt.Errorf("sweep %s: the grid has more than %d points; use fewer levels, or a sampled design (latin_hypercube, sobol)", sw.Source, maxPoints)
		}
		total *= n
	}
	if err := sw.checkRuns(total); err != nil {
		return nil, err
	}
	for k, fac := range sw.File.Factors {
		levels[k] = fac.levels(sw.Kinds[k])
	}
	plan := &Plan{Sweep: sw}
	for i := range total {
		pt := Point{Index: i, Values: make([]any, len(levels))}
		rest := i
		for k := len(levels) - 1; k >= 0; k-- {
			pt.Values[k] = levels[k][rest%len(levels[k])]
			rest /= len(levels[k])
		}
		plan.Points = append(plan.Points, pt)
	}
	return plan, nil
}

// levels lists a grid factor's values.
func (f Factor) levels(kind scenarios.PathKind) []any {
	if f.Values != nil {
		return f.Values
	}
	r := f.Range
	out := make([]any, r.Steps)
	for i := range r.Steps {
		t := float64(i) / float64(r.Steps-1)
		x := design.Lerp(t, r.From, r.To)
		if r.Scale == "log" {
			x = math.Exp(math.Log(r.From) + t*(math.Log(r.To)-math.Log(r.From)))
		}
		if i == r.Steps-1 {
			x = r.To // exactly, whatever the rounding on the way
		}
		out[i] = roundFor(x, kind)
	}
	return out
}

// quantile maps u in [0, 1] to the factor's value: its u-quantile.
func (f Factor) quantile(u float64, kind scenarios.PathKind) (any, error) {
	var x float64
	var err error
	switch {
	case f.Values != nil:
		return f.Values[min(int(u*float64(len(f.Values))), len(f.Values)-1)], nil
	case f.Range != nil && f.Range.Scale == "log":
		x, err = design.Log(u, f.Range.From, f.Range.To)
	case f.Range != nil:
		x, err = design.Linear(u, f.Range.From, f.Range.To)
	case f.Uniform != nil:
		x, err = design.Linear(u, f.Uniform.Min, f.Uniform.Max)
	case f.LogUniform != nil:
		x, err = design.Log(u, f.LogUniform.Min, f.LogUniform.Max)
	case f.Normal != nil:
		lo, hi := math.Inf(-1), math.Inf(1)
		if f.Normal.Min < f.Normal.Max {
			lo, hi = f.Normal.Min, f.Normal.Max
		}
		// Keep off the infinite tails that u = 0 or 1 would reach.
		x, err = design.TruncatedNormal(min(max(u, 1e-9), 1-1e-9), f.Normal.Mean, f.Normal.SD, lo, hi)
	}
	return roundFor(x, kind), err
}

// roundFor rounds values of whole-number fields (agents, steps, launch, at, ...).
func roundFor(x float64, kind scenarios.PathKind) any {
	if kind == scenarios.PathInteger {
		return math.Round(x)
	}
	return x
}
