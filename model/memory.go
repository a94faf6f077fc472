package model

import (
	"math"
	"slices"

	"github.com/msgsim/msgsim/model/graph"
)

// Memory a run needs, as a formula (documented in README.md). The graph is built first, then the
// agents' state is allocated, so the peak is the larger of the two phases:
//
//	build = 8 N + 4 E + B E + max(R, O' N)        (CSR as drawn; pending or recorded edges;
//	                                               narrow offsets)
//	run   = O N + 4 E + N (4 + T + C P)           (CSR as the run keeps it; agents' state)
//	peak  = max(build, run) + 48 P (Steps+1)      (plus the series)
//	      + 2 N P + 8 P (Steps+1)                 (with an active window W > 1)
//	      + 4 N + 16 (Steps+1)                    (with a market schedule)
//	      + N + 16 P S (Steps+1)                  (with segments, S of them counting the rest)
//	      + U N P + 4 P (Steps+1)                 (some investment rate above 0)
//	      + N                                     (an intervention or segment commits anyone)
//	      + 4 N                                   (a logit run's stay bounds: two platforms on
//	                                               one graph, not complete, N < 2^26; see
//	                                               cachesStayBounds)
//	      + 4 N                                   (each of: a stochastic_block graph's communities,
//	                                               agents ranked by degree for a top_degree target,
//	                                               random_sequential's order of agents)
//
// where B, the bytes per directed edge of pending edges, is 0 for the graphs drawn straight into
// their CSR (erdos_renyi, stochastic_block, and bipartite layers: see graph.ErdosRenyi) and 4 for
// those that go through a graph.Builder's pending edge list, freed before the agents' state is
// allocated (barabasi_albert, watts_strogatz). R is the edges a graph drawn straight into its CSR
// recorded while it was one tile (under 3 x 2^16 nodes), dropped before its offsets are copied:
// 4 E, at most 32 MiB (graph.RecordedBytes); each layer's R_l joins its B E_l. A drawn graph comes
// with int64 row offsets, which the run keeps as uint32 when its directed edges fit
// (graph.Compact, E <= 2^32-1): then O = 4 and O' = 4 (the copy is made while the drawn offsets
// and pending edges are still held), else O = 8 and O' = 0. C is the bytes of a neighbour count:
// 2 when every degree on the graph stays below 2^16, else 4 (see countBytes). T is 4 when
// thresholds are drawn and stored, else 0 (see storesThresholds). U is 2 in runs of fewer than
// 2^16 steps, else 4. Each layer after the first adds to run its CSR and counts, O N + 4 E_l +
// C_l N P, and the largest such layer's pending edges, B E_l, to run's side of the max (a layer
// is built beside the agents' state); E is then the first layer's edges. A given graph (an edge
// list) is loaded before the run and shared by its replicates: it adds only its counts, and its
// build nothing. The complete graph has neither CSR nor counts.
//
// with N agents, P platforms and E expected directed edges (twice the contacts). Each agent holds
// its platform set, awareness, registrations and a re-evaluation flag (4 bytes), its threshold
// when drawn and stored (4), and per platform a neighbour count (C). The series holds six int64
// per step and platform. Agents carry a commitment flag (1 byte) when an intervention or a
// segment commits anyone. An active window adds, per agent and platform, the steps left in it
// (uint16), and a seventh int64 per series cell. A market schedule adds each agent's entry step
// (int32), and per step the agents in the market (in the series) and their running sum (for
// flows). Segments add each agent's segment (a byte) and, per step, platform and segment, the
// segment's users and registered (two int64). When some platform's investment grows, each agent
// carries per platform its steps of use (uint16, or int32 in runs of 2^16 steps or more), and
// each platform its investment after k steps of use, for k up to the steps (float32; see
// investment.go). Not counted: a synchronous step's list of the agents that moved (8 bytes each,
// kept for the next step), which depends on how many move: at 3e8 agents, 25 million movers in
// the busiest of three steps, 0.2 GB.
const bytesPerAgent = 4

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
	bytes := cell * float64(len(c.Platforms)) * float64(c.Steps+1)
	if c.Market.Growing() {
		bytes += 8 * float64(c.Steps+1)
	}
	return bytes
}

// ExpectedDirectedEdges is the expected number of directed edges (2 per contact) of cfg's
// graph: of every layer, with layers.
func (c *Config) ExpectedDirectedEdges() float64 {
	if len(c.Layers) == 0 {
		return c.graphEdges(c.withDefaults().Graph)
	}
	var edges float64
	for _, l := range c.Layers {
		edges += c.graphEdges(l.Graph)
	}
	return edges
}

// graphEdges is the expected number of directed edges of a graph of spec g over cfg's agents.
func (c *Config) graphEdges(g GraphSpec) float64 {
	n := float64(c.Agents)
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
	case GraphBipartite:
		if a, b := g.Between[0], g.Between[1]; a >= 0 && b >= 0 && a <= len(c.Segments) && b <= len(c.Segments) {
			return g.MeanDegree * float64(c.segmentSize(a)+c.segmentSize(b))
		}
	}
	return 0
}

// pendingBytes is the memory a graph of kind holds, beside its CSR, while it is built: a
// Builder's pending edge list (4 bytes per directed edge) for the generators that need one,
// nothing for the graphs drawn straight into their CSR or given ready-made.
func pendingBytes(kind GraphKind, directedEdges float64) float64 {
	if kind == GraphBarabasiAlbert || kind == GraphWattsStrogatz {
		return 4 * directedEdges
	}
	return 0
}

