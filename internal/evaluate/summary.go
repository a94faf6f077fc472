package evaluate

import (
	"github.com/msgsim/msgsim/internal/calendar"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/model/graph"
	"github.com/msgsim/msgsim/scenarios"
)

// Band is a measure's course across replicates for one platform: the mean per step and,
// with more than one replicate, the 5% and 95% empirical quantiles (nil with one).
type Band struct {
	Name      string
	Mean      []float64
	Low, High []float64
}

// Bands summarises a measure across replicates, per platform: the mean and, with more than
// one replicate, the 5% and 95% empirical quantiles. Values are multiplied by factor (e.g. the
// scenario's scale in millions). NaN values are left out; a step with no value is NaN.
func Bands(runs []*model.Series, measure Measure, factor float64) []Band {
	first := runs[0]
	curves := make([]Band, len(first.Platforms))
	values := make([]float64, 0, len(runs))
	for j, name := range first.Platforms {
		c := Band{Name: name, Mean: make([]float64, first.Steps+1)}
		if len(runs) > 1 {
			c.Low, c.High = make([]float64, first.Steps+1), make([]float64, first.Steps+1)
		}
		for t := 0; t <= first.Steps; t++ {
			values = values[:0]
			for _, s := range runs {
				if x := measure(s, t, j); !math.IsNaN(x) {
					values = append(values, x*factor)
				}
			}
			c.Mean[t] = math.NaN()
			if len(values) > 0 {
				c.Mean[t] = stat.Mean(values, nil)
			}
			if len(runs) > 1 {
				c.Low[t], c.High[t] = math.NaN(), math.NaN()
				if len(values) > 0 {
					slices.Sort(values)
					c.Low[t] = stat.Quantile(0.05, stat.Empirical, values, nil)
					c.High[t] = stat.Quantile(0.95, stat.Empirical, values, nil)
				}
			}
		}
		curves[j] = c
	}
	return curves
}

// RunOutcome is what one run ended with, per platform.
type RunOutcome struct {
	Replicate int               `json:"replicate"`
	Seed      uint64            `json:"seed"`
	Winner    string            `json:"winner"` // most final users; "tie" or "none" otherwise
	Platforms []PlatformOutcome `json:"platforms"`
}

// PlatformOutcome is one platform's result in one run: the value of every metric.
type PlatformOutcome struct {
	Name string `json:"name"`
	// Values holds each metric's value, indexed like Metrics; NaN = none (null in JSON).
	Values []float64 `json:"-"`
}

// Value is the outcome's value of the metric named name (a Metric's Name); it panics on a
// name not in the table, which only code spells.
func (p PlatformOutcome) Value(name string) float64 { return p.Values[metricIndex(name)] }

// MarshalJSON writes the name, then every metric that summary.json shows under its key.
func (p PlatformOutcome) MarshalJSON() ([]byte, error) {
	return metricsJSON([]keyValue{{"name", p.Name}}, func(i int) any {
		if math.IsNaN(p.Values[i]) {
			return nil
		}
		return p.Values[i]
	})
}

// Outcome computes a run's outcome: every metric of the table, per platform.
func Outcome(s *model.Series, replicate int, seed uint64) RunOutcome {
	out := RunOutcome{Replicate: replicate, Seed: seed, Winner: Winner(s), Platforms: make([]PlatformOutcome, len(s.Platforms))}
	values := make([]float64, len(s.Platforms)*len(Metrics))
	for j, name := range s.Platforms {
		po := PlatformOutcome{Name: name, Values: values[j*len(Metrics) : (j+1)*len(Metrics) : (j+1)*len(Metrics)]}
		for i, m := range Metrics {
			po.Values[i] = m.Value(s, j)
		}
		out.Platforms[j] = po
	}
	return out
}

// Winner is the platform with the most users at a run's last step; "tie" when several
// share the most, "none" when nobody uses any.
func Winner(s *model.Series) string {
	winner, best := "none", int64(0)
	for j, name := range s.Platforms {
		switch final := s.Users[s.At(s.Steps, j)]; {
		case final > best:
			best, winner = final, name
		case final == best && final > 0:
			winner = "tie"
		}
	}
	return winner
}

