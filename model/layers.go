package model

import (
	"fmt"
	"math/rand/v2"

	"github.com/msgsim/msgsim/internal/streams"
	"github.com/msgsim/msgsim/model/graph"
)

// layerState is a contact graph after the first and its agents' neighbour counts,
// [agent*np + j] as Simulation.counts is for the first.
type layerState struct {
	g      *graph.Rows
	counts neighbourCounts
}

// FirstGraph is the graph of the first layer: Layers[0]'s, or Graph without layers. Block
// targets, segments, top_degree orders and word of mouth are on it.
func (c *Config) FirstGraph() GraphSpec {
	if len(c.Layers) > 0 {
		return c.Layers[0].Graph
	}
	return c.Graph
}

// validateLayers checks the layers and the platforms' and bans' weights on them.
func (c *Config) validateLayers(add func(format string, args ...any)) {
	count := max(len(c.Layers), 1)
	for j, p := range c.Platforms {
		if p.LayerWeights != nil && len(p.LayerWeights) != count {
			add("platforms[%d].layer_weights: one per layer (%d), got %d", j, count, len(p.LayerWeights))
		}
		for l, w := range p.LayerWeights {
			utility(add, fmt.Sprintf("platforms[%d].layer_weights[%d]", j, l), w)
		}
	}
	if len(c.Layers) > MaxLayers {
		add("layers: at most %d, got %d", MaxLayers, len(c.Layers))
	}
	seen := map[string]bool{}
	for l, layer := range c.Layers {
		name := fmt.Sprintf("layers[%d]", l)
		switch {
		case layer.Name == "":
			add("%s.name is required", name)
		case seen[layer.Name]:
			add("%s: name %q is taken by an earlier layer", name, layer.Name)
		}
		seen[layer.Name] = true
		switch g := layer.Graph; {
		case g.Kind == GraphBipartite && l == 0:
			add("%s: the first layer cannot be bipartite: segments, which a bipartite layer joins, are assigned on it", name)
		case g.Kind == GraphComplete && l > 0:
			add("%s: only the first layer can be complete", name)
		case g.Kind == GraphBipartite:
			c.validateBipartite(name, g, add)
		default:
			c.validateGraph(name+".graph", g, add)
		}
	}
	if c.Graph.Kind == GraphBipartite && len(c.Layers) == 0 {
		add("graph.kind: bipartite is the kind of a layer beside a contact graph, not of the one graph")
	}
}

// validateBipartite checks a bipartite layer's segments and that its mean degree is possible
// between them.
func (c *Config) validateBipartite(name string, g GraphSpec, add func(format string, args ...any)) {
	a, b := g.Between[0], g.Between[1]
	if a < 0 || b < 0 || a > len(c.Segments) || b > len(c.Segments) || a == b {
		add("%s.between: two different segment indices in [0, %d], got %d and %d", name, len(c.Segments), a, b)
		return
	}
	na, nb := float64(c.segmentSize(a)), float64(c.segmentSize(b))
	most := 0.0
	if na > 0 && nb > 0 {
		most = 2 * na * nb / (na + nb)
	}
	if !(g.MeanDegree >= 0 && g.MeanDegree <= most) {
		add("%s.mean_degree must be in [0, %g] (every tie between segments of %g and %g agents), got %g", name, most, na, nb, g.MeanDegree)
	}
}

// segmentSize is the number of agents of segment g (an index into SegmentNames).
func (c *Config) segmentSize(g int) int {
	if g > 0 {
		return c.Segments[g-1].Size(c.Agents)
	}
	rest := c.Agents
	for _, seg := range c.Segments {
		rest -= seg.Size(c.Agents)
	}
	return rest
}

// buildLayers draws the layers after the first, once the segments are assigned, each from
// its own stream, and allocates their neighbour counts.
func (s *Simulation) buildLayers() error {
	for l := 1; l < len(s.cfg.Layers); l++ {
		spec := s.cfg.Layers[l].Graph
		rng := rand.New(rand.NewPCG(s.seed^uint64(l), streams.Layer))
		g, _, err := s.generate(spec, rng)
		if err != nil {
			return fmt.Errorf("layer %s: %w", s.cfg.Layers[l].Name, err)
		}
		s.layers = append(s.layers, layerState{g: g, counts: newCounts(g, s.np)})
	}
	return nil
}

// segmentMembers lists the agents of segment g, in increasing order.
func (s *Simulation) segmentMembers(g int) []int32 {
	return s.eligibleAgents(func(i int) bool { return s.SegmentOf(i) == g })
}

// setWeights sets the network weights in force of platform p on every layer, from w, the
// platform's (or a segment's) NetworkWeight: w on the first layer and 0 on the others
// without LayerWeights, else w scaled by each.
func setWeights(now *platformNow, w float64, p *Platform) {
	now.networkWeight = w
	if p.LayerWeights == nil {
		return
	}
	now.networkWeight = w * p.LayerWeights[0]
	for l := 1; l < len(p.LayerWeights); l++ {
		now.layerWeights[l-1] = w * p.LayerWeights[l]
	}
}

// scaleWeights multiplies a platform's network weight on layer (1 + an index into
// Config.Layers), or on every layer when it is 0, by factor.
func scaleWeights(now *platformNow, layer int, factor float64) {
	if layer <= 1 {
		now.networkWeight *= factor
	}
	for l := range now.layerWeights {
		if layer == 0 || layer == l+2 {
			now.layerWeights[l] *= factor
		}
	}
}

// layerBenefit is agent i's network benefit from platform j on the layers after the first,
// under the weights in force for it, now: the sum of w_jl x_ijl, with x the share (fraction)
// or the number of its contacts on the layer that use j.
func (s *Simulation) layerBenefit(i, j int, now *platformNow, fraction bool) float64 {
	var benefit float64
	for l := range s.layers {
		w := now.layerWeights[l]
		if w == 0 {
			continue
		}
		layer := &s.layers[l]
		a := float64(layer.counts.at(i*s.np + j))
		if !fraction {
			benefit += w * a
		} else if k := layer.g.Degree(i); k > 0 {
			benefit += w * (a / float64(k))
		}
	}
	return benefit
}
