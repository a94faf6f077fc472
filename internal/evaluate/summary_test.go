package evaluate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/internal/calendar"
	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/scenarios"
)

// usersSeries builds a series from active users only: users[t][j] is platform j's users at
// step t. Registered is users+100*(j+1) so that it differs from Users; Adopters is the sum of
// users (nobody multi-homes), so it is zero exactly when nobody uses anything; the flow
// columns are left at zero.
func usersSeries(platforms []string, users [][]int64) *model.Series {
	np := len(platforms)
	s := &model.Series{
		Platforms:   platforms,
		Agents:      1000,
		Steps:       len(users) - 1,
		Users:       make([]int64, 0, len(users)*np),
		Registered:  make([]int64, 0, len(users)*np),
		NewUsers:    make([]int64, len(users)*np),
		Leavers:     make([]int64, len(users)*np),
		MultiHomers: make([]int64, len(users)*np),
		Adopters:    make([]int64, len(users)),
	}
	for _, row := range users {
		if len(row) != np {
			panic(fmt.Sprintf("row %v has %d values, want %d", row, len(row), np))
		}
		t := len(s.Users) / np
		for j, u := range row {
			s.Users = append(s.Users, u)
			s.Registered = append(s.Registered, u+int64(100*(j+1)))
			s.Adopters[t] += u
		}
	}
	return s
}

func iptr(v int) *int { return &v }

func fmtTime(p *int) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

// outcomeFields spells a platform outcome of the shipped metrics field by field, so that
// tests can write and compare them; nil times are none.
type outcomeFields struct {
	Name                         string
	FinalUsers, FinalRegistered  int64
	FinalShare                   float64
	PeakUsers                    int64
	PeakStep                     int
	TimeTo10, TimeTo50, TimeTo90 *int
	MultiHoming                  float64
}

func optional(t *int) float64 {
	if t == nil {
		return math.NaN()
	}
	return float64(*t)
}

// platform is the outcome with these fields' values.
func (f outcomeFields) platform() PlatformOutcome {
	values := map[string]float64{
		"final_users": float64(f.FinalUsers), "final_registered": float64(f.FinalRegistered), "final_share": f.FinalShare,
		"peak_users": float64(f.PeakUsers), "peak_step": float64(f.PeakStep),
		"time_to_10": optional(f.TimeTo10), "time_to_50": optional(f.TimeTo50), "time_to_90": optional(f.TimeTo90),
		"multihoming": f.MultiHoming,
	}
	po := PlatformOutcome{Name: f.Name, Values: make([]float64, len(Metrics))}
	for i, m := range Metrics {
		v, ok := values[m.Name]
		if !ok {
			panic("outcomeFields has no field for metric " + m.Name)
		}
		po.Values[i] = v
	}
	return po
}

// fieldsOf spells out an outcome's values.
func fieldsOf(po PlatformOutcome) outcomeFields {
	when := func(name string) *int {
		if x := po.Value(name); !math.IsNaN(x) {
			return iptr(int(x))
		}
		return nil
	}
	return outcomeFields{
		Name: po.Name, FinalUsers: int64(po.Value("final_users")), FinalRegistered: int64(po.Value("final_registered")),
		FinalShare: po.Value("final_share"), PeakUsers: int64(po.Value("peak_users")), PeakStep: int(po.Value("peak_step")),
		TimeTo10: when("time_to_10"), TimeTo50: when("time_to_50"), TimeTo90: when("time_to_90"), MultiHoming: po.Value("multihoming"),
	}
}

func fmtOutcome(f outcomeFields) string {
	return fmt.Sprintf("{%s final=%d reg=%d share=%v peak=%d@%d t10=%s t50=%s t90=%s mh=%v}",
		f.Name, f.FinalUsers, f.FinalRegistered, f.FinalShare, f.PeakUsers, f.PeakStep,
		fmtTime(f.TimeTo10), fmtTime(f.TimeTo50), fmtTime(f.TimeTo90), f.MultiHoming)
}

