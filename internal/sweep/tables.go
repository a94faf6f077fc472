package sweep

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/output"
)

// Tables are a finished sweep's results: one row per run and one row per point.
type Tables struct {
	Runs, Points output.Table
	// Outcomes are the numeric outcome names recorded (after the sweep's outcomes: filter).
	Outcomes []string
	// Stats[o][p] summarises outcome o over point p's replicates (NaN values left out).
	Stats [][]evaluate.Distribution
	// WinProbability[j][p] is the share of point p's replicates won by platform j.
	WinProbability [][]float64
	Platforms      []string
}

// BuildTables lays out the records as tables. Rows are in point then replicate order, so the
// tables depend only on the records, not on the order runs finished.
func BuildTables(res *Result) Tables {
	plan := res.Plan
	sw := plan.Sweep
	platforms := plan.platforms()
	allNames := OutcomeNames(platforms, plan.segments(), sw.At)[1:]
	keep := sw.keptOutcomes(allNames)
	t := Tables{Platforms: platforms}
	for _, i := range keep {
		t.Outcomes = append(t.Outcomes, allNames[i])
	}

	// One row per run.
	n := len(res.Records)
	point, replicate := make([]int64, n), make([]int64, n)
	seeds, winners := make([]string, n), make([]string, n)
	for i, r := range res.Records {
		point[i], replicate[i] = int64(r.Point), int64(r.Replicate)
		seeds[i], winners[i] = strconv.FormatUint(r.Seed, 10), r.Winner
	}
	t.Runs.Columns = append(t.Runs.Columns,
		output.Column{Name: "point", Ints: point}, output.Column{Name: "replicate", Ints: replicate},
		output.Column{Name: "seed", Strings: seeds})
	t.Runs.Columns = append(t.Runs.Columns, factorColumns(plan, func(i int) int { return res.Records[i].Point }, n)...)
	t.Runs.Columns = append(t.Runs.Columns, output.Column{Name: "winner", Strings: winners})
	scales := plan.scales()
	if scaled(scales) {
		t.Runs.Columns = append(t.Runs.Columns, scaleColumn(scales, func(i int) int { return res.Records[i].Point }, n))
	}
	for k, i := range keep {
		col := make([]float64, n)
		for r, rec := range res.Records {
			col[r] = rec.Values[i]
		}
		t.Runs.Columns = append(t.Runs.Columns, output.Column{Name: t.Outcomes[k], Floats: col})
	}

	// One row per point.
	np := len(plan.Points)
	byPoint := make([][]Record, np)
	for _, r := range res.Records {
		byPoint[r.Point] = append(byPoint[r.Point], r)
	}
	ids, runs := make([]int64, np), make([]int64, np)
	for p := range np {
		ids[p], runs[p] = int64(p), int64(len(byPoint[p]))
	}
	t.Points.Columns = append(t.Points.Columns, output.Column{Name: "point", Ints: ids})
	t.Points.Columns = append(t.Points.Columns, factorColumns(plan, func(i int) int { return i }, np)...)
	t.Points.Columns = append(t.Points.Columns, output.Column{Name: "runs", Ints: runs})
	if scaled(scales) {
		t.Points.Columns = append(t.Points.Columns, scaleColumn(scales, func(i int) int { return i }, np))
	}
	t.Stats = make([][]evaluate.Distribution, len(keep))
	for k, i := range keep {
		t.Stats[k] = make([]evaluate.Distribution, np)
		cols := [5][]float64{}
		for c := range cols {
			cols[c] = make([]float64, np)
		}
		for p := range np {
			var xs []float64
			for _, r := range byPoint[p] {
				if !math.IsNaN(r.Values[i]) {
					xs = append(xs, r.Values[i])
				}
			}
			st := evaluate.Describe(xs)
			t.Stats[k][p] = st
			cols[0][p], cols[1][p], cols[2][p], cols[3][p], cols[4][p] = st.Mean, st.SD, st.P5, st.P50, st.P95
		}
		for c, suffix := range []string{"mean", "sd", "p5", "p50", "p95"} {
			t.Points.Columns = append(t.Points.Columns, output.Column{Name: t.Outcomes[k] + "." + suffix, Floats: cols[c]})
		}
	}
	t.WinProbability = make([][]float64, len(platforms))
	for j, name := range platforms {
		col := make([]float64, np)
		for p := range np {
			wins := 0
			for _, r := range byPoint[p] {
				if r.Winner == name {
					wins++
				}
			}
			col[p] = math.NaN()
			if len(byPoint[p]) > 0 {
				col[p] = float64(wins) / float64(len(byPoint[p]))
			}
		}
		t.WinProbability[j] = col
		t.Points.Columns = append(t.Points.Columns, output.Column{Name: "p_win." + name, Floats: col})
	}
	return t
}

// keptOutcomes returns the indices (into the numeric outcomes) the sweep records: all, or
// those its outcomes: list names (a metric names it for every platform). The analysed
// outcome is always kept.
func (sw *Sweep) keptOutcomes(names []string) []int {
	var keep []int
	for i, name := range names {
		metric, _, _ := strings.Cut(name, ".")
		if len(sw.File.Outcomes) == 0 || slices.Contains(sw.File.Outcomes, name) || slices.Contains(sw.File.Outcomes, metric) || name == sw.Outcome {
			keep = append(keep, i)
		}
	}
	return keep
}

// factorColumns holds each factor's value for n rows; row i shows point pointOf(i).
func factorColumns(plan *Plan, pointOf func(int) int, n int) []output.Column {
	var cols []output.Column
	for k, f := range plan.Sweep.File.Factors {
		col := output.Column{Name: f.Path}
		if _, word := plan.Points[0].Values[k].(string); word {
			col.Strings = make([]string, n)
			for i := range n {
				col.Strings[i] = formatValue(plan.Points[pointOf(i)].Values[k])
			}
		} else {
			col.Floats = make([]float64, n)
			for i := range n {
				col.Floats[i] = plan.Points[pointOf(i)].Values[k].(float64)
			}
		}
		cols = append(cols, col)
	}
	return cols
}

// scaled reports whether the tables need a scale column: some point counts more than one
// person per agent, and no factor varies scale (its column gives it already). Sweeps of
// unscaled scenarios keep their columns.
func scaled(scales []float64) bool {
	return scales != nil && slices.ContainsFunc(scales, func(s float64) bool { return s != 1 })
}

// scaleColumn is each row's people per agent, so that a reader of the table alone turns its
// agent counts (users, registered) into the plots' people.
func scaleColumn(scales []float64, pointOf func(int) int, n int) output.Column {
	col := output.Column{Name: "scale", Floats: make([]float64, n)}
	for i := range n {
		col.Floats[i] = scales[pointOf(i)]
	}
	return col
}

// outcomeIndex finds an outcome's position in the tables.
func (t Tables) outcomeIndex(name string) (int, error) {
	if i := slices.Index(t.Outcomes, name); i >= 0 {
		return i, nil
	}
	return 0, fmt.Errorf("outcome %s was not recorded", name)
}
