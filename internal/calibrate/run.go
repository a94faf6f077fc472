package calibrate

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/scenarios"
)

// Options are the knobs of a calibration that are not part of the fit file.
type Options struct {
	Workers int // goroutines; <= 0 means GOMAXPROCS. The result does not depend on it.
	// Progress, if set, is called as steps and runs finish (evaluate.Options.Progress), with
	// Done the simulation runs done so far in the whole calibration (runs in progress count by
	// their steps done) and Total the budget.
	Progress func(evaluate.Event)
}

// Result is a finished calibration.
type Result struct {
	Fit    *Fit
	Params []ParamResult
	// Error is the objective at the optimum: the mean squared difference between
	// log1p(observed millions) and log1p(simulated millions); StartError is it at the start.
	Error, StartError float64
	// Simulated is the replicate mean at each observation's step, in millions, at the optimum.
	Simulated []float64
	// Evaluations are the optimiser's simulated points (each Replicates runs), the start
	// included; HessianEvaluations those of the finite-difference Hessian. Repeated points are
	// answered from a cache and not counted.
	Evaluations, HessianEvaluations int
	Runs                            int // all simulation runs: (Evaluations + HessianEvaluations) x Replicates
	Status                          string
	Uncertainty                     Uncertainty
	// Series are the optimum's replicates, for the plot.
	Series []*model.Series
}

// ParamResult is one fitted parameter.
type ParamResult struct {
	Path     string   `json:"path"`
	Value    float64  `json:"value"`
	Start    float64  `json:"start"`          // where the optimiser started: the scenario's value, inside the bounds
	Scenario float64  `json:"scenario_value"` // the scenario's value
	StdErr   *float64 `json:"stderr"`         // approximate standard error; null when not available
	// The two parts of stderr (its square is the sum of theirs): the fit's residual scatter,
	// and the noise of the fixed replicates.
	StdErrData *float64 `json:"stderr_data"`
	StdErrSim  *float64 `json:"stderr_simulation"`
	Min        float64  `json:"min"`
	Max        float64  `json:"max"`
	Scale      string   `json:"scale"`
	AtBound    bool     `json:"at_bound"` // within 1% (of the transformed range) of a bound
}

// Uncertainty says how the standard errors were obtained, or why there are none.
type Uncertainty struct {
	Method           string  `json:"method"`          // hessian | none
	Basis            string  `json:"basis,omitempty"` // how stderr is computed
	Step             float64 `json:"step,omitempty"`  // finite-difference step in the transformed space
	PositiveDefinite bool    `json:"positive_definite"`
	Note             string  `json:"note,omitempty"`
}

// hessianStep is the finite-difference step in the unbounded (logit) space. Common random
// numbers make the objective a deterministic function of the parameters, but a rough one at
// small scales (a few agents decide differently); 0.1 is about 2.5% of a parameter's range
// near the middle of its bounds, well above that roughness and well inside the curvature.
const hessianStep = 0.1

// startMargin keeps the start inside the bounds, where the logit is finite.
const startMargin = 0.01

