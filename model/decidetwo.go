package model

import "github.com/msgsim/msgsim/model/graph"

// decidesTwo reports whether this synchronous step decides through decideTwo: two platforms
// on one graph (not the complete graph, which has no counts), as in every shipped scenario,
// both launched, in a run without per-agent parameters (segments, a growing market or
// commitments: Simulation.perAgent), the bass rule or churn this step. Other steps' agents,
// and every random-sequential step's, call decide.
func (s *Simulation) decidesTwo() bool {
	return s.np == 2 && s.layers == nil && s.g != nil && !s.perAgent && s.churning == 0 && s.launched == 3 &&
		s.cfg.Decision.Rule != RuleBass && !s.decideEachAgent
}

// decideBlockTwo decides agents lo to hi-1 of a synchronous step that decidesTwo, and records
// their moves in res, with the graph's offsets and counts at their widths.
func (s *Simulation) decideBlockTwo(lo, hi int, key uint64, res *blockResult) {
	switch g, c := s.g, &s.counts; {
	case g.Narrow != nil && c.narrow != nil:
		decideTwo(s, g.Narrow, c.narrow, lo, hi, key, res)
	case g.Narrow != nil:
		decideTwo(s, g.Narrow, c.wide, lo, hi, key, res)
	case c.narrow != nil:
		decideTwo(s, g.Wide, c.narrow, lo, hi, key, res)
	default:
		decideTwo(s, g.Wide, c.wide, lo, hi, key, res)
	}
}

// decideTwo is decide, step for step and draw for draw, for agents lo to hi-1 of a step that
// decidesTwo, in one loop over them. Without churn or the bass rule an agent's set changes
// only by its choice, so every early return of decide is a continue here; the parameters
// are the run's, read once; degrees and counts come from the slices of their widths; the
// two platforms' exposures are written out; and only choices, moves and the rare draws below
// a hazard bound call out, which leaves the compiler fewer values to spill around calls.
// BenchmarkBusyStep at 1e6 agents on one core, against decide for each agent: threshold
// 43.1 -> 35.2 ms (-18%), logit 46.7 -> 42.4 ms (-9%); BenchmarkSweepThroughput +14%.
// TestDecideTwoMatchesDecide checks it against decide.
func decideTwo[O graph.Offset, C count](s *Simulation, offsets []O, counts []C, lo, hi int, key uint64, res *blockResult) {
	rules := res.scratch.rules(s)
	bounds, launched, revision := s.stayBound != nil, s.launched, s.cfg.Decision.RevisionRate
	p0, q0, p1, q1 := s.now[0].p, s.now[0].q, s.now[1].p, s.now[1].q
	skim, launchedOctet := s.skims(), octet(launched)
	before := int32(s.step - 1)
	offsets, counts = offsets[:hi+1], counts[:2*hi]
	active, awares := s.active[:hi], s.aware[:hi]
	var stale []uint8
	if s.stale != nil {
		stale = s.stale[:hi]
	}
	for i := lo; i < hi; i++ {
		if skim && i&7 == 0 && i+8 <= hi && s.quietOctet(i, launchedOctet, 0) {
			i += 7 // and the loop's increment: the next octet
			continue
		}
		set, knew := active[i], awares[i]
		if stale != nil && stale[i] == 0 && (launched|set)&^knew == 0 {
			if !bounds {
				continue
			}
			r := newStream(key, i)
			if revision < 1 && r.float() >= revision || s.boundStays(i, &r) {
				continue
			}
		}
		r := newStream(key, i)
		k := float64(offsets[i+1] - offsets[i])
		a0, a1 := float64(counts[2*i]), float64(counts[2*i+1])
		candidates := launched &^ set &^ knew
		aware := knew
		if candidates&1 != 0 {
			u := r.float()
			if h := rules.hazardBound(p0, q0, a0, k); u < h && rules.hears(&s.now[0], a0, h, u) {
				aware |= 1
			}
		}
		if candidates&2 != 0 {
			u := r.float()
			if h := rules.hazardBound(p1, q1, a1, k); u < h && rules.hears(&s.now[1], a1, h, u) {
				aware |= 2
			}
		}
		aware |= set
		awares[i] = aware
		if stale != nil {
			if aware != knew {
				stale[i] = 1 // it must choose afresh, whether or not it revises now
			} else if stale[i] == 0 && !bounds {
				continue // nothing it chooses on has changed since it chose to stay
			}
		}
		if aware == 0 || revision < 1 && r.float() >= revision {
			continue
		}
		if bounds {
			if stale[i] == 0 && s.boundStays(i, &r) {
				continue
			}
			stale[i] = 1 // until chooseTwo stores a new bound
		}
		chosen := s.chooseTwo(i, set, aware, a0, a1, k, rules.valuation(&s.now, s.baseThreshold(i), k), rules, r)
		if stale != nil {
			if !bounds {
				stale[i] = 0 // a threshold agent's choice is its inputs' own
			}
			if chosen != set {
				stale[i] = 1
			}
		}
		if chosen != set {
			s.recordMove(res, i, set, chosen, before)
		}
	}
}
