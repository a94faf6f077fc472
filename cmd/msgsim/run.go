package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/model/meanfield"
	"github.com/msgsim/msgsim/output"
	"github.com/msgsim/msgsim/output/chart"
	"github.com/msgsim/msgsim/scenarios"
)

// RunOptions are `msgsim run`'s inputs.
type RunOptions struct {
	Streams    *IOStreams
	Scenario   string // path or shipped name; "" = the embedded default
	OutDir     string // "" = out/<scenario name>
	Seed       *uint64
	Replicates *int
	LogScale   *bool // nil = the scenario's charts.log_scale
	Workers    int
	Sets       []string
	Formats    []string
	Quiet      bool
	Force      bool
	DryRun     bool
	MeanField  bool // also solve the mean-field twin and draw it beside the agents
	Agents     bool // also write agents.csv and agents.parquet: one row per agent and replicate
	// MemoryLimit is the bytes a run may use; 0 = the smallest limit in force (available memory, cgroup, ulimit -v, GOMEMLIMIT).
	MemoryLimit float64
}

var allFormats = []string{"png", "svg", "csv", "json"}

// NewCmdRun builds `msgsim run`. runF replaces the run in tests of flag parsing.
func NewCmdRun(streams *IOStreams, runF func(context.Context, *RunOptions) error) *cobra.Command {
	opts := &RunOptions{Streams: streams}
	var seed uint64
	var replicates int
	var logScale bool
	cmd := &cobra.Command{
		Use:   "run [SCENARIO]",
		Short: "Run a scenario and write its plots, series and summary",
		Long: `Run a scenario file (or a shipped scenario by name; with no argument, the default
laiwang_vs_wechat) and write to the output directory:
  series.csv     one row per replicate, step and platform
  bands.csv      mean and 5-95% band across replicates, per step and platform
  segments.csv   with segments: users and registered per replicate, step, segment and platform
  summary.json   final users and shares, peaks, time to 10/50/90%, winner
  adoption, registered, share .png/.svg   plots (and segments, with segments)
  scenario.yaml  the scenario as run, overrides included
With --mean-field, also the deterministic mean-field twin (the complete-graph limit),
dashed on the adoption and registered plots, and meanfield.csv: per step and platform,
the twin's users and registered agents beside the agents' means.
With --agents, also agents.csv and agents.parquet: one row per replicate and agent
(id, degree, segment, threshold, the first step of awareness, registration and use
of each platform, and the platforms used at the end).`,
		Example: `  msgsim run
  msgsim run scenarios/communities.yaml -o out/comm --replicates 16
  msgsim run laiwang_vs_wechat --set platforms.laiwang.appeal=0.8 --set interventions.1.share=0.2`,
		Args: rangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Scenario = args[0]
			}
			if cmd.Flags().Changed("seed") {
				opts.Seed = &seed
			}
			if cmd.Flags().Changed("replicates") {
				opts.Replicates = &replicates
			}
			if cmd.Flags().Changed("log-scale") {
				opts.LogScale = &logScale
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.OutDir, "output", "o", "", "output `directory` (default out/<scenario name>)")
	f.Uint64Var(&seed, "seed", 0, "master seed (overrides the scenario's)")
	f.IntVar(&replicates, "replicates", 0, "number of replicates (overrides the scenario's)")
	f.BoolVar(&logScale, "log-scale", false, "draw the user axes on a log scale (overrides the scenario's charts.log_scale)")
	f.IntVar(&opts.Workers, "workers", 0, fmt.Sprintf("goroutines to use, at most %d (default: all cores)", maxWorkers))
	f.StringArrayVar(&opts.Sets, "set", nil, "override a scenario field by dotted `path=value`, e.g. platforms.laiwang.appeal=0.4 (repeatable)")
	enumsFlag(cmd, &opts.Formats, "format", allFormats, "outputs to write", allFormats)
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "no progress bar and no summary")
	f.BoolVar(&opts.Force, "force", false, "replace an existing output directory")
	f.BoolVar(&opts.MeanField, "mean-field", false, "also solve the mean-field twin and draw it dashed beside the agents (writes meanfield.csv)")
	f.BoolVar(&opts.Agents, "agents", false, "also write agents.csv and agents.parquet: one row per agent and replicate, with its first steps of awareness, registration and use")
	f.BoolVar(&opts.DryRun, "dry-run", false, "validate and print the size and memory estimate, run nothing")
	return cmd
}

