package model

// Memory a run needs, as a formula (documented in README.md):
//
//	bytes ~ N (bytesPerAgent + 8 P) + E (4 + 4) + (Steps+1) P 40
//
// with N agents, P platforms and E expected directed edges (twice the contacts): each agent
// holds its platform set, awareness and registrations (3 bytes), its threshold (4), a CSR
// offset (8), and per platform an investment (float32) and a neighbour count (int32). Each
// directed edge is an int32 in the CSR plus, while the graph is built, an int32 in the
// builder's pending edge list. The series holds five int64 per step and platform.
const bytesPerAgent = 3 + 4 + 8

// ExpectedDirectedEdges is the expected number of directed edges (2 per contact) of cfg's graph.
func (c *Config) ExpectedDirectedEdges() float64 {
	n := float64(c.Agents)
	g := c.Graph
	switch g.Kind {
	case GraphErdosRenyi:
		return n * g.MeanDegree
	case GraphBarabasiAlbert:
		return 2 * n * float64(g.M)
	case GraphWattsStrogatz:
		return n * float64(g.K)
	case GraphBlocks:
		var within, total float64
		for _, b := range g.BlockSizes {
			within += float64(b) * float64(b-1)
			total += float64(b)
		}
		return g.PIn*within + g.POut*(total*(total-1)-within)
	case GraphGiven:
		if g.Given != nil {
			return float64(len(g.Given.Neighbors))
		}
	}
	return 0
}

// MemoryEstimate returns the approximate peak bytes of one run of cfg.
func (c *Config) MemoryEstimate() float64 {
	n := float64(c.Agents)
	p := float64(len(c.Platforms))
	edges := c.ExpectedDirectedEdges()
	perEdge := 8.0
	if c.Graph.Kind == GraphGiven {
		perEdge = 0 // loaded before the run and shared
	}
	return n*(bytesPerAgent+8*p) + edges*perEdge + float64(c.Steps+1)*p*40
}
