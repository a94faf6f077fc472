package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestRunWritesSegments: a scenario with segments gets segments.csv, whose users add up over
// the segments to series.csv's for every replicate, step and platform, and the segments
// chart; a scenario without segments gets neither.
func TestRunWritesSegments(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	scenario := filepath.Join(tmp, "seg.yaml")
	text := "agents: 500\nsteps: 6\nreplicates: 2\nplatforms:\n  a: {p: 0.05, q: 0.3}\n  b: {p: 0.02, q: 0.3}\n" +
		"segments:\n  vip: {share: 0.1, platforms: {b: {appeal: 1}}}\n  hubs: {count: 20, assign: top_degree}\n"
	if err := os.WriteFile(scenario, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "out")
	if _, stderr, code := runCLI(t, "run", scenario, "-o", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"segments.csv", "segments.png", "segments.svg"} {
		if info, err := os.Stat(filepath.Join(dir, f)); err != nil || info.Size() == 0 {
			t.Errorf("%s missing or empty", f)
		}
	}
	// users by (replicate, step, platform): series.csv's, and the sum of segments.csv's.
	users := func(name string, userCol int) map[[3]string]int {
		rows, err := csv.NewReader(bytes.NewReader(readFile(t, filepath.Join(dir, name)))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		sums := map[[3]string]int{}
		for _, row := range rows[1:] {
			n, _ := strconv.Atoi(row[userCol])
			sums[[3]string{row[0], row[1], row[userCol-1]}] += n
		}
		return sums
	}
	series, segments := users("series.csv", 3), users("segments.csv", 4)
	if len(series) != 2*7*2 || len(segments) != len(series) {
		t.Fatalf("%d series cells, %d segment cells; want 28", len(series), len(segments))
	}
	for k, n := range series {
		if segments[k] != n {
			t.Errorf("replicate %s step %s platform %s: segments add up to %d users, series.csv says %d", k[0], k[1], k[2], segments[k], n)
		}
	}

	plain := filepath.Join(tmp, "plain")
	if _, stderr, code := runCLI(t, "run", "bass_meanfield", "-o", plain, "--set", "agents=200"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"segments.csv", "segments.png"} {
		if _, err := os.Stat(filepath.Join(plain, f)); err == nil {
			t.Errorf("%s written for a scenario without segments", f)
		}
	}
}
