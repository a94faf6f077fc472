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

// FuzzDecideTwoMatchesDecide: for any run that decideTwo takes (a rule, temperature,
// contagion, benefit measure, revision rate, thresholds, costs, hazards, mean degree and
// launch of the second platform, each mapped into its valid range), it leaves every agent's
// state as decide does, step by step.
func FuzzDecideTwoMatchesDecide(f *testing.F) {
	f.Add(uint8(0), uint8(0), uint8(0), uint8(255), uint8(60), uint8(40), uint8(20), uint8(80), uint8(30), uint8(80), uint8(0), uint64(1))
	f.Add(uint8(1), uint8(3), uint8(1), uint8(90), uint8(0), uint8(200), uint8(255), uint8(5), uint8(200), uint8(15), uint8(4), uint64(2))
	f.Add(uint8(1), uint8(0), uint8(2), uint8(255), uint8(128), uint8(0), uint8(0), uint8(255), uint8(255), uint8(250), uint8(1), uint64(3))
	f.Add(uint8(0), uint8(1), uint8(3), uint8(10), uint8(255), uint8(255), uint8(128), uint8(1), uint8(0), uint8(3), uint8(2), uint64(4))
	f.Fuzz(func(t *testing.T, rule, temperature, measures, revision, theta, multiHoming, switching, p, q, degree, launch uint8, seed uint64) {
		cfg := testConfig(400, 12)
		dec := &cfg.Decision
		dec.Rule = []Rule{RuleThreshold, RuleLogit}[rule%2]
		dec.Temperature = []float64{MinTemperature, 1e-3, 0.1, 5}[temperature%4]
		dec.Contagion = []Contagion{ContagionFraction, ContagionIndependent}[measures%2]
		dec.Benefit = []Benefit{BenefitFraction, BenefitCount}[measures/2%2]
		dec.RevisionRate = (float64(revision) + 1) / 256
		dec.MultiHomingCost = float64(multiHoming) / 128
		cfg.Threshold = []Distribution{
			{Kind: DistConstant, Value: float64(theta) / 255},
			{Kind: DistUniform, Min: 0, Max: float64(theta)/255 + 0.01},
			{Kind: DistNormal, Mean: float64(theta) / 510, SD: 0.2},
		}[int(theta)%3]
		cfg.Graph = GraphSpec{Kind: GraphErdosRenyi, MeanDegree: float64(degree%40) / 2}
		for j := range cfg.Platforms {
			cfg.Platforms[j].SwitchingCost = float64(switching) / 100
			cfg.Platforms[j].P, cfg.Platforms[j].Q = float64(p)/1024, float64(q)/256
		}
		cfg.Platforms[1].Launch = int(launch % 6)
		if err := cfg.Validate(); err != nil {
			t.Fatalf("the mapped config is invalid: %v", err)
		}
		var sims [2]*Simulation
		for k := range sims {
			sim, err := NewSimulation(cfg, seed, 2)
			if err != nil {
				t.Fatal(err)
			}
			sims[k] = sim
		}
		two, each := sims[0], sims[1]
		each.decideEachAgent = true
		for step := 1; two.Advance(); step++ {
			each.Advance()
			if !slices.Equal(two.active, each.active) || !slices.Equal(two.aware, each.aware) ||
				!slices.Equal(two.stale, each.stale) || !slices.Equal(two.stayBound, each.stayBound) {
				t.Fatalf("step %d: the agents' states differ", step)
			}
		}
		if !two.decidesTwo() {
			t.Fatal("the last step did not take decideTwo")
		}
	})
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
