package graph

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func newRNG(a, b uint64) *rand.Rand { return rand.New(rand.NewPCG(a, b)) }

// degreeStats returns the mean, population variance, minimum and maximum degree.
func degreeStats(g *CSR) (mean, variance float64, minDeg, maxDeg int) {
	n := g.NumNodes()
	minDeg = math.MaxInt
	var s, s2 float64
	for i := 0; i < n; i++ {
		d := g.Degree(i)
		s += float64(d)
		s2 += float64(d) * float64(d)
		minDeg = min(minDeg, d)
		maxDeg = max(maxDeg, d)
	}
	mean = s / float64(n)
	return mean, s2/float64(n) - mean*mean, minDeg, maxDeg
}

// avgClustering is the average local clustering coefficient (Watts & Strogatz 1998), nodes of
// degree < 2 counting as 0. Triangles at i are counted by merging sorted rows.
func avgClustering(g *CSR) float64 {
	n := g.NumNodes()
	var sum float64
	for i := 0; i < n; i++ {
		row := g.Row(i)
		d := len(row)
		if d < 2 {
			continue
		}
		links := 0 // each link among i's neighbours is counted twice
		for _, j := range row {
			a, b := row, g.Row(int(j))
			for len(a) > 0 && len(b) > 0 {
				switch {
				case a[0] < b[0]:
					a = a[1:]
				case a[0] > b[0]:
					b = b[1:]
				default:
					links++
					a, b = a[1:], b[1:]
				}
			}
		}
		sum += float64(links) / float64(d*(d-1))
	}
	return sum / float64(n)
}

func hasEdge(g *CSR, u, v int) bool {
	_, ok := slices.BinarySearch(g.Row(u), int32(v))
	return ok
}

