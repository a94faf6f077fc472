package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/internal/discover"
	"github.com/msgsim/msgsim/output/chart"
)

// DiscoverOptions are `msgsim sweep discover`'s inputs.
type DiscoverOptions struct {
	Streams     *IOStreams
	Dir         string // a finished sweep's results directory
	Where       string // the condition, e.g. "final_share.laiwang > 0.5"
	OutDir      string // "" = DIR-discovery
	MinCoverage float64
	Box         int // -1 = the rule
	Formats     []string
	Force       bool
	Quiet       bool
}

// discoverFormats are the files discover may write beside discovery.md.
var discoverFormats = []string{"png", "svg"}

// NewCmdSweepDiscover builds `msgsim sweep discover`. runF replaces the work in tests of flag
// parsing.
func NewCmdSweepDiscover(streams *IOStreams, runF func(context.Context, *DiscoverOptions) error) *cobra.Command {
	opts := &DiscoverOptions{Streams: streams}
	cmd := &cobra.Command{
		Use:   "discover DIR --where CONDITION",
		Short: "Find the boxes of factor space where a condition holds (PRIM scenario discovery)",
		Long: `Scenario discovery on a finished sweep's runs (DIR, the directory msgsim sweep
wrote): PRIM (Friedman & Fisher 1999, as in the EMA Workbench) peels the factor
space, 5% of the runs at a time, towards boxes where the condition holds in most
runs, and picks the densest box that still covers --min-coverage of the runs where
it holds (or the box --box names), then pastes it. The condition compares one of
runs.csv's outcomes with a number (>, >=, <, <=, ==, !=), or the winner with a
platform's name (== or !=). Factors whose values are words are not peeled.
Writes to OUT (default DIR-discovery):
  discovery.md               the box's limits per factor, its coverage, density
                             and mass, and the peeling trajectory
  trajectory .png/.svg       coverage against density along the trajectory`,
		Example: `  msgsim sweep sweeps/laiwang_wins.yaml -o out/laiwang_wins
  msgsim sweep discover out/laiwang_wins --where "final_share.laiwang > 0.5"
  msgsim sweep discover out/laiwang_wins --where "winner == laiwang" --box 4`,
		Args: rangeArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runDiscover(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Where, "where", "", `the condition, METRIC OP VALUE, e.g. "final_share.laiwang > 0.5" (required)`)
	f.StringVarP(&opts.OutDir, "output", "o", "", "output `directory` (default DIR-discovery)")
	f.Float64Var(&opts.MinCoverage, "min-coverage", discover.DefaultOptions().MinCoverage, "choose the densest box covering at least this share of the runs where the condition holds")
	f.IntVar(&opts.Box, "box", -1, "choose this box of the peeling trajectory instead (0 = all runs)")
	enumsFlag(cmd, &opts.Formats, "format", discoverFormats, "chart formats to write", discoverFormats)
	f.BoolVar(&opts.Force, "force", false, "replace an existing output directory")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing")
	return cmd
}

func runDiscover(opts *DiscoverOptions) error {
	if opts.Where == "" {
		return &usageError{msg: `sweep discover needs --where, e.g. --where "final_share.laiwang > 0.5"`}
	}
	if !(opts.MinCoverage > 0 && opts.MinCoverage <= 1) {
		return &usageError{msg: fmt.Sprintf("--min-coverage must be in (0, 1], got %g", opts.MinCoverage)}
	}
	runs, err := discover.ReadRuns(opts.Dir)
	if err != nil {
		return err
	}
	cond, err := discover.ParseCondition(opts.Where, runs.Outcomes)
	if err != nil {
		return &usageError{msg: "--where: " + err.Error()}
	}
	if len(runs.Factors) == 0 {
		return fmt.Errorf("sweep discover %s: no numeric factor to peel (factors with words for values: %s)", opts.Dir, strings.Join(runs.Skipped, ", "))
	}
	popts := discover.DefaultOptions()
	popts.MinCoverage, popts.Box = opts.MinCoverage, opts.Box
	res, err := discover.Run(runs.Where(cond), popts)
	if err != nil {
		return fmt.Errorf("sweep discover %s --where %q: %w", opts.Dir, cond.Text, err)
	}
	dir := cmp.Or(opts.OutDir, filepath.Clean(opts.Dir)+"-discovery")
	stage, err := stageResults(dir, opts.Force)
	if err != nil {
		return err
	}
	defer stage.Abort()
	report := discover.Report{Runs: runs, Condition: cond, Options: popts, Result: res}
	if len(opts.Formats) > 0 {
		report.Chart = "trajectory." + opts.Formats[0]
	}
	if err := writeTrajectory(stage.Path, cond, res, opts.Formats); err != nil {
		return err
	}
	if err := stage.Create("discovery.md", report.WriteMarkdown); err != nil {
		return err
	}
	if err := stage.Commit(); err != nil {
		return err
	}
	if !opts.Quiet {
		printDiscovery(opts.Streams.Out, runs, cond, res, dir)
	}
	return nil
}

// writeTrajectory draws the peeling trajectory in each format.
func writeTrajectory(path func(string) string, cond discover.Condition, res *discover.Result, formats []string) error {
	t := chart.Trajectory{Title: "Where " + cond.Text + ": peeling trajectory", Chosen: res.Chosen, Pasted: []float64{res.Pasted.Coverage, res.Pasted.Density}}
	for _, b := range res.Trajectory {
		t.Coverage, t.Density = append(t.Coverage, b.Coverage), append(t.Density, b.Density)
	}
	for _, f := range chart.Formats {
		if !slices.Contains(formats, f.String()) {
			continue
		}
		if err := chart.Save(t, path("trajectory."+f.String())); err != nil {
			return fmt.Errorf("plot trajectory: %w", err)
		}
	}
	return nil
}

// printDiscovery prints the chosen box: its restricted factors and how it does.
func printDiscovery(w io.Writer, runs *discover.Runs, cond discover.Condition, res *discover.Result, dir string) {
	box, all := res.Pasted, res.Range
	fmt.Fprintf(w, "%s holds in %d of %d runs; box %d of %d pasted: coverage %.3g, density %.3g, mass %.3g\n",
		cond.Text, all.Hits, all.Runs, res.Chosen, len(res.Trajectory)-1, box.Coverage, box.Density, box.Mass)
	for f, name := range runs.Factors {
		if box.Lower[f] > all.Lower[f] || box.Upper[f] < all.Upper[f] {
			fmt.Fprintf(w, "  %s in [%.4g, %.4g] (swept %.4g to %.4g)\n", name, box.Lower[f], box.Upper[f], all.Lower[f], all.Upper[f])
		}
	}
	fmt.Fprintf(w, "results in %s (see discovery.md)\n", dir)
}
