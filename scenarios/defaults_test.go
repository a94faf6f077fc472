package scenarios

import (
	"reflect"
	"testing"

	"github.com/msgsim/msgsim/model"
)

// TestDefaultsAreTheModels checks that a scenario leaving everything out runs the model's
// documented defaults: model.Defaults and model.DefaultPlatform are the one source.
func TestDefaultsAreTheModels(t *testing.T) {
	sc, err := Parse([]byte("platforms:\n  a:\n"), "d.yaml", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	got, want := sc.Config, model.Defaults()
	want.Platforms = []model.Platform{model.DefaultPlatform("a")}
	// The file's defaults of other graph kinds' and distributions' parameters are the
	// scenario's own; the model's defaults leave them zero.
	got.Graph.M, got.Graph.K, got.Graph.Beta, got.Graph.PIn, got.Graph.POut = 0, 0, 0, 0, 0
	got.Threshold.Max, got.Threshold.SD = 0, 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("defaults differ:\nscenario %+v\nmodel    %+v", got, want)
	}
}

// TestEnumsAreTheModels checks that the words scenario validation accepts are the model's.
func TestEnumsAreTheModels(t *testing.T) {
	for _, tc := range []struct {
		path  string
		valid []string
	}{
		{"graph.kind", model.Names(model.GraphKinds)},
		{"decision.rule", model.Names(model.Rules)},
		{"decision.update", model.Names(model.Updates)},
		{"decision.benefit", model.Names(model.Benefits)},
		{"decision.contagion", model.Names(model.Contagions)},
		{"threshold.distribution", model.Names(model.DistributionKinds)},
	} {
		got := jsonSchema().property(tc.path).Enum
		if !reflect.DeepEqual(got, tc.valid) {
			t.Errorf("%s: schema enum %v, model %v", tc.path, got, tc.valid)
		}
	}
}
