package meanfield

import (
	"math"
	"math/bits"

	"github.com/msgsim/msgsim/model"
)

// choose calls fn with each set a revising agent of threshold theta in set, knowing aware,
// may end in and its probability, given the shares u and the launched platforms: the
// expectation of model's choose, over the same options (model.Moves).
func (s *solver) choose(set, aware, launched uint8, theta float64, g *group, u []float64, fn func(chosen uint8, p float64)) {
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
	var setsArr [2*model.MaxPlatforms + 1]uint8
	var gainsArr [2*model.MaxPlatforms + 1]float64
	n := model.Moves(set, aware, launched, s.np, &value, &leave, dec.MultiHomingCost, &setsArr, &gainsArr)
	sets, gains := setsArr[:n], gainsArr[:n]
	if s.rule == model.RuleThreshold {
		fn(model.BestMove(&setsArr, &gainsArr, n, bits.OnesCount8(set)), 1)
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
