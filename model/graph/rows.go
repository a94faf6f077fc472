package graph

import "math"

// Offset is the type of a Rows' row offsets: uint32 when a graph's directed edges fit in it,
// int64 otherwise.
type Offset interface{ uint32 | int64 }

// Rows is a graph's rows as a simulation keeps them for its run: a CSR whose row offsets are
// uint32 (Narrow) when its directed edges fit in them, int64 (Wide) otherwise. Exactly one of
// Narrow and Wide is non-nil; the neighbours of node i are Neighbors[off[i]:off[i+1]] in
// either. Narrow offsets take 4 bytes per node instead of 8: 1.1 GiB of 3e8 agents' state.
//
// A loop over every row takes the offsets of its width as a generic function's []O (see
// Offset), so that each width is compiled on its own and neither pays for the other; a
// read of one row or degree (Row, Degree) tests which is set.
type Rows struct {
	Narrow    []uint32 // len NumNodes()+1, when the directed edges number at most MaxNarrowEdges
	Wide      []int64  // len NumNodes()+1, otherwise
	Neighbors []int32
}

// Compact returns g's rows with uint32 offsets when g has at most MaxNarrowEdges directed edges,
// sharing g's neighbours (the caller drops g to free its int64 offsets), else with g's own
// offsets (Shared).
func Compact(g *CSR) *Rows {
	if !fitsNarrow(int64(len(g.Neighbors))) {
		return Shared(g)
	}
	narrow := make([]uint32, len(g.Offsets))
	for i, o := range g.Offsets {
		narrow[i] = uint32(o)
	}
	return &Rows{Narrow: narrow, Neighbors: g.Neighbors}
}

// MaxNarrowEdges is the most directed edges a graph's Rows keep with uint32 offsets: the last
// offset is the number of directed edges.
const MaxNarrowEdges = math.MaxUint32

// fitsNarrow reports whether a graph of this many directed edges can have uint32 offsets.
func fitsNarrow(directedEdges int64) bool { return directedEdges <= MaxNarrowEdges }

// Shared returns g's rows with g's own int64 offsets, without a copy: the form of a graph that
// several runs share (a given graph), where a narrow copy per run would add 4 bytes per node
// instead of saving them.
func Shared(g *CSR) *Rows { return &Rows{Wide: g.Offsets, Neighbors: g.Neighbors} }

// NumNodes returns the number of nodes (0 for a zero Rows).
func (r *Rows) NumNodes() int { return max(len(r.Narrow), len(r.Wide), 1) - 1 }

// Degree returns the number of neighbours of node i. Its width test is the narrow read's
// bounds check (nil Narrow offsets have length 0), so a narrow degree costs what a degree of
// one width did.
func (r *Rows) Degree(i int) int {
	if uint(i+1) < uint(len(r.Narrow)) {
		return int(r.Narrow[i+1] - r.Narrow[i])
	}
	return int(r.Wide[i+1] - r.Wide[i])
}

// Row returns the neighbours of node i, sorted ascending. Like CSR.Row it aliases the graph's
// storage; callers must not modify it.
func (r *Rows) Row(i int) []int32 {
	if r.Narrow != nil {
		return row(r.Narrow, r.Neighbors, i)
	}
	return row(r.Wide, r.Neighbors, i)
}

// row is the neighbours of node i under offsets.
func row[O Offset](offsets []O, neighbors []int32, i int) []int32 {
	return neighbors[offsets[i]:offsets[i+1]:offsets[i+1]]
}

// Offset returns the offset of node i's row (i = NumNodes() gives the number of directed
// edges), whatever the width.
func (r *Rows) Offset(i int) int64 {
	if r.Narrow != nil {
		return int64(r.Narrow[i])
	}
	return r.Wide[i]
}

// MaxDegree returns the largest degree, 0 for a graph without nodes.
func (r *Rows) MaxDegree() int {
	if r.Narrow != nil {
		return maxDegree(r.Narrow)
	}
	return maxDegree(r.Wide)
}

// maxDegree is the largest difference between consecutive offsets.
func maxDegree[O Offset](offsets []O) int {
	var most O
	for i := 1; i < len(offsets); i++ {
		most = max(most, offsets[i]-offsets[i-1])
	}
	return int(most)
}
