package readme

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/msgsim/msgsim/scenarios"
)

// The commands behind README's figures, as a reader types them (msgsim installed, in the
// repository's root). readmegen runs them with -o into a scratch directory.
const (
	RunCommand         = "msgsim run"
	HeatmapCommand     = "msgsim sweep sweeps/preinstall_vs_switching.yaml"
	SensitivityCommand = "msgsim validate sweeps/sensitivity.yaml"
	FitCommand         = "msgsim calibrate calibrations/story.yaml"
	// CompareBaseline and CompareCounterfactual are the runs `msgsim compare` sets side by
	// side in README: the default scenario, and the same with CompareSet.
	CompareBaseline       = "laiwang_vs_wechat"
	CompareCounterfactual = "laiwang_2011"
	CompareSet            = "platforms.laiwang.launch=2011-01-21"
	CompareCommand        = "msgsim compare out/" + CompareBaseline + " out/" + CompareCounterfactual
	// DuelScenario is the heatmap sweep's base, whose WeChat switching cost README quotes.
	DuelScenario = "scenarios/preinstall_duel.yaml"
)

// Generated names every block readmegen fills: README has each of them once, and no other.
var Generated = []string{
	"compare-laiwang-2011",
	"discover-laiwang-wins",
	"fit-runs", "fit-worst",
	"heatmap-tipping", "scenario-switching-cost", "tip-bracket", "tip-highest", "tip-scenario", "tip-zero",
	"sensitivity-runs",
	SpeedBlock,
	"story-in-band", "story-levers", "story-record",
	"twin-networks",
}

// tippingRE reads the heatmap sweep's tipping sentences (internal/sweep/analysis.go's boundarySentences).
var tippingRE = regexp.MustCompile(`with platforms\.wechat\.switching_cost = ([0-9.e+-]+): laiwang's chance of winning passes above 1/2 at interventions\.1\.share ≈ ([0-9.e+-]+)`)

// Tipping turns the heatmap sweep's output into README's heatmap-tipping block and the figures
// quoted from it: where Laiwang's chance of winning passes 1/2 with no switching cost
// (tip-zero), at the default scenario's switching cost (tip-scenario, interpolated between
// the two rows around it, which tip-bracket gives) and at the highest swept (tip-highest).
// out is the sweep's standard output, or the block itself, whose lines it keeps.
func Tipping(out string, scenarioCost float64) (map[string]string, error) {
	type row struct{ cost, share float64 }
	var rows []row
	var lines []string
	for line := range strings.Lines(out) {
		m := tippingRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		cost, err1 := strconv.ParseFloat(m[1], 64)
		share, err2 := strconv.ParseFloat(m[2], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("tipping line %q: unreadable numbers", strings.TrimSpace(line))
		}
		if len(rows) > 0 && cost <= rows[len(rows)-1].cost {
			return nil, fmt.Errorf("tipping line %q: switching costs out of order or repeated (two crossings in a row?)", strings.TrimSpace(line))
		}
		rows = append(rows, row{cost, share})
		lines = append(lines, "  "+strings.TrimSpace(line))
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s printed %d tipping lines (\"with platforms.wechat.switching_cost = X: laiwang's chance of winning passes above 1/2 at interventions.1.share ≈ Y\"), want one per switching cost", HeatmapCommand, len(rows))
	}
	if rows[0].cost != 0 {
		return nil, fmt.Errorf("%s: the first tipping line is at switching cost %g, want 0 (the no-switching-cost case README quotes)", HeatmapCommand, rows[0].cost)
	}
	hi := slices.IndexFunc(rows, func(r row) bool { return r.cost >= scenarioCost })
	if hi < 0 {
		return nil, fmt.Errorf("%s: no tipping line at or above the scenario's switching cost %g", HeatmapCommand, scenarioCost)
	}
	pct := func(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) }
	at := func(r row) string { return fmt.Sprintf("%s at %g", pct(r.share), r.cost) }
	var scenarioShare float64
	var bracket string
	if rows[hi].cost == scenarioCost || hi == 0 {
		scenarioShare, bracket = rows[hi].share, at(rows[hi])
	} else {
		a, b := rows[hi-1], rows[hi]
		scenarioShare = a.share + (b.share-a.share)*(scenarioCost-a.cost)/(b.cost-a.cost)
		bracket = at(a) + ", " + at(b)
	}
	return map[string]string{
		"heatmap-tipping":         "\n```text\n$ " + HeatmapCommand + "\n" + strings.Join(lines, "\n") + "\n```\n",
		"tip-zero":                pct(rows[0].share),
		"tip-scenario":            pct(scenarioShare),
		"tip-bracket":             bracket,
		"tip-highest":             at(rows[len(rows)-1]),
		"scenario-switching-cost": strconv.FormatFloat(scenarioCost, 'f', 1, 64),
	}, nil
}

