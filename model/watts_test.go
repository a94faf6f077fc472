package model

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/model/graph"
)

// wattsCascade is an independent reference for Watts's (2002) threshold model with
// synchronous updates, in exact integer arithmetic: from the seeds, at each step every
// inactive node with k > 0 neighbours, a of them active, activates when a/k >= phi =
// phiNum/phiDen, i.e. a*phiDen >= phiNum*k; active nodes stay active. It returns the active
// set after each step 0..steps.
func wattsCascade(g *graph.Rows, seeds []int, phiNum, phiDen int64, steps int) [][]bool {
	n := g.NumNodes()
	active := make([]bool, n)
	for _, s := range seeds {
		active[s] = true
	}
	history := [][]bool{slices.Clone(active)}
	for range steps {
		next := slices.Clone(active)
		for i := range n {
			row := g.Row(i)
			k := int64(len(row))
			if active[i] || k == 0 {
				continue
			}
			var a int64
			for _, v := range row {
				if active[v] {
					a++
				}
			}
			if a*phiDen >= phiNum*k {
				next[i] = true
			}
		}
		active = next
		history = append(history, slices.Clone(active))
	}
	return history
}

// wattsConfig is README's recipe for Watts's model: the threshold rule, one platform with
// zero appeal, unit weight and no switching cost, a constant threshold phi, everyone aware
// from step 1 (p = 1 with independent contagion) and committed seeds.
func wattsConfig(g *graph.CSR, seeds []int, phi float64, steps int) *Config {
	cfg := Defaults()
	cfg.Agents, cfg.Steps = g.NumNodes(), steps
	cfg.Graph = GraphSpec{Kind: GraphGiven, Given: g}
	cfg.Decision.Rule, cfg.Decision.Contagion = RuleThreshold, ContagionIndependent
	cfg.Threshold = Distribution{Kind: DistConstant, Value: phi}
	product := DefaultPlatform("product")
	product.P = 1
	cfg.Platforms = []Platform{product}
	cfg.Events = []Event{{Kind: EventSeed, Platform: 0, Nodes: seeds, Committed: true}}
	return &cfg
}

func loadEmailEU(t *testing.T) *graph.CSR {
	t.Helper()
	f, err := os.Open("../data/graphs/email-Eu-core.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, _, err := graph.ReadEdgeList(f, "email-Eu-core.txt")
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestWattsCascadeMatchesReference runs README's Watts recipe on a real contact network
// (SNAP's email-Eu-core) and compares the adopters with the reference cascade at every step.
// The thresholds give global cascades of 5 to 17 steps, a partial one, and one that stops at
// step 1; with phi = 0.05, 0.1 and 0.25 agents activate exactly at a = phi k.
func TestWattsCascadeMatchesReference(t *testing.T) {
	t.Parallel()
	g := loadEmailEU(t)
	const steps = 30
	var seeds []int
	for i := 0; i < g.NumNodes(); i += 67 { // 15 nodes spread over the id range
		seeds = append(seeds, i)
	}
	tieActivations := 0
	for _, tc := range []struct {
		phi            float64
		phiNum, phiDen int64
	}{{0.05, 1, 20}, {0.1, 1, 10}, {0.11, 11, 100}, {0.12, 3, 25}, {0.25, 1, 4}} {
		want := wattsCascade(graph.Shared(g), seeds, tc.phiNum, tc.phiDen, steps)
		lastGrowth, final := 0, 0
		for step := 1; step <= steps; step++ {
			for i := range want[step] {
				if !want[step][i] || want[step-1][i] {
					continue
				}
				lastGrowth = step
				var a int64
				for _, v := range g.Row(i) {
					if want[step-1][v] {
						a++
					}
				}
				if a*tc.phiDen == tc.phiNum*int64(g.Degree(i)) {
					tieActivations++
				}
			}
		}
		for _, on := range want[steps] {
			if on {
				final++
			}
		}
		t.Logf("phi %g: cascade of %d agents, last growth at step %d", tc.phi, final, lastGrowth)
		if lastGrowth < 1 || lastGrowth == steps {
			t.Fatalf("phi %g: the reference cascade grows until step %d: pick a case that spreads and settles", tc.phi, lastGrowth)
		}

		sim, err := NewSimulation(wattsConfig(g, seeds, tc.phi, steps), 7, 2)
		if err != nil {
			t.Fatal(err)
		}
		for step := 0; step <= steps; step++ {
			if step > 0 {
				sim.Advance()
			}
			for i, on := range want[step] {
				if got := sim.active[i]&1 != 0; got != on {
					t.Fatalf("phi %g, step %d: agent %d (degree %d) uses the platform: %v, reference cascade: %v", tc.phi, step, i, g.Degree(i), got, on)
				}
			}
		}

		// Random sequential updates take other paths to the same fixed point.
		cfg := wattsConfig(g, seeds, tc.phi, steps)
		cfg.Decision.Update = RandomSequential
		sim, err = NewSimulation(cfg, 7, 1)
		if err != nil {
			t.Fatal(err)
		}
		for sim.Advance() {
		}
		for i, on := range want[steps] {
			if got := sim.active[i]&1 != 0; got != on {
				t.Fatalf("phi %g, random sequential: agent %d uses the platform at the end: %v, reference cascade: %v", tc.phi, i, got, on)
			}
		}
	}
	if tieActivations == 0 {
		t.Fatal("no agent activated exactly at its threshold: the cases do not test ties")
	}
}

// TestCommittedAgentsStay: agents a committed seed or preinstall reaches keep the platform
// through certain churn and a utility that tells them to leave; the others leave at once.
func TestCommittedAgentsStay(t *testing.T) {
	t.Parallel()
	for _, rule := range []Rule{RuleLogit, RuleThreshold, RuleBass} {
		cfg := testConfig(1000, 5)
		cfg.Decision.Rule = rule
		cfg.Platforms[0].Churn, cfg.Platforms[0].Appeal = 1, -5
		cfg.Platforms[1].Launch = 0
		cfg.Events = []Event{
			{Kind: EventSeed, Platform: 0, Nodes: []int{1, 2, 3}, Committed: true},
			{Kind: EventSeed, Platform: 0, Nodes: []int{4, 5}},
			{Kind: EventPreinstall, Platform: 0, At: 2, Share: 0.1, Committed: true, Active: true},
		}
		sim, err := NewSimulation(cfg, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		sim.Advance()
		for i := 1; i <= 5; i++ {
			if got, want := sim.active[i]&1 != 0, i <= 3; got != want {
				t.Errorf("%s: seeded agent %d (committed %v) uses the platform after a step with churn 1: %v", rule, i, want, got)
			}
		}
		sim.Advance()
		preinstalled := sim.Series().NewUsers[sim.Series().At(2, 0)]
		for sim.Advance() {
		}
		if got := sim.Series().Users[sim.Series().At(5, 0)]; got != 3+preinstalled || preinstalled < 50 {
			t.Errorf("%s: %d users at the end, want the 3 committed seeds and the %d committed preinstalls (about 100)", rule, got, preinstalled)
		}
	}
	cfg := testConfig(100, 5)
	cfg.Events = []Event{{Kind: EventMarketing, Platform: 0, P: 0.1, Committed: true}}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "events[0].committed applies to seed and preinstall events, not marketing") {
		t.Errorf("committed marketing: Validate() = %v", err)
	}
}
