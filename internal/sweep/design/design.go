package design

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"
)

// MaxValues is the largest number of coordinates (points × factors) a single
// design may hold. It guards against int overflow and absurd allocations from
// mistyped arguments; 1<<28 float64 values are 2 GiB.
const MaxValues = 1 << 28

var errNilRand = errors.New("design: nil random source")

// checkSize validates n points in d dimensions.
func checkSize(n, d int) error {
	if n < 1 {
		return fmt.Errorf("design: n must be positive, got %d", n)
	}
	if d < 1 {
		return fmt.Errorf("design: d must be positive, got %d", d)
	}
	if n > MaxValues/d {
		return fmt.Errorf("design: %d points in %d dimensions exceed the limit of %d values", n, d, MaxValues)
	}
	return nil
}

// newPoints returns n rows of length d sharing one backing array.
func newPoints(n, d int) [][]float64 { return rows(make([]float64, n*d), d) }

// rows splits the row-major buf into rows of length d.
func rows(buf []float64, d int) [][]float64 {
	pts := make([][]float64, len(buf)/d)
	for i := range pts {
		pts[i] = buf[i*d : (i+1)*d : (i+1)*d]
	}
	return pts
}

// Grid returns the full-factorial design with levels[j] levels for factor j,
// i.e. the product of all levels rows of len(levels) columns.
//
// Level i of a factor with L levels sits at i/(L-1), so the grid includes both
// 0 and 1; a factor with a single level is fixed at 0.5.
//
// Rows are in lexicographic order with the first factor varying slowest and
// the last factor fastest (like nested loops with factor 0 outermost): for
// levels {2, 3} the rows are (0,0) (0,0.5) (0,1) (1,0) (1,0.5) (1,1).
func Grid(levels []int) ([][]float64, error) {
	if len(levels) == 0 {
		return nil, errors.New("design: Grid needs at least one factor")
	}
	n := 1
	for j, l := range levels {
		if l < 1 {
			return nil, fmt.Errorf("design: Grid levels[%d] must be positive, got %d", j, l)
		}
		if n > MaxValues/l {
			return nil, fmt.Errorf("design: Grid with levels %v exceeds the limit of %d values", levels, MaxValues)
		}
		n *= l
	}
	d := len(levels)
	if err := checkSize(n, d); err != nil {
		return nil, fmt.Errorf("design: Grid with levels %v exceeds the limit of %d values", levels, MaxValues)
	}
	pts := newPoints(n, d)
	idx := make([]int, d) // mixed-radix counter, last digit fastest
	for _, p := range pts {
		for j, l := range levels {
			if l == 1 {
				p[j] = 0.5
			} else {
				p[j] = float64(idx[j]) / float64(l-1)
			}
		}
		for j := d - 1; j >= 0; j-- {
			idx[j]++
			if idx[j] < levels[j] {
				break
			}
			idx[j] = 0
		}
	}
	return pts, nil
}

// Random returns n points drawn independently and uniformly from [0,1)^d.
// Points are drawn row by row, factor by factor, with rng.Float64.
func Random(n, d int, rng *rand.Rand) ([][]float64, error) {
	if err := checkSize(n, d); err != nil {
		return nil, err
	}
	if rng == nil {
		return nil, errNilRand
	}
	pts := newPoints(n, d)
	for _, p := range pts {
		for j := range p {
			p[j] = rng.Float64()
		}
	}
	return pts, nil
}

// LatinHypercube returns an n-point Latin hypercube sample in [0,1)^d: for
// every factor, each of the n strata [k/n, (k+1)/n) holds exactly one point
// (floor(x*n) takes every value 0..n-1 once), placed uniformly at random inside
// its stratum, and the strata are matched across factors by independent random
// permutations.
//
// The sample is gonum's stat/samplemv.LatinHypercube over distmv's uniform
// distribution on the unit cube (whose quantile function is the identity),
// with rng itself as the source (for each factor: a permutation with Perm(n),
// then one Float64 offset per stratum). gonum puts the point of stratum k at
// offset/n + k/n, which rounding can leave a few ulps outside the stratum (on 1
// for the last one), so the values of each factor, which increase with their
// stratum up to those few ulps, are then moved into the strata in order: the
// k-th smallest into stratum k, by intoStratum.
func LatinHypercube(n, d int, rng *rand.Rand) ([][]float64, error) {
	if err := checkSize(n, d); err != nil {
		return nil, err
	}
	if rng == nil {
		return nil, errNilRand
	}
	buf := make([]float64, n*d)
	samplemv.LatinHypercube{Q: distmv.NewUnitUniform(d, rng), Src: rng}.Sample(mat.NewDense(n, d, buf))
	pts := rows(buf, d)
	order := make([]int, n)
	for j := 0; j < d; j++ {
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(pts[a][j], pts[b][j]) })
		for k, i := range order {
			pts[i][j] = intoStratum(pts[i][j], k, n)
		}
	}
	return pts, nil
}

// intoStratum returns v moved by at most a few ulps so that floor(v*n) == k
// and 0 <= v < 1.
func intoStratum(v float64, k, n int) float64 {
	fk, fn := float64(k), float64(n)
	for range 64 {
		switch s := math.Floor(v * fn); {
		case s > fk || v >= 1:
			v = math.Nextafter(v, 0)
		case s < fk || v < 0:
			v = math.Nextafter(v, 1)
		default:
			return v
		}
	}
	return (fk + 0.5) / fn
}
