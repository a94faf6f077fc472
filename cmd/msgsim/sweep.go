package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/internal/memlimit"
	"github.com/msgsim/msgsim/internal/sweep"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/output"
)

// SweepOptions are `msgsim sweep`'s inputs.
type SweepOptions struct {
	Streams *IOStreams
	File    string
	OutDir  string
	Workers int
	Formats []string
	Resume  bool
	Force   bool
	Quiet   bool
	DryRun  bool
	// Shard is --shard's "i/n": run only shard i of n (see sweep.Shard); "" runs the whole sweep.
	Shard string
	// Slurm writes a Slurm job array script for the sweep instead of running it.
	Slurm SlurmOptions
	// MemoryLimit is the bytes the sweep may use; 0 = the smallest limit in force (available memory, cgroup, ulimit -v, GOMEMLIMIT).
	MemoryLimit float64
	// measure times the sweep's runs on this machine (--dry-run, --slurm); nil: measureThroughput.
	measure func(ctx context.Context, plan *sweep.Plan, workers int) (throughput, error)
}

// NewCmdSweep builds `msgsim sweep`.
func NewCmdSweep(streams *IOStreams, runF func(context.Context, *SweepOptions) error) *cobra.Command {
	opts := &SweepOptions{Streams: streams}
	cmd := &cobra.Command{
		Use:   "sweep FILE",
		Short: "Run a scenario over a designed set of parameter points, with replicates",
		Long: `Run every point of a sweep file's design (grid, latin_hypercube, sobol, morris or
random) times its replicates on all cores, appending each finished run to
DIR/runs.journal as it completes. An interrupted sweep (Ctrl-C, SIGTERM, kill)
finishes with --resume, running only what is missing; the final tables are the same
either way.
Writes runs.csv and points.csv (and .parquet), plots, sensitivity.csv for sobol and
morris designs, and summary.md.

On a cluster: --shard i/n runs only shard i of n (run j, numbered point x replicates +
replicate, belongs to shard j mod n) into a directory of its own, and 'msgsim sweep
merge' joins the shards' directories into the results a single machine writes.
--slurm writes a Slurm script that does both: a job array of the shards, then the merge.`,
		Example: `  msgsim sweep sweeps/preinstall_vs_switching.yaml
  msgsim sweep sweeps/sensitivity.yaml --dry-run
  msgsim sweep sweeps/sensitivity.yaml -o out/sens --resume
  msgsim sweep sweeps/sensitivity.yaml --shard 2/4 -o out/sens.shards/2 --resume
  msgsim sweep sweeps/sensitivity.yaml --slurm --shards 20 --partition short`,
		Args: rangeArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if err := checkSlurmOnly(cmd, &opts.Slurm); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runSweep(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.OutDir, "output", "o", "", "results `directory` (default out/<sweep file name>)")
	f.IntVar(&opts.Workers, "workers", 0, fmt.Sprintf("runs at once, at most %d (default: all cores)", maxWorkers))
	// CSV is always written, and accepted so that --format csv is no error.
	enumsFlag(cmd, &opts.Formats, "format", sweep.Formats, "extra outputs, the CSV tables being always written", append(slices.Clone(sweep.Formats), "csv"))
	f.BoolVar(&opts.Resume, "resume", false, "finish an interrupted sweep in the results directory")
	f.BoolVar(&opts.Force, "force", false, "discard earlier results in the results directory")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress bar and no summary")
	f.BoolVar(&opts.DryRun, "dry-run", false, "print the number of points and runs and estimates of time and memory, run nothing")
	f.StringVar(&opts.Shard, "shard", "", "run only shard `i/n` of the sweep (i from 0 to n-1), into out/<name>.shards/<i> by default")
	addSlurmFlags(cmd, &opts.Slurm)
	cmd.AddCommand(NewCmdSweepMerge(streams, nil), NewCmdSweepDiscover(streams, nil))
	return cmd
}

func runSweep(ctx context.Context, opts *SweepOptions) error {
	workers, err := workerCount(opts.Workers)
	if err != nil {
		return err
	}
	if opts.Resume && opts.Force {
		return &usageError{msg: "--resume and --force contradict each other: finish the sweep, or start it over"}
	}
	if opts.Slurm.Write && (opts.Shard != "" || opts.DryRun || opts.Resume || opts.Force) {
		return &usageError{msg: "--slurm writes a script that runs every shard with --resume; it takes no --shard, --dry-run, --resume or --force"}
	}
	if opts.measure == nil {
		opts.measure = measureThroughput
	}
	var shard sweep.Shard
	if opts.Shard != "" {
		if shard, err = sweep.ParseShard(opts.Shard); err != nil {
			return &usageError{msg: err.Error()}
		}
	}
	plan, err := sweep.LoadPlan(opts.File)
	if err != nil {
		return err
	}
	if opts.Slurm.Write {
		return writeSlurmScript(ctx, opts, plan)
	}
	if !shard.Whole() {
		if err := plan.CheckShards(shard.Count); err != nil {
			return err
		}
	}
	memory, detail, err := sweepMemory(plan, shard, workers)
	if err != nil {
		return err
	}
	if err := checkFits("sweep "+opts.File, memory, detail, "use fewer --workers, or fewer points or replicates", memoryLimit(opts.MemoryLimit)); err != nil {
		return err
	}
	if opts.DryRun {
		return printSweepDryRun(ctx, opts, plan, shard, workers, memory)
	}
	dir := cmp.Or(opts.OutDir, defaultOutDir(opts.File))
	if opts.OutDir == "" && !shard.Whole() {
		dir = shardDir(dir, shard.Index)
	}
	results, err := output.OpenResultDir(dir, output.DirOptions{Force: opts.Force, Resume: opts.Resume, Resumable: true})
	if err != nil {
		return err
	}
	defer results.Close()
	bar := newProgress(opts.Streams, opts.Quiet, int64(shard.Runs(plan.Runs())), plan.Sweep.File.Name, "runs")
	res, err := sweep.Run(ctx, plan, sweep.Options{
		Dir: results, Workers: workers,
		Progress: bar.Runs,
		Shard:    shard,
	})
	bar.Done(err == nil)
	if err != nil {
		if errors.Is(err, sweep.ErrInterrupted) {
			return fmt.Errorf("sweep %s: %w (finished runs are kept in %s)", opts.File, err, dir)
		}
		return err
	}
	if !shard.Whole() {
		if !opts.Quiet {
			fmt.Fprintf(opts.Streams.Out, "%s: shard %s, %s of %s (%d resumed) in %s; kept in %s for msgsim sweep merge\n", plan.Sweep.File.Name, res.Shard, plural(len(res.Records), "run"), plural(plan.Runs(), "run"), res.Resumed, res.Elapsed.Round(time.Millisecond), dir)
		}
		return nil
	}
	analysis, err := sweep.WriteResults(results, res, opts.Formats)
	if err != nil {
		return err
	}
	if !opts.Quiet {
		printSweepSummary(opts.Streams.Out, res, analysis, dir)
	}
	return nil
}

// shardDir is where shard index of a sweep whose results go to dir runs by default.
func shardDir(dir string, index int) string {
	return filepath.Join(dir+".shards", strconv.Itoa(index))
}

// sweepMemory is what running the plan's shard needs, `workers` runs at once: a model per
// run at once, and the records of the shard's runs. detail says so in words.
func sweepMemory(plan *sweep.Plan, shard sweep.Shard, workers int) (float64, string, error) {
	perRun, err := plan.Scenario(0)
	if err != nil {
		return 0, "", err
	}
	runs := shard.Runs(plan.Runs())
	atOnce := min(workers, runs)
	records := plan.RecordBytes() * float64(runs) / float64(max(plan.Runs(), 1))
	memory := perRun.Config.MemoryEstimate()*float64(atOnce) + records
	detail := fmt.Sprintf("%s at once of about %s each, and %s for the records of %s", plural(atOnce, "run"), memlimit.BytesString(perRun.Config.MemoryEstimate()), memlimit.BytesString(records), plural(runs, "run"))
	return memory, detail, nil
}

// probeDuration is how long the dry run measures the machine: long enough to average over a
// few runs and the other work on a shared machine, short enough for a dry run.
const probeDuration = 500 * time.Millisecond

// throughput is how fast this machine runs a sweep now, measured on its first point.
type throughput struct {
	RunsPerSecond float64 // whole runs, all workers together
	Workers       int     // runs at once
	Probes        int     // probe runs finished
	ProbeSteps    int     // steps of each probe run
	Steps         int     // steps of a whole run
	Elapsed       time.Duration
}

// measureThroughput measures how fast this machine runs the sweep now, by running a short
// version of the first point on every worker at once. Timing one run on an idle core would
// ignore the other work on the machine.
func measureThroughput(ctx context.Context, plan *sweep.Plan, workers int) (throughput, error) {
	sc, err := plan.Scenario(0)
	if err != nil {
		return throughput{}, err
	}
	cfg := sc.Config
	probeSteps := min(cfg.Steps, 20)
	cfg.Steps = probeSteps
	atOnce := min(workers, max(plan.Runs(), 1))
	probes, elapsed, err := probeThroughput(ctx, func(ctx context.Context) error {
		probe := cfg // each goroutine its own copy: Run may fill in defaults
		_, err := model.Run(ctx, &probe, model.RunOptions{Seed: 1, Workers: 1})
		return err
	}, atOnce, probeDuration)
	if err != nil {
		return throughput{}, err
	}
	perSecond := float64(probes) / elapsed.Seconds() * float64(probeSteps) / float64(max(sc.Config.Steps, 1))
	return throughput{RunsPerSecond: perSecond, Workers: atOnce, Probes: probes, ProbeSteps: probeSteps, Steps: sc.Config.Steps, Elapsed: elapsed}, nil
}

// String says what was measured.
func (t throughput) String() string {
	return fmt.Sprintf("%.3g runs/s on %s (%s of %d of the first point's %d steps, %d at a time, in %s)",
		t.RunsPerSecond, plural(t.Workers, "worker"), plural(t.Probes, "run"), t.ProbeSteps, t.Steps, t.Workers, t.Elapsed.Round(time.Millisecond))
}

// printSweepDryRun estimates the sweep's (or shard's) time from the measured throughput.
func printSweepDryRun(ctx context.Context, opts *SweepOptions, plan *sweep.Plan, shard sweep.Shard, workers int, memory float64) error {
	speed, err := opts.measure(ctx, plan, workers)
	if err != nil {
		return err
	}
	runs := shard.Runs(plan.Runs())
	total := time.Duration(float64(runs) / speed.RunsPerSecond * float64(time.Second))
	f := plan.Sweep.File
	of := ""
	if !shard.Whole() {
		of = fmt.Sprintf("; shard %s: %s", shard, plural(runs, "run"))
	}
	_, err = fmt.Fprintf(opts.Streams.Out, "%s: design %s, %s, %s x %s = %s%s\n"+
		"measured now on this machine: %s\n"+
		"estimate: about %s in all; memory about %s\n",
		f.Name, f.Design, plural(len(f.Factors), "factor"), plural(len(plan.Points), "point"), plural(f.Replicates, "replicate"), plural(plan.Runs(), "run"), of,
		speed, total.Round(time.Second), memlimit.BytesString(memory))
	return err
}

// probeThroughput calls run on `workers` goroutines at once, each again and again until
// `duration` has passed (at least once each), and returns how many runs finished and the
// wall time they took.
func probeThroughput(ctx context.Context, run func(context.Context) error, workers int, duration time.Duration) (int, time.Duration, error) {
	started := time.Now()
	var mu sync.Mutex
	var runs int
	var firstErr error
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				if err := run(ctx); err != nil {
					mu.Lock()
					firstErr = cmp.Or(firstErr, err)
					mu.Unlock()
					return
				}
				mu.Lock()
				runs++
				mu.Unlock()
				if time.Since(started) >= duration {
					return
				}
			}
		})
	}
	wg.Wait()
	return runs, time.Since(started), firstErr
}

func printSweepSummary(w io.Writer, res *sweep.Result, a *sweep.Analysis, dir string) {
	f := res.Plan.Sweep.File
	how := fmt.Sprintf("(%d resumed) in %s", res.Resumed, res.Elapsed.Round(time.Millisecond))
	if res.Merged > 0 {
		how = "merged from " + plural(res.Merged, "shard")
	}
	fmt.Fprintf(w, "%s: %s x %s = %s %s\n", f.Name, plural(len(res.Plan.Points), "point"), plural(f.Replicates, "replicate"), plural(res.Plan.Runs(), "run"), how)
	for i, r := range a.Ranking {
		if i == 3 {
			break
		}
		fmt.Fprintf(w, "  %d. %s (%s %.3g)\n", i+1, r.Factor, r.Measure, r.Value)
	}
	for _, s := range a.Tipping {
		fmt.Fprintf(w, "  %s\n", s)
	}
	fmt.Fprintf(w, "results in %s (see summary.md)\n", dir)
}