// recordedBytes is the memory a graph of kind on nodes nodes holds in the edges its counting
// pass recorded, while it is built (graph.RecordedBytes): the graphs drawn in tiles, when
// small.
func recordedBytes(kind GraphKind, nodes int, directedEdges float64) float64 {
	if kind == GraphErdosRenyi || kind == GraphBlocks || kind == GraphBipartite {
		return graph.RecordedBytes(nodes, directedEdges)
	}
	return 0
}

// offsetBytes is the bytes per node of the row offsets a run keeps of a drawn graph of this
// many directed edges: uint32 when they fit (graph.Compact), else int64.
func offsetBytes(directedEdges float64) float64 {
	if directedEdges <= graph.MaxNarrowEdges {
		return 4
	}
	return 8
}

// countBytes is the bytes of one neighbour count on a graph of spec g over cfg's agents: 2
// (uint16) when every degree stays below 2^16, else 4. A given graph's largest degree is
// known; a drawn one's is taken as below 2^16 when its typical largest degree, its mean
// degree (its largest block's, its smaller side's), or m sqrt(N) for Barabási–Albert's
// hubs, is below 2^15, a margin for the spread of the largest degree about it.
func (c *Config) countBytes(g GraphSpec) float64 {
	largest := 0.0
	switch g.Kind {
	case GraphGiven:
		if g.Given != nil && narrowCounts(graph.Shared(g.Given).MaxDegree()) {
			return 2
		}
		return 4
	case GraphErdosRenyi:
		largest = g.MeanDegree
	case GraphBarabasiAlbert:
		largest = float64(g.M) * math.Sqrt(float64(c.Agents))
	case GraphWattsStrogatz:
		largest = float64(g.K)
	case GraphBlocks:
		var total float64
		for _, b := range g.BlockSizes {
			total += float64(b)
		}
		for _, b := range g.BlockSizes {
			largest = max(largest, g.PIn*float64(b-1)+g.POut*(total-float64(b)))
		}
	case GraphBipartite:
		if fewest := float64(min(c.segmentSize(g.Between[0]), c.segmentSize(g.Between[1]))); fewest > 0 {
			largest = c.graphEdges(g) / 2 / fewest
		}
	}
	if largest < 1<<15 {
		return 2
	}
	return 4
}

// MemoryEstimate returns the approximate peak bytes of one run of cfg.
func (c *Config) MemoryEstimate() float64 {
	n := float64(c.Agents)
	p := float64(len(c.Platforms))
	resolved := c.withDefaults()
	first := resolved.FirstGraph()
	edges := c.graphEdges(first)
	kind := first.Kind
	var build, run float64
	switch kind {
	case GraphComplete:
	case GraphGiven: // loaded before the run and shared by its replicates
		run = c.countBytes(first) * n * p
	default:
		// The narrow offsets are copied after a tiled graph's recorded edges are dropped, and
		// while a Builder's pending edges are still held.
		narrowCopy := 0.0
		if offsetBytes(edges) == 4 {
			narrowCopy = 4 * n
		}
		build = 8*n + 4*edges + pendingBytes(kind, edges) + max(recordedBytes(kind, c.Agents, edges), narrowCopy)
		run = offsetBytes(edges)*n + 4*edges + c.countBytes(first)*n*p
	}
	run += n * bytesPerAgent
	if dists := resolved.segmentThresholds(); drawsThresholds(dists) && storesThresholds(c.Agents, dists) {
		run += 4 * n
	}
	if c.commits() {
		run += n // see Simulation.committed
	}
	if cachesStayBounds(&resolved) {
		run += 4 * n // see Simulation.stayBound
	}
	if kind == GraphBlocks {
		run += 4 * n // each agent's community (Simulation.blocks)
	}
	if c.ranksByDegree() {
		run += 4 * n // agents in degree order (Simulation.agentsByDegree)
	}
	if resolved.Decision.Update == RandomSequential {
		run += 4 * n // the step's random order of agents
	}
	if c.ActiveWindow > 1 {
		run += 2 * n * p
	}
	if c.Market.Growing() {
		run += 4*n + 8*float64(c.Steps+2) // entry steps; the running sum of the market
	}
	if len(c.Segments) > 0 {
		run += n
	}
	if accrues(c.Platforms) {
		use := 4.0
		if narrowUse(c.Steps) {
			use = 2
		}
		run += use*n*p + 4*p*float64(c.Steps+1) // steps of use; investment curves
	}
	// The later layers are built beside the agents' state: each keeps its CSR and counts,
	// and the largest one's pending edges are the peak's last term.
	var pending float64
	for _, l := range resolved.Layers[min(1, len(resolved.Layers)):] {
		e := c.graphEdges(l.Graph)
		if l.Graph.Kind != GraphGiven {
			run += offsetBytes(e)*n + 4*e
			pending = max(pending, pendingBytes(l.Graph.Kind, e)+recordedBytes(l.Graph.Kind, c.Agents, e))
		}
		run += c.countBytes(l.Graph) * n * p
	}
	return max(build, run+pending) + c.SeriesBytes()
}

// commits reports whether a run of c marks committed agents (1 byte each): when an
// intervention or a segment commits anyone.
func (c *Config) commits() bool {
	return slices.ContainsFunc(c.Events, func(e Event) bool { return e.Committed }) ||
		slices.ContainsFunc(c.Segments, func(g Segment) bool { return g.Committed })
}

// ranksByDegree reports whether a run of c sorts its agents by degree (4 bytes each): when an
// event targets, or a segment assigns, the best-connected agents first.
func (c *Config) ranksByDegree() bool {
	return slices.ContainsFunc(c.Events, func(e Event) bool { return e.Target == TargetTopDegree }) ||
		slices.ContainsFunc(c.Segments, func(g Segment) bool { return g.Assign == TargetTopDegree })
}
