package calibrate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"

	"github.com/msgsim/msgsim/internal/streams"
)

// The optimisers work in the unbounded space and stop when stop says that no further point
// may be run (the runs left in the budget cannot pay for one, or a simulation failed), when
// the best value has not improved by more than 1e-9 + 1e-6|f| in 20 x d iterations (simplex
// steps or generations), or when CMA-ES's search distribution collapses. The evaluator
// refuses any point past the budget all the same.
//
// Nelder-Mead is gonum's optimize.NelderMead (dimension-adaptive coefficients, Gao & Han
// 2012), run by optimize.Minimize one point at a time (Concurrent: 1), so that the points come
// in a fixed order and the result does not depend on the number of cores (each point's
// replicates run in parallel instead). The budget reaches Minimize through the problem's
// Status hook, which it checks after every evaluation, rather than Settings.FuncEvaluations,
// which counts every call: repeated points are answered from the cache and cost no runs.
//
// CMA-ES is Hansen's (2016 tutorial) (mu/mu_w, lambda)-CMA-ES with gonum's default
// population, written here because gonum's optimize.CmaEsChol (v0.17) is a much weaker
// optimiser for these fits: it samples from its covariance without the step size and scales
// the rank-mu update by 1/sigma instead of 1/sigma^2, so its step-size control does not
// shrink the search near an optimum. With the same start, population and stopping rules it
// ended between 1e-3 and 5e-2 on the 3-parameter quadratic of TestOptimisers (600 calls or
// none, seeds 1-5; this CMA-ES reaches 3e-11), and the WeChat-only fit shipped before calibrations/story.yaml, with
// method: cma_es ended at an error of 0.029 against 0.0052 here in 300 runs, and 0.012
// against 0.0042 in 1200.

// Stop reasons.
const (
	statusBudget   = "stopped: budget used up"
	statusStalled  = "converged: the error stopped improving"
	statusCollapse = "converged: the search collapsed to a point"
)

// stall tells when the best value has stopped improving: by more than 1e-9 + 1e-6|f| over
// 20 x d consecutive iterations.
type stall struct {
	best  float64
	iters int
	limit int
}

func newStall(d int, f float64) *stall { return &stall{best: f, limit: 20 * d} }

func (s *stall) stalled(f float64) bool {
	if f < s.best && s.best-f > 1e-9+1e-6*math.Abs(s.best) {
		s.best, s.iters = f, 0
		return false
	}
	s.iters++
	return s.iters >= s.limit
}

// collapseTol is the size in the unbounded space below which a CMA-ES search distribution
// counts as a point.
const collapseTol = 1e-6

// minimize minimises f with the fit's method from z0, whose value f0 is known, and returns
// why it stopped. CMA-ES draws from a generator seeded by seed.
func minimize(method string, seed uint64, f func([]float64) float64, stop func() bool, z0 []float64, f0 float64) string {
	if method == "cma_es" {
		return cmaES(f, stop, z0, f0, seed)
	}
	return nelderMead(f, stop, z0, f0)
}

// nelderMead minimises from z0, whose value f0 is known, with gonum's Nelder-Mead.
func nelderMead(f func([]float64) float64, stop func() bool, z0 []float64, f0 float64) string {
	problem := optimize.Problem{
		Func: f,
		Status: func() (optimize.Status, error) {
			if stop() {
				return optimize.FunctionEvaluationLimit, nil
			}
			return optimize.NotTerminated, nil
		},
	}
	settings := &optimize.Settings{
		InitValues: &optimize.Location{F: f0},
		Converger:  &optimize.FunctionConverge{Absolute: 1e-9, Relative: 1e-6, Iterations: 20 * len(z0)},
		Concurrent: 1,
	}
	// The initial simplex has edges of 1 in logit units: a quarter of the range around the
	// middle.
	res, err := optimize.Minimize(problem, z0, settings, &optimize.NelderMead{SimplexSize: 1})
	switch {
	case err != nil:
		return fmt.Sprintf("stopped: %v", err)
	case res.Status == optimize.FunctionEvaluationLimit:
		return statusBudget
	case res.Status == optimize.FunctionConvergence:
		return statusStalled
	}
	return "stopped: " + res.Status.String()
}