func TestOutcome(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		platforms []string
		users     [][]int64 // [step][platform]
		winner    string
		want      []outcomeFields
	}{
		{
			// A rises to 20 and falls back to 10: the peak is 20 at step 3, but the time-to
			// thresholds are fractions of the final 10 (1, 5, 9 -> steps 1, 2, 3), not of the
			// peak (2, 10, 18 -> steps 2, 3, 3).
			// B reaches exactly 50% of its final 8 at step 2 (4 >= 4).
			// C reaches its peak 3 first at step 1, then again at step 4.
			name:      "rise and fall, exact threshold, first peak",
			platforms: []string{"A", "B", "C"},
			users: [][]int64{
				{0, 0, 0},
				{1, 2, 3},
				{5, 4, 3},
				{20, 6, 1},
				{10, 8, 3},
			},
			winner: "A",
			want: []outcomeFields{
				{Name: "A", FinalUsers: 10, FinalRegistered: 110, FinalShare: 0.47619, PeakUsers: 20, PeakStep: 3, TimeTo10: iptr(1), TimeTo50: iptr(2), TimeTo90: iptr(3)},
				{Name: "B", FinalUsers: 8, FinalRegistered: 208, FinalShare: 0.380952, PeakUsers: 8, PeakStep: 4, TimeTo10: iptr(1), TimeTo50: iptr(2), TimeTo90: iptr(4)},
				{Name: "C", FinalUsers: 3, FinalRegistered: 303, FinalShare: 0.142857, PeakUsers: 3, PeakStep: 1, TimeTo10: iptr(1), TimeTo50: iptr(1), TimeTo90: iptr(1)},
			},
		},
		{
			name:      "nobody uses anything",
			platforms: []string{"A", "B"},
			users:     [][]int64{{0, 0}, {0, 0}, {0, 0}},
			winner:    "none",
			want: []outcomeFields{
				{Name: "A", FinalRegistered: 100},
				{Name: "B", FinalRegistered: 200},
			},
		},
		{
			// A platform that had users and lost them all: a peak but no final users, so no
			// time-to values (they are relative to the final 0).
			name:      "users gone by the end",
			platforms: []string{"A", "B"},
			users:     [][]int64{{0, 0}, {4, 1}, {0, 2}},
			winner:    "B",
			want: []outcomeFields{
				{Name: "A", FinalUsers: 0, FinalRegistered: 100, FinalShare: 0, PeakUsers: 4, PeakStep: 1},
				{Name: "B", FinalUsers: 2, FinalRegistered: 202, FinalShare: 1, PeakUsers: 2, PeakStep: 2, TimeTo10: iptr(1), TimeTo50: iptr(1), TimeTo90: iptr(2)},
			},
		},
		{
			// Preinstalled: the final value is already there at step 0, so every time is 0
			// (a non-nil zero, not "never").
			name:      "reached at step 0",
			platforms: []string{"A"},
			users:     [][]int64{{7}, {7}},
			winner:    "A",
			want: []outcomeFields{
				{Name: "A", FinalUsers: 7, FinalRegistered: 107, FinalShare: 1, PeakUsers: 7, PeakStep: 0, TimeTo10: iptr(0), TimeTo50: iptr(0), TimeTo90: iptr(0)},
			},
		},
		{
			name:      "tie on equal finals",
			platforms: []string{"A", "B"},
			users:     [][]int64{{0, 0}, {5, 5}},
			winner:    "tie",
			want: []outcomeFields{
				{Name: "A", FinalUsers: 5, FinalRegistered: 105, FinalShare: 0.5, PeakUsers: 5, PeakStep: 1, TimeTo10: iptr(1), TimeTo50: iptr(1), TimeTo90: iptr(1)},
				{Name: "B", FinalUsers: 5, FinalRegistered: 205, FinalShare: 0.5, PeakUsers: 5, PeakStep: 1, TimeTo10: iptr(1), TimeTo50: iptr(1), TimeTo90: iptr(1)},
			},
		},
		{
			name:      "tie broken by a later larger platform",
			platforms: []string{"A", "B", "C"},
			users:     [][]int64{{5, 5, 6}},
			winner:    "C",
			want: []outcomeFields{
				{Name: "A", FinalUsers: 5, FinalRegistered: 105, FinalShare: 0.3125, PeakUsers: 5, TimeTo10: iptr(0), TimeTo50: iptr(0), TimeTo90: iptr(0)},
				{Name: "B", FinalUsers: 5, FinalRegistered: 205, FinalShare: 0.3125, PeakUsers: 5, TimeTo10: iptr(0), TimeTo50: iptr(0), TimeTo90: iptr(0)},
				{Name: "C", FinalUsers: 6, FinalRegistered: 306, FinalShare: 0.375, PeakUsers: 6, TimeTo10: iptr(0), TimeTo50: iptr(0), TimeTo90: iptr(0)},
			},
		},
		{
			name:      "tie between the first and the last",
			platforms: []string{"A", "B", "C"},
			users:     [][]int64{{6, 4, 6}},
			winner:    "tie",
			want: []outcomeFields{
				{Name: "A", FinalUsers: 6, FinalRegistered: 106, FinalShare: 0.375, PeakUsers: 6, TimeTo10: iptr(0), TimeTo50: iptr(0), TimeTo90: iptr(0)},
				{Name: "B", FinalUsers: 4, FinalRegistered: 204, FinalShare: 0.25, PeakUsers: 4, TimeTo10: iptr(0), TimeTo50: iptr(0), TimeTo90: iptr(0)},
				{Name: "C", FinalUsers: 6, FinalRegistered: 306, FinalShare: 0.375, PeakUsers: 6, TimeTo10: iptr(0), TimeTo50: iptr(0), TimeTo90: iptr(0)},
			},
		},
		{
			name:      "smaller platform after the leader",
			platforms: []string{"A", "B"},
			users:     [][]int64{{0, 0}, {9, 3}},
			winner:    "A",
			want: []outcomeFields{
				{Name: "A", FinalUsers: 9, FinalRegistered: 109, FinalShare: 0.75, PeakUsers: 9, PeakStep: 1, TimeTo10: iptr(1), TimeTo50: iptr(1), TimeTo90: iptr(1)},
				{Name: "B", FinalUsers: 3, FinalRegistered: 203, FinalShare: 0.25, PeakUsers: 3, PeakStep: 1, TimeTo10: iptr(1), TimeTo50: iptr(1), TimeTo90: iptr(1)},
			},
		},
		{
			// Slow growth: thresholds 10, 50 and 90 of a final 100 are met exactly at
			// steps 1, 5 and 9 (and the step before is below each of them).
			name:      "thresholds met exactly",
			platforms: []string{"A"},
			users:     [][]int64{{0}, {10}, {20}, {30}, {40}, {50}, {60}, {70}, {80}, {90}, {100}},
			winner:    "A",
			want: []outcomeFields{
				{Name: "A", FinalUsers: 100, FinalRegistered: 200, FinalShare: 1, PeakUsers: 100, PeakStep: 10, TimeTo10: iptr(1), TimeTo50: iptr(5), TimeTo90: iptr(9)},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := usersSeries(tc.platforms, tc.users)
			got := Outcome(s, 3, 12345)
			if got.Replicate != 3 || got.Seed != 12345 {
				t.Errorf("replicate, seed = %d, %d; want 3, 12345", got.Replicate, got.Seed)
			}
			if got.Winner != tc.winner {
				t.Errorf("winner = %q, want %q", got.Winner, tc.winner)
			}
			if len(got.Platforms) != len(tc.want) {
				t.Fatalf("got %d platforms, want %d", len(got.Platforms), len(tc.want))
			}
			for j := range tc.want {
				if got := fieldsOf(got.Platforms[j]); !reflect.DeepEqual(got, tc.want[j]) {
					t.Errorf("platform %d:\n got  %s\n want %s", j, fmtOutcome(got), fmtOutcome(tc.want[j]))
				}
			}
		})
	}
}

