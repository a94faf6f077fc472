package sweep

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/output"
)

// TestPlotForEveryDesign: each design without a numeric one- or two-factor grid gets its
// plot (every run against each factor, a line per level, Morris's mu*-sigma plane), its axes
// named by the factors' labels, and summary.md lists it.
func TestPlotForEveryDesign(t *testing.T) {
	t.Parallel()
	const appeal = "  - path: platforms.entrant.appeal\n    uniform: {min: 0.2, max: 0.8}\n"
	const share = "  - path: interventions.0.share\n    uniform: {min: 0, max: 0.4}\n"
	const rule = "  - path: decision.rule\n    values: [logit, threshold]\n"
	for _, tc := range []struct {
		name, sweep string
		chart       string
		texts       []string // in the chart's SVG
	}{
		{"latin hypercube", "design: latin_hypercube\nsamples: 8\nfactors:\n" + appeal + share + rule, "scatter",
			[]string{"entrant appeal", "entrant preinstall share", "decision rule", "logit", "threshold", "of every run against each factor"}},
		{"random", "design: random\nsamples: 8\nfactors:\n" + appeal + "    label: the entrant's appeal\n", "scatter", []string{"the entrant&#39;s appeal"}},
		{"grid of three", "factors:\n  - path: platforms.entrant.appeal\n    values: [0.3, 0.6]\n  - path: interventions.0.share\n    values: [0, 0.2]\n  - path: platforms.incumbent.churn\n    values: [0, 0.05]\n", "scatter",
			[]string{"incumbent churn"}},
		{"categorical grid", "factors:\n" + rule, "levels", []string{"decision rule", "logit", "threshold"}},
		{"mixed grid", "factors:\n" + rule + "  - path: platforms.entrant.appeal\n    values: [0.3, 0.6, 0.9]\n", "levels",
			[]string{"entrant appeal", "decision rule = logit", "decision rule = threshold"}},
		{"morris", "design: morris\nsamples: 4\nfactors:\n" + appeal + share, "mu_sigma", []string{"entrant preinstall share", "sigma = mu*"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			plan := mustPlanText(t, "name: Plots\nbase: testdata/base.yaml\nreplicates: 2\n"+tc.sweep, "s.yaml", ".")
			dir := filepath.Join(t.TempDir(), "out")
			d := openDir(t, dir, output.DirOptions{})
			defer d.Close()
			res, err := Run(context.Background(), plan, Options{Dir: d, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := WriteResults(d, res, []string{"svg"}); err != nil {
				t.Fatal(err)
			}
			svg, err := os.ReadFile(filepath.Join(dir, tc.chart+".svg"))
			if err != nil {
				t.Fatal(err)
			}
			for _, text := range tc.texts {
				if !strings.Contains(string(svg), ">"+text) && !strings.Contains(string(svg), text+"<") {
					t.Errorf("%s.svg lacks %q", tc.chart, text)
				}
			}
			summary, err := os.ReadFile(filepath.Join(dir, "summary.md"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(summary), "- `"+tc.chart+".png`") || strings.Contains(string(summary), "no plot of its own") {
				t.Errorf("summary.md does not list %s.png:\n%s", tc.chart, summary)
			}
		})
	}
}
