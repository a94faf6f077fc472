package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/msgsim/msgsim/internal/golden"
	"github.com/msgsim/msgsim/internal/sweep"
)

// slurmCLI runs msgsim with args, --slurm's measurement faked at perCore runs per second on
// one core, the program and working directory fixed.
func slurmCLI(t *testing.T, perCore float64, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	streams := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	root := NewCmdRoot(streams)
	for _, c := range root.Commands() {
		if c.Name() == "sweep" {
			root.RemoveCommand(c)
		}
	}
	root.AddCommand(NewCmdSweep(streams, func(ctx context.Context, opts *SweepOptions) error {
		opts.measure = func(context.Context, *sweep.Plan, int) (throughput, error) {
			return throughput{RunsPerSecond: perCore, Workers: 1, Probes: 5, ProbeSteps: 20, Steps: 60, Elapsed: 500 * time.Millisecond}, nil
		}
		opts.Slurm.Program, opts.Slurm.WorkDir = "/opt/my tools/msgsim", "/home/ann/project"
		return runSweep(ctx, opts)
	}))
	root.SetArgs(args)
	code := 0
	if err := root.ExecuteContext(context.Background()); err != nil {
		printError(streams, err)
		code = 1
	}
	return out.String(), errOut.String(), code
}

// TestSlurmScript: --slurm writes the job array script into the shards' directory; the
// golden file holds it for a sweep of 90 runs measured at 0.01 runs/s per core: 2.5 hours,
// so 3 shards of about an hour, each asking 3 x 50 minutes.
func TestSlurmScript(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "res")
	stdout, stderr, code := slurmCLI(t, 0.01, "sweep", "testdata/sweep.yaml", "--slurm", "-o", out, "--partition", "short")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	script := filepath.Join(out+".shards", "sweep.sbatch")
	want := fmt.Sprintf("Preinstall against switching cost: 90 runs in 3 shards of 30 runs (2:31:00, 101M each); results in %s\nsubmit with: sbatch %s\n", out, script)
	if stdout != want {
		t.Errorf("stdout %q\nwant   %q", stdout, want)
	}
	b := readFile(t, script)
	golden.Check(t, "testdata/sweep.sbatch.golden", bytes.ReplaceAll(b, []byte(filepath.Dir(out)), []byte("/scratch")))
	if info, err := os.Stat(script); err != nil || info.Mode().Perm()&0o100 == 0 {
		t.Errorf("the script is not executable: %v %v", info.Mode(), err)
	}
}

// TestSlurmOptions: --slurm's resources as given, and the options it refuses.
func TestSlurmOptions(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "res")
	_, stderr, code := slurmCLI(t, 10, "sweep", "testdata/sweep.yaml", "--slurm", "-o", out, "--shards", "90", "--cpus-per-task", "4", "--time", "1-12", "--mem", "2G")
	if code != 0 {
		t.Fatal(stderr)
	}
	script := string(readFile(t, filepath.Join(out+".shards", "sweep.sbatch")))
	for _, want := range []string{"#SBATCH --array=0-89\n", "#SBATCH --cpus-per-task=4\n", "#SBATCH --mem=2G\n", "#SBATCH --time=1-12\n", "export GOMEMLIMIT=1843MiB\n", "# Per task, time 1-12: as --time says.\n", `--shard "$SLURM_ARRAY_TASK_ID/90"`} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q", want)
		}
	}
	if strings.Contains(script, "--partition") {
		t.Error("a partition without --partition")
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--shards", "91"}, "error: sweep testdata/sweep.yaml has 90 runs, too few for 91 shards; use at most 90\n"},
		{[]string{"--shards", "-1"}, "error: --shards must be at least 1, got -1\n"},
		{[]string{"--cpus-per-task", "0"}, "error: --cpus-per-task must be in [1, 4096], got 0\n"},
		{[]string{"--time", "1h"}, "error: --time \"1h\": want minutes, hours:minutes:seconds or days-hours:minutes:seconds, as sbatch reads it\n"},
		{[]string{"--mem", "2GB"}, "error: --mem \"2GB\": want a whole number of megabytes, or one followed by K, M, G or T (4000, 4G)\n"},
		{[]string{"--mem", "100K", "--shards", "2"}, "error: --mem 100K is less than a task needs: about 133.3 KiB (1 run at once of about 111.2 KiB each, and 22.1 KiB for the records of 45 runs); ask for more, or use fewer --cpus-per-task or more --shards\n"},
		{[]string{"--shard", "1/2"}, "error: --slurm writes a script that runs every shard with --resume; it takes no --shard, --dry-run, --resume or --force\n"},
	} {
		args := append([]string{"sweep", "testdata/sweep.yaml", "--slurm", "-o", filepath.Join(t.TempDir(), "x")}, tc.args...)
		if _, stderr, code := slurmCLI(t, 10, args...); code == 0 || stderr != tc.want {
			t.Errorf("%v: exit %d, %q\nwant %q", tc.args, code, stderr, tc.want)
		}
	}
	if _, stderr, code := runCLI(t, "sweep", "testdata/sweep.yaml", "--mem", "2G", "--dry-run"); code != 2 || stderr != "error: --mem sizes the jobs of --slurm; add --slurm, or leave it out\n" {
		t.Errorf("--mem without --slurm: exit %d, %q", code, stderr)
	}
}

