package scenarios

import (
	"slices"
	"strconv"
	"strings"

	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/model"
)

// firstGraph is the file's first contact graph, on which segments and block targets are
// assigned, and its path: the first layer, or graph without layers.
func (v *validator) firstGraph() (GraphFile, string) {
	if len(v.file.Layers) > 0 {
		g := v.file.Layers[0]
		return g, strict.Join("layers", g.Name)
	}
	return v.file.Graph, "graph"
}

// layers checks the layers list, which replaces graph, and converts it. The first layer
// that is an edge list or a stochastic_block graph gives agents its nodes or blocks' sum
// when the file leaves agents out, so it is checked before the others, which use agents.
func (v *validator) layers() []model.Layer {
	if v.Has("graph") {
		v.Fail("layers", "replaces graph: give the contact graph as the first layer (e.g. layers: {friends: {kind: barabasi_albert}, commerce: {...}}), not both")
	}
	layers := v.file.Layers
	setter := slices.IndexFunc(layers, func(g GraphFile) bool {
		return g.Kind == string(model.GraphGiven) || g.Kind == string(model.GraphBlocks)
	})
	out := make([]model.Layer, len(layers))
	order := make([]int, 0, len(layers))
	if setter >= 0 {
		order = append(order, setter)
	}
	for l := range layers {
		if l != setter {
			order = append(order, l)
		}
	}
	for _, l := range order {
		g := layers[l]
		path := v.itemName("layers", "layer", g.Name)
		out[l] = model.Layer{Name: g.Name}
		switch {
		case g.Kind == string(model.GraphBipartite) && l == 0:
			v.Fail(path+".kind", "the first layer cannot be bipartite: it is the contact graph that segments are assigned on; list a graph before it")
		case g.Kind == string(model.GraphComplete) && l > 0:
			v.Fail(path+".kind", "only the first layer can be complete (everyone in contact is handled in closed form, never stored)")
		case g.Kind == string(model.GraphBipartite):
			out[l].Graph = v.bipartite(path, g)
		default:
			out[l].Graph = v.graph(path, g, l == setter)
		}
	}
	return out
}

// bipartite checks a bipartite layer: two different segments (rest names the agents in no
// segment) and a mean degree that ties between them can reach.
func (v *validator) bipartite(path string, g GraphFile) model.GraphSpec {
	v.onlyFor(path, "kind", g.Kind)
	spec := model.GraphSpec{Kind: model.GraphBipartite, MeanDegree: g.MeanDegree}
	names := []string{model.RestSegment}
	sizes := []int{v.file.Agents}
	for _, s := range v.file.Segments {
		size := model.Segment{Count: s.Count, Share: s.Share}.Size(v.file.Agents)
		names, sizes = append(names, s.Name), append(sizes, size)
		sizes[0] -= size
	}
	if len(g.Between) != 2 || g.Between[0] == g.Between[1] {
		v.Fail(path+".between", "must name two different segments, e.g. [vendors, %s] (segments: %s), got %s", model.RestSegment, strings.Join(names, ", "), strict.QuoteList(g.Between, ", "))
		return spec
	}
	for k, name := range g.Between {
		index := slices.Index(names, name)
		if index < 0 {
			v.Fail(strict.Join(path+".between", strconv.Itoa(k)), "unknown segment %q%s (segments: %s)", name, strict.DidYouMean(name, names), strings.Join(names, ", "))
			return spec
		}
		spec.Between[k] = index
	}
	a, b := float64(sizes[spec.Between[0]]), float64(sizes[spec.Between[1]])
	most := 0.0
	if a > 0 && b > 0 {
		most = 2 * a * b / (a + b)
	}
	if !(g.MeanDegree >= 0 && g.MeanDegree <= most) {
		v.Fail(path+".mean_degree", "must be in [0, %g] (every tie between the %g agents of %s and the %g of %s), got %g", most, a, g.Between[0], b, g.Between[1], g.MeanDegree)
	}
	return spec
}

// layerWeights checks each platform's layer weights and sets them in platforms: the
// weights the file leaves out are the default ones (1 on the first layer, 0 on the others).
func (v *validator) layerWeights(platforms []model.Platform) {
	names := make([]string, len(v.file.Layers))
	for l, g := range v.file.Layers {
		names[l] = g.Name
	}
	for j, p := range v.file.Platforms {
		path := strict.Join(strict.Join("platforms", p.Name), "layer_weights")
		if !v.Has(path) || j >= len(platforms) {
			continue
		}
		if len(names) == 0 {
			v.Fail(path, "weighs layers, but the scenario has none: define them under layers: (the graph alone is weighed by network_weight)")
			continue
		}
		weights := make([]float64, len(names))
		weights[0] = 1
		for _, w := range p.LayerWeights {
			at := strict.Join(path, w.Name)
			l := slices.Index(names, w.Name)
			if l < 0 {
				v.Fail(at, "unknown layer %q%s (layers: %s)", w.Name, strict.DidYouMean(w.Name, names), strings.Join(names, ", "))
				continue
			}
			v.atLeast(at, w.Weight, 0)
			v.utility(at, w.Weight)
			weights[l] = w.Weight
		}
		platforms[j].LayerWeights = weights
	}
}

// eventLayer resolves a ban's layer, if it names one, to the model's index: 1 + its place in
// the file's layers.
func (v *validator) eventLayer(path string, iv Intervention, e *model.Event) {
	if !v.Has(path+".layer") || e.Kind != model.EventBan {
		return // other kinds are told by onlyFor that layer is not theirs
	}
	names := make([]string, len(v.file.Layers))
	for l, g := range v.file.Layers {
		names[l] = g.Name
	}
	l := slices.Index(names, iv.Layer)
	switch {
	case len(names) == 0:
		v.Fail(path+".layer", "names layer %q, but the scenario has no layers: define it under layers:", iv.Layer)
	case l < 0:
		v.Fail(path+".layer", "unknown layer %q%s (layers: %s)", iv.Layer, strict.DidYouMean(iv.Layer, names), strings.Join(names, ", "))
	case !v.Has(path + ".network_weight_factor"):
		v.Fail(path+".layer", "narrows network_weight_factor to one layer, but the %s sets none", iv.Kind)
	default:
		e.Layer = l + 1
	}
}
