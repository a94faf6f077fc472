package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/msgsim/msgsim/internal/streams"
)

// Market is the addressable market over time: how many agents can use a messenger at all at
// each step (China's mobile internet users grew from 318M in mid-2011 to 500M at the end of
// 2013). The zero value puts every agent in the market from step 0 and costs nothing.
//
// Agents enter so that exactly round(Size(k)), clamped to [0, Agents], are in the market
// during step k, and never leave. Before it enters, an agent cannot hear of or use any
// platform (it makes no decision), no seed, preinstall or flow reaches it, and it counts as a
// non-user for its contacts; it is still their contact (the graph holds everyone from the
// start, so it stays in their degree k). An agent enters at the start of a step, before the
// step's interventions.
type Market struct {
	// Schedule gives the agents in the market at some steps, in increasing step order, the
	// agents never falling: linear between two points, flat before the first and after the
	// last. A point may lie before step 0 or past the last step, to shape the line inside
	// the run. Empty: everyone is in the market from step 0.
	Schedule []MarketPoint
	// Order is which agents enter first; empty means EntryRandom.
	Order EntryOrder
}

// MarketPoint is one point of a market schedule.
type MarketPoint struct {
	Step   int
	Agents float64 // agents in the market at Step (people divided by the scale), >= 0
}

// EntryOrder names the order in which agents enter a growing market.
type EntryOrder string

// Entry orders.
const (
	// EntryRandom: a uniformly random order, drawn once per run (the default).
	EntryRandom EntryOrder = "random"
	// EntryDegree: the best-connected agents first, ties by agent index.
	EntryDegree EntryOrder = "degree"
	// EntryGraph: agent index order; a Barabasi-Albert graph's oldest nodes first.
	EntryGraph EntryOrder = "graph"
)

// EntryOrders lists the entry orders, in documentation order.
var EntryOrders = []EntryOrder{EntryRandom, EntryDegree, EntryGraph}

// Growing tells whether the market has a schedule (otherwise everyone is in it from step 0).
func (m Market) Growing() bool { return len(m.Schedule) > 0 }

// Size is the schedule's value at step k, in agents, before rounding: linear between the
// points around k, the nearest point's value outside them; +Inf (no bound) without a schedule.
func (m Market) Size(k int) float64 {
	pts := m.Schedule
	i := sort.Search(len(pts), func(i int) bool { return pts[i].Step >= k })
	switch {
	case len(pts) == 0:
		return math.Inf(1)
	case i == len(pts):
		return pts[len(pts)-1].Agents
	case pts[i].Step == k || i == 0:
		return pts[i].Agents
	}
	a, b := pts[i-1], pts[i]
	return a.Agents + (b.Agents-a.Agents)*float64(k-a.Step)/float64(b.Step-a.Step)
}

// Entered is the number of agents of a population of n in the market during step k:
// round(Size(k)) clamped to [0, n]; n without a schedule.
func (m Market) Entered(k, n int) int {
	return int(min(max(math.Round(m.Size(k)), 0), float64(n)))
}

// validate reports, through add, what makes the market unusable: an unknown order, points
// out of order, or agents negative, not finite or falling (agents never leave the market).
func (m Market) validate(add func(format string, args ...any)) {
	if m.Order != "" && !slices.Contains(EntryOrders, m.Order) {
		add("market.order: unknown %q (valid: %s)", m.Order, strings.Join(Names(EntryOrders), ", "))
	}
	for i, p := range m.Schedule {
		if !(p.Agents >= 0) || math.IsInf(p.Agents, 1) {
			add("market.schedule[%d].agents must be a finite number >= 0, got %g", i, p.Agents)
		}
		if i == 0 {
			continue
		}
		if prev := m.Schedule[i-1]; p.Step <= prev.Step {
			add("market.schedule[%d]: steps must increase, got %d after %d", i, p.Step, prev.Step)
		} else if p.Agents < prev.Agents {
			add("market.schedule[%d]: agents must not fall (agents never leave the market), got %g after %g", i, p.Agents, prev.Agents)
		}
	}
}

