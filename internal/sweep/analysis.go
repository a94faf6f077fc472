package sweep

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat"

	"github.com/msgsim/msgsim/internal/streams"
	"github.com/msgsim/msgsim/internal/sweep/sensitivity"
	"github.com/msgsim/msgsim/output"
	plot "github.com/msgsim/msgsim/output/chart"
)

// Formats a sweep can write; tables are always CSV.
var Formats = []string{"png", "svg", "parquet"}

// Analysis is what the sweep's plots and summary say about the analysed outcome.
type Analysis struct {
	Outcome     string
	Sensitivity *output.Table // per factor indices (sobol, morris), else nil
	Ranking     []FactorEffect
	Tipping     []string // sentences: where a platform's chance of winning crosses 1/2
	// TippingSearched says the design orders its points along factors, so that Tipping
	// being empty means no crossing; sampled designs (sobol, morris, ...) have no such order.
	TippingSearched bool
	Notes           []string
}

// FactorEffect is one factor's importance for the outcome, by the design's measure.
type FactorEffect struct {
	Factor  string
	Measure string // "total Sobol index", "Morris mu*", "|Spearman rank correlation|", "range of the mean"
	Value   float64
}

// WriteResults writes the tables, plots, sensitivity table and summary.md of a finished
// sweep into dir, each file atomically.
func WriteResults(dir *output.ResultDir, res *Result, formats []string) (*Analysis, error) {
	t := BuildTables(res)
	for name, table := range map[string]output.Table{"runs": t.Runs, "points": t.Points} {
		if err := dir.WriteFile(name+".csv", func(w io.Writer) error { return output.WriteTableCSV(w, table) }); err != nil {
			return nil, err
		}
		if slices.Contains(formats, "parquet") {
			if err := dir.WriteFile(name+".parquet", func(w io.Writer) error { return output.WriteParquet(w, table) }); err != nil {
				return nil, err
			}
		}
	}
	a, charts, err := analyse(res, t)
	if err != nil {
		return nil, err
	}
	if a.Sensitivity != nil {
		if err := dir.WriteFile("sensitivity.csv", func(w io.Writer) error { return output.WriteTableCSV(w, *a.Sensitivity) }); err != nil {
			return nil, err
		}
	}
	for _, c := range charts {
		for _, ext := range []string{"png", "svg"} {
			if !slices.Contains(formats, ext) {
				continue
			}
			if err := dir.RenderFile(c.name+"."+ext, c.save); err != nil {
				return nil, fmt.Errorf("plot %s: %w", c.name, err)
			}
		}
	}
	if err := dir.WriteFile("summary.md", func(w io.Writer) error { return writeSummary(w, res, t, a, charts) }); err != nil {
		return nil, err
	}
	return a, nil
}

type chart struct {
	name, title string
	save        func(path string) error
}

// analyse picks the analysis the design supports.
func analyse(res *Result, t Tables) (*Analysis, []chart, error) {
	plan := res.Plan
	sw := plan.Sweep
	k, err := t.outcomeIndex(sw.Outcome)
	if err != nil {
		return nil, nil, err
	}
	a := &Analysis{Outcome: sw.Outcome}
	means := make([]float64, len(plan.Points))
	for p := range means {
		means[p] = t.Stats[k][p].Mean
	}
	numeric := make([]bool, len(sw.File.Factors))
	for i := range numeric {
		_, word := plan.Points[0].Values[i].(string)
		numeric[i] = !word
	}
	var charts []chart
	switch {
	case sw.File.Design == "sobol":
		charts = append(charts, sobolAnalysis(a, plan, means)...)
	case sw.File.Design == "morris":
		charts = append(charts, morrisAnalysis(a, plan, means)...)
	case sw.File.Design == "grid" && len(sw.File.Factors) == 1 && numeric[0]:
		charts = append(charts, oneFactor(a, plan, t, k)...)
	case sw.File.Design == "grid" && len(sw.File.Factors) == 2 && numeric[0] && numeric[1]:
		charts = append(charts, twoFactors(a, plan, t, k)...)
	case sw.File.Design == "grid" && len(sw.File.Factors) <= 2:
		rankCorrelations(a, plan, means, numeric)
		levelTipping(a, plan, t, numeric)
		charts = append(charts, levelLines(a, plan, t, k, numeric))
	default:
		rankCorrelations(a, plan, means, numeric)
		charts = append(charts, scatterChart(a, plan, t))
	}
	return a, charts, nil
}

