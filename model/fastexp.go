package model

import "math"

// expNonPositive returns e^x for x <= 0 with a relative error below 2e-7, ample for choice
// probabilities. It is pure Go, so draws are the same on every architecture, and about twice
// as fast as math.Exp, which dominated the logit step: range reduction e^x = 2^k e^r with
// |r| <= ln2/2, then the degree-6 Taylor polynomial of e^r evaluated by Estrin's scheme, whose
// short dependency chains let the CPU overlap the multiplications.
func expNonPositive(x float64) float64 {
	if x < -708 {
		return 0
	}
	k := int64(x*math.Log2E - 0.5) // rounds to nearest for x <= 0 (conversion truncates toward 0)
	r := x - float64(k)*math.Ln2
	r2 := r * r
	p := (1 + r) + r2*(1.0/2+r*(1.0/6)) + r2*r2*((1.0/24+r*(1.0/120))+r2*(1.0/720))
	return p * math.Float64frombits(uint64(k+1023)<<52)
}
