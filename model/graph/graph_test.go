package graph

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// rowsOf returns the rows of g as fresh slices, for comparisons.
func rowsOf(g *CSR) [][]int32 {
	rows := make([][]int32, g.NumNodes())
	for i := range rows {
		rows[i] = append([]int32{}, g.Row(i)...)
	}
	return rows
}

// naiveRows builds the expected simple graph with a set, the obvious way, so that Build's
// counting sort, sorting and dedup are checked against an independent implementation.
func naiveRows(n int, edges [][2]int32) (rows [][]int32, selfLoops, dups int64) {
	seen := map[[2]int32]bool{}
	rows = make([][]int32, n)
	for _, e := range edges {
		u, v := e[0], e[1]
		if u == v {
			selfLoops++
			continue
		}
		key := [2]int32{min(u, v), max(u, v)}
		if seen[key] {
			dups++
			continue
		}
		seen[key] = true
		rows[u] = append(rows[u], v)
		rows[v] = append(rows[v], u)
	}
	for i := range rows {
		if rows[i] == nil {
			rows[i] = []int32{}
		}
		slices.Sort(rows[i])
	}
	return rows, selfLoops, dups
}

func TestBuilder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		n         int
		edges     [][2]int32
		wantRows  [][]int32
		wantStats BuildStats
	}{
		{"empty graph", 0, nil, [][]int32{}, BuildStats{}},
		{"nodes without edges", 3, nil, [][]int32{{}, {}, {}}, BuildStats{}},
		{"triangle", 3, [][2]int32{{0, 1}, {1, 2}, {2, 0}}, [][]int32{{1, 2}, {0, 2}, {0, 1}}, BuildStats{}},
		{"self-loops dropped", 2, [][2]int32{{0, 0}, {1, 1}, {0, 1}, {1, 1}}, [][]int32{{1}, {0}}, BuildStats{SelfLoops: 3}},
		{"duplicates in both directions", 3, [][2]int32{{0, 1}, {1, 0}, {0, 1}, {2, 1}, {1, 2}}, [][]int32{{1}, {0, 2}, {1}}, BuildStats{Duplicates: 3}},
		{"only self-loops", 2, [][2]int32{{1, 1}}, [][]int32{{}, {}}, BuildStats{SelfLoops: 1}},
		{"isolated nodes kept", 5, [][2]int32{{3, 1}}, [][]int32{{}, {3}, {}, {1}, {}}, BuildStats{}},
		{"unsorted input gives sorted rows", 5, [][2]int32{{0, 4}, {0, 2}, {3, 0}, {1, 0}, {4, 2}}, [][]int32{{1, 2, 3, 4}, {0}, {0, 4}, {0}, {0, 2}}, BuildStats{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := NewBuilder(tt.n, 1) // hint too small on purpose: appends must grow
			for _, e := range tt.edges {
				b.AddEdge(e[0], e[1])
			}
			g, st := b.Build()
			if err := g.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if st != tt.wantStats {
				t.Errorf("stats = %+v, want %+v", st, tt.wantStats)
			}
			if got := rowsOf(g); !slices.EqualFunc(got, tt.wantRows, slices.Equal) {
				t.Errorf("rows = %v, want %v", got, tt.wantRows)
			}
			var want int64
			for _, r := range tt.wantRows {
				want += int64(len(r))
			}
			if g.NumEdges() != want/2 {
				t.Errorf("NumEdges = %d, want %d", g.NumEdges(), want/2)
			}
		})
	}
}

