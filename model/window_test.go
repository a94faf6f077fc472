package model

import (
	"fmt"
	"slices"
	"testing"
)

// TestWindowedActiveMatchesBruteForce records every agent's platform set at every step and
// counts, per platform, the agents that used it at some step in (t-W, t]: the engine's
// windowed series must equal that count at every step, under both update schemes, with
// churn so that agents leave and come back. W = 1 is the active users themselves.
func TestWindowedActiveMatchesBruteForce(t *testing.T) {
	t.Parallel()
	for _, update := range []Update{Synchronous, RandomSequential} {
		for _, w := range []int{1, 2, 4} {
			t.Run(fmt.Sprintf("%s/W=%d", update, w), func(t *testing.T) {
				t.Parallel()
				const agents, steps = 3000, 25
				cfg := testConfig(agents, steps)
				cfg.Decision.Update = update
				cfg.Decision.Temperature = 0.3 // noisy choices: agents leave and return
				for j := range cfg.Platforms {
					cfg.Platforms[j].Churn = 0.2
				}
				cfg.Platforms[1].Launch = 3
				cfg.ActiveWindow = w
				sim, err := NewSimulation(cfg, 7, 3)
				if err != nil {
					t.Fatal(err)
				}
				history := [][]uint8{slices.Clone(sim.active)}
				for sim.Advance() {
					history = append(history, slices.Clone(sim.active))
				}
				s := sim.Series()
				if w <= 1 && s.Windowed() {
					t.Fatalf("W=%d: the series keeps a windowed count", w)
				}
				returned := 0
				for step := range history {
					for j := range s.Platforms {
						var want int64
						for i := range agents {
							used := false
							for k := max(0, step-w+1); k <= step; k++ {
								used = used || history[k][i]>>j&1 != 0
							}
							if used {
								want++
							}
							if step > 0 && history[step][i]>>j&1 != 0 && history[step-1][i]>>j&1 == 0 && slices.ContainsFunc(history[:step], func(set []uint8) bool { return set[i]>>j&1 != 0 }) {
								returned++
							}
						}
						got := s.Users[s.At(step, j)]
						if s.Windowed() {
							got = s.WindowedActive[s.At(step, j)]
						}
						if got != want {
							t.Fatalf("step %d platform %d: windowed actives %d, brute force %d", step, j, got, want)
						}
					}
				}
				if returned == 0 {
					t.Fatal("no agent left a platform and came back: the test does not exercise the window")
				}
			})
		}
	}
}

// TestWindowedActiveIsFreeWhenOff: without a window the engine keeps no per-agent window
// state and the series no windowed column; the memory formula counts both when there is one.
func TestWindowedActiveIsFreeWhenOff(t *testing.T) {
	t.Parallel()
	cfg := testConfig(500, 3)
	sim, err := NewSimulation(cfg, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if sim.recent != nil || sim.Series().WindowedActive != nil {
		t.Error("window state allocated without an active window")
	}
	cfg.Graph = GraphSpec{Kind: GraphComplete} // the agents' state, not the graph's build, sets the peak
	off := cfg.MemoryEstimate()
	cfg.ActiveWindow = 4
	if got, want := cfg.MemoryEstimate()-off, float64(2*500*2+8*2*4); got != want {
		t.Errorf("an active window of 4 adds %g bytes to the estimate, want %g", got, want)
	}
}
