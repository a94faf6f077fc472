package scenarios

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/model"
)

// layeredText is a scenario with a friendship layer and a commerce layer between vendors and
// everyone else, WeChat's commerce weight cut for vendors by a ban.
const layeredText = `agents: 400
steps: 10
platforms:
  wechat: {layer_weights: {commerce: 0.5}}
  laiwang: {network_weight: 2, layer_weights: {friends: 0.5, commerce: 1}}
segments:
  vendors: {share: 0.05}
layers:
  friends: {kind: barabasi_albert, m: 3}
  commerce: {kind: bipartite, between: [vendors, rest], mean_degree: 4}
interventions:
  - {kind: ban, platform: wechat, at: 5, network_weight_factor: 0.2, layer: commerce, segment: vendors}
`

// TestLayers: layers reach the model in file order (the first with the graph defaults it
// leaves out, the bipartite one with its segments' indices), each platform's weights one per
// layer with the defaults for those it leaves out, and the ban its layer's index; --set
// reaches every new field, a layer weight the file lacks included; the scenario runs.
func TestLayers(t *testing.T) {
	t.Parallel()
	sc, err := Parse([]byte(layeredText), "s.yaml", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Layer{
		{Name: "friends", Graph: model.GraphSpec{Kind: model.GraphBarabasiAlbert, MeanDegree: 10, M: 3, K: 10, Beta: 0.1, PIn: 0.05, POut: 0.001}},
		{Name: "commerce", Graph: model.GraphSpec{Kind: model.GraphBipartite, MeanDegree: 4, Between: [2]int{1, 0}}},
	}
	if !reflect.DeepEqual(sc.Config.Layers, want) {
		t.Errorf("layers = %+v\nwant %+v", sc.Config.Layers, want)
	}
	if got := [][]float64{sc.Config.Platforms[0].LayerWeights, sc.Config.Platforms[1].LayerWeights}; !reflect.DeepEqual(got, [][]float64{{1, 0.5}, {0.5, 1}}) {
		t.Errorf("layer weights = %v", got)
	}
	if e := sc.Config.Events[0]; e.Layer != 2 || e.Segment != 1 || e.NetworkWeightFactor != 0.2 {
		t.Errorf("ban = %+v, want layer 2 (commerce), segment 1 (vendors)", e)
	}
	if err := sc.Config.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := model.Run(context.Background(), &sc.Config, model.RunOptions{Seed: 1}); err != nil {
		t.Fatal(err)
	}

	sc, err = Parse([]byte(layeredText), "s.yaml", "", []string{
		"platforms.wechat.layer_weights.friends=0.25", "layers.commerce.mean_degree=2",
		"layers.friends.kind=watts_strogatz", "interventions.0.layer=friends",
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := sc.Config.Platforms[0].LayerWeights; !reflect.DeepEqual(got, []float64{0.25, 0.5}) {
		t.Errorf("after --set, wechat's layer weights = %v", got)
	}
	if g := sc.Config.Layers; g[0].Graph.Kind != model.GraphWattsStrogatz || g[0].Graph.K != 10 || g[1].Graph.MeanDegree != 2 {
		t.Errorf("after --set, layers = %+v", g)
	}
	if sc.Config.Events[0].Layer != 1 {
		t.Errorf("after --set, the ban's layer = %d, want 1 (friends)", sc.Config.Events[0].Layer)
	}
	if x, ok := Value(sc.File, "platforms.laiwang.layer_weights.commerce"); !ok || x != 1 {
		t.Errorf("Value of a layer weight = %g, %v", x, ok)
	}
	doc, err := sc.YAML()
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse(doc, "again.yaml", "", nil)
	if err != nil || !reflect.DeepEqual(again.Config.Layers, sc.Config.Layers) || !reflect.DeepEqual(again.Config.Platforms, sc.Config.Platforms) {
		t.Errorf("the saved scenario does not reload as run: %v\n%s", err, doc)
	}

	paths, err := NewBase([]byte(layeredText), "s.yaml", "").Paths()
	if err != nil {
		t.Fatal(err)
	}
	for p, kind := range map[string]PathKind{
		"layers.friends.m": PathInteger, "layers.commerce.between": PathList, "layers.commerce.mean_degree": PathNumber,
		"platforms.wechat.layer_weights.commerce": PathNumber, "interventions.0.layer": PathText,
	} {
		if got, ok := paths[p]; !ok || got != kind {
			t.Errorf("path %s: kind %v (present %v), want %v", p, got, ok, kind)
		}
	}
}

// TestCommerceBan: the example of a commerce layer and a ban of vendors on it loads and
// runs, and the ban, which cuts the incumbent's commerce weight for vendors only, changes the
// run.
func TestCommerceBan(t *testing.T) {
	t.Parallel()
	run := func(sets ...string) *model.Series {
		sc, err := Load("testdata/commerce_ban.yaml", append([]string{"agents=3000", "steps=80", "replicates=1"}, sets...))
		if err != nil {
			t.Fatal(err)
		}
		s, err := model.Run(context.Background(), &sc.Config, model.RunOptions{Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	banned, open := run(), run("interventions.0.network_weight_factor=1")
	if reflect.DeepEqual(banned.Users, open.Users) {
		t.Error("the ban of vendors on the commerce layer changed nothing")
	}
	if !reflect.DeepEqual(banned.Users[:banned.At(60, 0)], open.Users[:open.At(60, 0)]) {
		t.Error("the runs differ before the ban")
	}
}

// TestLayersTemplate: the commented layers example in the shipped communities scenario, which
// `msgsim scenarios communities` prints, runs once uncommented with the segments example and
// without graph:, with the weights and the ban its comment gives.
func TestLayersTemplate(t *testing.T) {
	t.Parallel()
	data, ok := ShippedYAML("communities")
	if !ok {
		t.Fatal("no shipped communities scenario")
	}
	var lines []string
	inGraph := false
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "# "); ok && (strings.HasPrefix(rest, "segments:") || strings.HasPrefix(rest, "layers:") || strings.HasPrefix(rest, "  ")) {
			line = rest
		}
		if inGraph = line == "graph:" || inGraph && strings.HasPrefix(line, "  "); !inGraph {
			lines = append(lines, line)
		}
	}
	text := strings.Replace(strings.Join(lines, "\n"), "interventions:\n", "interventions:\n  - {kind: ban, platform: incumbent, at: 60, layer: commerce, segment: early, network_weight_factor: 0}\n", 1)
	sc, err := Parse([]byte(text), "communities.yaml", "", []string{"platforms.incumbent.layer_weights.commerce=0.5", "steps=62", "replicates=1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Config.Layers) != 2 || sc.Config.Layers[1].Graph.Kind != model.GraphBipartite || sc.Config.Events[0].Layer != 2 {
		t.Fatalf("layers = %+v, events = %+v", sc.Config.Layers, sc.Config.Events)
	}
	if _, err := model.Run(context.Background(), &sc.Config, model.RunOptions{Seed: 1}); err != nil {
		t.Fatal(err)
	}
}

// TestLayerFile: a layer may be an edge list, read relative to the scenario and rewritten
// when the scenario is saved elsewhere; the memory estimate counts every layer.
func TestLayerFile(t *testing.T) {
	t.Parallel()
	text := "steps: 5\nplatforms: {wechat: {layer_weights: {mail: 1}}}\nlayers:\n  friends: {kind: complete}\n  mail: {kind: file, path: tiny.edges}\n"
	sc, err := Parse([]byte(text), "s.yaml", "testdata", nil)
	if err != nil {
		t.Fatal(err)
	}
	if g := sc.Config.Layers[1].Graph; g.Kind != model.GraphGiven || g.Given == nil || sc.Config.Agents != g.Given.NumNodes() {
		t.Fatalf("the file layer = %+v, agents %d", g, sc.Config.Agents)
	}
	doc, err := sc.YAMLAt("testdata/sub")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), `path: "../tiny.edges"`) {
		t.Errorf("the saved scenario's layer path is not rewritten:\n%s", doc)
	}
	one := sc.Config
	one.Layers = one.Layers[:1]
	if sc.Config.MemoryEstimate() <= one.MemoryEstimate() {
		t.Error("the memory estimate does not grow with layers")
	}
	if _, err := model.Run(context.Background(), &sc.Config, model.RunOptions{Seed: 1}); err != nil {
		t.Fatal(err)
	}
}
