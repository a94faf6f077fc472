package model

import (
	"math"
	"math/bits"
)

// decide returns the platform set agent i uses at the end of this step. It reads only agent
// i's own state and the start-of-step neighbour counts, and writes only agent i's awareness,
// so blocks of agents can decide concurrently. A committed agent keeps its set unchanged, and
// an agent outside the market (Config.Market) its empty set and awareness; under the
// threshold rule it also stays stale (all are at step 0, and only a choice clears it), so
// it chooses afresh on entering.
//
// The step for one agent:
//  1. Exposure. For each launched platform j the agent does not use, with the Bass hazard
//     h = 1 - exp(-(p_j + q_j a_ij/k_i)) (Bass 1969, with the share of adopted contacts) or
//     h = 1 - (1-p_j)(1-q_j)^a_ij (Goldenberg, Libai & Muller 2001) the agent hears of j.
//     Under the bass rule hearing is adopting; otherwise it makes j a candidate.
//  2. Churn: each platform in use is dropped with probability churn_j.
//  3. Revision (logit and threshold rules), with probability revision_rate: the agent
//     compares staying with each move (add a platform, switch to one, drop one) by utility.
func (s *Simulation) decide(i int, key uint64, sc *choiceScratch) uint8 {
	dec := &s.cfg.Decision
	nows, revision := &s.now, dec.RevisionRate
	if s.perAgent {
		var out bool
		if out, nows, revision = s.agentParams(i); out {
			return s.active[i]
		}
	}
	set := s.active[i]
	aware := s.aware[i]
	// A quiet agent returns before its stream is hashed: not stale (under the threshold rule,
	// nothing it chooses on has changed since it chose to stay), with nothing left to hear of
	// and nothing it could drop by churn, it would draw for nothing and keep its set.
	if s.stale != nil && s.stale[i] == 0 && (s.launched|set)&^aware|set&s.churning == 0 {
		return set
	}
	r := newStream(key, i)
	k := float64(s.degree(i))
	bass := dec.Rule == RuleBass
	// Platforms the agent could still hear of: launched, unused, and (unless bass) unknown.
	candidates := s.launched &^ set
	if !bass {
		candidates &^= aware
	}
	for d := candidates; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		if s.exposed(i, &nows[j], j, k, r.float()) {
			if bass {
				set |= 1 << j
			} else {
				aware |= 1 << j
			}
		}
	}
	knew := s.aware[i]
	aware |= set
	s.aware[i] = aware
	churned := false
	for d := set; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		if c := nows[j].churn; c > 0 && r.float() < c {
			set &^= 1 << j
			churned = true
		}
	}
	if s.stale != nil {
		if churned || aware != knew {
			s.stale[i] = 1 // it must choose afresh, whether or not it revises now
		} else if s.stale[i] == 0 {
			return set // nothing it chooses on has changed since it chose to stay
		}
	}
	if bass || churned || aware == 0 {
		return set
	}
	if revision < 1 && r.float() >= revision {
		return set
	}
	if set != 0 {
		// choose reads the investment accrued before this step in the platforms of set (an
		// agent using none has nothing to settle: its next move settles).
		s.settle(i, int32(s.step-1))
	}
	chosen := s.choose(i, set, aware, k, &r, sc)
	if s.stale != nil {
		s.stale[i] = 0
		if chosen != set {
			s.stale[i] = 1
		}
	}
	return chosen
}

// agentParams is what decide needs to know of agent i beyond the common case (see
// Simulation.perAgent): whether it sits the step out (outside the market, or committed), else
// the parameters in force for it, its segment's.
func (s *Simulation) agentParams(i int) (out bool, nows *[MaxPlatforms]platformNow, revision float64) {
	if s.market != nil && s.market.entry[i] > int32(s.step) || s.committed != nil && s.committed[i] {
		return true, nil, 0
	}
	if s.segment != nil {
		g := s.segment[i]
		return false, &s.segNow[g], s.segRevision[g]
	}
	return false, &s.now, s.cfg.Decision.RevisionRate
}

// exposed reports whether agent i hears of platform j this step, given a uniform draw u and
// the platform's parameters in force for the agent (now). Both hazards are bounded by p + q x (1 - e^{-h} <= h; 1-(1-p)(1-q)^a <= p + q a), so most
// draws are settled by the bound and the exponential is computed only for the few below it.
func (s *Simulation) exposed(i int, now *platformNow, j int, k, u float64) bool {
	a := float64(s.contactsOn(i, j))
	if s.cfg.Decision.Contagion == ContagionIndependent {
		if u >= now.p+now.q*a {
			return false
		}
		return u < 1-(1-math.Min(now.p, 1))*math.Pow(1-math.Min(now.q, 1), a)
	}
	h := now.p
	if k > 0 {
		h += now.q * a / k
	}
	if u >= h {
		return false
	}
	return u < 1-expNonPositive(-h)
}

// choiceScratch holds choose's working arrays, one per block of agents, so that a choice
// costs no stack zeroing: every entry is written before it is read.
type choiceScratch struct {
	value, leave   [MaxPlatforms]float64
	layered        [MaxPlatforms]float64 // the network benefit on the layers after the first
	gains, weights [2*MaxPlatforms + 1]float64
	sets           [2*MaxPlatforms + 1]uint8
}