func factorValues(plan *Plan, k int) []float64 {
	xs := make([]float64, len(plan.Points))
	for p, pt := range plan.Points {
		xs[p] = pt.Values[k].(float64)
	}
	return xs
}

// outcomePlatform is the platform an outcome is about ("final_share.laiwang" and
// "final_share.laiwang.vendors" -> index of laiwang).
func outcomePlatform(outcome string, platforms []string) int {
	parts := strings.Split(outcome, ".")
	if len(parts) < 2 {
		return -1
	}
	return slices.Index(platforms, parts[1])
}

func oneFactor(a *Analysis, plan *Plan, t Tables, k int) []chart {
	f := plan.Sweep.File.Factors[0]
	// Values may be listed in any order; curves and crossings follow the factor's value.
	order := make([]int, len(plan.Points))
	for p := range order {
		order[p] = p
	}
	unsorted := factorValues(plan, 0)
	slices.SortStableFunc(order, func(p, q int) int { return cmpFloat(unsorted[p], unsorted[q]) })
	x := make([]float64, len(order))
	c := plot.Curve{Name: a.Outcome, Mean: make([]float64, len(x)), Low: make([]float64, len(x)), High: make([]float64, len(x))}
	for i, p := range order {
		st := t.Stats[k][p]
		x[i] = unsorted[p]
		c.Mean[i], c.Low[i], c.High[i] = st.Mean, st.P5, st.P95
	}
	title := plan.Sweep.File.Name
	charts := []chart{{name: "outcome", title: a.Outcome + " against " + f.Path, save: func(path string) error {
		return plot.Save(plot.Lines{Title: title + ": " + a.Outcome, XLabel: plan.Sweep.Labels[0], YLabel: a.Outcome + " (mean, 5-95% of replicates)", X: x, Curves: []plot.Curve{c}}, path)
	}}}
	a.Ranking = []FactorEffect{{Factor: f.Path, Measure: "range of the mean", Value: spread(c.Mean)}}
	split := false
	var wins []plot.Curve
	a.TippingSearched = true
	for j, name := range t.Platforms {
		w := make([]float64, len(order))
		for i, p := range order {
			w[i] = t.WinProbability[j][p]
			split = split || (w[i] > 0 && w[i] < 1)
		}
		wins = append(wins, plot.Curve{Name: name, Mean: w})
		a.Tipping = append(a.Tipping, crossings(name, f.Path, x, w)...)
	}
	if split {
		a.Notes = append(a.Notes, "Outcomes split: at some points different replicates were won by different platforms (lock-in), so read the chance of winning (p_win.png), not only the mean.")
	}
	zero, one := 0.0, 1.0
	charts = append(charts, chart{name: "p_win", title: "chance of winning against " + f.Path, save: func(path string) error {
		return plot.Save(plot.Lines{Title: title + ": chance of winning", XLabel: plan.Sweep.Labels[0], YLabel: "share of replicates won", X: x, Curves: wins, YMin: &zero, YMax: &one}, path)
	}})
	return charts
}

// crossings describes where a platform's chance of winning crosses 1/2 along a factor.
func crossings(platform, factor string, x, p []float64) []string {
	var out []string
	for i := 1; i < len(x); i++ {
		a, b := p[i-1]-0.5, p[i]-0.5
		// A crossing lies strictly inside the interval or at its right end; one at the left
		// end was counted with the interval before.
		if math.IsNaN(a) || math.IsNaN(b) || a == 0 || a*b > 0 {
			continue
		}
		at := x[i-1] + (x[i]-x[i-1])*a/(a-b)
		dir := "above"
		if b < a {
			dir = "below"
		}
		out = append(out, fmt.Sprintf("%s's chance of winning passes %s 1/2 at %s ≈ %.3g", platform, dir, factor, at))
	}
	return out
}

