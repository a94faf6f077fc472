package model

import (
	"math"
	"testing"

	"github.com/msgsim/msgsim/model/graph"
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
// at the CSR and its narrow offsets, 8 N + 4 E + 4 N, below the run's state, which keeps
// 4-byte offsets and 2-byte counts, 4 N + 4 E + N (8 + 4 P + 2 P); under graph.RecordedBytes'
// node bound it also holds, before the copy of its offsets, the edges its counting pass
// recorded, 4 E, which at 20 directed edges per agent makes the build the peak; one built
// through a Builder (Barabási–Albert, Watts–Strogatz) holds 4 E more of pending edges, which
// makes the build the peak too.
func TestBuildMemory(t *testing.T) {
	for _, n := range []float64{1000, 200_000} {
		// 2 platforms, under the threshold rule: no stay bounds (see TestStayBoundsInTheEstimate).
		base := testConfig(int(n), 10)
		base.Decision.Rule = RuleThreshold
		series := base.SeriesBytes()
		// Narrow offsets, neighbours; sets and thresholds, uint16 counts and steps of use; curves.
		run := 4*n + 4*20*n + n*(8+2*2+2*2) + 4*2*11
		drawn, blocks := run, run+4*n // the blocks' communities
		if n < 3*(1<<16) {
			drawn, blocks = 8*n+8*20*n, 8*n+8*20*n
		}
		for _, c := range []struct {
			graph GraphSpec
			want  float64
		}{
			{GraphSpec{Kind: GraphErdosRenyi, MeanDegree: 20}, drawn},
			{GraphSpec{Kind: GraphBlocks, BlockSizes: []int{int(n)}, PIn: 20 / (n - 1)}, blocks},
			{GraphSpec{Kind: GraphBarabasiAlbert, M: 10}, 8*n + 8*20*n + 4*n},
			{GraphSpec{Kind: GraphWattsStrogatz, K: 20, Beta: 0.1}, 8*n + 8*20*n + 4*n},
		} {
			cfg := *base
			cfg.Graph = c.graph
			if got := cfg.MemoryEstimate() - series; math.Abs(got-c.want) > 1e-6*c.want {
				t.Errorf("%g agents, %s: %g bytes besides the series, want %g", n, c.graph.Kind, got, c.want)
			}
		}
	}
}

// TestLayerMemory: a layer after the first adds its graph and counts, 4 N + 4 E_l + 2 N P, to
// the run phase, and, built through a Builder, its pending edges, 4 E_l; a bipartite layer
// has E_l = d (A + B) and no pending edges; a config whose one layer is its graph costs what
// the graph does.
func TestLayerMemory(t *testing.T) {
	// Above graph.RecordedBytes' node bound, so that no build holds recorded edges.
	const n = 200_000
	cfg := testConfig(n, 10) // Erdős–Rényi, mean degree 8: E = 8 N; 2 platforms
	cfg.Segments = []Segment{{Name: "vendors", Count: n / 10}}
	cfg.Decision.Rule = RuleThreshold // no stay bounds, which a second layer would drop
	one := cfg.MemoryEstimate()
	cfg.Layers = []Layer{{Name: "friends", Graph: cfg.Graph}}
	if got := cfg.MemoryEstimate(); got != one {
		t.Errorf("one layer: %g bytes, the graph alone %g", got, one)
	}
	cfg.Layers = append(cfg.Layers, Layer{Name: "commerce", Graph: GraphSpec{Kind: GraphBipartite, Between: [2]int{1, 0}, MeanDegree: 3}})
	edges := 3.0 * n
	// Before, the run phase is the peak: build 8 N + 4 E + 4 N = 44 N is below run
	// 4 N + 4 E + N (8 + 4 P + 2 P) + N = 57 N (the last N for the segments).
	if got, want := cfg.MemoryEstimate()-one, 4*n+4*edges+2*n*2; got != want {
		t.Errorf("a bipartite layer adds %g bytes, want %g", got, want)
	}
	if got, want := cfg.ExpectedDirectedEdges(), 8*n+edges; got != want {
		t.Errorf("directed edges of both layers = %g, want %g", got, want)
	}
	two := cfg.MemoryEstimate()
	cfg.Layers = append(cfg.Layers, Layer{Name: "hubs", Graph: GraphSpec{Kind: GraphBarabasiAlbert, M: 2}})
	if got, want := cfg.MemoryEstimate()-two, 4*n+4*4.0*n+2*n*2+4*4.0*n; got != want {
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

// TestWidthsInTheEstimate: the run keeps 4-byte offsets up to 2^32-1 directed edges and 8
// beyond (1e9 agents of mean degree 5 under the logit rule: run 8 N + 4 E + N (8 + 2 P + 2 P)
// and the investment curves, build 8 N + 4 E), and 2-byte counts unless the graph's degrees may reach 2^16.
func TestWidthsInTheEstimate(t *testing.T) {
	t.Parallel()
	if offsetBytes(graph.MaxNarrowEdges) != 4 || offsetBytes(graph.MaxNarrowEdges+1) != 8 {
		t.Errorf("offsets of 2^32-1 and 2^32 directed edges take %g and %g bytes, want 4 and 8", offsetBytes(graph.MaxNarrowEdges), offsetBytes(graph.MaxNarrowEdges+1))
	}
	cfg := testConfig(1_000_000_000, 10) // logit, 2 platforms
	cfg.Graph.MeanDegree = 5
	n := float64(cfg.Agents)
	if got, want := cfg.MemoryEstimate()-cfg.SeriesBytes(), 8*n+4*5*n+n*(8+2*2+2*2)+4*2*11; got != want {
		t.Errorf("1e9 agents, mean degree 5: %g bytes besides the series, want %g", got, want)
	}
	for _, c := range []struct {
		agents int
		graph  GraphSpec
		want   float64
	}{
		{1000, GraphSpec{Kind: GraphErdosRenyi, MeanDegree: 900}, 2},
		{1e6, GraphSpec{Kind: GraphErdosRenyi, MeanDegree: 40000}, 4},
		{1e8, GraphSpec{Kind: GraphBarabasiAlbert, M: 3}, 2},    // hubs of about 3e4
		{1e9, GraphSpec{Kind: GraphBarabasiAlbert, M: 3}, 4},    // about 9.5e4
		{1e6, GraphSpec{Kind: GraphWattsStrogatz, K: 40000}, 4}, // a ring lattice of 40000 contacts
		{1e6, GraphSpec{Kind: GraphBlocks, BlockSizes: []int{5e5, 5e5}, PIn: 0.1, POut: 0}, 4},
		{1e6, GraphSpec{Kind: GraphBlocks, BlockSizes: []int{5e5, 5e5}, PIn: 0.01, POut: 0}, 2},
	} {
		cfg := testConfig(c.agents, 10)
		if got := cfg.countBytes(c.graph); got != c.want {
			t.Errorf("%d agents, %+v: counts take %g bytes, want %g", c.agents, c.graph, got, c.want)
		}
	}
	cfg = testConfig(1000, 10)
	cfg.Segments = []Segment{{Name: "vendors", Count: 10}}
	for _, c := range []struct {
		degree float64
		want   float64
	}{{3000, 2}, {40000, 4}} { // a vendor's degree: d (10 + 990) / 2 / 10
		if got := cfg.countBytes(GraphSpec{Kind: GraphBipartite, Between: [2]int{1, 0}, MeanDegree: c.degree / 50}); got != c.want {
			t.Errorf("a bipartite layer whose vendors have about %g contacts: counts take %g bytes, want %g", c.degree, got, c.want)
		}
	}
}

// TestEstimatedWidthsAreTheRunsOwn: the count width the estimate assumes is the one the run
// takes, on drawn graphs and on given stars whose centre has 2^16-1 and 2^16 contacts.
func TestEstimatedWidthsAreTheRunsOwn(t *testing.T) {
	t.Parallel()
	var specs []GraphSpec
	for _, leaves := range []int{1<<16 - 1, 1 << 16} {
		b := graph.NewBuilder(1<<16+1, 1<<17)
		for v := 1; v <= leaves; v++ {
			b.AddEdge(0, int32(v))
		}
		star, _ := b.Build()
		specs = append(specs, GraphSpec{Kind: GraphGiven, Given: star})
	}
	specs = append(specs, GraphSpec{Kind: GraphErdosRenyi, MeanDegree: 8}, GraphSpec{Kind: GraphBarabasiAlbert, M: 3})
	for _, spec := range specs {
		cfg := testConfig(1<<16+1, 1)
		cfg.Graph = spec
		sim, err := NewSimulation(cfg, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		want := 4.0
		if sim.counts.narrow != nil {
			want = 2
		}
		if got := cfg.countBytes(spec); got != want {
			t.Errorf("%s graph of largest degree %d: the estimate's counts take %g bytes, the run's %g", spec.Kind, sim.g.MaxDegree(), got, want)
		}
	}
}

// TestRankingAndOrderMemory: a stochastic_block graph's communities, the degree ranking a
// top_degree target builds and random_sequential's order each add 4 N to the estimate, what
// the run holds for them.
func TestRankingAndOrderMemory(t *testing.T) {
	const n = 1000
	base := testConfig(n, 10)
	base.Graph = GraphSpec{Kind: GraphErdosRenyi, MeanDegree: 2} // the run phase is the peak
	without := base.MemoryEstimate()
	blocks := *base
	blocks.Graph = GraphSpec{Kind: GraphBlocks, BlockSizes: []int{600, 400}, PIn: 2.0 / 599}
	ranked := *base
	ranked.Events = []Event{{Kind: EventSeed, Platform: 0, At: 1, Count: 10, Target: TargetTopDegree}}
	sequential := *base
	sequential.Decision.Update = RandomSequential
	for name, cfg := range map[string]*Config{"stochastic_block": &blocks, "top_degree": &ranked, "random_sequential": &sequential} {
		// The communities' graph has other expected edges than the base's (4 bytes each).
		want := 4*n + 4*(cfg.ExpectedDirectedEdges()-base.ExpectedDirectedEdges())
		if got := cfg.MemoryEstimate() - without; math.Abs(got-want) > 1e-6 {
			t.Errorf("%s adds %g bytes, want %g", name, got, want)
		}
		sim, err := NewSimulation(cfg, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		sim.Advance()
		if held := 4 * (len(sim.blocks) + len(sim.byDegree)); name != "random_sequential" && held != 4*n {
			t.Errorf("%s: the run holds %d bytes of communities and ranking, want %d", name, held, 4*n)
		}
	}
}

// TestStayBoundsInTheEstimate: a run keeps stay bounds exactly when cachesStayBounds says so
// (logit, two platforms, one graph or one layer that is not complete, fewer than 2^26 agents),
// and the estimate counts them: 4 N more than the same market under the threshold rule.
func TestStayBoundsInTheEstimate(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*Config)
		keeps bool
	}{
		{"logit", func(*Config) {}, true},
		{"threshold", func(c *Config) { c.Decision.Rule = RuleThreshold }, false},
		{"bass", func(c *Config) { c.Decision.Rule = RuleBass }, false},
		{"three platforms", func(c *Config) { c.Platforms = append(c.Platforms, DefaultPlatform("c")) }, false},
		{"complete graph", func(c *Config) { c.Graph = GraphSpec{Kind: GraphComplete} }, false},
		{"one layer", func(c *Config) { c.Layers = []Layer{{Name: "friends", Graph: c.Graph}} }, true},
		{"two layers", func(c *Config) {
			c.Layers = []Layer{{Name: "friends", Graph: c.Graph}, {Name: "trade", Graph: c.Graph}}
		}, false},
	}
	for _, c := range cases {
		cfg := testConfig(1000, 5)
		c.edit(cfg)
		sim, err := NewSimulation(cfg, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := sim.stayBound != nil; got != c.keeps || cachesStayBounds(cfg) != c.keeps {
			t.Errorf("%s: the run keeps stay bounds %v, cachesStayBounds %v; want %v", c.name, got, cachesStayBounds(cfg), c.keeps)
		}
		if c.keeps {
			// The estimate of the same market on more agents than graph.RecordedBytes' bound,
			// whose build (holding no recorded edges) is below its run.
			large := *cfg
			large.Agents = 200_000
			threshold := large
			threshold.Decision.Rule = RuleThreshold
			if got := large.MemoryEstimate() - threshold.MemoryEstimate(); got != 4*200_000 {
				t.Errorf("%s: the stay bounds add %g bytes to the estimate, want 4 N = 800000", c.name, got)
			}
		}
	}
	if !cachesStayBounds(testConfig(stayBoundsBelow-1, 1)) || cachesStayBounds(testConfig(stayBoundsBelow, 1)) {
		t.Errorf("stay bounds are not kept exactly below %d agents", stayBoundsBelow)
	}
}