// choose picks agent i's platform set among staying and the single moves from it, under the
// parameters in force for it (its segment's, with segments). Utilities follow Katz & Shapiro
// (1985) and Farrell & Klemperer (2007): for a set S,
//
//	U(S) = sum_{j in S} (appeal_j + w_j x_ij - theta_i) - m max(0, |S|-1) - sum_{j left} c_j inv_ij
//
// where x_ij is the share (or count) of i's contacts on j (with layers, w_j x_ij is the sum
// over layers of each layer's weight times its own share or count), theta_i the agent's
// threshold, m the multi-homing cost and c_j inv_ij the switching cost of leaving j with investment inv_ij.
// The logit rule picks move o with probability e^{dU_o/T} / sum e^{dU/T} (Kreindler & Young
// 2014; staying has dU = 0); the threshold rule takes the best move, a tie going to the
// option with more platforms, then to staying.
func (s *Simulation) choose(i int, set, aware uint8, k float64, r *stream, sc *choiceScratch) uint8 {
	dec := &s.cfg.Decision
	value, leave := &sc.value, &sc.leave
	nows, theta := &s.now, s.thetaConst
	if s.theta != nil {
		theta = float64(s.theta[i])
	}
	if s.segment != nil {
		g := s.segment[i]
		nows = &s.segNow[g]
		if s.segTheta != nil {
			theta = s.segTheta[g]
		}
	}
	fraction := dec.Benefit == BenefitFraction
	perContact := 1.0 // benefit per contact on the platform
	if fraction {
		perContact = 0
		if k > 0 {
			perContact = 1 / k
		}
	}
	// The threshold rule decides ties, so it takes x = a/k by one correctly rounded division
	// (a x (1/k) rounds twice): with zero appeal and unit weight the sign of x - theta is then
	// exactly that of a/k - theta, and a decimal tie such as 7 of 10 contacts against 0.7 is a
	// tie. The logit rule, which no rounding of x can sway, keeps the multiplication: a
	// division per platform costs it about 5% of a step.
	divide := dec.Rule == RuleThreshold && fraction && k > 0
	// The layers' benefits are summed before the loop below, so that the loop calls nothing
	// and keeps its values in registers.
	layered := s.layers != nil
	if layered {
		for d := s.launched & (set | aware); d != 0; d &= d - 1 {
			j := bits.TrailingZeros8(d)
			sc.layered[j] = s.layerBenefit(i, j, &nows[j], fraction)
		}
	}
	for d := s.launched & (set | aware); d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		now := &nows[j]
		a := float64(s.contactsOn(i, j))
		benefit := now.networkWeight * perContact * a
		if divide {
			benefit = now.networkWeight * (a / k)
		}
		if layered {
			benefit += sc.layered[j]
		}
		value[j] = now.appeal + benefit - theta
		if set&(1<<j) != 0 {
			leave[j] = now.switchingCost * float64(s.investment[i*s.np+j])
		}
	}
	used := bits.OnesCount8(set)
	// Staying's utility and the cost of leaving everything, for the switch moves.
	var stay, leaveAll float64
	for d := set; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		stay += value[j]
		leaveAll += leave[j]
	}
	if used > 1 {
		stay -= dec.MultiHomingCost * float64(used-1)
	}
	// Moves relative to staying: at most 2 per platform, plus staying itself.
	gains, sets := &sc.gains, &sc.sets
	n := 1
	sets[0] = set
	for j := 0; j < s.np; j++ {
		bit := uint8(1) << j
		switch {
		case !s.now[j].launched:
		case set&bit == 0 && aware&bit != 0:
			gain := value[j]
			if used > 0 {
				gain -= dec.MultiHomingCost
			}
			sets[n], gains[n] = set|bit, gain
			n++
			if used > 0 {
				sets[n], gains[n] = bit, value[j]-leaveAll-stay
				n++
			}
		case set&bit != 0:
			gain := -value[j] - leave[j]
			if used > 1 {
				gain += dec.MultiHomingCost
			}
			sets[n], gains[n] = set&^bit, gain
			n++
		}
	}
	if dec.Rule == RuleThreshold {
		// The best move; a tie goes to the option with more platforms, then to staying. So,
		// with one platform, an agent takes it up when appeal + w x >= theta and keeps it while
		// appeal + w x >= theta - switching cost x investment: Watts's (2002) a/k >= phi.
		best, bestGain, bestSize := 0, 0.0, used
		for o := 1; o < n; o++ {
			if gain := gains[o]; gain > bestGain || gain == bestGain && bits.OnesCount8(sets[o]) > bestSize {
				best, bestGain, bestSize = o, gain, bits.OnesCount8(sets[o])
			}
		}
		return sets[best]
	}
	// Softmax, shifted by the largest gain so exp never overflows. The best move weighs
	// exactly 1 and needs no exp; choiceExp gives 0 for moves more than 37 temperatures
	// worse, whose weight (under 2^-53 of the best's) could not change a float64 draw.
	best, maxGain := 0, 0.0
	for o := 1; o < n; o++ {
		if gains[o] > maxGain {
			best, maxGain = o, gains[o]
		}
	}
	weights := &sc.weights
	invT := 1 / dec.Temperature
	var sum float64
	for o := 0; o < n; o++ {
		switch z := (gains[o] - maxGain) * invT; {
		case o == best:
			weights[o] = 1
		default:
			weights[o] = choiceExp(z)
		}
		sum += weights[o]
	}
	u := r.float() * sum
	for o := 0; o < n; o++ {
		u -= weights[o]
		if u < 0 {
			return sets[o]
		}
	}
	return sets[n-1]
}
