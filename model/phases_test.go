package model

import (
	"testing"
	"time"
)

// TestPhaseTimer: with the timer on, a step's phases are timed, none negative, the decisions'
// above zero, and together within the time the step took; with it off, they are zero. Movers
// counts the agents whose set changed by decision, under both update schemes.
func TestPhaseTimer(t *testing.T) {
	for _, update := range []Update{Synchronous, RandomSequential} {
		cfg := testConfig(2000, 12)
		cfg.Decision.Update = update
		sim, err := NewSimulation(cfg, 4, 2)
		if err != nil {
			t.Fatal(err)
		}
		moved := 0
		for step := 1; step <= cfg.Steps; step++ {
			on := step%2 == 0
			sim.SetPhaseTimer(on)
			before := append([]uint8(nil), sim.active...)
			started := time.Now()
			sim.Advance()
			took := time.Since(started)
			changed := 0
			for i, set := range sim.active {
				if set != before[i] {
					changed++
				}
			}
			if sim.Movers() != changed {
				t.Errorf("%s, step %d: %d movers, %d agents changed set", update, step, sim.Movers(), changed)
			}
			moved += changed
			times := sim.PhaseTimes()
			var sum time.Duration
			for _, p := range Phases {
				if times[p] < 0 || !on && times[p] != 0 {
					t.Errorf("%s, step %d, timer on %v: phase %s took %v", update, step, on, p, times[p])
				}
				sum += times[p]
			}
			if on && (times[PhaseDecide] <= 0 || sum > took) {
				t.Errorf("%s, step %d: phases %v (sum %v) in a step of %v", update, step, times, sum, took)
			}
		}
		if moved == 0 {
			t.Errorf("%s: no agent moved: the movers were not tested", update)
		}
	}
}