func runRun(ctx context.Context, opts *RunOptions) error {
	workers, err := workerCount(opts.Workers)
	if err != nil {
		return err
	}
	if err := checkSets(opts.Sets, []string{opts.Scenario}); err != nil {
		return err
	}
	sets := slices.Clone(opts.Sets)
	if opts.Seed != nil {
		sets = append(sets, "seed="+strconv.FormatUint(*opts.Seed, 10))
	}
	if opts.Replicates != nil {
		sets = append(sets, "replicates="+strconv.Itoa(*opts.Replicates))
	}
	if opts.LogScale != nil {
		sets = append(sets, "charts.log_scale="+strconv.FormatBool(*opts.LogScale))
	}
	sc, err := loadScenario(opts.Scenario, sets)
	if err != nil {
		return err
	}
	if err := checkMemory(sc, workers, opts.MemoryLimit, opts.Agents); err != nil {
		return err
	}
	if opts.DryRun {
		return printDryRun(opts.Streams.Out, sc, workers, opts.Agents)
	}
	var twin *meanfield.Result
	if opts.MeanField {
		if twin, err = solveTwin(sc); err != nil {
			return err
		}
	}
	dir := cmp.Or(opts.OutDir, defaultOutDir(sc.Source))
	stage, err := stageResults(dir, opts.Force)
	if err != nil {
		return err
	}
	defer stage.Abort()

	started := time.Now()
	progress := newProgress(opts.Streams, opts.Quiet, int64(sc.File.Replicates)*int64(sc.Config.Steps), sc.File.Name, "steps")
	evalOpts := evaluate.Options{Workers: workers, Progress: progress.Steps}
	var histories []*model.AgentHistory
	if opts.Agents {
		histories = make([]*model.AgentHistory, sc.File.Replicates)
		for r := range histories {
			histories[r] = &model.AgentHistory{}
		}
		evalOpts.Observe = func(job int, sim *model.Simulation) { histories[job].Observe(sim) }
	}
	runs, err := evaluate.Series(ctx, &sc.Config, evaluate.Replicates(0, sc.File.Seed, sc.File.Replicates), evalOpts)
	progress.Done(err == nil)
	if errors.Is(err, context.Canceled) {
		return &interruptedError{msg: fmt.Sprintf("run %s: interrupted; nothing was written", sc.Source), err: err}
	}
	if err != nil {
		return fmt.Errorf("run %s: %w", sc.Source, err)
	}
	summary := evaluate.ScenarioSummary(sc, runs)
	if err := writeResults(stage, sc, runs, summary, opts.Formats); err != nil {
		return err
	}
	if twin != nil {
		if err := writeTwin(stage, sc, runs, twin, opts.Formats); err != nil {
			return err
		}
	}
	if histories != nil {
		if err := writeAgents(stage, sc, histories); err != nil {
			return err
		}
	}
	if err := stage.Commit(); err != nil {
		return err
	}
	if !opts.Quiet {
		printSummary(opts.Streams.Out, sc, summary, dir, time.Since(started))
		if twin != nil {
			printTwin(opts.Streams.Out, sc, runs, twin)
		}
	}
	return nil
}