// Run fits the parameters: it minimises the objective from the scenario's values with the fit
// file's method, within the budget of simulation runs, then estimates standard errors. The
// result depends only on the fit file and its data, never on opts.Workers.
func Run(ctx context.Context, fit *Fit, opts Options) (*Result, error) {
	f := fit.File
	d, r := len(fit.Params), f.Replicates
	res := &Result{Fit: fit, Uncertainty: Uncertainty{Method: f.Uncertainty}}
	hessEvals := 0
	if f.Uncertainty == "hessian" {
		if len(fit.Obs) > d {
			hessEvals = hessianEvaluations(d)
		} else {
			res.Uncertainty.Note = fmt.Sprintf("no standard errors: %d data points for %d parameters leave no degrees of freedom", len(fit.Obs), d)
		}
	}
	optEvals := f.Budget/r - hessEvals
	ev := &evaluator{ctx: ctx, fit: fit, opts: opts, limit: optEvals * r, cache: map[pointKey]*evaluation{}, track: true}

	z0 := make([]float64, d)
	for i, p := range fit.Params {
		z0[i] = p.unbounded(p.Current)
	}
	start := ev.eval(z0)
	if ev.err != nil {
		return nil, ev.err
	}
	if ev.invalid != nil {
		return nil, fmt.Errorf("fit %s: the start is not a valid scenario: %w", fit.Source, ev.invalid)
	}
	res.StartError = start.f

	objective := func(z []float64) float64 { return ev.eval(z).f }
	res.Status = minimize(f.Method, f.Seed, objective, ev.spent, z0, start.f)
	if ev.err != nil {
		return nil, ev.err
	}
	best := ev.best
	res.Error, res.Simulated, res.Series = best.f, best.sim, ev.bestSeries
	res.Evaluations = ev.evals

	ev.track, ev.exhausted, ev.limit = false, false, (optEvals+hessEvals)*r
	var cov *covariance
	if hessEvals > 0 {
		cov = ev.hessianCovariance(best, ev.bestSeries, res)
		if ev.err != nil {
			return nil, ev.err
		}
		res.Uncertainty.Step = hessianStep
		res.Uncertainty.Basis = "delta method from a central finite-difference Hessian H of the error in the logit space: " +
			"stderr^2 = stderr_data^2 + stderr_simulation^2, data term 2 error/(points - parameters) H^-1, " +
			"simulation term from the spread of the optimum's replicates"
	}
	res.HessianEvaluations = ev.evals - res.Evaluations
	res.Runs = ev.runs
	var atBound []string
	for i, p := range fit.Params {
		u := sigmoid(best.z[i])
		pr := ParamResult{
			Path: p.Path, Value: best.x[i], Start: start.x[i], Scenario: p.Current, Min: p.Min, Max: p.Max,
			Scale: map[bool]string{false: "linear", true: "log"}[p.Log], AtBound: u < startMargin || u > 1-startMargin,
		}
		if cov != nil {
			slope := math.Abs(p.slope(best.z[i]))
			data := slope * math.Sqrt(cov.data.At(i, i))
			total := data
			pr.StdErrData = &data
			if cov.sim != nil {
				sim := slope * math.Sqrt(cov.sim.At(i, i))
				pr.StdErrSim = &sim
				total = math.Hypot(data, sim)
			}
			pr.StdErr = &total
		}
		if pr.AtBound {
			atBound = append(atBound, p.Path)
		}
		res.Params = append(res.Params, pr)
	}
	if len(atBound) > 0 {
		res.Uncertainty.Note = joinNotes(res.Uncertainty.Note, fmt.Sprintf("%s at or near a bound: widen the bounds, or read its standard error as a lower limit", strings.Join(atBound, ", ")))
	}
	return res, nil
}

func joinNotes(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// evaluation is the objective at one point.
type evaluation struct {
	z, x []float64 // unbounded and actual parameter values
	f    float64
	sim  []float64 // replicate mean per observation, millions
}

// evaluator runs the simulations behind the objective, within the budget, and remembers
// every point it ran (optimisers revisit points, and integer fields make many points one).
type evaluator struct {
	ctx   context.Context
	fit   *Fit
	opts  Options
	limit int // runs allowed so far
	runs  int
	evals int
	cache map[pointKey]*evaluation

	err       error // a failed simulation or cancellation: stops everything
	invalid   error // the first parameter point that made an invalid scenario
	exhausted bool

	track      bool // keep the best point (the optimisation phase)
	best       *evaluation
	bestSeries []*model.Series
}

var infinite = &evaluation{f: math.Inf(1)}

// spent tells that no new point may be run: a simulation failed, or the runs left in the
// budget cannot pay for one more point.
func (ev *evaluator) spent() bool {
	return ev.err != nil || ev.exhausted || ev.runs+ev.fit.File.Replicates > ev.limit
}

func (ev *evaluator) eval(z []float64) *evaluation {
	fit := ev.fit
	e := &evaluation{z: slices.Clone(z), x: make([]float64, len(z))}
	for i, p := range fit.Params {
		e.x[i] = p.value(z[i])
	}
	key := keyOf(e.x)
	if cached, ok := ev.cache[key]; ok {
		return cached
	}
	if ev.err != nil {
		return infinite
	}
	r := fit.File.Replicates
	if ev.runs+r > ev.limit {
		ev.exhausted = true
		return infinite
	}
	sc, err := fit.Base.With(fit.overrides(e.x))
	if err != nil {
		if ev.invalid == nil {
			ev.invalid = err
		}
		e.f = math.Inf(1)
		ev.cache[key] = e
		return e
	}
	opts := evaluate.Options{Workers: ev.opts.Workers}
	if progress := ev.opts.Progress; progress != nil {
		steps, done := int64(max(sc.Config.Steps, 1)), ev.runs
		opts.Progress = func(e evaluate.Event) {
			e.Done, e.Total = done+max(e.Done, int(e.Steps/steps)), fit.File.Budget
			progress(e)
		}
	}
	// Every point runs the same seeds (common random numbers), so that the objective is a
	// deterministic function of the parameters.
	runs, err := evaluate.Series(ev.ctx, &sc.Config, evaluate.Replicates(0, fit.File.Seed, r), opts)
	if err != nil {
		var failed *evaluate.Error
		if errors.As(err, &failed) {
			err = failed.Err // the point is named below; the replicate adds nothing
		}
		ev.err = err
		if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			ev.err = fmt.Errorf("fit %s: simulate %s: %w", fit.Source, strings.Join(fit.overrides(e.x), " "), err)
		}
		return infinite
	}
	ev.runs += r
	ev.evals++
	e.sim = fit.simulated(runs)
	e.f = fit.objective(e.sim)
	ev.cache[key] = e
	if ev.track && (ev.best == nil || e.f < ev.best.f) {
		ev.best, ev.bestSeries = e, runs
	}
	return e
}