func TestSlurmDurations(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		runs int
		rate float64
		want string
	}{{10, 100, "0:10:00"}, {600, 1, "0:31:00"}, {100_000, 1, "3-11:21:00"}} {
		if got := slurmDuration(taskTime(tc.runs, tc.rate)); got != tc.want {
			t.Errorf("%d runs at %g/s: %s, want %s", tc.runs, tc.rate, got, tc.want)
		}
	}
	for _, tc := range []struct {
		runs  int
		rate  float64
		shard int
	}{{90, 100, 1}, {90, 0.01, 3}, {5, 0.0001, 5}, {10_000_000, 1, maxArray}} {
		if got := defaultShards(tc.runs, tc.rate); got != tc.shard {
			t.Errorf("%d runs at %g/s: %d shards, want %d", tc.runs, tc.rate, got, tc.shard)
		}
	}
	if got := slurmBytes("3G"); got != 3<<30 {
		t.Errorf("3G = %g bytes", got)
	}
	if got := slurmBytes("300"); got != 300<<20 {
		t.Errorf("300 = %g bytes", got)
	}
}

// TestShardsThenMerge: the sweep run as three shards from the command line and merged has
// the tables of the sweep run whole; a shard's summary says what it ran, and merge refuses a
// directory that does not exist.
func TestShardsThenMerge(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole")
	if _, stderr, code := runCLI(t, "sweep", "testdata/sweep.yaml", "-o", whole, "-q"); code != 0 {
		t.Fatal(stderr)
	}
	var shards []string
	for i := range 3 {
		shard := filepath.Join(dir, "whole.shards", fmt.Sprint(i))
		stdout, stderr, code := runCLI(t, "sweep", "testdata/sweep.yaml", "--shard", fmt.Sprintf("%d/3", i), "-o", shard, "--resume")
		if code != 0 {
			t.Fatal(stderr)
		}
		if want := fmt.Sprintf("Preinstall against switching cost: shard %d/3, 30 runs of 90 runs (0 resumed) in ", i); !strings.HasPrefix(stdout, want) || !strings.HasSuffix(stdout, "; kept in "+shard+" for msgsim sweep merge\n") {
			t.Errorf("shard %d: %q", i, stdout)
		}
		shards = append(shards, shard)
	}
	merged := filepath.Join(dir, "merged")
	stdout, stderr, code := runCLI(t, append(append([]string{"sweep", "merge", "testdata/sweep.yaml"}, shards...), "-o", merged)...)
	if code != 0 {
		t.Fatal(stderr)
	}
	if !strings.HasPrefix(stdout, "Preinstall against switching cost: 30 points x 3 replicates = 90 runs merged from 3 shards\n") {
		t.Errorf("merge: %s", stdout)
	}
	tw, tm := sweepTables(t, whole), sweepTables(t, merged)
	for name := range tw {
		if !bytes.Equal(tw[name], tm[name]) {
			t.Errorf("%s merged differs from the whole sweep's", name)
		}
	}
	missing := filepath.Join(dir, "nowhere")
	_, stderr, code = runCLI(t, "sweep", "merge", "testdata/sweep.yaml", shards[0], missing, "-o", filepath.Join(dir, "m2"))
	if want := fmt.Sprintf("error: sweep merge: %s is not a directory (a shard's results directory, msgsim sweep testdata/sweep.yaml --shard i/n -o DIR)\n", missing); code != 1 || stderr != want {
		t.Errorf("missing shard directory: exit %d, %q\nwant %q", code, stderr, want)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("merge made the missing shard directory")
	}
	_, stderr, code = runCLI(t, "sweep", "merge", "testdata/sweep.yaml")
	if want := "error: merge needs at least 2 arguments, got 1 (see msgsim sweep merge --help)\n"; code != 2 || stderr != want {
		t.Errorf("no shards: exit %d, %q", code, stderr)
	}
}

