package graph

import (
	"math"
	"testing"
)

// TestBipartite: edges only between the two groups, none repeated, and the mean degree over
// the groups' nodes within sampling error of the one asked for.
func TestBipartite(t *testing.T) {
	const n = 20000
	side := make([]int, n) // 0: neither group, 1: a, 2: b
	var a, b []int32
	for i := 0; i < n; i++ {
		switch {
		case i%10 == 3: // a tenth: vendors
			a = append(a, int32(i))
			side[i] = 1
		case i%10 < 7:
			b = append(b, int32(i))
			side[i] = 2
		}
	}
	const mean = 12.0
	g, err := Bipartite(n, a, b, mean, newRNG(7, 9), 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Validate(); err != nil { // sorted rows, no self-loops, no repeated pairs, symmetric
		t.Fatal(err)
	}
	for v := 0; v < n; v++ {
		for _, w := range g.Row(v) {
			if side[v] == 0 || side[v] == side[w] {
				t.Fatalf("edge %d-%d joins groups %d and %d", v, w, side[v], side[w])
			}
		}
	}
	// Edges are a binomial count with mean mu = mean (|a|+|b|)/2: within 5 sd.
	mu := mean * float64(len(a)+len(b)) / 2
	p := mean * float64(len(a)+len(b)) / (2 * float64(len(a)) * float64(len(b)))
	sd := math.Sqrt(mu * (1 - p))
	if got := float64(g.NumEdges()); math.Abs(got-mu) > 5*sd {
		t.Errorf("%g edges, want %g +- %g", got, mu, 5*sd)
	}
	// The a side, a seventh of the groups, carries as many edges as the b side: its mean
	// degree is the edges over its size.
	var degA int
	for _, v := range a {
		degA += g.Degree(int(v))
	}
	if int64(degA) != g.NumEdges() {
		t.Errorf("a's degrees sum to %d, want every edge once (%d)", degA, g.NumEdges())
	}
}

// TestBipartiteLimits: the complete bipartite graph at the largest mean degree, no edges at 0,
// and errors beyond it, with a node out of range or with a node listed twice.
func TestBipartiteLimits(t *testing.T) {
	a, b := []int32{0, 1}, []int32{2, 3, 4}
	g, err := Bipartite(6, a, b, 2*2*3/5.0, newRNG(1, 2), 2)
	if err != nil {
		t.Fatal(err)
	}
	if g.NumEdges() != 6 {
		t.Errorf("complete bipartite K(2,3): %d edges, want 6", g.NumEdges())
	}
	if g, err := Bipartite(6, a, b, 0, newRNG(1, 2), 2); err != nil || g.NumEdges() != 0 {
		t.Errorf("mean degree 0: %v edges, err %v", g.NumEdges(), err)
	}
	for _, c := range []struct {
		a, b []int32
		mean float64
		want string
	}{
		{a, b, 2.5, "bipartite: mean_degree must be in [0, 2.4] for groups of 2 and 3 nodes, got 2.5"},
		{a, nil, 1, "bipartite: mean_degree must be in [0, 0] for groups of 2 and 0 nodes, got 1"},
		{a, []int32{6}, 1, "bipartite: node 6 outside [0, 6)"},
		{a, []int32{2, 1, 4}, 1, "bipartite: node 1 is listed twice; the groups must be disjoint lists of distinct nodes"},
		{[]int32{3, 0, 3}, b[:1], 1, "bipartite: node 3 is listed twice; the groups must be disjoint lists of distinct nodes"},
	} {
		if _, err := Bipartite(6, c.a, c.b, c.mean, newRNG(1, 2), 2); err == nil || err.Error() != c.want {
			t.Errorf("Bipartite(%v, %v, %g): %v, want %q", c.a, c.b, c.mean, err, c.want)
		}
	}
}
