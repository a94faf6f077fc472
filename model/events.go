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
			launched: s.step >= p.Launch, appeal: p.Appeal, networkWeight: p.NetworkWeight, p: p.P, q: p.Q,
			churn: p.Churn, switchingCost: p.SwitchingCost, investmentRate: float32(p.InvestmentRate),
		}
	}
	s.launched = 0
	for j := range s.np {
		if s.now[j].launched {
			s.launched |= 1 << j
		}
	}
	for _, e := range s.cfg.Events {
		inWindow := s.step >= e.At && (e.Until == 0 || s.step < e.Until)
		switch {
		case e.Kind == EventMarketing && inWindow:
			s.now[e.Platform].p = e.P
		case e.Kind == EventBan && inWindow:
			s.now[e.Platform].appeal += e.AppealChange
			s.now[e.Platform].networkWeight *= e.NetworkWeightFactor
		}
	}
	if s.stale != nil && (s.now != s.prevNow || s.step == 0) {
		for i := range s.stale {
			s.stale[i] = 1
		}
	}
	s.prevNow = s.now
	for k, e := range s.cfg.Events {
		if (e.Kind == EventSeed || e.Kind == EventPreinstall) && s.step == e.At {
			s.applyInstall(k, e)
		}
	}
}

// applyInstall makes the event's target agents users of its platform.
func (s *Simulation) applyInstall(index int, e Event) {
	bit := uint8(1) << e.Platform
	eligible := func(i int) bool { return s.active[i]&bit == 0 }
	var chosen []int32
	switch {
	case len(e.Nodes) > 0:
		for _, id := range e.Nodes {
			chosen = append(chosen, int32(id))
		}
	case e.Target == TargetTopDegree:
		want := e.Count
		if want == 0 {
			want = int(math.Round(e.Share * float64(s.countEligible(eligible))))
		}
		for _, i := range s.agentsByDegree() {
			if len(chosen) == want {
				break
			}
			if eligible(int(i)) {
				chosen = append(chosen, i)
			}
		}
	case e.Count > 0:
		chosen = s.sampleAgents(index, e.Count)
	default:
		key := stepKey(s.seed^uint64(index), streams.Event, s.step)
		for i := 0; i < s.n; i++ {
			if !eligible(i) || (e.Target == TargetBlock && (s.blocks == nil || int(s.blocks[i]) != e.Block)) {
				continue
			}
			r := newStream(key, i)
			if r.float() < e.Share {
				chosen = append(chosen, int32(i))
			}
		}
	}
	for _, i := range chosen {
		s.install(int(i), e.Platform, e.Committed)
	}
}

// install makes agent i a user of platform j (registered, aware and active), outside the
// parallel phase, and commits it for good when committed. Every way of handing agents a
// platform goes through here.
func (s *Simulation) install(i, j int, committed bool) {
	if committed {
		s.committed[i] = true
	}
	bit := uint8(1) << j
	old := s.active[i]
	if old&bit != 0 {
		return
	}
	s.setActive(i, old|bit)
	s.aware[i] |= bit
	s.registered[i] |= bit
	s.results[0].newUsers[j]++
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

// sampleAgents draws k distinct agents uniformly (Floyd's algorithm), sorted by id.
func (s *Simulation) sampleAgents(index, k int) []int32 {
	rng := rand.New(rand.NewPCG(s.seed^uint64(index), stepKey(s.seed, streams.Event, s.step)))
	k = min(k, s.n)
	picked := make(map[int32]struct{}, k)
	out := make([]int32, 0, k)
	for j := s.n - k; j < s.n; j++ {
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
