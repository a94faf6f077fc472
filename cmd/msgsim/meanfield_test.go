package main

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// run --mean-field writes meanfield.csv with the twin beside the agents' means, draws the twin
// on the users charts, and prints where it ends against the agents.
func TestRunMeanField(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	stdout, stderr, code := runCLI(t, "run", "bass_meanfield", "--mean-field", "-o", dir, "--replicates", "2", "--set", "agents=5000", "--set", "steps=120")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "mean-field twin (complete-graph limit), active users as % of agents:\n  product      twin ") {
		t.Errorf("stdout lacks the twin's summary:\n%s", stdout)
	}
	rows := strings.Split(strings.TrimSpace(string(readFile(t, filepath.Join(dir, "meanfield.csv")))), "\n")
	if rows[0] != "step,platform,twin_users,twin_registered,users_mean,registered_mean" || len(rows) != 122 {
		t.Fatalf("meanfield.csv: header %q, %d rows, want 122", rows[0], len(rows))
	}
	// The twin of Bass's model is the discrete Bass map (model/meanfield tests it exactly);
	// here its value at step 60 reaches the file, in agents, and lies near the agents' mean.
	const n, p, q = 5000.0, 0.0025, 0.031667
	f := 0.0
	for range 60 {
		f += (1 - f) * (1 - math.Exp(-(p + q*f*n/(n-1))))
	}
	cells := strings.Split(rows[61], ",")
	twin, _ := strconv.ParseFloat(cells[2], 64)
	agents, _ := strconv.ParseFloat(cells[4], 64)
	if cells[0] != "60" || math.Abs(twin-f*n) > 1e-5 || math.Abs(agents-twin) > 0.05*n {
		t.Errorf("step 60: %v, want twin %.6f and the agents within 5 points of it", cells, f*n)
	}
	for _, name := range []string{"adoption.svg", "registered.svg"} {
		if !strings.Contains(string(readFile(t, filepath.Join(dir, name))), "dashed: mean-field twin") {
			t.Errorf("%s does not name the twin", name)
		}
	}
	if strings.Contains(string(readFile(t, filepath.Join(dir, "share.svg"))), "dashed: mean-field twin") {
		t.Errorf("share.svg has a twin; only the users charts have one")
	}
}

// A setting the twin does not model is refused before anything runs, naming it.
func TestRunMeanFieldRefuses(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	_, stderr, code := runCLI(t, "run", "bass_meanfield", "--mean-field", "-o", dir, "--set", "decision.update=random_sequential")
	want := "error: run embedded:bass_meanfield --mean-field: the mean-field twin does not model random_sequential updating: it solves the synchronous update\n"
	if code != 1 || stderr != want {
		t.Errorf("exit %d, stderr %q, want %q", code, stderr, want)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the output directory was created: %v", err)
	}
}
