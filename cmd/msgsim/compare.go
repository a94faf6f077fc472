package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/msgsim/msgsim/internal/calendar"
	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/output/chart"
)

// CompareOptions are `msgsim compare`'s inputs.
type CompareOptions struct {
	Streams *IOStreams
	Dirs    []string // results of msgsim run, the baseline first
	OutDir  string   // "" = out/compare
	Formats []string
	Quiet   bool
	Force   bool
}

var compareFormats = []string{"png", "svg", "csv"}

// NewCmdCompare builds `msgsim compare`. runF replaces the comparison in tests of flag parsing.
func NewCmdCompare(streams *IOStreams, runF func(context.Context, *CompareOptions) error) *cobra.Command {
	opts := &CompareOptions{Streams: streams}
	cmd := &cobra.Command{
		Use:   "compare BASELINE RUN...",
		Short: "Set runs side by side: a baseline and its counterfactuals",
		Long: `Read the results of two or more runs (directories msgsim run wrote, with their
bands.csv and summary.json), the baseline first, and write to the output directory:
  adoption_P, registered_P, share_P .png/.svg   per platform P, each run's mean and 5-95% band
  comparison.csv   final users (people), share and chance of winning per run and platform,
                   and their differences from the baseline
The table is printed too. The runs must have the same platforms and the same calendar.`,
		Example: `  msgsim run -o out/base
  msgsim run --set platforms.laiwang.launch=0 -o out/laiwang_2011
  msgsim compare out/base out/laiwang_2011 -o out/compare`,
		Args: rangeArgs(2, math.MaxInt32),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dirs = args
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runCompare(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.OutDir, "output", "o", "", "output `directory` (default out/compare)")
	enumsFlag(cmd, &opts.Formats, "format", compareFormats, "outputs to write", compareFormats)
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "no table")
	f.BoolVar(&opts.Force, "force", false, "replace an existing output directory")
	return cmd
}

// runResults is what compare reads of one run's results directory.
type runResults struct {
	dir, label string
	summary    runSummary
	// bands[m][j] is measure m's band (compareMeasures) of platform j, in agents (shares as
	// they are).
	bands [][]chart.Curve
}

// runSummary is the part of summary.json compare reads.
type runSummary struct {
	Scenario  string  `json:"scenario"`
	Agents    int     `json:"agents"`
	Steps     int     `json:"steps"`
	Start     string  `json:"start"`
	TimeUnit  string  `json:"time_unit"`
	Scale     float64 `json:"scale"`
	Platforms []struct {
		Name           string  `json:"name"`
		WinProbability float64 `json:"win_probability"`
		FinalUsers     struct {
			Mean, P5, P95 *float64
		} `json:"final_users"`
		FinalShare struct{ Mean *float64 } `json:"final_share"`
	} `json:"platforms"`
}

// compareMeasures are the bands compared: bands.csv's column prefix, the chart's file name
// and its axis, and whether the values count agents (else they are shares).
var compareMeasures = []struct {
	column, file, what string
	counts             bool
}{
	{"users", "adoption", "active users", true},
	{"registered", "registered", "registered users", true},
	{"share", "share", "market share", false},
}

func runCompare(opts *CompareOptions) error {
	runs := make([]*runResults, len(opts.Dirs))
	for i, dir := range opts.Dirs {
		r, err := readRunResults(dir)
		if err != nil {
			return err
		}
		runs[i] = r
	}
	labelRuns(runs)
	if err := checkComparable(runs); err != nil {
		return err
	}
	out := cmp.Or(opts.OutDir, filepath.Join("out", "compare"))
	for _, r := range runs {
		if filepath.Clean(r.dir) == filepath.Clean(out) {
			return &usageError{msg: fmt.Sprintf("compare: the output directory %s is one of the runs compared; give another with -o", out)}
		}
	}
	stage, err := stageResults(out, opts.Force)
	if err != nil {
		return err
	}
	defer stage.Abort()
	if slices.Contains(opts.Formats, "csv") {
		if err := stage.Create("comparison.csv", func(w io.Writer) error { return writeComparisonCSV(w, runs) }); err != nil {
			return err
		}
	}
	for _, c := range compareCharts(runs) {
		for _, f := range chart.Formats {
			if !slices.Contains(opts.Formats, f.String()) {
				continue
			}
			if err := chart.Save(c.chart, stage.Path(c.name+"."+f.String())); err != nil {
				return fmt.Errorf("plot %s: %w", c.name, err)
			}
		}
	}
	if err := stage.Commit(); err != nil {
		return err
	}
	if !opts.Quiet {
		printComparison(opts.Streams.Out, runs)
		fmt.Fprintf(opts.Streams.Out, "results in %s\n", out)
	}
	return nil
}