// checkSets refuses a --set without "=". "--set path 0.4" leaves 0.4 as an argument, which
// would otherwise be read as a scenario; an argument that is no file and no shipped scenario
// is offered as the value that was meant.
func checkSets(sets, args []string) error {
	for _, s := range sets {
		if strings.Contains(s, "=") {
			continue
		}
		for _, arg := range args {
			if arg != "" && !scenarioExists(arg) {
				return &usageError{msg: fmt.Sprintf("--set takes path=value; did you mean --set %s=%s?", s, arg)}
			}
		}
		return &usageError{msg: fmt.Sprintf("--set takes path=value, got %q (e.g. --set platforms.laiwang.appeal=0.4)", s)}
	}
	return nil
}

// scenarioExists says whether arg names a file or a shipped scenario.
func scenarioExists(arg string) bool {
	if _, err := os.Stat(arg); err == nil {
		return true
	}
	return slices.Contains(scenarios.ShippedNames(), strings.TrimSuffix(arg, ".yaml"))
}

func loadScenario(arg string, sets []string) (*scenarios.Scenario, error) {
	if arg == "" {
		return scenarios.Shipped(scenarios.DefaultName, sets)
	}
	return scenarios.Load(arg, sets)
}

// edgeListLine reports, for a file graph, what the edge-list reader kept and dropped, so that
// a list that lost most of its lines to repeats or self-loops is noticed; "" otherwise.
func edgeListLine(sc *scenarios.Scenario) string {
	if sc.GraphInfo == nil {
		return ""
	}
	e := evaluate.NewEdgeListSummary(sc.GraphPath, sc.GraphInfo)
	return fmt.Sprintf("  edge list %s: %s, %s from %s (dropped %s and %s)\n", e.Path,
		count(int64(e.Nodes), "node"), count(e.Contacts, "contact"), count(e.Lines, "line"),
		count(e.SelfLoopsDropped, "self-loop"), count(e.RepeatedPairsDropped, "repeated pair"))
}

// count is plural with thousands separators.
func count(n int64, noun string) string {
	x := float64(n)
	if n == 1 {
		return "1 " + noun
	}
	return num(&x, 1) + " " + noun + "s"
}

func writeResults(stage *output.Staging, sc *scenarios.Scenario, runs []*model.Series, summary evaluate.Summary, formats []string) error {
	if err := output.SaveScenario(stage, "scenario.yaml", sc, nil); err != nil {
		return err
	}
	if slices.Contains(formats, "csv") {
		table := output.TablesOf(sc)
		if err := stage.Create("series.csv", func(w io.Writer) error { return output.WriteSeriesCSV(w, runs, table) }); err != nil {
			return err
		}
		if err := stage.Create("bands.csv", func(w io.Writer) error { return output.WriteBandsCSV(w, runs, table) }); err != nil {
			return err
		}
		if runs[0].Segments != nil {
			if err := stage.Create("segments.csv", func(w io.Writer) error { return output.WriteSegmentsCSV(w, runs, table) }); err != nil {
				return err
			}
		}
	}
	if slices.Contains(formats, "json") {
		if err := stage.Create("summary.json", func(w io.Writer) error { return output.WriteJSON(w, summary) }); err != nil {
			return err
		}
	}
	for _, c := range charts(sc, runs) {
		for _, f := range chart.Formats {
			if !slices.Contains(formats, f.String()) {
				continue
			}
			if err := chart.Save(c.chart, stage.Path(c.name+"."+f.String())); err != nil {
				return fmt.Errorf("plot %s: %w", c.name, err)
			}
		}
	}
	return nil
}

type namedChart struct {
	name  string
	chart chart.Lines
}

