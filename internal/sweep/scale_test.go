package sweep

import (
	"slices"
	"testing"

	"github.com/msgsim/msgsim/output"
)

// TestScaleColumn: the tables of a scaled scenario say how many people an agent stands for,
// the base's after set, so that their agent counts turn into the plots' people; an unscaled
// scenario's tables keep their columns, and a scale factor's column is the one scale column.
func TestScaleColumn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, sweep string
		want        []float64 // per run; nil: no scale column
	}{
		{"unscaled", "base: testdata/base.yaml\nfactors:\n  - path: platforms.entrant.appeal\n    values: [0.1, 0.3]\n", nil},
		{"set", "base: testdata/base.yaml\nset: [scale=25000]\nfactors:\n  - path: platforms.entrant.appeal\n    values: [0.1, 0.3]\n", []float64{25000, 25000}},
		{"factor", "base: testdata/base.yaml\nset: [scale=25000]\nfactors:\n  - path: scale\n    values: [10, 1]\n", []float64{10, 1}}, // the factor's own column
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan := mustPlanText(t, c.sweep, "s.yaml", ".")
			records := make([]Record, plan.Runs())
			for p := range plan.Points {
				records[p] = Record{Point: p, Values: make([]float64, len(OutcomeNames(plan.platforms(), nil, nil))-1)}
			}
			tables := BuildTables(&Result{Plan: plan, Records: records})
			for _, tab := range []struct {
				name  string
				names []string
				col   func(string) []float64
			}{
				{"runs", columnNames(tables.Runs.Columns), func(n string) []float64 { return floatColumn(tables.Runs.Columns, n) }},
				{"points", columnNames(tables.Points.Columns), func(n string) []float64 { return floatColumn(tables.Points.Columns, n) }},
			} {
				if count := len(slices.DeleteFunc(slices.Clone(tab.names), func(n string) bool { return n != "scale" })); count > 1 {
					t.Errorf("%s has %d scale columns: %v", tab.name, count, tab.names)
				}
				if c.want == nil {
					if slices.Contains(tab.names, "scale") {
						t.Errorf("%s has a scale column: %v", tab.name, tab.names)
					}
					continue
				}
				if got := tab.col("scale"); !slices.Equal(got, c.want) {
					t.Errorf("%s scale = %v, want %v", tab.name, got, c.want)
				}
			}
		})
	}
}

func columnNames(cols []output.Column) []string {
	var names []string
	for _, c := range cols {
		names = append(names, c.Name)
	}
	return names
}

func floatColumn(cols []output.Column, name string) []float64 {
	for _, c := range cols {
		if c.Name == name {
			return c.Floats
		}
	}
	return nil
}
