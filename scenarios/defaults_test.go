package scenarios

import (
	"reflect"
	"slices"
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

// TestVariantTags checks every for tag of the schema: its selector is an enumerated field
// of the same section, and its variants are among that field's words.
func TestVariantTags(t *testing.T) {
	tagged := 0
	var check func(f *field)
	check = func(f *field) {
		if f.item != nil {
			check(f.item)
		}
		for _, c := range f.fields {
			check(c)
			for selector, variants := range c.uses {
				tagged++
				sel := f.child(selector)
				if sel == nil || len(sel.enum) == 0 {
					t.Errorf("%s: selector %q is no enumerated field of its section", c.name, selector)
					continue
				}
				for _, v := range variants {
					if !slices.Contains(sel.enum, v) {
						t.Errorf("%s: variant %q is not one of %s's words %v", c.name, v, selector, sel.enum)
					}
				}
			}
		}
	}
	check(fileModel())
	if tagged < 20 {
		t.Errorf("only %d for tags found", tagged)
	}
}
