package graph

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestGraphSameWhateverTheWorkers draws every tiled generator on several tiles (n well above
// 3·minTileSide) with 1, 2 and 8 workers: the CSRs must be byte-identical and valid, and the
// Erdős–Rényi graph must have the degree mean and variance of G(n, p), which a tile drawn
// twice or not at all would move by far more than the tolerances.
func TestGraphSameWhateverTheWorkers(t *testing.T) {
	t.Parallel()
	const n, k = 500_000, 6.0
	if tilesPerSide(n) < 5 {
		t.Fatalf("n = %d gives %d tiles per side; the test wants several", n, tilesPerSide(n))
	}
	var a, b []int32
	for i := int32(0); i < n; i++ {
		if i%3 == 0 {
			a = append(a, i)
		} else if i%3 == 1 {
			b = append(b, i)
		}
	}
	gens := []struct {
		name string
		gen  func(workers int) (*CSR, error)
	}{
		{"erdos_renyi", func(w int) (*CSR, error) { return ErdosRenyi(n, k, newRNG(9, 10), w) }},
		{"stochastic_block", func(w int) (*CSR, error) {
			g, _, err := StochasticBlock([]int{100_000, 1, 150_000, 249_999}, 2e-5, 2e-6, newRNG(9, 10), w)
			return g, err
		}},
		{"bipartite", func(w int) (*CSR, error) { return Bipartite(n, a, b, k, newRNG(9, 10), w) }},
	}
	for _, gen := range gens {
		t.Run(gen.name, func(t *testing.T) {
			t.Parallel()
			var first *CSR
			for _, workers := range []int{1, 2, 8} {
				g, err := gen.gen(workers)
				if err != nil {
					t.Fatal(err)
				}
				if first == nil {
					first = g
					if err := g.Validate(); err != nil {
						t.Fatalf("Validate: %v", err)
					}
					continue
				}
				if !slices.Equal(g.Offsets, first.Offsets) || !slices.Equal(g.Neighbors, first.Neighbors) {
					t.Errorf("%d workers gave a different graph from 1 worker", workers)
				}
			}
			if gen.name != "erdos_renyi" {
				return
			}
			p := k / (n - 1)
			pairs := float64(n) * (n - 1) / 2
			sigma := math.Sqrt(pairs * p * (1 - p))
			mean, variance, _, _ := degreeStats(first)
			if math.Abs(mean-k) > 4*2*sigma/n {
				t.Errorf("mean degree = %.4f, want %g ± %.4f", mean, k, 4*2*sigma/n)
			}
			// The variance of 5e5 near-Poisson degrees has a relative standard error of
			// about 0.2%, so 1% is five of them.
			if want := k * (1 - p); math.Abs(variance-want) > 0.01*want {
				t.Errorf("degree variance = %.4f, want %.4f ± 1%%", variance, want)
			}
		})
	}
}

// TestTilePairFrequencies checks that tiling gives every candidate pair the same probability
// and the right one, at tile and model-block boundaries: tiles of one or two nodes, model
// blocks straddling tiles, for the stochastic block model (and so Erdős–Rényi) and the
// bipartite grid, whose ids are listed out of order.
func TestTilePairFrequencies(t *testing.T) {
	t.Parallel()
	const runs = 20000
	starts := []int{0, 2, 3, 6, 9}
	blockOf := func(v int) int { b, _ := slices.BinarySearch(starts, v+1); return b - 1 }
	a, b := []int32{6, 0, 3}, []int32{2, 7, 1, 8, 5}
	inA := func(v int) bool { return slices.Contains(a, int32(v)) }
	inB := func(v int) bool { return slices.Contains(b, int32(v)) }
	tests := []struct {
		name  string
		draw  func(*rand.Rand, int) *CSR
		pairP func(u, v int) float64
	}{
		{"sbm 5 tiles", func(r *rand.Rand, w int) *CSR { return blockPairs(starts, 0.6, 0.2, 5, r, w) },
			func(u, v int) float64 {
				if blockOf(u) == blockOf(v) {
					return 0.6
				}
				return 0.2
			}},
		{"er 3 tiles", func(r *rand.Rand, w int) *CSR { return blockPairs([]int{0, 9}, 0.3, 0, 3, r, w) },
			func(int, int) float64 { return 0.3 }},
		{"bipartite 2x3 tiles", func(r *rand.Rand, w int) *CSR { return gridPairs(9, a, b, 0.4, 2, 3, r, w) },
			func(u, v int) float64 {
				if inA(u) && inB(v) || inB(u) && inA(v) {
					return 0.4
				}
				return 0
			}},
		{"bipartite 3x2 tiles", func(r *rand.Rand, w int) *CSR { return gridPairs(9, a, b, 0.4, 3, 2, r, w) },
			func(u, v int) float64 {
				if inA(u) && inB(v) || inB(u) && inA(v) {
					return 0.4
				}
				return 0
			}},
	}
	const n = 9
	for _, tt := range tests {
		rng := newRNG(42, 43)
		count := make([]float64, n*n)
		for r := range runs {
			g := tt.draw(rng, 1+r%3)
			if r < 50 {
				if err := g.Validate(); err != nil {
					t.Fatalf("%s: Validate: %v", tt.name, err)
				}
			}
			for u := 0; u < n; u++ {
				for _, v := range g.Row(u) {
					count[u*n+int(v)]++
				}
			}
		}
		for u := 0; u < n; u++ {
			for v := u + 1; v < n; v++ {
				p := tt.pairP(u, v)
				mu, sigma := runs*p, math.Sqrt(runs*p*(1-p))
				if got := count[u*n+v]; math.Abs(got-mu) > 4.5*sigma {
					t.Errorf("%s: pair %d-%d present in %g of %d draws, want %g ± 4.5·%.1f", tt.name, u, v, got, runs, mu, sigma)
				}
			}
		}
	}
}

// TestRounds checks both schedules: every tile exactly once, and no row block twice in a
// round (two goroutines of a round would otherwise write the same rows). A symmetric tile
// (I, J) writes the rows of blocks I and J; a grid tile, those of row block I and column
// block J, numbered apart.
func TestRounds(t *testing.T) {
	t.Parallel()
	check := func(name string, rounds [][][2]int, want map[[2]int]bool, blocks func(tile [2]int) []int) {
		seen := map[[2]int]bool{}
		for r, round := range rounds {
			busy := map[int]bool{}
			for _, tile := range round {
				if !want[tile] || seen[tile] {
					t.Fatalf("%s: round %d has tile %v, unexpected or seen before", name, r, tile)
				}
				seen[tile] = true
				for _, b := range blocks(tile) {
					if busy[b] {
						t.Fatalf("%s: round %d writes block %d twice: %v", name, r, b, round)
					}
					busy[b] = true
				}
			}
		}
		if len(seen) != len(want) {
			t.Errorf("%s: %d tiles scheduled, want %d", name, len(seen), len(want))
		}
	}
	symmetric := func(tile [2]int) []int { return slices.Compact([]int{tile[0], tile[1]}) }
	grid := func(tile [2]int) []int { return []int{tile[0], 1000 + tile[1]} }
	for tiles := 1; tiles <= maxTilesPerSide; tiles += 2 {
		want := map[[2]int]bool{}
		for i := 0; i < tiles; i++ {
			for j := 0; j <= i; j++ {
				want[[2]int{i, j}] = true
			}
		}
		check(fmt.Sprintf("symmetric %d", tiles), symmetricRounds(tiles), want, symmetric)
	}
	for ta := 1; ta <= 7; ta++ {
		for tb := 1; tb <= 7; tb++ {
			want := map[[2]int]bool{}
			for i := 0; i < ta; i++ {
				for j := 0; j < tb; j++ {
					want[[2]int{i, j}] = true
				}
			}
			check(fmt.Sprintf("grid %dx%d", ta, tb), gridRounds(ta, tb), want, grid)
		}
	}
	if got := []int{tilesPerSide(1), tilesPerSide(3*minTileSide - 1), tilesPerSide(4 * minTileSide), tilesPerSide(1 << 30)}; !slices.Equal(got, []int{1, 1, 3, maxTilesPerSide}) {
		t.Errorf("tilesPerSide = %v, want [1 1 3 %d]", got, maxTilesPerSide)
	}
}

// TestRecordedEdgesAreTheRedrawnOnes: a one-tile graph built from the edges its counting pass
// recorded is the graph drawn twice, for a sparse graph and for one past maxRecordedEdges,
// whose recording is dropped half way.
func TestRecordedEdgesAreTheRedrawnOnes(t *testing.T) {
	for _, c := range []struct {
		n int
		p float64
	}{{3000, 0.01}, {3000, 1}} { // 3000 nodes, p = 1: 4,498,500 edges > maxRecordedEdges
		if pairs := c.p * float64(c.n*(c.n-1)/2); c.p == 1 && pairs <= maxRecordedEdges {
			t.Fatalf("%g edges do not pass maxRecordedEdges", pairs)
		}
		build := func(record bool) *CSR {
			seeds := newTileSeeds(rand.New(rand.NewPCG(1, 2)))
			return buildTiledRecording(record, c.n, symmetricRounds(1), 1, func(f *csrFill, _ [2]int) {
				f.below(seeds.source(0), c.p, 0, c.n, 0)
			})
		}
		recorded, redrawn := build(true), build(false)
		if !slices.Equal(recorded.Offsets, redrawn.Offsets) || !slices.Equal(recorded.Neighbors, redrawn.Neighbors) {
			t.Errorf("%d nodes, p %g: the graph built from recorded edges differs from the one drawn twice", c.n, c.p)
		}
		if len(redrawn.Neighbors) == 0 {
			t.Errorf("%d nodes, p %g: no edges drawn, which tests nothing", c.n, c.p)
		}
	}
}
