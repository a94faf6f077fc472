package graph

import (
	"bytes"
	"strconv"
	"testing"
)

// reportEdges reports throughput in undirected edges per second of wall time.
func reportEdges(b *testing.B, edges int64) {
	b.ReportMetric(float64(edges)*float64(b.N)/b.Elapsed().Seconds(), "edges/s")
}

func benchmarkErdosRenyi(b *testing.B, n int) {
	b.ReportAllocs()
	rng := newRNG(1, 2)
	var edges int64
	for b.Loop() {
		g, err := ErdosRenyi(n, 10, rng)
		if err != nil {
			b.Fatal(err)
		}
		edges = g.NumEdges()
	}
	reportEdges(b, edges)
}

// BenchmarkErdosRenyi1e5 and 1e6 draw G(n, p) with mean degree 10.
func BenchmarkErdosRenyi1e5(b *testing.B) { benchmarkErdosRenyi(b, 1e5) }
func BenchmarkErdosRenyi1e6(b *testing.B) { benchmarkErdosRenyi(b, 1e6) }

func benchmarkBarabasiAlbert(b *testing.B, n int) {
	b.ReportAllocs()
	rng := newRNG(1, 2)
	var edges int64
	for b.Loop() {
		g, err := BarabasiAlbert(n, 5, rng)
		if err != nil {
			b.Fatal(err)
		}
		edges = g.NumEdges()
	}
	reportEdges(b, edges)
}

// BenchmarkBarabasiAlbert1e5 and 1e6 use m = 5 (mean degree 10).
func BenchmarkBarabasiAlbert1e5(b *testing.B) { benchmarkBarabasiAlbert(b, 1e5) }
func BenchmarkBarabasiAlbert1e6(b *testing.B) { benchmarkBarabasiAlbert(b, 1e6) }

// BenchmarkReadEdgeList parses an in-memory SNAP-style edge list of 1e6 edges (an ER graph on
// 2e5 nodes, numeric ids, tab-separated).
func BenchmarkReadEdgeList(b *testing.B) {
	g, err := ErdosRenyi(200000, 10, newRNG(3, 4))
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