func spread(xs []float64) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		if !math.IsNaN(x) {
			lo, hi = min(lo, x), max(hi, x)
		}
	}
	return hi - lo
}

func twoFactors(a *Analysis, plan *Plan, t Tables, k int) []chart {
	fx, fy := plan.Sweep.File.Factors[0], plan.Sweep.File.Factors[1]
	xs, ys := uniqueSorted(factorValues(plan, 0)), uniqueSorted(factorValues(plan, 1))
	z := grid2(plan, xs, ys, func(p int) float64 { return t.Stats[k][p].Mean })
	h := plot.Heatmap{Title: plan.Sweep.File.Name + ": " + a.Outcome, XLabel: plan.Sweep.Labels[0], YLabel: plan.Sweep.Labels[1], ZLabel: a.Outcome, X: xs, Y: ys, Z: z}
	if j := outcomePlatform(a.Outcome, t.Platforms); j >= 0 {
		h.Boundary = grid2(plan, xs, ys, func(p int) float64 { return t.WinProbability[j][p] })
		h.BoundaryLevel = 0.5
		h.BoundaryLabel = "P(" + t.Platforms[j] + " wins) = 1/2"
		a.TippingSearched = true
		a.Tipping = append(a.Tipping, boundarySentences(t.Platforms[j], fx.Path, fy.Path, xs, ys, h.Boundary)...)
	}
	rowSpread, colSpread := 0.0, 0.0
	for _, row := range z {
		rowSpread = max(rowSpread, spread(row))
	}
	for c := range xs {
		col := make([]float64, len(ys))
		for r := range ys {
			col[r] = z[r][c]
		}
		colSpread = max(colSpread, spread(col))
	}
	a.Ranking = []FactorEffect{
		{Factor: fx.Path, Measure: "largest range of the mean along it", Value: rowSpread},
		{Factor: fy.Path, Measure: "largest range of the mean along it", Value: colSpread},
	}
	sortRanking(a)
	return []chart{{name: "heatmap", title: a.Outcome + " over " + fx.Path + " and " + fy.Path, save: func(path string) error { return plot.Save(h, path) }}}
}

// levelTipping finds crossings of 1/2 in a grid of one or two factors of which at least one
// is categorical: along the first factor, for each level of the second. Word levels are
// taken in the order the sweep file lists them, numbers in order of value.
func levelTipping(a *Analysis, plan *Plan, t Tables, numeric []bool) {
	factors := plan.Sweep.File.Factors
	kinds := plan.Sweep.Kinds
	along := factors[0].levels(kinds[0])
	rows := []any{nil}
	if len(factors) == 2 {
		rows = factors[1].levels(kinds[1])
	}
	// Grid points run through the second factor's levels fastest.
	alongOrder := make([]int, len(along))
	for i := range alongOrder {
		alongOrder[i] = i
	}
	if numeric[0] {
		slices.SortStableFunc(alongOrder, func(i, j int) int { return cmpFloat(along[i].(float64), along[j].(float64)) })
	}
	a.TippingSearched = true
	for r, row := range rows {
		for j, name := range t.Platforms {
			p := make([]float64, len(along))
			for i, level := range alongOrder {
				p[i] = t.WinProbability[j][level*len(rows)+r]
			}
			var sentences []string
			if numeric[0] {
				x := make([]float64, len(along))
				for i, level := range alongOrder {
					x[i] = along[level].(float64)
				}
				sentences = crossings(name, factors[0].Path, x, p)
			} else {
				sentences = levelCrossings(name, factors[0].Path, along, p)
			}
			for _, s := range sentences {
				if len(factors) == 2 {
					s = fmt.Sprintf("with %s = %s: %s", factors[1].Path, formatValue(row), s)
				}
				a.Tipping = append(a.Tipping, s)
			}
		}
	}
}

