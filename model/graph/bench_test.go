package graph

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"testing"
)

// reportEdges reports throughput in undirected edges per second of wall time.
func reportEdges(b *testing.B, edges int64) {
	b.ReportMetric(float64(edges)*float64(b.N)/b.Elapsed().Seconds(), "edges/s")
}

// BenchmarkErdosRenyi draws G(n, p) with mean degree 10 at 1e5, 1e6 and 1e7 nodes on 1 and 2
// workers (the same graph on both: only the time may differ).
func BenchmarkErdosRenyi(b *testing.B) {
	for _, n := range []int{1e5, 1e6, 1e7} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("nodes=%.0e/workers=%d", float64(n), workers), func(b *testing.B) {
				benchmarkBuild(b, func(rng *rand.Rand) (*CSR, error) { return ErdosRenyi(n, 10, rng, workers) })
			})
		}
	}
}

// BenchmarkStochasticBlock draws 1e6 nodes in 100 blocks, mean degree 8 within blocks and 2
// between them, on 1 and 2 workers.
func BenchmarkStochasticBlock(b *testing.B) {
	const n, blocks = 1_000_000, 100
	sizes := slices.Repeat([]int{n / blocks}, blocks)
	pIn, pOut := 8.0/(n/blocks-1), 2.0/(n-n/blocks)
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			benchmarkBuild(b, func(rng *rand.Rand) (*CSR, error) {
				g, _, err := StochasticBlock(sizes, pIn, pOut, rng, workers)
				return g, err
			})
		})
	}
}

// benchmarkBuild times gen and reports edges per second.
func benchmarkBuild(b *testing.B, gen func(*rand.Rand) (*CSR, error)) {
	b.ReportAllocs()
	rng := newRNG(1, 2)
	var edges int64
	for b.Loop() {
		g, err := gen(rng)
		if err != nil {
			b.Fatal(err)
		}
		edges = g.NumEdges()
	}
	reportEdges(b, edges)
}

// BenchmarkBarabasiAlbert uses m = 5 (mean degree 10): preferential attachment is sequential,
// so it has no worker count.
func BenchmarkBarabasiAlbert(b *testing.B) {
	for _, n := range []int{1e5, 1e6} {
		b.Run(fmt.Sprintf("nodes=%.0e", float64(n)), func(b *testing.B) {
			benchmarkBuild(b, func(rng *rand.Rand) (*CSR, error) { return BarabasiAlbert(n, 5, rng) })
		})
	}
}

// BenchmarkReadEdgeList parses an in-memory SNAP-style edge list of 1e6 edges (an ER graph on
// 2e5 nodes, numeric ids, tab-separated).
func BenchmarkReadEdgeList(b *testing.B) {
	g, err := ErdosRenyi(200000, 10, newRNG(3, 4), 2)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	buf.WriteString("# FromNodeId\tToNodeId\n")
	for u := 0; u < g.NumNodes(); u++ {
		for _, v := range g.Row(u) {
			if int(v) > u {
				buf.WriteString(strconv.Itoa(u))
				buf.WriteByte('\t')
				buf.WriteString(strconv.Itoa(int(v)))
				buf.WriteByte('\n')
			}
		}
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var edges int64
	for b.Loop() {
		_, info, err := ReadEdgeList(bytes.NewReader(data), "bench")
		if err != nil {
			b.Fatal(err)
		}
		edges = info.Edges
	}
	reportEdges(b, edges)
}

// snapLikeEdgeList writes an undirected SNAP-style edge list (as in the com-* data sets): a
// comment header, then one tab-separated line per edge "u v" with u < v, grouped by u in
// ascending order. The graph is Barabási–Albert with n nodes and m edges per new node, and node
// i is labelled by a random permutation of 0..n+n/4-1, so ids have gaps and first appearance
// differs from label order.
func snapLikeEdgeList(tb testing.TB, n, m int) []byte {
	rng := newRNG(5, 6)
	g, err := BarabasiAlbert(n, m, rng)
	if err != nil {
		tb.Fatal(err)
	}
	perm := rng.Perm(n + n/4)[:n]
	byLabel := make([]int, n+n/4) // node of each label, or -1
	for i := range byLabel {
		byLabel[i] = -1
	}
	for u, l := range perm {
		byLabel[l] = u
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Undirected graph: synthetic SNAP-like benchmark input\n# Nodes: %d Edges: %d\n# FromNodeId\tToNodeId\n", g.NumNodes(), g.NumEdges())
	var row []int
	for lu, u := range byLabel {
		if u < 0 {
			continue
		}
		row = row[:0]
		for _, v := range g.Row(u) {
			if lv := perm[v]; lv > lu {
				row = append(row, lv)
			}
		}
		slices.Sort(row)
		for _, lv := range row {
			buf.WriteString(strconv.Itoa(lu))
			buf.WriteByte('\t')
			buf.WriteString(strconv.Itoa(lv))
			buf.WriteByte('\n')
		}
	}
	return buf.Bytes()
}

// BenchmarkReadEdgeListNumeric reads a synthetic SNAP-like edge list of about 1e6 edges on 2e5
// nodes (numeric ids with gaps), including the CSR build.
func BenchmarkReadEdgeListNumeric(b *testing.B) {
	data := snapLikeEdgeList(b, 200000, 5)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var edges int64
	for b.Loop() {
		_, info, err := ReadEdgeList(bytes.NewReader(data), "bench")
		if err != nil {
			b.Fatal(err)
		}
		edges = info.Edges
	}
	reportEdges(b, edges)
}

// BenchmarkParseEdgeListNumeric is BenchmarkReadEdgeListNumeric without the CSR build: the
// parser alone (lines to renumbered pending edges, plus the id labels).
func BenchmarkParseEdgeListNumeric(b *testing.B) {
	data := snapLikeEdgeList(b, 200000, 5)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		p := &edgeParser{name: "bench", lastID: -1}
		if err := p.read(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
		if len(p.ids()) == 0 {
			b.Fatal("no ids")
		}
	}
}

// BenchmarkReadEdgeListText reads the same edge list with every id prefixed by a letter, so
// that all ids go through the map.
func BenchmarkReadEdgeListText(b *testing.B) {
	data := snapLikeEdgeList(b, 200000, 5)
	data = regexp.MustCompile(`(?m)^(\d+)\t(\d+)$`).ReplaceAll(data, []byte("n$1\tn$2"))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ReadEdgeList(bytes.NewReader(data), "bench"); err != nil {
			b.Fatal(err)
		}
	}
}
