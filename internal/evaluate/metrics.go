package evaluate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"github.com/msgsim/msgsim/model"
)

// Metric is one number a run ends with, per platform: one entry of the table behind
// summary.json's statistics, the sweep's outcomes and tables, and msgsim run's printout. A
// metric is this entry and nothing else: outcomes, summaries and their JSON hold values
// indexed by the table. It has one name per consumer that spells it: Name in sweep files
// and tables (NAME.PLATFORM), SummaryKey in summary.json, where a different spelling came
// first and stays so that neither output changes.
type Metric struct {
	Name        string
	SummaryKey  string // "" when summary.json leaves the metric out
	Description string
	Unit        string // agents, share or step
	// Headline metrics lead the sweep's outcome columns, which otherwise follow the table;
	// summary.json follows the table. The two orders came first and both are kept.
	Headline bool
	// Value computes the metric from a run's series for one platform: NaN when the run has
	// none (a time to x% of a platform that ends with no users).
	Value func(s *model.Series, platform int) float64
}

// Metrics is the table, in summary.json's order.
var Metrics = []Metric{
	{Name: "final_users", SummaryKey: "final_users", Unit: "agents", Headline: true, Description: "agents using the platform at the last step",
		Value: func(s *model.Series, j int) float64 { return ActiveUsers(s, s.Steps, j) }},
	{Name: "final_registered", SummaryKey: "final_registered", Unit: "agents", Description: "agents that ever had the platform, at the last step",
		Value: func(s *model.Series, j int) float64 { return RegisteredUsers(s, s.Steps, j) }},
	{Name: "final_share", SummaryKey: "final_share", Unit: "share", Headline: true, Description: "the platform's share of all platform users at the last step (0 when nobody uses any)",
		Value: func(s *model.Series, j int) float64 { return round6(s.Share(s.Steps, j)) }},
	{Name: "peak_users", SummaryKey: "peak_users", Unit: "agents", Description: "the most agents using the platform at any step",
		Value: func(s *model.Series, j int) float64 { users, _ := peak(s, j); return float64(users) }},
	{Name: "peak_step", SummaryKey: "peak_step", Unit: "step", Description: "the first step with the peak users",
		Value: func(s *model.Series, j int) float64 { _, step := peak(s, j); return float64(step) }},
	{Name: "time_to_10", SummaryKey: "time_to_10pct", Unit: "step", Description: "the first step with 10% of the platform's final users; none if it ends with none",
		Value: func(s *model.Series, j int) float64 { return timeTo(s, j, 0.1) }},
	{Name: "time_to_50", SummaryKey: "time_to_50pct", Unit: "step", Description: "the first step with 50% of the platform's final users; none if it ends with none",
		Value: func(s *model.Series, j int) float64 { return timeTo(s, j, 0.5) }},
	{Name: "time_to_90", SummaryKey: "time_to_90pct", Unit: "step", Description: "the first step with 90% of the platform's final users; none if it ends with none",
		Value: func(s *model.Series, j int) float64 { return timeTo(s, j, 0.9) }},
	{Name: "multihoming", Unit: "share", Description: "the share of the platform's final users who also use another platform (0 when it has none)",
		Value: multiHoming},
}

// SweepMetrics are the metrics in the sweep's column order: the headline metrics, then the
// others, each in table order.
func SweepMetrics() []Metric {
	ordered := make([]Metric, 0, len(Metrics))
	for _, headline := range []bool{true, false} {
		for _, m := range Metrics {
			if m.Headline == headline {
				ordered = append(ordered, m)
			}
		}
	}
	return ordered
}

// MetricNames are the metrics' names in the sweep's column order.
func MetricNames() []string {
	ordered := SweepMetrics()
	names := make([]string, len(ordered))
	for i, m := range ordered {
		names[i] = m.Name
	}
	return names
}

// metricIndex is the table index of the metric named name. Callers name metrics in code, so
// an unknown name is a programming error.
func metricIndex(name string) int {
	for i, m := range Metrics {
		if m.Name == name {
			return i
		}
	}
	panic(fmt.Sprintf("evaluate: no metric named %q", name))
}

