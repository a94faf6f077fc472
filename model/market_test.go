package model

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestMarketSizeRounding: the entered count is round(schedule(k)) clamped to [0, n], with
// halves rounded up, linear between points and flat outside them.
func TestMarketSizeRounding(t *testing.T) {
	t.Parallel()
	m := Market{Schedule: []MarketPoint{{Step: 2, Agents: 0.5}, {Step: 6, Agents: 4.5}, {Step: 8, Agents: 20}}}
	// Steps 0..10: flat at 0.5 before step 2, then 0.5, 1.5, ... 4.5 at step 6, 12.25 at
	// step 7, 20 from step 8; clamped to n = 15.
	want := []int{1, 1, 1, 2, 3, 4, 5, 12, 15, 15, 15}
	for k, w := range want {
		if got := m.Entered(k, 15); got != w {
			t.Errorf("step %d: %d entered, want %d (size %g)", k, got, w, m.Size(k))
		}
	}
	if got := (Market{}).Entered(3, 15); got != 15 {
		t.Errorf("no schedule: %d entered, want everyone (15)", got)
	}
	neg := Market{Schedule: []MarketPoint{{Step: -10, Agents: 0}, {Step: 10, Agents: 10}}}
	if got := neg.Entered(0, 100); got != 5 {
		t.Errorf("a point before step 0 shapes the line: %d entered at step 0, want 5", got)
	}
}

