package evaluate

import (
	"math"

	"github.com/msgsim/msgsim/model"
)

// Metric is one number a run ends with, per platform: one entry of the table behind
// summary.json's statistics, the sweep's outcomes and tables, and (as Measures) the series
// calibration targets compare with. A metric has one name per consumer that spells it:
// Name in sweep files and tables (NAME.PLATFORM), SummaryKey in summary.json, where a
// different spelling came first and stays so that neither output changes.
type Metric struct {
	Name        string
	SummaryKey  string // "" when summary.json leaves the metric out
	Description string
	Unit        string // agents, share or step
	// Value reads the metric from a run's platform outcome: NaN when the run has none (a
	// time to x% of a platform that ends with no users).
	Value func(PlatformOutcome) float64
	// stat is the metric's field in summary.json's platform summary (nil without SummaryKey).
	stat func(*PlatformSummary) *Stat
}

// Metrics is the table, in the order of the sweep's outcome columns.
var Metrics = []Metric{
	{Name: "final_users", SummaryKey: "final_users", Unit: "agents", Description: "agents using the platform at the last step",
		Value: func(o PlatformOutcome) float64 { return float64(o.FinalUsers) }, stat: func(p *PlatformSummary) *Stat { return &p.FinalUsers }},
	{Name: "final_share", SummaryKey: "final_share", Unit: "share", Description: "the platform's share of all platform users at the last step (0 when nobody uses any)",
		Value: func(o PlatformOutcome) float64 { return o.FinalShare }, stat: func(p *PlatformSummary) *Stat { return &p.FinalShare }},
	{Name: "final_registered", SummaryKey: "final_registered", Unit: "agents", Description: "agents that ever had the platform, at the last step",
		Value: func(o PlatformOutcome) float64 { return float64(o.FinalRegistered) }, stat: func(p *PlatformSummary) *Stat { return &p.FinalRegistered }},
	{Name: "peak_users", SummaryKey: "peak_users", Unit: "agents", Description: "the most agents using the platform at any step",
		Value: func(o PlatformOutcome) float64 { return float64(o.PeakUsers) }, stat: func(p *PlatformSummary) *Stat { return &p.PeakUsers }},
	{Name: "peak_step", SummaryKey: "peak_step", Unit: "step", Description: "the first step with the peak users",
		Value: func(o PlatformOutcome) float64 { return float64(o.PeakStep) }, stat: func(p *PlatformSummary) *Stat { return &p.PeakStep }},
	{Name: "time_to_10", SummaryKey: "time_to_10pct", Unit: "step", Description: "the first step with 10% of the platform's final users; none if it ends with none",
		Value: func(o PlatformOutcome) float64 { return optional(o.TimeTo10) }, stat: func(p *PlatformSummary) *Stat { return &p.TimeTo10 }},
	{Name: "time_to_50", SummaryKey: "time_to_50pct", Unit: "step", Description: "the first step with 50% of the platform's final users; none if it ends with none",
		Value: func(o PlatformOutcome) float64 { return optional(o.TimeTo50) }, stat: func(p *PlatformSummary) *Stat { return &p.TimeTo50 }},
	{Name: "time_to_90", SummaryKey: "time_to_90pct", Unit: "step", Description: "the first step with 90% of the platform's final users; none if it ends with none",
		Value: func(o PlatformOutcome) float64 { return optional(o.TimeTo90) }, stat: func(p *PlatformSummary) *Stat { return &p.TimeTo90 }},
	{Name: "multihoming", Unit: "share", Description: "the share of the platform's final users who also use another platform (0 when it has none)",
		Value: func(o PlatformOutcome) float64 { return o.MultiHoming }},
}

// MetricNames are the metrics' names, in table order.
func MetricNames() []string {
	names := make([]string, len(Metrics))
	for i, m := range Metrics {
		names[i] = m.Name
	}
	return names
}

func optional(t *int) float64 {
	if t == nil {
		return math.NaN()
	}
	return float64(*t)
}

// Measure extracts one number per (step, platform) from a series.
type Measure func(s *model.Series, step, platform int) float64

// The measures msgsim plots.
var (
	ActiveUsers     Measure = func(s *model.Series, t, j int) float64 { return float64(s.Users[s.At(t, j)]) }
	RegisteredUsers Measure = func(s *model.Series, t, j int) float64 { return float64(s.Registered[s.At(t, j)]) }
	// MarketShare is NaN while nobody uses any platform: a share of nothing is undefined,
	// and a NaN leaves a gap in the plot instead of a false drop to zero.
	MarketShare Measure = func(s *model.Series, t, j int) float64 {
		if s.Adopters[t] == 0 {
			return math.NaN()
		}
		return s.Share(t, j)
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
	{Name: "share", Description: "the platform's share of all platform users (none while nobody uses any)", Unit: "share", Measure: MarketShare},
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