// levelCrossings describes between which consecutive levels of a categorical factor a
// platform's chance of winning crosses 1/2; there is no value in between to interpolate.
func levelCrossings(platform, factor string, levels []any, p []float64) []string {
	var out []string
	for i := 1; i < len(levels); i++ {
		a, b := p[i-1]-0.5, p[i]-0.5
		// As in crossings: a crossing at the left level was counted with the pair before.
		if math.IsNaN(a) || math.IsNaN(b) || a == 0 || a*b > 0 {
			continue
		}
		if b == 0 {
			out = append(out, fmt.Sprintf("%s's chance of winning reaches 1/2 at %s = %s", platform, factor, formatValue(levels[i])))
			continue
		}
		dir := "above"
		if b < a {
			dir = "below"
		}
		out = append(out, fmt.Sprintf("%s's chance of winning passes %s 1/2 between %s = %s and %s = %s", platform, dir, factor, formatValue(levels[i-1]), factor, formatValue(levels[i])))
	}
	return out
}

// boundarySentences says, for each value of the second factor, where along the first the
// chance of winning crosses 1/2.
func boundarySentences(platform, fx, fy string, xs, ys []float64, p [][]float64) []string {
	var out []string
	for r, y := range ys {
		for _, s := range crossings(platform, fx, xs, p[r]) {
			out = append(out, fmt.Sprintf("with %s = %.3g: %s", fy, y, s))
		}
	}
	return out
}

func uniqueSorted(xs []float64) []float64 {
	return slices.Compact(slices.Sorted(slices.Values(xs)))
}

// grid2 arranges a per-point value on the (y, x) grid of two factors.
func grid2(plan *Plan, xs, ys []float64, value func(p int) float64) [][]float64 {
	z := make([][]float64, len(ys))
	for r := range z {
		z[r] = make([]float64, len(xs))
		for c := range z[r] {
			z[r][c] = math.NaN()
		}
	}
	for p, pt := range plan.Points {
		c, _ := slices.BinarySearch(xs, pt.Values[0].(float64))
		r, _ := slices.BinarySearch(ys, pt.Values[1].(float64))
		z[r][c] = value(p)
	}
	return z
}

const bootstrapResamples = 500

func sobolAnalysis(a *Analysis, plan *Plan, means []float64) []chart {
	n, d := plan.SaltelliN, len(plan.Sweep.File.Factors)
	fA, fB := means[:n], means[n:2*n]
	fAB := make([][]float64, d)
	for i := range d {
		fAB[i] = means[(2+i)*n : (3+i)*n]
	}
	first, total, err := sensitivity.SobolBootstrap(fA, fB, fAB, bootstrapResamples, rand.New(rand.NewPCG(plan.Sweep.File.Seed, streams.SobolBootstrap)))
	if err != nil {
		a.Notes = append(a.Notes, fmt.Sprintf("No Sobol indices: %v.", err))
		return nil
	}
	names := factorNames(plan)
	tbl := output.Table{Columns: []output.Column{{Name: "factor", Strings: names}}}
	for _, s := range []struct {
		name string
		iv   []sensitivity.Interval
	}{{"first_order", first}, {"total", total}} {
		est, lo, hi := intervals(s.iv)
		tbl.Columns = append(tbl.Columns, output.Column{Name: s.name, Floats: est}, output.Column{Name: s.name + "_low", Floats: lo}, output.Column{Name: s.name + "_high", Floats: hi})
	}
	a.Sensitivity = &tbl
	for i, iv := range total {
		a.Ranking = append(a.Ranking, FactorEffect{Factor: names[i], Measure: "total Sobol index", Value: iv.Estimate})
	}
	sortRanking(a)
	e1, l1, h1 := intervals(first)
	eT, lT, hT := intervals(total)
	bars := plot.Bars{Title: plan.Sweep.File.Name + ": Sobol indices of " + a.Outcome, YLabel: "share of variance (95% bootstrap CI)", Labels: plan.Sweep.Labels,
		Series: []plot.BarSeries{{Name: "first order", Values: e1, Low: l1, High: h1}, {Name: "total", Values: eT, Low: lT, High: hT}}}
	return []chart{{name: "sensitivity", title: "Sobol indices", save: func(path string) error { return plot.Save(bars, path) }}}
}

