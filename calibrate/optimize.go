package calibrate

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// The optimisers work in the unbounded space and ask the evaluator for every value; the
// evaluator refuses points past the budget (returning +Inf and marking itself exhausted), and
// the optimisers stop at the first refusal, a failure or convergence. They are written here
// rather than taken from gonum/optimize, whose package needs golang.org/x/tools (through
// stat/distmv), a module this repository does not require. The Nelder-Mead coefficients are
// the dimension-adaptive ones gonum uses (Gao & Han 2012); CMA-ES is Hansen's (2016 tutorial)
// (mu/mu_w, lambda)-CMA-ES with gonum's default population.

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

// collapseTol is the size in the unbounded space below which a simplex or a CMA-ES search
// distribution counts as a point.
const collapseTol = 1e-6

// nelderMead minimises from z0, whose value f0 is known.
func nelderMead(f func([]float64) float64, stop func() bool, z0 []float64, f0 float64) string {
	n := len(z0)
	const simplexSize = 1 // in logit units: a quarter of the range around the middle
	alpha, beta, gamma, delta := 1.0, 1+2/float64(n), 0.75-1/(2*float64(n)), 1-1/float64(n)
	if n == 1 {
		beta, gamma, delta = 2, 0.5, 0.5
	}
	verts := [][]float64{slices.Clone(z0)}
	vals := []float64{f0}
	for i := range n {
		v := slices.Clone(z0)
		v[i] += simplexSize
		verts, vals = append(verts, v), append(vals, f(v))
		if stop() {
			return statusBudget
		}
	}
	order := make([]int, n+1)
	sorted := func() {
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return vals[order[a]] < vals[order[b]] })
		v2, f2 := make([][]float64, n+1), make([]float64, n+1)
		for i, k := range order {
			v2[i], f2[i] = verts[k], vals[k]
		}
		verts, vals = v2, f2
	}
	point := func(c, x []float64, t float64) []float64 { // c + t (x - c)
		out := make([]float64, n)
		for i := range out {
			out[i] = c[i] + t*(x[i]-c[i])
		}
		return out
	}
	sorted()
	st := newStall(n, vals[0])
	for {
		if collapsed(verts) {
			return statusCollapse
		}
		c := make([]float64, n)
		for _, v := range verts[:n] {
			for i := range c {
				c[i] += v[i] / float64(n)
			}
		}
		worst := verts[n]
		xr := point(c, worst, -alpha)
		fr := f(xr)
		if stop() {
			return statusBudget
		}
		shrink := false
		switch {
		case fr < vals[0]:
			xe := point(c, xr, beta)
			fe := f(xe)
			if stop() {
				return statusBudget
			}
			if fe < fr {
				verts[n], vals[n] = xe, fe
			} else {
				verts[n], vals[n] = xr, fr
			}
		case fr < vals[n-1]:
			verts[n], vals[n] = xr, fr
		case fr < vals[n]: // outside contraction
			xc := point(c, xr, gamma)
			fc := f(xc)
			if stop() {
				return statusBudget
			}
			if fc <= fr {
				verts[n], vals[n] = xc, fc
			} else {
				shrink = true
			}
		default: // inside contraction
			xc := point(c, worst, gamma)
			fc := f(xc)
			if stop() {
				return statusBudget
			}
			if fc < vals[n] {
				verts[n], vals[n] = xc, fc
			} else {
				shrink = true
			}
		}
		if shrink {
			for k := 1; k <= n; k++ {
				verts[k] = point(verts[0], verts[k], delta)
				vals[k] = f(verts[k])
				if stop() {
					return statusBudget
				}
			}
		}
		sorted()
		if st.stalled(vals[0]) {
			return statusStalled
		}
	}
}

func collapsed(verts [][]float64) bool {
	for _, v := range verts[1:] {
		for i := range v {
			if math.Abs(v[i]-verts[0][i]) > collapseTol {
				return false
			}
		}
	}
	return true
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

	rng := rand.New(rand.NewPCG(seed, 0x434d412d4553))
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
