package calibrate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/output"
	"github.com/msgsim/msgsim/scenarios"
)

// truth is what the recovery test's data are generated with.
var truth = map[string]float64{"platforms.app.p": 0.01, "platforms.app.q": 0.3}

// observedCSV simulates the Bass market at the true p and q with msgsim itself (64
// replicates under seeds unrelated to the fit's) and writes the mean registered users every
// 4 steps as data, in millions at 100,000 people per agent.
func observedCSV(t testing.TB, dir string) string {
	t.Helper()
	sc, err := scenarios.Load("testdata/bass.yaml", []string{"platforms.app.p=0.01", "platforms.app.q=0.3"})
	if err != nil {
		t.Fatal(err)
	}
	runs, err := model.RunEnsemble(context.Background(), &sc.Config, model.EnsembleOptions{Seed: 424242, Replicates: 64})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("step,platform,metric,value_millions,source\n")
	for step := 4; step <= sc.Config.Steps; step += 4 {
		var sum float64
		for _, s := range runs {
			sum += float64(s.Registered[s.At(step, 0)])
		}
		fmt.Fprintf(&b, "%d,app,registered,%.4f,simulated at p=0.01 q=0.3\n", step, sum/float64(len(runs))*1e5/1e6)
	}
	path := filepath.Join(dir, "observed.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// recoveryFit writes a fit file for the Bass market and loads it.
func recoveryFit(t testing.TB, extra string) *Fit {
	t.Helper()
	dir := t.TempDir()
	data := observedCSV(t, dir)
	scenario, err := filepath.Abs("testdata/bass.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprintf(`name: Bass recovery
scenario: %s
data: %s
targets:
  - {platform: app, metric: registered, series: registered}
parameters:
  - {path: platforms.app.p, min: 0.001, max: 0.05, scale: log}
  - {path: platforms.app.q, min: 0.05, max: 1}
seed: 7
%s`, scenario, data, extra)
	if !strings.Contains(extra, "scale:") {
		text += "scale: 100000\n"
	}
	path := filepath.Join(dir, "fit.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	fit, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return fit
}

// TestRecoversKnownParameters fits p and q from a wrong start (p 0.002, q 0.1) to data
// simulated at p 0.01, q 0.3: each must land within 10% of the truth (over fit seeds 1-11
// both methods stayed within 7.2%, most within 3.5%), and within three of its approximate
// standard errors (at seed 7; over seeds 1-11, 3 CMA-ES fits landed 3.4 to 3.6 away).
// CMA-ES runs on 2 replicates and 480 runs, a budget at which it still converges every time,
// so that the test takes seconds rather than the 1,200 runs it once had.
func TestRecoversKnownParameters(t *testing.T) {
	t.Parallel()
	const tolerance = 0.10
	for _, tc := range []struct{ method, extra string }{
		{"nelder_mead", "replicates: 8\nbudget: 320\n"},
		{"cma_es", "replicates: 2\nbudget: 480\nmethod: cma_es\n"},
	} {
		t.Run(tc.method, func(t *testing.T) {
			t.Parallel()
			fit := recoveryFit(t, tc.extra)
			res, err := Run(context.Background(), fit, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Error >= res.StartError/100 {
				t.Errorf("error %g, start %g: expected at least a hundredfold improvement", res.Error, res.StartError)
			}
			if !res.Uncertainty.PositiveDefinite {
				t.Errorf("Hessian not positive definite: %s", res.Uncertainty.Note)
			}
			for _, p := range res.Params {
				want := truth[p.Path]
				if rel := math.Abs(p.Value-want) / want; rel > tolerance {
					t.Errorf("%s = %g, truth %g: off by %.1f%%, tolerance %.0f%%", p.Path, p.Value, want, 100*rel, 100*tolerance)
				}
				if p.StdErr == nil || math.Abs(p.Value-want) > 3**p.StdErr {
					t.Errorf("%s = %g, stderr %s: truth %g not within three standard errors", p.Path, p.Value, fmtStdErr(p.StdErr), want)
				}
				t.Logf("%s: %g ± %v (data %v, simulation %v; truth %g, start %g)", p.Path, p.Value, fmtStdErr(p.StdErr), fmtStdErr(p.StdErrData), fmtStdErr(p.StdErrSim), want, p.Start)
			}
			t.Logf("error %g (start %g), %d + %d evaluations, %d runs, %s", res.Error, res.StartError, res.Evaluations, res.HessianEvaluations, res.Runs, res.Status)
		})
	}
}

func fmtStdErr(se *float64) string {
	if se == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.3g", *se)
}

// smallFit is the recovery fit on a market of a fifth of the size, each agent standing for
// five times as many people, for tests of the machinery.
func smallFit(t testing.TB, extra string) *Fit {
	t.Helper()
	return recoveryFit(t, "set: [agents=2000]\nscale: 500000\n"+extra)
}

func TestBudgetRespected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, extra string
		wantRuns    int // every evaluation the budget allows: whole evaluations only
		wantHessian int
	}{
		{"nelder_mead with the Hessian", "replicates: 3\nbudget: 40\n", 39, 6},
		{"cma_es, budget not a multiple of the replicates", "replicates: 2\nbudget: 37\nmethod: cma_es\nuncertainty: none\n", 36, 0},
		{"one replicate, the smallest budget", "replicates: 1\nbudget: 12\n", 12, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fit := smallFit(t, tc.extra)
			var seen atomic.Int64
			res, err := Run(context.Background(), fit, Options{Progress: func(e evaluate.Event) {
				runs := int64(e.Done)
				for {
					old := seen.Load()
					if runs <= old || seen.CompareAndSwap(old, runs) {
						return
					}
				}
			}})
			if err != nil {
				t.Fatal(err)
			}
			r := fit.File.Replicates
			if res.Runs > fit.File.Budget || res.Runs != tc.wantRuns || res.Runs != (res.Evaluations+res.HessianEvaluations)*r {
				t.Errorf("runs %d (evaluations %d + %d, %d replicates), budget %d: want %d", res.Runs, res.Evaluations, res.HessianEvaluations, r, fit.File.Budget, tc.wantRuns)
			}
			if res.HessianEvaluations != tc.wantHessian || res.Status != statusBudget {
				t.Errorf("Hessian evaluations %d, want %d; status %q", res.HessianEvaluations, tc.wantHessian, res.Status)
			}
			if got := seen.Load(); got != int64(res.Runs) {
				t.Errorf("progress reached %d runs, want %d", got, res.Runs)
			}
		})
	}
}

// TestDeterministic runs the same fit twice, on 1 goroutine and on 4 (which changes how the
// replicates are spread): fit.json must be identical.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	fit := recoveryFit(t, "replicates: 3\nbudget: 90\n")
	var outs [][]byte
	for _, workers := range []int{1, 4} {
		res, err := Run(context.Background(), fit, Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := res.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, b.Bytes())
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Errorf("fit.json differs between runs:\n%s\n%s", outs[0], outs[1])
	}
}

// TestUncertaintyNotes checks that standard errors are withheld, with a reason, when they
// would be nonsense.
func TestUncertaintyNotes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, extra string
		note        string
		stderr      bool
		atBound     []bool
	}{
		{"a parameter without effect", "budget: 120\nreplicates: 2\nparameters:\n  - {path: platforms.app.p, min: 0.001, max: 0.05, scale: log}\n  - {path: decision.temperature, min: 0.05, max: 1}\n",
			"not positive definite", false, []bool{false, false}},
		{"bounds that exclude the truth", "budget: 120\nreplicates: 2\nparameters:\n  - {path: platforms.app.p, min: 0.001, max: 0.05, scale: log}\n  - {path: platforms.app.q, min: 0.05, max: 0.1}\n",
			"not positive definite (the optimum is flat or not a minimum in some direction: a parameter is not identified by these data, or the fit has not converged); platforms.app.q at or near a bound", false, []bool{false, true}},
		{"as many parameters as data points", "budget: 40\nreplicates: 2\ntargets:\n  - {platform: app, metric: registered, series: registered, to: 8}\n",
			"no standard errors: 2 data points for 2 parameters leave no degrees of freedom", false, []bool{false, false}},
		{"one replicate", "budget: 40\nreplicates: 1\n", "without the simulation noise", true, []bool{false, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Replace the recovery fit's targets or parameters by the case's.
			extra := tc.extra
			fit := smallFitReplacing(t, extra)
			res, err := Run(context.Background(), fit, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(res.Uncertainty.Note, tc.note) {
				t.Errorf("note %q, want it to contain %q", res.Uncertainty.Note, tc.note)
			}
			for i, p := range res.Params {
				if (p.StdErr != nil) != tc.stderr || p.AtBound != tc.atBound[i] {
					t.Errorf("%s: stderr %s, at bound %t; want stderr %t, at bound %t", p.Path, fmtStdErr(p.StdErr), p.AtBound, tc.stderr, tc.atBound[i])
				}
			}
			if tc.name == "as many parameters as data points" && (res.HessianEvaluations != 0 || res.Runs != 40) {
				t.Errorf("without a Hessian the optimiser should have the whole budget: %d + %d evaluations, %d runs", res.Evaluations, res.HessianEvaluations, res.Runs)
			}
		})
	}
}

// smallFitReplacing is smallFit with the fit file's targets: or parameters: replaced when
// extra gives its own.
func smallFitReplacing(t *testing.T, extra string) *Fit {
	t.Helper()
	dir := t.TempDir()
	data := observedCSV(t, dir)
	scenario, err := filepath.Abs("testdata/bass.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := "scenario: " + scenario + "\ndata: " + data + "\nscale: 500000\nseed: 3\nset: [agents=2000]\n" + extra
	if !strings.Contains(extra, "targets:") {
		text += "targets:\n  - {platform: app, metric: registered, series: registered}\n"
	}
	if !strings.Contains(extra, "parameters:") {
		text += "parameters:\n  - {path: platforms.app.p, min: 0.001, max: 0.05, scale: log}\n  - {path: platforms.app.q, min: 0.05, max: 1}\n"
	}
	fit, err := Parse([]byte(text), "fit.yaml", dir)
	if err != nil {
		t.Fatal(err)
	}
	return fit
}

func TestCancelled(t *testing.T) {
	t.Parallel()
	fit := smallFit(t, "budget: 400\n")
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int64
	_, err := Run(ctx, fit, Options{Progress: func(evaluate.Event) {
		if calls.Add(1) == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestTransforms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		p     Param
		xs    []float64 // values that survive the round trip
		clamp [][2]float64
	}{
		{"linear", Param{Min: 0.02, Max: 0.5}, []float64{0.03, 0.13, 0.45}, [][2]float64{{0, 0.0248}, {1, 0.4952}}},
		{"log", Param{Min: 1e-4, Max: 1e-2, Log: true}, []float64{0.00011, 0.0015, 0.0095}, [][2]float64{{1e-6, 1.04713e-4}, {1, 9.54993e-3}}},
		{"integer", Param{Min: 10, Max: 20, Kind: scenarios.PathInteger}, []float64{11, 15, 19}, [][2]float64{{-5, 10}, {50, 20}}},
	}
	for _, tc := range tests {
		for _, x := range tc.xs {
			if got := tc.p.value(tc.p.unbounded(x)); math.Abs(got-x) > 1e-5*x {
				t.Errorf("%s: value(unbounded(%g)) = %g", tc.name, x, got)
			}
		}
		// Outside the bounds, the start moves 1% inside them.
		for _, c := range tc.clamp {
			if got := tc.p.value(tc.p.unbounded(c[0])); math.Abs(got-c[1]) > 1e-5*c[1] {
				t.Errorf("%s: start from %g = %g, want %g", tc.name, c[0], got, c[1])
			}
		}
		// Every z maps inside the bounds.
		for _, z := range []float64{-1000, -40, -3, 0, 3, 40, 1000} {
			if x := tc.p.value(z); !(x >= tc.p.Min && x <= tc.p.Max) {
				t.Errorf("%s: value(%g) = %g outside [%g, %g]", tc.name, z, x, tc.p.Min, tc.p.Max)
			}
		}
		if tc.p.Kind == scenarios.PathInteger {
			continue
		}
		// The slope is dx/dz.
		for _, z := range []float64{-2, 0, 1.5} {
			h := 1e-6
			p := tc.p
			raw := func(z float64) float64 {
				u := sigmoid(z)
				if p.Log {
					return math.Exp(math.Log(p.Min) + u*(math.Log(p.Max)-math.Log(p.Min)))
				}
				return p.Min + u*(p.Max-p.Min)
			}
			if num := (raw(z+h) - raw(z-h)) / (2 * h); math.Abs(num-p.slope(z)) > 1e-6*math.Abs(num) {
				t.Errorf("%s: slope(%g) = %g, numerically %g", tc.name, z, p.slope(z), num)
			}
		}
	}
}

// TestOptimisers checks both optimisers on a coupled quadratic with its minimum at
// (1, 2, 3), that they stop as soon as they are told to, and that they ask for the same
// points every time.
func TestOptimisers(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"nelder_mead", "cma_es"} {
		for _, d := range []int{1, 2, 3} {
			for _, limit := range []int{600, 10} {
				calls := 0
				best := math.Inf(1)
				var points []string
				f := func(z []float64) float64 {
					calls++
					if calls > limit {
						t.Errorf("%s: called after the stop", method) // f runs on gonum's goroutine: no Fatal
					}
					points = append(points, fmt.Sprint(z))
					s := 0.0
					for i := range z {
						s += float64(i+1) * (z[i] - float64(i+1)) * (z[i] - float64(i+1))
					}
					for i := 0; i+1 < len(z); i++ {
						s += 0.5 * (z[i] - float64(i+1)) * (z[i+1] - float64(i+2))
					}
					best = min(best, s)
					return s
				}
				stop := func() bool { return calls >= limit }
				z0 := make([]float64, d)
				status := minimize(method, 1, f, stop, z0, f(z0))
				switch {
				case limit == 10 && (calls != limit || status != statusBudget):
					t.Errorf("%s, %d dimensions: %d calls of %d, status %q; want all and %q", method, d, calls, limit, status, statusBudget)
				case limit > 10 && best > 1e-6:
					t.Errorf("%s, %d dimensions: best %g after %d calls (%s)", method, d, best, calls, status)
				}
				if limit > 10 {
					t.Logf("%s, %d dimensions: best %g after %d calls (%s)", method, d, best, calls, status)
				}
				first := points
				calls, points = 0, nil
				minimize(method, 1, f, stop, z0, f(z0))
				if !slices.Equal(first, points) {
					t.Errorf("%s, %d dimensions: the same seed gave different points", method, d)
				}
			}
		}
	}
}

func TestFittedScenarioReloads(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"edges.txt": "0 1\n1 2\n2 3\n3 4\n4 5\n5 0\n0 3\n",
		"ring.yaml": "name: Ring\nsteps: 10\ngraph: {kind: file, path: edges.txt}\ndecision: {rule: bass}\nplatforms:\n  app: {p: 0.1, q: 0.5}\nrecord: {file: d.csv, series: [{platform: app, metric: registered, series: registered}]}\n",
		"d.csv":     "step,platform,metric,value_millions\n2,app,registered,1\n5,app,registered,3\n10,app,registered,5\n",
		"fit.yaml":  "scenario: ring.yaml\ndata: d.csv\nscale: 1000000\nbudget: 12\nreplicates: 1\nuncertainty: none\ntargets:\n  - {platform: app, metric: registered, series: registered}\nparameters:\n  - {path: platforms.app.q, min: 0.1, max: 0.9}\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fit, err := Load(filepath.Join(dir, "fit.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), fit, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Saved two levels down, fitted.yaml names the edge list from there and keeps the
	// record's data file beside it, so it runs as it is.
	out := filepath.Join(dir, "results", "deeper")
	results, err := output.OpenResultDir(out, output.DirOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stage, err := results.Stage()
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteResults(stage, res, time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := stage.Commit(); err != nil {
		t.Fatal(err)
	}
	results.Close()
	doc, err := os.ReadFile(filepath.Join(out, "fitted.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if record, err := os.ReadFile(filepath.Join(out, scenarios.RecordCopy)); err != nil || string(record) != files["d.csv"] {
		t.Errorf("the record's copy beside fitted.yaml: %q, %v", record, err)
	}
	sc, err := scenarios.Load(filepath.Join(out, "fitted.yaml"), nil)
	if err != nil {
		t.Fatalf("fitted.yaml does not load: %v\n%s", err, doc)
	}
	if q := sc.Config.Platforms[0].Q; q != res.Params[0].Value || sc.File.Scale != 1e6 {
		t.Errorf("fitted.yaml has q %g, scale %g; want %g, 1e6", q, sc.File.Scale, res.Params[0].Value)
	}
	if !strings.HasPrefix(string(doc), "# Fitted by msgsim calibrate from "+filepath.Join(dir, "fit.yaml")+" on 2024-05-06.\n") || !strings.Contains(string(doc), `path: "../../edges.txt"`) {
		t.Errorf("fitted.yaml:\n%s", doc)
	}
}