// pointKey identifies a parameter point exactly: the bits of its values.
type pointKey string

func keyOf(x []float64) pointKey {
	b := make([]byte, 0, 8*len(x))
	for _, v := range x {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return pointKey(b)
}

// overrides are the fit's fixed overrides, then the parameter values x.
func (fit *Fit) overrides(x []float64) []string {
	out := slices.Clone(fit.fixed)
	for i, p := range fit.Params {
		out = append(out, p.Path+"="+formatValue(x[i]))
	}
	return out
}

// Overrides are the overrides that give the fitted scenario from the fit's scenario.
func (r *Result) Overrides() []string {
	x := make([]float64, len(r.Params))
	for i, p := range r.Params {
		x[i] = p.Value
	}
	return r.Fit.overrides(x)
}

// Scenario is the fitted scenario: the fit's scenario with its set, scale and the fitted values.
func (r *Result) Scenario() (*scenarios.Scenario, error) { return r.Fit.Base.With(r.Overrides()) }

// simulated is the replicate mean of each observation's series at its step, in millions.
func (fit *Fit) simulated(runs []*model.Series) []float64 {
	sim := make([]float64, len(fit.Obs))
	for i, o := range fit.Obs {
		t := fit.Targets[o.Target]
		measure := t.measure()
		var total float64
		for _, s := range runs {
			total += measure(s, o.Step, t.Platform)
		}
		sim[i] = total / float64(len(runs)) * fit.Scale / 1e6
	}
	return sim
}

// objective is the mean squared error between log1p of the observed and of the simulated
// values, in millions. Logs make the errors relative, so that 50M against 300M weigh alike
// and the largest figures do not decide the fit alone; log1p keeps figures near zero (a
// launch at 0) finite.
func (fit *Fit) objective(sim []float64) float64 {
	var sum float64
	for i, o := range fit.Obs {
		r := math.Log1p(o.Value) - math.Log1p(sim[i])
		sum += r * r
	}
	return sum / float64(len(fit.Obs))
}

// covariance is the approximate covariance of the unbounded parameters: a data term and a
// simulation term.
type covariance struct {
	data, sim *mat.SymDense // sim is nil with one replicate
}

// hessianCovariance estimates the covariance of the unbounded parameters at the optimum from
// a central finite-difference Hessian H of the objective f = SSR/n.
//
// Data term: at a least-squares optimum H is about 2 J'J/n (J the Jacobian of the simulated
// log values), so the Gauss-Newton covariance s^2 (J'J)^-1 with s^2 = SSR/(n-d) is
// 2 f/(n-d) H^-1.
//
// Simulation term: the simulated values are the mean of a fixed set of replicates (common
// random numbers), whose noise the parameters absorb without leaving residuals, so the data
// term misses it. To first order the optimum moves by H^-1 (2/n) J' e for an error e in the
// simulated log values, giving (2/n)^2 H^-1 J' S J H^-1, with S the covariance of the
// replicate mean, estimated from the optimum's replicates. J comes from the same probes as
// the diagonal of H, so this costs no runs.
//
// It returns nil, with a note, when H is not positive definite.
func (ev *evaluator) hessianCovariance(best *evaluation, replicates []*model.Series, res *Result) *covariance {
	d, h := len(best.z), hessianStep
	at := func(steps map[int]float64) *evaluation {
		z := slices.Clone(best.z)
		for i, s := range steps {
			z[i] += s * h
		}
		return ev.eval(z)
	}
	plus, minus := make([]*evaluation, d), make([]*evaluation, d)
	for i := range d {
		plus[i], minus[i] = at(map[int]float64{i: 1}), at(map[int]float64{i: -1})
	}
	f0 := best.f
	H := mat.NewSymDense(d, nil)
	for i := range d {
		H.SetSym(i, i, (plus[i].f-2*f0+minus[i].f)/(h*h))
		for j := i + 1; j < d; j++ {
			pp, mm := at(map[int]float64{i: 1, j: 1}).f, at(map[int]float64{i: -1, j: -1}).f
			H.SetSym(i, j, (pp+mm-plus[i].f-minus[i].f-plus[j].f-minus[j].f+2*f0)/(2*h*h))
		}
	}
	if ev.err != nil {
		return nil
	}
	if ev.exhausted {
		res.Uncertainty.Note = "no standard errors: the budget ran out before the Hessian was complete"
		return nil
	}
	for i := range d {
		if math.IsInf(plus[i].f, 0) || math.IsInf(minus[i].f, 0) {
			res.Uncertainty.Note = "no standard errors: a Hessian probe left the valid scenarios"
			return nil
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(H) {
		res.Uncertainty.Note = "no standard errors: the Hessian of the error at the optimum is not positive definite " +
			"(the optimum is flat or not a minimum in some direction: a parameter is not identified by these data, or the fit has not converged)"
		return nil
	}
	res.Uncertainty.PositiveDefinite = true
	var inv mat.SymDense
	if err := chol.InverseTo(&inv); err != nil {
		res.Uncertainty.Note = "no standard errors: the Hessian is nearly singular"
		return nil
	}
	fit := ev.fit
	n := len(fit.Obs)
	cov := &covariance{data: mat.NewSymDense(d, nil)}
	cov.data.ScaleSym(2*f0/float64(n-d), &inv)

	r := len(replicates)
	if r < 2 {
		res.Uncertainty.Note = joinNotes(res.Uncertainty.Note, "standard errors without the simulation noise: it needs at least 2 replicates to estimate")
		return cov
	}
	J := mat.NewDense(n, d, nil)
	for k := range d {
		for i := range n {
			J.Set(i, k, (math.Log1p(plus[k].sim[i])-math.Log1p(minus[k].sim[i]))/(2*h))
		}
	}
	// S: the sample covariance of the replicates' log values, over r for their mean.
	vals := mat.NewDense(r, n, nil)
	for q, s := range replicates {
		vals.SetRow(q, logValues(fit.simulated([]*model.Series{s})))
	}
	S := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			mi, mj := mat.Sum(vals.ColView(i))/float64(r), mat.Sum(vals.ColView(j))/float64(r)
			var c float64
			for q := range r {
				c += (vals.At(q, i) - mi) * (vals.At(q, j) - mj)
			}
			S.SetSym(i, j, c/float64(r-1)/float64(r))
		}
	}
	var G mat.Dense // (2/n) H^-1 J'
	G.Mul(&inv, J.T())
	G.Scale(2/float64(n), &G)
	var GS, simCov mat.Dense
	GS.Mul(&G, S)
	simCov.Mul(&GS, G.T())
	cov.sim = mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			cov.sim.SetSym(i, j, (simCov.At(i, j)+simCov.At(j, i))/2)
		}
	}
	return cov
}

