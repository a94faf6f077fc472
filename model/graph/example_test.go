package graph_test

import (
	"fmt"
	"log"
	"math/rand/v2"
	"runtime"
	"strings"

	"github.com/msgsim/msgsim/model/graph"
)

// Every generator takes the caller's generator: the same seed gives the same graph, here
// drawn on all cores, whose number does not change it.
func ExampleErdosRenyi() {
	rng := rand.New(rand.NewPCG(1, 2))
	g, err := graph.ErdosRenyi(10_000, 8, rng, runtime.NumCPU())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d nodes, %d edges, mean degree %.2f\n", g.NumNodes(), g.NumEdges(), g.MeanDegree())
	// Output:
	// 10000 nodes, 39520 edges, mean degree 7.90
}

// Barabási–Albert graphs have exactly m(m+1)/2 + m(n-m-1) edges and a few hubs.
func ExampleBarabasiAlbert() {
	rng := rand.New(rand.NewPCG(1, 2))
	g, err := graph.BarabasiAlbert(10_000, 3, rng)
	if err != nil {
		log.Fatal(err)
	}
	minDegree, maxDegree := g.Degree(0), g.Degree(0)
	for i := range g.NumNodes() {
		minDegree, maxDegree = min(minDegree, g.Degree(i)), max(maxDegree, g.Degree(i))
	}
	fmt.Printf("%d edges, degrees from %d to %d\n", g.NumEdges(), minDegree, maxDegree)
	// Output:
	// 29994 edges, degrees from 3 to 319
}

// Watts–Strogatz rewiring keeps the lattice's n·k/2 edges.
func ExampleWattsStrogatz() {
	rng := rand.New(rand.NewPCG(1, 2))
	g, err := graph.WattsStrogatz(1000, 6, 0.1, rng)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d edges, mean degree %g, node 0's contacts %v\n", g.NumEdges(), g.MeanDegree(), g.Row(0))
	// Output:
	// 3000 edges, mean degree 6, node 0's contacts [1 2 3 999]
}

// A stochastic block model also returns each node's community.
func ExampleStochasticBlock() {
	rng := rand.New(rand.NewPCG(1, 2))
	g, blocks, err := graph.StochasticBlock([]int{500, 500}, 0.02, 0.001, rng, runtime.NumCPU())
	if err != nil {
		log.Fatal(err)
	}
	within := 0
	for i := range g.NumNodes() {
		for _, j := range g.Row(i) {
			if blocks[i] == blocks[j] {
				within++
			}
		}
	}
	fmt.Printf("%d edges, %d within a community; node 0 in block %d, node 999 in block %d\n",
		g.NumEdges(), within/2, blocks[0], blocks[999])
	// Output:
	// 5212 edges, 4966 within a community; node 0 in block 0, node 999 in block 1
}

// The complete graph is written out explicitly: every node is everyone's contact.
func ExampleComplete() {
	g, err := graph.Complete(5)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.NumEdges(), "edges; node 2's contacts:", g.Row(2))
	// Output:
	// 10 edges; node 2's contacts: [0 1 3 4]
}

// ReadEdgeList reads SNAP-style text: comments, any separator, ids renumbered in order of
// first appearance, both directions of a pair and self-loops dropped and counted.
func ExampleReadEdgeList() {
	text := `# friendships
alice bob
bob,carol
carol;alice
bob alice
dave dave
`
	g, info, err := graph.ReadEdgeList(strings.NewReader(text), "friends.txt")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d nodes %v, %d edges\n", g.NumNodes(), info.IDs, g.NumEdges())
	fmt.Printf("%d lines: %d edges kept, %d duplicates, %d self-loops\n", info.Lines, info.Edges, info.Duplicates, info.SelfLoops)
	fmt.Println(info.IDs[1], "knows", g.Degree(1), "people")
	// Output:
	// 4 nodes [alice bob carol dave], 3 edges
	// 5 lines: 3 edges kept, 1 duplicates, 1 self-loops
	// bob knows 2 people
}

// A Builder makes a graph from edges of the caller's own.
func ExampleBuilder() {
	b := graph.NewBuilder(4, 4)
	b.AddEdge(0, 1)
	b.AddEdge(1, 2)
	b.AddEdge(2, 1) // the same contact: dropped
	b.AddEdge(3, 3) // a self-loop: dropped
	g, stats := b.Build()
	fmt.Printf("%d edges, %d duplicate, %d self-loop; node 1's contacts %v\n", g.NumEdges(), stats.Duplicates, stats.SelfLoops, g.Row(1))
	// Output:
	// 2 edges, 1 duplicate, 1 self-loop; node 1's contacts [0 2]
}

// A simulation keeps a drawn graph's rows with uint32 offsets, half the memory of the CSR's
// int64 ones, whenever its directed edges fit in them.
func ExampleCompact() {
	g, err := graph.ErdosRenyi(10_000, 8, rand.New(rand.NewPCG(1, 2)), 1)
	if err != nil {
		log.Fatal(err)
	}
	rows := graph.Compact(g)
	fmt.Printf("narrow offsets: %v; node 0 has %d contacts, %v (the CSR's: %v)\n", rows.Narrow != nil, rows.Degree(0), rows.Row(0), g.Row(0))
	// Output:
	// narrow offsets: true; node 0 has 7 contacts, [2163 3596 4682 5733 7154 7302 9318] (the CSR's: [2163 3596 4682 5733 7154 7302 9318])
}