// TestBuilderRandom compares Build against naiveRows on random multigraphs full of repeats and
// self-loops, including a dense case where most rows need sorting and deduplication.
func TestBuilderRandom(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ n, m int }{{1, 10}, {10, 200}, {200, 3000}, {5000, 20000}} {
		rng := rand.New(rand.NewPCG(uint64(tc.n), uint64(tc.m)))
		edges := make([][2]int32, tc.m)
		b := NewBuilder(tc.n, int64(tc.m))
		for i := range edges {
			edges[i] = [2]int32{int32(rng.IntN(tc.n)), int32(rng.IntN(tc.n))}
			b.AddEdge(edges[i][0], edges[i][1])
		}
		g, st := b.Build()
		if err := g.Validate(); err != nil {
			t.Fatalf("n=%d m=%d: Validate: %v", tc.n, tc.m, err)
		}
		want, sl, dups := naiveRows(tc.n, edges)
		if st.SelfLoops != sl || st.Duplicates != dups {
			t.Errorf("n=%d m=%d: stats = %+v, want {SelfLoops:%d Duplicates:%d}", tc.n, tc.m, st, sl, dups)
		}
		if got := rowsOf(g); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("n=%d m=%d: rows differ from the naive build", tc.n, tc.m)
		}
		if g.NumEdges()+sl+dups != int64(tc.m) {
			t.Errorf("n=%d m=%d: edges %d + self-loops %d + duplicates %d != %d added", tc.n, tc.m, g.NumEdges(), sl, dups, tc.m)
		}
	}
}

func TestBuilderAddEdgeOutOfRangePanics(t *testing.T) {
	t.Parallel()
	for _, e := range [][2]int32{{0, 3}, {3, 0}, {-1, 0}, {0, -2}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("AddEdge(%d, %d) on 3 nodes did not panic", e[0], e[1])
				}
			}()
			NewBuilder(3, 0).AddEdge(e[0], e[1])
		}()
	}
}

func TestCSRAccessors(t *testing.T) {
	t.Parallel()
	// Path 0-1-2 plus isolated node 3.
	g := &CSR{Offsets: []int64{0, 1, 3, 4, 4}, Neighbors: []int32{1, 0, 2, 1}}
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	if g.NumNodes() != 4 || g.NumEdges() != 2 {
		t.Errorf("NumNodes, NumEdges = %d, %d, want 4, 2", g.NumNodes(), g.NumEdges())
	}
	for i, want := range []int{1, 2, 1, 0} {
		if g.Degree(i) != want {
			t.Errorf("Degree(%d) = %d, want %d", i, g.Degree(i), want)
		}
	}
	if !slices.Equal(g.Row(1), []int32{0, 2}) || len(g.Row(3)) != 0 {
		t.Errorf("Row(1), Row(3) = %v, %v", g.Row(1), g.Row(3))
	}
	if cap(g.Row(0)) != 1 {
		t.Errorf("cap(Row(0)) = %d, want 1 so appends cannot overwrite the next row", cap(g.Row(0)))
	}
	if g.MeanDegree() != 1 {
		t.Errorf("MeanDegree = %g, want 1", g.MeanDegree())
	}
	var zero CSR
	if zero.NumNodes() != 0 || zero.NumEdges() != 0 || zero.MeanDegree() != 0 {
		t.Errorf("zero CSR: NumNodes %d NumEdges %d MeanDegree %g, want zeros", zero.NumNodes(), zero.NumEdges(), zero.MeanDegree())
	}
	if err := (&CSR{Offsets: []int64{0}}).Validate(); err != nil {
		t.Errorf("empty graph: %v", err)
	}
}