// charts builds the adoption, registration and share plots, with an active window the
// windowed actives, and with segments the share of each segment using each platform; user counts are shown in real users (millions when
// large) through the scenario's scale.
func charts(sc *scenarios.Scenario, runs []*model.Series) []namedChart {
	x := make([]float64, sc.Config.Steps+1)
	for t := range x {
		x[t] = float64(t)
	}
	axis := chart.TimeAxis{Unit: sc.File.TimeUnit, Start: sc.Calendar.Start}
	xLabel, xTicks := axis.Label(), axis.Ticks()
	u := chart.PeopleUnit(sc.File.Scale, sc.Config.Agents)
	zero, one := 0.0, 1.0
	logY := sc.File.Charts.LogScale
	title := sc.File.Name
	if len(runs) > 1 {
		title += fmt.Sprintf(" (%d replicates, mean and 5-95%%)", len(runs))
	}
	list := []namedChart{
		{"adoption", chart.Lines{Title: title + ": active users", XLabel: xLabel, XTicks: xTicks, YLabel: "active users (" + u.Name + ")", X: x, Curves: output.Curves(evaluate.Bands(runs, evaluate.ActiveUsers, u.Factor)), LogY: logY}},
		{"registered", chart.Lines{Title: title + ": registered users", XLabel: xLabel, XTicks: xTicks, YLabel: "registered users (" + u.Name + ")", X: x, Curves: output.Curves(evaluate.Bands(runs, evaluate.RegisteredUsers, u.Factor)), LogY: logY}},
		{"share", chart.Lines{Title: title + ": market share", XLabel: xLabel, XTicks: xTicks, YLabel: "share of platform users", X: x, Curves: output.Curves(evaluate.Bands(runs, evaluate.MarketShare, 1)), YMin: &zero, YMax: &one}},
	}
	if sc.Config.ActiveWindow > 1 {
		// Users of the last W steps, the series monthly actives are compared with, so that
		// the record's monthly figures stand over the curve they are fitted to.
		list = append(list, namedChart{"windowed", chart.Lines{Title: fmt.Sprintf("%s: active in %d %ss", title, sc.Config.ActiveWindow, sc.File.TimeUnit), XLabel: xLabel, XTicks: xTicks, YLabel: "windowed active users (" + u.Name + ")", X: x, Curves: output.Curves(evaluate.Bands(runs, evaluate.WindowedActiveUsers, u.Factor)), LogY: logY}})
	}
	if runs[0].Segments != nil {
		list = append(list, namedChart{"segments", chart.Lines{Title: title + ": users by segment", XLabel: xLabel, XTicks: xTicks, YLabel: "share of the segment using the platform", X: x, Curves: output.Curves(evaluate.SegmentBands(runs, evaluate.SegmentPenetration, 1)), YMin: &zero, YMax: &one}})
	}
	markCharts(sc, u, list)
	return list
}

func printSummary(w io.Writer, sc *scenarios.Scenario, s evaluate.Summary, dir string, took time.Duration) {
	u := chart.PeopleUnit(sc.File.Scale, sc.Config.Agents)
	factor, unit := u.Factor, u.Counted()
	fmt.Fprintf(w, "%s: %s, %s, %s in %s\n", sc.File.Name, count(int64(s.Agents), "agent"), count(int64(s.Steps), sc.File.TimeUnit), plural(s.Replicates, "replicate"), took.Round(time.Millisecond))
	for _, p := range s.Platforms {
		users, share := p.Stat("final_users"), p.Stat("final_share")
		fmt.Fprintf(w, "  %-12s final active users %s %s (5-95%%: %s-%s), share %s, wins %.0f%% of replicates\n",
			p.Name, num(users.Mean, factor), unit, num(users.P5, factor), num(users.P95, factor), num(share.Mean, 1), 100*p.WinProbability)
	}
	fmt.Fprint(w, edgeListLine(sc))
	printRecord(w, sc, s.Record)
	fmt.Fprintf(w, "results in %s\n", dir)
}

// num formats a summary number: three significant digits below 1,000, whole numbers with
// thousands separators above.
func num(x *float64, factor float64) string {
	if x == nil {
		return "-"
	}
	v := *x * factor
	if math.Abs(v) < 1000 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	digits := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	var b strings.Builder
	start := 0
	if digits[0] == '-' {
		b.WriteByte('-')
		start = 1
	}
	for i := start; i < len(digits); i++ {
		if i > start && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}