var runsRE = regexp.MustCompile(`= ([0-9]+) runs\)`)

// SensitivityRuns reads the number of runs from `msgsim validate` on the Sobol sweep.
func SensitivityRuns(out string) (map[string]string, error) {
	m := runsRE.FindStringSubmatch(out)
	if m == nil {
		return nil, fmt.Errorf("%s printed %q, with no \"= N runs)\"", SensitivityCommand, strings.TrimSpace(out))
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return nil, fmt.Errorf("%s: runs %q: %w", SensitivityCommand, m[1], err)
	}
	return map[string]string{"sensitivity-runs": thousands(n)}, nil
}

// thousands writes n with commas between groups of three digits: 3,584.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// millions rounds people to what README says: 44M, 298M, 3.6M, 0.8M.
func millions(people float64) string {
	m := people / 1e6
	if m >= 10 {
		return fmt.Sprintf("%.0fM", m)
	}
	return fmt.Sprintf("%.1fM", m)
}

// FitFigures reads the WeChat fit's fit.json: its simulation runs (fit-runs) and its worst
// relative miss of an observed figure, rounded up to a whole percent (fit-worst).
func FitFigures(fitJSON []byte) (map[string]string, error) {
	var fit struct {
		Runs         int `json:"runs"`
		Observations []struct {
			Observed  float64 `json:"observed"`
			Simulated float64 `json:"simulated"`
		} `json:"observations"`
	}
	if err := json.Unmarshal(fitJSON, &fit); err != nil {
		return nil, fmt.Errorf("fit.json: %w", err)
	}
	if len(fit.Observations) == 0 || fit.Runs == 0 {
		return nil, fmt.Errorf("fit.json: no runs or observations")
	}
	worst := 0.0
	for i, o := range fit.Observations {
		if o.Observed <= 0 {
			return nil, fmt.Errorf("fit.json: observation %d: observed %g, want > 0 for a relative error", i+1, o.Observed)
		}
		worst = max(worst, math.Abs(o.Simulated-o.Observed)/o.Observed)
	}
	return map[string]string{
		"fit-runs":  thousands(fit.Runs),
		"fit-worst": fmt.Sprintf("%.0f%%", math.Ceil(100*worst)),
	}, nil
}

// WeChatSwitchingCost is the duel scenario's WeChat switching cost, the row of the heatmap
// README quotes.
func WeChatSwitchingCost(sc *scenarios.Scenario) (float64, error) {
	for _, p := range sc.Config.Platforms {
		if p.Name == "wechat" {
			return p.SwitchingCost, nil
		}
	}
	return 0, fmt.Errorf("%s has no wechat platform", sc.Source)
}

// CompareTable is README's compare-laiwang-2011 block: CompareCommand and the table it
// prints, without the line naming the output directory (readmegen's is a scratch one).
func CompareTable(out string) (map[string]string, error) {
	var lines []string
	for line := range strings.Lines(out) {
		if strings.HasPrefix(line, "results in ") {
			break
		}
		lines = append(lines, strings.TrimRight(line, "\n"))
	}
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "RUN ") {
		return nil, fmt.Errorf("%s printed %q, with no table", CompareCommand, strings.TrimSpace(out))
	}
	return map[string]string{"compare-laiwang-2011": "\n```text\n$ " + CompareCommand + "\n" + strings.Join(lines, "\n") + "\n```\n"}, nil
}
