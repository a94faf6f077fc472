package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// Fields lists exactly the paths Base.Paths gives --set, with their kinds, values and the
// variants that use them.
func TestFieldsMatchPaths(t *testing.T) {
	for _, name := range ShippedNames() {
		data, _ := ShippedYAML(name)
		base := NewBase(data, name, "")
		sc, err := base.With(nil)
		if err != nil {
			t.Fatal(err)
		}
		paths, err := base.Paths()
		if err != nil {
			t.Fatal(err)
		}
		fields := sc.Fields()
		if len(fields) != len(paths) {
			t.Errorf("%s: %d fields, %d paths", name, len(fields), len(paths))
		}
		for _, f := range fields {
			if kind, ok := paths[f.Path]; !ok || kind != f.Kind {
				t.Errorf("%s: field %s of kind %d, Paths says %d (listed: %v)", name, f.Path, f.Kind, kind, ok)
			}
			if x, ok := Value(sc.File, f.Path); ok && !f.Step && fmt.Sprint(x) != fmt.Sprint(f.Value) {
				t.Errorf("%s: %s = %v, Value says %v", name, f.Path, f.Value, x)
			}
		}
	}
	sc, err := Shipped("preinstall_duel", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"platforms.laiwang.launch": 52,
		"platforms.laiwang.appeal": 0.2,
		"graph.kind":               "barabasi_albert",
		"interventions.1.share":    0.02,
		"interventions.1.active":   true,
		"interventions.2.until":    150,
		"decision.rule":            "logit",
	}
	used := map[string]bool{"graph.m": true, "graph.mean_degree": false, "interventions.1.p": false, "interventions.2.p": true, "threshold.sd": true, "threshold.value": false}
	for _, f := range sc.Fields() {
		if w, ok := want[f.Path]; ok && fmt.Sprint(w) != fmt.Sprint(f.Value) {
			t.Errorf("%s = %v, want %v", f.Path, f.Value, w)
		}
		if u, ok := used[f.Path]; ok && u != f.Used {
			t.Errorf("%s used %v, want %v", f.Path, f.Used, u)
		}
		if f.Path == "decision.rule" && !slices.Equal(f.Words, []string{"logit", "threshold", "bass"}) {
			t.Errorf("decision.rule words %v", f.Words)
		}
		if strings.HasSuffix(f.Path, ".launch") != (f.Step && strings.HasPrefix(f.Path, "platforms.")) {
			t.Errorf("%s: step %v", f.Path, f.Step)
		}
	}
}

// A field's range is validation's: a value just outside it is refused with the field's name.
func TestFieldRangesAreValidated(t *testing.T) {
	sc, err := Shipped("preinstall_duel", nil)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range sc.Fields() {
		if !f.Used {
			continue
		}
		for _, bound := range []float64{f.Min, f.Max} {
			if math.IsInf(bound, 0) {
				continue
			}
			step := math.Max(1e-9, math.Abs(bound)*0.01)
			outside := bound + step
			if bound == f.Min {
				outside = bound - step
			}
			set := fmt.Sprintf("%s=%g", f.Path, outside)
			_, err := Shipped("preinstall_duel", []string{set})
			if err == nil || !strings.Contains(err.Error(), f.Path) {
				t.Errorf("--set %s: got %v, want an error naming %s", set, err, f.Path)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("only %d bounds checked", checked)
	}
}
