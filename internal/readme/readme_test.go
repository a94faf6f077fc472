package readme

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/scenarios"
)

func readREADME(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// README's marked blocks are well formed and are exactly the ones readmegen fills.
func TestREADMEBlocks(t *testing.T) {
	blocks, err := Blocks(readREADME(t))
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	var names []string
	for _, b := range blocks {
		names = append(names, b.Name)
	}
	slices.Sort(names)
	want := slices.Sorted(slices.Values(Generated))
	if !slices.Equal(names, want) {
		t.Errorf("README.md's blocks %v, want readmegen's %v", names, want)
	}
}

// Every figure of README's prose is in a marked block (generated) or on the allow-list with
// its source, and every allow-list entry is still used.
func TestREADMEFiguresHaveSources(t *testing.T) {
	used := map[string]bool{}
	for _, f := range Figures(readREADME(t)) {
		if _, ok := Allowed[f.Text]; !ok {
			t.Errorf("README.md:%d: %q is neither in a marked block nor on the allow-list (internal/readme/allowed.go): generate it with readmegen, or list it with its source", f.Line, f.Text)
		}
		used[f.Text] = true
	}
	for _, fig := range slices.Sorted(maps.Keys(Allowed)) {
		if !used[fig] {
			t.Errorf("allow-list entry %q (%s) is not in README.md's prose any more: remove it", fig, Allowed[fig])
		}
		if strings.TrimSpace(Allowed[fig]) == "" {
			t.Errorf("allow-list entry %q has no source", fig)
		}
	}
}

// The figures README quotes from the heatmap sweep follow from the sweep output README shows
// and the duel scenario's switching cost, so a hand edit of either is caught.
func TestREADMETippingFiguresFollowTheSweep(t *testing.T) {
	text := readREADME(t)
	blocks, err := Blocks(text)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, b := range blocks {
		got[b.Name] = b.Content
	}
	sc, err := scenarios.Load(filepath.Join("../..", DuelScenario), nil)
	if err != nil {
		t.Fatal(err)
	}
	cost, err := WeChatSwitchingCost(sc)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Tipping(got["heatmap-tipping"], cost)
	if err != nil {
		t.Fatalf("README's heatmap-tipping block: %v", err)
	}
	for name, v := range want {
		if got[name] != v {
			t.Errorf("README block %s = %q, want %q (from the heatmap-tipping block)", name, got[name], v)
		}
	}
}

func TestBlocksErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"a\n<!-- end -->", "line 2: <!-- end --> without a <!-- begin: NAME --> before it"},
		{"<!-- begin: a -->x", `line 1: block "a" has no <!-- end -->`},
		{"<!-- begin: a -->\n<!-- begin: b --><!-- end -->", `line 2: block "b" begins before block "a" (line 1) ends`},
		{"<!-- begin: a --><!-- end -->\n<!-- begin: a --><!-- end -->", `line 2: block "a" is already used on line 1`},
		{"<!-- begin: Tip_1 --><!-- end -->", `line 1: block name "Tip_1": use lower-case letters and digits in words joined by '-'`},
		{"<!-- begin:a --><!-- end -->", `line 1: malformed marker "<!-- begin:a -->": write <!-- begin: NAME --> or <!-- end -->`},
		{"<!-- end here -->", `line 1: malformed marker "<!-- end here -->": write <!-- begin: NAME --> or <!-- end -->`},
	} {
		_, err := Blocks(tc.text)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Blocks(%q) = %v, want %q", tc.text, err, tc.want)
		}
	}
}

