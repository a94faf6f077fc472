package design

import (
	"fmt"
	"math/rand/v2"
)

// Trajectory is one Morris elementary-effects trajectory through d factors:
// d+1 points on a p-level grid in [0,1]^d where each step changes exactly one
// factor by ±Delta and every factor changes exactly once.
type Trajectory struct {
	// Points holds the d+1 points of the trajectory, in order.
	Points [][]float64
	// Factor[j] is the factor that changes between Points[j] and Points[j+1].
	Factor []int
	// Delta[j] is the signed change Points[j+1][Factor[j]] - Points[j][Factor[j]],
	// always +Delta or -Delta of the design.
	Delta []float64
}

// MorrisDelta returns the Morris step p/(2(p-1)) for a p-level grid with
// levels 0, 1/(p-1), ..., 1 (p even), in unit-interval units.
func MorrisDelta(levels int) float64 {
	return float64(levels) / (2 * float64(levels-1))
}

// Morris returns r random one-at-a-time trajectories for d factors on a
// p-level grid (p = levels, even, >= 2) following Morris (1991), "Factorial
// sampling plans for preliminary computational experiments", Technometrics 33,
// 161-174, with the step delta = p/(2(p-1)) of Campolongo, Cariboni and
// Saltelli (2007), "An effective screening design for sensitivity analysis of
// large models", Environ. Model. Softw. 22, 1509-1518.
//
// Grid levels are i/(p-1), i = 0..p-1, and delta equals p/2 grid steps. For
// each trajectory and factor a base level is drawn uniformly from the lower
// p/2 levels and a direction uniformly from {+, -}; the factor starts at the
// base level (direction +) or base+delta (direction -), so every starting
// level is equally likely. The order in which the factors change is a uniform
// random permutation. This is the distribution of Morris's randomised
// orientation matrix B*. The model must be run r*(d+1) times.
func Morris(r, d, levels int, rng *rand.Rand) ([]Trajectory, error) {
	if r < 1 {
		return nil, fmt.Errorf("design: Morris needs r >= 1 trajectories, got %d", r)
	}
	if d < 1 {
		return nil, fmt.Errorf("design: d must be positive, got %d", d)
	}
	if levels < 2 || levels%2 != 0 {
		return nil, fmt.Errorf("design: Morris levels must be even and >= 2, got %d", levels)
	}
	if rng == nil {
		return nil, errNilRand
	}
	if r > MaxValues/(d+1)/d {
		return nil, fmt.Errorf("design: Morris with r = %d and d = %d exceeds the limit of %d values", r, d, MaxValues)
	}
	half := levels / 2 // delta in grid steps
	step := 1 / float64(levels-1)
	delta := MorrisDelta(levels)
	trajs := make([]Trajectory, r)
	start := make([]int, d)
	dir := make([]int, d)
	for t := range trajs {
		for i := range start {
			b := rng.IntN(half)
			if rng.IntN(2) == 0 {
				start[i], dir[i] = b, +1
			} else {
				start[i], dir[i] = b+half, -1
			}
		}
		order := rng.Perm(d)
		pts := newPoints(d+1, d)
		cur := append([]int(nil), start...)
		for i, l := range cur {
			pts[0][i] = float64(l) * step
		}
		tr := Trajectory{Points: pts, Factor: order, Delta: make([]float64, d)}
		for j, i := range order {
			cur[i] += dir[i] * half
			copy(pts[j+1], pts[j])
			pts[j+1][i] = float64(cur[i]) * step
			tr.Delta[j] = float64(dir[i]) * delta
		}
		trajs[t] = tr
	}
	return trajs, nil
}
