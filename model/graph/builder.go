package graph

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
)

// BuildStats reports what Build dropped.
type BuildStats struct {
	SelfLoops  int64 // edges u-u
	Duplicates int64 // repeats of an already added pair, in either direction
}

// Builder accumulates undirected edges and builds a CSR by counting sort (two passes, O(N+M),
// no maps, no per-edge allocation). Self-loops and repeated pairs (in either direction) are
// dropped and counted.
//
// Pending edges are kept as two parallel []int32 slices (8 bytes per undirected edge) rather
// than a slice of structs or a map, so that generators can also read them back cheaply (the
// Barabási–Albert generator samples its preferential-attachment targets from them). Building
// allocates the 4-bytes-per-directed-edge neighbour array while the pending edges are still
// alive, so the peak is about 8 bytes per directed edge plus 8 bytes per node of offsets.
//
// A Builder is single-use: Build hands its storage over to the CSR and resets it.
type Builder struct {
	n      int
	us, vs []int32 // endpoints of pending edge e are us[e], vs[e]
}

// NewBuilder returns a builder for a graph on nodes 0..n-1, with room for edgeHint undirected
// edges before its pending-edge slices must grow (growing briefly doubles their memory, so
// generators pass their exact edge count). It panics if n
// is outside [0, 2^31-1], like make does for a bad length: that is a programming error, not
// a user-input error.
func NewBuilder(n int, edgeHint int64) *Builder {
	if n < 0 || n > maxNodes {
		panic(fmt.Sprintf("graph.NewBuilder: n must be in [0, %d], got %d", maxNodes, n))
	}
	if edgeHint < 0 {
		edgeHint = 0
	}
	return &Builder{n: n, us: make([]int32, 0, edgeHint), vs: make([]int32, 0, edgeHint)}
}

// AddEdge records the undirected edge u-v. Self-loops and duplicates are accepted here and
// dropped by Build, so callers need not track what they have added. It panics if u or v is
// not in [0, n): an out-of-range id would otherwise corrupt the CSR silently.
func (b *Builder) AddEdge(u, v int32) {
	if uint32(u) >= uint32(b.n) || uint32(v) >= uint32(b.n) {
		panic(fmt.Sprintf("graph.Builder.AddEdge: edge %d-%d has an endpoint outside [0, %d)", u, v, b.n))
	}
	b.us = append(b.us, u)
	b.vs = append(b.vs, v)
}

// Build turns the pending edges into a CSR: one pass counts degrees, a prefix sum turns them
// into row offsets, a second pass scatters each edge into both endpoint rows, then every row is
// sorted (slices.Sort, skipped for rows that are already sorted, as Erdős–Rényi rows are) and
// deduplicated in place while the whole neighbour array is compacted towards the front. The
// neighbour array is reallocated to its exact size when dropped entries leave more than 1/32
// of it unused.
func (b *Builder) Build() (*CSR, BuildStats) {
	n := b.n
	us, vs := b.us, b.vs
	b.us, b.vs = nil, nil
	var st BuildStats

	// off has two spare slots so that, after the prefix sum, off[i+1] is the start of row i
	// and can serve as row i's fill cursor; once filled, off[i+1] is the end of row i, which is
	// the start of row i+1, and off[:n+1] is the finished offsets array. This avoids a separate
	// cursor array (8 bytes per node) and fills rows in edge order, so edges added in sorted
	// order give sorted rows.
	off := make([]int64, n+2)
	for e, u := range us {
		v := vs[e]
		if u == v {
			st.SelfLoops++
			continue
		}
		off[int(u)+2]++
		off[int(v)+2]++
	}
	for i := 2; i < len(off); i++ {
		off[i] += off[i-1]
	}
	nb := make([]int32, 2*(int64(len(us))-st.SelfLoops))
	for e, u := range us {
		v := vs[e]
		if u == v {
			continue
		}
		p := off[int(u)+1]
		nb[p] = v
		off[int(u)+1] = p + 1
		p = off[int(v)+1]
		nb[p] = u
		off[int(v)+1] = p + 1
	}
	// us and vs are dead from here on (b no longer references them), so the collector can
	// reclaim the pending edges before any reallocation below.
	off = off[: n+1 : n+1]

	sortRows(off, nb, runtime.GOMAXPROCS(0))

	// Deduplicate each sorted row and slide it down over the gaps left by earlier rows.
	var w, dropped int64
	start := int64(0)
	for i := 0; i < n; i++ {
		end := off[i+1]
		off[i] = w
		if start < end {
			prev := nb[start]
			nb[w] = prev
			w++
			for p := start + 1; p < end; p++ {
				x := nb[p]
				if x == prev {
					dropped++
					continue
				}
				nb[w] = x
				w++
				prev = x
			}
		}
		start = end
	}
	off[n] = w
	// Each duplicated pair is dropped once from each endpoint's row.
	st.Duplicates = dropped / 2
	// Shrink only when it pays: copying a huge array to return a few dropped slots would cost
	// more (time, and a second array at peak) than the slack it frees.
	if slack := int64(len(nb)) - w; slack > 0 && slack >= w/32 {
		exact := make([]int32, w)
		copy(exact, nb[:w])
		nb = exact
	} else {
		nb = nb[:w:w]
	}
	return &CSR{Offsets: off, Neighbors: nb}, st
}

// parallelSortMin is the neighbour count above which rows are sorted by several goroutines;
// below it the goroutine start-up costs more than it saves.
const parallelSortMin = 1 << 20

// sortRows sorts every row of an unsorted CSR in place. Rows that are already ascending, or
// rotations of ascending rows, take one scan (see sortRow), which keeps Build linear for
// generators that emit edges in order. Large graphs
// are split among workers goroutines (Build uses GOMAXPROCS) as ranges of whole rows holding
// about equal numbers of neighbours, not equal numbers of rows, which hubs would unbalance.
// Rows are independent, so the result does not depend on the split.
func sortRows(off []int64, nb []int32, workers int) {
	n := len(off) - 1
	if len(nb) < parallelSortMin || workers < 2 || n < 2*workers {
		sortRowRange(off, nb, 0, n)
		return
	}
	var wg sync.WaitGroup
	lo := 0
	for w := 1; w <= workers; w++ {
		hi := n
		if w < workers {
			hi, _ = slices.BinarySearch(off, int64(len(nb))*int64(w)/int64(workers))
			hi = max(min(hi, n), lo)
		}
		from := lo
		wg.Go(func() { sortRowRange(off, nb, from, hi) })
		lo = hi
	}
	wg.Wait()
}

// sortRowRange sorts rows lo..hi-1.
func sortRowRange(off []int64, nb []int32, lo, hi int) {
	for i := lo; i < hi; i++ {
		sortRow(nb[off[i]:off[i+1]])
	}
}

// sortRow sorts row in place. A row that is a rotation of a sorted row, as every row of an
// Erdős–Rényi or stochastic block graph is (see tiles.go), is put back in order by three
// reversals in O(len), where slices.Sort runs an O(len²) insertion sort on short rows: that
// sort took 17% of the instructions of an Erdős–Rényi build (1e6 nodes, mean degree 10).
func sortRow(row []int32) {
	k := 1
	for k < len(row) && row[k-1] <= row[k] {
		k++
	}
	if k >= len(row) {
		return
	}
	if slices.IsSorted(row[k:]) && row[len(row)-1] <= row[0] {
		slices.Reverse(row[:k])
		slices.Reverse(row[k:])
		slices.Reverse(row)
		return
	}
	slices.Sort(row)
}
