package model

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
)

// recordHistory runs cfg stepwise, feeding an AgentHistory, and keeps a copy of every agent's
// awareness, registrations and platforms at every step.
func recordHistory(t *testing.T, cfg *Config, seed uint64, workers int) (*AgentHistory, *Simulation, [][3][]uint8) {
	t.Helper()
	sim, err := NewSimulation(cfg, seed, workers)
	if err != nil {
		t.Fatal(err)
	}
	h := &AgentHistory{}
	var states [][3][]uint8
	for {
		h.Observe(sim)
		states = append(states, [3][]uint8{slices.Clone(sim.aware), slices.Clone(sim.registered), slices.Clone(sim.active)})
		if !sim.Advance() {
			break
		}
	}
	return h, sim, states
}

// TestAgentHistoryMatchesBruteForce: each agent's first step of awareness, registration and
// use of each platform is the first recorded state holding it, scanned naively over every
// step; the agents registered by step t add up to the series' registered users; the final
// sets, degrees and thresholds are the simulation's. With churn and noisy choices agents
// leave and return, with a preinstall some register before choosing.
func TestAgentHistoryMatchesBruteForce(t *testing.T) {
	t.Parallel()
	const agents, steps = 2000, 30
	cfg := testConfig(agents, steps)
	cfg.Decision.Temperature = 0.3
	for j := range cfg.Platforms {
		cfg.Platforms[j].Churn = 0.1
	}
	cfg.Platforms[1].Launch = 4
	cfg.Events = []Event{{Kind: EventPreinstall, Platform: 1, At: 6, Share: 0.05}}
	h, sim, states := recordHistory(t, cfg, 11, 2)
	np := len(cfg.Platforms)
	names := []string{"aware", "registered", "used"}
	firsts := [][]int32{h.FirstAware, h.FirstRegistered, h.FirstUsed}
	seen := make([]int, 3)
	for k := range 3 {
		for i := range agents {
			for j := range np {
				want := int32(NeverSeen)
				for step, st := range states {
					if st[k][i]>>j&1 != 0 {
						want = int32(step)
						break
					}
				}
				if want != NeverSeen {
					seen[k]++
				}
				if got := firsts[k][i*np+j]; got != want {
					t.Fatalf("agent %d platform %d: first %s step %d, want %d", i, j, names[k], got, want)
				}
			}
		}
	}
	s := sim.Series()
	for step := 0; step <= steps; step++ {
		for j := range np {
			var registered int64
			for i := range agents {
				if k := h.FirstRegistered[i*np+j]; k != NeverSeen && int(k) <= step {
					registered++
				}
			}
			if want := s.Registered[s.At(step, j)]; registered != want {
				t.Errorf("step %d platform %d: %d agents registered by then, the series says %d", step, j, registered, want)
			}
		}
	}
	if !slices.Equal(h.Final, sim.active) {
		t.Error("final platform sets differ from the simulation's")
	}
	for i := range agents {
		if int(h.Degree[i]) != sim.degree(i) || float32(h.Threshold[i]) != sim.drawnThreshold(i) {
			t.Fatalf("agent %d: degree %d threshold %g, want %d and %g", i, h.Degree[i], h.Threshold[i], sim.degree(i), sim.drawnThreshold(i))
		}
	}
	// The test means something only if agents moved late, and some never did.
	if seen[2] == 0 || seen[2] == agents*np || slices.Max(h.FirstUsed) < 5 {
		t.Fatalf("degenerate run: %d agent-platforms ever used, latest first use %d", seen[2], slices.Max(h.FirstUsed))
	}
}

// TestAgentHistoryIndependentOfWorkers: the same seed gives the same agents' history on one
// goroutine and on several, synchronous or in random sequence.
func TestAgentHistoryIndependentOfWorkers(t *testing.T) {
	t.Parallel()
	for _, update := range []Update{Synchronous, RandomSequential} {
		t.Run(fmt.Sprint(update), func(t *testing.T) {
			t.Parallel()
			cfg := testConfig(20000, 15)
			cfg.Decision.Update = update
			one, _, _ := recordHistory(t, cfg, 3, 1)
			four, _, _ := recordHistory(t, cfg, 3, 4)
			if !reflect.DeepEqual(one, four) {
				t.Error("histories differ between 1 and 4 workers")
			}
		})
	}
}

// TestAgentHistoryWithoutDrawsOrGraph: a constant threshold per segment is each agent's, the
// complete graph gives everyone agents-1 contacts, and segments are recorded.
func TestAgentHistoryWithoutDrawsOrGraph(t *testing.T) {
	t.Parallel()
	cfg := testConfig(300, 5)
	cfg.Graph = GraphSpec{Kind: GraphComplete}
	cfg.Threshold = Distribution{Kind: DistConstant, Value: 0.2}
	low := Distribution{Kind: DistConstant, Value: 0.05}
	cfg.Segments = []Segment{{Name: "keen", Count: 100, Threshold: low}}
	h, sim, _ := recordHistory(t, cfg, 1, 1)
	keen := 0
	for i := range 300 {
		want := 0.2
		if sim.SegmentOf(i) == 1 {
			want, keen = 0.05, keen+1
		}
		if h.Threshold[i] != want || h.Degree[i] != 299 || int(h.Segment[i]) != sim.SegmentOf(i) {
			t.Fatalf("agent %d: threshold %g degree %d segment %d; want %g, 299, %d", i, h.Threshold[i], h.Degree[i], h.Segment[i], want, sim.SegmentOf(i))
		}
	}
	if keen != 100 {
		t.Fatalf("%d agents in segment keen, want 100", keen)
	}
}
