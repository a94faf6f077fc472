package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/msgsim/msgsim/internal/sweep/design"
)

// ElementaryEffects returns the elementary effects of every factor:
// ee[i] lists, trajectory by trajectory and step by step, the effects
//
//	EE = (f(x_(j+1)) - f(x_j)) / Delta_j
//
// of the steps that change factor i, where Delta_j is the signed step of the
// trajectory (so a step of -delta gives (f(x) - f(x-delta))/delta). f[t][j] is
// the model output at traj[t].Points[j]. Every factor must change at least
// once over all trajectories.
func ElementaryEffects(traj []design.Trajectory, f [][]float64) (ee [][]float64, err error) {
	d, err := checkMorris(traj, f)
	if err != nil {
		return nil, err
	}
	ee = make([][]float64, d)
	for t, tr := range traj {
		for j, i := range tr.Factor {
			ee[i] = append(ee[i], (f[t][j+1]-f[t][j])/tr.Delta[j])
		}
	}
	return ee, nil
}

func checkMorris(traj []design.Trajectory, f [][]float64) (d int, err error) {
	if len(traj) == 0 {
		return 0, fmt.Errorf("sensitivity: no trajectories")
	}
	if len(f) != len(traj) {
		return 0, fmt.Errorf("sensitivity: %d output rows for %d trajectories", len(f), len(traj))
	}
	if len(traj[0].Points) == 0 {
		return 0, fmt.Errorf("sensitivity: trajectory 0 has no points")
	}
	d = len(traj[0].Points[0])
	seen := make([]bool, d)
	for t, tr := range traj {
		np := len(tr.Points)
		if np < 2 || len(tr.Factor) != np-1 || len(tr.Delta) != np-1 {
			return 0, fmt.Errorf("sensitivity: trajectory %d has %d points, %d factors and %d deltas", t, np, len(tr.Factor), len(tr.Delta))
		}
		for _, p := range tr.Points {
			if len(p) != d {
				return 0, fmt.Errorf("sensitivity: trajectory %d has a point of dimension %d, want %d", t, len(p), d)
			}
		}
		if len(f[t]) != np {
			return 0, fmt.Errorf("sensitivity: f[%d] has %d outputs for %d points", t, len(f[t]), np)
		}
		if err := checkFinite(fmt.Sprintf("f[%d]", t), f[t]); err != nil {
			return 0, err
		}
		for j, i := range tr.Factor {
			if i < 0 || i >= d {
				return 0, fmt.Errorf("sensitivity: trajectory %d step %d changes factor %d of %d", t, j, i, d)
			}
			if dl := tr.Delta[j]; dl == 0 || math.IsNaN(dl) || math.IsInf(dl, 0) {
				return 0, fmt.Errorf("sensitivity: trajectory %d step %d has delta %v", t, j, dl)
			}
			seen[i] = true
		}
	}
	for i, ok := range seen {
		if !ok {
			return 0, fmt.Errorf("sensitivity: factor %d never changes", i)
		}
	}
	return d, nil
}

// Morris returns the elementary-effects statistics of every factor (see
// ElementaryEffects): mu, the mean of the effects (Morris 1991); muStar, the
// mean of their absolute values (Campolongo, Cariboni and Saltelli 2007),
// the preferred importance measure since effects of opposite signs cannot
// cancel; and sigma, their sample standard deviation (denominator r-1),
// which measures non-linearity and interactions. sigma is NaN for a factor
// with a single effect (one trajectory). Effects are in output units per unit
// of the [0,1]-scaled factor.
func Morris(traj []design.Trajectory, f [][]float64) (muStar, mu, sigma []float64, err error) {
	ee, err := ElementaryEffects(traj, f)
	if err != nil {
		return nil, nil, nil, err
	}
	d := len(ee)
	muStar, mu, sigma = make([]float64, d), make([]float64, d), make([]float64, d)
	for i, e := range ee {
		var s, sa float64
		for _, v := range e {
			s += v
			sa += math.Abs(v)
		}
		m := s / float64(len(e))
		mu[i], muStar[i] = m, sa/float64(len(e))
		if len(e) < 2 {
			sigma[i] = math.NaN()
			continue
		}
		var ss float64
		for _, v := range e {
			ss += (v - m) * (v - m)
		}
		sigma[i] = math.Sqrt(ss / float64(len(e)-1))
	}
	return muStar, mu, sigma, nil
}

// MorrisBootstrap returns mu* (see Morris) with a 95% percentile bootstrap
// confidence interval from resampling whole trajectories with replacement
// (as SALib does). A replicate in which a factor never changes is skipped for
// that factor.
func MorrisBootstrap(traj []design.Trajectory, f [][]float64, resamples int, rng *rand.Rand) ([]Interval, error) {
	if resamples < 1 {
		return nil, fmt.Errorf("sensitivity: resamples must be positive, got %d", resamples)
	}
	if rng == nil {
		return nil, errNilRand
	}
	muStar, _, _, err := Morris(traj, f)
	if err != nil {
		return nil, err
	}
	d, r := len(muStar), len(traj)
	// Per trajectory and factor: sum of |EE| and number of effects.
	sum := make([][]float64, r)
	cnt := make([][]int, r)
	for t, tr := range traj {
		sum[t], cnt[t] = make([]float64, d), make([]int, d)
		for j, i := range tr.Factor {
			sum[t][i] += math.Abs((f[t][j+1] - f[t][j]) / tr.Delta[j])
			cnt[t][i]++
		}
	}
	reps := make([][]float64, d)
	s := make([]float64, d)
	c := make([]int, d)
	for range resamples {
		clear(s)
		clear(c)
		for range r {
			t := rng.IntN(r)
			for i := range d {
				s[i] += sum[t][i]
				c[i] += cnt[t][i]
			}
		}
		for i := range d {
			if c[i] > 0 {
				reps[i] = append(reps[i], s[i]/float64(c[i]))
			}
		}
	}
	out := make([]Interval, d)
	for i := range d {
		lo, hi := percentile(reps[i])
		out[i] = Interval{Estimate: muStar[i], Low: lo, High: hi}
	}
	return out, nil
}
