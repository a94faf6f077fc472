package model

import "testing"

// TestQuietOctetIsTheQuickReturn: the skim over eight agents (quietOctet) finds them quiet
// exactly when decide's quick return holds for each one, over random states of the sets, the
// staleness and the step's launched and churning platforms; and for quiet agents decide
// changes nothing.
func TestQuietOctetIsTheQuickReturn(t *testing.T) {
	cfg := testConfig(64, 5)
	cfg.Decision.Rule = RuleThreshold
	sim, err := NewSimulation(cfg, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := newStream(99, 0)
	bits := func(p float64) uint8 { // a set of the platforms, each in it with probability p
		var set uint8
		for j := range sim.np {
			if r.float() < p {
				set |= 1 << j
			}
		}
		return set
	}
	var quiet, noisy int
	for trial := range 20000 {
		sim.launched, sim.churning = bits(0.8), bits(0.1)
		for i := range 8 {
			sim.active[i], sim.aware[i], sim.stale[i] = bits(0.3), bits(0.9), 0
			sim.aware[i] |= sim.active[i]
			if r.float() < 0.05 {
				sim.stale[i] = 1
			}
		}
		want := true
		for i := range 8 {
			set, aware := sim.active[i], sim.aware[i]
			want = want && sim.stale[i] == 0 && (sim.launched|set)&^aware|set&sim.churning == 0
		}
		if got := sim.quietOctet(0, octet(sim.launched), octet(sim.churning)); got != want {
			t.Fatalf("trial %d: quietOctet %v, the quick return of each agent %v (launched %b, churning %b, sets %v, aware %v, stale %v)",
				trial, got, want, sim.launched, sim.churning, sim.active[:8], sim.aware[:8], sim.stale[:8])
		}
		if !want {
			noisy++
			continue
		}
		quiet++
		before := [3][8]uint8{[8]uint8(sim.active), [8]uint8(sim.aware), [8]uint8(sim.stale)}
		for i := range 8 {
			if set := sim.decide(i, sim.active[i], 1, &sim.results[0].scratch); set != sim.active[i] {
				t.Fatalf("trial %d: quiet agent %d moved from %b to %b", trial, i, sim.active[i], set)
			}
		}
		if after := [3][8]uint8{[8]uint8(sim.active), [8]uint8(sim.aware), [8]uint8(sim.stale)}; after != before {
			t.Fatalf("trial %d: decide changed quiet agents' state from %v to %v", trial, before, after)
		}
	}
	if quiet < 100 || noisy < 100 {
		t.Errorf("%d quiet and %d noisy octets: the test exercises too little of one side", quiet, noisy)
	}
}
