package evaluate

import (
	"math"

	"github.com/msgsim/msgsim/model"
)

// SegmentMeasure extracts one number per (step, segment, platform) from a series with
// segments; segment indexes Series.Segments (0 is the default segment, the agents in no
// listed one).
type SegmentMeasure func(s *model.Series, step, segment, platform int) float64

// The measures a series keeps per segment.
var (
	SegmentActiveUsers SegmentMeasure = func(s *model.Series, t, g, j int) float64 {
		return float64(s.SegmentUsers[s.AtSegment(t, g, j)])
	}
	SegmentRegisteredUsers SegmentMeasure = func(s *model.Series, t, g, j int) float64 {
		return float64(s.SegmentRegistered[s.AtSegment(t, g, j)])
	}
	// SegmentMarketShare is the platform's share of the segment's platform users; NaN while
	// none of the segment uses any platform, as MarketShare.
	SegmentMarketShare SegmentMeasure = func(s *model.Series, t, g, j int) float64 {
		var total int64
		for k := range s.Platforms {
			total += s.SegmentUsers[s.AtSegment(t, g, k)]
		}
		if total == 0 {
			return math.NaN()
		}
		return float64(s.SegmentUsers[s.AtSegment(t, g, j)]) / float64(total)
	}
	// SegmentPenetration is the share of the segment's agents using the platform; NaN for an
	// empty segment.
	SegmentPenetration SegmentMeasure = func(s *model.Series, t, g, j int) float64 {
		if s.SegmentAgents[g] == 0 {
			return math.NaN()
		}
		return float64(s.SegmentUsers[s.AtSegment(t, g, j)]) / float64(s.SegmentAgents[g])
	}
)

// segmentMeasures are the named measures (see Measures) that a series keeps per segment:
// calibration targets that name a segment compare data with these.
var segmentMeasures = map[string]SegmentMeasure{
	"active": SegmentActiveUsers, "registered": SegmentRegisteredUsers, "share": SegmentMarketShare,
}

// SegmentMeasureNames lists the measures that may be taken within a segment, in the order of
// Measures.
func SegmentMeasureNames() []string {
	var names []string
	for _, m := range Measures {
		if segmentMeasures[m.Name] != nil {
			names = append(names, m.Name)
		}
	}
	return names
}

// InSegment returns the named measure taken within segment g alone.
func InSegment(name string, g int) (Measure, bool) {
	m, ok := segmentMeasures[name]
	if !ok {
		return nil, false
	}
	return func(s *model.Series, t, j int) float64 { return m(s, t, g, j) }, true
}

// SegmentBands is Bands for a measure within each segment: one band per segment and platform,
// segment-major, named "PLATFORM, SEGMENT".
func SegmentBands(runs []*model.Series, measure SegmentMeasure, factor float64) []Band {
	var bands []Band
	for g, segment := range runs[0].Segments {
		for _, b := range Bands(runs, func(s *model.Series, t, j int) float64 { return measure(s, t, g, j) }, factor) {
			b.Name += ", " + segment
			bands = append(bands, b)
		}
	}
	return bands
}

// SegmentMetric is one number a run ends with per platform and segment: a sweep outcome
// METRIC.PLATFORM.SEGMENT when the scenario has segments.
type SegmentMetric struct {
	Name        string
	Description string
	Unit        string // agents or share
	Value       func(s *model.Series, segment, platform int) float64
}

// SegmentMetrics is the table of per-segment metrics, in column order.
var SegmentMetrics = []SegmentMetric{
	{Name: "final_users", Unit: "agents", Description: "agents of the segment using the platform at the last step",
		Value: func(s *model.Series, g, j int) float64 { return SegmentActiveUsers(s, s.Steps, g, j) }},
	{Name: "final_registered", Unit: "agents", Description: "agents of the segment that ever had the platform, at the last step",
		Value: func(s *model.Series, g, j int) float64 { return SegmentRegisteredUsers(s, s.Steps, g, j) }},
	{Name: "final_share", Unit: "share", Description: "the platform's share of the segment's platform users at the last step (0 when none uses any)",
		Value: func(s *model.Series, g, j int) float64 {
			if x := SegmentMarketShare(s, s.Steps, g, j); !math.IsNaN(x) {
				return round6(x)
			}
			return 0
		}},
}