// TestGeneratorsValid runs every generator over ordinary and edge-case parameters and checks
// the CSR invariants, the node count and determinism (same seed, same graph).
func TestGeneratorsValid(t *testing.T) {
	t.Parallel()
	type gen func(rng *rand.Rand) (*CSR, error)
	sbm := func(sizes []int, pIn, pOut float64) gen {
		return func(rng *rand.Rand) (*CSR, error) {
			g, _, err := StochasticBlock(sizes, pIn, pOut, rng, 2)
			return g, err
		}
	}
	tests := []struct {
		name  string
		nodes int
		gen   gen
	}{
		{"er", 1000, func(r *rand.Rand) (*CSR, error) { return ErdosRenyi(1000, 6, r, 2) }},
		{"er single node", 1, func(r *rand.Rand) (*CSR, error) { return ErdosRenyi(1, 0, r, 2) }},
		{"er empty", 50, func(r *rand.Rand) (*CSR, error) { return ErdosRenyi(50, 0, r, 2) }},
		{"er p=1", 40, func(r *rand.Rand) (*CSR, error) { return ErdosRenyi(40, 39, r, 2) }},
		{"er sparse", 100000, func(r *rand.Rand) (*CSR, error) { return ErdosRenyi(100000, 0.01, r, 2) }},
		{"ba", 2000, func(r *rand.Rand) (*CSR, error) { return BarabasiAlbert(2000, 4, r) }},
		{"ba m=1 tree", 2000, func(r *rand.Rand) (*CSR, error) { return BarabasiAlbert(2000, 1, r) }},
		{"ba only clique", 6, func(r *rand.Rand) (*CSR, error) { return BarabasiAlbert(6, 5, r) }},
		{"ba dense", 30, func(r *rand.Rand) (*CSR, error) { return BarabasiAlbert(30, 25, r) }},
		{"ws", 1000, func(r *rand.Rand) (*CSR, error) { return WattsStrogatz(1000, 6, 0.2, r) }},
		{"ws saturated", 7, func(r *rand.Rand) (*CSR, error) { return WattsStrogatz(7, 6, 1, r) }},
		{"ws nearly saturated", 9, func(r *rand.Rand) (*CSR, error) { return WattsStrogatz(9, 6, 1, r) }},
		{"sbm", 1000, sbm([]int{100, 300, 600}, 0.05, 0.002)},
		{"sbm one block", 300, sbm([]int{300}, 0.1, 0.5)},
		{"sbm singleton blocks", 50, sbm(slices.Repeat([]int{1}, 50), 1, 0.3)},
		{"sbm full", 30, sbm([]int{10, 20}, 1, 1)},
		{"complete", 30, func(*rand.Rand) (*CSR, error) { return Complete(30) }},
		{"complete single node", 1, func(*rand.Rand) (*CSR, error) { return Complete(1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := tt.gen(newRNG(11, 12))
			if err != nil {
				t.Fatal(err)
			}
			if err := g.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if g.NumNodes() != tt.nodes {
				t.Errorf("NumNodes = %d, want %d", g.NumNodes(), tt.nodes)
			}
			if cap(g.Neighbors) != len(g.Neighbors) {
				t.Errorf("Neighbors has %d unused capacity", cap(g.Neighbors)-len(g.Neighbors))
			}
			g2, _ := tt.gen(newRNG(11, 12))
			if !slices.Equal(g.Offsets, g2.Offsets) || !slices.Equal(g.Neighbors, g2.Neighbors) {
				t.Errorf("same seed gave different graphs")
			}
		})
	}
}

// TestDenseLimits checks the generators at their extreme parameters against the complete graph.
func TestDenseLimits(t *testing.T) {
	t.Parallel()
	k40, _ := Complete(40)
	er, _ := ErdosRenyi(40, 39, newRNG(1, 2), 2)
	ba, _ := BarabasiAlbert(40, 39, newRNG(1, 2))
	ws, _ := WattsStrogatz(41, 40, 0.5, newRNG(1, 2))
	k41, _ := Complete(41)
	sbm, blocks, _ := StochasticBlock([]int{15, 25}, 1, 1, newRNG(1, 2), 2)
	for _, c := range []struct {
		name      string
		got, want *CSR
	}{{"er p=1", er, k40}, {"ba m=n-1", ba, k40}, {"ws k=n-1", ws, k41}, {"sbm p=1", sbm, k40}} {
		if !slices.Equal(c.got.Offsets, c.want.Offsets) || !slices.Equal(c.got.Neighbors, c.want.Neighbors) {
			t.Errorf("%s is not the complete graph", c.name)
		}
	}
	if k40.NumEdges() != 40*39/2 {
		t.Errorf("Complete(40) has %d edges, want %d", k40.NumEdges(), 40*39/2)
	}
	if blocks[14] != 0 || blocks[15] != 1 || blocks[39] != 1 {
		t.Errorf("blocks = %v, want 15 zeros then 25 ones", blocks)
	}
	// Disjoint cliques and the complete bipartite graph.
	g, _, _ := StochasticBlock([]int{3, 4}, 1, 0, newRNG(1, 2), 2)
	if g.NumEdges() != 3+6 || hasEdge(g, 2, 3) || !hasEdge(g, 3, 6) {
		t.Errorf("p_in=1, p_out=0: got %d edges %v, want two cliques (9 edges)", g.NumEdges(), rowsOf(g))
	}
	g, _, _ = StochasticBlock([]int{3, 4}, 0, 1, newRNG(1, 2), 2)
	if g.NumEdges() != 12 || hasEdge(g, 0, 1) || !hasEdge(g, 0, 6) {
		t.Errorf("p_in=0, p_out=1: got %d edges %v, want K_{3,4} (12 edges)", g.NumEdges(), rowsOf(g))
	}
}

func TestErdosRenyiStatistics(t *testing.T) {
	t.Parallel()
	const n, k = 20000, 8.0
	g, err := ErdosRenyi(n, k, newRNG(2024, 1), 2)
	if err != nil {
		t.Fatal(err)
	}
	p := k / (n - 1)
	pairs := float64(n) * (n - 1) / 2
	mu, sigma := pairs*p, math.Sqrt(pairs*p*(1-p))
	if m := float64(g.NumEdges()); math.Abs(m-mu) > 4*sigma {
		t.Errorf("edges = %g, want %g ± 4·%.1f", m, mu, sigma)
	}
	mean, variance, _, _ := degreeStats(g)
	// The mean degree is 2m/n, so its tolerance follows from the edge count's.
	if math.Abs(mean-k) > 4*2*sigma/n {
		t.Errorf("mean degree = %.4f, want %g", mean, k)
	}
	// Degrees are Binomial(n-1, p), variance k(1-p); the sample variance of 2e4 near-Poisson
	// degrees has a relative standard error of about 1.1%, so 5% is over four of them.
	if want := k * (1 - p); math.Abs(variance-want) > 0.05*want {
		t.Errorf("degree variance = %.4f, want %.4f ± 5%%", variance, want)
	}
	// Rows come out of the geometric-skip sampler already sorted; Validate confirms Build kept them so.
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
}

// powerLawAlpha is the discrete power-law MLE with the usual continuity correction
// (Clauset, Shalizi & Newman 2009, SIAM Review 51:661, eq. 3.7):
// alpha = 1 + n / sum(ln(k / (kMin - 1/2))) over degrees k >= kMin.
func powerLawAlpha(g *CSR, kMin int) (alpha float64, tail int) {
	var s float64
	for i := 0; i < g.NumNodes(); i++ {
		if d := g.Degree(i); d >= kMin {
			s += math.Log(float64(d) / (float64(kMin) - 0.5))
			tail++
		}
	}
	return 1 + float64(tail)/s, tail
}

func TestBarabasiAlbertStatistics(t *testing.T) {
	t.Parallel()
	const n, m = 50000, 3
	g, err := BarabasiAlbert(n, m, newRNG(7, 8))
	if err != nil {
		t.Fatal(err)
	}
	m0 := m + 1
	if want := int64(m*(n-m0) + m0*(m0-1)/2); g.NumEdges() != want {
		t.Errorf("edges = %d, want m(n-m0) + m0(m0-1)/2 = %d", g.NumEdges(), want)
	}
	mean, _, minDeg, maxDeg := degreeStats(g)
	if minDeg < m {
		t.Errorf("min degree = %d, want >= m = %d", minDeg, m)
	}
	er, _ := ErdosRenyi(n, mean, newRNG(7, 9), 2)
	_, _, _, erMax := degreeStats(er)
	// Hubs: BA's largest degree grows like m·sqrt(n) (~670 here), ER's like log n (~20).
	if maxDeg < 10*erMax {
		t.Errorf("max degree = %d, want a hub at least 10x ER's max degree %d at the same mean", maxDeg, erMax)
	}
	alpha, tail := powerLawAlpha(g, 10)
	t.Logf("BA n=%d m=%d: max degree %d (ER %d), power-law MLE alpha = %.3f over %d nodes with k >= 10", n, m, maxDeg, erMax, alpha, tail)
	if alpha < 2.5 || alpha > 3.5 {
		t.Errorf("power-law exponent = %.3f, want in [2.5, 3.5] (theory: 3)", alpha)
	}
	// Preferential attachment favours the old: the first 1% of nodes must be far better
	// connected than the last 1%.
	var early, late int
	for i := 0; i < n/100; i++ {
		early += g.Degree(i)
		late += g.Degree(n - 1 - i)
	}
	if early < 5*late {
		t.Errorf("total degree of the first 1%% = %d, last 1%% = %d: want the old nodes to be hubs", early, late)
	}
}

func TestWattsStrogatz(t *testing.T) {
	t.Parallel()
	const n, k = 1000, 10
	lattice := 3.0 * (k - 2) / (4 * (k - 1)) // ring-lattice clustering, Barrat & Weigt 2000
	tests := []struct {
		beta           float64
		minC, maxC     float64
		checkRewired   bool
		exactLatticeWS bool
	}{
		{beta: 0, minC: lattice, maxC: lattice, exactLatticeWS: true},
		// C(beta) ~ C(0)(1-beta)^3 (Barrat & Weigt 2000): 0.486 at beta = 0.1.
		{beta: 0.1, minC: 0.42, maxC: 0.55, checkRewired: true},
		{beta: 0.5, minC: 0.03, maxC: 0.15, checkRewired: true},
		// A random graph with mean degree 10 on 1000 nodes has C ~ k/n = 0.01.
		{beta: 1, minC: 0, maxC: 0.03, checkRewired: true},
	}
	for _, tt := range tests {
		g, err := WattsStrogatz(n, k, tt.beta, newRNG(3, uint64(tt.beta*100)))
		if err != nil {
			t.Fatal(err)
		}
		if err := g.Validate(); err != nil {
			t.Fatalf("beta=%g: Validate: %v", tt.beta, err)
		}
		// Degree sum preserved: rewiring moves edges and never drops one as a duplicate.
		if g.NumEdges() != n*k/2 {
			t.Errorf("beta=%g: edges = %d, want n·k/2 = %d", tt.beta, g.NumEdges(), n*k/2)
		}
		_, _, minDeg, maxDeg := degreeStats(g)
		if minDeg < k/2 {
			t.Errorf("beta=%g: min degree %d < k/2: a node lost an edge it owns", tt.beta, minDeg)
		}
		c := avgClustering(g)
		t.Logf("beta=%g: clustering %.4f, degrees in [%d, %d]", tt.beta, c, minDeg, maxDeg)
		if tt.exactLatticeWS {
			if minDeg != k || maxDeg != k {
				t.Errorf("beta=0: degrees in [%d, %d], want all %d", minDeg, maxDeg, k)
			}
			if math.Abs(c-lattice) > 1e-12 {
				t.Errorf("beta=0: clustering = %.15f, want 3(k-2)/(4(k-1)) = %.15f", c, lattice)
			}
			for u := 0; u < n; u++ {
				for j := 1; j <= k/2; j++ {
					if !hasEdge(g, u, (u+j)%n) {
						t.Fatalf("beta=0: lattice edge %d-%d missing", u, (u+j)%n)
					}
				}
			}
		} else if c < tt.minC || c > tt.maxC {
			t.Errorf("beta=%g: clustering = %.4f, want in [%g, %g]", tt.beta, c, tt.minC, tt.maxC)
		}
		if tt.checkRewired {
			// Each of the n·k/2 edges is rewired with probability beta, and a rewired edge
			// lands on a lattice pair only with probability about k/n.
			off := 0
			for u := 0; u < n; u++ {
				for _, v := range g.Row(u) {
					d := (int(v) - u + n) % n
					if int(v) > u && d > k/2 && d < n-k/2 {
						off++
					}
				}
			}
			m := float64(n * k / 2)
			mu, sigma := tt.beta*m, math.Sqrt(m*tt.beta*(1-tt.beta))
			if math.Abs(float64(off)-mu) > 4*sigma+0.02*m*tt.beta {
				t.Errorf("beta=%g: %d non-lattice edges, want about %g", tt.beta, off, mu)
			}
		}
	}
}

func TestStochasticBlockDensities(t *testing.T) {
	t.Parallel()
	sizes := []int{400, 600, 1000}
	const pIn, pOut = 0.05, 0.004
	g, blocks, err := StochasticBlock(sizes, pIn, pOut, newRNG(5, 6), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 2000 || g.NumNodes() != 2000 {
		t.Fatalf("nodes = %d, blocks = %d, want 2000", g.NumNodes(), len(blocks))
	}
	// Blocks are consecutive runs of the given sizes.
	start := 0
	for b, s := range sizes {
		for i := start; i < start+s; i++ {
			if blocks[i] != int32(b) {
				t.Fatalf("blocks[%d] = %d, want %d", i, blocks[i], b)
			}
		}
		start += s
	}
	B := len(sizes)
	count := make([]float64, B*B) // edges between blocks a <= b
	for u := 0; u < g.NumNodes(); u++ {
		for _, v := range g.Row(u) {
			if int(v) > u {
				a, b := blocks[u], blocks[v]
				count[min(a, b)*int32(B)+max(a, b)]++
			}
		}
	}
	for a := 0; a < B; a++ {
		for b := a; b < B; b++ {
			pairs, p := float64(sizes[a]*sizes[b]), pOut
			if a == b {
				pairs, p = float64(sizes[a]*(sizes[a]-1)/2), pIn
			}
			got := count[a*B+b]
			mu, sigma := pairs*p, math.Sqrt(pairs*p*(1-p))
			t.Logf("blocks %d-%d: density %.5f (want %g), %g edges", a, b, got/pairs, p, got)
			if math.Abs(got-mu) > 4*sigma {
				t.Errorf("blocks %d-%d: %g edges, density %.5f, want %g edges (p = %g) ± 4·%.1f", a, b, got, got/pairs, mu, p, sigma)
			}
		}
	}
}

func TestParameterErrors(t *testing.T) {
	t.Parallel()
	rng := newRNG(1, 1)
	sbmErr := func(sizes []int, pIn, pOut float64, r *rand.Rand) error {
		_, _, err := StochasticBlock(sizes, pIn, pOut, r, 2)
		return err
	}
	errOf := func(_ *CSR, err error) error { return err }
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"er n=0", errOf(ErdosRenyi(0, 1, rng, 2)), "erdos_renyi: n must be in [1, 2147483647], got 0"},
		{"er n too large", errOf(ErdosRenyi(1<<31, 1, rng, 2)), "erdos_renyi: n must be in [1, 2147483647], got 2147483648"},
		{"er degree too large", errOf(ErdosRenyi(100, 150, rng, 2)), "erdos_renyi: mean_degree must be in [0, n-1] = [0, 99], got 150"},
		{"er degree negative", errOf(ErdosRenyi(100, -0.5, rng, 2)), "erdos_renyi: mean_degree must be in [0, n-1] = [0, 99], got -0.5"},
		{"er degree NaN", errOf(ErdosRenyi(100, math.NaN(), rng, 2)), "erdos_renyi: mean_degree must be in [0, n-1] = [0, 99], got NaN"},
		{"er single node with degree", errOf(ErdosRenyi(1, 1, rng, 2)), "erdos_renyi: mean_degree must be in [0, n-1] = [0, 0], got 1"},
		{"er nil rng", errOf(ErdosRenyi(100, 5, nil, 2)), "erdos_renyi: rng must not be nil"},
		{"er too many edges", errOf(ErdosRenyi(1<<31-1, 1000, rng, 2)), "erdos_renyi: parameters give about 2.15e+12 directed edges, more than the 137438953472 this package will allocate"},
		{"ba m=0", errOf(BarabasiAlbert(100, 0, rng)), "barabasi_albert: m must be in [1, n-1], got 0"},
		{"ba m=n", errOf(BarabasiAlbert(100, 100, rng)), "barabasi_albert: m must be in [1, n-1], got 100"},
		{"ba n=1", errOf(BarabasiAlbert(1, 1, rng)), "barabasi_albert: m must be in [1, n-1], got 1"},
		{"ba n=-5", errOf(BarabasiAlbert(-5, 1, rng)), "barabasi_albert: n must be in [1, 2147483647], got -5"},
		{"ba nil rng", errOf(BarabasiAlbert(100, 2, nil)), "barabasi_albert: rng must not be nil"},
		{"ws odd k", errOf(WattsStrogatz(100, 3, 0.1, rng)), "watts_strogatz: k must be even and in [2, n-1], got 3"},
		{"ws k=0", errOf(WattsStrogatz(100, 0, 0.1, rng)), "watts_strogatz: k must be even and in [2, n-1], got 0"},
		{"ws k=n", errOf(WattsStrogatz(100, 100, 0.1, rng)), "watts_strogatz: k must be even and in [2, n-1], got 100"},
		{"ws k negative", errOf(WattsStrogatz(100, -2, 0.1, rng)), "watts_strogatz: k must be even and in [2, n-1], got -2"},
		{"ws beta > 1", errOf(WattsStrogatz(100, 4, 1.5, rng)), "watts_strogatz: beta must be in [0, 1], got 1.5"},
		{"ws beta < 0", errOf(WattsStrogatz(100, 4, -0.1, rng)), "watts_strogatz: beta must be in [0, 1], got -0.1"},
		{"ws beta NaN", errOf(WattsStrogatz(100, 4, math.NaN(), rng)), "watts_strogatz: beta must be in [0, 1], got NaN"},
		{"ws n=0", errOf(WattsStrogatz(0, 2, 0.1, rng)), "watts_strogatz: n must be in [1, 2147483647], got 0"},
		{"sbm no sizes", sbmErr(nil, 0.1, 0.1, rng), "stochastic_block: sizes must be non-empty"},
		{"sbm empty block", sbmErr([]int{10, 0}, 0.1, 0.1, rng), "stochastic_block: sizes[1] must be >= 1, got 0"},
		{"sbm negative block", sbmErr([]int{-3}, 0.1, 0.1, rng), "stochastic_block: sizes[0] must be >= 1, got -3"},
		{"sbm too many nodes", sbmErr([]int{1 << 30, 1 << 30}, 0, 0, rng), "stochastic_block: n = sum(sizes) must be in [1, 2147483647], got more than that"},
		{"sbm p_in > 1", sbmErr([]int{10}, 1.5, 0.1, rng), "stochastic_block: p_in must be in [0, 1], got 1.5"},
		{"sbm p_out < 0", sbmErr([]int{10}, 0.5, -0.25, rng), "stochastic_block: p_out must be in [0, 1], got -0.25"},
		{"sbm p_out NaN", sbmErr([]int{10}, 0.5, math.NaN(), rng), "stochastic_block: p_out must be in [0, 1], got NaN"},
		{"sbm nil rng", sbmErr([]int{10}, 0.5, 0.5, nil), "stochastic_block: rng must not be nil"},
		{"complete n=0", errOf(Complete(0)), "complete: n must be in [1, 2147483647], got 0"},
		{"complete too large", errOf(Complete(14143)), "complete: n*(n-1) = 200010306 directed edges exceeds the limit of 2e8 for an explicit graph (n <= 14142); use the mean-field path (kind: complete, which the simulator handles without materialising the graph)"},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Errorf("%s: no error, want %q", tt.name, tt.want)
		} else if tt.err.Error() != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, tt.err, tt.want)
		}
	}
}

