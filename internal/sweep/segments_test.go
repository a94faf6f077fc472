package sweep

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// TestSegmentOutcomes: a sweep of a scenario with segments records every segment metric per
// platform and segment (METRIC.PLATFORM.SEGMENT), can analyse one, and the segments' final
// users add up to the platform's in every run.
func TestSegmentOutcomes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	base, err := os.ReadFile("testdata/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	scenario := append(base, "segments:\n  loyal: {share: 0.2, platforms: {entrant: {appeal: -1}}}\n"...)
	if err := os.WriteFile(filepath.Join(dir, "seg.yaml"), scenario, 0o644); err != nil {
		t.Fatal(err)
	}
	plan := mustPlanText(t, "base: seg.yaml\nreplicates: 2\noutcome: final_users.entrant.loyal\noutcomes: [final_users, final_share]\nfactors:\n  - path: segments.loyal.share\n    values: [0.1, 0.3]\n", "s.yaml", dir)
	out := filepath.Join(dir, "out")
	runAll(t, plan, out, 2, false)
	rows, col := runsTable(t, out)
	total, rest, loyal := col("final_users.entrant"), col("final_users.entrant.rest"), col("final_users.entrant.loyal")
	col("final_share.incumbent.loyal")
	if slices.Contains(rows[0], "final_registered.entrant.loyal") {
		t.Error("runs.csv keeps final_registered.entrant.loyal, which outcomes: leaves out")
	}
	for _, row := range rows[1:] {
		a, _ := strconv.ParseFloat(row[rest], 64)
		b, _ := strconv.ParseFloat(row[loyal], 64)
		if c, _ := strconv.ParseFloat(row[total], 64); a+b != c {
			t.Errorf("segments' final users %s + %s != %s", row[rest], row[loyal], row[total])
		}
	}
}