// TestOutcomeDoesNotAlias checks that the values of one platform are its own, not shared
// with another platform's.
func TestOutcomeDoesNotAlias(t *testing.T) {
	t.Parallel()
	s := usersSeries([]string{"A", "B"}, [][]int64{{0, 0}, {1, 0}, {10, 4}, {10, 10}})
	o := Outcome(s, 0, 0)
	a, b := o.Platforms[0], o.Platforms[1]
	times := func() []string {
		fa, fb := fieldsOf(a), fieldsOf(b)
		return []string{fmtTime(fa.TimeTo10), fmtTime(fa.TimeTo50), fmtTime(fa.TimeTo90), fmtTime(fb.TimeTo10), fmtTime(fb.TimeTo50), fmtTime(fb.TimeTo90)}
	}
	if got := times(); !slices.Equal(got, []string{"1", "2", "2", "2", "3", "3"}) {
		t.Fatalf("times = %v, want [1 2 2 2 3 3]", got)
	}
	a.Values[metricIndex("time_to_10")] = 99
	a.Values = append(a.Values, 99) // must not run into b's values
	if got := times(); !slices.Equal(got, []string{"99", "2", "2", "2", "3", "3"}) {
		t.Errorf("changing one value changed another: %v", got)
	}
}

func fp(v float64) *float64 { return &v }

func fmtStat(s Stat) string {
	f := func(p *float64) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("{mean=%s p5=%s p50=%s p95=%s n=%d}", f(s.Mean), f(s.P5), f(s.P50), f(s.P95), s.N)
}

// outcomeOf is a shorthand for a replicate's outcome in Summarize tests.
func outcomeOf(winner string, platforms ...outcomeFields) RunOutcome {
	out := RunOutcome{Winner: winner}
	for _, f := range platforms {
		out.Platforms = append(out.Platforms, f.platform())
	}
	return out
}

