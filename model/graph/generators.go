package graph

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
)

// maxDirectedEdges bounds what a generator will try to allocate (2^37 directed edges, 512 GiB
// of neighbours): parameters beyond it are certainly a mistake, and refusing them turns what
// would be an allocation failure into an error naming the parameter.
const maxDirectedEdges = 1 << 37

// maxSkip caps a geometric skip so that it converts to int64 safely; any skip this large runs
// past the last candidate pair (there are fewer than 2^61 pairs on 2^31 nodes) and ends sampling.
const maxSkip = 0x1p62

// newSource derives a private PCG from the caller's generator. The hot loops then call a
// concrete *rand.PCG (a direct, inlinable call) instead of going through rand.Rand's Source
// interface for every edge; the graph is still a deterministic function of rng's state.
func newSource(rng *rand.Rand) *rand.PCG {
	return rand.NewPCG(rng.Uint64(), rng.Uint64())
}

// uintn returns a uniform integer in [0, n), n > 0, by Lemire's multiply-and-reject method
// (Lemire 2019, "Fast random integer generation in an interval", ACM TOMACS 29(1)), which
// avoids a division on almost every call.
func uintn(src *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}

// float01 returns a uniform float64 in [0, 1) with 53 random bits.
func float01(src *rand.PCG) float64 {
	return float64(src.Uint64()>>11) * 0x1p-53
}

// checkN validates a node count: at least one node, and ids must fit in int32.
func checkN(gen string, n int) error {
	if n < 1 || n > maxNodes {
		return fmt.Errorf("%s: n must be in [1, %d], got %d", gen, maxNodes, n)
	}
	return nil
}

func checkRNG(gen string, rng *rand.Rand) error {
	if rng == nil {
		return fmt.Errorf("%s: rng must not be nil", gen)
	}
	return nil
}

// checkEdges refuses parameter sets whose expected edge count cannot be materialised.
func checkEdges(gen string, undirected float64) error {
	if 2*undirected > maxDirectedEdges {
		return fmt.Errorf("%s: parameters give about %.3g directed edges, more than the %d this package will allocate", gen, 2*undirected, int64(maxDirectedEdges))
	}
	return nil
}

// ErdosRenyi returns a G(n, p) random graph (Erdős & Rényi 1959; Gilbert 1959) with
// p = meanDegree/(n-1), so that the expected degree is meanDegree.
//
// Rather than flipping a coin for each of the n(n-1)/2 pairs, it walks the pairs in row-major
// order and jumps straight to the next edge: the gap between successive edges is geometric,
// skip = floor(ln(1-r)/ln(1-p)) (Batagelj & Brandes 2005, "Efficient generation of large
// random networks", Phys. Rev. E 71, 036113, algorithm G(n,p)). That is O(n+m) time and one
// random number per edge (drawn twice: once to count the rows, once to fill them), which is
// what makes 1e7 nodes practical. The pairs are cut into tiles with streams of their own,
// drawn on up to workers goroutines (one, the caller's, when workers < 2) straight into the
// CSR (see tiles.go): the graph depends on n, meanDegree and rng, not on workers.
func ErdosRenyi(n int, meanDegree float64, rng *rand.Rand, workers int) (*CSR, error) {
	const gen = "erdos_renyi"
	if err := checkN(gen, n); err != nil {
		return nil, err
	}
	if !(meanDegree >= 0 && meanDegree <= float64(n-1)) { // also rejects NaN
		return nil, fmt.Errorf("%s: mean_degree must be in [0, n-1] = [0, %d], got %g", gen, n-1, meanDegree)
	}
	if err := checkRNG(gen, rng); err != nil {
		return nil, err
	}
	if err := checkEdges(gen, meanDegree*float64(n)/2); err != nil {
		return nil, err
	}
	p := 0.0
	if n > 1 {
		p = min(meanDegree/float64(n-1), 1)
	}
	return blockPairs([]int{0, n}, p, 0, tilesPerSide(n), rng, workers), nil
}

