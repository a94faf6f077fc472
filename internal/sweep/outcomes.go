package sweep

import (
	"github.com/msgsim/msgsim/internal/evaluate"
	"github.com/msgsim/msgsim/model"
)

// Metrics are the names of the per-platform outcomes of a run (evaluate.MetricNames), in
// column order; each is recorded as METRIC.PLATFORM.
func Metrics() []string { return evaluate.MetricNames() }

// OutcomeNames lists a sweep's outcomes for the given platforms and segments: "winner" (a
// platform name, "tie" or "none"), "adopters" (agents using any platform at the end), then
// every metric per platform as METRIC.PLATFORM, metric-major in the order of
// evaluate.SweepMetrics, then, when the scenario has segments, every segment metric per
// platform and segment as METRIC.PLATFORM.SEGMENT (evaluate.SegmentMetrics), then, when the
// sweep file lists moments (at:), the users and share at each (atOutcomeNames).
func OutcomeNames(platforms, segments []string, at []Moment) []string {
	names := []string{"winner", "adopters"}
	for _, m := range Metrics() {
		for _, p := range platforms {
			names = append(names, m+"."+p)
		}
	}
	for _, m := range evaluate.SegmentMetrics {
		for _, p := range platforms {
			for _, g := range segments {
				names = append(names, m.Name+"."+p+"."+g)
			}
		}
	}
	return append(names, atOutcomeNames(platforms, at)...)
}

// Record is one finished run.
type Record struct {
	Point     int       `json:"point"`
	Replicate int       `json:"replicate"`
	Seed      uint64    `json:"seed"`
	Winner    string    `json:"winner"`
	Values    []float64 `json:"-"` // numeric outcomes, aligned with OutcomeNames()[1:]; NaN = none
}

// measure computes a run's outcomes.
func measure(s *model.Series, job evaluate.Job, at []Moment) Record {
	rec := Record{Point: job.Point, Replicate: job.Replicate, Seed: job.Seed, Winner: evaluate.Winner(s)}
	metrics := evaluate.SweepMetrics()
	rec.Values = make([]float64, 0, 1+len(metrics)*len(s.Platforms))
	rec.Values = append(rec.Values, float64(s.Adopters[s.Steps]))
	for _, m := range metrics {
		for j := range s.Platforms {
			rec.Values = append(rec.Values, m.Value(s, j))
		}
	}
	for _, m := range evaluate.SegmentMetrics {
		for j := range s.Platforms {
			for g := range s.Segments {
				rec.Values = append(rec.Values, m.Value(s, g, j))
			}
		}
	}
	rec.Values = atValues(rec.Values, s, at)
	return rec
}