// marketState is a run's growing market: each agent's entry step, and per step the agents in
// the market and their running sum (for flows, whose share is of the agents in the market).
type marketState struct {
	// entry is each agent's first step in the market; math.MaxInt32 for an agent that does
	// not enter within the run. 4 bytes per agent, the market's only per-agent cost.
	entry []int32
	// entered[k] is the number of agents in the market during step k, k in [0, Steps]; it is
	// the series' Market.
	entered []int64
	// before[k] is the sum of entered over steps [0, k).
	before []int64
}

// newMarketState orders the agents by m.Order and gives the r-th of them the first step at
// which more than r agents are in the market. Needs the graph (for the degree order).
func (s *Simulation) newMarketState(m Market) *marketState {
	steps := s.cfg.Steps
	ms := &marketState{entered: s.series.Market, before: make([]int64, steps+2)}
	for k := 0; k <= steps; k++ {
		ms.entered[k] = int64(m.Entered(k, s.n))
		ms.before[k+1] = ms.before[k] + ms.entered[k]
	}
	// entry first holds each agent's rank in the order of entry, then its entry step.
	ms.entry = make([]int32, s.n)
	switch m.Order {
	case EntryDegree:
		s.rankByDegree(ms.entry)
	default:
		for i := range ms.entry {
			ms.entry[i] = int32(i)
		}
		if m.Order != EntryGraph {
			// A random permutation of ranks is a uniformly random order of the agents.
			rng := rand.New(rand.NewPCG(s.seed, streams.Market))
			rng.Shuffle(s.n, func(a, b int) { ms.entry[a], ms.entry[b] = ms.entry[b], ms.entry[a] })
		}
	}
	for i, rank := range ms.entry {
		k := sort.Search(steps+1, func(k int) bool { return ms.entered[k] > int64(rank) })
		ms.entry[i] = math.MaxInt32
		if k <= steps {
			ms.entry[i] = int32(k)
		}
	}
	return ms
}

// rankByDegree writes each agent's rank in decreasing degree order, ties by index (the order
// of agentsByDegree), by counting agents per degree: no sort, and no per-agent memory beyond
// rank.
func (s *Simulation) rankByDegree(rank []int32) {
	maxDegree := 0
	for i := range s.n {
		maxDegree = max(maxDegree, s.degree(i))
	}
	// next[d] starts as the number of agents of degree above d: the rank of the first agent
	// of degree d.
	next := make([]int32, maxDegree+2)
	for i := range s.n {
		next[s.degree(i)]++
	}
	var above int32
	for d := maxDegree; d >= 0; d-- {
		above, next[d] = above+next[d], above
	}
	for i := range s.n {
		d := s.degree(i)
		rank[i] = next[d]
		next[d]++
	}
}

// inMarket tells whether agent i is in the market at the current step.
func (s *Simulation) inMarket(i int) bool {
	return s.market == nil || s.market.entry[i] <= int32(s.step)
}

// flowShare is the number of agents a flow of share per step installs at this step when the
// market grows: the growth over the flow's steps so far of round(share x the sum of the
// agents in the market at each), so that rounding never accumulates.
func (m *marketState) flowShare(share float64, at, step int) int {
	done := float64(m.before[step] - m.before[at])
	return int(math.Round(share*(done+float64(m.entered[step]))) - math.Round(share*done))
}

// sampleEntered draws min(want, agents in the market) distinct agents in the market
// uniformly, in increasing order: without a growing market, among all agents, as before
// markets existed (and with no list of them).
func (s *Simulation) sampleEntered(rng *rand.Rand, want int) []int32 {
	if s.market == nil {
		return sampleIndices(rng, s.n, want)
	}
	return s.sampleEligible(rng, want, s.inMarket)
}
