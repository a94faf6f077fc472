package model

import "math/bits"

// Investment. An agent's investment in a platform grows by inv += rate (1 - inv) in float32 at
// the end of each step it uses the platform, from 0, and never shrinks; the rate is the
// platform's own at every step (no intervention or segment changes it: events.go
// applyParams, segments.go). So the investment is a function of the platform and of the
// number of steps of use alone: curves[j][k], the recurrence run k times, computed once per
// run. An agent then carries, per platform, only its steps of use (Simulation.use16), and no
// step accrues anything: the same float32 operations in the same order as accruing at the end
// of every step, so the investment is bit for bit what eager accrual gives.
//
// Steps of use are kept as a mark that changes only when the agent's set does: for a
// platform the agent does not use, the mark is its steps of use; for one it uses, the last
// step accrued minus its steps of use, so that its steps of use are the last step accrued
// minus the mark. A platform joined or left at last-step-accrued b turns one form into the
// other by mark = b - mark, both ways. In a run of fewer than 2^16 steps the marks are
// uint16 and this arithmetic is modulo 2^16, exact since no count of steps reaches 2^16: 2
// bytes per agent and platform, 1.1 GiB less than int32 marks at 3e8 agents and 2 platforms.
//
// Before this, each agent carried its float32 investments and the last step they were
// accrued through (4 bytes more per agent), replayed the recurrence step by step when read
// (the threshold rule), or accrued every user's investment every step (the logit rule): with
// two platforms, 12 -> 4 bytes per agent, and BenchmarkSmallRuns -4.6% instructions.

// startInvestment sets up the steps of use and the investment curves, when some platform's
// investment grows; otherwise every investment is 0 and nothing is allocated.
func (s *Simulation) startInvestment() {
	if !accrues(s.cfg.Platforms) {
		return
	}
	if narrowUse(s.cfg.Steps) {
		s.use16 = make([]uint16, s.n*s.np)
	} else {
		s.use32 = make([]int32, s.n*s.np)
	}
	for j, p := range s.cfg.Platforms {
		s.curves[j] = investmentCurve(float32(p.InvestmentRate), s.cfg.Steps)
	}
}

// narrowUse reports whether a run of the given steps keeps its steps of use as uint16: no
// count of steps reaches 2^16 in it.
func narrowUse(steps int) bool { return steps < 1<<16 }

// investmentCurve is the investment after k = 0, 1, ..., steps steps of use at the given rate.
func investmentCurve(rate float32, steps int) []float32 {
	curve := make([]float32, steps+1)
	for k := 1; k <= steps; k++ {
		inv := curve[k-1]
		inv += rate * (1 - inv)
		curve[k] = inv
	}
	return curve
}

// usedInvestment is agent i's investment in platform j, which it uses, accrued through step
// `through` (every step before the one being decided). Small enough to be inlined into
// chooseTwo.
func (s *Simulation) usedInvestment(i, j int, through int32) float32 {
	if s.use16 != nil {
		return s.curves[j][uint16(through)-s.use16[i*s.np+j]]
	}
	if s.use32 != nil {
		return s.curves[j][through-s.use32[i*s.np+j]]
	}
	return 0
}

// markUse records that agent i's set changes from old to set after step `through` accrued: the
// steps of use of each platform joined or left turn from one form of the mark into the other.
// Every change of an agent's set passes here first.
func (s *Simulation) markUse(i int, old, set uint8, through int32) {
	for d := old ^ set; d != 0; d &= d - 1 {
		x := i*s.np + bits.TrailingZeros8(d)
		switch {
		case s.use16 != nil:
			s.use16[x] = uint16(through) - s.use16[x]
		case s.use32 != nil:
			s.use32[x] = through - s.use32[x]
		}
	}
}

// accrues reports whether any platform's investment grows: if none does, nothing accrues.
func accrues(platforms []Platform) bool {
	for _, p := range platforms {
		if p.InvestmentRate > 0 {
			return true
		}
	}
	return false
}
