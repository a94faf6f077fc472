package graph

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRowsMatchTheirCSR: a graph's compact rows (uint32 offsets, since it is small) and its
// shared rows (its own int64 offsets) give every node the CSR's row, degree and offset, the
// graph's node count and its largest degree, found by brute force; the shared rows copy
// nothing.
func TestRowsMatchTheirCSR(t *testing.T) {
	t.Parallel()
	g, err := BarabasiAlbert(2000, 3, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	most := 0
	for i := range g.NumNodes() {
		most = max(most, len(g.Row(i)))
	}
	compact, shared := Compact(g), Shared(g)
	if compact.Narrow == nil || compact.Wide != nil || shared.Narrow != nil || &shared.Wide[0] != &g.Offsets[0] || &shared.Neighbors[0] != &g.Neighbors[0] {
		t.Fatal("Compact is not narrow alone, or Shared does not share the CSR's storage")
	}
	for name, r := range map[string]*Rows{"compact": compact, "shared": shared} {
		if r.NumNodes() != g.NumNodes() || r.MaxDegree() != most {
			t.Errorf("%s: %d nodes, largest degree %d; want %d and %d", name, r.NumNodes(), r.MaxDegree(), g.NumNodes(), most)
		}
		for i := range g.NumNodes() + 1 {
			if r.Offset(i) != g.Offsets[i] {
				t.Fatalf("%s: offset %d is %d, want %d", name, i, r.Offset(i), g.Offsets[i])
			}
			if i < g.NumNodes() && (!slices.Equal(r.Row(i), g.Row(i)) || r.Degree(i) != g.Degree(i)) {
				t.Fatalf("%s: node %d has row %v (degree %d), want %v", name, i, r.Row(i), r.Degree(i), g.Row(i))
			}
		}
	}
	if n := (&Rows{}).NumNodes(); n != 0 {
		t.Errorf("a zero Rows has %d nodes, want 0", n)
	}
}

// TestNarrowOffsetsFit: uint32 offsets hold up to MaxUint32 directed edges, not one more (a
// graph that big, 16 GiB of neighbours, is out of a test's reach, so the bound is checked on
// its own).
func TestNarrowOffsetsFit(t *testing.T) {
	t.Parallel()
	if !fitsNarrow(math.MaxUint32) || fitsNarrow(math.MaxUint32+1) {
		t.Errorf("fitsNarrow(2^32-1) = %v, fitsNarrow(2^32) = %v; want true, false", fitsNarrow(math.MaxUint32), fitsNarrow(math.MaxUint32+1))
	}
}