func morrisAnalysis(a *Analysis, plan *Plan, means []float64) []chart {
	d := len(plan.Sweep.File.Factors)
	f := make([][]float64, len(plan.Trajectories))
	for t := range f {
		f[t] = means[t*(d+1) : (t+1)*(d+1)]
	}
	muStar, mu, sigma, err := sensitivity.Morris(plan.Trajectories, f)
	if err != nil {
		a.Notes = append(a.Notes, fmt.Sprintf("No Morris measures: %v.", err))
		return nil
	}
	ci, err := sensitivity.MorrisBootstrap(plan.Trajectories, f, bootstrapResamples, rand.New(rand.NewPCG(plan.Sweep.File.Seed, streams.MorrisBootstrap)))
	if err != nil {
		a.Notes = append(a.Notes, fmt.Sprintf("No Morris intervals: %v.", err))
		return nil
	}
	names := factorNames(plan)
	_, lo, hi := intervals(ci)
	a.Sensitivity = &output.Table{Columns: []output.Column{
		{Name: "factor", Strings: names}, {Name: "mu_star", Floats: muStar}, {Name: "mu_star_low", Floats: lo},
		{Name: "mu_star_high", Floats: hi}, {Name: "mu", Floats: mu}, {Name: "sigma", Floats: sigma},
	}}
	for i := range names {
		a.Ranking = append(a.Ranking, FactorEffect{Factor: names[i], Measure: "Morris mu*", Value: muStar[i]})
	}
	sortRanking(a)
	bars := plot.Bars{Title: plan.Sweep.File.Name + ": Morris screening of " + a.Outcome, YLabel: "elementary effect (mu* with 95% CI, sigma)", Labels: plan.Sweep.Labels,
		Series: []plot.BarSeries{{Name: "mu*", Values: muStar, Low: lo, High: hi}, {Name: "sigma", Values: sigma}}}
	return []chart{{name: "sensitivity", title: "Morris mu* and sigma", save: func(path string) error { return plot.Save(bars, path) }}, muSigmaChart(plan, a.Outcome, muStar, sigma)}
}

// rankCorrelations ranks numeric factors by |Spearman correlation| with the point means: a
// rough screen for designs without their own measure.
func rankCorrelations(a *Analysis, plan *Plan, means []float64, numeric []bool) {
	for k, f := range plan.Sweep.File.Factors {
		if !numeric[k] {
			continue
		}
		var xs, ys []float64
		for p, m := range means {
			if !math.IsNaN(m) {
				xs, ys = append(xs, plan.Points[p].Values[k].(float64)), append(ys, m)
			}
		}
		if len(xs) < 3 {
			continue
		}
		rho := stat.Correlation(ranks(xs), ranks(ys), nil)
		if !math.IsNaN(rho) {
			a.Ranking = append(a.Ranking, FactorEffect{Factor: f.Path, Measure: "|Spearman rank correlation|", Value: math.Abs(rho)})
		}
	}
	sortRanking(a)
}

// ranks gives average ranks (ties share the mean rank).
func ranks(xs []float64) []float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmpFloat(xs[a], xs[b]) })
	r := make([]float64, len(xs))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && xs[idx[j+1]] == xs[idx[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			r[idx[k]] = float64(i+j)/2 + 1
		}
		i = j + 1
	}
	return r
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func sortRanking(a *Analysis) {
	slices.SortStableFunc(a.Ranking, func(x, y FactorEffect) int { return cmpFloat(y.Value, x.Value) })
}

func factorNames(plan *Plan) []string {
	names := make([]string, len(plan.Sweep.File.Factors))
	for i, f := range plan.Sweep.File.Factors {
		names[i] = f.Path
	}
	return names
}

