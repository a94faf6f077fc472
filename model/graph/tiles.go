package graph

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
)

// The models whose pairs are linked independently (Erdős–Rényi, the stochastic block model,
// the random bipartite graph) are drawn straight into their CSR, on several goroutines, with
// the same graph whatever their number:
//
//   - The candidate pairs are cut into tiles, a fixed partition that depends on the node count
//     alone: the nodes are split into t equal blocks, and tile (I, J) holds the pairs of a
//     node of block I and a node of block J. Each tile has its own stream, hashed from two
//     words drawn from the caller's generator and the tile's index, and is sampled by geometric
//     skipping (Batagelj & Brandes 2005, Phys. Rev. E 71, 036113): a tile's edges are a pure
//     function of the seed and the tile.
//   - Tiles run in rounds of tiles that share no block (a round-robin tournament schedule), so
//     the goroutines of a round write disjoint rows and need no atomics. Every row therefore
//     receives its neighbours in an order fixed by the schedule, not by the goroutines.
//   - A first pass counts every row's degree into the offsets; a prefix sum turns counts into
//     row starts; a second pass re-runs every tile's sampler from the same stream state and
//     writes each edge into both endpoint rows through per-row cursors; then every row is
//     sorted. No pending edge list is ever held: the build peaks at the CSR itself (8 bytes per
//     node of offsets, 4 per directed edge), where a Builder holds 8 bytes per directed edge.
//     Sampling twice costs instructions: 2.50e9 per Erdős–Rényi build of 1e6 nodes and mean
//     degree 10, against 1.41e9 through a Builder (callgrind), and 1.3x the user time at 1e7
//     (4.2 s against 3.2), which the other cores must pay for.

// minTileSide is the fewest nodes a tile's side holds when there are several: smaller tiles
// cost more (1e7 nodes, mean degree 10: 1.3x the user time with 16384-node sides, 1.7x with
// 4096), as each row is then written in more, sparser visits. Graphs under three times this
// size are one tile, drawn on the calling goroutine.
const minTileSide = 1 << 16

// maxTilesPerSide bounds the blocks per side, so a round holds (63+1)/2 = 32 tiles, enough to
// keep many goroutines busy, and the schedule stays small.
const maxTilesPerSide = 63

// tilesPerSide is the number of blocks nodes 0..n-1 are cut into: odd (see symmetricRounds),
// at least one, and independent of the worker count, which is what keeps the graph the same
// on any number of goroutines.
func tilesPerSide(n int) int {
	t := min(n/minTileSide, maxTilesPerSide)
	if t%2 == 0 {
		t--
	}
	return max(t, 1)
}

// blockStart is the first node of block i of t equal blocks of 0..n-1.
func blockStart(i, t, n int) int { return int(int64(i) * int64(n) / int64(t)) }

// symmetricRounds schedules the tiles (I, J), I >= J, of t blocks (t odd) in t rounds: round
// r holds the tiles with I + J = r (mod t). For each block I exactly one J solves that, so
// the tiles of a round share no block, and every tile falls in exactly one round.
func symmetricRounds(t int) [][][2]int {
	rounds := make([][][2]int, t)
	for r := range rounds {
		for i := 0; i < t; i++ {
			if j := ((r-i)%t + t) % t; i >= j {
				rounds[r] = append(rounds[r], [2]int{i, j})
			}
		}
	}
	return rounds
}

// gridRounds schedules the tiles (I, J) of a ta-by-tb grid in max(ta, tb) rounds of tiles
// that share no row block and no column block: round r pairs each block of the shorter side
// with a different block of the longer one, shifted by r.
func gridRounds(ta, tb int) [][][2]int {
	rounds := make([][][2]int, max(ta, tb))
	for r := range rounds {
		for k := 0; k < min(ta, tb); k++ {
			if ta <= tb {
				rounds[r] = append(rounds[r], [2]int{k, (k + r) % tb})
			} else {
				rounds[r] = append(rounds[r], [2]int{(k + r) % ta, k})
			}
		}
	}
	return rounds
}

// inRounds calls do for every tile, round after round; the tiles of a round run on up to
// workers goroutines, which take them in turn from a shared counter.
func inRounds(rounds [][][2]int, workers int, do func(tile [2]int)) {
	for _, round := range rounds {
		if workers < 2 || len(round) < 2 {
			for _, tile := range round {
				do(tile)
			}
			continue
		}
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(workers, len(round)) {
			wg.Go(func() {
				for k := next.Add(1) - 1; k < int64(len(round)); k = next.Add(1) - 1 {
					do(round[k])
				}
			})
		}
		wg.Wait()
	}
}

// tileSeeds keys the tiles' streams: two words drawn from the caller's generator, hashed with
// a tile's index into the state of that tile's PCG.
type tileSeeds struct{ k1, k2 uint64 }

func newTileSeeds(rng *rand.Rand) tileSeeds { return tileSeeds{rng.Uint64(), rng.Uint64()} }

