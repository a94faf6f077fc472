package sensitivity

import (
	"math"
	"slices"
	"sort"
	"testing"

	"github.com/msgsim/msgsim/internal/sweep/design"
)

// interact is 10 x1 + 5 x2 + 0.1 x3 + x4 x5: three linear factors of
// decreasing weight and an interaction whose effects depend on the partner.
func interact(x []float64) float64 { return 10*x[0] + 5*x[1] + 0.1*x[2] + x[3]*x[4] }

// gFunc is the Sobol g-function with a = [0, 1, 4.5, 9, 99, 99]: importance
// decreases with a_i.
func gFunc(x []float64) float64 {
	a := []float64{0, 1, 4.5, 9, 99, 99}
	p := 1.0
	for i, ai := range a {
		p *= (math.Abs(4*x[i]-2) + ai) / (1 + ai)
	}
	return p
}

func runMorris(t *testing.T, f func([]float64) float64, r, d, levels int, seed uint64) ([]design.Trajectory, [][]float64) {
	t.Helper()
	traj, err := design.Morris(r, d, levels, newRand(seed))
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]float64, len(traj))
	for i, tr := range traj {
		out[i] = evalAll(f, tr.Points)
	}
	return traj, out
}

func TestMorris(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		f         func([]float64) float64
		d, r, p   int
		rank      []int     // factors by decreasing mu*; ties allowed in tie
		tie       [][2]int  // pairs of factors whose order is not checked
		mu        []float64 // expected mu where exact (NaN: not checked)
		zeroSigma []bool    // factors with sigma ~ 0
	}{
		{
			name: "linear plus interaction", f: interact, d: 5, r: 40, p: 4,
			rank:      []int{0, 1, 3, 4, 2},
			tie:       [][2]int{{3, 4}},
			mu:        []float64{10, 5, 0.1, math.NaN(), math.NaN()},
			zeroSigma: []bool{true, true, true, false, false},
		},
		{
			name: "g-function", f: gFunc, d: 6, r: 50, p: 4,
			rank:      []int{0, 1, 2, 3, 4, 5},
			tie:       [][2]int{{4, 5}},
			mu:        []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()},
			zeroSigma: []bool{false, false, false, false, false, false},
		},
		{
			name: "linear plus interaction, 6 levels", f: interact, d: 5, r: 40, p: 6,
			rank:      []int{0, 1, 3, 4, 2},
			tie:       [][2]int{{3, 4}},
			mu:        []float64{10, 5, 0.1, math.NaN(), math.NaN()},
			zeroSigma: []bool{true, true, true, false, false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			traj, f := runMorris(t, tt.f, tt.r, tt.d, tt.p, 42)
			muStar, mu, sigma, err := Morris(traj, f)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("mu* %.4f\nmu %.4f\nsigma %.4g", muStar, mu, sigma)
			order := make([]int, tt.d)
			for i := range order {
				order[i] = i
			}
			sort.SliceStable(order, func(a, b int) bool { return muStar[order[a]] > muStar[order[b]] })
			got := slices.Clone(order)
			for _, pr := range tt.tie {
				for k := range got {
					if got[k] == pr[1] {
						got[k] = pr[0]
					}
				}
			}
			want := slices.Clone(tt.rank)
			for _, pr := range tt.tie {
				for k := range want {
					if want[k] == pr[1] {
						want[k] = pr[0]
					}
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("ranking by mu* %v, want %v (mu* = %v)", order, tt.rank, muStar)
			}
			for i := range tt.d {
				if !math.IsNaN(tt.mu[i]) && (math.Abs(mu[i]-tt.mu[i]) > 1e-9 || math.Abs(muStar[i]-math.Abs(tt.mu[i])) > 1e-9) {
					t.Errorf("factor %d: mu %v, mu* %v, want %v", i, mu[i], muStar[i], tt.mu[i])
				}
				if muStar[i] < math.Abs(mu[i])-1e-12 {
					t.Errorf("factor %d: mu* %v < |mu| %v", i, muStar[i], mu[i])
				}
				if tt.zeroSigma[i] != (sigma[i] < 1e-9) {
					t.Errorf("factor %d: sigma %v, want ~0: %v", i, sigma[i], tt.zeroSigma[i])
				}
			}
		})
	}
}

// TestMorrisKnownEffects checks the elementary effects on hand-built
// trajectories, including the sign convention for downward steps.
func TestMorrisKnownEffects(t *testing.T) {
	t.Parallel()
	// f = x0^2 + 3 x1 on two trajectories with delta 2/3.
	f := func(x []float64) float64 { return x[0]*x[0] + 3*x[1] }
	const dl = 2.0 / 3
	traj := []design.Trajectory{
		{Points: [][]float64{{0, 1}, {dl, 1}, {dl, 1 - dl}}, Factor: []int{0, 1}, Delta: []float64{dl, -dl}},
		{Points: [][]float64{{1, 0}, {1, dl}, {1 - dl, dl}}, Factor: []int{1, 0}, Delta: []float64{dl, -dl}},
	}
	out := [][]float64{evalAll(f, traj[0].Points), evalAll(f, traj[1].Points)}
	ee, err := ElementaryEffects(traj, out)
	if err != nil {
		t.Fatal(err)
	}
	// Factor 0: (dl^2 - 0)/dl = dl, then ((1-dl)^2 - 1)/(-dl) = 2 - dl.
	want := [][]float64{{dl, 2 - dl}, {3, 3}}
	for i := range want {
		for k := range want[i] {
			if math.Abs(ee[i][k]-want[i][k]) > 1e-12 {
				t.Fatalf("ee = %v, want %v", ee, want)
			}
		}
	}
	muStar, mu, sigma, err := Morris(traj, out)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(mu[0]-1) > 1e-12 || math.Abs(muStar[0]-1) > 1e-12 || math.Abs(sigma[0]-math.Sqrt2*(1-dl)) > 1e-12 {
		t.Errorf("factor 0: mu %v mu* %v sigma %v", mu[0], muStar[0], sigma[0])
	}
	if mu[1] != 3 || muStar[1] != 3 || sigma[1] != 0 {
		t.Errorf("factor 1: mu %v mu* %v sigma %v", mu[1], muStar[1], sigma[1])
	}
	_, _, sigma1, err := Morris(traj[:1], out[:1])
	if err != nil || !math.IsNaN(sigma1[0]) {
		t.Errorf("single trajectory: sigma %v, err %v; want NaN", sigma1, err)
	}
}

