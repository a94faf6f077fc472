package model

import (
	"math"
	"math/bits"
)

// decide returns the platform set agent i uses at the end of this step. It reads only agent
// i's own state and the start-of-step neighbour counts, and writes only agent i's awareness,
// so blocks of agents can decide concurrently. A committed agent keeps its set unchanged, and
// an agent outside the market (Config.Market) its empty set and awareness; where agents carry
// staleness it also stays stale (all are at step 0, and only a choice clears it), so it
// chooses afresh on entering.
//
// The step for one agent:
//  1. Exposure. For each launched platform j the agent does not use, with the Bass hazard
//     h = 1 - exp(-(p_j + q_j a_ij/k_i)) (Bass 1969, with the share of adopted contacts) or
//     h = 1 - (1-p_j)(1-q_j)^a_ij (Goldenberg, Libai & Muller 2001) the agent hears of j.
//     Under the bass rule hearing is adopting; otherwise it makes j a candidate.
//  2. Churn: each platform in use is dropped with probability churn_j.
//  3. Revision (logit and threshold rules), with probability revision_rate: the agent
//     compares staying with each move (add a platform, switch to one, drop one) by utility.
//
// set is agent i's set at the start of its decision, s.active[i], which the caller has loaded.
func (s *Simulation) decide(i int, set uint8, key uint64, sc *choiceScratch) uint8 {
	nows, revision := &s.now, s.cfg.Decision.RevisionRate
	if s.perAgent {
		var out bool
		if out, nows, revision = s.agentParams(i); out {
			return set
		}
	}
	// The agent's awareness and staleness are read and written through pointers taken once:
	// each index of s.aware or s.stale is a load of the slice and a bounds check. (With the set
	// passed in and the bass flag in decisionRules: -2.4% of a busy threshold step's
	// instructions, callgrind, steps 1-8 at 1e5 agents.)
	pa := &s.aware[i]
	aware := *pa
	var stale *uint8
	if s.stale != nil {
		stale = &s.stale[i]
		// A quiet agent returns before its stream is hashed: not stale (under the threshold
		// rule, nothing it chooses on has changed since it chose to stay), with nothing left to
		// hear of and nothing it could drop by churn, it would draw for nothing and keep its set.
		if *stale == 0 && (s.launched|set)&^aware|set&s.churning == 0 {
			if s.stayBound == nil {
				return set
			}
			// A quiet logit agent draws only to revise and to choose: most are settled here
			// by their stay bound, before the work below (which, from the same stream, comes
			// to the same draws for the few others).
			r := newStream(key, i)
			if revision < 1 && r.float() >= revision || s.boundStays(i, &r) {
				return set
			}
		}
	}
	r := newStream(key, i)
	k := float64(s.degree(i))
	rules := sc.rules(s)
	bass := rules.bass
	// Platforms the agent could still hear of: launched, unused, and (unless bass) unknown.
	candidates := s.launched &^ set
	if !bass {
		candidates &^= aware
	}
	knew := aware
	for d := candidates; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		now, u := &nows[j], r.float()
		a := float64(s.contactsOn(i, j))
		// Most draws are settled by the bound, without a call.
		if h := rules.hazardBound(now.p, now.q, a, k); u < h && rules.hears(now, a, h, u) {
			if bass {
				set |= 1 << j
			} else {
				aware |= 1 << j
			}
		}
	}
	aware |= set
	*pa = aware
	churned := false
	// Only platforms in s.churning can be dropped; the others' churn is 0 under every
	// segment's parameters, so they draw nothing and need no visit.
	for d := set & s.churning; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		if c := nows[j].churn; c > 0 && r.float() < c {
			set &^= 1 << j
			churned = true
		}
	}
	if stale != nil {
		if churned || aware != knew {
			*stale = 1 // it must choose afresh, whether or not it revises now
		} else if *stale == 0 && s.stayBound == nil {
			return set // nothing it chooses on has changed since it chose to stay
		}
	}
	if bass || churned || aware == 0 {
		return set
	}
	if revision < 1 && r.float() >= revision {
		return set
	}
	if s.stayBound != nil {
		// A logit agent that is not stale stays, with no choice worked out, when its bound
		// settles the draw the choice would take (see cachesStayBounds).
		if *stale == 0 && s.boundStays(i, &r) {
			return set
		}
		*stale = 1 // until choose stores a new bound
	}
	chosen := s.choose(i, set, aware, k, &r, sc)
	if stale != nil {
		if s.stayBound == nil {
			*stale = 0 // a threshold agent's choice is its inputs' own
		}
		if chosen != set {
			*stale = 1
		}
	}
	return chosen
}