// source returns tile's stream, the same on every call.
func (s tileSeeds) source(tile int) *rand.PCG {
	x := uint64(tile) * 0x9e3779b97f4a7c15 // distinct tiles, distinct (bijective) hashes
	return rand.NewPCG(mix64(s.k1^x), mix64(s.k2+x))
}

// mix64 is SplitMix64's finaliser (Steele, Lea & Flood 2014): a bijection with full avalanche.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// csrFill receives a tiled sampler's edges: in the counting pass (nb nil) it adds one to both
// endpoints' degrees, kept at off[v+2]; in the filling pass it writes each endpoint into the
// other's row at the cursor off[v+1] (after the prefix sum, the start of row v; after the
// pass, its end, so that off[:n+1] is the finished offsets array, as in Builder.Build).
type csrFill struct {
	off []int64
	nb  []int32
	// recorded, while recording, holds the counting pass's edges (v, w, v, w, ...) for the
	// filling pass to write again instead of drawing them again (see recordsEdges).
	recorded  []int32
	recording bool
}

// recordBelow is the node count under which a tiled graph, one tile, keeps the edges its
// counting pass drew, up to maxRecordedEdges of them, so that its filling pass writes them
// without drawing each again: half the logarithms of a build. The runs of a sweep are mostly
// such graphs (BenchmarkSweepThroughput, 10,000 nodes: 3-5% more runs a second). Larger
// graphs, drawn on every core in tiles, keep no list, which is what holds their build to the
// CSR's own memory.
const recordBelow = 3 * minTileSide

// maxRecordedEdges bounds a recorded graph's edges: 4 bytes per directed edge, 32 MiB at most.
// A graph that draws more draws them again, as the larger ones do.
const maxRecordedEdges = 1 << 22

// RecordedBytes is the most memory a tiled graph of nodes nodes and this many directed edges
// holds in recorded edges while it is built (see recordBelow): 4 bytes per directed edge up to
// maxRecordedEdges undirected ones, under recordBelow nodes; else nothing.
func RecordedBytes(nodes int, directedEdges float64) float64 {
	if nodes >= recordBelow {
		return 0
	}
	return min(4*directedEdges, 8*maxRecordedEdges)
}

// edgeBatch is the number of edges a sampler draws before it writes them. Writing a batch in
// a loop of its own lets the processor overlap the cache misses of many rows' counts and
// cursors, where writing each edge between two logarithms left it waiting for one at a time:
// an Erdős–Rényi build of 1e7 nodes, mean degree 10, took 4.2 s of user time instead of 8.0
// (1e6: -32%). 64 or 1024 edges do about as well.
const edgeBatch = 256

// edgeBatchBuf holds the edges a sampler has drawn and not yet written.
type edgeBatchBuf struct {
	n    int
	v, w [edgeBatch]int32
}

// add queues the edge v-w, writing the batch once it is full.
func (f *csrFill) add(b *edgeBatchBuf, v, w int32) {
	b.v[b.n], b.w[b.n] = v, w
	b.n++
	if b.n == edgeBatch {
		f.flush(b)
	}
}

// flush writes the queued edges: counts in the counting pass, rows in the filling pass.
func (f *csrFill) flush(b *edgeBatchBuf) {
	off, nb := f.off, f.nb
	if nb == nil {
		for k := range b.n {
			off[b.v[k]+2]++
			off[b.w[k]+2]++
		}
		if f.recording {
			if len(f.recorded)+2*b.n > 2*maxRecordedEdges {
				f.recording, f.recorded = false, nil // drawn again instead
			} else {
				for k := range b.n {
					f.recorded = append(f.recorded, b.v[k], b.w[k])
				}
			}
		}
	} else {
		for k := range b.n {
			v, w := b.v[k], b.w[k]
			p := off[v+1]
			nb[p] = w
			off[v+1] = p + 1
			p = off[w+1]
			nb[p] = v
			off[w+1] = p + 1
		}
	}
	b.n = 0
}

// buildTiled builds the CSR on n nodes of a tiled sampler: sample(f, tile) must add tile's
// edges to f, the same edges on every call, touching only the rows of its two blocks.
func buildTiled(n int, rounds [][][2]int, workers int, sample func(f *csrFill, tile [2]int)) *CSR {
	// One tile is drawn on this goroutine, so its edges can be kept in the order drawn.
	return buildTiledRecording(n < recordBelow && len(rounds) == 1 && len(rounds[0]) == 1, n, rounds, workers, sample)
}

// buildTiledRecording is buildTiled, recording the counting pass's edges (one tile only) or not.
func buildTiledRecording(record bool, n int, rounds [][][2]int, workers int, sample func(f *csrFill, tile [2]int)) *CSR {
	f := &csrFill{off: make([]int64, n+2), recording: record}
	inRounds(rounds, workers, func(tile [2]int) { sample(f, tile) })
	for i := 2; i < len(f.off); i++ {
		f.off[i] += f.off[i-1]
	}
	f.nb = make([]int32, f.off[n+1])
	if f.recording {
		// The filling pass's writes, in the order a second draw would make them.
		var b edgeBatchBuf
		for k := 0; k < len(f.recorded); k += 2 {
			f.add(&b, f.recorded[k], f.recorded[k+1])
		}
		f.flush(&b)
		f.recorded = nil
	} else {
		inRounds(rounds, workers, func(tile [2]int) { sample(f, tile) })
	}
	off := f.off[: n+1 : n+1]
	sortRows(off, f.nb, workers)
	return &CSR{Offsets: off, Neighbors: f.nb}
}

