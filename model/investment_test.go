package model

import (
	"fmt"
	"math/rand/v2"
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

// TestLazyInvestmentMatchesEager: investment accrued lazily (settle) equals, bit for bit, a
// brute-force reference that accrues every agent's investment at the end of every step, on
// agents settled at random steps (some every step, some seldom, the rest only at the end),
// under both rules (the logit rule accrues eagerly) and both update schemes; and settling
// changes no result.
func TestLazyInvestmentMatchesEager(t *testing.T) {
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
				if lazy := sim.accrued != nil; lazy != (rule == RuleThreshold) {
					t.Fatalf("%s: lazy accrual %v", key, lazy)
				}
				np := sim.np
				eager := make([]float32, sim.n*np)
				rng := rand.New(rand.NewPCG(7, 11))
				var grown int
				for sim.Advance() {
					for i, set := range sim.active {
						for j := range np {
							if set>>j&1 != 0 {
								x := &eager[i*np+j]
								*x += float32(cfg.Platforms[j].InvestmentRate) * (1 - *x)
							}
						}
					}
					for i := range sim.n {
						if i%3 != 0 && rng.IntN(10) != 0 {
							continue // a third every step, a tenth of the rest at random
						}
						sim.settle(i, int32(sim.step))
						for j := range np {
							if got, want := sim.investment[i*np+j], eager[i*np+j]; got != want {
								t.Fatalf("%s, step %d, agent %d, platform %d: investment %v, eager %v", key, sim.step, i, j, got, want)
							}
						}
					}
				}
				for i := range sim.n {
					sim.settle(i, int32(sim.step))
				}
				for x, want := range eager {
					if got := sim.investment[x]; got != want {
						t.Fatalf("%s, at the end, agent %d, platform %d: investment %v, eager %v", key, x/np, x%np, got, want)
					}
					if want > 0 {
						grown++
					}
				}
				if grown < sim.n/4 {
					t.Errorf("%s: only %d investments grew: the test exercises little", key, grown)
				}
				if want := mustRun(t, &cfg, 3, 1); fmt.Sprint(*sim.Series()) != fmt.Sprint(*want) {
					t.Errorf("%s: settling investments changed the series", key)
				}
			}
		}
	}
}

// TestNoAccrualWithoutRates: when no platform's investment grows, nothing accrues and no
// agent carries an accrual step.
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
	if sim.accrued != nil || slices.ContainsFunc(sim.investment, func(x float32) bool { return x != 0 }) {
		t.Errorf("no investment rate: accrual steps %v allocated, investment not all 0", sim.accrued != nil)
	}
}
