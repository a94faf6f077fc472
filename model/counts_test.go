package model

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/msgsim/msgsim/model/graph"
)

// values returns a copy of the counts, whatever their width.
func (c *neighbourCounts) values() []int64 {
	values := make([]int64, max(len(c.narrow), len(c.wide)))
	for k := range values {
		values[k] = c.at(k)
	}
	return values
}

// set sets count k to v, which must fit the counts' width.
func (c *neighbourCounts) set(k int, v uint64) {
	if c.narrow != nil {
		c.narrow[k] = uint16(v)
	} else {
		c.wide[k] = int32(v)
	}
}

// widen gives a graph int64 offsets (offsets) and its counts int32 (counts), the widths a
// run takes past the narrow ones' limits (2^32 directed edges, a degree of 2^16), which no
// test can reach for offsets.
func widen(g **graph.Rows, c *neighbourCounts, offsets, counts bool) {
	if offsets && (*g).Narrow != nil {
		wide := make([]int64, (*g).NumNodes()+1)
		for i := range wide {
			wide[i] = (*g).Offset(i)
		}
		*g = &graph.Rows{Wide: wide, Neighbors: (*g).Neighbors}
	}
	if counts && c.narrow != nil {
		wide := make([]int32, len(c.narrow))
		for k, v := range c.narrow {
			wide[k] = int32(v)
		}
		*c = neighbourCounts{wide: wide}
	}
}

// TestWidthsGiveTheSameSeries: a run whose graphs keep int64 offsets or int32 counts, or
// both, gives the series of the run with narrow ones, under both updates and both rules, on
// three layers (Erdős–Rényi, Barabási–Albert, bipartite) whose steps take both the push and
// the recount; each layer's counts equal a recount at the end.
func TestWidthsGiveTheSameSeries(t *testing.T) {
	t.Parallel()
	for _, update := range []Update{Synchronous, RandomSequential} {
		for _, rule := range []Rule{RuleThreshold, RuleLogit} {
			cfg := layeredConfig(3000, 30)
			cfg.Decision.Update, cfg.Decision.Rule = update, rule
			cfg.Platforms[0].Churn = 0.05 // keep agents moving both ways
			var want *Series
			for _, w := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
				label := fmt.Sprintf("%s/%s, wide offsets %v, wide counts %v", update, rule, w[0], w[1])
				sim, err := NewSimulation(cfg, 5, 2)
				if err != nil {
					t.Fatal(err)
				}
				if sim.g.Narrow == nil || sim.counts.narrow == nil {
					t.Fatalf("%s: the first layer is not narrow to start with", label)
				}
				widen(&sim.g, &sim.counts, w[0], w[1])
				for l := range sim.layers {
					widen(&sim.layers[l].g, &sim.layers[l].counts, w[0], w[1])
				}
				if (sim.g.Wide != nil) != w[0] || (sim.counts.wide != nil) != w[1] {
					t.Fatalf("%s: widen left the first layer as it was", label)
				}
				paths := map[bool]bool{} // whether a step's recount paid, on a layer
				for sim.Advance() {
					if update == Synchronous {
						paths[sim.recountPays(sim.g)] = true
						for _, layer := range sim.layers {
							paths[sim.recountPays(layer.g)] = true
						}
					}
				}
				if update == Synchronous && len(paths) != 2 {
					t.Fatalf("%s: the steps took only one way to the counts (recount: %v)", label, paths)
				}
				if want == nil {
					want = sim.Series()
				} else if !equalSeries(sim.Series(), want) {
					t.Errorf("%s: the series differs from the narrow run's", label)
				}
				if l := staleLayer(sim); l >= 0 {
					t.Errorf("%s: layer %d's counts differ from a recount", label, l)
				}
			}
		}
	}
}

