package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/internal/calibrate"
	"github.com/msgsim/msgsim/internal/memlimit"
)

// CalibrateOptions are `msgsim calibrate`'s inputs.
type CalibrateOptions struct {
	Streams *IOStreams
	File    string
	OutDir  string // "" = out/<fit file name>
	Workers int
	Quiet   bool
	Force   bool
	// MemoryLimit is the bytes the calibration may use; 0 = the smallest limit in force (available memory, cgroup, ulimit -v, GOMEMLIMIT).
	MemoryLimit float64
	// Now dates fitted.yaml's header; nil = time.Now.
	Now func() time.Time
}

// NewCmdCalibrate builds `msgsim calibrate`. runF replaces the calibration in tests of flag parsing.
func NewCmdCalibrate(streams *IOStreams, runF func(context.Context, *CalibrateOptions) error) *cobra.Command {
	opts := &CalibrateOptions{Streams: streams}
	cmd := &cobra.Command{
		Use:   "calibrate FILE",
		Short: "Fit scenario parameters to observed adoption figures",
		Long: `Fit the parameters a fit file names to the data rows it targets: minimise the mean
squared error between log(1 + observed millions) and log(1 + simulated millions), the
simulation being the mean over the fit's replicates, with Nelder-Mead or CMA-ES within
the bounds, using at most the file's budget of simulation runs. Replicate r always runs
with the same seed (common random numbers). Then estimate standard errors from a
finite-difference Hessian at the optimum, and write to the output directory:
  fitted.yaml   the scenario with the fitted values: msgsim run fitted.yaml
  fit.json      parameters (value, start, stderr, bounds), error, evaluations, runs,
                and each data point against the model
  fit.png/svg   the data over the fitted mean and 5-95% band of each target series`,
		Example: `  msgsim calibrate calibrations/story.yaml
  msgsim calibrate calibrations/story.yaml -o out/story2 --force`,
		Args: rangeArgs(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runCalibrate(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.OutDir, "output", "o", "", "output `directory` (default out/<fit file name>)")
	f.IntVar(&opts.Workers, "workers", 0, fmt.Sprintf("goroutines to use, at most %d (default: all cores); the result does not depend on it", maxWorkers))
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress bar and no summary")
	f.BoolVar(&opts.Force, "force", false, "replace an existing output directory")
	return cmd
}

func runCalibrate(ctx context.Context, opts *CalibrateOptions) error {
	workers, err := workerCount(opts.Workers)
	if err != nil {
		return err
	}
	fit, err := calibrate.Load(opts.File)
	if err != nil {
		return err
	}
	atOnce := min(workers, fit.File.Replicates)
	perRun := fit.Start.Config.MemoryEstimate()
	if err := checkFits("calibration "+opts.File, perRun*float64(atOnce), fmt.Sprintf("%d runs at once of about %s each", atOnce, memlimit.BytesString(perRun)),
		"lower agents with set:, or use fewer --workers", memoryLimit(opts.MemoryLimit)); err != nil {
		return err
	}
	dir := cmp.Or(opts.OutDir, defaultOutDir(opts.File))
	stage, err := stageResults(dir, opts.Force)
	if err != nil {
		return err
	}
	defer stage.Abort()

	started := time.Now()
	bar := newProgress(opts.Streams, opts.Quiet, int64(fit.File.Budget), fit.File.Name, "runs")
	res, err := calibrate.Run(ctx, fit, calibrate.Options{Workers: workers, Progress: bar.Runs})
	bar.Done(err == nil)
	if err != nil {
		return fmt.Errorf("calibrate %s: %w", opts.File, err)
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	if err := calibrate.WriteResults(stage, res, now()); err != nil {
		return err
	}
	if err := stage.Commit(); err != nil {
		return err
	}
	if !opts.Quiet {
		printCalibration(opts.Streams.Out, res, dir, time.Since(started))
	}
	return nil
}

func printCalibration(w io.Writer, res *calibrate.Result, dir string, took time.Duration) {
	f := res.Fit.File
	fmt.Fprintf(w, "%s: %s, %d evaluations", f.Name, f.Method, res.Evaluations)
	if res.HessianEvaluations > 0 {
		fmt.Fprintf(w, " + %d for the Hessian", res.HessianEvaluations)
	}
	fmt.Fprintf(w, " x %s = %d of %d runs in %s (%s)\n", plural(f.Replicates, "replicate"), res.Runs, f.Budget, took.Round(time.Millisecond), res.Status)
	fmt.Fprintf(w, "error %.4g (start %.4g): mean squared log1p error over %d data points, typical error %.1f%%\n",
		res.Error, res.StartError, len(res.Fit.Obs), 100*(expm1Sqrt(res.Error)))
	width := 0
	for _, p := range res.Params {
		width = max(width, len(p.Path))
	}
	for _, p := range res.Params {
		se := "(no stderr)"
		if p.StdErr != nil {
			se = "± " + strconv.FormatFloat(*p.StdErr, 'g', 2, 64)
		}
		bound := ""
		if p.AtBound {
			bound = ", AT A BOUND"
		}
		fmt.Fprintf(w, "  %-*s = %-10s %-11s (start %s; bounds %s to %s, %s%s)\n", width, p.Path, strconv.FormatFloat(p.Value, 'g', 4, 64), se,
			strconv.FormatFloat(p.Start, 'g', 4, 64), strconv.FormatFloat(p.Min, 'g', 4, 64), strconv.FormatFloat(p.Max, 'g', 4, 64), p.Scale, bound)
	}
	if n := res.Uncertainty.Note; n != "" {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	fmt.Fprintf(w, "results in %s (fitted.yaml: msgsim run %s)\n", dir, filepath.Join(dir, "fitted.yaml"))
}

// expm1Sqrt turns a mean squared log error into a typical relative error.
func expm1Sqrt(mse float64) float64 {
	if mse <= 0 {
		return 0
	}
	return math.Expm1(math.Sqrt(mse))
}
