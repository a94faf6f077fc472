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

// The logit choice needs e^z for z in [-37, 0] (weights below e^-37 cannot change a float64
// draw) millions of times per step; a table with linear interpolation gives it with a relative
// error below 1.1e-5 in a third less time than expNonPositive. Exposure hazards keep the
// polynomial: near 0 the table's chord would bias small hazards by half a step.
const (
	choiceExpMin  = -37.0
	choiceExpSize = 4096
)

var choiceExpTable = func() [choiceExpSize + 2]float64 {
	var t [choiceExpSize + 2]float64
	for i := range t {
		t[i] = math.Exp(choiceExpMin * float64(i) / choiceExpSize)
	}
	return t
}()

// choiceExp returns e^z for z <= 0 from the table, 0 below -37.
func choiceExp(z float64) float64 {
	if z < choiceExpMin {
		return 0
	}
	f := z * (choiceExpSize / choiceExpMin)
	i := int(f)
	return choiceExpTable[i] + (f-float64(i))*(choiceExpTable[i+1]-choiceExpTable[i])
}
