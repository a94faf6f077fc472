package main

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/internal/sweep"
	"github.com/msgsim/msgsim/output"
)

// SweepMergeOptions are `msgsim sweep merge`'s inputs.
type SweepMergeOptions struct {
	Streams *IOStreams
	File    string
	Shards  []string // the shards' results directories
	OutDir  string
	Formats []string
	Force   bool
	Quiet   bool
	// MemoryLimit is the bytes the merge may use; 0 = the smallest limit in force.
	MemoryLimit float64
}

// NewCmdSweepMerge builds `msgsim sweep merge`.
func NewCmdSweepMerge(streams *IOStreams, runF func(context.Context, *SweepMergeOptions) error) *cobra.Command {
	opts := &SweepMergeOptions{Streams: streams}
	cmd := &cobra.Command{
		Use:   "merge FILE SHARD_DIR...",
		Short: "Join the results of a sweep's shards into the sweep's results",
		Long: `Join the results directories of the shards of a sweep (msgsim sweep FILE --shard i/n)
into the results the sweep writes when run on one machine: runs.csv, points.csv,
sensitivity, plots, summary.md, and a journal, so that the directory is a finished
sweep's. The shards must be those of FILE as it is now (their manifests' hash), of one
split, each given once, and complete; otherwise nothing is written and the error lists
what is missing, shard by shard.`,
		Example: `  msgsim sweep merge sweeps/sensitivity.yaml out/sensitivity.shards/* -o out/sensitivity`,
		Args:    rangeArgs(2, math.MaxInt),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File, opts.Shards = args[0], args[1:]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runSweepMerge(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.OutDir, "output", "o", "", "results `directory` (default out/<sweep file name>)")
	enumsFlag(cmd, &opts.Formats, "format", sweep.Formats, "extra outputs, the CSV tables being always written", append(slices.Clone(sweep.Formats), "csv"))
	f.BoolVar(&opts.Force, "force", false, "replace earlier results in the results directory")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "no summary")
	return cmd
}

func runSweepMerge(opts *SweepMergeOptions) error {
	plan, err := sweep.LoadPlan(opts.File)
	if err != nil {
		return err
	}
	need := plan.RecordBytes()
	if err := checkFits("sweep merge "+opts.File, need, "the records of "+plural(plan.Runs(), "run"), "merge on a machine with more memory", memoryLimit(opts.MemoryLimit)); err != nil {
		return err
	}
	var dirs []*output.ResultDir
	defer func() {
		for _, d := range dirs {
			d.Close()
		}
	}()
	for _, path := range opts.Shards {
		// Opening would make a missing directory: a typo must not read as an empty shard.
		if info, err := os.Stat(path); err != nil || !info.IsDir() {
			return fmt.Errorf("sweep merge: %s is not a directory (a shard's results directory, msgsim sweep %s --shard i/n -o DIR)", path, opts.File)
		}
		// Locked while read, so that a shard still running is refused.
		d, err := output.OpenResultDir(path, output.DirOptions{Resume: true, Resumable: true})
		if err != nil {
			return fmt.Errorf("sweep merge: %w", err)
		}
		dirs = append(dirs, d)
	}
	res, err := sweep.Merge(plan, dirs)
	if err != nil {
		return err
	}
	dir := cmp.Or(opts.OutDir, defaultOutDir(opts.File))
	results, err := output.OpenResultDir(dir, output.DirOptions{Force: opts.Force})
	if err != nil {
		return err
	}
	defer results.Close()
	analysis, err := sweep.WriteMerged(results, res, opts.Formats)
	if err != nil {
		return err
	}
	if !opts.Quiet {
		printSweepSummary(opts.Streams.Out, res, analysis, dir)
	}
	return nil
}
