package readme

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// RecordTable is README's story-record block: the default run's summary.json record table as
// a Markdown table (each published figure against the model's mean and 5-95% band at its
// date, in people), and story-in-band, how many of the figures lie within 20% of the mean
// and how many inside the band.
func RecordTable(summaryJSON []byte) (map[string]string, error) {
	var summary struct {
		Record []struct {
			Date     string   `json:"date"`
			Platform string   `json:"platform"`
			Metric   string   `json:"metric"`
			Series   string   `json:"series"`
			Record   float64  `json:"record"`
			Mean     float64  `json:"model_mean"`
			P5       float64  `json:"model_p5"`
			P95      float64  `json:"model_p95"`
			Error    *float64 `json:"relative_error"`
			InBand   bool     `json:"in_band"`
		} `json:"record"`
	}
	if err := json.Unmarshal(summaryJSON, &summary); err != nil {
		return nil, fmt.Errorf("summary.json: %w", err)
	}
	var b strings.Builder
	b.WriteString("\n| date | published figure | record | model: mean (5-95%) | miss |\n|---|---|---|---|---|\n")
	within, inBand, figures := 0, 0, 0
	for _, r := range summary.Record {
		if r.Error == nil {
			continue // a launch at zero: no relative miss to show
		}
		figures++
		if math.Abs(*r.Error) <= 0.2 {
			within++
		}
		if r.InBand {
			inBand++
		}
		fmt.Fprintf(&b, "| %s | %s %s (against %s) | %s | %s (%s-%s) | %+.0f%% |\n", r.Date, r.Platform, r.Metric,
			strings.ReplaceAll(r.Series, "_", " "), millions(r.Record), millions(r.Mean), millions(r.P5), millions(r.P95), 100**r.Error)
	}
	if figures == 0 {
		return nil, fmt.Errorf("summary.json: no record figures (does the default scenario name its record?)")
	}
	return map[string]string{
		"story-record":  b.String(),
		"story-in-band": fmt.Sprintf("%d of %d figures within 20%% of the model's mean, %d inside its 5-95%% band", within, figures, inBand),
	}, nil
}

// LeversCommand is the Sobol sweep of the story's levers on the fitted default scenario.
const LeversCommand = "msgsim sweep sweeps/story_levers.yaml"

// LeversTable is README's story-levers block: the "What matters most" table of the levers
// sweep's summary.md.
func LeversTable(summaryMD []byte) (map[string]string, error) {
	_, rest, ok := strings.Cut(string(summaryMD), "## What matters most\n")
	if !ok {
		return nil, fmt.Errorf("%s: summary.md has no \"What matters most\" section", LeversCommand)
	}
	table, _, _ := strings.Cut(strings.TrimLeft(rest, "\n"), "\n\n")
	if !strings.HasPrefix(table, "| rank |") {
		return nil, fmt.Errorf("%s: summary.md's \"What matters most\" section holds no table", LeversCommand)
	}
	return map[string]string{"story-levers": "\n" + table + "\n"}, nil
}
