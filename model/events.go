package model

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/msgsim/msgsim/internal/streams"
)

// beginStep sets the platform parameters in force and applies the interventions due now.
func (s *Simulation) beginStep() {
	clear(s.results[0].newUsers[:])
	clear(s.results[0].leavers[:])
	for j, p := range s.cfg.Platforms {
		s.now[j] = platformNow{
			launched: s.step >= p.Launch, appeal: p.Appeal, p: p.P, q: p.Q,
			churn: p.Churn, switchingCost: p.SwitchingCost, investmentRate: float32(p.InvestmentRate),
		}
		setWeights(&s.now[j], p.NetworkWeight, &s.cfg.Platforms[j])
	}
	s.launched = 0
	for j := range s.np {
		if s.now[j].launched {
			s.launched |= 1 << j
		}
	}
	segmentsChanged := s.segNow != nil && s.segmentParams()
	for _, e := range s.cfg.Events {
		if e.Segment == 0 {
			s.applyParams(&s.now, e)
		}
	}
	if s.stale != nil && (s.now != s.prevNow || segmentsChanged || s.step == 0) {
		markAll(s.stale)
		s.allStale = true
	}
	s.prevNow = s.now
	s.churning = s.churnMask(&s.now)
	for g := range s.segNow {
		s.churning |= s.churnMask(&s.segNow[g])
	}
	for k, e := range s.cfg.Events {
		switch {
		case e.Kind != EventSeed && e.Kind != EventPreinstall:
		case e.PerStep && s.step >= e.At && (e.Until == 0 || s.step < e.Until):
			s.applyFlow(k, e)
		case !e.PerStep && s.step == e.At:
			s.applyInstall(k, e)
		}
	}
}

// churnMask is the set of platforms with a churn above 0 under the parameters nows.
func (s *Simulation) churnMask(nows *[MaxPlatforms]platformNow) uint8 {
	var mask uint8
	for j := range s.np {
		if nows[j].churn > 0 {
			mask |= 1 << j
		}
	}
	return mask
}

// applyParams applies event e to the parameters in force now, if it is a marketing campaign
// or a ban running at this step.
func (s *Simulation) applyParams(now *[MaxPlatforms]platformNow, e Event) {
	if s.step < e.At || e.Until != 0 && s.step >= e.Until {
		return
	}
	switch e.Kind {
	case EventMarketing:
		now[e.Platform].p = e.P
	case EventBan:
		now[e.Platform].appeal += e.AppealChange
		scaleWeights(&now[e.Platform], e.Layer, e.NetworkWeightFactor)
	}
}

// applyInstall gives the event's target agents its platform, once.
func (s *Simulation) applyInstall(index int, e Event) {
	eligible := s.lacks(e)
	var chosen []int32
	switch {
	case len(e.Nodes) > 0:
		for _, id := range e.Nodes {
			if s.inMarket(id) {
				chosen = append(chosen, int32(id))
			}
		}
	case e.Target == TargetTopDegree:
		want := e.Count
		if want == 0 {
			want = int(math.Round(e.Share * float64(s.countEligible(eligible))))
		}
		chosen = s.topDegree(want, eligible)
	case e.Count > 0 && e.Segment == 0:
		chosen = s.sampleEntered(s.eventRNG(index, streams.Event), e.Count)
	case e.Count > 0:
		chosen = s.sampleEligible(s.eventRNG(index, streams.Event), e.Count, eligible)
	default:
		key := stepKey(s.seed^uint64(index), streams.Event, s.step)
		for i := 0; i < s.n; i++ {
			if !eligible(i) {
				continue
			}
			r := newStream(key, i)
			if r.float() < e.Share {
				chosen = append(chosen, int32(i))
			}
		}
	}
	s.installAll(chosen, e)
}

// applyFlow installs this step's part of a flow: exactly flowCount agents among those that
// lack the platform (the best-connected first, or uniformly at random), or all of them if
// fewer remain.
func (s *Simulation) applyFlow(index int, e Event) {
	eligible := s.lacks(e)
	want := s.flowCount(e)
	if e.Target == TargetTopDegree {
		s.installAll(s.topDegree(want, eligible), e)
		return
	}
	s.installAll(s.sampleEligible(s.eventRNG(index, streams.Flow), want, eligible), e)
}

// sampleEligible draws min(want, eligible agents) distinct eligible agents uniformly, in
// increasing order.
func (s *Simulation) sampleEligible(rng *rand.Rand, want int, eligible func(int) bool) []int32 {
	pool := s.eligibleAgents(eligible)
	picked := sampleIndices(rng, len(pool), want)
	for k, p := range picked {
		picked[k] = pool[p]
	}
	return picked
}

