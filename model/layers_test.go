package model

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// layeredConfig is testConfig on three layers: friends (the test graph), colleagues
// (Barabási–Albert) and commerce, bipartite between vendors and the rest, the platforms
// weighing each layer differently.
func layeredConfig(agents, steps int) *Config {
	cfg := testConfig(agents, steps)
	cfg.Segments = []Segment{{Name: "vendors", Share: 0.05}}
	cfg.Layers = []Layer{
		{Name: "friends", Graph: cfg.Graph},
		{Name: "colleagues", Graph: GraphSpec{Kind: GraphBarabasiAlbert, M: 2}},
		{Name: "commerce", Graph: GraphSpec{Kind: GraphBipartite, Between: [2]int{1, 0}, MeanDegree: 6}},
	}
	cfg.Platforms[0].LayerWeights = []float64{1, 0.5, 2}
	cfg.Platforms[1].LayerWeights = []float64{0.8, 0, 3}
	return cfg
}

// bruteBenefit is agent i's network benefit from platform j summed over every layer's
// contacts, read from the platform sets, under the weights in force for it.
func bruteBenefit(s *Simulation, i, j int) float64 {
	now := &s.now[j]
	weights := append([]float64{now.networkWeight}, now.layerWeights[:len(s.layers)]...)
	var benefit float64
	for l, w := range weights {
		g := s.g
		if l > 0 {
			g = s.layers[l-1].g
		}
		on := 0
		for _, v := range g.Row(i) {
			on += int(s.active[v] >> j & 1)
		}
		if k := g.Degree(i); k > 0 && w != 0 {
			benefit += w * (float64(on) / float64(k))
		}
	}
	return benefit
}

// staleLayer recounts every layer's counts and returns the first layer whose incremental
// counts differed, or -1.
func staleLayer(sim *Simulation) int {
	counts := [][]int64{sim.counts.values()}
	for _, l := range sim.layers {
		counts = append(counts, l.counts.values())
	}
	sim.recount()
	if !slices.Equal(counts[0], sim.counts.values()) {
		return 0
	}
	for l, layer := range sim.layers {
		if !slices.Equal(counts[l+1], layer.counts.values()) {
			return l + 1
		}
	}
	return -1
}

