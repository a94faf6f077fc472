package meanfield

import (
	"math"
	"math/bits"

	"github.com/msgsim/msgsim/model"
)

// choose calls fn with each set a revising agent of threshold theta in set, knowing aware,
// may end in and its probability, given the shares u: the expectation of model's choose.
func (s *solver) choose(set, aware uint8, theta float64, g *group, u []float64, fn func(chosen uint8, p float64)) {
	dec := &s.cfg.Decision
	var value, leave [model.MaxPlatforms]float64
	for j := range s.np {
		own := float64(set >> j & 1)
		a := s.n*u[j] - own
		x := a // count benefit
		if dec.Benefit != model.BenefitCount {
			x = 0
			if k := s.n - 1; k > 0 {
				x = a / k
			}
		}
		p := s.now[j]
		value[j] = p.appeal + p.weight*x - theta
		leave[j] = p.switching * g.inv[j]
	}
	used := bits.OnesCount8(set)
	var stay, leaveAll float64
	for d := set; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		stay += value[j]
		leaveAll += leave[j]
	}
	if used > 1 {
		stay -= dec.MultiHomingCost * float64(used-1)
	}
	// Staying, then at most two moves per platform.
	var gainsArr [2*model.MaxPlatforms + 1]float64
	var setsArr [2*model.MaxPlatforms + 1]uint8
	gains, sets := append(gainsArr[:0], 0), append(setsArr[:0], set)
	for j := range s.np {
		bit := uint8(1) << j
		switch {
		case !s.now[j].launched:
		case set&bit == 0 && aware&bit != 0:
			gain := value[j]
			if used > 0 {
				gain -= dec.MultiHomingCost
			}
			sets, gains = append(sets, set|bit), append(gains, gain)
			if used > 0 {
				sets, gains = append(sets, bit), append(gains, value[j]-leaveAll-stay)
			}
		case set&bit != 0:
			gain := -value[j] - leave[j]
			if used > 1 {
				gain += dec.MultiHomingCost
			}
			sets, gains = append(sets, set&^bit), append(gains, gain)
		}
	}
	if s.rule == model.RuleThreshold {
		best, bestGain, bestSize := 0, 0.0, used
		for o := 1; o < len(sets); o++ {
			if gain := gains[o]; gain > bestGain || gain == bestGain && bits.OnesCount8(sets[o]) > bestSize {
				best, bestGain, bestSize = o, gain, bits.OnesCount8(sets[o])
			}
		}
		fn(sets[best], 1)
		return
	}
	maxGain := 0.0
	for _, gain := range gains {
		maxGain = math.Max(maxGain, gain)
	}
	var weightsArr [2*model.MaxPlatforms + 1]float64
	weights := weightsArr[:len(gains)]
	var sum float64
	for o, gain := range gains {
		weights[o] = math.Exp((gain - maxGain) / dec.Temperature)
		sum += weights[o]
	}
	for o, w := range weights {
		fn(sets[o], w/sum)
	}
}
