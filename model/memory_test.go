package model

import (
	"math"
	"testing"
)

// TestSeriesBytesCoversTheSeries: the memory formula's series term is at least what a run's
// series holds per step, and exact for one platform, with and without segments (whose
// per-segment agent counts, a few bytes per run, it leaves out).
func TestSeriesBytesCoversTheSeries(t *testing.T) {
	for _, platforms := range []int{1, 3} {
		for _, segments := range []bool{false, true} {
			cfg := testConfig(100, 7)
			for len(cfg.Platforms) < platforms {
				p := cfg.Platforms[0]
				p.Name += "x"
				cfg.Platforms = append(cfg.Platforms, p)
			}
			cfg.Platforms = cfg.Platforms[:platforms]
			if segments {
				cfg.Segments = []Segment{{Name: "a", Count: 3}, {Name: "b", Count: 4}}
			}
			s := newSeries(cfg)
			held := 8 * float64(len(s.Users)+len(s.Registered)+len(s.NewUsers)+len(s.Leavers)+len(s.MultiHomers)+len(s.Adopters)+len(s.SegmentUsers)+len(s.SegmentRegistered))
			if got := cfg.SeriesBytes(); got < held || platforms == 1 && got != held {
				t.Errorf("%d platforms, segments %v: SeriesBytes %g, the series holds %g bytes", platforms, segments, got, held)
			}
		}
	}
}

// TestBuildMemory: a graph drawn straight into its CSR (Erdős–Rényi, stochastic block) peaks
// at the CSR, 8 N + 4 E, below the run's state; one built through a Builder
// (Barabási–Albert, Watts–Strogatz) holds 4 E more of pending edges, which at 20 directed
// edges per agent makes the build the peak.
func TestBuildMemory(t *testing.T) {
	const n = 1000
	base := testConfig(n, 10) // 2 platforms
	series := base.SeriesBytes()
	run := 8*n + 4*20.0*n + n*(8+4*2+2*2.0) + 4*2*11 // and the investment curves of 10 steps
	for _, c := range []struct {
		graph GraphSpec
		want  float64
	}{
		{GraphSpec{Kind: GraphErdosRenyi, MeanDegree: 20}, run},
		{GraphSpec{Kind: GraphBlocks, BlockSizes: []int{n}, PIn: 20.0 / (n - 1)}, run},
		{GraphSpec{Kind: GraphBarabasiAlbert, M: 10}, 8*n + 8*20.0*n},
		{GraphSpec{Kind: GraphWattsStrogatz, K: 20, Beta: 0.1}, 8*n + 8*20.0*n},
	} {
		cfg := *base
		cfg.Graph = c.graph
		if got := cfg.MemoryEstimate() - series; math.Abs(got-c.want) > 1e-6*c.want {
			t.Errorf("%s: %g bytes besides the series, want %g", c.graph.Kind, got, c.want)
		}
	}
}

// TestLayerMemory: a layer after the first adds its graph and counts, 8 N + 4 E_l + 4 N P, to
// the run phase, and, built through a Builder, its pending edges, 4 E_l; a bipartite layer
// has E_l = d (A + B) and no pending edges; a config whose one layer is its graph costs what
// the graph does.
func TestLayerMemory(t *testing.T) {
	cfg := testConfig(1000, 10) // Erdős–Rényi, mean degree 8: E = 8000; 2 platforms
	cfg.Segments = []Segment{{Name: "vendors", Count: 100}}
	one := cfg.MemoryEstimate()
	cfg.Layers = []Layer{{Name: "friends", Graph: cfg.Graph}}
	if got := cfg.MemoryEstimate(); got != one {
		t.Errorf("one layer: %g bytes, the graph alone %g", got, one)
	}
	cfg.Layers = append(cfg.Layers, Layer{Name: "commerce", Graph: GraphSpec{Kind: GraphBipartite, Between: [2]int{1, 0}, MeanDegree: 3}})
	edges := 3.0 * (100 + 900)
	// Before, the run phase is the peak: build 8 N + 4 E = 40000 is below run
	// 8 N + 4 E + N (8 + 8 P) + N = 65000 (the last N for the segments).
	if got, want := cfg.MemoryEstimate()-one, 8*1000+4*edges+4*1000*2; got != want {
		t.Errorf("a bipartite layer adds %g bytes, want %g", got, want)
	}
	if got, want := cfg.ExpectedDirectedEdges(), 8000+edges; got != want {
		t.Errorf("directed edges of both layers = %g, want %g", got, want)
	}
	two := cfg.MemoryEstimate()
	cfg.Layers = append(cfg.Layers, Layer{Name: "hubs", Graph: GraphSpec{Kind: GraphBarabasiAlbert, M: 2}})
	if got, want := cfg.MemoryEstimate()-two, 8*1000+4*4000+4*1000*2+4*4000.0; got != want {
		t.Errorf("a Barabási–Albert layer adds %g bytes, want %g (with its pending edges)", got, want)
	}
}

// TestInvestmentMemory: when investment grows, the steps of use and the investment curves add
// 2 N P + 4 P (Steps+1) to the run phase (fewer than 2^16 steps), under every rule and graph, at least what a
// simulation allocates for them; nothing when no investment grows.
func TestInvestmentMemory(t *testing.T) {
	for _, tc := range []struct {
		rule  Rule
		graph GraphKind
	}{{RuleThreshold, GraphErdosRenyi}, {RuleLogit, GraphErdosRenyi}, {RuleThreshold, GraphComplete}} {
		cfg := testConfig(1000, 10)
		cfg.Decision.Rule = tc.rule
		// Mean degree 2: the run phase, not the build, is the peak.
		cfg.Graph = GraphSpec{Kind: tc.graph, MeanDegree: 2}
		with := cfg.MemoryEstimate()
		sim, err := NewSimulation(cfg, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		allocated := 2*len(sim.use16) + 4*len(sim.use32)
		for _, curve := range sim.curves {
			allocated += 4 * len(curve)
		}
		for j := range cfg.Platforms {
			cfg.Platforms[j].InvestmentRate = 0
		}
		want := 2*1000*2 + 4*2*11.0
		if got := with - cfg.MemoryEstimate(); got != want || float64(allocated) > want || allocated < 2*1000*2 {
			t.Errorf("%s rule, %s graph: investment takes %g bytes in the estimate, want %g; %d allocated", tc.rule, tc.graph, got, want, allocated)
		}
	}
}
