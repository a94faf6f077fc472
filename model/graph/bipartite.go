package graph

import (
	"fmt"
	"math/rand/v2"
)

// Bipartite returns a random bipartite graph on nodes 0..n-1 whose edges join a node of a to
// a node of b, each of the len(a) x len(b) pairs independently with probability
// p = meanDegree (len(a) + len(b)) / (2 len(a) len(b)): the expected degree, averaged over
// the nodes of a and b, is meanDegree, and the other nodes have none. It is the
// Erdős–Rényi G(n, p) of the pairs between two groups, such as vendors and buyers, drawn by
// the same geometric skipping (Batagelj & Brandes 2005) in O(len(a) + len(b) + edges), tile
// by tile on up to workers goroutines straight into the CSR (see tiles.go): the graph depends
// on n, a, b, meanDegree and rng, not on workers.
//
// a and b must be disjoint lists of distinct ids: tiles of a round write the rows of
// different nodes only because no node is in two of them.
func Bipartite(n int, a, b []int32, meanDegree float64, rng *rand.Rand, workers int) (*CSR, error) {
	const gen = "bipartite"
	if err := checkN(gen, n); err != nil {
		return nil, err
	}
	seen := make([]uint64, (n+63)/64)
	for _, side := range [][]int32{a, b} {
		for _, v := range side {
			if v < 0 || int(v) >= n {
				return nil, fmt.Errorf("%s: node %d outside [0, %d)", gen, v, n)
			}
			if seen[v/64]&(1<<(v%64)) != 0 {
				return nil, fmt.Errorf("%s: node %d is listed twice; the groups must be disjoint lists of distinct nodes", gen, v)
			}
			seen[v/64] |= 1 << (v % 64)
		}
	}
	na, nb := float64(len(a)), float64(len(b))
	most := 0.0 // the mean degree of the complete bipartite graph
	if na > 0 && nb > 0 {
		most = 2 * na * nb / (na + nb)
	}
	if !(meanDegree >= 0 && meanDegree <= most) { // also rejects NaN
		return nil, fmt.Errorf("%s: mean_degree must be in [0, %g] for groups of %d and %d nodes, got %g", gen, most, len(a), len(b), meanDegree)
	}
	if err := checkRNG(gen, rng); err != nil {
		return nil, err
	}
	if err := checkEdges(gen, meanDegree*(na+nb)/2); err != nil {
		return nil, err
	}
	p := 0.0
	if meanDegree > 0 {
		p = min(meanDegree/most, 1)
	}
	return gridPairs(n, a, b, p, tilesPerSide(len(a)), tilesPerSide(len(b)), rng, workers), nil
}

// gridPairs links each pair (a[x], b[y]) with probability p, over ta-by-tb tiles.
func gridPairs(n int, a, b []int32, p float64, ta, tb int, rng *rand.Rand, workers int) *CSR {
	seeds := newTileSeeds(rng)
	return buildTiled(n, gridRounds(ta, tb), workers, func(f *csrFill, tile [2]int) {
		i, j := tile[0], tile[1]
		rows := span{lo: blockStart(i, ta, len(a)), hi: blockStart(i+1, ta, len(a)), ids: a}
		cols := span{lo: blockStart(j, tb, len(b)), hi: blockStart(j+1, tb, len(b)), ids: b}
		f.rect(seeds.source(i*tb+j), p, rows, cols)
	})
}
