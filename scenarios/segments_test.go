package scenarios

import (
	"reflect"
	"testing"

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