// TestPairFrequencies checks that geometric skipping gives every candidate pair the same
// probability, first and last pairs included (an off-by-one in the skip arithmetic would show
// here long before it moved a degree distribution), for ER and for both SBM passes.
func TestPairFrequencies(t *testing.T) {
	t.Parallel()
	const runs = 20000
	type tc struct {
		name  string
		n     int
		draw  func(*rand.Rand) *CSR
		pairP func(u, v int) float64
	}
	sbmBlock := []int32{0, 0, 1, 1, 1, 2}
	tests := []tc{
		{"er", 6, func(r *rand.Rand) *CSR { g, _ := ErdosRenyi(6, 1.5, r, 2); return g },
			func(int, int) float64 { return 0.3 }},
		{"sbm", 6, func(r *rand.Rand) *CSR { g, _, _ := StochasticBlock([]int{2, 3, 1}, 0.6, 0.2, r, 2); return g },
			func(u, v int) float64 {
				if sbmBlock[u] == sbmBlock[v] {
					return 0.6
				}
				return 0.2
			}},
	}
	for _, tt := range tests {
		rng := newRNG(42, 43)
		count := make([]float64, tt.n*tt.n)
		for range runs {
			g := tt.draw(rng)
			for u := 0; u < tt.n; u++ {
				for _, v := range g.Row(u) {
					count[u*tt.n+int(v)]++
				}
			}
		}
		for u := 0; u < tt.n; u++ {
			for v := u + 1; v < tt.n; v++ {
				p := tt.pairP(u, v)
				mu, sigma := runs*p, math.Sqrt(runs*p*(1-p))
				if got := count[u*tt.n+v]; math.Abs(got-mu) > 4.5*sigma {
					t.Errorf("%s: pair %d-%d present in %g of %d draws, want %g ± 4.5·%.1f", tt.name, u, v, got, runs, mu, sigma)
				}
			}
		}
	}
}

// TestBarabasiAlbertIsPreferential checks the attachment probability itself on the smallest
// case: with m = 1 the seed is the edge 0-1, node 2 joins one of them (the hub, degree 2), and
// node 3 must then pick the hub with probability 2/4 = 1/2, not 1/3 as uniform choice would.
func TestBarabasiAlbertIsPreferential(t *testing.T) {
	t.Parallel()
	const runs = 20000
	rng := newRNG(5, 5)
	hub := 0
	for range runs {
		g, err := BarabasiAlbert(4, 1, rng)
		if err != nil {
			t.Fatal(err)
		}
		if g.Row(3)[0] == g.Row(2)[0] {
			hub++
		}
	}
	mu, sigma := runs*0.5, math.Sqrt(runs*0.25)
	if math.Abs(float64(hub)-mu) > 4.5*sigma {
		t.Errorf("node 3 joined the hub in %d of %d draws, want %g ± 4.5·%.0f", hub, runs, mu, sigma)
	}
}
