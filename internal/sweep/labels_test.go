package sweep

import (
	"testing"

	"github.com/msgsim/msgsim/scenarios"
)

// TestPathLabels: a factor's default label reads as words, an intervention's by its platform
// and kind, and a label: replaces it.
func TestPathLabels(t *testing.T) {
	t.Parallel()
	sc, err := scenarios.Shipped(scenarios.DefaultName, nil)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"interventions.1.share":           "laiwang preinstall share",
		"interventions.1.at":              "laiwang preinstall step",
		"platforms.wechat.switching_cost": "wechat switching cost",
		"platforms.laiwang.q":             "laiwang q (imitation)",
		"decision.rule":                   "decision rule",
		"graph.m":                         "graph m",
		"agents":                          "agents",
	} {
		if got := pathLabel(path, sc); got != want {
			t.Errorf("%s: label %q, want %q", path, got, want)
		}
	}
	sw, err := Parse([]byte("base: laiwang_vs_wechat\nfactors:\n  - path: interventions.1.share\n    values: [0.1]\n  - path: platforms.laiwang.appeal\n    values: [0.5]\n    label: Laiwang's appeal\n"), "s.yaml", ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(sw.Labels) != 2 || sw.Labels[0] != "laiwang preinstall share" || sw.Labels[1] != "Laiwang's appeal" {
		t.Errorf("labels %q", sw.Labels)
	}
}