func TestSummarizeWinner(t *testing.T) {
	t.Parallel()
	po := func(name string) outcomeFields { return outcomeFields{Name: name} }
	tests := []struct {
		name    string
		winners []string
		winner  string
		probs   []float64 // per platform A, B, C
	}{
		{"one platform wins all", []string{"A", "A", "A"}, "A", []float64{1, 0, 0}},
		{"majority", []string{"A", "B", "A", "tie"}, "A", []float64{0.5, 0.25, 0}},
		{"most wins, not first platform", []string{"B", "C", "B", "A", "B"}, "B", []float64{0.2, 0.6, 0.2}},
		{"last platform wins most", []string{"C", "C", "A"}, "C", []float64{0.333333, 0, 0.666667}},
		{"plurality despite ties and nones", []string{"tie", "none", "tie", "C"}, "C", []float64{0, 0, 0.25}},
		{"no platform ever wins", []string{"tie", "none", "none"}, "none", []float64{0, 0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var outcomes []RunOutcome
			for _, w := range tc.winners {
				outcomes = append(outcomes, outcomeOf(w, po("A"), po("B"), po("C")))
			}
			winner, platforms := Summarize(outcomes)
			if winner != tc.winner {
				t.Errorf("winner = %q, want %q", winner, tc.winner)
			}
			if len(platforms) != 3 {
				t.Fatalf("got %d platforms, want 3", len(platforms))
			}
			for j, name := range []string{"A", "B", "C"} {
				if platforms[j].Name != name {
					t.Errorf("platform %d name = %q, want %q", j, platforms[j].Name, name)
				}
				if platforms[j].WinProbability != tc.probs[j] {
					t.Errorf("%s win probability = %v, want %v", name, platforms[j].WinProbability, tc.probs[j])
				}
			}
		})
	}
}

func TestSummarizeEmpty(t *testing.T) {
	t.Parallel()
	winner, platforms := Summarize(nil)
	if winner != "none" || platforms != nil {
		t.Errorf("Summarize(nil) = %q, %v; want \"none\", nil", winner, platforms)
	}
}

func TestSummarizeStats(t *testing.T) {
	t.Parallel()
	// Four replicates of two platforms, listed out of order so that sorting matters.
	outcomes := []RunOutcome{
		outcomeOf("A",
			outcomeFields{Name: "A", FinalUsers: 30, FinalRegistered: 31, FinalShare: 0.1, PeakUsers: 35, PeakStep: 4, TimeTo10: iptr(1), TimeTo50: iptr(2), TimeTo90: iptr(3)},
			outcomeFields{Name: "B", FinalUsers: 0, FinalRegistered: 5, PeakUsers: 2, PeakStep: 1}),
		outcomeOf("A",
			outcomeFields{Name: "A", FinalUsers: 10, FinalRegistered: 11, FinalShare: 0.2, PeakUsers: 15, PeakStep: 2, TimeTo10: iptr(1)},
			outcomeFields{Name: "B", FinalUsers: 0, FinalRegistered: 6, PeakUsers: 3, PeakStep: 1}),
		outcomeOf("A",
			outcomeFields{Name: "A", FinalUsers: 40, FinalRegistered: 41, FinalShare: 0.2, PeakUsers: 45, PeakStep: 8, TimeTo10: iptr(0), TimeTo50: iptr(1)},
			outcomeFields{Name: "B", FinalUsers: 0, FinalRegistered: 7, PeakUsers: 4, PeakStep: 2}),
		outcomeOf("A",
			outcomeFields{Name: "A", FinalUsers: 20, FinalRegistered: 21, FinalShare: 0.2, PeakUsers: 25, PeakStep: 6, TimeTo10: iptr(2), TimeTo50: iptr(6)},
			outcomeFields{Name: "B", FinalUsers: 0, FinalRegistered: 8, PeakUsers: 5, PeakStep: 3}),
	}
	winner, platforms := Summarize(outcomes)
	if winner != "A" {
		t.Errorf("winner = %q, want A", winner)
	}
	if len(platforms) != 2 {
		t.Fatalf("got %d platforms, want 2", len(platforms))
	}
	a, b := platforms[0], platforms[1]
	// gonum's Empirical quantile of n sorted values is the first x[i] with i+1 >= p*n:
	// n=4: p5 -> x[0], p50 -> x[1], p95 -> x[3]; n=3: p5 -> x[0], p50 -> x[1], p95 -> x[2];
	// n=1: the value itself.
	tests := []struct {
		name string
		got  Stat
		want Stat
	}{
		{"A final users", a.Stat("final_users"), Stat{Mean: fp(25), P5: fp(10), P50: fp(20), P95: fp(40), N: 4}},
		{"A final registered", a.Stat("final_registered"), Stat{Mean: fp(26), P5: fp(11), P50: fp(21), P95: fp(41), N: 4}},
		// mean 0.7/4 = 0.175; (0.1+0.2+0.2+0.2)/4 in floating point must round to it.
		{"A final share", a.Stat("final_share"), Stat{Mean: fp(0.175), P5: fp(0.1), P50: fp(0.2), P95: fp(0.2), N: 4}},
		{"A peak users", a.Stat("peak_users"), Stat{Mean: fp(30), P5: fp(15), P50: fp(25), P95: fp(45), N: 4}},
		{"A peak step", a.Stat("peak_step"), Stat{Mean: fp(5), P5: fp(2), P50: fp(4), P95: fp(8), N: 4}},
		{"A time to 10%", a.Stat("time_to_10"), Stat{Mean: fp(1), P5: fp(0), P50: fp(1), P95: fp(2), N: 4}},
		// Only three replicates reach 50% (2, 1, 6): n counts those, mean is 3 not 9/4.
		{"A time to 50%", a.Stat("time_to_50"), Stat{Mean: fp(3), P5: fp(1), P50: fp(2), P95: fp(6), N: 3}},
		{"A time to 90%", a.Stat("time_to_90"), Stat{Mean: fp(3), P5: fp(3), P50: fp(3), P95: fp(3), N: 1}},
		{"B final users", b.Stat("final_users"), Stat{Mean: fp(0), P5: fp(0), P50: fp(0), P95: fp(0), N: 4}},
		{"B final registered", b.Stat("final_registered"), Stat{Mean: fp(6.5), P5: fp(5), P50: fp(6), P95: fp(8), N: 4}},
		{"B peak users", b.Stat("peak_users"), Stat{Mean: fp(3.5), P5: fp(2), P50: fp(3), P95: fp(5), N: 4}},
		{"B peak step", b.Stat("peak_step"), Stat{Mean: fp(1.75), P5: fp(1), P50: fp(1), P95: fp(3), N: 4}},
		{"B time to 10%", b.Stat("time_to_10"), Stat{}},
		{"B time to 50%", b.Stat("time_to_50"), Stat{}},
		{"B time to 90%", b.Stat("time_to_90"), Stat{}},
	}
	for _, tc := range tests {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s = %s, want %s", tc.name, fmtStat(tc.got), fmtStat(tc.want))
		}
	}
	if a.WinProbability != 1 || b.WinProbability != 0 {
		t.Errorf("win probabilities = %v, %v; want 1, 0", a.WinProbability, b.WinProbability)
	}
	// The outcomes must not be reordered by the sorting done for quantiles.
	if outcomes[0].Platforms[0].Value("final_users") != 30 || outcomes[1].Platforms[0].Value("final_users") != 10 {
		t.Errorf("Summarize changed its input: %+v", outcomes)
	}
}