// readRunResults reads a run's summary.json and bands.csv.
func readRunResults(dir string) (*runResults, error) {
	r := &runResults{dir: dir}
	path := filepath.Join(dir, "summary.json")
	raw, err := strict.ReadFile("run summary", path, strict.MaxCSVBytes)
	if err != nil {
		return nil, fmt.Errorf("compare: %w (compare reads directories msgsim run wrote, with --format including csv and json)", err)
	}
	if err := json.Unmarshal(raw, &r.summary); err != nil {
		return nil, fmt.Errorf("compare: %s: not a run's summary: %w", path, err)
	}
	if len(r.summary.Platforms) == 0 || r.summary.Steps < 1 || !(r.summary.Scale > 0) {
		return nil, fmt.Errorf("compare: %s: not a run's summary (it needs platforms, steps and scale)", path)
	}
	path = filepath.Join(dir, "bands.csv")
	raw, err = strict.ReadFile("run bands", path, strict.MaxCSVBytes)
	if err != nil {
		return nil, fmt.Errorf("compare: %w (compare reads directories msgsim run wrote, with --format including csv and json)", err)
	}
	if r.bands, err = readBands(raw, path, r.summary.Steps, r.platformNames()); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *runResults) platformNames() []string {
	names := make([]string, len(r.summary.Platforms))
	for j, p := range r.summary.Platforms {
		names[j] = p.Name
	}
	return names
}

// readBands reads the bands of compareMeasures from bands.csv: one row per step and
// platform, steps 0 to steps, platforms in summary.json's order.
func readBands(raw []byte, path string, steps int, platforms []string) ([][]chart.Curve, error) {
	rows, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("compare: %s: %w", path, err)
	}
	if want := 1 + (steps+1)*len(platforms); len(rows) != want {
		return nil, fmt.Errorf("compare: %s has %d rows, want %d (a header, then %d steps of %d platforms, as its summary.json says)", path, len(rows), want, steps+1, len(platforms))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	bands := make([][]chart.Curve, len(compareMeasures))
	for m, measure := range compareMeasures {
		var cols [3]int
		for k, stat := range []string{"_mean", "_p5", "_p95"} {
			c, ok := col[measure.column+stat]
			if !ok {
				return nil, fmt.Errorf("compare: %s has no %s column (its header: %s)", path, measure.column+stat, strings.Join(rows[0], ","))
			}
			cols[k] = c
		}
		bands[m] = make([]chart.Curve, len(platforms))
		for j, name := range platforms {
			cv := chart.Curve{Name: name, Mean: make([]float64, steps+1), Low: make([]float64, steps+1), High: make([]float64, steps+1)}
			for t := 0; t <= steps; t++ {
				row := rows[1+t*len(platforms)+j]
				if got := row[col["platform"]]; got != name || row[col["step"]] != strconv.Itoa(t) {
					return nil, fmt.Errorf("compare: %s line %d: step %s of %s, want step %d of %s (the rows are by step, platforms in summary.json's order)", path, 2+t*len(platforms)+j, row[col["step"]], got, t, name)
				}
				for k, dst := range [][]float64{cv.Mean, cv.Low, cv.High} {
					dst[t] = math.NaN() // an empty cell: a share of nobody
					if s := row[cols[k]]; s != "" {
						x, err := strconv.ParseFloat(s, 64)
						if err != nil {
							return nil, fmt.Errorf("compare: %s line %d: %s: %w", path, 2+t*len(platforms)+j, rows[0][cols[k]], err)
						}
						dst[t] = x
					}
				}
			}
			bands[m][j] = cv
		}
	}
	return bands, nil
}

