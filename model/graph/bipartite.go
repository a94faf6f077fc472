package graph

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Bipartite returns a random bipartite graph on nodes 0..n-1 whose edges join a node of a to
// a node of b, each of the len(a) x len(b) pairs independently with probability
// p = meanDegree (len(a) + len(b)) / (2 len(a) len(b)): the expected degree, averaged over
// the nodes of a and b, is meanDegree, and the other nodes have none. It is the
// Erdős–Rényi G(n, p) of the pairs between two groups, such as vendors and buyers, drawn by
// the same geometric skipping (Batagelj & Brandes 2005) in O(len(a) + len(b) + edges).
//
// a and b are expected to be disjoint lists of distinct ids; a node in both would give
// self-loops and repeated pairs, which the Builder drops.
func Bipartite(n int, a, b []int32, meanDegree float64, rng *rand.Rand) (*CSR, error) {
	const gen = "bipartite"
	if err := checkN(gen, n); err != nil {
		return nil, err
	}
	for _, side := range [][]int32{a, b} {
		for _, v := range side {
			if v < 0 || int(v) >= n {
				return nil, fmt.Errorf("%s: node %d outside [0, %d)", gen, v, n)
			}
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
	mu := meanDegree * (na + nb) / 2
	if err := checkEdges(gen, mu); err != nil {
		return nil, err
	}
	builder := NewBuilder(n, edgeHint(mu))
	if meanDegree > 0 {
		p := min(meanDegree/most, 1)
		sampleGrid(builder, a, b, p, newSource(rng))
	}
	g, _ := builder.Build() // each pair is visited once: nothing to drop for disjoint groups
	return g, nil
}

// sampleGrid adds each pair (a[x], b[y]) independently with probability p, skipping
// geometrically over the pairs in row-major order of (x, y).
func sampleGrid(builder *Builder, a, b []int32, p float64, src *rand.PCG) {
	cells := int64(len(a)) * int64(len(b))
	lp := math.Log1p(-p) // < 0; -Inf when p == 1, which makes every skip 0
	for t := int64(-1); ; {
		// 1-r in (0, 1], so the logarithm is finite.
		skip := math.Log(float64(src.Uint64()>>11+1)*0x1p-53) / lp
		if skip > maxSkip {
			skip = maxSkip
		}
		t += 1 + int64(skip)
		if t >= cells || t < 0 {
			return
		}
		builder.us = append(builder.us, a[t/int64(len(b))])
		builder.vs = append(builder.vs, b[t%int64(len(b))])
	}
}
