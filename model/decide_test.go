package model

import (
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/msgsim/msgsim/model/graph"
)

// star is agent 0 with k contacts, agents 1..k, who know only agent 0.
func star(k int) *graph.CSR {
	b := graph.NewBuilder(k+1, int64(k))
	for v := 1; v <= k; v++ {
		b.AddEdge(0, int32(v))
	}
	g, _ := b.Build()
	return g
}

// centreUsesAfterOneStep runs one synchronous threshold step on a star whose first a leaves
// use the one platform (and the centre too when centreUses), every agent aware from step 1
// and the threshold constant theta; it reports whether the centre then uses the platform.
func centreUsesAfterOneStep(t *testing.T, k, a int, theta float64, centreUses bool) bool {
	t.Helper()
	cfg := Defaults()
	cfg.Agents, cfg.Steps = k+1, 1
	cfg.Graph = GraphSpec{Kind: GraphGiven, Given: star(k)}
	cfg.Decision.Rule, cfg.Decision.Contagion = RuleThreshold, ContagionIndependent
	cfg.Threshold = Distribution{Kind: DistConstant, Value: theta}
	product := DefaultPlatform("product")
	product.P = 1 // everyone hears of it at step 1
	cfg.Platforms = []Platform{product}
	var seeds []int
	for v := 1; v <= a; v++ {
		seeds = append(seeds, v)
	}
	if centreUses {
		seeds = append(seeds, 0)
	}
	if len(seeds) > 0 {
		cfg.Events = []Event{{Kind: EventSeed, Platform: 0, Nodes: seeds}}
	}
	sim, err := NewSimulation(&cfg, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := sim.contactsOn(0, 0); got != int64(a) {
		t.Fatalf("k=%d: the centre has %d contacts on the platform at step 0, want %d", k, got, a)
	}
	sim.Advance()
	return sim.active[0]&1 != 0
}

// TestThresholdTiesAdopt: the threshold rule's documented tie rule, "an agent uses a platform
// when its benefit a/k is at least its threshold", holds exactly: with theta = a/k the centre
// of a star adopts (and a user keeps the platform) for every a and several degrees k, and with
// theta one float64 step above a/k it does neither.
func TestThresholdTiesAdopt(t *testing.T) {
	t.Parallel()
	for _, k := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 20, 49, 100, 1000} {
		for a := 0; a <= k; a++ {
			tie := float64(a) / float64(k)
			if k == 10 {
				// As a scenario writes it: the decimal 0.a.
				var err error
				if tie, err = strconv.ParseFloat(fmt.Sprintf("%.1f", float64(a)/10), 64); err != nil {
					t.Fatal(err)
				}
			}
			above := math.Nextafter(tie, math.Inf(1))
			if !centreUsesAfterOneStep(t, k, a, tie, false) {
				t.Errorf("k=%d a=%d theta=%v (a tie): a non-user does not adopt", k, a, tie)
			}
			if !centreUsesAfterOneStep(t, k, a, tie, true) {
				t.Errorf("k=%d a=%d theta=%v (a tie): a user drops the platform", k, a, tie)
			}
			if centreUsesAfterOneStep(t, k, a, above, false) {
				t.Errorf("k=%d a=%d theta=%v (just above a/k): a non-user adopts", k, a, above)
			}
			if centreUsesAfterOneStep(t, k, a, above, true) {
				t.Errorf("k=%d a=%d theta=%v (just above a/k): a user keeps the platform", k, a, above)
			}
		}
	}
}
