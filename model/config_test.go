package model

import (
	"context"
	"math"
	"strings"
	"testing"
)

// TestValidateRefusesWhatCannotRun: every config Validate accepts must run without a panic,
// and the ones it refuses are named by field.
func TestValidateRefusesWhatCannotRun(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		edit func(*Config)
		want string // in the error
	}{
		{"temperature below 1/MaxFloat64", func(c *Config) { c.Decision.Temperature = 1e-310 }, "decision.temperature must be in [1e-300, 1e+300]"},
		{"zero temperature", func(c *Config) { c.Decision.Temperature = 0 }, "decision.temperature must be in [1e-300, 1e+300]"},
		{"zero decision: the default rule is logit", func(c *Config) { c.Decision = Decision{RevisionRate: 1} }, "decision.temperature must be in [1e-300, 1e+300] for the logit rule, got 0"},
		{"unknown rule", func(c *Config) { c.Decision.Rule = "greedy" }, `decision.rule: unknown "greedy" (valid: logit, threshold, bass)`},
		{"unknown update", func(c *Config) { c.Decision.Update = "async" }, `decision.update: unknown "async"`},
		{"unknown benefit", func(c *Config) { c.Decision.Benefit = "sum" }, `decision.benefit: unknown "sum"`},
		{"unknown contagion", func(c *Config) { c.Decision.Contagion = "simple" }, `decision.contagion: unknown "simple"`},
		{"unknown graph kind", func(c *Config) { c.Graph.Kind = "grid" }, `graph.kind: unknown "grid"`},
		{"unknown threshold kind", func(c *Config) { c.Threshold.Kind = "gamma" }, `threshold.kind: unknown "gamma"`},
		{"unknown event kind", func(c *Config) { c.Events = []Event{{Kind: "gift"}} }, `events[0].kind: unknown "gift"`},
		{"unknown target", func(c *Config) { c.Events = []Event{{Kind: EventSeed, Count: 1, Target: "all"}} }, `events[0].target: unknown "all"`},
		{"share above 1", func(c *Config) { c.Events = []Event{{Kind: EventPreinstall, Share: 2}} }, "events[0]: share must be in [0, 1], count and p >= 0, got share=2"},
		{"negative count", func(c *Config) { c.Events = []Event{{Kind: EventSeed, Count: -3}} }, "count and p >= 0, got share=0 count=-3"},
		{"negative at", func(c *Config) { c.Events = []Event{{Kind: EventSeed, Count: 1, At: -1}} }, "events[0]: at must be >= 0"},
		{"ban factor", func(c *Config) { c.Events = []Event{{Kind: EventBan, NetworkWeightFactor: 2}} }, "events[0].network_weight_factor must be in [0, 1]"},
		{"block target without blocks", func(c *Config) { c.Events = []Event{{Kind: EventPreinstall, Share: 0.5, Target: TargetBlock}} }, "events[0]: target block needs a stochastic_block graph"},
		{"active on a seed", func(c *Config) { c.Events = []Event{{Kind: EventSeed, Count: 1, Active: true}} }, "events[0]: active and per_step apply to preinstall events, not seed"},
		{"committed sleeping install", func(c *Config) { c.Events = []Event{{Kind: EventPreinstall, Share: 0.1, Committed: true}} }, "events[0].committed needs active"},
		{"until on a one-shot install", func(c *Config) { c.Events = []Event{{Kind: EventPreinstall, Share: 0.1, At: 1, Until: 2}} }, "events[0].until applies to flows (per_step preinstalls), not one-shot preinstall events"},
		{"flow of nodes", func(c *Config) { c.Events = []Event{{Kind: EventPreinstall, PerStep: true, Nodes: []int{1}}} }, "events[0]: a flow installs a count or a share per step, not listed nodes"},
		{"infinite q", func(c *Config) { c.Platforms[1].Q = math.Inf(1) }, "platforms[1]: p and q must be finite and >= 0, got p=0.01 q=+Inf"},
		{"negative switching cost", func(c *Config) { c.Platforms[1].SwitchingCost = -0.5 }, "platforms[1].switching_cost must be >= 0 (a cost of leaving), got -0.5"},
		{"NaN switching cost", func(c *Config) { c.Platforms[0].SwitchingCost = math.NaN() }, "platforms[0].switching_cost must be >= 0 (a cost of leaving), got NaN"},
		{"infinite switching cost", func(c *Config) { c.Platforms[0].SwitchingCost = math.Inf(1) }, "platforms[0].switching_cost must be in [-1e+06, 1e+06] (a utility), got +Inf"},
		{"infinite appeal", func(c *Config) { c.Platforms[0].Appeal = math.Inf(1) }, "platforms[0].appeal must be in [-1e+06, 1e+06]"},
		{"huge threshold", func(c *Config) { c.Threshold = Distribution{Kind: DistConstant, Value: -1e30} }, "threshold.value must be in [-1e+06, 1e+06]"},
	}
	for _, tc := range cases {
		cfg := testConfig(50, 3)
		tc.edit(cfg)
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Validate() = %v, want an error containing %q", tc.name, err, tc.want)
		}
		if _, err := Run(context.Background(), cfg, RunOptions{Seed: 1, Workers: 1}); err == nil {
			t.Errorf("%s: Run accepted what Validate refuses", tc.name)
		}
	}
}

// TestTinyTemperatureRuns: the smallest temperature Validate accepts runs (the weights of
// tied moves are computed without 0 x Inf).
func TestTinyTemperatureRuns(t *testing.T) {
	t.Parallel()
	cfg := testConfig(300, 20)
	cfg.Decision.Temperature = MinTemperature
	cfg.Threshold = Distribution{Kind: DistConstant} // ties between moves of equal utility
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	mustRun(t, cfg, 1, 1)
}

// TestZeroEnumsAreTheDocumentedDefaults: an empty enumerated field runs exactly as its
// documented default (Defaults()), as config.go promises.
func TestZeroEnumsAreTheDocumentedDefaults(t *testing.T) {
	t.Parallel()
	want := mustRun(t, testConfig(2000, 30), 3, 2)
	for name, clear := range map[string]func(*Config){
		"rule":      func(c *Config) { c.Decision.Rule = "" },
		"update":    func(c *Config) { c.Decision.Update = "" },
		"benefit":   func(c *Config) { c.Decision.Benefit = "" },
		"contagion": func(c *Config) { c.Decision.Contagion = "" },
		"graph":     func(c *Config) { c.Graph.Kind = "" },
	} {
		cfg := testConfig(2000, 30)
		clear(cfg)
		if err := cfg.Validate(); err != nil {
			t.Errorf("empty %s: %v", name, err)
			continue
		}
		if !equalSeries(mustRun(t, cfg, 3, 2), want) {
			t.Errorf("empty %s does not run as its documented default", name)
		}
		if cfg.MemoryEstimate() != testConfig(2000, 30).MemoryEstimate() {
			t.Errorf("empty %s changes the memory estimate", name)
		}
	}
	// The zero threshold distribution is the constant 0, and an event's empty target random.
	a, b := testConfig(2000, 30), testConfig(2000, 30)
	a.Threshold, b.Threshold = Distribution{}, Distribution{Kind: DistConstant}
	a.Events = []Event{{Kind: EventSeed, Platform: 1, At: 30, Count: 20}}
	b.Events = []Event{{Kind: EventSeed, Platform: 1, At: 30, Count: 20, Target: TargetRandom}}
	if !equalSeries(mustRun(t, a, 3, 2), mustRun(t, b, 3, 2)) {
		t.Error("empty threshold kind or target does not run as the documented default")
	}
}
