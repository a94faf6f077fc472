package sweep

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/scenarios"
)

// fuzzMaxPoints bounds the designs the fuzz test plans, so that each execution stays within
// milliseconds; larger ones are still parsed and validated.
const fuzzMaxPoints = 2000

// fuzzSweepSeeds are small sweeps of every design and the hostile inputs of issue 8. Their
// base paths resolve from ../../sweeps, where the fuzz test parses.
var fuzzSweepSeeds = []string{
	"base: ../internal/sweep/testdata/base.yaml\ndesign: latin_hypercube\nsamples: 5\nfactors:\n" +
		"  - {path: platforms.entrant.appeal, uniform: {min: 0, max: 1}}\n  - {path: steps, range: {from: 1, to: 9}}\n",
	"base: ../internal/sweep/testdata/base.yaml\ndesign: random\nsamples: 4\nreplicates: 3\nfactors:\n" +
		"  - {path: platforms.entrant.p, loguniform: {min: 0.001, max: 0.1}}\n" +
		"  - {path: platforms.entrant.q, normal: {mean: 0.5, sd: 0.1, min: 0, max: 1}}\n",
	"base: ../internal/sweep/testdata/base.yaml\ndesign: sobol\nsamples: 8\nfactors:\n" +
		"  - {path: platforms.entrant.appeal, uniform: {min: 0, max: 1}}\n  - {path: decision.rule, values: [logit, threshold]}\n",
	"base: ../internal/sweep/testdata/base.yaml\ndesign: morris\nsamples: 3\nlevels: 4\nfactors:\n" +
		"  - {path: platforms.entrant.appeal, range: {from: 0.1, to: 1, scale: log}}\n  - {path: agents, uniform: {min: 10, max: 50}}\n",
	"base: laiwang_vs_wechat\nset: [agents=100]\nfactors:\n  - {path: graph.kind, values: [complete, erdos_renyi]}\n",
	// Moments (a step, a date, one past the run) and labels (one given, one made from the path).
	"base: ../internal/sweep/testdata/base.yaml\nset: [start=2011-01-21]\nat: [3, 2011-03-04, 2012-01-01]\noutcomes: [users_at]\nfactors:\n" +
		"  - {path: interventions.0.share, values: [0.1, 0.2], label: preinstall}\n  - {path: platforms.entrant.appeal, values: [0.5]}\n",
	// NaN and infinities where numbers belong, and ranges whose width overflows.
	"base: ../internal/sweep/testdata/base.yaml\nfactors:\n  - {path: platforms.entrant.appeal, range: {from: .nan, to: .inf, steps: 3}}\n",
	"base: ../internal/sweep/testdata/base.yaml\nfactors:\n  - {path: platforms.entrant.appeal, values: [.nan, -.inf]}\n",
	"base: ../internal/sweep/testdata/base.yaml\ndesign: random\nsamples: 3\nfactors:\n" +
		"  - {path: platforms.entrant.appeal, uniform: {min: -1e308, max: 1e308}}\n",
	"base: ../internal/sweep/testdata/base.yaml\ndesign: random\nsamples: 3\nfactors:\n" +
		"  - {path: platforms.entrant.appeal, normal: {mean: 1e308, sd: 1e308}}\n",
	// Names with terminal escape sequences, and a long one.
	"name: \"\\e[31mred\\e[0m\"\nbase: ../internal/sweep/testdata/base.yaml\nfactors:\n  - {path: steps, values: [1, 2]}\n",
	"name: " + strings.Repeat("n", 4096) + "\nbase: ../internal/sweep/testdata/base.yaml\nfactors:\n  - {path: steps, values: [1, 2]}\n",
	// Deep nesting and a small alias bomb.
	"factors: " + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + "\n",
	"base: ../internal/sweep/testdata/base.yaml\nset: &a [agents=10, agents=10, agents=10, agents=10]\noutcomes: &b [*a, *a, *a, *a]\n" +
		"factors: [*b, *b, *b, *b]\n",
	// A design too big to plan.
	"base: ../internal/sweep/testdata/base.yaml\nreplicates: 100000\nfactors:\n" +
		"  - {path: steps, range: {from: 1, to: 1000, steps: 1000}}\n  - {path: agents, range: {from: 1, to: 1000, steps: 1000}}\n",
}