func TestValidateCatchesBrokenCSR(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		g       CSR
		wantErr string
	}{
		{"no offsets", CSR{}, "offsets is empty"},
		{"offsets start above zero", CSR{Offsets: []int64{1, 2}, Neighbors: []int32{0, 0}}, "offsets[0] = 1, want 0"},
		{"offsets decrease", CSR{Offsets: []int64{0, 2, 1, 2}, Neighbors: []int32{1, 0}}, "offsets decrease at node 1"},
		{"last offset short", CSR{Offsets: []int64{0, 1, 1}, Neighbors: []int32{1, 0}}, "offsets[2] = 1, want len(neighbors) = 2"},
		{"last offset long", CSR{Offsets: []int64{0, 1, 3}, Neighbors: []int32{1, 0}}, "offsets[2] = 3, want len(neighbors) = 2"},
		{"neighbour out of range", CSR{Offsets: []int64{0, 1, 2}, Neighbors: []int32{2, 0}}, "node 0: neighbour 2 out of range [0, 2)"},
		{"negative neighbour", CSR{Offsets: []int64{0, 1, 2}, Neighbors: []int32{-1, 0}}, "node 0: neighbour -1 out of range"},
		{"self-loop", CSR{Offsets: []int64{0, 1, 2}, Neighbors: []int32{0, 1}}, "node 0: self-loop"},
		{"unsorted row", CSR{Offsets: []int64{0, 2, 3, 4}, Neighbors: []int32{2, 1, 0, 0}}, "node 0: row not sorted ascending (1 after 2)"},
		{"duplicate neighbour", CSR{Offsets: []int64{0, 2, 4}, Neighbors: []int32{1, 1, 0, 0}}, "node 0: duplicate neighbour 1"},
		{"one direction only", CSR{Offsets: []int64{0, 1, 1}, Neighbors: []int32{1}}, "asymmetric: edge 0-1 is missing from the row of 1"},
		{"reverse direction only", CSR{Offsets: []int64{0, 0, 1}, Neighbors: []int32{0}}, "asymmetric: edge 1-0 is missing from the row of 0"},
		// 0:{1,2} 1:{0} 2:{1}: 2 lists 1 but 1 does not list 2, and 2 does not list 0.
		{"mismatched rows", CSR{Offsets: []int64{0, 2, 3, 4}, Neighbors: []int32{1, 2, 0, 1}}, "asymmetric: edge 0-2 is missing from the row of 2"},
		// 0:{} 1:{2} 2:{0,1}: 2 lists 0, which was already scanned without 2.
		{"earlier row missing", CSR{Offsets: []int64{0, 0, 1, 3}, Neighbors: []int32{2, 0, 1}}, "asymmetric: edge 2-0 is missing from the row of 0"},
		// 0:{2} 1:{2} 2:{0,1,3} 3:{} : 2 lists 3, which lists nothing.
		{"dangling edge at the end", CSR{Offsets: []int64{0, 1, 2, 5, 5}, Neighbors: []int32{2, 2, 0, 1, 3}}, "asymmetric: edge 2-3 is missing from the row of 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.g.Validate()
			if err == nil {
				t.Fatalf("Validate() = nil, want error containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Validate() = %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

// TestSortRowsParallel checks the multi-goroutine row sort against the sequential one on a
// CSR large enough to take the parallel path, with one hub row to unbalance a naive split.
func TestSortRowsParallel(t *testing.T) {
	t.Parallel()
	const n = 5000
	rng := rand.New(rand.NewPCG(8, 8))
	off := make([]int64, n+1)
	for i := 0; i < n; i++ {
		d := int64(rng.IntN(400))
		if i == 17 {
			d = parallelSortMin / 2
		}
		off[i+1] = off[i] + d
	}
	nb := make([]int32, off[n])
	for i := range nb {
		nb[i] = rng.Int32N(n)
	}
	want := slices.Clone(nb)
	sortRowRange(off, want, 0, n)
	for _, workers := range []int{1, 2, 3, 8} {
		got := slices.Clone(nb)
		sortRows(off, got, workers)
		if !slices.Equal(got, want) {
			t.Errorf("sortRows with %d workers differs from the sequential sort", workers)
		}
	}
}

// TestSortRow checks sortRow against slices.Sort on rows that are sorted, rotations of sorted
// rows (with repeated values), two sorted runs that do not form a rotation, and shuffles.
func TestSortRow(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(9, 9))
	for trial := 0; trial < 20000; trial++ {
		row := make([]int32, rng.IntN(12))
		for i := range row {
			row[i] = rng.Int32N(20)
		}
		slices.Sort(row)
		want := slices.Clone(row)
		switch trial % 4 {
		case 1: // a rotation
			if len(row) > 0 {
				k := rng.IntN(len(row))
				row = append(row[k:], row[:k]...)
			}
		case 2: // two sorted runs, overlapping in value
			k := rng.IntN(len(row) + 1)
			a, b := slices.Clone(row[:k]), slices.Clone(row[k:])
			for i := range b {
				b[i] = rng.Int32N(20)
			}
			slices.Sort(b)
			row = append(b, a...)
			want = slices.Sorted(slices.Values(row))
		case 3:
			rng.Shuffle(len(row), func(i, j int) { row[i], row[j] = row[j], row[i] })
		}
		in := slices.Clone(row)
		sortRow(row)
		if !slices.Equal(row, want) {
			t.Fatalf("sortRow(%v) = %v, want %v", in, row, want)
		}
	}
}
