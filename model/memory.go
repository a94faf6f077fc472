package model

// Memory a run needs, as a formula (documented in README.md). The graph is built first and
// the builder's pending edge list is freed before the agents' state is allocated, so the peak
// is the larger of the two phases:
//
//	build = 8 N + 8 E                         (CSR offsets; CSR neighbours + pending edges)
//	run   = 8 N + 4 E + N (8 + 8 P)           (CSR; agents' state)
//	peak  = max(build, run) + 48 P (Steps+1)  (plus the series)
//	      + 2 N P + 8 P (Steps+1)             (with an active window W > 1)
//	      + N + 16 P S (Steps+1)              (with segments, S of them counting the rest)
//
// with N agents, P platforms and E expected directed edges (twice the contacts). Each agent
// holds its platform set, awareness, registrations and a re-evaluation flag (4 bytes), its
// threshold (4), and per platform an investment (float32) and a neighbour count (int32). The
// series holds six int64 per step and platform. The estimate is an upper bound in one respect:
// a constant threshold is stored once, not per agent, which more than pays for the commitment
// flag (1 byte) agents carry when an intervention commits anyone. An active window adds, per
// agent and platform, the steps left in it (uint16), and a seventh int64 per series cell.
// Segments add each agent's segment (a byte) and, per step, platform and segment, the
// segment's users and registered (two int64).
const bytesPerAgent = 4 + 4

// seriesCellBytes bounds the series' size per step and platform: five int64 counts, and one
// more per step (Adopters) that a single platform's cell carries in full.
const seriesCellBytes = 6 * 8

// SeriesBytes is the size of one run's series, which a run keeps to the end and an ensemble
// keeps for every replicate.
func (c *Config) SeriesBytes() float64 {
	cell := float64(seriesCellBytes)
	if c.ActiveWindow > 1 {
		cell += 8
	}
	if len(c.Segments) > 0 {
		cell += 16 * float64(len(c.Segments)+1)
	}
	return cell * float64(len(c.Platforms)) * float64(c.Steps+1)
}

// ExpectedDirectedEdges is the expected number of directed edges (2 per contact) of cfg's graph.
func (c *Config) ExpectedDirectedEdges() float64 {
	n := float64(c.Agents)
	g := c.withDefaults().Graph
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
	build := 8*n + 8*edges
	kind := c.withDefaults().Graph.Kind
	if kind == GraphGiven {
		build = 0 // loaded before the run and shared by its replicates
	}
	run := 8*n + 4*edges + n*(bytesPerAgent+8*p)
	if kind == GraphGiven || kind == GraphComplete {
		run -= 8*n + 4*edges
	}
	if c.ActiveWindow > 1 {
		run += 2 * n * p
	}
	if len(c.Segments) > 0 {
		run += n
	}
	return max(build, run) + c.SeriesBytes()
}
