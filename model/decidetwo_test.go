package model

import (
	"fmt"
	"slices"
	"testing"
)

// decideTwoCase is a run that decideTwo takes, for TestDecideTwoMatchesDecide: its config,
// and a change to its simulations once built (nil for none).
type decideTwoCase struct {
	cfg     *Config
	prepare func(sim *Simulation)
}

// decideTwoCases cover both rules (the logit one with stay bounds, and without them, as runs
// of 2^26 agents or more keep none), both contagions and benefit measures, constant (tied),
// uniform and normal thresholds, agents without contacts, revision below 1, a platform
// launched late (with seeds before its launch), marketing, a ban, and no switching cost, on
// 20,000 agents: three blocks, so that blocks start past agent 0 and workers share them.
func decideTwoCases() map[string]decideTwoCase {
	cases := map[string]decideTwoCase{}
	add := func(name string, rule Rule, edit func(cfg *Config), prepare func(sim *Simulation)) {
		cfg := testConfig(20000, 40)
		cfg.Decision.Rule, cfg.Decision.Temperature = rule, 0.1
		cfg.Platforms[1].Launch = 0
		edit(cfg)
		cases[name] = decideTwoCase{cfg: cfg, prepare: prepare}
	}
	add("threshold", RuleThreshold, func(*Config) {}, nil)
	add("threshold/ties", RuleThreshold, func(cfg *Config) {
		cfg.Graph = GraphSpec{Kind: GraphWattsStrogatz, K: 10}
		cfg.Threshold = Distribution{Kind: DistConstant, Value: 0.3}
		cfg.Decision.MultiHomingCost = 0
		cfg.Platforms[0].Appeal, cfg.Platforms[1].Appeal = 0, 0
		cfg.Events = []Event{ // seeds, so that 3 contacts of 10 on a platform is a tie
			{Kind: EventSeed, Platform: 0, Count: 4000, Target: TargetRandom},
			{Kind: EventSeed, Platform: 1, Count: 4000, Target: TargetRandom},
		}
	}, nil)
	add("threshold/sparse-count-independent", RuleThreshold, func(cfg *Config) {
		cfg.Graph = GraphSpec{Kind: GraphErdosRenyi, MeanDegree: 1.5} // a fifth of the agents without contacts
		cfg.Decision.Benefit, cfg.Decision.Contagion = BenefitCount, ContagionIndependent
		cfg.Platforms[0].NetworkWeight, cfg.Platforms[1].NetworkWeight = 0.2, 0.3
	}, nil)
	add("threshold/revision-events", RuleThreshold, func(cfg *Config) {
		cfg.Decision.RevisionRate = 0.4
		cfg.Platforms[1].Launch = 6 // seeded at step 3: its users wait for decide until then
		cfg.Threshold = Distribution{Kind: DistUniform, Min: 0, Max: 0.6}
		cfg.Events = []Event{
			{Kind: EventSeed, Platform: 1, At: 3, Count: 40, Target: TargetRandom},
			{Kind: EventMarketing, Platform: 1, At: 10, Until: 20, P: 0.1},
			{Kind: EventBan, Platform: 0, At: 25, Until: 35, AppealChange: -0.2, NetworkWeightFactor: 0.5},
		}
	}, nil)
	add("logit", RuleLogit, func(cfg *Config) {
		cfg.Platforms[1].Launch = 5
	}, nil)
	add("logit/cold-independent-revision", RuleLogit, func(cfg *Config) {
		cfg.Decision.Temperature = MinTemperature
		cfg.Decision.Contagion, cfg.Decision.RevisionRate = ContagionIndependent, 0.7
		cfg.Platforms[0].SwitchingCost, cfg.Platforms[1].SwitchingCost = 0, 0
	}, nil)
	add("logit/hot-count-without-bounds", RuleLogit, func(cfg *Config) {
		cfg.Decision.Temperature, cfg.Decision.Benefit = 5, BenefitCount
	}, func(sim *Simulation) { sim.stale, sim.stayBound = nil, nil })
	return cases
}

// TestDecideTwoMatchesDecide: decideTwo leaves every agent's state exactly as decide does,
// step by step, on one worker and on three, and with the graph's offsets and counts at every
// pair of widths.
func TestDecideTwoMatchesDecide(t *testing.T) {
	t.Parallel()
	for name, c := range decideTwoCases() {
		for _, run := range []struct{ workers, wideOffsets, wideCounts int }{
			{1, 0, 0}, {3, 0, 0}, {3, 1, 0}, {3, 0, 1}, {3, 1, 1},
		} {
			t.Run(fmt.Sprintf("%s/workers=%d/wide_offsets=%d/wide_counts=%d", name, run.workers, run.wideOffsets, run.wideCounts), func(t *testing.T) {
				t.Parallel()
				prepare := func(sim *Simulation) {
					widen(&sim.g, &sim.counts, run.wideOffsets == 1, run.wideCounts == 1)
					if c.prepare != nil {
						c.prepare(sim)
					}
				}
				if err := decideTwoMatches(c.cfg, 7, run.workers, prepare, c.cfg.Steps/2, c.cfg.Agents/2); err != nil {
					t.Error(err)
				}
			})
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
		if err := decideTwoMatches(cfg, seed, 2, nil, 1, 0); err != nil {
			t.Fatal(err)
		}
	})
}

// decideTwoMatches runs cfg from seed on workers twice, deciding through decideTwo and
// through decide, each simulation changed by prepare (if not nil) once built, and returns the
// first difference of the agents' states after a step, or an error if decideTwo took fewer
// than minSteps steps or its runs fewer than minMoves moves.
func decideTwoMatches(cfg *Config, seed uint64, workers int, prepare func(sim *Simulation), minSteps, minMoves int) error {
	var sims [2]*Simulation
	for k := range sims {
		sim, err := NewSimulation(cfg, seed, workers)
		if err != nil {
			return err
		}
		if prepare != nil {
			prepare(sim)
		}
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
	if stepsTwo < minSteps || moved < minMoves {
		return fmt.Errorf("decideTwo decided %d of %d steps, with %d moves: too few to compare (want %d steps, %d moves)", stepsTwo, cfg.Steps, moved, minSteps, minMoves)
	}
	return nil
}