// metricsJSON writes a JSON object of the leading fields, then value(i) under the summary
// key of every metric i that summary.json shows, in table order.
func metricsJSON(lead []keyValue, value func(i int) any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	write := func(key string, v any) error {
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(key) // a string always marshals
		buf.Write(k)
		buf.WriteByte(':')
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		buf.Write(b)
		return nil
	}
	for _, f := range lead {
		if err := write(f.key, f.value); err != nil {
			return nil, err
		}
	}
	for i, m := range Metrics {
		if m.SummaryKey == "" {
			continue
		}
		if err := write(m.SummaryKey, value(i)); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

type keyValue struct {
	key   string
	value any
}

// peak is the platform's most users at any step and the first step with them.
func peak(s *model.Series, j int) (users int64, step int) {
	for t := 0; t <= s.Steps; t++ {
		if u := s.Users[s.At(t, j)]; u > users {
			users, step = u, t
		}
	}
	return users, step
}

// timeTo is the first step at which active users reach fraction of the platform's final
// (eventual) users; NaN when it ends with none.
func timeTo(s *model.Series, j int, fraction float64) float64 {
	final := s.Users[s.At(s.Steps, j)]
	if final == 0 {
		return math.NaN()
	}
	goal := fraction * float64(final)
	for t := 0; t <= s.Steps; t++ {
		if float64(s.Users[s.At(t, j)]) >= goal {
			return float64(t)
		}
	}
	return math.NaN()
}

func multiHoming(s *model.Series, j int) float64 {
	final := s.Users[s.At(s.Steps, j)]
	if final == 0 {
		return 0
	}
	return float64(s.MultiHomers[s.At(s.Steps, j)]) / float64(final)
}

// Measure extracts one number per (step, platform) from a series.
type Measure func(s *model.Series, step, platform int) float64

// The measures msgsim plots.
var (
	ActiveUsers     Measure = func(s *model.Series, t, j int) float64 { return float64(s.Users[s.At(t, j)]) }
	RegisteredUsers Measure = func(s *model.Series, t, j int) float64 { return float64(s.Registered[s.At(t, j)]) }
	// WindowedActiveUsers counts the agents that used the platform at some step of the
	// scenario's active window ending at t; without a window (W <= 1) they are the active users.
	WindowedActiveUsers Measure = func(s *model.Series, t, j int) float64 {
		if !s.Windowed() {
			return float64(s.Users[s.At(t, j)])
		}
		return float64(s.WindowedActive[s.At(t, j)])
	}
	// MarketShare is NaN while nobody uses any platform: a share of nothing is undefined,
	// and a NaN leaves a gap in the plot instead of a false drop to zero.
	MarketShare Measure = func(s *model.Series, t, j int) float64 {
		if s.Adopters[t] == 0 {
			return math.NaN()
		}
		return s.Share(t, j)
	}
	// Penetration is the platform's users over the agents in the market (Series.MarketAt:
	// all agents without a schedule); NaN while the market is empty.
	Penetration Measure = func(s *model.Series, t, j int) float64 {
		market := s.MarketAt(t)
		if market == 0 {
			return math.NaN()
		}
		return float64(s.Users[s.At(t, j)]) / float64(market)
	}
)

// NamedMeasure is a measure as scenario-facing files name it: calibration targets compare
// data with the series of this name.
type NamedMeasure struct {
	Name        string
	Description string
	Unit        string
	Measure     Measure
}

// Measures is the table of named per-step series.
var Measures = []NamedMeasure{
	{Name: "active", Description: "agents using the platform at the end of the step", Unit: "agents", Measure: ActiveUsers},
	{Name: "registered", Description: "agents that have ever had the platform (a preinstall counts)", Unit: "agents", Measure: RegisteredUsers},
	{Name: "windowed_active", Description: "agents that used the platform at some step of the last active_window steps (active without a window)", Unit: "agents", Measure: WindowedActiveUsers},
	{Name: "share", Description: "the platform's share of all platform users (none while nobody uses any)", Unit: "share", Measure: MarketShare},
	{Name: "penetration", Description: "the platform's users over the agents in the market (all agents without a market schedule; none while the market is empty)", Unit: "share", Measure: Penetration},
}

// MeasureNamed finds a measure by name.
func MeasureNamed(name string) (Measure, bool) {
	for _, m := range Measures {
		if m.Name == name {
			return m.Measure, true
		}
	}
	return nil, false
}