// TestSIGTERMStopsShardCleanly: a shard stops on SIGTERM (Slurm's time limit, scancel,
// preemption) as a sweep does: exit 143, its finished runs kept, all of its own shard, and
// --resume continues from them.
func TestSIGTERMStopsShardCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	t.Parallel()
	file := longSweep(t, 200)
	dir := filepath.Join(t.TempDir(), "shard")
	journal := filepath.Join(dir, sweep.JournalFile)
	lines := func() [][]byte {
		b, _ := os.ReadFile(journal)
		return bytes.SplitAfter(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))
	}
	done := 0
	for attempt := range 2 {
		cmd, stderr := startMsgsim(t, "sweep", file, "--shard", "1/4", "-o", dir, "-q", "--workers", "1", "--resume")
		waitFor(t, cmd, "journalling runs", func() bool { b, _ := os.ReadFile(journal); return bytes.Count(b, []byte("\n")) > done })
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if code := exitCode(t, cmd); code != 143 {
			t.Errorf("attempt %d: exit %d, want 143", attempt, code)
		}
		got := lines()
		want := fmt.Sprintf("error: sweep %s: sweep interrupted: %d of 1500 runs done; run again with --resume to finish (finished runs are kept in %s)\n", file, len(got), dir)
		if stderr.String() != want {
			t.Errorf("attempt %d: stderr %q\nwant   %q", attempt, stderr, want)
		}
		if len(got) <= done {
			t.Errorf("attempt %d: %d runs journalled, no more than before", attempt, len(got))
		}
		done = len(got)
	}
	for _, line := range lines() {
		var p, r int
		if _, err := fmt.Sscanf(string(line), `{"point":%d,"replicate":%d`, &p, &r); err != nil || (p*200+r)%4 != 1 {
			t.Errorf("journal line not of shard 1/4: %s (%v)", line, err)
		}
	}
}

// TestShardCountsItsOwnRuns: a shard's memory check counts the records of its own runs, not
// the whole sweep's, and refuses to start above the limit (the job's cgroup, GOMEMLIMIT, or
// here the test's); its dry run says how many runs it has.
func TestShardCountsItsOwnRuns(t *testing.T) {
	t.Parallel()
	opts := &SweepOptions{
		Streams: &IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}, File: "testdata/sweep.yaml", Workers: 2, DryRun: true, Shard: "1/3", MemoryLimit: 1024,
	}
	err := runSweep(context.Background(), opts)
	want := "sweep testdata/sweep.yaml needs about 237.1 KiB (2 runs at once of about 111.2 KiB each, and 14.8 KiB for the records of 30 runs) but only 1.0 KiB is available; use fewer --workers, or fewer points or replicates"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	var out bytes.Buffer
	opts.Streams.Out, opts.MemoryLimit = &out, 0
	opts.measure = func(context.Context, *sweep.Plan, int) (throughput, error) {
		return throughput{RunsPerSecond: 10, Workers: 2, Probes: 5, ProbeSteps: 20, Steps: 60, Elapsed: 500 * time.Millisecond}, nil
	}
	if err := runSweep(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if want := "Preinstall against switching cost: design grid, 2 factors, 30 points x 3 replicates = 90 runs; shard 1/3: 30 runs\n" +
		"measured now on this machine: 10 runs/s on 2 workers (5 runs of 20 of the first point's 60 steps, 2 at a time, in 500ms)\n" +
		"estimate: about 3s in all; memory about 237.1 KiB\n"; out.String() != want {
		t.Errorf("dry run:\n%s\nwant\n%s", out.String(), want)
	}
}