func intervals(ivs []sensitivity.Interval) (est, lo, hi []float64) {
	for _, iv := range ivs {
		est, lo, hi = append(est, iv.Estimate), append(lo, iv.Low), append(hi, iv.High)
	}
	return est, lo, hi
}

// writeSummary is summary.md: what was run, how long it took, what matters, where it tips.
func writeSummary(w io.Writer, res *Result, t Tables, a *Analysis, charts []chart) error {
	sw := res.Plan.Sweep
	f := sw.File
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", f.Name)
	base := f.Base
	if base == "" {
		base = "the default scenario"
	}
	fmt.Fprintf(&b, "- Design: %s over %d factor(s) of %s: %d points x %d replicates = %d runs", f.Design, len(f.Factors), base, len(res.Plan.Points), f.Replicates, res.Plan.Runs())
	// Nothing about this invocation (its time, runs resumed, shards merged): summary.md is
	// the same however the sweep was run, whole, interrupted and resumed, or in shards. The
	// terminal line says how long it took.
	b.WriteString(".\n")
	fmt.Fprintf(&b, "- Seed %d; each run's seed derives from (seed, point, replicate) and is in runs.csv.\n", f.Seed)
	fmt.Fprintf(&b, "- Outcome analysed: `%s`.\n\n## Factors\n\n| factor | levels or distribution |\n|---|---|\n", a.Outcome)
	for _, fac := range f.Factors {
		fmt.Fprintf(&b, "| `%s` | %s |\n", fac.Path, fac.describe())
	}
	if len(a.Ranking) > 0 {
		b.WriteString("\n## What matters most\n\n| rank | factor | measure | value |\n|---|---|---|---|\n")
		for i, r := range a.Ranking {
			fmt.Fprintf(&b, "| %d | `%s` | %s | %.3g |\n", i+1, r.Factor, r.Measure, r.Value)
		}
	}
	if a.TippingSearched {
		b.WriteString("\n## Tipping points\n\n")
		if len(a.Tipping) == 0 {
			b.WriteString("No platform's chance of winning crosses 1/2 inside the swept ranges.\n")
		}
		for _, s := range a.Tipping {
			b.WriteString("- " + s + "\n")
		}
	}
	if len(a.Notes) > 0 {
		b.WriteString("\n## Notes\n\n")
		for _, n := range a.Notes {
			b.WriteString("- " + n + "\n")
		}
	}
	b.WriteString("\n## Files\n\n- `runs.csv`: one row per run (factor values, seed, outcomes).\n- `points.csv`: one row per point (mean, sd, 5/50/95% of each outcome; chance each platform wins).\n")
	if a.Sensitivity != nil {
		b.WriteString("- `sensitivity.csv`: the sensitivity measures with 95% bootstrap intervals.\n")
	}
	for _, c := range charts {
		fmt.Fprintf(&b, "- `%s.png`: %s.\n", c.name, c.title)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (f Factor) describe() string {
	switch {
	case f.Values != nil:
		parts := make([]string, len(f.Values))
		for i, v := range f.Values {
			parts[i] = formatValue(v)
		}
		return "values " + strings.Join(parts, ", ")
	case f.Range != nil && f.Range.Steps > 0:
		return fmt.Sprintf("%d %s steps from %g to %g", f.Range.Steps, f.Range.Scale, f.Range.From, f.Range.To)
	case f.Range != nil:
		return fmt.Sprintf("%s over [%g, %g]", f.Range.Scale, f.Range.From, f.Range.To)
	case f.Uniform != nil:
		return fmt.Sprintf("uniform on [%g, %g]", f.Uniform.Min, f.Uniform.Max)
	case f.LogUniform != nil:
		return fmt.Sprintf("log-uniform on [%g, %g]", f.LogUniform.Min, f.LogUniform.Max)
	case f.Normal != nil:
		return fmt.Sprintf("normal(%g, %g)", f.Normal.Mean, f.Normal.SD)
	}
	return ""
}