// TestSummarizeQuantiles uses 20 replicates with values 1..20 in reverse, where the
// Empirical quantiles are distinguishable from the extremes and from interpolating ones:
// p5 = x[0] = 1 (0.05*20 = 1), p50 = x[9] = 10, p95 = x[18] = 19 (not 20).
func TestSummarizeQuantiles(t *testing.T) {
	t.Parallel()
	var outcomes []RunOutcome
	for r := 20; r >= 1; r-- {
		outcomes = append(outcomes, outcomeOf("A", outcomeFields{Name: "A", FinalUsers: int64(r), TimeTo50: iptr(r)}))
	}
	_, platforms := Summarize(outcomes)
	want := Stat{Mean: fp(10.5), P5: fp(1), P50: fp(10), P95: fp(19), N: 20}
	for name, got := range map[string]Stat{"final users": platforms[0].Stat("final_users"), "time to 50%": platforms[0].Stat("time_to_50")} {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %s, want %s", name, fmtStat(got), fmtStat(want))
		}
	}
	// A mean with a long fraction is rounded to 6 decimals: (1+1+2)/3 = 1.333333.
	_, platforms = Summarize([]RunOutcome{
		outcomeOf("A", outcomeFields{Name: "A", FinalUsers: 1}),
		outcomeOf("A", outcomeFields{Name: "A", FinalUsers: 1}),
		outcomeOf("A", outcomeFields{Name: "A", FinalUsers: 2}),
	})
	want = Stat{Mean: fp(1.333333), P5: fp(1), P50: fp(1), P95: fp(2), N: 3}
	if got := platforms[0].Stat("final_users"); !reflect.DeepEqual(got, want) {
		t.Errorf("final users = %s, want %s", fmtStat(got), fmtStat(want))
	}
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // as output.WriteJSON writes summary.json
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatalf("encode: %v", err)
	}
	return buf.String()
}

func TestWriteJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"missing stat is null", Stat{}, `{
  "mean": null,
  "p5": null,
  "p50": null,
  "p95": null,
  "n": 0
}
`},
		{"stat", Stat{Mean: fp(1.5), P5: fp(0), P50: fp(1), P95: fp(3), N: 2}, `{
  "mean": 1.5,
  "p5": 0,
  "p50": 1,
  "p95": 3,
  "n": 2
}
`},
		{"never reached is null", outcomeFields{Name: "A", FinalUsers: 0, FinalRegistered: 3, PeakUsers: 2, PeakStep: 1}.platform(), `{
  "name": "A",
  "final_users": 0,
  "final_registered": 3,
  "final_share": 0,
  "peak_users": 2,
  "peak_step": 1,
  "time_to_10pct": null,
  "time_to_50pct": null,
  "time_to_90pct": null
}
`},
		{"reached at step 0 is 0", outcomeFields{Name: "B", FinalUsers: 5, FinalShare: 0.333333, PeakUsers: 5, TimeTo10: iptr(0), TimeTo50: iptr(0), TimeTo90: iptr(4)}.platform(), `{
  "name": "B",
  "final_users": 5,
  "final_registered": 0,
  "final_share": 0.333333,
  "peak_users": 5,
  "peak_step": 0,
  "time_to_10pct": 0,
  "time_to_50pct": 0,
  "time_to_90pct": 4
}
`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := jsonText(t, tc.v); got != tc.want {
				t.Errorf("JSON:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestSummaryJSON runs a summary end to end (Outcome -> Summarize -> WriteJSON) and checks
// that stats nobody reached come out as null while the others are numbers.
func TestSummaryJSON(t *testing.T) {
	t.Parallel()
	runs := []*model.Series{
		usersSeries([]string{"A", "B"}, [][]int64{{0, 0}, {4, 0}, {8, 0}}),
		usersSeries([]string{"A", "B"}, [][]int64{{0, 0}, {2, 1}, {6, 0}}),
	}
	var outcomes []RunOutcome
	for r, s := range runs {
		outcomes = append(outcomes, Outcome(s, r, uint64(100+r)))
	}
	winner, platforms := Summarize(outcomes)
	text := jsonText(t, Summary{Scenario: "test", Replicates: 2, Winner: winner, Platforms: platforms, Runs: outcomes})
	if !strings.HasSuffix(text, "}\n") || !strings.HasPrefix(text, "{\n  \"scenario\": \"test\",\n") {
		t.Errorf("unexpected framing:\n%s", text)
	}
	var doc struct {
		Winner    string `json:"winner"`
		Platforms []struct {
			Name           string  `json:"name"`
			WinProbability float64 `json:"win_probability"`
		} `json:"platforms"`
	}
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("summary is not valid JSON: %v\n%s", err, text)
	}
	if doc.Winner != "A" || len(doc.Platforms) != 2 || doc.Platforms[0].WinProbability != 1 || doc.Platforms[1].WinProbability != 0 {
		t.Errorf("decoded summary = %+v", doc)
	}
	var raw struct {
		Platforms []map[string]json.RawMessage `json:"platforms"`
		Runs      []struct {
			Platforms []map[string]json.RawMessage `json:"platforms"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		t.Fatal(err)
	}
	compact := func(m json.RawMessage) string {
		var b bytes.Buffer
		if err := json.Compact(&b, m); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	// A: final 8 and 6; time to 50% is step 1 (4 >= 4) and step 2 (2 < 3, 6 >= 3).
	// B: final 0 in both runs, so no time-to anywhere.
	checks := []struct {
		platform int
		field    string
		want     string
	}{
		{0, "final_users", `{"mean":7,"p5":6,"p50":6,"p95":8,"n":2}`},
		{0, "time_to_50pct", `{"mean":1.5,"p5":1,"p50":1,"p95":2,"n":2}`},
		{1, "peak_users", `{"mean":0.5,"p5":0,"p50":0,"p95":1,"n":2}`},
		{1, "time_to_10pct", `{"mean":null,"p5":null,"p50":null,"p95":null,"n":0}`},
		{1, "time_to_90pct", `{"mean":null,"p5":null,"p50":null,"p95":null,"n":0}`},
	}
	for _, c := range checks {
		if got := compact(raw.Platforms[c.platform][c.field]); got != c.want {
			t.Errorf("platforms[%d].%s = %s, want %s", c.platform, c.field, got, c.want)
		}
	}
	if got := compact(raw.Runs[1].Platforms[1]["time_to_50pct"]); got != "null" {
		t.Errorf("runs[1].platforms[1].time_to_50pct = %s, want null", got)
	}
	if got := compact(raw.Runs[1].Platforms[0]["time_to_50pct"]); got != "2" {
		t.Errorf("runs[1].platforms[0].time_to_50pct = %s, want 2", got)
	}
}

// bandSeries builds a replicate from users[t][j] and registered[t][j].
func bandSeries(platforms []string, users, registered [][]int64) *model.Series {
	s := usersSeries(platforms, users)
	if registered != nil {
		s.Registered = s.Registered[:0]
		for _, row := range registered {
			s.Registered = append(s.Registered, row...)
		}
	}
	return s
}

func cloneSeries(s *model.Series) *model.Series {
	c := *s
	c.Platforms = slices.Clone(s.Platforms)
	c.Users = slices.Clone(s.Users)
	c.Registered = slices.Clone(s.Registered)
	c.NewUsers = slices.Clone(s.NewUsers)
	c.Leavers = slices.Clone(s.Leavers)
	c.MultiHomers = slices.Clone(s.MultiHomers)
	c.Adopters = slices.Clone(s.Adopters)
	return &c
}

func TestBands(t *testing.T) {
	t.Parallel()
	plats := []string{"A", "B"}
	three := []*model.Series{
		bandSeries(plats, [][]int64{{0, 1}, {10, 10}, {20, 0}}, nil),
		bandSeries(plats, [][]int64{{0, 1}, {30, 10}, {50, 50}}, nil),
		bandSeries(plats, [][]int64{{0, 1}, {20, 60}, {80, 20}}, nil),
	}
	// 20 replicates whose users of A are r+1 at every step: Empirical p5 = 1, p95 = 19.
	var twenty []*model.Series
	for r := 19; r >= 0; r-- {
		u := int64(r + 1)
		twenty = append(twenty, bandSeries([]string{"A"}, [][]int64{{u}, {u}}, nil))
	}
	tests := []struct {
		name    string
		runs    []*model.Series
		measure Measure
		factor  float64
		want    []Band
	}{
		{
			// Step 1, A: 2*{10,30,20} -> mean 40, band 20..60. Step 2, A: 2*{20,50,80}.
			name: "active users, three replicates, factor 2", runs: three, measure: ActiveUsers, factor: 2,
			want: []Band{
				{Name: "A", Mean: []float64{0, 40, 100}, Low: []float64{0, 20, 40}, High: []float64{0, 60, 160}},
				{Name: "B", Mean: []float64{2, 160.0 / 3, 140.0 / 3}, Low: []float64{2, 20, 0}, High: []float64{2, 120, 100}},
			},
		},
		{
			// Shares per replicate: step 0 A 0, B 1; step 1 A 0.5, 0.75, 0.25; step 2 A 1,
			// 0.5, 0.8.
			name: "market share, three replicates", runs: three, measure: MarketShare, factor: 1,
			want: []Band{
				{Name: "A", Mean: []float64{0, 0.5, 2.3 / 3}, Low: []float64{0, 0.25, 0.5}, High: []float64{0, 0.75, 1}},
				{Name: "B", Mean: []float64{1, 0.5, 0.7 / 3}, Low: []float64{1, 0.25, 0}, High: []float64{1, 0.75, 0.5}},
			},
		},
		{
			// Nobody uses anything at step 0 in any replicate, nor at step 1 in the second:
			// a share of nobody is undefined (NaN) and left out of mean and band, rather
			// than counted as 0. Step 1, A: shares 0.25 and 0.5 from replicates 1 and 3.
			name: "market share with nobody using anything",
			runs: []*model.Series{
				bandSeries(plats, [][]int64{{0, 0}, {1, 3}}, nil),
				bandSeries(plats, [][]int64{{0, 0}, {0, 0}}, nil),
				bandSeries(plats, [][]int64{{0, 0}, {2, 2}}, nil),
			},
			measure: MarketShare, factor: 1,
			want: []Band{
				{Name: "A", Mean: []float64{nan, 0.375}, Low: []float64{nan, 0.25}, High: []float64{nan, 0.5}},
				{Name: "B", Mean: []float64{nan, 0.625}, Low: []float64{nan, 0.5}, High: []float64{nan, 0.75}},
			},
		},
		{
			// Active users of nobody are a plain 0, not undefined.
			name: "active users with nobody using anything",
			runs: []*model.Series{
				bandSeries(plats, [][]int64{{0, 0}, {1, 3}}, nil),
				bandSeries(plats, [][]int64{{0, 0}, {0, 0}}, nil),
			},
			measure: ActiveUsers, factor: 1,
			want: []Band{
				{Name: "A", Mean: []float64{0, 0.5}, Low: []float64{0, 0}, High: []float64{0, 1}},
				{Name: "B", Mean: []float64{0, 1.5}, Low: []float64{0, 0}, High: []float64{0, 3}},
			},
		},
		{
			name:    "single replicate, share of nobody",
			runs:    []*model.Series{bandSeries(plats, [][]int64{{0, 0}, {1, 3}}, nil)},
			measure: MarketShare, factor: 1,
			want: []Band{
				{Name: "A", Mean: []float64{nan, 0.25}},
				{Name: "B", Mean: []float64{nan, 0.75}},
			},
		},
		{
			name: "registered users, factor 0.5",
			runs: []*model.Series{
				bandSeries([]string{"A"}, [][]int64{{0}}, [][]int64{{10}}),
				bandSeries([]string{"A"}, [][]int64{{0}}, [][]int64{{30}}),
				bandSeries([]string{"A"}, [][]int64{{0}}, [][]int64{{20}}),
				bandSeries([]string{"A"}, [][]int64{{0}}, [][]int64{{40}}),
			},
			measure: RegisteredUsers, factor: 0.5,
			want: []Band{{Name: "A", Mean: []float64{12.5}, Low: []float64{5}, High: []float64{20}}},
		},
		{
			name: "twenty replicates", runs: twenty, measure: ActiveUsers, factor: 1,
			want: []Band{{Name: "A", Mean: []float64{10.5, 10.5}, Low: []float64{1, 1}, High: []float64{19, 19}}},
		},
		{
			name: "single replicate has no band", runs: three[2:], measure: ActiveUsers, factor: 1e-6,
			want: []Band{
				{Name: "A", Mean: []float64{0, 20e-6, 80e-6}},
				{Name: "B", Mean: []float64{1e-6, 60e-6, 20e-6}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var before []*model.Series
			for _, s := range tc.runs {
				before = append(before, cloneSeries(s))
			}
			got := Bands(tc.runs, tc.measure, tc.factor)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d curves, want %d", len(got), len(tc.want))
			}
			for j, w := range tc.want {
				g := got[j]
				if g.Name != w.Name {
					t.Errorf("curve %d name = %q, want %q", j, g.Name, w.Name)
				}
				for _, part := range []struct {
					name      string
					got, want []float64
				}{{"Mean", g.Mean, w.Mean}, {"Low", g.Low, w.Low}, {"High", g.High, w.High}} {
					if (part.got == nil) != (part.want == nil) {
						t.Errorf("%s %s = %v, want %v", w.Name, part.name, part.got, part.want)
						continue
					}
					if !approxEqual(part.got, part.want) {
						t.Errorf("%s %s = %v, want %v", w.Name, part.name, part.got, part.want)
					}
				}
			}
			for r := range tc.runs {
				if !reflect.DeepEqual(tc.runs[r], before[r]) {
					t.Errorf("Bands changed replicate %d", r)
				}
			}
		})
	}
}

var nan = math.NaN()

// approxEqual compares element-wise with a relative tolerance; NaN equals only NaN.
func approxEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			if math.IsNaN(a[i]) != math.IsNaN(b[i]) {
				return false
			}
			continue
		}
		d := a[i] - b[i]
		if d < 0 {
			d = -d
		}
		if d > 1e-12*(1+max(a[i], b[i], -a[i], -b[i])) {
			return false
		}
	}
	return true
}

// A step-valued stat gets the first days of the steps holding its mean (whole part) and
// quantiles; without a calendar or a value it gets none.
func TestStatDates(t *testing.T) {
	t.Parallel()
	months, err := calendar.New("2011-01-31", calendar.Month)
	if err != nil {
		t.Fatal(err)
	}
	x := func(v float64) *float64 { return &v }
	st := Stat{Mean: x(1.5), P5: x(0), P50: x(1), P95: x(2), N: 3}
	got := st.datedBy(months).Dates
	want := StatDates{Mean: "2011-02-28", P5: "2011-01-31", P50: "2011-02-28", P95: "2011-03-31"}
	if got == nil || *got != want {
		t.Errorf("dates = %+v, want %+v", got, want)
	}
	if st.datedBy(calendar.Calendar{}).Dates != nil {
		t.Error("a stat without a calendar got dates")
	}
	if (Stat{}).datedBy(months).Dates != nil {
		t.Error("a stat without values got dates")
	}
}

// TestSummaryNamesEveryLayer: a scenario with layers names each layer and its kind in
// summary.json's graph, the first layer's kind standing for the graph; one without has none.
func TestSummaryNamesEveryLayer(t *testing.T) {
	t.Parallel()
	story, err := scenarios.Shipped("laiwang_vs_wechat", nil)
	if err != nil {
		t.Fatal(err)
	}
	story.Record = nil // its table needs runs; the graph does not
	got := ScenarioSummary(story, nil).Graph
	want := GraphSummary{Kind: "barabasi_albert", Layers: []LayerSummary{{Name: "friends", Kind: "barabasi_albert"}, {Name: "commerce", Kind: "bipartite"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("graph of the story = %+v, want %+v", got, want)
	}
	duel, err := scenarios.Shipped("preinstall_duel", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := ScenarioSummary(duel, nil).Graph; got.Layers != nil || got.Kind != "barabasi_albert" {
		t.Errorf("graph of a one-graph scenario = %+v, want kind barabasi_albert and no layers", got)
	}
}
