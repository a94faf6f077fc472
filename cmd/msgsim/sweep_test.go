package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/msgsim/msgsim/internal/sweep"
)

// TestMain lets a test re-run this binary as the msgsim command, to kill it for real.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("MSGSIM_TEST_ARGS"); ok {
		os.Exit(runMain(strings.Split(args, "\x1f")))
	}
	os.Exit(m.Run())
}

func sweepTables(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, name := range []string{"runs.csv", "points.csv", "runs.parquet", "points.parquet"} {
		out[name] = readFile(t, filepath.Join(dir, name))
	}
	return out
}

func TestSweepCommand(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "sw")
	stdout, stderr, code := runCLI(t, "sweep", "testdata/sweep.yaml", "-o", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"runs.csv", "points.csv", "runs.parquet", "points.parquet", "heatmap.png", "heatmap.svg", "summary.md", "sweep.yaml", "manifest.json", sweep.JournalFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s missing", f)
		}
	}
	if !strings.Contains(stdout, "30 points x 3 replicates = 90 runs") || !strings.Contains(stdout, "entrant's chance of winning") {
		t.Errorf("stdout:\n%s", stdout)
	}
	summary := string(readFile(t, filepath.Join(dir, "summary.md")))
	for _, want := range []string{"# Preinstall against switching cost", "## What matters most", "## Tipping points", "`heatmap.png`"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary.md lacks %q", want)
		}
	}
	_, stderr, code = runCLI(t, "sweep", "testdata/sweep.yaml", "-o", dir)
	if code != 1 || !strings.Contains(stderr, "holds earlier results (use --resume to finish an interrupted sweep, --force to start over") {
		t.Errorf("second sweep into the same directory: exit %d, %s", code, stderr)
	}
}

func TestSweepDryRunAndErrors(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runCLI(t, "sweep", "testdata/sweep.yaml", "--dry-run")
	if code != 0 || !strings.Contains(stdout, "design grid, 2 factors, 30 points x 3 replicates = 90 runs") || !strings.Contains(stdout, "memory about") {
		t.Errorf("dry run: exit %d, %q %q", code, stdout, stderr)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"sweep", "testdata/sweep.yaml", "--resume", "--force"}, 2, "error: --resume and --force contradict each other: finish the sweep, or start it over\n"},
		{[]string{"sweep", "testdata/sweep.yaml", "--format", "gif"}, 2, "error: invalid argument \"gif\" for \"--format\" flag: must be one of png, svg, parquet, csv\n"},
		{[]string{"sweep", "nope.yaml"}, 1, "error: sweep nope.yaml: file not found\n"},
	} {
		_, stderr, code := runCLI(t, tc.args...)
		if code != tc.code || stderr != tc.want {
			t.Errorf("%v: exit %d, %q; want %d, %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
}

// TestSweepSurvivesKill kills a real msgsim sweep process with SIGKILL mid-way, resumes it,
// and checks the final tables equal an uninterrupted sweep's byte for byte. The sweep must
// still be running when it is killed: it runs on one worker and is killed as soon as it has
// journalled a run. Should it finish first all the same (a starved test process), the test
// tries again with ten times the replicates, and fails if even that finishes.
func TestSweepSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	t.Parallel()
	for _, replicates := range []int{3, 30} {
		file := longSweep(t, replicates)
		runs := 30 * replicates
		dir := filepath.Join(t.TempDir(), "killed")
		cmd, _ := startMsgsim(t, "sweep", file, "-o", dir, "-q", "--format", "parquet", "--workers", "1")
		journal := filepath.Join(dir, sweep.JournalFile)
		journalled := func() int { b, _ := os.ReadFile(journal); return bytes.Count(b, []byte("\n")) }
		waitFor(t, cmd, "journalling runs", func() bool { return journalled() >= 1 })
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		if n := journalled(); n >= runs {
			t.Logf("the sweep finished (%d runs) before it could be killed; trying a longer one", n)
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "points.csv")); err == nil {
			t.Fatal("a killed sweep wrote its final tables")
		}
		stdout, stderr, code := runCLI(t, "sweep", file, "-o", dir, "--resume", "--format", "parquet")
		if code != 0 {
			t.Fatalf("resume: exit %d: %s", code, stderr)
		}
		if !strings.Contains(stdout, "resumed)") || strings.Contains(stdout, "(0 resumed)") {
			t.Errorf("resume did not reuse the journal: %s", stdout)
		}
		whole := filepath.Join(t.TempDir(), "whole")
		if _, stderr, code := runCLI(t, "sweep", file, "-o", whole, "-q", "--format", "parquet"); code != 0 {
			t.Fatal(stderr)
		}
		tw, tk := sweepTables(t, whole), sweepTables(t, dir)
		for name := range tw {
			if !bytes.Equal(tw[name], tk[name]) {
				t.Errorf("%s after kill and resume differs from the uninterrupted sweep", name)
			}
		}
		return
	}
	t.Fatal("the sweep finished before it could be killed, even with 30 replicates")
}

// The dry run measures the machine as it is now: its probe runs on every worker at once, so
// a loaded machine (fewer free cores, slower ones) shows in the estimate, and it says so.
func TestSweepDryRunMeasuresNow(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := runCLI(t, "sweep", "testdata/sweep.yaml", "--dry-run", "--workers", "2")
	want := regexp.MustCompile(`^Preinstall against switching cost: design grid, 2 factors, 30 points x 3 replicates = 90 runs\n` +
		`measured now on this machine: [0-9.]+ runs/s on 2 workers \([0-9]+ runs of 20 of the first point's 60 steps, 2 at a time, in [0-9.]+m?s\)\n` +
		`estimate: about [0-9hms.]+ in all; memory about [0-9.]+ [KMG]?i?B\n$`)
	if code != 0 || !want.MatchString(stdout) {
		t.Errorf("dry run: exit %d, stdout %q, stderr %q; want %s", code, stdout, stderr, want)
	}

	// Each probe run waits until all three workers are inside one at the same time, so the
	// probe finishes only if it runs on every worker at once (a serial probe times out).
	var inside atomic.Int32
	var runs atomic.Int32
	allInside := make(chan struct{})
	probe := func(context.Context) error {
		runs.Add(1)
		if inside.Add(1) == 3 {
			close(allInside)
		}
		select {
		case <-allInside:
			return nil
		case <-time.After(10 * time.Second):
			return errors.New("fewer than 3 probe runs at once")
		}
	}
	n, elapsed, err := probeThroughput(context.Background(), probe, 3, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if n != int(runs.Load()) || n < 3 || elapsed < 20*time.Millisecond {
		t.Errorf("probe: %d runs counted (%d made) in %s, want at least 3 over at least 20ms", n, runs.Load(), elapsed)
	}
}

// TestSweepCountsItsRecords: a sweep's memory estimate includes what grows with its runs (jobs,
// records, tables), not only the runs at once.
func TestSweepCountsItsRecords(t *testing.T) {
	t.Parallel()
	err := runSweep(context.Background(), &SweepOptions{
		Streams: &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, File: "testdata/sweep.yaml", Workers: 2, DryRun: true, MemoryLimit: 1024,
	})
	want := "sweep testdata/sweep.yaml needs about 266.7 KiB (2 runs at once of about 111.2 KiB each, and 44.3 KiB for the records of 90 runs) but only 1.0 KiB is available; use fewer --workers, or fewer points or replicates"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}