// boundStays reports whether agent i's stay bound settles the draw its choice would take
// next from r: staying (see cachesStayBounds). Only for an agent that is not stale.
func (s *Simulation) boundStays(i int, r *stream) bool {
	return float64(s.stayBound[i]) <= stayBounds[r.nextRange()]
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

// hazardBound bounds the chance that an agent with a contacts on a platform, of its k,
// hears of it this step under the platform's parameters in force for it, p and q. Both
// hazards are bounded by p + q x (1 - e^{-h} <= h; 1-(1-p)(1-q)^a <= p + q a), so most draws
// are settled by the bound, and hears, with its exponential or power, is asked only about the
// few below it.
func (rules *decisionRules) hazardBound(p, q, a, k float64) float64 {
	if rules.independent {
		return p + q*a
	}
	h := p
	if k > 0 {
		h += q * a / k
	}
	return h
}

// hears reports whether a draw u below hazardBound(now.p, now.q, a, k) = h hears of the
// platform.
func (rules *decisionRules) hears(now *platformNow, a, h, u float64) bool {
	if rules.independent {
		return u < 1-(1-math.Min(now.p, 1))*math.Pow(1-math.Min(now.q, 1), a)
	}
	return u < 1-expNonPositive(-h)
}

// choiceScratch holds choose's working arrays, one per block of agents, so that a choice
// costs no stack zeroing: every entry is written before it is read. It also keeps the run's
// decisionRules.
type choiceScratch struct {
	value, leave   [MaxPlatforms]float64
	layered        [MaxPlatforms]float64 // the network benefit on the layers after the first
	gains, weights [2*MaxPlatforms + 1]float64
	sets           [2*MaxPlatforms + 1]uint8
	decisionRules  decisionRules
}

// decisionRules is what every decision of a run shares, worked out on a block's first
// decision rather than per agent: the rule, benefit and contagion are strings, and 1/T a
// division.
type decisionRules struct {
	ready       bool
	two         bool // two platforms on one layer, whose moves chooseTwo writes out
	bass        bool // the bass rule: hearing is adopting, and no agent revises
	threshold   bool // the threshold rule, else logit
	fraction    bool // the benefit is the share of contacts, else their number
	layered     bool // there are layers after the first
	independent bool // independent contagion, else by the share of contacts
	invT        float64
	multiHoming float64
}

// rules returns the run's decisionRules, working them out on the block's first decision.
func (sc *choiceScratch) rules(s *Simulation) *decisionRules {
	if !sc.decisionRules.ready {
		dec := &s.cfg.Decision
		sc.decisionRules = decisionRules{
			ready: true, two: s.np == 2 && s.layers == nil, threshold: dec.Rule == RuleThreshold,
			bass: dec.Rule == RuleBass, fraction: dec.Benefit == BenefitFraction, layered: s.layers != nil,
			independent: dec.Contagion == ContagionIndependent, invT: 1 / dec.Temperature,
			multiHoming: dec.MultiHomingCost,
		}
	}
	return &sc.decisionRules
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
//
// Two platforms on one layer, as in every shipped scenario, take chooseTwo; other platform
// counts, layers, and an agent using a platform not yet launched (seeded before its launch)
// take chooseAny.
func (s *Simulation) choose(i int, set, aware uint8, k float64, r *stream, sc *choiceScratch) uint8 {
	rules := sc.rules(s)
	v := s.valuation(i, k, rules)
	if !rules.two || set&^s.launched != 0 {
		return s.chooseAny(i, set, aware, k, v, rules, r, sc)
	}
	return s.chooseTwo(i, set, aware, float64(s.contactsOn(i, 0)), float64(s.contactsOn(i, 1)), k, v, rules, *r)
}

// valuation is agent i's valuation (see choose), given its degree k.
func (s *Simulation) valuation(i int, k float64, rules *decisionRules) valuation {
	if s.segment == nil {
		return rules.valuation(&s.now, s.baseThreshold(i), k)
	}
	g := s.segment[i]
	if s.segTheta != nil {
		return rules.valuation(&s.segNow[g], s.segTheta[g], k)
	}
	return rules.valuation(&s.segNow[g], s.baseThreshold(i), k)
}

// baseThreshold is agent i's threshold unless its segment sets one: its draw, or the
// scenario's constant.
func (s *Simulation) baseThreshold(i int) float64 {
	if theta := s.theta; theta != nil {
		return float64(theta[i])
	}
	if s.uniformTheta == nil {
		return s.thetaConst
	}
	return float64(s.drawnThreshold(i))
}

// valuation is the valuation of an agent of degree k under the parameters nows and of
// threshold theta.
func (rules *decisionRules) valuation(nows *[MaxPlatforms]platformNow, theta, k float64) valuation {
	// The threshold rule decides ties, so it takes x = a/k by one correctly rounded division
	// (a x (1/k) rounds twice): with zero appeal and unit weight the sign of x - theta is then
	// exactly that of a/k - theta, and a decimal tie such as 7 of 10 contacts against 0.7 is a
	// tie. The logit rule, which no rounding of x can sway, keeps the multiplication: a
	// division per platform costs it about 5% of a step.
	perContact, divide := 1.0, false
	switch {
	case !rules.fraction:
	case rules.threshold && k > 0:
		divide = true
	case k > 0:
		perContact = 1 / k
	default:
		perContact = 0
	}
	return valuation{nows: nows, theta: theta, perContact: perContact, divide: divide}
}

// chooseTwo is choose for two platforms on one layer and an agent i that uses no platform not
// yet launched, with a0 and a1 its contacts on each platform and r its stream, from which it
// takes at most one draw (a copy: nothing draws after a choice). The moves of each of the four
// sets are written out, in chooseAny's order and with its float operations, so that the same
// draw picks the same move; an absent move is padded as gain -Inf, which no rule picks. It
// calls nothing, so the compiler keeps its values in registers.
func (s *Simulation) chooseTwo(i int, set, aware uint8, a0, a1, k float64, v valuation, rules *decisionRules, r stream) uint8 {
	known := s.launched & (set | aware)
	var v0, v1 float64
	if known&1 != 0 {
		v0 = rules.value(v, 0, a0, k, 0)
	}
	if known&2 != 0 {
		v1 = rules.value(v, 1, a1, k, 0)
	}
	mh := rules.multiHoming
	none := math.Inf(-1)
	// The moves after staying (gain 0), in chooseAny's order; the last one listed stands in
	// for the padding, which chooseAny's draw falls back to when rounding leaves it short.
	var g1, g2, g3 float64
	var s1, s2, s3 uint8
	used := 0
	switch set {
	case 0: // adopt either
		switch known {
		case 3:
			g1, s1, g2, s2, g3, s3 = v0, 1, v1, 2, none, 2
		case 1:
			g1, s1, g2, s2, g3, s3 = v0, 1, none, 1, none, 1
		case 2:
			g1, s1, g2, s2, g3, s3 = v1, 2, none, 2, none, 2
		default:
			return set
		}
	case 1: // drop 0; add 1, or switch to it
		used = 1
		l0 := s.leavingTwo(v, i, 0)
		g1, s1 = -v0-l0, 0
		if known&2 != 0 {
			g2, s2, g3, s3 = v1-mh, 3, v1-l0-v0, 2
		} else {
			g2, s2, g3, s3 = none, 0, none, 0
		}
	case 2: // add 0, or switch to it; drop 1
		used = 1
		l1 := s.leavingTwo(v, i, 1)
		if known&1 != 0 {
			g1, s1, g2, s2, g3, s3 = v0-mh, 3, v0-l1-v1, 1, -v1-l1, 0
		} else {
			g1, s1, g2, s2, g3, s3 = -v1-l1, 0, none, 0, none, 0
		}
	default: // drop either
		used = 2
		l0 := s.leavingTwo(v, i, 0)
		l1 := s.leavingTwo(v, i, 1)
		g1, s1, g2, s2, g3, s3 = -v0-l0+mh, 2, -v1-l1+mh, 1, none, 1
	}
	if rules.threshold {
		best := bestMove{set: set, size: used}
		best.consider(g1, s1)
		best.consider(g2, s2)
		best.consider(g3, s3)
		return best.set
	}
	// chooseAny's softmax written out. The best move's weight, which chooseAny sets to 1,
	// comes out of choiceExp(0) as exactly 1, and staying's is 1 without it when it is the
	// best (its gain is 0; most agents stay); padding weighs 0, which leaves the sum and the
	// walk as they were.
	m := 0.0
	if g1 > m {
		m = g1
	}
	if g2 > m {
		m = g2
	}
	if g3 > m {
		m = g3
	}
	invT := rules.invT
	draw := r.float()
	w0 := 1.0
	if m > 0 {
		w0 = choiceExp((0 - m) * invT)
	} else {
		// The largest gain, by comparisons: the builtin max, which orders NaNs and signed
		// zeros, cost 26 instructions here.
		best := g1
		if g2 > best {
			best = g2
		}
		if g3 > best {
			best = g3
		}
		if s.stayBound != nil {
			s.stayBound[i], s.stale[i] = ceilFloat32(best*invT), 0
		}
		if best*invT <= stayBounds[int(draw*stayBuckets)] {
			return set
		}
	}
	w1 := choiceExp((g1 - m) * invT)
	w2 := choiceExp((g2 - m) * invT)
	w3 := choiceExp((g3 - m) * invT)
	// Rounded before the walk, as chooseAny's loop has it: an architecture that fuses
	// multiply-adds (arm64) would otherwise fuse the draw into its first subtraction.
	u := float64(draw * (w0 + w1 + w2 + w3))
	if u -= w0; u < 0 {
		return set
	}
	if u -= w1; u < 0 {
		return s1
	}
	if u -= w2; u < 0 {
		return s2
	}
	return s3
}

// staysSurely reports, from one exponential instead of three, that chooseTwo's logit walk
// stays, for an agent whose best move is staying (gain 0, weight 1) and whose
// three other moves' gains, times 1/T, are at most z. Each of their weights, choiceExp of
// their scaled gain, is then at most w = choiceExp(z) (rounding and choiceExp are
// monotonic), so the walk's total ((1 + w1) + w2) + w3 is at most ((1 + w) + w) + w, and
// the rounded product with the draw u too (IEEE rounding is monotonic): below 1 it leaves
// the walk's u - 1 negative, which is staying. 97% of the choices in BenchmarkSmallRuns have
// staying as their best move, and this settles 96% of those. chooseTwo asks it through
// stayBounds.
func staysSurely(u, z float64) bool {
	w := choiceExp(z)
	return float64(u*float64(float64(float64(1+w)+w)+w)) < 1
}

// stayBuckets is the number of equal ranges of draws in [0, 1) that stayBounds has a bound
// for, 2^stayBucketBits.
const (
	stayBucketBits = 8
	stayBuckets    = 1 << stayBucketBits
)

// stayBounds[b] is the largest z for which staysSurely(u, z) holds for every draw u of the
// b-th range, [b, b+1)/stayBuckets: staysSurely grows harder to meet as u or z grows, so the
// bound worked out for the range's last draw holds for all of it. chooseTwo compares its
// agent's largest scaled gain with it, which takes the exponential and the walk's sums off
// the path from an agent's counts to its choice. Asked directly, staysSurely saved 2.7% of
// BenchmarkSmallRuns' instructions but no time (the CPU had overlapped the three exponentials
// it saves); this table, which settles 96.1% of the choices whose best move is staying
// (staysSurely: 96.5%), cut a further 3.8% of its instructions and 3% of its CPU time on one
// core (both together: -6.4% instructions; BenchmarkSweepThroughput -6.7%).
var stayBounds = func() [stayBuckets]float64 {
	var bounds [stayBuckets]float64
	for b := range bounds {
		last := math.Nextafter(float64(b+1)/stayBuckets, 0)
		// Bisection between a z that stays (below choiceExpMin every weight is 0) and one
		// that may not, down to adjacent floats.
		lo, hi := 2*choiceExpMin, 0.0
		if staysSurely(last, hi) {
			lo = hi
		}
		for math.Nextafter(lo, 0) < hi {
			if mid := lo + (hi-lo)/2; staysSurely(last, mid) {
				lo = mid
			} else {
				hi = mid
			}
		}
		bounds[b] = lo
	}
	return bounds
}()

// cachesStayBounds reports whether a run of cfg keeps, for each logit agent that is not
// stale, a bound on its moves' largest gain times 1/T (Simulation.stayBound): a logit agent
// chooses every step, but while it is not stale its gains only fall (its investment only
// grows, which only makes leaving dearer), so the bound chooseTwo worked out when staying was
// its best move stays a bound, and when stayBounds says that bound stays for the step's draw,
// so does the walk: decide returns before choose. Runs with two platforms on one graph (the
// moves chooseTwo writes out) and fewer than 2^26 agents keep it, at 4 bytes per agent (with the
// staleness, which the other rules' runs already count). In BenchmarkSmallRuns half the
// agents' steps are settled at decide's head and a sixth more before choose: -31% of its
// instructions, and BenchmarkSweepThroughput 37.8 -> 51.1 runs a second on 2 workers. In a
// busy step, where most bounds go stale at once, they cost about 7% (BenchmarkBusyStep, logit).
func cachesStayBounds(cfg *Config) bool {
	return cfg.Decision.Rule == RuleLogit && cfg.FirstGraph().Kind != GraphComplete && len(cfg.Platforms) == 2 &&
		len(cfg.Layers) <= 1 && cfg.Agents < stayBoundsBelow
}

// stayBoundsBelow is the number of agents from which a run keeps no stay bounds: the largest
// runs, which the memory target (3e8 agents in 12 GiB) is about, spend no 4 bytes per agent
// on them, as they store no uniform thresholds (redrawThresholdsFrom, the same bound).
const stayBoundsBelow = redrawThresholdsFrom

// ceilFloat32 is the smallest float32 at or above z, for z <= 0 (a largest gain that is not
// above staying's): stored as a bound, it must not fall below z.
func ceilFloat32(z float64) float32 {
	b := float32(z)
	// One step toward zero when rounding went below z (b < z <= 0), chosen without a branch,
	// which half the stores mispredicted (its line took 3.7% of BenchmarkSweepThroughput's
	// CPU time; without it, 1.5-3% more runs a second).
	var down uint32
	if float64(b) < z {
		down = 1
	}
	return math.Float32frombits(math.Float32bits(b) - down)
}

// leavingTwo is, with two platforms, agent i's cost of leaving platform j, rounded on its own
// as chooseAny's stored costs are (an architecture that fuses multiply-adds, such as arm64,
// would otherwise fuse it into the gains).
func (s *Simulation) leavingTwo(v valuation, i, j int) float64 {
	return float64(v.nows[j].switchingCost * float64(s.usedInvestment(i, j, int32(s.step-1))))
}

// valuation is what the utilities of an agent's platforms depend on besides its counts and
// the run's decisionRules (see choose). It has four fields, so that the compiler keeps it in
// registers.
type valuation struct {
	nows       *[MaxPlatforms]platformNow // the parameters in force for the agent
	theta      float64                    // its threshold
	perContact float64                    // its benefit per contact at unit weight
	divide     bool                       // its share of contacts is taken by division instead
}

// value is an agent's utility of platform j on its own, appeal_j + w_j x_j - theta, given its
// valuation, its number of contacts a on j, its degree k and its benefit on the layers after
// the first (layered).
func (rules *decisionRules) value(v valuation, j int, a, k, layered float64) float64 {
	now := &v.nows[j]
	benefit := now.networkWeight * v.perContact * a
	if v.divide {
		benefit = now.networkWeight * (a / k)
	}
	if rules.layered {
		benefit += layered
	}
	return now.appeal + benefit - v.theta
}

// chooseAny is choose for any number of platforms, given the agent's valuation v.
func (s *Simulation) chooseAny(i int, set, aware uint8, k float64, v valuation, rules *decisionRules, r *stream, sc *choiceScratch) uint8 {
	value, leave := &sc.value, &sc.leave
	// The layers' benefits are summed before the loop below, so that the loop calls nothing
	// and keeps its values in registers.
	if rules.layered {
		for d := s.launched & (set | aware); d != 0; d &= d - 1 {
			j := bits.TrailingZeros8(d)
			sc.layered[j] = s.layerBenefit(i, j, &v.nows[j], rules.fraction)
		}
	}
	for d := s.launched & (set | aware); d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		value[j] = rules.value(v, j, float64(s.contactsOn(i, j)), k, sc.layered[j])
		if set&(1<<j) != 0 {
			leave[j] = v.nows[j].switchingCost * float64(s.usedInvestment(i, j, int32(s.step-1)))
		}
	}
	used := bits.OnesCount8(set)
	gains, sets := &sc.gains, &sc.sets
	n := Moves(set, aware, s.launched, s.np, value, leave, rules.multiHoming, sets, gains)
	if rules.threshold {
		// The best move; a tie goes to the option with more platforms, then to staying. So,
		// with one platform, an agent takes it up when appeal + w x >= theta and keeps it
		// while appeal + w x >= theta - switching cost x investment: Watts's (2002) a/k >= phi.
		return BestMove(sets, gains, n, used)
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
	var sum float64
	for o := 0; o < n; o++ {
		switch z := (gains[o] - maxGain) * rules.invT; {
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

// Moves lists a revising agent's options in the order every rule weighs them, the expected
// dynamics of model/meanfield included: staying (gain 0) first, then for each launched
// platform j in turn, if the agent knows j without using it, adding j and, if it uses
// something, switching to j alone; if it uses j, dropping j. value[j] is U_j, the utility of
// using j before the multi-homing cost, and leave[j] the cost of leaving j (see choose's U);
// only the entries of launched platforms the agent knows or uses are read. The gains are
// relative to staying, with multiHoming the cost of each platform past the first. It fills
// sets and gains from index 0 and returns how many options there are.
func Moves(set, aware, launched uint8, platforms int, value, leave *[MaxPlatforms]float64, multiHoming float64,
	sets *[2*MaxPlatforms + 1]uint8, gains *[2*MaxPlatforms + 1]float64) int {
	used := bits.OnesCount8(set)
	// Staying's utility and the cost of leaving everything, for the switch moves.
	var stay, leaveAll float64
	for d := set; d != 0; d &= d - 1 {
		j := bits.TrailingZeros8(d)
		stay += value[j]
		leaveAll += leave[j]
	}
	if used > 1 {
		stay -= multiHoming * float64(used-1)
	}
	n := 1
	sets[0], gains[0] = set, 0
	for j := 0; j < platforms; j++ {
		bit := uint8(1) << j
		switch {
		case launched&bit == 0:
		case set&bit == 0 && aware&bit != 0:
			gain := value[j]
			if used > 0 {
				gain -= multiHoming
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
				gain += multiHoming
			}
			sets[n], gains[n] = set&^bit, gain
			n++
		}
	}
	return n
}

// BestMove is the threshold rule's pick among the options Moves lists (n of them, staying
// first, for an agent using used platforms): the largest gain; a tie goes to the option with
// more platforms, then to the option listed first.
func BestMove(sets *[2*MaxPlatforms + 1]uint8, gains *[2*MaxPlatforms + 1]float64, n, used int) uint8 {
	best := bestMove{set: sets[0], size: used}
	for o := 1; o < n; o++ {
		best.consider(gains[o], sets[o])
	}
	return best.set
}

// bestMove is the threshold rule's pick so far: a set, its gain over staying and its size.
type bestMove struct {
	set  uint8
	gain float64
	size int
}

// consider takes the move to set o, of gain g, if it beats the best so far: a larger gain,
// or an equal one with more platforms. Otherwise the option considered first keeps it,
// staying before every move.
func (b *bestMove) consider(g float64, o uint8) {
	if g > b.gain || g == b.gain && bits.OnesCount8(o) > b.size {
		b.set, b.gain, b.size = o, g, bits.OnesCount8(o)
	}
}
