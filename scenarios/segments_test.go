package scenarios

import (
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/msgsim/msgsim/model"
)

// TestSegments: segments reach the model in file order with their defaults (a random
// assignment, not committed), from the file and from --set; setting assign drops a block
// the new assignment does not use.
func TestSegments(t *testing.T) {
	t.Parallel()
	text := "agents: 100\nsteps: 10\ngraph: {kind: stochastic_block, blocks: [60, 40]}\nplatforms: {wechat: {}}\n" +
		"segments:\n  vendors: {share: 0.05, committed: true}\n  ct_contract: {count: 20, assign: block, block: 1}\n  hubs: {count: 3, assign: top_degree}\n"
	sc, err := Parse([]byte(text), "s.yaml", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Segment{
		{Name: "vendors", Share: 0.05, Assign: model.TargetRandom, Committed: true},
		{Name: "ct_contract", Count: 20, Assign: model.TargetBlock, Block: 1},
		{Name: "hubs", Count: 3, Assign: model.TargetTopDegree},
	}
	if !reflect.DeepEqual(sc.Config.Segments, want) {
		t.Errorf("segments = %+v\nwant %+v", sc.Config.Segments, want)
	}
	sc, err = Parse([]byte(text), "s.yaml", "", []string{"segments.vendors.share=0.2", "segments.ct_contract.assign=random", "segments.hubs.committed=true"})
	if err != nil {
		t.Fatal(err)
	}
	want = []model.Segment{
		{Name: "vendors", Share: 0.2, Assign: model.TargetRandom, Committed: true},
		{Name: "ct_contract", Count: 20, Assign: model.TargetRandom},
		{Name: "hubs", Count: 3, Assign: model.TargetTopDegree, Committed: true},
	}
	if !reflect.DeepEqual(sc.Config.Segments, want) {
		t.Errorf("after --set, segments = %+v\nwant %+v", sc.Config.Segments, want)
	}
	if err := sc.Config.Validate(); err != nil {
		t.Error(err)
	}
	paths, err := NewBase([]byte(text), "s.yaml", "").Paths()
	if err != nil {
		t.Fatal(err)
	}
	for p, kind := range map[string]PathKind{"segments.vendors.share": PathNumber, "segments.hubs.count": PathInteger, "segments.ct_contract.assign": PathText, "segments.ct_contract.block": PathInteger, "segments.vendors.committed": PathText} {
		if got, ok := paths[p]; !ok || got != kind {
			t.Errorf("path %s: kind %v (present %v), want %v", p, got, ok, kind)
		}
	}
}

// TestSegmentOverrides: a segment's overrides change only the fields they set, the rest keep
// the scenario's values (thresholds and platforms alike), from the file and from --set, which
// may add an override of a platform the segment did not mention; an intervention's segment
// becomes the model's index.
func TestSegmentOverrides(t *testing.T) {
	t.Parallel()
	text := base + "threshold: {distribution: normal, mean: 0.2, sd: 0.1}\n" +
		"segments:\n  other: {count: 5}\n  vendors:\n    share: 0.1\n    revision_rate: 0.5\n    threshold: {mean: 0.7}\n    platforms: {wechat: {network_weight: 2}}\n" +
		"interventions:\n  - kind: ban\n    platform: wechat\n    appeal_change: -1\n    segment: vendors\n"
	sc, err := Parse([]byte(text), "o.yaml", "", []string{"segments.vendors.platforms.laiwang.churn=0.3", "segments.vendors.platforms.wechat.appeal=0.4"})
	if err != nil {
		t.Fatal(err)
	}
	g := sc.Config.Segments[1]
	wechat, laiwang := sc.Config.Platforms[0], sc.Config.Platforms[1]
	wechat.NetworkWeight, wechat.Appeal, laiwang.Churn = 2, 0.4, 0.3
	if !reflect.DeepEqual(g.Platforms, []model.Platform{wechat, laiwang}) {
		t.Errorf("platforms = %+v\nwant %+v", g.Platforms, []model.Platform{wechat, laiwang})
	}
	if want := (model.Distribution{Kind: model.DistNormal, Mean: 0.7, SD: 0.1}); g.Threshold != want || g.RevisionRate != 0.5 {
		t.Errorf("threshold %+v, revision rate %g; want %+v and 0.5", g.Threshold, g.RevisionRate, want)
	}
	if o := sc.Config.Segments[0]; o.Platforms != nil || o.Threshold.Kind != "" || o.RevisionRate != 0 {
		t.Errorf("a segment without overrides has %+v", o)
	}
	if e := sc.Config.Events[0]; e.Segment != 2 {
		t.Errorf("ban segment = %d, want 2", e.Segment)
	}
	if err := sc.Config.Validate(); err != nil {
		t.Error(err)
	}
	paths, err := NewBase([]byte(text), "o.yaml", "").Paths()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"segments.vendors.platforms.wechat.network_weight", "segments.vendors.threshold.mean", "segments.vendors.revision_rate", "interventions.0.segment"} {
		if _, ok := paths[p]; !ok {
			t.Errorf("path %s not listed", p)
		}
	}
}

// TestSegmentsTemplate: the commented segments example in the shipped communities scenario,
// which `msgsim scenarios communities` prints, is valid once uncommented and sets every field
// of a segment.
func TestSegmentsTemplate(t *testing.T) {
	t.Parallel()
	data, ok := ShippedYAML("communities")
	if !ok {
		t.Fatal("no shipped communities scenario")
	}
	var lines []string
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "# "); ok && (strings.HasPrefix(rest, "segments:") || strings.HasPrefix(rest, "  ")) {
			line = rest
		}
		lines = append(lines, line)
	}
	text := []byte(strings.Join(lines, "\n"))
	sc, err := Parse(text, "communities.yaml", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Config.Segments) != 1 {
		t.Fatalf("segments = %+v, want the example's one", sc.Config.Segments)
	}
	root, err := parseDocument(text, "communities.yaml")
	if err != nil {
		t.Fatal(err)
	}
	early := mappingValue(mappingValue(root, "segments"), "early")
	for section, node := range map[string]*yaml.Node{"segments.early": early, "segments.early.platforms.entrant": mappingValue(mappingValue(early, "platforms"), "entrant")} {
		for _, key := range lookup(section).keys() {
			if mappingValue(node, key) == nil && key != "count" { // count is share's alternative
				t.Errorf("the example does not show %s.%s", section, key)
			}
		}
	}
}
