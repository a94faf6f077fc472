package model

import (
	"fmt"
	"slices"
	"testing"
)

// investmentConfigs are runs whose agents change sets in every way the engine has: choices,
// churn, seeds, flows of active and sleeping installs, commitments, segments and a growing
// market, with a different investment rate per platform.
func investmentConfigs() map[string]*Config {
	base := testConfig(1500, 30)
	base.Platforms[0].InvestmentRate, base.Platforms[1].InvestmentRate = 0.07, 0.31
	base.Platforms[0].Churn = 0.02
	base.Platforms[1].Launch = 4

	events := *base
	events.Events = []Event{
		{Kind: EventSeed, Platform: 0, At: 0, Count: 30},
		{Kind: EventSeed, Platform: 1, At: 5, Count: 40},
		{Kind: EventPreinstall, Platform: 1, At: 8, Until: 20, PerStep: true, Share: 0.01, Active: true},
		{Kind: EventPreinstall, Platform: 0, At: 10, Share: 0.1},
		{Kind: EventPreinstall, Platform: 1, At: 12, Count: 30, Active: true, Committed: true},
	}

	segments := *base
	override := slices.Clone(base.Platforms)
	override[1].Churn, override[1].SwitchingCost = 0.05, 2
	segments.Segments = []Segment{{Name: "a", Share: 0.2, Platforms: override}, {Name: "b", Count: 100, Committed: true}}

	market := *base
	market.Market = Market{Schedule: []MarketPoint{{Step: 0, Agents: 200}, {Step: 25, Agents: 1500}}}
	return map[string]*Config{"events": &events, "segments": &segments, "market": &market}
}

// TestInvestmentMatchesEager: the investment read from each agent's steps of use equals, bit
// for bit, a brute-force reference that accrues every agent's investment at the end of every
// step, for every agent and platform after every step (used or not), under both rules and
// both update schemes.
func TestInvestmentMatchesEager(t *testing.T) {
	t.Parallel()
	for name, base := range investmentConfigs() {
		for _, rule := range []Rule{RuleThreshold, RuleLogit} {
			for _, update := range []Update{Synchronous, RandomSequential} {
				cfg := *base
				cfg.Decision.Rule, cfg.Decision.Update = rule, update
				key := fmt.Sprintf("%s/%s/%s", name, rule, update)
				sim, err := NewSimulation(&cfg, 3, 2)
				if err != nil {
					t.Fatal(err)
				}
				np := sim.np
				eager := make([]float32, sim.n*np)
				for sim.Advance() {
					for i, set := range sim.active {
						for j := range np {
							if set>>j&1 != 0 {
								x := &eager[i*np+j]
								*x += float32(cfg.Platforms[j].InvestmentRate) * (1 - *x)
							}
						}
					}
					for x, want := range eager {
						if got := investmentOf(sim, x/np, x%np); got != want {
							t.Fatalf("%s, step %d, agent %d, platform %d: investment %v, eager %v", key, sim.step, x/np, x%np, got, want)
						}
					}
				}
				var grown, left int
				for x, inv := range eager {
					if inv > 0 {
						grown++
						if sim.active[x/np]>>(x%np)&1 == 0 {
							left++
						}
					}
				}
				if grown < sim.n/4 || left == 0 {
					t.Errorf("%s: %d investments grew, %d of them in platforms left: the test exercises little", key, grown, left)
				}
			}
		}
	}
}

// TestInvestmentInLongRuns: a run of 2^16 steps or more keeps its steps of use as int32 (the
// uint16 marks would wrap), and its investments still match eager accrual, with agents
// leaving and rejoining by churn throughout and rates slow enough to keep growing.
func TestInvestmentInLongRuns(t *testing.T) {
	t.Parallel()
	cfg := testConfig(40, 70_000)
	cfg.Decision.Rule = RuleThreshold
	cfg.Platforms[0].InvestmentRate, cfg.Platforms[1].InvestmentRate = 1e-5, 3e-4
	cfg.Platforms[0].Churn, cfg.Platforms[1].Churn = 0.001, 0.002
	sim, err := NewSimulation(cfg, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	if sim.use32 == nil || sim.use16 != nil {
		t.Fatalf("%d steps: int32 marks %v, uint16 marks %v", cfg.Steps, sim.use32 != nil, sim.use16 != nil)
	}
	np := sim.np
	eager := make([]float32, sim.n*np)
	for sim.Advance() {
		for x := range eager {
			if sim.active[x/np]>>(x%np)&1 != 0 {
				eager[x] += float32(cfg.Platforms[x%np].InvestmentRate) * (1 - eager[x])
			}
		}
		if sim.step%5000 != 0 && sim.step != cfg.Steps {
			continue
		}
		for x, want := range eager {
			if got := investmentOf(sim, x/np, x%np); got != want {
				t.Fatalf("step %d, agent %d, platform %d: investment %v, eager %v", sim.step, x/np, x%np, got, want)
			}
		}
	}
	if slices.Max(eager) < 0.9 {
		t.Errorf("the largest investment is %g: the run exercises little", slices.Max(eager))
	}
}

// investmentOf is agent i's investment in platform j accrued through the last step, read as
// choose reads it for a platform in use, and from the mark's other form for one not in use.
func investmentOf(s *Simulation, i, j int) float32 {
	if s.active[i]>>j&1 != 0 {
		return s.usedInvestment(i, j, int32(s.step))
	}
	var steps int
	switch {
	case s.use16 != nil:
		steps = int(s.use16[i*s.np+j])
	case s.use32 != nil:
		steps = int(s.use32[i*s.np+j])
	default:
		return 0
	}
	return s.curves[j][steps]
}

// TestInvestmentCurve: the curve holds, for k = 0 to the run's steps, the recurrence
// inv += rate (1 - inv) run k times in float32, for rates whose recurrence reaches a fixed
// point early, late, or never within the steps.
func TestInvestmentCurve(t *testing.T) {
	const steps = 3000
	for _, rate := range []float32{0, 1e-4, 0.07, 0.31, 0.5, 0.9, 1} {
		curve := investmentCurve(rate, steps)
		if len(curve) != steps+1 {
			t.Fatalf("rate %g: curve of %d values for %d steps", rate, len(curve), steps)
		}
		inv := float32(0)
		for k, got := range curve {
			if got != inv {
				t.Fatalf("rate %g, %d steps of use: curve %v, recurrence %v", rate, k, got, inv)
			}
			inv += rate * (1 - inv)
		}
	}
}

// TestNoAccrualWithoutRates: when no platform's investment grows, no agent carries steps of
// use and every investment reads 0.
func TestNoAccrualWithoutRates(t *testing.T) {
	cfg := testConfig(500, 10)
	cfg.Decision.Rule = RuleThreshold
	for j := range cfg.Platforms {
		cfg.Platforms[j].InvestmentRate = 0
	}
	sim, err := NewSimulation(cfg, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	for sim.Advance() {
	}
	if sim.use16 != nil || sim.use32 != nil {
		t.Errorf("no investment rate: steps of use allocated")
	}
	for i := range sim.n {
		for j := range sim.np {
			if inv := investmentOf(sim, i, j); inv != 0 {
				t.Fatalf("no investment rate: agent %d has invested %g in platform %d", i, inv, j)
			}
		}
	}
}
