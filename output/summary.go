package output

import (
	"encoding/json"
	"io"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/model/graph"
)

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

// Bands summarises a measure across replicates, per platform: the mean and, with more than
// one replicate, the 5% and 95% empirical quantiles. Values are multiplied by factor (e.g. the
// scenario's scale in millions). NaN values are left out; a step with no value is NaN.
func Bands(runs []*model.Series, measure Measure, factor float64) []Curve {
	first := runs[0]
	curves := make([]Curve, len(first.Platforms))
	values := make([]float64, 0, len(runs))
	for j, name := range first.Platforms {
		c := Curve{Name: name, Mean: make([]float64, first.Steps+1)}
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

// PlatformOutcome is one platform's result in one run. Times are steps; nil when never reached.
type PlatformOutcome struct {
	Name            string  `json:"name"`
	FinalUsers      int64   `json:"final_users"`
	FinalRegistered int64   `json:"final_registered"`
	FinalShare      float64 `json:"final_share"`
	PeakUsers       int64   `json:"peak_users"`
	PeakStep        int     `json:"peak_step"`
	TimeTo10        *int    `json:"time_to_10pct"`
	TimeTo50        *int    `json:"time_to_50pct"`
	TimeTo90        *int    `json:"time_to_90pct"`
}

// Outcome computes a run's outcome. "Time to x%" is the first step at which active users
// reach x% of the platform's final (eventual) users.
func Outcome(s *model.Series, replicate int, seed uint64) RunOutcome {
	out := RunOutcome{Replicate: replicate, Seed: seed, Winner: "none"}
	var best int64
	for j, name := range s.Platforms {
		final := s.Users[s.At(s.Steps, j)]
		po := PlatformOutcome{Name: name, FinalUsers: final, FinalRegistered: s.Registered[s.At(s.Steps, j)], FinalShare: round6(s.Share(s.Steps, j))}
		for t := 0; t <= s.Steps; t++ {
			u := s.Users[s.At(t, j)]
			if u > po.PeakUsers {
				po.PeakUsers, po.PeakStep = u, t
			}
		}
		po.TimeTo10, po.TimeTo50, po.TimeTo90 = timeTo(s, j, final, 0.1), timeTo(s, j, final, 0.5), timeTo(s, j, final, 0.9)
		switch {
		case final > best:
			best, out.Winner = final, name
		case final == best && final > 0:
			out.Winner = "tie"
		}
		out.Platforms = append(out.Platforms, po)
	}
	return out
}

func timeTo(s *model.Series, j int, final int64, fraction float64) *int {
	if final == 0 {
		return nil
	}
	goal := fraction * float64(final)
	for t := 0; t <= s.Steps; t++ {
		if float64(s.Users[s.At(t, j)]) >= goal {
			return &t
		}
	}
	return nil
}

// Stat is a distribution over replicates. Fields are null when no replicate has a value.
type Stat struct {
	Mean *float64 `json:"mean"`
	P5   *float64 `json:"p5"`
	P50  *float64 `json:"p50"`
	P95  *float64 `json:"p95"`
	N    int      `json:"n"` // replicates with a value
}

func newStat(values []float64) Stat {
	if len(values) == 0 {
		return Stat{}
	}
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	q := func(p float64) *float64 { x := round6(stat.Quantile(p, stat.Empirical, sorted, nil)); return &x }
	mean := round6(stat.Mean(sorted, nil))
	return Stat{Mean: &mean, P5: q(0.05), P50: q(0.5), P95: q(0.95), N: len(values)}
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
	TimeUnit   string            `json:"time_unit"`
	Scale      float64           `json:"scale"`
	Replicates int               `json:"replicates"`
	Graph      GraphSummary      `json:"graph"`
	Winner     string            `json:"winner"` // the platform that wins most replicates
	Platforms  []PlatformSummary `json:"platforms"`
	Runs       []RunOutcome      `json:"runs"`
}

// GraphSummary is the contact graph the runs used.
type GraphSummary struct {
	Kind     string           `json:"kind"`
	EdgeList *EdgeListSummary `json:"edge_list,omitempty"` // kind file only
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
	Name            string  `json:"name"`
	WinProbability  float64 `json:"win_probability"`
	FinalUsers      Stat    `json:"final_users"`
	FinalRegistered Stat    `json:"final_registered"`
	FinalShare      Stat    `json:"final_share"`
	PeakUsers       Stat    `json:"peak_users"`
	PeakStep        Stat    `json:"peak_step"`
	TimeTo10        Stat    `json:"time_to_10pct"`
	TimeTo50        Stat    `json:"time_to_50pct"`
	TimeTo90        Stat    `json:"time_to_90pct"`
}

// Summarize aggregates run outcomes. Header fields (scenario, seed, ...) are the caller's.
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
		collect := func(get func(PlatformOutcome) (float64, bool)) Stat {
			var xs []float64
			for _, o := range outcomes {
				if x, ok := get(o.Platforms[j]); ok {
					xs = append(xs, x)
				}
			}
			return newStat(xs)
		}
		val := func(f func(PlatformOutcome) float64) Stat {
			return collect(func(po PlatformOutcome) (float64, bool) { return f(po), true })
		}
		opt := func(f func(PlatformOutcome) *int) Stat {
			return collect(func(po PlatformOutcome) (float64, bool) {
				if t := f(po); t != nil {
					return float64(*t), true
				}
				return 0, false
			})
		}
		platforms = append(platforms, PlatformSummary{
			Name:            p.Name,
			WinProbability:  round6(float64(wins[p.Name]) / float64(len(outcomes))),
			FinalUsers:      val(func(po PlatformOutcome) float64 { return float64(po.FinalUsers) }),
			FinalRegistered: val(func(po PlatformOutcome) float64 { return float64(po.FinalRegistered) }),
			FinalShare:      val(func(po PlatformOutcome) float64 { return po.FinalShare }),
			PeakUsers:       val(func(po PlatformOutcome) float64 { return float64(po.PeakUsers) }),
			PeakStep:        val(func(po PlatformOutcome) float64 { return float64(po.PeakStep) }),
			TimeTo10:        opt(func(po PlatformOutcome) *int { return po.TimeTo10 }),
			TimeTo50:        opt(func(po PlatformOutcome) *int { return po.TimeTo50 }),
			TimeTo90:        opt(func(po PlatformOutcome) *int { return po.TimeTo90 }),
		})
		if wins[p.Name] > most {
			winner, most = p.Name, wins[p.Name]
		}
	}
	return winner, platforms
}

// WriteJSON writes v as indented JSON with a trailing newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