func logValues(sim []float64) []float64 {
	out := make([]float64, len(sim))
	for i, v := range sim {
		out[i] = math.Log1p(v)
	}
	return out
}

// The transform to the unbounded space: z = logit(u), u the position of x in its bounds
// (linear, or of log x in the log bounds). Every z maps inside the bounds.

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// value maps z to the parameter's value: rounded to a whole number for integer fields, else
// to 6 significant digits, so that what was simulated is exactly what fitted.yaml says.
func (p Param) value(z float64) float64 {
	u := sigmoid(z)
	var x float64
	if p.Log {
		x = math.Exp(math.Log(p.Min) + u*(math.Log(p.Max)-math.Log(p.Min)))
	} else {
		x = p.Min + u*(p.Max-p.Min)
	}
	if p.Kind == scenarios.PathInteger {
		return min(max(math.Round(x), p.Min), p.Max)
	}
	x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
	return min(max(x, p.Min), p.Max)
}

// unbounded maps a value to z, first moving it inside the bounds by startMargin.
func (p Param) unbounded(x float64) float64 {
	var u float64
	if p.Log {
		u = (math.Log(max(x, p.Min)) - math.Log(p.Min)) / (math.Log(p.Max) - math.Log(p.Min))
	} else {
		u = (x - p.Min) / (p.Max - p.Min)
	}
	u = min(max(u, startMargin), 1-startMargin)
	return math.Log(u / (1 - u))
}

// slope is dx/dz at z (before rounding), for the delta method.
func (p Param) slope(z float64) float64 {
	u := sigmoid(z)
	du := u * (1 - u)
	if p.Log {
		x := math.Exp(math.Log(p.Min) + u*(math.Log(p.Max)-math.Log(p.Min)))
		return x * (math.Log(p.Max) - math.Log(p.Min)) * du
	}
	return (p.Max - p.Min) * du
}