// eligibleAgents lists the eligible agents in increasing order.
func (s *Simulation) eligibleAgents(eligible func(int) bool) []int32 {
	var pool []int32
	for i := 0; i < s.n; i++ {
		if eligible(i) {
			pool = append(pool, int32(i))
		}
	}
	return pool
}

// flowCount is the number of agents a flow installs at this step: its count, or for a share
// the growth of round(k*share*agents) over the flow's k-th step, so that rounding never
// accumulates and any k steps install the rounded total (in a growing market, of the agents
// in the market at each step, see marketState.flowShare; a segment's flow, of the segment).
func (s *Simulation) flowCount(e Event) int {
	if e.Count > 0 {
		return e.Count
	}
	if s.market != nil && e.Segment == 0 {
		return s.market.flowShare(e.Share, e.At, s.step)
	}
	k := float64(s.step - e.At)
	of := s.n
	if e.Segment > 0 {
		of = s.cfg.Segments[e.Segment-1].Size(s.n)
	}
	perStep := e.Share * float64(of)
	return int(math.Round(perStep*(k+1)) - math.Round(perStep*k))
}

// lacks is the eligibility of an install: agents in the market that do not have the platform
// yet (an active install reaches agents not using it, a sleeping one agents never
// registered), within the target block and the segment if any.
func (s *Simulation) lacks(e Event) func(i int) bool {
	bit := uint8(1) << e.Platform
	has := s.active
	if e.Kind == EventPreinstall && !e.Active {
		has = s.registered
	}
	return func(i int) bool {
		return has[i]&bit == 0 && s.inMarket(i) && (e.Target != TargetBlock || s.blocks != nil && int(s.blocks[i]) == e.Block) &&
			(e.Segment == 0 || int(s.segment[i]) == e.Segment)
	}
}

// installAll gives the chosen agents the event's platform, as users or asleep.
func (s *Simulation) installAll(chosen []int32, e Event) {
	for _, i := range chosen {
		if e.Kind == EventSeed || e.Active {
			s.install(int(i), e.Platform, e.Committed)
		} else {
			s.installAsleep(int(i), e.Platform)
		}
	}
}

// install makes agent i a user of platform j (registered, aware and active), outside the
// parallel phase, and commits it for good when committed. Every way of making agents users
// of a platform goes through here.
func (s *Simulation) install(i, j int, committed bool) {
	if committed {
		s.committed[i] = true
	}
	bit := uint8(1) << j
	old := s.active[i]
	if old&bit != 0 {
		return
	}
	s.setActive(i, old|bit) // registers it too
	s.aware[i] |= bit
	s.results[0].newUsers[j]++
}

// installAsleep puts platform j on agent i's phone without it using it: registered and aware,
// so that its own choice rule weighs the platform from now on.
func (s *Simulation) installAsleep(i, j int) {
	bit := uint8(1) << j
	s.aware[i] |= bit
	s.move(i, s.active[i], s.registered[i]|bit)
	if s.stale != nil {
		s.stale[i] = 1 // a new option: a threshold agent must choose afresh
	}
}

func (s *Simulation) countEligible(eligible func(int) bool) int {
	c := 0
	for i := 0; i < s.n; i++ {
		if eligible(i) {
			c++
		}
	}
	return c
}

// eventRNG is the generator of event index's draws at this step, one per purpose.
func (s *Simulation) eventRNG(index int, purpose uint64) *rand.Rand {
	return rand.New(rand.NewPCG(s.seed^uint64(index), stepKey(s.seed, purpose, s.step)))
}

// sampleIndices draws min(k, n) distinct indices of [0, n) uniformly (Floyd's algorithm),
// sorted.
func sampleIndices(rng *rand.Rand, n, k int) []int32 {
	k = min(k, n)
	picked := make(map[int32]struct{}, k)
	out := make([]int32, 0, k)
	for j := n - k; j < n; j++ {
		t := int32(rng.IntN(j + 1))
		if _, dup := picked[t]; dup {
			t = int32(j)
		}
		picked[t] = struct{}{}
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// topDegree is up to want eligible agents, the best-connected first.
func (s *Simulation) topDegree(want int, eligible func(int) bool) []int32 {
	var chosen []int32
	for _, i := range s.agentsByDegree() {
		if len(chosen) == want {
			break
		}
		if eligible(int(i)) {
			chosen = append(chosen, i)
		}
	}
	return chosen
}

func (s *Simulation) agentsByDegree() []int32 {
	if s.byDegree == nil {
		s.byDegree = make([]int32, s.n)
		for i := range s.byDegree {
			s.byDegree[i] = int32(i)
		}
		slices.SortStableFunc(s.byDegree, func(a, b int32) int { return s.degree(int(b)) - s.degree(int(a)) })
	}
	return s.byDegree
}