// Stat is a distribution over replicates. Fields are null when no replicate has a value.
type Stat struct {
	Mean *float64 `json:"mean"`
	P5   *float64 `json:"p5"`
	P50  *float64 `json:"p50"`
	P95  *float64 `json:"p95"`
	N    int      `json:"n"` // replicates with a value
	// Dates are, for a step-valued metric of a scenario with a calendar, the first days of
	// the steps holding the mean (its whole part) and the quantiles; none otherwise.
	Dates *StatDates `json:"dates,omitempty"`
}

// StatDates are a step-valued Stat's steps as dates (YYYY-MM-DD, the step's first day).
type StatDates struct {
	Mean string `json:"mean"`
	P5   string `json:"p5"`
	P50  string `json:"p50"`
	P95  string `json:"p95"`
}

// datedBy gives a step-valued stat its dates on cal; a stat without values has none.
func (st Stat) datedBy(cal calendar.Calendar) Stat {
	if st.N == 0 || !cal.IsSet() {
		return st
	}
	date := func(step *float64) string { return calendar.Format(cal.DateOf(int(math.Floor(*step)))) }
	st.Dates = &StatDates{Mean: date(st.Mean), P5: date(st.P5), P50: date(st.P50), P95: date(st.P95)}
	return st
}

func newStat(values []float64) Stat {
	if len(values) == 0 {
		return Stat{}
	}
	d := Describe(values)
	r := func(x float64) *float64 { x = round6(x); return &x }
	return Stat{Mean: r(d.Mean), P5: r(d.P5), P50: r(d.P50), P95: r(d.P95), N: d.N}
}

// Distribution summarises values over replicates: their mean, sample standard deviation
// (NaN with fewer than two) and 5, 50 and 95% empirical quantiles; NaN when there are none.
type Distribution struct {
	Mean, SD, P5, P50, P95 float64
	N                      int
}

// Describe gives the distribution of xs (left unchanged).
func Describe(xs []float64) Distribution {
	nan := math.NaN()
	d := Distribution{Mean: nan, SD: nan, P5: nan, P50: nan, P95: nan, N: len(xs)}
	if len(xs) == 0 {
		return d
	}
	sorted := slices.Sorted(slices.Values(xs))
	d.Mean = stat.Mean(sorted, nil)
	if len(sorted) > 1 {
		d.SD = stat.StdDev(sorted, nil)
	}
	d.P5 = stat.Quantile(0.05, stat.Empirical, sorted, nil)
	d.P50 = stat.Quantile(0.5, stat.Empirical, sorted, nil)
	d.P95 = stat.Quantile(0.95, stat.Empirical, sorted, nil)
	return d
}

// round6 keeps JSON stable across platforms' float printing of long fractions.
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// Summary is the JSON summary of a scenario run over its replicates.
type Summary struct {
	Scenario   string            `json:"scenario"`
	Source     string            `json:"source"`
	Seed       uint64            `json:"seed"`
	Agents     int               `json:"agents"`
	Steps      int               `json:"steps"`
	Start      string            `json:"start,omitempty"` // the date of step 0 (steps are time_unit long); none without a calendar
	TimeUnit   string            `json:"time_unit"`
	Scale      float64           `json:"scale"`
	Replicates int               `json:"replicates"`
	Graph      GraphSummary      `json:"graph"`
	Winner     string            `json:"winner"` // the platform that wins most replicates
	Platforms  []PlatformSummary `json:"platforms"`
	Runs       []RunOutcome      `json:"runs"`
	// Record is the scenario's published figures against the model (none without a record).
	Record []RecordRow `json:"record,omitempty"`
}

// GraphSummary is the contact graph the runs used: with layers, the first layer's (the one
// word of mouth travels on), and every layer in Layers.
type GraphSummary struct {
	Kind     string           `json:"kind"`
	EdgeList *EdgeListSummary `json:"edge_list,omitempty"` // kind file only
	Layers   []LayerSummary   `json:"layers,omitempty"`    // with layers only, in the scenario's order
}

// LayerSummary names one layer of contacts and the kind of graph it was drawn from.
type LayerSummary struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// EdgeListSummary counts what the edge-list reader kept and dropped: Contacts,
// SelfLoopsDropped and RepeatedPairsDropped add up to Lines.
type EdgeListSummary struct {
	Path                 string `json:"path"`
	Lines                int64  `json:"lines"` // data lines: comments and blank lines are not counted
	Nodes                int    `json:"nodes"`
	Contacts             int64  `json:"contacts"`
	SelfLoopsDropped     int64  `json:"self_loops_dropped"`
	RepeatedPairsDropped int64  `json:"repeated_pairs_dropped"` // including the reverse of a pair already read
}