// BarabasiAlbert returns a preferential-attachment graph (Barabási & Albert 1999, Science
// 286:509): it starts from a clique on m+1 nodes (so every node, old or new, has degree >= m
// and the graph is connected), then each new node t = m+1, ..., n-1 attaches to m distinct
// existing nodes chosen with probability proportional to their degree. The result has exactly
// m(m+1)/2 + m(n-m-1) edges and a degree distribution with a power-law tail P(k) ~ k^-3.
//
// Degree-proportional choice uses the repeated-nodes list of Batagelj & Brandes (2005,
// Phys. Rev. E 71, 036113): a node appears in the list of edge endpoints once per incident
// edge, so a uniform entry of that list is a degree-weighted node, in O(1). The list is the
// Builder's own pending edges (both endpoint slices), so it costs no extra memory. A draw that
// repeats a target already chosen for the current node is redrawn, which is how the m targets
// are kept distinct; candidates come only from edges that existed before the node arrived.
// Time is O(n·m).
func BarabasiAlbert(n, m int, rng *rand.Rand) (*CSR, error) {
	const gen = "barabasi_albert"
	if err := checkN(gen, n); err != nil {
		return nil, err
	}
	if m < 1 || m > n-1 {
		return nil, fmt.Errorf("%s: m must be in [1, n-1], got %d", gen, m)
	}
	if err := checkRNG(gen, rng); err != nil {
		return nil, err
	}
	m0 := m + 1
	edges := int64(m0)*int64(m0-1)/2 + int64(m)*int64(n-m0)
	if err := checkEdges(gen, float64(edges)); err != nil {
		return nil, err
	}
	src := newSource(rng)
	b := NewBuilder(n, edges)
	for i := 1; i < m0; i++ {
		for j := 0; j < i; j++ {
			b.us = append(b.us, int32(i))
			b.vs = append(b.vs, int32(j))
		}
	}
	// mark[x] == t means x is already a target of node t; t >= 2, so the zero value is unmarked.
	mark := make([]int32, n)
	for t := m0; t < n; t++ {
		e0 := uint64(len(b.us))
		us, vs := b.us[:e0], b.vs[:e0]
		for c := 0; c < m; {
			r := uintn(src, 2*e0)
			var x int32
			if r < e0 {
				x = us[r]
			} else {
				x = vs[r-e0]
			}
			if mark[x] == int32(t) {
				continue
			}
			mark[x] = int32(t)
			b.us = append(b.us, int32(t))
			b.vs = append(b.vs, x)
			c++
		}
	}
	g, _ := b.Build() // targets are distinct and new: nothing to drop
	return g, nil
}

// WattsStrogatz returns a small-world graph (Watts & Strogatz 1998, "Collective dynamics of
// 'small-world' networks", Nature 393:440): a ring lattice in which each node is linked to its
// k/2 nearest neighbours on each side, after which each lattice edge (u, u+j), taken in the
// paper's order (all j = 1 edges around the ring, then j = 2, ...), is rewired with probability
// beta to (u, w) for a uniform node w, redrawing w while it is u or already a neighbour of u.
// Edges of a node already linked to all others are left alone. The edge count n·k/2 is
// preserved, so the mean degree stays k; beta = 0 is the lattice and beta = 1 is close to a
// random graph.
//
// Every edge keeps its original first endpoint u as its owner, stored at index u·k/2 + j-1, so
// "are u and w adjacent" is answered by scanning the k/2 edges owned by u and the k/2 owned by
// w: O(k) per check with no adjacency sets, only the edge array and one degree counter per node.
func WattsStrogatz(n, k int, beta float64, rng *rand.Rand) (*CSR, error) {
	const gen = "watts_strogatz"
	if err := checkN(gen, n); err != nil {
		return nil, err
	}
	if k%2 != 0 || k < 2 || k > n-1 {
		return nil, fmt.Errorf("%s: k must be even and in [2, n-1], got %d", gen, k)
	}
	if !(beta >= 0 && beta <= 1) {
		return nil, fmt.Errorf("%s: beta must be in [0, 1], got %g", gen, beta)
	}
	if err := checkRNG(gen, rng); err != nil {
		return nil, err
	}
	h := k / 2
	if err := checkEdges(gen, float64(n)*float64(h)); err != nil {
		return nil, err
	}
	b := NewBuilder(n, int64(n)*int64(h))
	for u := 0; u < n; u++ {
		for j := 1; j <= h; j++ {
			v := u + j
			if v >= n {
				v -= n
			}
			b.us = append(b.us, int32(u))
			b.vs = append(b.vs, int32(v))
		}
	}
	if beta > 0 {
		src := newSource(rng)
		vs := b.vs
		deg := make([]int32, n)
		for i := range deg {
			deg[i] = int32(k)
		}
		for j := 1; j <= h; j++ {
			for u := 0; u < n; u++ {
				if float01(src) >= beta || int(deg[u]) >= n-1 {
					continue
				}
				var w int32
				for {
					w = int32(uintn(src, uint64(n)))
					if int(w) != u && !owned(vs, h, int32(u), w) && !owned(vs, h, w, int32(u)) {
						break
					}
				}
				e := u*h + j - 1
				deg[vs[e]]--
				deg[w]++
				vs[e] = w
			}
		}
	}
	g, _ := b.Build() // rewiring never creates self-loops or duplicates
	return g, nil
}

