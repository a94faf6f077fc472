package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/output"
	"github.com/msgsim/msgsim/scenarios"
)

// TestMetricIsOneEntry: a metric is one entry of evaluate.Metrics. A test-only entry,
// appended with nothing else changed, is a valid sweep outcome, a column of the sweep's runs
// table, and a key of summary.json's platforms (a distribution) and runs (a value).
// Calibration targets are not metrics: they compare data over dates with per-step series
// (evaluate.Measures), and a metric is one number per run.
//
// Not parallel: it swaps the table, which the package's parallel tests read once it is back.
func TestMetricIsOneEntry(t *testing.T) {
	saved := evaluate.Metrics
	t.Cleanup(func() { evaluate.Metrics = saved })
	// The last step plus the platform's index: a value the test can predict per run.
	evaluate.Metrics = append(slices.Clone(saved), evaluate.Metric{
		Name: "test_last_step", SummaryKey: "test_last_step_key", Unit: "step", Description: "the run's last step plus the platform's index",
		Value: func(s *model.Series, j int) float64 { return float64(s.Steps + j) },
	})

	// The sweep: the new name is a valid outcome, and each run's table row carries its value.
	plan := mustPlanText(t, "base: testdata/base.yaml\nreplicates: 2\noutcome: test_last_step.entrant\noutcomes: [test_last_step]\nfactors:\n  - path: steps\n    values: [10, 12]\n", "metric.yaml", ".")
	dir := t.TempDir()
	runAll(t, plan, dir, 2, false)
	rows, col := runsTable(t, dir)
	steps, incumbent, entrant := col("steps"), col("test_last_step.incumbent"), col("test_last_step.entrant")
	if len(rows) != 1+4 {
		t.Fatalf("runs.csv has %d rows, want 4 runs", len(rows)-1)
	}
	for _, row := range rows[1:] {
		n, _ := strconv.Atoi(row[steps])
		if row[incumbent] != strconv.Itoa(n) || row[entrant] != strconv.Itoa(n+1) {
			t.Errorf("run at steps=%s: test metric %s, %s; want %d, %d", row[steps], row[incumbent], row[entrant], n, n+1)
		}
	}

	// summary.json: the key follows the shipped metrics, in platforms and in runs.
	sc, err := scenarios.Load("testdata/base.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	runs, err := evaluate.Series(context.Background(), &sc.Config, evaluate.Replicates(0, sc.File.Seed, 2), evaluate.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := output.WriteJSON(&buf, evaluate.ScenarioSummary(sc, runs)); err != nil {
		t.Fatal(err)
	}
	var summary struct {
		Platforms []map[string]json.RawMessage `json:"platforms"`
		Runs      []struct {
			Platforms []map[string]json.RawMessage `json:"platforms"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &summary); err != nil {
		t.Fatal(err)
	}
	want := func(j int) string { return strconv.Itoa(sc.Config.Steps + j) }
	for j, p := range summary.Platforms {
		var st evaluate.Stat
		if err := json.Unmarshal(p["test_last_step_key"], &st); err != nil || st.N != 2 || st.Mean == nil || strconv.FormatFloat(*st.Mean, 'f', -1, 64) != want(j) {
			t.Errorf("summary.json platform %d: test_last_step_key = %s, want a distribution of 2 values with mean %s", j, p["test_last_step_key"], want(j))
		}
	}
	for r, run := range summary.Runs {
		for j, p := range run.Platforms {
			if got := string(p["test_last_step_key"]); got != want(j) {
				t.Errorf("summary.json run %d platform %d: test_last_step_key = %q, want %s", r, j, got, want(j))
			}
		}
	}
}