// TestCountsAtTheWidthLimit: a star whose centre has 65,535 contacts keeps narrow counts,
// one of 65,536 wide ones; pushed moves and the recount (lanes flushed every 255 contacts)
// count the centre's contacts exactly up to its degree, on one platform, on both, and back
// to none.
func TestCountsAtTheWidthLimit(t *testing.T) {
	t.Parallel()
	for _, leaves := range []int{1<<16 - 1, 1 << 16} {
		b := graph.NewBuilder(leaves+1, int64(2*leaves))
		for v := 1; v <= leaves; v++ {
			b.AddEdge(0, int32(v))
		}
		g, _ := b.Build()
		cfg := testConfig(leaves+1, 1)
		cfg.Graph = GraphSpec{Kind: GraphGiven, Given: g}
		sim, err := NewSimulation(cfg, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		if narrow := sim.counts.narrow != nil; narrow != (leaves < 1<<16) {
			t.Fatalf("centre of degree %d: narrow counts %v", leaves, narrow)
		}
		centre := func(label string, want0, want1 int64) {
			t.Helper()
			for _, how := range []string{"pushed", "recounted"} {
				if how == "recounted" {
					sim.recount()
				}
				if got0, got1 := sim.counts.at(0), sim.counts.at(1); got0 != want0 || got1 != want1 {
					t.Fatalf("degree %d, %s, %s: the centre counts %d and %d contacts, want %d and %d", leaves, label, how, got0, got1, want0, want1)
				}
			}
		}
		all := int64(leaves)
		// Each leaf's move changes one platform, then two (a switch), one, two (both left).
		for _, step := range []struct {
			label string
			set   uint8
			want  [2]int64
		}{
			{"every leaf on platform 0", 1, [2]int64{all, 0}},
			{"every leaf switched to platform 1", 2, [2]int64{0, all}},
			{"every leaf on both", 3, [2]int64{all, all}},
			{"no leaf on any", 0, [2]int64{0, 0}},
		} {
			for v := 1; v <= leaves; v++ {
				sim.setActive(v, step.set)
			}
			centre(step.label, step.want[0], step.want[1])
		}
		counts := sim.counts.values()
		for v := 1; v <= leaves; v++ {
			if got := counts[2*v : 2*v+2]; !slices.Equal(got, []int64{0, 0}) {
				t.Fatalf("degree %d: leaf %d counts %v contacts, want none", leaves, v, got)
			}
		}
	}
}

// TestMarkAll: every flag is set, whatever the length (powers of two and their neighbours),
// and nothing outside the slice is touched.
func TestMarkAll(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 7, 8, 9, 1023, 1024, 1025, 8192, 10000} {
		flags := make([]uint8, n+2)
		markAll(flags[1 : n+1])
		if flags[0] != 0 || flags[n+1] != 0 {
			t.Fatalf("n %d: markAll wrote outside its slice", n)
		}
		for i, f := range flags[1 : n+1] {
			if f != 1 {
				t.Fatalf("n %d: flag %d is %d", n, i, f)
			}
		}
	}
}

// TestRecountRunsMatchACount: recountRows, which sums contacts in runs of agents (see
// runPrefix), gives each agent of a block the counts of its contacts' platforms counted one
// by one, on rows built to reach every edge of a run: isolated agents, degrees at and past a
// lane's capacity (255, 256) and a run's (runEdges, runEdges+1), runs that end one contact
// short of full, and blocks starting anywhere; for 1, 2, 3 and 8 platforms, with sets drawn
// at random or every agent on every platform, both offset and count widths. It fails when a run's last agent is dropped or counted twice, or a prefix
// index is one off.
func TestRecountRunsMatchACount(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	const agents = 3000
	degrees := make([]int, agents)
	for i := range degrees {
		switch r := rng.IntN(100); {
		case r < 10: // isolated
		case r < 14:
			degrees[i] = []int{laneCapacity, laneCapacity + 1, runEdges, runEdges + 1}[rng.IntN(4)]
		case r < 18: // a run one contact short of full, with the agents before it
			degrees[i] = runEdges - 1
		default:
			degrees[i] = 1 + rng.IntN(30)
		}
	}
	offsets := make([]uint32, agents+1)
	var neighbors []int32
	for i, d := range degrees {
		for range d {
			neighbors = append(neighbors, int32(rng.IntN(agents)))
		}
		offsets[i+1] = uint32(len(neighbors))
	}
	wideOffsets := make([]int64, len(offsets))
	for i, o := range offsets {
		wideOffsets[i] = int64(o)
	}
	for _, c := range []struct {
		np  int
		all bool // every agent on every platform: counts are degrees, to fill a lane
	}{{1, false}, {2, false}, {3, false}, {8, false}, {2, true}, {8, true}} {
		np := c.np
		active := make([]uint8, agents)
		for i := range active {
			active[i] = uint8(rng.IntN(1 << np))
			if c.all {
				active[i] = 1<<np - 1
			}
		}
		want := make([]int32, agents*np)
		for i := range agents {
			for _, v := range neighbors[offsets[i]:offsets[i+1]] {
				for j := range np {
					want[i*np+j] += int32(active[v] >> j & 1)
				}
			}
		}
		for _, lo := range []int{0, 1, 17, 1234} {
			hi := min(agents, lo+blockSize)
			narrow := make([]uint16, agents*np)
			wide := make([]int32, agents*np)
			recountRows(offsets, neighbors, active, narrow, np, lo, hi)
			recountRows(wideOffsets, neighbors, active, wide, np, lo, hi)
			for k := range want {
				w := want[k]
				if i := k / np; i < lo || i >= hi {
					w = 0 // outside the block: untouched
				}
				if int32(narrow[k]) != w || wide[k] != w {
					t.Fatalf("%d platforms, block from %d: agent %d (degree %d) counts %d (narrow) and %d (wide) on platform %d, want %d",
						np, lo, k/np, degrees[k/np], narrow[k], wide[k], k%np, w)
				}
			}
		}
	}
}
