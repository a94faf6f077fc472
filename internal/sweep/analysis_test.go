package sweep

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/output"
)

// syntheticResult plans a sweep from its text and fills in records without running the model:
// winners(p) gives the winner of each replicate at point p, value(p) every numeric outcome.
func syntheticResult(t *testing.T, text string, winners func(p int) []string, value func(pt Point) float64) *Result {
	t.Helper()
	plan := mustPlanText(t, text, "s.yaml", ".")
	outcomes := len(OutcomeNames(plan.platforms(), plan.segments(), nil)) - 1
	res := &Result{Plan: plan}
	for p, pt := range plan.Points {
		for r, w := range winners(p) {
			vals := make([]float64, outcomes)
			for i := range vals {
				vals[i] = value(pt)
			}
			res.Records = append(res.Records, Record{Point: p, Replicate: r, Seed: plan.RunSeed(p, r), Winner: w, Values: vals})
		}
	}
	return res
}

// tippingSection is summary.md's "Tipping points" section, or "" when it has none.
func tippingSection(t *testing.T, res *Result) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := WriteResults(openDir(t, dir, output.DirOptions{}), res, nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "## Tipping points\n\n")
	if !ok {
		return ""
	}
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

func TestTippingAlongCategoricalLevels(t *testing.T) {
	t.Parallel()
	// The entrant wins 0 of 4, 3 of 4, then 4 of 4 replicates as the rule goes logit, threshold, bass.
	text := "base: testdata/base.yaml\noutcome: final_share.entrant\nreplicates: 4\nfactors:\n  - path: decision.rule\n    values: [logit, threshold, bass]\n"
	wins := [][]string{
		{"incumbent", "incumbent", "incumbent", "incumbent"},
		{"entrant", "incumbent", "entrant", "entrant"},
		{"entrant", "entrant", "entrant", "entrant"},
	}
	res := syntheticResult(t, text, func(p int) []string { return wins[p] }, func(Point) float64 { return 0.5 })
	want := "- incumbent's chance of winning passes below 1/2 between decision.rule = logit and decision.rule = threshold\n" +
		"- entrant's chance of winning passes above 1/2 between decision.rule = logit and decision.rule = threshold\n"
	if got := tippingSection(t, res); got != want {
		t.Errorf("tipping points:\n%s\nwant:\n%s", got, want)
	}
}

func TestTippingAlongUnsortedNumericLevels(t *testing.T) {
	t.Parallel()
	// Levels listed out of order: sorted, the entrant's chance goes 0, 0, 1 over 0, 0.2, 0.4.
	text := "base: testdata/base.yaml\noutcome: final_share.entrant\nreplicates: 2\nfactors:\n  - path: interventions.0.share\n    values: [0.4, 0, 0.2]\n"
	wins := [][]string{{"entrant", "entrant"}, {"incumbent", "incumbent"}, {"incumbent", "incumbent"}}
	res := syntheticResult(t, text, func(p int) []string { return wins[p] }, func(Point) float64 { return 0.5 })
	want := "- incumbent's chance of winning passes below 1/2 at interventions.0.share ≈ 0.3\n" +
		"- entrant's chance of winning passes above 1/2 at interventions.0.share ≈ 0.3\n"
	if got := tippingSection(t, res); got != want {
		t.Errorf("tipping points:\n%s\nwant:\n%s", got, want)
	}
}

func TestNoTippingSentenceForSensitivityDesigns(t *testing.T) {
	t.Parallel()
	factors := "factors:\n  - path: platforms.entrant.appeal\n    uniform: {min: 0.2, max: 0.8}\n  - path: interventions.0.share\n    uniform: {min: 0, max: 0.5}\n"
	for _, design := range []string{"sobol\nsamples: 8", "morris\nsamples: 6\nlevels: 4"} {
		text := "base: testdata/base.yaml\noutcome: final_share.entrant\ndesign: " + design + "\n" + factors
		res := syntheticResult(t, text, func(int) []string { return []string{"incumbent"} },
			func(pt Point) float64 { return pt.Values[0].(float64) + 0.1*pt.Values[1].(float64) })
		if got := tippingSection(t, res); got != "" {
			t.Errorf("%s: summary.md has a tipping section:\n%s", design, got)
		}
	}
}

func TestTwoFactorRankingSorted(t *testing.T) {
	t.Parallel()
	// The mean moves by 0.01 along the first factor and by 0.4 along the second.
	text := "base: testdata/base.yaml\noutcome: final_share.entrant\nfactors:\n  - path: platforms.entrant.appeal\n    values: [0.2, 0.3]\n  - path: interventions.0.share\n    values: [0, 0.2, 0.4]\n"
	res := syntheticResult(t, text, func(int) []string { return []string{"incumbent"} },
		func(pt Point) float64 { return 0.1*pt.Values[0].(float64) + pt.Values[1].(float64) })
	a, err := WriteResults(openDir(t, t.TempDir(), output.DirOptions{}), res, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range a.Ranking {
		got = append(got, r.Factor)
	}
	if strings.Join(got, " ") != "interventions.0.share platforms.entrant.appeal" {
		t.Errorf("ranking %+v, want interventions.0.share first", a.Ranking)
	}
}

func TestTippingInATwoFactorGridWithAWordFactor(t *testing.T) {
	t.Parallel()
	// Only with share 0.2 does the rule change the winner.
	text := "base: testdata/base.yaml\noutcome: final_share.entrant\nfactors:\n  - path: decision.rule\n    values: [logit, threshold]\n  - path: interventions.0.share\n    values: [0, 0.2, 0.4]\n"
	winners := []string{"incumbent", "incumbent", "entrant", "incumbent", "entrant", "entrant"}
	res := syntheticResult(t, text, func(p int) []string { return []string{winners[p]} }, func(Point) float64 { return 0.5 })
	want := "- with interventions.0.share = 0.2: incumbent's chance of winning passes below 1/2 between decision.rule = logit and decision.rule = threshold\n" +
		"- with interventions.0.share = 0.2: entrant's chance of winning passes above 1/2 between decision.rule = logit and decision.rule = threshold\n"
	if got := tippingSection(t, res); got != want {
		t.Errorf("tipping points:\n%s\nwant:\n%s", got, want)
	}
}