// NewEdgeListSummary summarises the reader's counts for the edge list at path.
func NewEdgeListSummary(path string, info *graph.EdgeListInfo) *EdgeListSummary {
	return &EdgeListSummary{
		Path: path, Lines: info.Lines, Nodes: len(info.IDs), Contacts: info.Edges,
		SelfLoopsDropped: info.SelfLoops, RepeatedPairsDropped: info.Duplicates,
	}
}

// PlatformSummary aggregates one platform's outcomes over replicates.
type PlatformSummary struct {
	Name           string  `json:"name"`
	WinProbability float64 `json:"win_probability"`
	// Stats holds each metric's distribution, indexed like Metrics.
	Stats []Stat `json:"-"`
}

// Stat is the summary's distribution of the metric named name (a Metric's Name); it panics
// on a name not in the table, which only code spells.
func (p PlatformSummary) Stat(name string) Stat { return p.Stats[metricIndex(name)] }

// MarshalJSON writes the name and win probability, then every metric that summary.json
// shows under its key.
func (p PlatformSummary) MarshalJSON() ([]byte, error) {
	return metricsJSON([]keyValue{{"name", p.Name}, {"win_probability", p.WinProbability}}, func(i int) any { return p.Stats[i] })
}

// Summarize aggregates run outcomes: every metric of the table, over the replicates that
// have a value. Header fields (scenario, seed, ...) are the caller's.
func Summarize(outcomes []RunOutcome) (winner string, platforms []PlatformSummary) {
	if len(outcomes) == 0 {
		return "none", nil
	}
	wins := map[string]int{}
	for _, o := range outcomes {
		wins[o.Winner]++
	}
	winner, most := "none", 0
	for j, p := range outcomes[0].Platforms {
		ps := PlatformSummary{Name: p.Name, WinProbability: round6(float64(wins[p.Name]) / float64(len(outcomes))), Stats: make([]Stat, len(Metrics))}
		for i := range Metrics {
			var xs []float64
			for _, o := range outcomes {
				if x := o.Platforms[j].Values[i]; !math.IsNaN(x) {
					xs = append(xs, x)
				}
			}
			ps.Stats[i] = newStat(xs)
		}
		platforms = append(platforms, ps)
		if wins[p.Name] > most {
			winner, most = p.Name, wins[p.Name]
		}
	}
	return winner, platforms
}

// ScenarioSummary is the summary of a scenario's runs, replicate r having run with
// model.ReplicateSeed(seed, r): what msgsim run writes as summary.json.
func ScenarioSummary(sc *scenarios.Scenario, runs []*model.Series) Summary {
	outcomes := make([]RunOutcome, len(runs))
	for r, s := range runs {
		outcomes[r] = Outcome(s, r, model.ReplicateSeed(sc.File.Seed, r))
	}
	winner, platforms := Summarize(outcomes)
	for _, ps := range platforms {
		for i, m := range Metrics {
			if m.Unit == "step" {
				ps.Stats[i] = ps.Stats[i].datedBy(sc.Calendar)
			}
		}
	}
	g := GraphSummary{Kind: string(sc.Config.FirstGraph().Kind)}
	for _, layer := range sc.Config.Layers {
		g.Layers = append(g.Layers, LayerSummary{Name: layer.Name, Kind: string(layer.Graph.Kind)})
	}
	if sc.GraphInfo != nil {
		g.EdgeList = NewEdgeListSummary(sc.GraphPath, sc.GraphInfo)
	}
	summary := Summary{
		Scenario: sc.File.Name, Source: sc.Source, Seed: sc.File.Seed, Agents: sc.Config.Agents,
		Steps: sc.Config.Steps, Start: sc.File.Start, TimeUnit: sc.File.TimeUnit, Scale: sc.File.Scale,
		Replicates: len(runs), Graph: g, Winner: winner, Platforms: platforms, Runs: outcomes,
	}
	if sc.Record != nil {
		summary.Record = RecordTable(sc.Record, runs, sc.File.Scale)
	}
	return summary
}