func TestMorrisBootstrap(t *testing.T) {
	t.Parallel()
	traj, f := runMorris(t, gFunc, 50, 6, 4, 7)
	muStar, _, _, err := Morris(traj, f)
	if err != nil {
		t.Fatal(err)
	}
	ci, err := MorrisBootstrap(traj, f, 500, newRand(9))
	if err != nil {
		t.Fatal(err)
	}
	for i, iv := range ci {
		if iv.Estimate != muStar[i] || !iv.Contains(iv.Estimate) || !(iv.High > iv.Low) {
			t.Errorf("factor %d: interval %+v around mu* %v", i, iv, muStar[i])
		}
	}
	// The most important factor is separated from the unimportant ones.
	if !(ci[0].Low > ci[3].High && ci[3].Low > ci[4].High) {
		t.Errorf("intervals overlap: %+v", ci)
	}
	// Linear factors have a degenerate interval at their exact effect.
	lt, lf := runMorris(t, interact, 20, 5, 4, 3)
	lci, err := MorrisBootstrap(lt, lf, 200, newRand(9))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(lci[0].Low-10) > 1e-9 || math.Abs(lci[0].High-10) > 1e-9 {
		t.Errorf("linear factor interval %+v, want [10, 10]", lci[0])
	}
}

func TestMorrisErrors(t *testing.T) {
	t.Parallel()
	good := design.Trajectory{Points: [][]float64{{0, 0}, {1, 0}, {1, 1}}, Factor: []int{0, 1}, Delta: []float64{1, 1}}
	fgood := []float64{0, 1, 2}
	tests := []struct {
		name string
		traj []design.Trajectory
		f    [][]float64
		want string
	}{
		{"empty", nil, nil, "sensitivity: no trajectories"},
		{"output rows", []design.Trajectory{good}, nil, "sensitivity: 0 output rows for 1 trajectories"},
		{"no points", []design.Trajectory{{}}, [][]float64{{}}, "sensitivity: trajectory 0 has no points"},
		{"short factors", []design.Trajectory{good, {Points: good.Points, Factor: []int{0}, Delta: good.Delta}}, [][]float64{fgood, fgood}, "sensitivity: trajectory 1 has 3 points, 1 factors and 2 deltas"},
		{"dimension", []design.Trajectory{{Points: [][]float64{{0, 0}, {1}}, Factor: []int{0}, Delta: []float64{1}}}, [][]float64{{0, 1}}, "sensitivity: trajectory 0 has a point of dimension 1, want 2"},
		{"outputs", []design.Trajectory{good}, [][]float64{{0, 1}}, "sensitivity: f[0] has 2 outputs for 3 points"},
		{"NaN", []design.Trajectory{good}, [][]float64{{0, math.NaN(), 1}}, "sensitivity: non-finite output f[0][1] = NaN"},
		{"factor range", []design.Trajectory{{Points: good.Points, Factor: []int{0, 2}, Delta: good.Delta}}, [][]float64{fgood}, "sensitivity: trajectory 0 step 1 changes factor 2 of 2"},
		{"zero delta", []design.Trajectory{{Points: good.Points, Factor: good.Factor, Delta: []float64{1, 0}}}, [][]float64{fgood}, "sensitivity: trajectory 0 step 1 has delta 0"},
		{"unchanged factor", []design.Trajectory{{Points: good.Points, Factor: []int{0, 0}, Delta: good.Delta}}, [][]float64{fgood}, "sensitivity: factor 1 never changes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, _, err1 := Morris(tt.traj, tt.f)
			_, err2 := MorrisBootstrap(tt.traj, tt.f, 10, newRand(1))
			for _, err := range []error{err1, err2} {
				if err == nil || err.Error() != tt.want {
					t.Fatalf("error %v, want %q", err, tt.want)
				}
			}
		})
	}
	traj := []design.Trajectory{good}
	f := [][]float64{fgood}
	if _, err := MorrisBootstrap(traj, f, 0, newRand(1)); err == nil || err.Error() != "sensitivity: resamples must be positive, got 0" {
		t.Errorf("resamples: error %v", err)
	}
	if _, err := MorrisBootstrap(traj, f, 10, nil); err == nil || err.Error() != "sensitivity: nil random source" {
		t.Errorf("nil rand: error %v", err)
	}
}
