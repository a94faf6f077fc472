package model

import (
	"fmt"
	"slices"
	"testing"
)

// decideTwoConfigs are runs that decideTwo takes, for TestDecideTwoMatchesDecide: both rules
// (the logit one with stay bounds, and without them at a temperature near 0), both contagions
// and benefit measures, constant (tied), drawn and isolated agents' thresholds, revision
// below 1, a platform launched late (with seeds before its launch), marketing, a ban, and no
// switching cost.
func decideTwoConfigs() map[string]*Config {
	configs := map[string]*Config{}
	add := func(name string, edit func(cfg *Config)) {
		cfg := testConfig(3000, 40)
		cfg.Platforms[1].Launch = 0
		edit(cfg)
		configs[name] = cfg
	}
	add("threshold", func(*Config) {})
	add("threshold/ties", func(cfg *Config) {
		cfg.Graph = GraphSpec{Kind: GraphWattsStrogatz, K: 10}
		cfg.Threshold = Distribution{Kind: DistConstant, Value: 0.3}
		cfg.Decision.MultiHomingCost = 0
		cfg.Platforms[0].Appeal, cfg.Platforms[1].Appeal = 0, 0
	})
	add("threshold/sparse-count-independent", func(cfg *Config) {
		cfg.Graph = GraphSpec{Kind: GraphErdosRenyi, MeanDegree: 1.5} // a fifth of the agents without contacts
		cfg.Decision.Benefit, cfg.Decision.Contagion = BenefitCount, ContagionIndependent
		cfg.Platforms[0].NetworkWeight, cfg.Platforms[1].NetworkWeight = 0.2, 0.3
	})
	add("threshold/revision-events", func(cfg *Config) {
		cfg.Decision.RevisionRate = 0.4
		cfg.Platforms[1].Launch = 6 // seeded at step 3: its users wait for decide until then
		cfg.Threshold = Distribution{Kind: DistUniform, Min: 0, Max: 0.6}
		cfg.Events = []Event{
			{Kind: EventSeed, Platform: 1, At: 3, Count: 40, Target: TargetRandom},
			{Kind: EventMarketing, Platform: 1, At: 10, Until: 20, P: 0.1},
			{Kind: EventBan, Platform: 0, At: 25, Until: 35, AppealChange: -0.2, NetworkWeightFactor: 0.5},
		}
	})
	add("logit", func(cfg *Config) {
		cfg.Decision.Rule, cfg.Decision.Temperature = RuleLogit, 0.1
		cfg.Platforms[1].Launch = 5
	})
	add("logit/cold-independent-revision", func(cfg *Config) {
		cfg.Decision.Rule, cfg.Decision.Temperature = RuleLogit, MinTemperature
		cfg.Decision.Contagion, cfg.Decision.RevisionRate = ContagionIndependent, 0.7
		cfg.Platforms[0].SwitchingCost, cfg.Platforms[1].SwitchingCost = 0, 0
	})
	add("logit/hot-count", func(cfg *Config) {
		cfg.Decision.Rule, cfg.Decision.Temperature, cfg.Decision.Benefit = RuleLogit, 5, BenefitCount
	})
	return configs
}

// TestDecideTwoMatchesDecide: decideTwo leaves every agent's state, and the series, exactly as
// decide does, step by step, on one worker and on three, and with the graph's offsets and
// counts at either width.
func TestDecideTwoMatchesDecide(t *testing.T) {
	t.Parallel()
	for name, cfg := range decideTwoConfigs() {
		for _, workers := range []int{1, 3} {
			for _, wide := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/workers=%d/wide=%t", name, workers, wide), func(t *testing.T) {
					t.Parallel()
					if err := decideTwoMatches(cfg, workers, wide); err != nil {
						t.Error(err)
					}
				})
			}
		}
	}
}

// decideTwoMatches runs cfg twice, deciding through decideTwo and through decide, and returns
// the first difference, or an error if decideTwo decided too little to tell.
func decideTwoMatches(cfg *Config, workers int, wide bool) error {
	var sims [2]*Simulation
	for k := range sims {
		sim, err := NewSimulation(cfg, 7, workers)
		if err != nil {
			return err
		}
		widen(&sim.g, &sim.counts, wide, wide)
		sims[k] = sim
	}
	two, each := sims[0], sims[1]
	each.decideEachAgent = true
	stepsTwo, moved := 0, 0
	for step := 1; two.Advance(); step++ {
		if two.decidesTwo() {
			stepsTwo++
		}
		each.Advance()
		moved += two.movers
		for _, d := range []struct {
			name string
			same bool
		}{
			{"active", slices.Equal(two.active, each.active)},
			{"aware", slices.Equal(two.aware, each.aware)},
			{"registered", slices.Equal(two.registered, each.registered)},
			{"stale", slices.Equal(two.stale, each.stale)},
			{"stay bounds", slices.Equal(two.stayBound, each.stayBound)},
			{"steps of use", slices.Equal(two.use16, each.use16) && slices.Equal(two.use32, each.use32)},
			{"counts", slices.Equal(two.counts.narrow, each.counts.narrow) && slices.Equal(two.counts.wide, each.counts.wide)},
			{"totals", two.totals == each.totals},
			{"levels", two.levels == each.levels},
		} {
			if !d.same {
				return fmt.Errorf("step %d: the agents' %s differ", step, d.name)
			}
		}
	}
	if stepsTwo < cfg.Steps/2 || moved < cfg.Agents/2 {
		return fmt.Errorf("decideTwo decided %d of %d steps, with %d moves: too little to compare", stepsTwo, cfg.Steps, moved)
	}
	return nil
}