// TestLayerBenefitRandomMoves: after random joins and leaves, pushed incrementally to every
// layer's counts, each agent's network benefit (the first layer's w a/k plus layerBenefit)
// equals a brute-force sum over each layer's neighbours, and every layer's counts a recount.
func TestLayerBenefitRandomMoves(t *testing.T) {
	t.Parallel()
	cfg := layeredConfig(4000, 0)
	sim, err := NewSimulation(cfg, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := newStream(99, 0)
	for move := 0; move < 20000; move++ {
		i := int(r.next() % uint64(cfg.Agents))
		sim.setActive(i, uint8(r.next()%4))
	}
	for i := range cfg.Agents {
		for j := range 2 {
			now := &sim.now[j]
			got := now.networkWeight*(float64(sim.contactsOn(i, j))/float64(sim.degree(i))) + sim.layerBenefit(i, j, now, true)
			if want := bruteBenefit(sim, i, j); math.Abs(got-want) > 1e-12 {
				t.Fatalf("agent %d, platform %d: incremental benefit %g, brute force %g", i, j, got, want)
			}
		}
	}
	if l := staleLayer(sim); l >= 0 {
		t.Fatalf("layer %d: counts after 20000 random moves differ from a recount", l)
	}
}

// TestLayerCountsEqualRecount: steps of both updates keep every layer's counts equal to a
// recount, whether the step pushed the moves or recounted (the threshold rule's busy first
// steps recount, the later quiet ones push).
func TestLayerCountsEqualRecount(t *testing.T) {
	t.Parallel()
	for _, update := range []Update{Synchronous, RandomSequential} {
		for _, rule := range []Rule{RuleLogit, RuleThreshold} {
			cfg := layeredConfig(20000, 20)
			cfg.Decision.Update, cfg.Decision.Rule = update, rule
			cfg.Platforms[0].Churn = 0.05
			cfg.Platforms[1].Launch = 3
			sim, err := NewSimulation(cfg, 11, 4)
			if err != nil {
				t.Fatal(err)
			}
			for step := 1; step <= 20; step++ {
				sim.Advance()
				if l := staleLayer(sim); l >= 0 {
					t.Fatalf("%s/%s step %d, layer %d: incremental counts differ from a recount", update, rule, step, l)
				}
			}
		}
	}
}

// TestLayersWhateverTheWorkers: a layered run is the same on any number of goroutines (the
// later layers' pushes split by ranges of agents, as the first's).
func TestLayersWhateverTheWorkers(t *testing.T) {
	t.Parallel()
	cfg := layeredConfig(40_000, 15) // 5 blocks of agents
	ref := mustRun(t, cfg, 8, 1)
	for _, workers := range []int{2, 3} {
		if !equalSeries(mustRun(t, cfg, 8, workers), ref) {
			t.Errorf("%d workers: the series differ from one worker's", workers)
		}
	}
}

// TestUnweightedLayerChangesNothing: a second layer that no platform weighs (nil weights, or
// explicit zeros) gives the one-layer run's series exactly, whatever the rule and update:
// word of mouth is the first layer's, so the second carries nothing.
func TestUnweightedLayerChangesNothing(t *testing.T) {
	t.Parallel()
	for _, update := range []Update{Synchronous, RandomSequential} {
		for _, rule := range []Rule{RuleLogit, RuleThreshold, RuleBass} {
			one := testConfig(5000, 40)
			one.Decision.Update, one.Decision.Rule = update, rule
			one.Segments = []Segment{{Name: "vendors", Share: 0.1}}
			one.Events = []Event{{Kind: EventBan, Platform: 1, At: 35, AppealChange: -0.1, NetworkWeightFactor: 0.5}}
			want := mustRun(t, one, 5, 2)
			for _, weights := range [][]float64{nil, {1, 0}} {
				two := *one
				two.Layers = []Layer{
					{Name: "friends", Graph: one.Graph},
					{Name: "commerce", Graph: GraphSpec{Kind: GraphBipartite, Between: [2]int{1, 0}, MeanDegree: 8}},
				}
				two.Platforms = slices.Clone(one.Platforms)
				for j := range two.Platforms {
					two.Platforms[j].LayerWeights = weights
				}
				if got := mustRun(t, &two, 5, 2); !equalSeries(got, want) {
					t.Errorf("%s/%s, weights %v: a second layer without weight changed the run", update, rule, weights)
				}
			}
		}
	}
}

// TestLayerWeightsMatter: the commerce layer's weight makes a difference, so the test above
// compares runs that could differ.
func TestLayerWeightsMatter(t *testing.T) {
	t.Parallel()
	cfg := layeredConfig(5000, 40)
	weighted := mustRun(t, cfg, 5, 2)
	for j := range cfg.Platforms {
		cfg.Platforms[j].LayerWeights[2] = 0
	}
	if equalSeries(weighted, mustRun(t, cfg, 5, 2)) {
		t.Error("the commerce layer's weights changed nothing")
	}
}

// TestBanOnLayerForSegment: a ban on platform 1's commerce layer for vendors scales that
// weight for vendors during [at, until), and nothing else: not the other layers, not platform
// 0, not the other segment's weights; a ban without a layer scales every layer.
func TestBanOnLayerForSegment(t *testing.T) {
	t.Parallel()
	cfg := layeredConfig(2000, 12)
	cfg.Events = []Event{{Kind: EventBan, Platform: 1, At: 5, Until: 8, Layer: 3, Segment: 1, NetworkWeightFactor: 0.25}}
	sim, err := NewSimulation(cfg, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	base := sim.segNow[0] // the rest's parameters, which the ban never reaches
	for sim.Step() < 12 {
		sim.Advance()
		vendors, rest := sim.segNow[1], sim.segNow[0]
		if rest != base {
			t.Fatalf("step %d: the rest's parameters changed", sim.Step())
		}
		banned := sim.Step() >= 5 && sim.Step() < 8
		want := base
		if banned {
			want[1].layerWeights[1] *= 0.25
		}
		if vendors != want {
			t.Fatalf("step %d (banned %v): vendors' parameters %+v, want %+v", sim.Step(), banned, vendors[1], want[1])
		}
		// Each vendor's benefit from platform 1 is the brute-force sum with the cut weight.
		for i := range cfg.Agents {
			if sim.SegmentOf(i) != 1 {
				continue
			}
			got := sim.layerBenefit(i, 1, &vendors[1], true)
			all := bruteBenefit(sim, i, 1) - sim.now[1].networkWeight*float64(sim.contactsOn(i, 1))/float64(sim.degree(i))
			cut := all
			if banned {
				commerce := sim.layers[1]
				k := commerce.g.Degree(i)
				if k > 0 {
					cut -= 0.75 * sim.now[1].layerWeights[1] * float64(commerce.counts.at(i*2+1)) / float64(k)
				}
			}
			if math.Abs(got-cut) > 1e-12 {
				t.Fatalf("step %d, vendor %d: benefit on the later layers %g, want %g", sim.Step(), i, got, cut)
			}
		}
	}
	// Without a layer the ban scales every layer's weight.
	now := base[1]
	scaleWeights(&now, 0, 0.5)
	if now.networkWeight != base[1].networkWeight/2 || now.layerWeights[0] != base[1].layerWeights[0]/2 || now.layerWeights[1] != base[1].layerWeights[1]/2 {
		t.Errorf("a ban on every layer: %+v from %+v", now, base[1])
	}
}

// TestLayerValidation: every layer rule has its message.
func TestLayerValidation(t *testing.T) {
	t.Parallel()
	cfg := layeredConfig(100, 1)
	cfg.Layers = append(cfg.Layers,
		Layer{Name: "commerce", Graph: GraphSpec{Kind: GraphComplete}},
		Layer{Name: "", Graph: GraphSpec{Kind: GraphBipartite, Between: [2]int{1, 1}}},
	)
	cfg.Layers[2].Graph.MeanDegree = 10
	cfg.Platforms[0].LayerWeights = []float64{1}
	cfg.Events = []Event{{Kind: EventMarketing, Layer: 1}}
	err := cfg.Validate()
	for _, want := range []string{
		"events[0]: layer 1 needs a ban and a layer index in [1, 5] (0 is every layer)",
		"platforms[0].layer_weights: one per layer (5), got 1",
		"platforms[1].layer_weights: one per layer (5), got 3",
		"layers: at most 4, got 5",
		"layers[2].mean_degree must be in [0, 9.5] (every tie between segments of 5 and 95 agents), got 10",
		`layers[3]: name "commerce" is taken by an earlier layer`,
		"layers[3]: only the first layer can be complete",
		"layers[4].name is required",
		"layers[4].between: two different segment indices in [0, 1], got 1 and 1",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to say %q", err, want)
		}
	}
	first := layeredConfig(100, 1)
	first.Layers[0], first.Layers[2] = first.Layers[2], first.Layers[0]
	if err := first.Validate(); err == nil || !strings.Contains(err.Error(), "layers[0]: the first layer cannot be bipartite") {
		t.Errorf("a bipartite first layer: %v", err)
	}
}
