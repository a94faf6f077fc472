// Package graph holds msgsim's contact graphs: a compact compressed-sparse-row (CSR) layout,
// a counting-sort builder, the random-graph families the simulator draws from (Erdős–Rényi,
// Barabási–Albert, Watts–Strogatz, stochastic block model, complete) and an edge-list reader.
//
// Everything is sized for 1e7+ agents: node ids are int32 (half the memory of int, and the
// simulator never needs more than 2^31-1 agents), row offsets are int64 (so more than 2^31
// directed edges still fit; a simulation keeps them as uint32 when they fit, see Rows), and
// generators run in O(n+m) or O(n·m) time without maps or per-edge allocation. The models
// of independent pairs (Erdős–Rényi, stochastic block, bipartite) are drawn on several
// goroutines straight into the CSR, so their build peaks at the CSR itself (4 bytes per
// directed edge and 8 per node); the others go through a Builder, which peaks at about 8
// bytes per directed edge.
//
// The entry points, each returning a *CSR:
//
//   - ErdosRenyi, BarabasiAlbert, WattsStrogatz, StochasticBlock and Bipartite draw a random
//     graph from the caller's *rand.Rand, so that the same seed gives the same graph (on any
//     number of workers); Complete writes out the complete graph.
//   - ReadEdgeList reads a graph from a text edge list in any io.Reader.
//   - NewBuilder, Builder.AddEdge and Builder.Build make a graph from the caller's own edges.
//
// Compact and Shared give a CSR's Rows, the form a simulation keeps for its run.
package graph

import (
	"fmt"
	"math"
)

// maxNodes is the largest node count a CSR can hold: neighbour ids are int32.
const maxNodes = math.MaxInt32

// CSR is an undirected simple graph in compressed sparse row form: the neighbours of node i are
// Neighbors[Offsets[i]:Offsets[i+1]], sorted ascending, without self-loops or duplicates; every
// edge appears in both endpoint rows.
//
// The layout is two flat slices so that a graph of 1e7 nodes and 1e8 directed edges costs
// 0.4 GB of neighbours plus 80 MB of offsets, with no per-node headers and rows that the
// simulator can scan sequentially.
type CSR struct {
	Offsets   []int64 // len NumNodes()+1 (int64 so > 2^31 directed edges fit)
	Neighbors []int32
}

// NumNodes returns the number of nodes (0 for a zero CSR).
func (g *CSR) NumNodes() int {
	if len(g.Offsets) == 0 {
		return 0
	}
	return len(g.Offsets) - 1
}

// NumEdges returns the number of undirected edges, len(Neighbors)/2, since each edge is stored
// once in each endpoint's row.
func (g *CSR) NumEdges() int64 { return int64(len(g.Neighbors)) / 2 }

// Degree returns the number of neighbours of node i.
func (g *CSR) Degree(i int) int { return int(g.Offsets[i+1] - g.Offsets[i]) }

// Row returns the neighbours of node i, sorted ascending. It aliases the graph's storage (no
// copy) so scanning neighbours in the simulator's inner loop allocates nothing; callers must
// not modify it.
func (g *CSR) Row(i int) []int32 { return g.Neighbors[g.Offsets[i]:g.Offsets[i+1]:g.Offsets[i+1]] }

// MeanDegree returns 2·NumEdges/NumNodes, or 0 for a graph without nodes.
func (g *CSR) MeanDegree() float64 {
	n := g.NumNodes()
	if n == 0 {
		return 0
	}
	return float64(len(g.Neighbors)) / float64(n)
}

// Validate checks the CSR invariants: offsets start at 0, never decrease and end at
// len(Neighbors); every neighbour is a node id other than the row's own; rows are strictly
// ascending (so no duplicates); and the graph is symmetric. It runs in O(n+m) time with one
// extra offsets-sized slice, so it is cheap enough to run after loading any graph.
//
// Symmetry is checked without searching: visiting rows i = 0, 1, ... in order, the rows that
// list j are met in ascending i, which is exactly the order in which i must appear in j's
// sorted row. A cursor per node therefore walks each row once, and a mismatch means some edge
// is stored in one direction only.
func (g *CSR) Validate() error {
	if len(g.Offsets) == 0 {
		return fmt.Errorf("offsets is empty, want len NumNodes()+1 >= 1")
	}
	n := len(g.Offsets) - 1
	if n > maxNodes {
		return fmt.Errorf("%d nodes exceed the int32 id limit %d", n, maxNodes)
	}
	if g.Offsets[0] != 0 {
		return fmt.Errorf("offsets[0] = %d, want 0", g.Offsets[0])
	}
	for i := 0; i < n; i++ {
		if g.Offsets[i+1] < g.Offsets[i] {
			return fmt.Errorf("offsets decrease at node %d: %d > %d", i, g.Offsets[i], g.Offsets[i+1])
		}
	}
	if g.Offsets[n] != int64(len(g.Neighbors)) {
		return fmt.Errorf("offsets[%d] = %d, want len(neighbors) = %d", n, g.Offsets[n], len(g.Neighbors))
	}
	for i := 0; i < n; i++ {
		prev := int32(-1)
		for _, j := range g.Neighbors[g.Offsets[i]:g.Offsets[i+1]] {
			switch {
			case j < 0 || int(j) >= n:
				return fmt.Errorf("node %d: neighbour %d out of range [0, %d)", i, j, n)
			case int(j) == i:
				return fmt.Errorf("node %d: self-loop", i)
			case j <= prev:
				if j == prev {
					return fmt.Errorf("node %d: duplicate neighbour %d", i, j)
				}
				return fmt.Errorf("node %d: row not sorted ascending (%d after %d)", i, j, prev)
			}
			prev = j
		}
	}
	cursor := make([]int64, n)
	copy(cursor, g.Offsets[:n])
	for i := 0; i < n; i++ {
		for _, j := range g.Neighbors[g.Offsets[i]:g.Offsets[i+1]] {
			c := cursor[j]
			if c < g.Offsets[j+1] && g.Neighbors[c] < int32(i) {
				// Row j lists x < i, but row x (already visited) did not list j.
				x := g.Neighbors[c]
				return fmt.Errorf("asymmetric: edge %d-%d is missing from the row of %d", j, x, x)
			}
			if c == g.Offsets[j+1] || g.Neighbors[c] != int32(i) {
				return fmt.Errorf("asymmetric: edge %d-%d is missing from the row of %d", i, j, j)
			}
			cursor[j] = c + 1
		}
	}
	// Every one of the len(Neighbors) entries has now been matched to a distinct slot of the
	// reverse row, so every slot is matched and all cursors are at the ends of their rows.
	return nil
}