// labelRuns names each run by its directory's last element, or by its whole path when two
// runs share that name.
func labelRuns(runs []*runResults) {
	seen := map[string]bool{}
	unique := true
	for _, r := range runs {
		base := filepath.Base(filepath.Clean(r.dir))
		unique = unique && !seen[base]
		seen[base] = true
	}
	for _, r := range runs {
		r.label = filepath.Clean(r.dir)
		if unique {
			r.label = filepath.Base(r.label)
		}
	}
}

// checkComparable refuses runs whose platforms or calendars differ from the baseline's.
func checkComparable(runs []*runResults) error {
	base := runs[0]
	for _, r := range runs[1:] {
		if got, want := r.platformNames(), base.platformNames(); !slices.Equal(got, want) {
			return fmt.Errorf("compare: %s has platforms %s, the baseline %s has %s: runs compare only over the same platforms, in the same order",
				r.dir, strings.Join(got, ", "), base.dir, strings.Join(want, ", "))
		}
		if got, want := span(r.summary), span(base.summary); got != want {
			return fmt.Errorf("compare: %s runs %s, the baseline %s runs %s: runs compare only on the same calendar", r.dir, got, base.dir, want)
		}
	}
	return nil
}

// span is a run's calendar in words: "160 weeks from 2011-01-21".
func span(s runSummary) string {
	words := fmt.Sprintf("%d %s", s.Steps, s.TimeUnit)
	if s.Steps != 1 {
		words += "s"
	}
	if s.Start != "" {
		words += " from " + s.Start
	}
	return words
}

// peopleFactor turns r's agents into the unit u of the baseline's charts and table.
func (r *runResults) peopleFactor(base *runResults, u chart.Unit) float64 {
	return r.summary.Scale / base.summary.Scale * u.Factor
}

// compareCharts is a chart per measure and platform with each run's mean and band.
func compareCharts(runs []*runResults) []namedChart {
	base := runs[0].summary
	u := chart.PeopleUnit(base.Scale, base.Agents)
	x := make([]float64, base.Steps+1)
	for t := range x {
		x[t] = float64(t)
	}
	var start calendar.Calendar
	if base.Start != "" {
		start, _ = calendar.New(base.Start, calendar.Unit(base.TimeUnit))
	}
	axis := chart.TimeAxis{Unit: base.TimeUnit, Start: start.Start}
	zero, one := 0.0, 1.0
	var charts []namedChart
	for m, measure := range compareMeasures {
		for j, p := range base.Platforms {
			c := chart.Lines{
				Title:  fmt.Sprintf("%s: %s, %d runs (mean and 5-95%%)", p.Name, measure.what, len(runs)),
				XLabel: axis.Label(), XTicks: axis.Ticks(), X: x,
				YLabel: "share of platform users", YMin: &zero, YMax: &one,
			}
			if measure.counts {
				c.YLabel, c.YMin, c.YMax = measure.what+" ("+u.Name+")", nil, nil
			}
			for _, r := range runs {
				cv := r.bands[m][j]
				factor := 1.0
				if measure.counts {
					factor = r.peopleFactor(runs[0], u)
				}
				c.Curves = append(c.Curves, chart.Curve{Name: r.label, Mean: scaled(cv.Mean, factor), Low: scaled(cv.Low, factor), High: scaled(cv.High, factor)})
			}
			charts = append(charts, namedChart{measure.file + "_" + p.Name, c})
		}
	}
	return charts
}

func scaled(xs []float64, factor float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * factor
	}
	return out
}