// designPoints is the number of points sw's design has.
func designPoints(sw *Sweep) int {
	f := &sw.File
	if f.Design != "grid" {
		switch d := len(f.Factors); f.Design {
		case "sobol":
			return f.Samples * (d + 2)
		case "morris":
			return f.Samples * (d + 1)
		default:
			return f.Samples
		}
	}
	total := 1
	for _, fac := range f.Factors {
		n := len(fac.Values)
		if fac.Range != nil {
			n = fac.Range.Steps
		}
		if n > fuzzMaxPoints {
			return n
		}
		total *= n
		if total > fuzzMaxPoints {
			return total
		}
	}
	return total
}

// FuzzSweepFile parses arbitrary sweep files. Whatever validates and is small enough is
// planned: the plan has the design's number of points, each with one finite value per factor
// within the factor's bounds, and the first point's scenario loads or is refused with a message.
func FuzzSweepFile(f *testing.F) {
	paths, err := filepath.Glob("../../sweeps/*.yaml")
	if err != nil || len(paths) == 0 {
		f.Fatalf("no shipped sweeps: %v", err)
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, name := range []string{"testdata/grid.yaml", "testdata/throughput.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		// Their bases are beside them; the fuzz test resolves paths from ../../sweeps.
		f.Add([]byte(strings.Replace(string(data), "base: ", "base: ../internal/sweep/testdata/", 1)))
	}
	for _, s := range fuzzSweepSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sw, err := Parse(data, "../../sweeps/fuzz.yaml", "../../sweeps")
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		points := designPoints(sw)
		if points > fuzzMaxPoints {
			return // too slow to plan on every execution
		}
		plan, err := sw.Plan()
		if err != nil {
			t.Fatalf("a valid sweep of %d points cannot be planned: %v", points, err)
		}
		if len(plan.Points) != points {
			t.Fatalf("%d points planned, the design has %d", len(plan.Points), points)
		}
		if plan.Runs() != points*sw.File.Replicates {
			t.Fatalf("Runs() = %d, want %d points x %d replicates", plan.Runs(), points, sw.File.Replicates)
		}
		for i, pt := range plan.Points {
			if pt.Index != i || len(pt.Values) != len(sw.File.Factors) {
				t.Fatalf("point %d: index %d, %d values for %d factors", i, pt.Index, len(pt.Values), len(sw.File.Factors))
			}
			for k, fac := range sw.File.Factors {
				checkFactorValue(t, fac, sw.Kinds[k], pt.Values[k])
			}
		}
		if _, err := sw.Base.WithOverrides(plan.Points[0].Overrides(sw)); err != nil && err.Error() == "" {
			t.Fatal("empty error message")
		}
	})
}

// checkFactorValue fails unless v is one of the factor's values or a finite number within its
// bounds (rounded for whole-number fields).
func checkFactorValue(t *testing.T, fac Factor, kind scenarios.PathKind, v any) {
	t.Helper()
	if fac.Values != nil {
		if !slices.ContainsFunc(fac.Values, func(w any) bool { return w == v || isNaN(w) && isNaN(v) }) {
			t.Fatalf("factor %s: value %v is not among %v", fac.Path, v, fac.Values)
		}
		return
	}
	x, ok := v.(float64)
	if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
		t.Fatalf("factor %s: value %v (%T) is not a finite number", fac.Path, v, v)
	}
	lo, hi := math.Inf(-1), math.Inf(1)
	switch {
	case fac.Range != nil:
		lo, hi = fac.Range.From, fac.Range.To
	case fac.Uniform != nil:
		lo, hi = fac.Uniform.Min, fac.Uniform.Max
	case fac.LogUniform != nil:
		lo, hi = fac.LogUniform.Min, fac.LogUniform.Max
	case fac.Normal != nil && fac.Normal.Min < fac.Normal.Max:
		lo, hi = fac.Normal.Min, fac.Normal.Max
	}
	if kind == scenarios.PathInteger {
		lo, hi = math.Round(lo), math.Round(hi)
	}
	if x < lo || x > hi {
		t.Fatalf("factor %s: value %v outside [%v, %v]", fac.Path, x, lo, hi)
	}
}

func isNaN(v any) bool {
	x, ok := v.(float64)
	return ok && math.IsNaN(x)
}
