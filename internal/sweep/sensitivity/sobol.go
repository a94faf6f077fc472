// Package sensitivity estimates global sensitivity measures from model runs on
// the designs of package design: variance-based Sobol' indices from a
// Saltelli design and Morris elementary-effects statistics from trajectories.
//
// Bad inputs (mismatched lengths, non-finite outputs, constant outputs) are
// reported as errors, never panics; the messages are part of the tested API.
package sensitivity

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// ErrZeroVariance is returned (possibly wrapped) when the model output is
// constant over the base samples, so variance-based indices are undefined.
var ErrZeroVariance = errors.New("sensitivity: output variance is zero")

var errNilRand = errors.New("sensitivity: nil random source")

// Interval is a point estimate with a bootstrap confidence interval.
type Interval struct {
	Estimate, Low, High float64
}

// Contains reports whether Low <= x <= High.
func (iv Interval) Contains(x float64) bool { return iv.Low <= x && x <= iv.High }

func checkFinite(name string, f []float64) error {
	for i, v := range f {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("sensitivity: non-finite output %s[%d] = %v", name, i, v)
		}
	}
	return nil
}

func checkSobol(fA, fB []float64, fAB [][]float64) error {
	n := len(fA)
	if len(fB) != n {
		return fmt.Errorf("sensitivity: fA and fB have lengths %d and %d", n, len(fB))
	}
	if n < 2 {
		return fmt.Errorf("sensitivity: need at least 2 base rows, got %d", n)
	}
	if len(fAB) == 0 {
		return errors.New("sensitivity: fAB has no factors")
	}
	if err := checkFinite("fA", fA); err != nil {
		return err
	}
	if err := checkFinite("fB", fB); err != nil {
		return err
	}
	for i, f := range fAB {
		if len(f) != n {
			return fmt.Errorf("sensitivity: fAB[%d] has length %d, want %d", i, len(f), n)
		}
		if err := checkFinite(fmt.Sprintf("fAB[%d]", i), f); err != nil {
			return err
		}
	}
	return nil
}

// sobolRows computes the indices from the base rows listed in rows (with
// repetition; nil means all rows in order) into first and total. It returns
// false if the output variance over those rows is zero.
func sobolRows(fA, fB []float64, fAB [][]float64, rows []int, first, total []float64) bool {
	n := len(fA)
	if rows != nil {
		n = len(rows)
	}
	row := func(k int) int {
		if rows == nil {
			return k
		}
		return rows[k]
	}
	// Population variance of the 2n values fA ∪ fB, two-pass for accuracy.
	var sum float64
	for k := range n {
		r := row(k)
		sum += fA[r] + fB[r]
	}
	mean := sum / float64(2*n)
	var ss float64
	for k := range n {
		r := row(k)
		a, b := fA[r]-mean, fB[r]-mean
		ss += a*a + b*b
	}
	v := ss / float64(2*n)
	if !(v > 0) {
		return false
	}
	for i, fi := range fAB {
		var s1, st float64
		for k := range n {
			r := row(k)
			s1 += fB[r] * (fi[r] - fA[r])
			dd := fA[r] - fi[r]
			st += dd * dd
		}
		first[i] = s1 / float64(n) / v
		total[i] = st / float64(2*n) / v
	}
	return true
}

// Sobol estimates first-order and total Sobol' indices of d factors from the
// outputs of a Saltelli design (design.Saltelli): fA[k], fB[k] and fAB[i][k]
// are the model outputs at rows k of A, B and AB[i]. With
// V = Var(fA ∪ fB) (population variance of the 2n values),
//
//	first[i] = mean_k fB[k]*(fAB[i][k] - fA[k]) / V
//
// is the estimator of A. Saltelli et al., "Variance based sensitivity analysis
// of model output. Design and estimator for the total sensitivity index",
// Comput. Phys. Commun. 181, 259-270 (2010), table 2 (b), and
//
//	total[i] = mean_k (fA[k] - fAB[i][k])^2 / 2 / V
//
// is the estimator of M. J. W. Jansen, "Analysis of variance designs for model
// output", Comput. Phys. Commun. 117, 35-43 (1999) (Saltelli 2010, table 2 (f)).
// Estimates are not clipped to [0,1]: small negative values indicate
// unimportant factors. ErrZeroVariance is returned for a constant output.
func Sobol(fA, fB []float64, fAB [][]float64) (first, total []float64, err error) {
	if err := checkSobol(fA, fB, fAB); err != nil {
		return nil, nil, err
	}
	first = make([]float64, len(fAB))
	total = make([]float64, len(fAB))
	if !sobolRows(fA, fB, fAB, nil, first, total) {
		return nil, nil, ErrZeroVariance
	}
	return first, total, nil
}

// percentile returns the equal-tailed 95% percentile interval of xs (sorted in
// place): the 2.5% and 97.5% sample quantiles interpolated linearly between
// order statistics at position p*(len-1) (Hyndman and Fan type 7, NumPy's
// default).
func percentile(xs []float64) (lo, hi float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	sort.Float64s(xs)
	q := func(p float64) float64 {
		h := p * float64(len(xs)-1)
		k := int(math.Floor(h))
		if k+1 >= len(xs) {
			return xs[len(xs)-1]
		}
		return xs[k] + (h-float64(k))*(xs[k+1]-xs[k])
	}
	return q(0.025), q(0.975)
}

// SobolBootstrap returns the Sobol estimates with 95% percentile bootstrap
// confidence intervals (Efron and Tibshirani 1993, ch. 13): each of the
// resamples draws n base rows with replacement (the same rows for fA, fB and
// every fAB[i]) and recomputes the indices; Low and High are the 2.5% and
// 97.5% percentiles of the replicates. Estimate is the full-sample value of
// Sobol. Resamples whose output variance is zero are discarded (if all are,
// Low and High are NaN). The bootstrap treats the base rows as independent,
// which for a Sobol' (quasi-random) design typically makes the intervals
// conservative (for Ishigami at n = 8192 they are some 20 times wider than
// the actual error).
func SobolBootstrap(fA, fB []float64, fAB [][]float64, resamples int, rng *rand.Rand) (first, total []Interval, err error) {
	if resamples < 1 {
		return nil, nil, fmt.Errorf("sensitivity: resamples must be positive, got %d", resamples)
	}
	if rng == nil {
		return nil, nil, errNilRand
	}
	s1, st, err := Sobol(fA, fB, fAB)
	if err != nil {
		return nil, nil, err
	}
	d, n := len(fAB), len(fA)
	rep1 := make([][]float64, d)
	repT := make([][]float64, d)
	rows := make([]int, n)
	b1 := make([]float64, d)
	bT := make([]float64, d)
	for range resamples {
		for k := range rows {
			rows[k] = rng.IntN(n)
		}
		if !sobolRows(fA, fB, fAB, rows, b1, bT) {
			continue
		}
		for i := range d {
			rep1[i] = append(rep1[i], b1[i])
			repT[i] = append(repT[i], bT[i])
		}
	}
	first = make([]Interval, d)
	total = make([]Interval, d)
	for i := range d {
		lo, hi := percentile(rep1[i])
		first[i] = Interval{Estimate: s1[i], Low: lo, High: hi}
		lo, hi = percentile(repT[i])
		total[i] = Interval{Estimate: st[i], Low: lo, High: hi}
	}
	return first, total, nil
}