// comparison is one run's outcome for one platform and its change from the baseline's, in
// people.
type comparison struct {
	run                       *runResults
	platform                  string
	users, usersP5, usersP95  float64
	share, win                float64
	dUsers, dRelative, dShare float64 // NaN for the baseline
	dWin                      float64
}

// comparisons are every run's outcomes, platform by platform, in run order.
func comparisons(runs []*runResults) []comparison {
	var out []comparison
	value := func(p *float64, factor float64) float64 {
		if p == nil {
			return math.NaN()
		}
		return *p * factor
	}
	for _, r := range runs {
		for j, p := range r.summary.Platforms {
			people := r.summary.Scale
			c := comparison{
				run: r, platform: p.Name,
				users: value(p.FinalUsers.Mean, people), usersP5: value(p.FinalUsers.P5, people), usersP95: value(p.FinalUsers.P95, people),
				share: value(p.FinalShare.Mean, 1), win: p.WinProbability,
				dUsers: math.NaN(), dRelative: math.NaN(), dShare: math.NaN(), dWin: math.NaN(),
			}
			if r != runs[0] {
				b := out[j] // the baseline's
				c.dUsers, c.dShare, c.dWin = c.users-b.users, c.share-b.share, c.win-b.win
				if b.users != 0 {
					c.dRelative = c.dUsers / b.users
				}
			}
			out = append(out, c)
		}
	}
	return out
}

// writeComparisonCSV writes the comparisons, people counted in people; changes are empty for
// the baseline.
func writeComparisonCSV(w io.Writer, runs []*runResults) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"run", "dir", "platform", "final_users_people_mean", "final_users_people_p5", "final_users_people_p95", "final_share", "win_probability",
		"final_users_people_change", "final_users_relative_change", "final_share_change", "win_probability_change"})
	for _, c := range comparisons(runs) {
		row := []string{c.run.label, c.run.dir, c.platform}
		for _, x := range []float64{c.users, c.usersP5, c.usersP95, c.share, c.win, c.dUsers, c.dRelative, c.dShare, c.dWin} {
			s := ""
			if !math.IsNaN(x) {
				s = strconv.FormatFloat(round6(x), 'f', -1, 64)
			}
			row = append(row, s)
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// printComparison prints the comparisons as a table, in the baseline's unit.
func printComparison(w io.Writer, runs []*runResults) {
	base := runs[0].summary
	u := chart.PeopleUnit(base.Scale, base.Agents)
	perPerson := u.Factor / base.Scale
	fmt.Fprintf(w, "%s against the baseline %s (%s, %s):\n", plural(len(runs)-1, "run"), runs[0].label, base.Scenario, span(base))
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "RUN\tPLATFORM\tFINAL USERS (%s)\t5-95%%\tSHARE\tP(WIN)\tUSERS VS BASELINE\tSHARE VS BASELINE\tP(WIN) VS BASELINE\n", u.Name)
	for _, c := range comparisons(runs) {
		users, lo, hi := c.users, c.usersP5, c.usersP95
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s-%s\t%s\t%.0f%%", c.run.label, c.platform, num(&users, perPerson), num(&lo, perPerson), num(&hi, perPerson), num(&c.share, 1), 100*c.win)
		if !math.IsNaN(c.dUsers) {
			d := c.dUsers
			rel := "-"
			if !math.IsNaN(c.dRelative) {
				rel = fmt.Sprintf("%+.1f%%", 100*c.dRelative)
			}
			fmt.Fprintf(tw, "\t%s%s (%s)\t%+.3f\t%+.0f points\n", sign(d), num(&d, perPerson), rel, c.dShare, 100*c.dWin)
			continue
		}
		fmt.Fprint(tw, "\t\t\t\n") // the baseline: empty cells keep the columns aligned
	}
	tw.Flush()
	for line := range strings.Lines(table.String()) {
		fmt.Fprintln(w, strings.TrimRight(line, " \n"))
	}
}

// sign is "+" before a number num prints without one.
func sign(x float64) string {
	if x >= 0 {
		return "+"
	}
	return ""
}