// owned reports whether one of the h edges owned by u (see WattsStrogatz) ends at w.
func owned(vs []int32, h int, u, w int32) bool {
	for _, x := range vs[int(u)*h : int(u)*h+h] {
		if x == w {
			return true
		}
	}
	return false
}

// StochasticBlock returns a stochastic block model graph (Holland, Laskey & Leinhardt 1983,
// Social Networks 5:109) and the block of every node: nodes are split into consecutive blocks
// of the given sizes (block 0 is nodes 0..sizes[0]-1, and so on), and each pair is linked
// independently with probability pIn if both nodes are in the same block and pOut otherwise.
//
// Both kinds of pair are sampled by geometric skipping (Batagelj & Brandes 2005), tile by tile
// on up to workers goroutines, straight into the CSR (see tiles.go): the graph depends on
// sizes, pIn, pOut and rng, not on workers.
func StochasticBlock(sizes []int, pIn, pOut float64, rng *rand.Rand, workers int) (*CSR, []int32, error) {
	const gen = "stochastic_block"
	if len(sizes) == 0 {
		return nil, nil, fmt.Errorf("%s: sizes must be non-empty", gen)
	}
	starts := make([]int, len(sizes)+1)
	for i, s := range sizes {
		if s < 1 {
			return nil, nil, fmt.Errorf("%s: sizes[%d] must be >= 1, got %d", gen, i, s)
		}
		if s > maxNodes || starts[i]+s > maxNodes {
			return nil, nil, fmt.Errorf("%s: n = sum(sizes) must be in [1, %d], got more than that", gen, maxNodes)
		}
		starts[i+1] = starts[i] + s
	}
	if !(pIn >= 0 && pIn <= 1) {
		return nil, nil, fmt.Errorf("%s: p_in must be in [0, 1], got %g", gen, pIn)
	}
	if !(pOut >= 0 && pOut <= 1) {
		return nil, nil, fmt.Errorf("%s: p_out must be in [0, 1], got %g", gen, pOut)
	}
	if err := checkRNG(gen, rng); err != nil {
		return nil, nil, err
	}
	n := starts[len(sizes)]
	var inPairs float64
	for _, s := range sizes {
		inPairs += float64(s) * float64(s-1) / 2
	}
	outPairs := float64(n)*float64(n-1)/2 - inPairs
	mu := pIn*inPairs + pOut*outPairs
	if err := checkEdges(gen, mu); err != nil {
		return nil, nil, err
	}
	blocks := make([]int32, n)
	for bi := range sizes {
		for i := starts[bi]; i < starts[bi+1]; i++ {
			blocks[i] = int32(bi)
		}
	}
	return blockPairs(starts, pIn, pOut, tilesPerSide(n), rng, workers), blocks, nil
}

// maxCompleteDirected is the largest complete graph Complete will materialise: 2e8 directed
// edges (800 MB of neighbours, n <= 14142). Beyond that the simulator's closed-form complete
// graph is the only sensible representation.
const maxCompleteDirected = 2e8

// Complete returns the complete graph on n nodes as an explicit CSR, which is what tests and
// small runs that want the generic graph code path need. Every node is everyone's neighbour,
// so the graph is written directly (row i is 0..n-1 without i) instead of going through a
// Builder. It refuses graphs with more than 2e8 directed edges: a complete graph carries no
// structure worth storing, and the simulator's mean-field path (graph kind complete, never
// materialised) handles any n without storing edges.
func Complete(n int) (*CSR, error) {
	const gen = "complete"
	if err := checkN(gen, n); err != nil {
		return nil, err
	}
	directed := int64(n) * int64(n-1)
	if directed > maxCompleteDirected {
		return nil, fmt.Errorf("%s: n*(n-1) = %d directed edges exceeds the limit of 2e8 for an explicit graph (n <= 14142); use the mean-field path (kind: complete, which the simulator handles without materialising the graph)", gen, directed)
	}
	off := make([]int64, n+1)
	nb := make([]int32, directed)
	p := int64(0)
	for i := 0; i < n; i++ {
		off[i] = p
		for j := 0; j < n; j++ {
			if j != i {
				nb[p] = int32(j)
				p++
			}
		}
	}
	off[n] = p
	return &CSR{Offsets: off, Neighbors: nb}, nil
}