// marketConfig is testConfig on graph kind with a market growing from 5% to 90% of the agents
// over the run, and installs of every kind reaching for agents outside it, a segment's too.
func marketConfig(kind GraphKind, rule Rule, update Update, order EntryOrder) *Config {
	cfg := testConfig(1500, 24)
	cfg.Graph.Kind = kind
	cfg.Decision.Rule, cfg.Decision.Update = rule, update
	cfg.Platforms[1].Launch = 3
	cfg.Market = Market{Order: order, Schedule: []MarketPoint{{Step: 1, Agents: 75.3}, {Step: 20, Agents: 1350.5}}}
	cfg.Events = []Event{
		{Kind: EventSeed, Platform: 0, At: 0, Nodes: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{Kind: EventSeed, Platform: 0, At: 2, Count: 40},
		{Kind: EventPreinstall, Platform: 1, At: 4, Share: 0.2},
		{Kind: EventPreinstall, Platform: 1, At: 6, Count: 30, Target: TargetTopDegree, Active: true},
		{Kind: EventPreinstall, Platform: 1, At: 8, Until: 18, PerStep: true, Share: 0.01},
		{Kind: EventPreinstall, Platform: 0, At: 10, PerStep: true, Count: 5, Active: true},
		{Kind: EventSeed, Platform: 1, At: 5, Count: 20, Segment: 1},
		{Kind: EventPreinstall, Platform: 1, At: 5, PerStep: true, Share: 0.02, Segment: 1},
	}
	cfg.Segments = []Segment{{Name: "vendors", Share: 0.3}}
	return cfg
}

// checkOutsiders fails unless every agent outside the market is unaware, unregistered, not a
// user and (under the threshold rule) stale, the market holds exactly the series' count, and every agent's neighbour counts
// equal a brute-force count of its contacts in the market using each platform.
func checkOutsiders(t *testing.T, sim *Simulation, label string) {
	t.Helper()
	in := 0
	for i := range sim.n {
		if sim.inMarket(i) {
			in++
		} else if sim.active[i]|sim.aware[i]|sim.registered[i] != 0 {
			t.Fatalf("%s, step %d: agent %d outside the market has set %b, aware %b, registered %b",
				label, sim.step, i, sim.active[i], sim.aware[i], sim.registered[i])
		} else if sim.stale != nil && sim.stale[i] != 1 {
			t.Fatalf("%s, step %d: agent %d outside the market is not stale: it would not choose on entering", label, sim.step, i)
		}
	}
	if want := sim.series.Market[sim.step]; int64(in) != want {
		t.Fatalf("%s, step %d: %d agents in the market, want %d", label, sim.step, in, want)
	}
	for i := range sim.n {
		for j := range sim.np {
			var brute int64
			if sim.g == nil {
				for v := range sim.n {
					if v != i && sim.inMarket(v) && sim.active[v]>>j&1 != 0 {
						brute++
					}
				}
			} else {
				for _, v := range sim.g.Row(i) {
					if sim.inMarket(int(v)) && sim.active[v]>>j&1 != 0 {
						brute++
					}
				}
			}
			if got := sim.contactsOn(i, j); got != brute {
				t.Fatalf("%s, step %d: agent %d counts %d contacts on platform %d, brute force %d", label, sim.step, i, got, j, brute)
			}
		}
	}
}

// TestMarketOutsidersInert: under both update schemes, the threshold, logit and bass rules,
// on a generated and the complete graph, with seeds, preinstalls and flows aimed at everyone,
// no agent outside the market is ever aware, registered or a user, nor counted by a contact,
// while the agents inside take up both platforms.
func TestMarketOutsidersInert(t *testing.T) {
	t.Parallel()
	for _, kind := range []GraphKind{GraphErdosRenyi, GraphComplete} {
		for _, rule := range []Rule{RuleThreshold, RuleLogit, RuleBass} {
			for _, update := range []Update{Synchronous, RandomSequential} {
				label := fmt.Sprintf("%s, %s, %s", kind, rule, update)
				cfg := marketConfig(kind, rule, update, EntryRandom)
				if kind == GraphComplete {
					cfg.Agents = 400
					cfg.Market.Schedule[1].Agents = 350
				}
				sim, err := NewSimulation(cfg, 11, 2)
				if err != nil {
					t.Fatal(err)
				}
				checkOutsiders(t, sim, label)
				for sim.Advance() {
					checkOutsiders(t, sim, label)
				}
				ser := sim.Series()
				last := ser.Steps
				if ser.Users[ser.At(last, 0)] == 0 || ser.Registered[ser.At(last, 1)] == 0 {
					t.Errorf("%s: at the end %d users of platform 0 and %d registered on platform 1: the market should have taken them up",
						label, ser.Users[ser.At(last, 0)], ser.Registered[ser.At(last, 1)])
				}
			}
		}
	}
}

// TestMarketEntryOrders: graph order enters agents by index, degree order the
// best-connected first, and random order neither.
func TestMarketEntryOrders(t *testing.T) {
	t.Parallel()
	for _, order := range EntryOrders {
		cfg := marketConfig(GraphBarabasiAlbert, RuleLogit, Synchronous, order)
		cfg.Graph.M = 3
		sim, err := NewSimulation(cfg, 5, 1)
		if err != nil {
			t.Fatal(err)
		}
		for {
			entered := sim.series.Market[sim.step]
			// The least degree inside against the greatest outside; the prefix test for graph order.
			minIn, maxOut, prefix := sim.n, -1, true
			for i := range sim.n {
				if sim.inMarket(i) {
					minIn = min(minIn, sim.degree(i))
					prefix = prefix && int64(i) < entered
				} else {
					maxOut = max(maxOut, sim.degree(i))
					prefix = prefix && int64(i) >= entered
				}
			}
			switch order {
			case EntryGraph:
				if !prefix {
					t.Fatalf("graph order, step %d: the %d agents in the market are not agents 0..%d", sim.step, entered, entered-1)
				}
			case EntryDegree:
				if maxOut > minIn {
					t.Fatalf("degree order, step %d: an agent of degree %d is outside while one of degree %d is in", sim.step, maxOut, minIn)
				}
			case EntryRandom:
				if entered > 1 && int64(sim.n) > entered+1 && (prefix || maxOut <= minIn) {
					t.Fatalf("random order, step %d: the %d agents in the market entered in index or degree order", sim.step, entered)
				}
			}
			if !sim.Advance() {
				break
			}
		}
	}
}

// TestMarketDegreeRanksMatchSort: the counting rank by degree is agentsByDegree's order.
func TestMarketDegreeRanksMatchSort(t *testing.T) {
	t.Parallel()
	cfg := marketConfig(GraphBarabasiAlbert, RuleLogit, Synchronous, EntryDegree)
	cfg.Graph.M = 4
	sim, err := NewSimulation(cfg, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	rank := make([]int32, sim.n)
	sim.rankByDegree(rank)
	for r, i := range sim.agentsByDegree() {
		if rank[i] != int32(r) {
			t.Fatalf("agent %d (degree %d): rank %d, sorted position %d", i, sim.degree(int(i)), rank[i], r)
		}
	}
}

// TestMarketDeterministicAcrossWorkers: a growing market gives the same series on 1, 2 and 5
// workers, under both update schemes.
func TestMarketDeterministicAcrossWorkers(t *testing.T) {
	t.Parallel()
	for _, update := range []Update{Synchronous, RandomSequential} {
		cfg := marketConfig(GraphErdosRenyi, RuleThreshold, update, EntryRandom)
		cfg.Agents = 20000 // three blocks of agents
		cfg.Market.Schedule[1].Agents = 18000
		want := mustRun(t, cfg, 9, 1)
		for _, workers := range []int{2, 5} {
			if got := mustRun(t, cfg, 9, workers); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %d workers differ from 1", update, workers)
			}
		}
	}
}

// TestMarketOfEveryoneIsNoMarket: a schedule with every agent in the market from step 0 runs
// exactly as no schedule, seeds, preinstalls and flows included: the market's hooks change
// nothing for agents in it.
func TestMarketOfEveryoneIsNoMarket(t *testing.T) {
	t.Parallel()
	for _, rule := range []Rule{RuleThreshold, RuleLogit} {
		cfg := marketConfig(GraphErdosRenyi, rule, Synchronous, EntryRandom)
		cfg.Market = Market{}
		want := mustRun(t, cfg, 4, 2)
		cfg.Market = Market{Schedule: []MarketPoint{{Step: 0, Agents: float64(cfg.Agents)}}}
		got := mustRun(t, cfg, 4, 2)
		for k, m := range got.Market {
			if m != int64(cfg.Agents) {
				t.Fatalf("%s: step %d: market %d, want %d", rule, k, m, cfg.Agents)
			}
		}
		got.Market = nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: a market of everyone differs from no market", rule)
		}
	}
}

