package model

import (
	"math"
	"testing"
)

// unwantedEntrant is testConfig with an entrant, launched at once, that nobody would choose:
// a very low appeal, no network benefit and no way to hear of it but an install.
func unwantedEntrant(agents, steps int, rule Rule) *Config {
	cfg := testConfig(agents, steps)
	cfg.Decision.Rule = rule
	e := &cfg.Platforms[1]
	e.Launch, e.Appeal, e.NetworkWeight, e.P, e.Q = 0, -100, 0, 0, 0
	return cfg
}

// TestSleepingPreinstallOfUnwantedApp: a preinstall without active registers exactly the
// installed agents and makes none of them users, under every rule; with active it makes them
// all users at its step (who then drop it by their rule).
func TestSleepingPreinstallOfUnwantedApp(t *testing.T) {
	t.Parallel()
	for _, rule := range []Rule{RuleLogit, RuleThreshold, RuleBass} {
		for _, active := range []bool{false, true} {
			cfg := unwantedEntrant(2000, 12, rule)
			cfg.Events = []Event{{Kind: EventPreinstall, Platform: 1, At: 3, Count: 600, Active: active}}
			s := mustRun(t, cfg, 7, 2)
			for step := 0; step <= cfg.Steps; step++ {
				registered, users := s.Registered[s.At(step, 1)], s.Users[s.At(step, 1)]
				wantRegistered := int64(0)
				if step >= 3 {
					wantRegistered = 600
				}
				if registered != wantRegistered {
					t.Errorf("%s, active %v: step %d: %d registered, want %d", rule, active, step, registered, wantRegistered)
				}
				if !active && users != 0 {
					t.Errorf("%s, sleeping: step %d: %d users of an app nobody wants, want 0", rule, step, users)
				}
			}
			if got, want := s.NewUsers[s.At(3, 1)], map[bool]int64{false: 0, true: 600}[active]; got != want {
				t.Errorf("%s, active %v: %d new users at the preinstall's step, want %d", rule, active, got, want)
			}
		}
	}
}

// TestFlowInstallsScheduledCounts: a flow registers exactly its count, or its rounded share of
// all agents, at each step of [at, until) and nobody outside it; when fewer agents lack the
// app than the step's count, it takes them all.
func TestFlowInstallsScheduledCounts(t *testing.T) {
	t.Parallel()
	const agents = 1000
	cases := []struct {
		name  string
		event Event
		want  func(k int) int64 // agents registered after the flow's k-th step
	}{
		{"count", Event{Count: 37, At: 3, Until: 10}, func(k int) int64 { return int64(37 * min(k, 7)) }},
		{"share", Event{Share: 0.0125, At: 3, Until: 10}, func(k int) int64 { return int64(math.Round(12.5 * float64(min(k, 7)))) }},
		{"count to the end", Event{Count: 400, At: 3}, func(k int) int64 { return int64(min(400*k, agents)) }},
		{"top degree", Event{Count: 50, At: 3, Until: 5, Target: TargetTopDegree}, func(k int) int64 { return int64(50 * min(k, 2)) }},
	}
	for _, tc := range cases {
		cfg := unwantedEntrant(agents, 14, RuleThreshold)
		e := tc.event
		e.Kind, e.Platform, e.PerStep = EventPreinstall, 1, true
		cfg.Events = []Event{e}
		sim, err := NewSimulation(cfg, 3, 2)
		if err != nil {
			t.Fatal(err)
		}
		for sim.Advance() {
		}
		s := sim.Series()
		for step := 0; step <= cfg.Steps; step++ {
			if got, want := s.Registered[s.At(step, 1)], tc.want(max(step-e.At+1, 0)); got != want {
				t.Errorf("%s: step %d: %d registered, want %d", tc.name, step, got, want)
			}
		}
		if e.Target == TargetTopDegree {
			for i := 0; i < agents; i++ {
				if sim.registered[i]&2 == 0 && sim.degree(i) > sim.degree(int(sim.agentsByDegree()[99])) {
					t.Errorf("top degree flow: agent %d of degree %d left out of the 100 best-connected", i, sim.degree(i))
				}
			}
		}
	}
}

// TestFlowWithinBlock: a flow targeting a block installs only there, and the whole block
// once the flow has outrun it.
func TestFlowWithinBlock(t *testing.T) {
	t.Parallel()
	cfg := unwantedEntrant(300, 6, RuleLogit)
	cfg.Graph = GraphSpec{Kind: GraphBlocks, BlockSizes: []int{200, 100}, PIn: 0.05, POut: 0.01}
	cfg.Events = []Event{{Kind: EventPreinstall, Platform: 1, At: 1, Until: 4, PerStep: true, Count: 40, Target: TargetBlock, Block: 1}}
	sim, err := NewSimulation(cfg, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	for sim.Advance() {
	}
	for i := 0; i < cfg.Agents; i++ {
		if got, want := sim.registered[i]&2 != 0, i >= 200; got != want {
			t.Errorf("agent %d (block %d): registered %v, want %v", i, sim.blocks[i], got, want)
		}
	}
	if got := sim.Series().Registered[sim.Series().At(3, 1)]; got != 100 {
		t.Errorf("%d registered after three steps of 40 in a block of 100, want 100", got)
	}
}

// TestCommittedFlowNeverLeaves: agents a committed active flow installs keep the app through
// churn 1 and an appeal that tells them to leave, so users grow by exactly the count per
// step and never fall; without committed they leave at once.
func TestCommittedFlowNeverLeaves(t *testing.T) {
	t.Parallel()
	for _, rule := range []Rule{RuleLogit, RuleThreshold, RuleBass} {
		for _, committed := range []bool{true, false} {
			cfg := unwantedEntrant(1000, 10, rule)
			cfg.Platforms[1].Churn = 1
			cfg.Events = []Event{{Kind: EventPreinstall, Platform: 1, At: 1, Until: 6, PerStep: true, Count: 20, Active: true, Committed: committed}}
			s := mustRun(t, cfg, 4, 2)
			for step := 1; step <= cfg.Steps; step++ {
				want := int64(20 * min(step, 5))
				if !committed {
					want = 0 // installed at the start of the step, churned by its end
				}
				if got := s.Users[s.At(step, 1)]; got != want {
					t.Errorf("%s, committed %v: step %d: %d users, want %d", rule, committed, step, got, want)
				}
			}
		}
	}
}
