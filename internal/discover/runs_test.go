package discover

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// ReadRuns takes the factors from between seed and winner, leaves out those with words for
// values, and reads empty outcome cells as missing.
func TestReadRuns(t *testing.T) {
	dir := t.TempDir()
	table := "point,replicate,seed,interventions.1.share,decision.rule,winner,final_share.laiwang,time_to_50.laiwang\n" +
		"0,0,11,0.1,logit,wechat,0.2,\n" +
		"1,0,12,0.5,threshold,laiwang,0.7,40\n"
	for name, text := range map[string]string{"runs.csv": table, SummaryFile: "# done\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := ReadRuns(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Factors, []string{"interventions.1.share"}) || !slices.Equal(r.Skipped, []string{"decision.rule"}) ||
		!slices.Equal(r.Outcomes, []string{"final_share.laiwang", "time_to_50.laiwang"}) || !slices.Equal(r.Winners, []string{"wechat", "laiwang"}) {
		t.Fatalf("read %+v", r)
	}
	if !slices.Equal(r.X[0], []float64{0.1, 0.5}) || !math.IsNaN(r.Values[1][0]) || r.Values[1][1] != 40 {
		t.Errorf("values: X %v, outcomes %v", r.X, r.Values)
	}
	cond, err := ParseCondition("time_to_50.laiwang < 52", r.Outcomes)
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Where(cond); !slices.Equal(d.Y, []bool{false, true}) {
		t.Errorf("time_to_50.laiwang < 52 holds in %v, want only the second run (the first never got there)", d.Y)
	}
}

// A shard's directory holds part of a sweep's runs: discovery on it is refused with how to
// merge the shards.
func TestReadRunsRefusesAShard(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"manifest.json": `{"sha256": "x", "points": 4, "replicates": 1, "shard": {"index": 1, "count": 4}}`, "runs.journal": ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := ReadRuns(dir)
	want := "sweep results " + dir + ": a shard (1/4) of a sweep, with a part of its runs: merge the shards with msgsim sweep merge FILE SHARD_DIR... and discover in the merged directory"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}