// span is the nodes lo..hi-1 of a tile's side, or, with ids, the nodes ids[lo..hi-1].
type span struct {
	lo, hi int
	ids    []int32
}

func (s span) len() int64 { return int64(max(s.hi-s.lo, 0)) }

func (s span) at(k int64) int32 {
	if s.ids == nil {
		return int32(s.lo + int(k))
	}
	return s.ids[s.lo+int(k)]
}

// gap draws the distance from one candidate pair to the next linked one, a geometric
// variable >= 1 with success probability p, lp = ln(1-p): 1 + floor(ln(1-r)/ln(1-p)).
func gap(src *rand.PCG, lp float64) int64 {
	// 1-r in (0, 1], so the logarithm is finite; lp = -Inf (p = 1) makes every skip 0.
	skip := math.Log(float64(src.Uint64()>>11+1)*0x1p-53) / lp
	if skip > maxSkip {
		skip = maxSkip
	}
	return 1 + int64(skip)
}

// rect links each pair (rows.at(x), cols.at(y)) with probability p, skipping geometrically
// over the pairs in row-major order: each row's neighbours come out ascending in y.
func (f *csrFill) rect(src *rand.PCG, p float64, rows, cols span) {
	height, width := rows.len(), cols.len()
	if p <= 0 || height == 0 || width == 0 {
		return
	}
	lp := math.Log1p(-p)
	cells := height * width // < 2^62: both are below 2^31
	// Row and column of a cell index t come from t·(1/width), corrected by one either way,
	// rather than a 64-bit division, which tiles narrower than the gaps between their edges
	// do on every edge: 7-10% of the user time of an Erdős–Rényi build (1e6 nodes, mean
	// degree 10, 15 tiles per side). The product is within 2^-21 of t/width (< 2^31), so one
	// correction is enough. t stays below 2^63: cells < 2^62 and a gap is at most 2^62+1.
	inv := 1 / float64(width)
	var b edgeBatchBuf
	for t := int64(-1); ; {
		t += gap(src, lp)
		if t >= cells {
			f.flush(&b)
			return
		}
		x := int64(float64(t) * inv)
		y := t - x*width
		if y < 0 {
			x, y = x-1, y+width
		} else if y >= width {
			x, y = x+1, y-width
		}
		f.add(&b, rows.at(x), cols.at(y))
	}
}

// below links each pair (v, w), v in [lo, hi) and w in [base, v), with probability p,
// skipping geometrically over the pairs in row-major order.
func (f *csrFill) below(src *rand.PCG, p float64, lo, hi, base int) {
	if p <= 0 {
		return
	}
	lp := math.Log1p(-p)
	v, w := lo, int64(-1) // w is the offset of the current candidate within row v
	var b edgeBatchBuf
	for {
		w += gap(src, lp)
		for w >= int64(v-base) {
			w -= int64(v - base)
			v++
			if v == hi {
				f.flush(&b)
				return
			}
		}
		f.add(&b, int32(v), int32(base+int(w)))
	}
}

// blockPairs draws the stochastic block model of the blocks starts[b]..starts[b+1]-1 (one
// block is Erdős–Rényi) into a CSR, over t tiles per side (t odd): each pair is linked with
// probability pIn within a block and pOut between blocks.
//
// Tile (I, J) walks the rows of tile block I one model block at a time; for the rows v of
// model block b, its candidates w (in tile block J, and below v) are a rectangle of pairs
// between blocks (w < starts[b]) and, within b, a rectangle (I > J) or a triangle (I = J).
// The cost is O(n + m) plus one draw per such piece, about n·t/2 pieces at worst (one node
// per model block).
func blockPairs(starts []int, pIn, pOut float64, t int, rng *rand.Rand, workers int) *CSR {
	n := starts[len(starts)-1]
	seeds := newTileSeeds(rng)
	return buildTiled(n, symmetricRounds(t), workers, func(f *csrFill, tile [2]int) {
		i, j := tile[0], tile[1]
		src := seeds.source(i*(i+1)/2 + j)
		r0, r1 := blockStart(i, t, n), blockStart(i+1, t, n)
		c0, c1 := blockStart(j, t, n), blockStart(j+1, t, n)
		b, _ := slices.BinarySearch(starts, r0+1) // starts[b-1] <= r0 < starts[b]
		for lo := r0; lo < r1; b++ {
			hi := min(r1, starts[b])
			rows := span{lo: lo, hi: hi}
			within := max(c0, starts[b-1])
			f.rect(src, pOut, rows, span{lo: c0, hi: min(c1, starts[b-1])})
			if i == j {
				f.below(src, pIn, lo, hi, within)
			} else {
				f.rect(src, pIn, rows, span{lo: within, hi: c1})
			}
			lo = hi
		}
	})
}
