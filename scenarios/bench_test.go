package scenarios

import "testing"

// BenchmarkWithOverrides builds one variant of the default scenario, as a sweep or a fit
// does for every point: parse, overrides, decode, validate.
func BenchmarkWithOverrides(b *testing.B) {
	data, ok := shippedData(DefaultName)
	if !ok {
		b.Fatal("no default scenario")
	}
	base := NewBase(data, "embedded:"+DefaultName, "")
	sets := []string{"platforms.laiwang.appeal=0.4", "interventions.1.share=0.2", "decision.rule=threshold"}
	for b.Loop() {
		if _, err := base.With(sets); err != nil {
			b.Fatal(err)
		}
	}
}
