package design

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

func checkU(u float64) error {
	if !(u >= 0 && u <= 1) {
		return fmt.Errorf("design: u must be in [0,1], got %v", u)
	}
	return nil
}

func finite(x float64) bool { return !math.IsInf(x, 0) && !math.IsNaN(x) }

// Linear maps u in [0,1] linearly onto [lo, hi]: lo + u*(hi-lo).
// lo and hi must be finite with lo <= hi.
func Linear(u, lo, hi float64) (float64, error) {
	if err := checkU(u); err != nil {
		return 0, err
	}
	if !finite(lo) || !finite(hi) || lo > hi {
		return 0, fmt.Errorf("design: Linear needs finite lo <= hi, got [%v, %v]", lo, hi)
	}
	return min(hi, max(lo, Lerp(u, lo, hi))), nil
}

// Lerp is lo + t*(hi-lo) for finite lo and hi, also when hi-lo overflows (an interval from
// -1e308 to 1e308), where that formula gives infinities and NaN.
func Lerp(t, lo, hi float64) float64 {
	if w := hi - lo; finite(w) {
		return lo + t*w
	}
	return lo*(1-t) + hi*t
}

// Log maps u in [0,1] log-uniformly onto [lo, hi] (uniform in log x):
// lo * (hi/lo)^u. It needs 0 < lo <= hi < +Inf.
func Log(u, lo, hi float64) (float64, error) {
	if err := checkU(u); err != nil {
		return 0, err
	}
	if !finite(lo) || !finite(hi) || !(lo > 0) || lo > hi {
		return 0, fmt.Errorf("design: Log needs 0 < lo <= hi < +Inf, got [%v, %v]", lo, hi)
	}
	x := math.Exp(math.Log(lo) + u*(math.Log(hi)-math.Log(lo)))
	return min(hi, max(lo, x)), nil
}

// TruncatedNormal maps u in [0,1] to the u-quantile of a normal distribution
// with the given mean and sd (> 0) truncated to [lo, hi] (lo < hi; either may
// be infinite): Phi^-1(Phi(lo) + u*(Phi(hi)-Phi(lo))) computed with gonum's
// distuv.Normal. Intervals above the mean are handled by reflection so the
// CDF is always evaluated in its accurate lower tail; intervals more than
// about 37 sd from the mean, where the normal CDF underflows, use the
// exponential tail approximation (relative error O(1/z^2)). With an infinite
// bound, u = 0 or 1 maps to that infinity.
func TruncatedNormal(u, mean, sd, lo, hi float64) (float64, error) {
	if err := checkU(u); err != nil {
		return 0, err
	}
	if !finite(mean) || !finite(sd) || !(sd > 0) {
		return 0, fmt.Errorf("design: TruncatedNormal needs finite mean and sd > 0, got mean %v, sd %v", mean, sd)
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || !(lo < hi) {
		return 0, fmt.Errorf("design: TruncatedNormal needs lo < hi, got [%v, %v]", lo, hi)
	}
	// Standardise; reflect so that the interval's lower edge is below 0
	// (in the lower tail CDF values are tiny but precise).
	a, b := (lo-mean)/sd, (hi-mean)/sd
	reflect := a > 0
	if reflect {
		a, b, u = -b, -a, 1-u
	}
	std := distuv.Normal{Mu: 0, Sigma: 1}
	pa, pb := std.CDF(a), std.CDF(b)
	var z float64
	if pb-pa > 0 {
		z = std.Quantile(pa + u*(pb-pa))
	} else {
		// Both edges so deep in the lower tail that Phi underflows:
		// the density on [a,b] is ~ exp(-|b| (b-x)), an exponential
		// distribution decreasing away from b.
		rate := -b
		z = b + math.Log1p(-(1-u)*(-math.Expm1(-rate*(b-a))))/rate
	}
	z = min(b, max(a, z))
	if reflect {
		z = -z
	}
	return min(hi, max(lo, mean+sd*z)), nil
}