// cmaES minimises from the mean z0 with step size 1, drawing from a generator seeded by seed.
func cmaES(f func([]float64) float64, stop func() bool, z0 []float64, f0 float64, seed uint64) string {
	n := len(z0)
	nf := float64(n)
	lambda := cmaPopulation(n)
	mu := lambda / 2
	w := make([]float64, mu)
	var sw, sw2 float64
	for i := range w {
		w[i] = math.Log(float64(mu)+0.5) - math.Log(float64(i)+1)
		sw += w[i]
	}
	for i := range w {
		w[i] /= sw
		sw2 += w[i] * w[i]
	}
	muEff := 1 / sw2
	cs := (muEff + 2) / (nf + muEff + 5)
	ds := 1 + 2*math.Max(0, math.Sqrt((muEff-1)/(nf+1))-1) + cs
	cc := (4 + muEff/nf) / (nf + 4 + 2*muEff/nf)
	c1 := 2 / ((nf+1.3)*(nf+1.3) + muEff)
	cmu := math.Min(1-c1, 2*(muEff-2+1/muEff)/((nf+2)*(nf+2)+muEff))
	chiN := math.Sqrt(nf) * (1 - 1/(4*nf) + 1/(21*nf*nf))

	rng := rand.New(rand.NewPCG(seed, streams.CMAES))
	m := slices.Clone(z0)
	sigma := 1.0
	C := mat.NewSymDense(n, nil)
	for i := range n {
		C.SetSym(i, i, 1)
	}
	ps, pc := make([]float64, n), make([]float64, n)
	st := newStall(n, f0)
	var eig mat.EigenSym
	for gen := 0; ; gen++ {
		if !eig.Factorize(C, true) {
			return "stopped: the search distribution degenerated"
		}
		var B mat.Dense
		eig.VectorsTo(&B)
		D := eig.Values(nil)
		maxD := 0.0
		for i := range D {
			D[i] = math.Sqrt(math.Max(D[i], 1e-300))
			maxD = math.Max(maxD, D[i])
		}
		if sigma*maxD < collapseTol {
			return statusCollapse
		}
		ys := make([][]float64, lambda)
		fs := make([]float64, lambda)
		for k := range lambda {
			zk := make([]float64, n)
			for i := range zk {
				zk[i] = D[i] * rng.NormFloat64()
			}
			y := make([]float64, n)
			for i := range n {
				for j := range n {
					y[i] += B.At(i, j) * zk[j]
				}
			}
			x := make([]float64, n)
			for i := range x {
				x[i] = m[i] + sigma*y[i]
			}
			ys[k], fs[k] = y, f(x)
			if stop() {
				return statusBudget
			}
		}
		idx := make([]int, lambda)
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return fs[idx[a]] < fs[idx[b]] })
		yw := make([]float64, n)
		for i := range mu {
			for j := range n {
				yw[j] += w[i] * ys[idx[i]][j]
			}
		}
		for j := range n {
			m[j] += sigma * yw[j]
		}
		// C^(-1/2) yw = B D^-1 B' yw
		bt := make([]float64, n)
		for i := range n {
			for j := range n {
				bt[i] += B.At(j, i) * yw[j]
			}
			bt[i] /= D[i]
		}
		var psNorm float64
		for i := range n {
			var v float64
			for j := range n {
				v += B.At(i, j) * bt[j]
			}
			ps[i] = (1-cs)*ps[i] + math.Sqrt(cs*(2-cs)*muEff)*v
			psNorm += ps[i] * ps[i]
		}
		psNorm = math.Sqrt(psNorm)
		hs := 0.0
		if psNorm/math.Sqrt(1-math.Pow(1-cs, 2*float64(gen+1))) < (1.4+2/(nf+1))*chiN {
			hs = 1
		}
		for i := range n {
			pc[i] = (1-cc)*pc[i] + hs*math.Sqrt(cc*(2-cc)*muEff)*yw[i]
		}
		for i := range n {
			for j := i; j < n; j++ {
				rankMu := 0.0
				for k := range mu {
					rankMu += w[k] * ys[idx[k]][i] * ys[idx[k]][j]
				}
				v := (1-c1-cmu)*C.At(i, j) + c1*(pc[i]*pc[j]+(1-hs)*cc*(2-cc)*C.At(i, j)) + cmu*rankMu
				C.SetSym(i, j, v)
			}
		}
		sigma *= math.Exp(cs / ds * (psNorm/chiN - 1))
		if st.stalled(min(st.best, fs[idx[0]])) {
			return statusStalled
		}
	}
}