// TestMarketFlowShareOfEntered: a sleeping flow of an app nobody wants registers, over its
// first k steps, round(share x the sum of the market's sizes over those steps), exactly.
func TestMarketFlowShareOfEntered(t *testing.T) {
	t.Parallel()
	cfg := unwantedEntrant(3000, 20, RuleLogit)
	cfg.Market = Market{Schedule: []MarketPoint{{Step: 0, Agents: 300}, {Step: 20, Agents: 2700}}}
	const share, at = 0.013, 5
	cfg.Events = []Event{{Kind: EventPreinstall, Platform: 1, At: at, PerStep: true, Share: share}}
	s := mustRun(t, cfg, 2, 2)
	var sum int64
	for k := 0; k <= cfg.Steps; k++ {
		if k >= at {
			sum += s.Market[k]
		}
		want := int64(float64(sum)*share + 0.5)
		if got := s.Registered[s.At(k, 1)]; got != want {
			t.Errorf("step %d: %d registered, want round(%g x %d) = %d", k, got, share, sum, want)
		}
	}
}

// TestMarketEntrantsChoose: under the threshold rule an agent takes up, at its entry step, a
// platform it hears of at once and wants.
func TestMarketEntrantsChoose(t *testing.T) {
	t.Parallel()
	cfg := Defaults()
	cfg.Agents, cfg.Steps = 200, 6
	cfg.Graph = GraphSpec{Kind: GraphErdosRenyi, MeanDegree: 10}
	cfg.Decision.Rule, cfg.Decision.Contagion = RuleThreshold, ContagionIndependent
	p := DefaultPlatform("only")
	p.Appeal, p.P = 1, 1 // everyone in the market hears of it at once and wants it
	cfg.Platforms = []Platform{p}
	cfg.Market = Market{Order: EntryGraph, Schedule: []MarketPoint{{Step: 0, Agents: 50}, {Step: 5, Agents: 200}}}
	s := mustRun(t, &cfg, 1, 1)
	// Step 0 is the state before anyone decides.
	for k := 1; k <= cfg.Steps; k++ {
		if got, want := s.Users[s.At(k, 0)], s.Market[k]; got != want {
			t.Errorf("step %d: %d users, want the %d agents in the market", k, got, want)
		}
	}
}

// TestMarketValidate: the engine refuses an unknown order and points out of order, negative
// or falling, naming each.
func TestMarketValidate(t *testing.T) {
	t.Parallel()
	cfg := testConfig(100, 10)
	cfg.Market = Market{Order: "oldest", Schedule: []MarketPoint{{Step: 3, Agents: 10}, {Step: 3, Agents: 20}, {Step: 5, Agents: -1}, {Step: 8, Agents: 5}, {Step: 9, Agents: 2}}}
	err := cfg.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`market.order: unknown "oldest" (valid: random, degree, graph)`,
		"market.schedule[1]: steps must increase, got 3 after 3",
		"market.schedule[2].agents must be a finite number >= 0, got -1",
		"market.schedule[2]: agents must not fall (agents never leave the market), got -1 after 20",
		"market.schedule[4]: agents must not fall (agents never leave the market), got 2 after 5",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// TestMarketMemory: a schedule costs 4 bytes per agent and 16 per step in the estimate.
func TestMarketMemory(t *testing.T) {
	t.Parallel()
	cfg := testConfig(100000, 99)
	cfg.Graph.Kind = GraphComplete // the agents' state sets the peak
	before := cfg.MemoryEstimate()
	cfg.Market = Market{Schedule: []MarketPoint{{Step: 0, Agents: 10}}}
	if got, want := cfg.MemoryEstimate()-before, 4.0*100000+8*101+8*100; got != want {
		t.Errorf("a market adds %g bytes, want %g", got, want)
	}
}

// BenchmarkStepMarket times a synchronous step in a market holding half the agents, growing
// to all of them: the cost of the entry check against BenchmarkStep's.
func BenchmarkStepMarket(b *testing.B) {
	cfg := BenchmarkConfig(1_000_000, 10, RuleThreshold, 100_000)
	cfg.Market = Market{Schedule: []MarketPoint{{Step: 0, Agents: 500_000}, {Step: 100_000, Agents: 1_000_000}}}
	benchmarkSteps(b, cfg)
}