func TestReplace(t *testing.T) {
	text := "a <!-- begin: x -->1<!-- end --> b\n<!-- begin: y -->\nold\n<!-- end -->\n"
	got, err := Replace(text, map[string]string{"x": "22", "y": "\nnew\n"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "a <!-- begin: x -->22<!-- end --> b\n<!-- begin: y -->\nnew\n<!-- end -->\n"; got != want {
		t.Errorf("Replace = %q, want %q", got, want)
	}
	if _, err := Replace(text, map[string]string{"x": "1"}); err == nil || err.Error() != `line 2: no value for block "y"` {
		t.Errorf("missing value: %v", err)
	}
	if _, err := Replace(text, map[string]string{"x": "1", "y": "2", "z": "3"}); err == nil || err.Error() != "no <!-- begin: z --> block in the text for its value" {
		t.Errorf("value without a block: %v", err)
	}
}

func TestFigures(t *testing.T) {
	text := "Version 1.26 has 3,584 runs, ~25% faster, 1e7 agents, 45M users; int64, p5, v0.17 and 2 are not.\n" +
		"`--set x=0.4` <!-- begin: b -->17%<!-- end --> [link](docs/a_2.png) <!-- a 99 -->\n" +
		"```\n1234\n```\n" +
		"\n    8 N + 4 E\n" +
		"end 7.5.\n"
	var got []string
	for _, f := range Figures(text) {
		got = append(got, f.Text+"@"+string(rune('0'+f.Line)))
	}
	want := []string{"1.26@1", "3,584@1", "25%@1", "1e7@1", "45@1", "7.5@8"}
	if !slices.Equal(got, want) {
		t.Errorf("Figures = %v, want %v", got, want)
	}
}

const tippingOut = `Preinstall vs switching cost: 42 points x 4 replicates = 168 runs (0 resumed) in 2.8s
  1. interventions.1.share (largest range of the mean along it 0.853)
  with platforms.wechat.switching_cost = 0: laiwang's chance of winning passes above 1/2 at interventions.1.share ≈ 0.1
  with platforms.wechat.switching_cost = 0.8: laiwang's chance of winning passes above 1/2 at interventions.1.share ≈ 0.167
  with platforms.wechat.switching_cost = 1.2: laiwang's chance of winning passes above 1/2 at interventions.1.share ≈ 0.2
  with platforms.wechat.switching_cost = 2: laiwang's chance of winning passes above 1/2 at interventions.1.share ≈ 0.25
results in out/x (see summary.md)
`

func TestTipping(t *testing.T) {
	got, err := Tipping(tippingOut, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"tip-zero":                "10%",
		"tip-scenario":            "18%", // halfway between 0.167 and 0.2
		"tip-bracket":             "17% at 0.8, 20% at 1.2",
		"tip-highest":             "25% at 2",
		"scenario-switching-cost": "1.0",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	block := got["heatmap-tipping"]
	if !strings.HasPrefix(block, "\n```text\n$ msgsim sweep sweeps/preinstall_vs_switching.yaml\n  with platforms.wechat.switching_cost = 0:") || strings.Count(block, "\n  with ") != 4 || !strings.HasSuffix(block, "≈ 0.25\n```\n") {
		t.Errorf("heatmap-tipping block:\n%s", block)
	}
	// The block reads back to the same figures.
	again, err := Tipping(block, 1)
	if err != nil || !maps.Equal(again, got) {
		t.Errorf("Tipping(its own block) = %v, %v; want %v", again, err, got)
	}
	// At a swept level, no interpolation.
	if got, _ := Tipping(tippingOut, 0.8); got["tip-scenario"] != "17%" || got["tip-bracket"] != "17% at 0.8" {
		t.Errorf("at 0.8: %q, %q", got["tip-scenario"], got["tip-bracket"])
	}
	if _, err := Tipping("no tipping here\n", 1); err == nil || !strings.Contains(err.Error(), "printed 0 tipping lines") {
		t.Errorf("no lines: %v", err)
	}
	if _, err := Tipping(tippingOut, 3); err == nil || err.Error() != "msgsim sweep sweeps/preinstall_vs_switching.yaml: no tipping line at or above the scenario's switching cost 3" {
		t.Errorf("cost beyond the grid: %v", err)
	}
}

func TestFitFiguresAndRuns(t *testing.T) {
	got, err := FitFigures([]byte(`{"runs": 1300, "observations": [{"observed": 50, "simulated": 53.475}, {"observed": 271.9, "simulated": 249.85}]}`))
	if err != nil {
		t.Fatal(err)
	}
	// |53.475-50|/50 = 6.95%, |249.85-271.9|/271.9 = 8.11%: rounded up, 9%.
	if want := map[string]string{"fit-runs": "1,300", "fit-worst": "9%"}; !maps.Equal(got, want) {
		t.Errorf("FitFigures = %v, want %v", got, want)
	}
	got, err = SensitivityRuns("ok sweeps/sensitivity.yaml (sweep What drives Laiwang's share: design sobol, 5 factors, 1792 points x 2 replicates = 3584 runs)\n")
	if err != nil || got["sensitivity-runs"] != "3,584" {
		t.Errorf("SensitivityRuns = %v, %v", got, err)
	}
}
