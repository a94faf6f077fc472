package sweep

import (
	"math"

	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/output"
)

// Metrics are the per-platform outcomes of a run; each is recorded as METRIC.PLATFORM.
// time_to_X is the first step with X% of the platform's final users (NaN if it ends with
// none); multihoming is the share of its final users who also use another platform.
var Metrics = []string{
	"final_users", "final_share", "final_registered", "peak_users", "peak_step",
	"time_to_10", "time_to_50", "time_to_90", "multihoming",
}

// OutcomeNames lists a sweep's outcomes for the given platforms: "winner" (a platform name,
// "tie" or "none"), "adopters" (agents using any platform at the end), then every metric per
// platform, metric-major.
func OutcomeNames(platforms []string) []string {
	names := []string{"winner", "adopters"}
	for _, m := range Metrics {
		for _, p := range platforms {
			names = append(names, m+"."+p)
		}
	}
	return names
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
func measure(s *model.Series, point, replicate int, seed uint64) Record {
	o := output.Outcome(s, replicate, seed)
	rec := Record{Point: point, Replicate: replicate, Seed: seed, Winner: o.Winner}
	rec.Values = append(rec.Values, float64(s.Adopters[s.Steps]))
	timeTo := func(t *int) float64 {
		if t == nil {
			return math.NaN()
		}
		return float64(*t)
	}
	for _, m := range Metrics {
		for j, po := range o.Platforms {
			var x float64
			switch m {
			case "final_users":
				x = float64(po.FinalUsers)
			case "final_share":
				x = po.FinalShare
			case "final_registered":
				x = float64(po.FinalRegistered)
			case "peak_users":
				x = float64(po.PeakUsers)
			case "peak_step":
				x = float64(po.PeakStep)
			case "time_to_10":
				x = timeTo(po.TimeTo10)
			case "time_to_50":
				x = timeTo(po.TimeTo50)
			case "time_to_90":
				x = timeTo(po.TimeTo90)
			case "multihoming":
				x = 0
				if po.FinalUsers > 0 {
					x = float64(s.MultiHomers[s.At(s.Steps, j)]) / float64(po.FinalUsers)
				}
			}
			rec.Values = append(rec.Values, x)
		}
	}
	return rec
}
