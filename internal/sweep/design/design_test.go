package design

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

func checkShape(t *testing.T, pts [][]float64, n, d int) {
	t.Helper()
	if len(pts) != n {
		t.Fatalf("got %d points, want %d", len(pts), n)
	}
	for i, p := range pts {
		if len(p) != d {
			t.Fatalf("point %d has %d coordinates, want %d", i, len(p), d)
		}
	}
}

func TestGrid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		levels []int
		want   [][]float64 // nil: only count and ordering are checked
	}{
		{"2x3", []int{2, 3}, [][]float64{{0, 0}, {0, 0.5}, {0, 1}, {1, 0}, {1, 0.5}, {1, 1}}},
		{"single level", []int{1}, [][]float64{{0.5}}},
		{"1x2", []int{1, 2}, [][]float64{{0.5, 0}, {0.5, 1}}},
		{"5 levels", []int{5}, [][]float64{{0}, {0.25}, {0.5}, {0.75}, {1}}},
		{"3x4x2", []int{3, 4, 2}, nil},
		{"2^6", []int{2, 2, 2, 2, 2, 2}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pts, err := Grid(tt.levels)
			if err != nil {
				t.Fatal(err)
			}
			n := 1
			for _, l := range tt.levels {
				n *= l
			}
			checkShape(t, pts, n, len(tt.levels))
			if tt.want != nil && !reflect.DeepEqual(pts, tt.want) {
				t.Fatalf("Grid(%v) = %v, want %v", tt.levels, pts, tt.want)
			}
			// Ordering: row index is the mixed-radix number of the level
			// indices with the first factor most significant.
			for r, p := range pts {
				rem := r
				for j := len(tt.levels) - 1; j >= 0; j-- {
					l := tt.levels[j]
					i := rem % l
					rem /= l
					want := 0.5
					if l > 1 {
						want = float64(i) / float64(l-1)
					}
					if p[j] != want {
						t.Fatalf("row %d factor %d = %v, want %v", r, j, p[j], want)
					}
				}
			}
		})
	}
}

func TestLatinHypercube(t *testing.T) {
	t.Parallel()
	tests := []struct{ n, d int }{{1, 1}, {1, 4}, {2, 3}, {7, 2}, {100, 5}, {1000, 3}}
	for _, tt := range tests {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			pts, err := LatinHypercube(tt.n, tt.d, newRand(uint64(tt.n*31+tt.d)))
			if err != nil {
				t.Fatal(err)
			}
			checkShape(t, pts, tt.n, tt.d)
			for j := 0; j < tt.d; j++ {
				seen := make([]bool, tt.n)
				for i, p := range pts {
					x := p[j]
					if !(x >= 0 && x < 1) {
						t.Fatalf("point %d factor %d = %v outside [0,1)", i, j, x)
					}
					k := int(math.Floor(x * float64(tt.n)))
					if seen[k] {
						t.Fatalf("factor %d: stratum %d holds two points", j, k)
					}
					seen[k] = true
				}
			}
			again, _ := LatinHypercube(tt.n, tt.d, newRand(uint64(tt.n*31+tt.d)))
			if !reflect.DeepEqual(pts, again) {
				t.Fatal("same seed gave a different design")
			}
			if tt.n > 2 {
				other, _ := LatinHypercube(tt.n, tt.d, newRand(12345))
				if reflect.DeepEqual(pts, other) {
					t.Fatal("different seeds gave the same design")
				}
			}
		})
	}
}

// maxSource always draws the largest value: every Float64 offset is 1 - 2^-53,
// which gonum's samplemv places on or past its stratum's upper edge for many n.
type maxSource struct{}

func (maxSource) Uint64() uint64 { return math.MaxUint64 }

func TestLatinHypercubeStrataEdges(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 3, 7, 10, 49, 100} {
		pts, err := LatinHypercube(n, 2, rand.New(maxSource{}))
		if err != nil {
			t.Fatal(err)
		}
		for j := range 2 {
			seen := make([]bool, n)
			for i, p := range pts {
				k := int(math.Floor(p[j] * float64(n)))
				if !(p[j] >= 0 && p[j] < 1) || seen[k] {
					t.Fatalf("n %d: point %d factor %d = %v outside [0,1) or in a stratum already taken", n, i, j, p[j])
				}
				seen[k] = true
				if hi := float64(k+1) / float64(n); hi-p[j] > 1e-15 {
					t.Fatalf("n %d: point %d factor %d = %v, want the top of its stratum (%v)", n, i, j, p[j], hi)
				}
			}
		}
	}
}

func TestIntoStratum(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    float64
		k, n int
	}{
		{1, 2, 3},                       // rounded up to the upper edge of [0,1)
		{2.0 / 3, 1, 3},                 // on the next stratum's lower edge
		{math.Nextafter(0.7, 1), 6, 10}, // 0.7*10 may round to 7
		{0.3, 3, 10},                    // 0.3*10 rounds below 3
		{0.3, 2, 10},
		{0, 0, 5},
		{math.Nextafter(1, 0), 4, 5},
	}
	for _, tt := range tests {
		got := intoStratum(tt.v, tt.k, tt.n)
		if k := int(math.Floor(got * float64(tt.n))); k != tt.k || got >= 1 || got < 0 {
			t.Errorf("intoStratum(%v, %d, %d) = %v in stratum %d", tt.v, tt.k, tt.n, got, k)
		}
		if math.Abs(got-tt.v) > 1e-15 {
			t.Errorf("intoStratum(%v, %d, %d) = %v moved too far", tt.v, tt.k, tt.n, got)
		}
	}
}

func TestRandom(t *testing.T) {
	t.Parallel()
	pts, err := Random(500, 3, newRand(1))
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, pts, 500, 3)
	var sum float64
	for _, p := range pts {
		for _, x := range p {
			if !(x >= 0 && x < 1) {
				t.Fatalf("coordinate %v outside [0,1)", x)
			}
			sum += x
		}
	}
	if mean := sum / 1500; math.Abs(mean-0.5) > 0.03 {
		t.Errorf("mean coordinate %v, want about 0.5", mean)
	}
	again, _ := Random(500, 3, newRand(1))
	if !reflect.DeepEqual(pts, again) {
		t.Fatal("same seed gave a different design")
	}
}

func TestSobolFirstPoints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		d, skip int
		want    [][]float64
	}{
		{"2-D", 2, 0, [][]float64{
			{0, 0}, {0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75},
			{0.375, 0.375}, {0.875, 0.875}, {0.625, 0.125}, {0.125, 0.625},
		}},
		{"3-D", 3, 0, [][]float64{
			{0, 0, 0}, {0.5, 0.5, 0.5}, {0.75, 0.25, 0.25},
			{0.25, 0.75, 0.75}, {0.375, 0.375, 0.625},
		}},
		{"2-D skip 1", 2, 1, [][]float64{{0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}}},
		{"2-D skip 5", 2, 5, [][]float64{{0.875, 0.875}, {0.625, 0.125}, {0.125, 0.625}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Sobol(len(tt.want), tt.d, tt.skip)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Sobol = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSobolSkip checks that Gray-code start-up at an arbitrary index agrees
// with iterating from 0.
func TestSobolSkip(t *testing.T) {
	t.Parallel()
	all, err := Sobol(3000, MaxSobolDim, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, skip := range []int{1, 2, 3, 255, 256, 1023, 1777} {
		got, err := Sobol(3000-skip, MaxSobolDim, skip)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, all[skip:]) {
			t.Fatalf("skip %d differs from the continuous sequence", skip)
		}
	}
	last, err := Sobol(2, 2, 1<<32-2)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range last {
		for _, x := range p {
			if !(x >= 0 && x < 1) {
				t.Fatalf("last points %v outside [0,1)", last)
			}
		}
	}
}

// order returns the multiplicative order of x modulo the GF(2) polynomial
// poly of degree s (bit i = coefficient of x^i), or 0 if x^e never returns to 1
// within 2^s steps.
func order(poly uint, s int) int {
	r := uint(1)
	for e := 1; e <= 1<<s; e++ {
		r <<= 1
		if r&(1<<s) != 0 {
			r ^= poly
		}
		if r == 1 {
			return e
		}
	}
	return 0
}

// TestJoeKuoTable checks the structure of the embedded table: valid initial
// direction numbers, primitive polynomials, and, as in Joe and Kuo's file,
// every primitive polynomial of each degree listed in increasing order.
func TestJoeKuoTable(t *testing.T) {
	t.Parallel()
	if MaxSobolDim < 12 {
		t.Fatalf("MaxSobolDim = %d, want >= 12", MaxSobolDim)
	}
	byDegree := map[int][]int{}
	for i, p := range joeKuo {
		d := i + 2
		if len(p.m) != p.s {
			t.Errorf("d=%d: %d initial numbers for degree %d", d, len(p.m), p.s)
		}
		for k, m := range p.m {
			if m%2 != 1 || m >= 1<<(k+1) {
				t.Errorf("d=%d: m_%d = %d must be odd and < 2^%d", d, k+1, m, k+1)
			}
		}
		if p.a < 0 || p.a >= 1<<(p.s-1) {
			t.Errorf("d=%d: a = %d out of range for degree %d", d, p.a, p.s)
		}
		poly := uint(1)<<p.s | uint(p.a)<<1 | 1
		if order(poly, p.s) != 1<<p.s-1 {
			t.Errorf("d=%d: polynomial %b is not primitive", d, poly)
		}
		byDegree[p.s] = append(byDegree[p.s], p.a)
	}
	for s, as := range byDegree {
		var prim []int
		for a := 0; a < 1<<(s-1); a++ {
			if order(uint(1)<<s|uint(a)<<1|1, s) == 1<<s-1 {
				prim = append(prim, a)
			}
		}
		if s < joeKuo[len(joeKuo)-1].s {
			if !slices.Equal(as, prim) {
				t.Errorf("degree %d: table has a = %v, primitive polynomials are %v", s, as, prim)
			}
		} else if !slices.Equal(as, prim[:len(as)]) {
			t.Errorf("degree %d: table has a = %v, want a prefix of %v", s, as, prim)
		}
	}
}

// TestSobolStratification checks the net property: every 1-D projection of a
// block of 2^k points (aligned at a multiple of 2^k) hits each interval of
// width 2^-k once, and for the first two dimensions, a (0,2)-sequence, every
// elementary box 2^-a × 2^-(k-a) holds exactly one point (for even k this
// includes the square 2^(k/2) × 2^(k/2) grid).
func TestSobolStratification(t *testing.T) {
	t.Parallel()
	tests := []struct {
		k, block int
	}{{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}, {6, 0}, {8, 0}, {10, 0}, {12, 0}, {4, 3}, {6, 5}, {10, 1}}
	for _, tt := range tests {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			n := 1 << tt.k
			pts, err := Sobol(n, MaxSobolDim, tt.block*n)
			if err != nil {
				t.Fatal(err)
			}
			for j := 0; j < MaxSobolDim; j++ {
				seen := make([]bool, n)
				for _, p := range pts {
					c := int(p[j] * float64(n))
					if seen[c] {
						t.Fatalf("k=%d block %d dim %d: interval %d holds two points", tt.k, tt.block, j+1, c)
					}
					seen[c] = true
				}
			}
			for a := 0; a <= tt.k; a++ {
				nx, ny := 1<<a, 1<<(tt.k-a)
				seen := make([]bool, n)
				for _, p := range pts {
					c := int(p[0]*float64(nx))*ny + int(p[1]*float64(ny))
					if seen[c] {
						t.Fatalf("k=%d block %d: box %d of %dx%d holds two points", tt.k, tt.block, c, nx, ny)
					}
					seen[c] = true
				}
			}
		})
	}
}

func TestSaltelli(t *testing.T) {
	t.Parallel()
	tests := []struct{ n, d, skip int }{{1, 1, 0}, {8, 3, 0}, {16, 5, 1}, {64, MaxSobolDim / 2, 0}}
	for _, tt := range tests {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			A, B, AB, err := Saltelli(tt.n, tt.d, tt.skip)
			if err != nil {
				t.Fatal(err)
			}
			base, err := Sobol(tt.n, 2*tt.d, tt.skip)
			if err != nil {
				t.Fatal(err)
			}
			checkShape(t, A, tt.n, tt.d)
			checkShape(t, B, tt.n, tt.d)
			if len(AB) != tt.d {
				t.Fatalf("len(AB) = %d, want %d", len(AB), tt.d)
			}
			runs := len(A) + len(B)
			for i, m := range AB {
				checkShape(t, m, tt.n, tt.d)
				runs += len(m)
				for r := range m {
					for j := range m[r] {
						want := A[r][j]
						if j == i {
							want = B[r][j]
						}
						if m[r][j] != want {
							t.Fatalf("AB[%d][%d][%d] = %v, want %v", i, r, j, m[r][j], want)
						}
					}
				}
			}
			if runs != tt.n*(tt.d+2) {
				t.Fatalf("%d runs, want n*(d+2) = %d", runs, tt.n*(tt.d+2))
			}
			for r := range base {
				if !slices.Equal(A[r], base[r][:tt.d]) || !slices.Equal(B[r], base[r][tt.d:]) {
					t.Fatalf("row %d: A/B are not the halves of the 2d Sobol point", r)
				}
			}
			// The matrices must not alias each other.
			A[0][0] = -1
			if B[0][0] == -1 || (tt.d > 1 && AB[1][0][0] == -1) {
				t.Fatal("A aliases B or AB")
			}
		})
	}
}

func TestMorris(t *testing.T) {
	t.Parallel()
	tests := []struct{ r, d, levels int }{{1, 1, 2}, {5, 3, 4}, {20, 6, 4}, {10, 4, 6}, {3, 10, 8}}
	for _, tt := range tests {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			trajs, err := Morris(tt.r, tt.d, tt.levels, newRand(uint64(tt.r*100+tt.d)))
			if err != nil {
				t.Fatal(err)
			}
			if len(trajs) != tt.r {
				t.Fatalf("%d trajectories, want %d", len(trajs), tt.r)
			}
			delta := float64(tt.levels) / (2 * float64(tt.levels-1))
			if MorrisDelta(tt.levels) != delta {
				t.Fatalf("MorrisDelta(%d) = %v, want %v", tt.levels, MorrisDelta(tt.levels), delta)
			}
			for ti, tr := range trajs {
				checkShape(t, tr.Points, tt.d+1, tt.d)
				if len(tr.Factor) != tt.d || len(tr.Delta) != tt.d {
					t.Fatalf("trajectory %d: %d factors, %d deltas, want %d", ti, len(tr.Factor), len(tr.Delta), tt.d)
				}
				for _, p := range tr.Points {
					for _, x := range p {
						g := x * float64(tt.levels-1)
						if x < 0 || x > 1 || math.Abs(g-math.Round(g)) > 1e-9 {
							t.Fatalf("trajectory %d: coordinate %v is not on the %d-level grid", ti, x, tt.levels)
						}
					}
				}
				changed := make([]int, tt.d)
				for j := 0; j < tt.d; j++ {
					diffs := 0
					for i := range tt.d {
						if tr.Points[j+1][i] != tr.Points[j][i] {
							diffs++
							if i != tr.Factor[j] {
								t.Fatalf("trajectory %d step %d changes factor %d, recorded %d", ti, j, i, tr.Factor[j])
							}
							changed[i]++
						}
					}
					if diffs != 1 {
						t.Fatalf("trajectory %d step %d changes %d coordinates", ti, j, diffs)
					}
					i := tr.Factor[j]
					step := tr.Points[j+1][i] - tr.Points[j][i]
					if math.Abs(math.Abs(step)-delta) > 1e-12 || math.Abs(step-tr.Delta[j]) > 1e-12 {
						t.Fatalf("trajectory %d step %d: change %v, recorded %v, delta %v", ti, j, step, tr.Delta[j], delta)
					}
				}
				for i, c := range changed {
					if c != 1 {
						t.Fatalf("trajectory %d: factor %d changes %d times", ti, i, c)
					}
				}
			}
		})
	}
}

// TestMorrisStartLevels checks that starting levels are uniform over all p
// levels and both directions occur (the distribution of Morris's B*).
func TestMorrisStartLevels(t *testing.T) {
	t.Parallel()
	const r, d, p = 4000, 3, 4
	trajs, err := Morris(r, d, p, newRand(7))
	if err != nil {
		t.Fatal(err)
	}
	count := make([]int, p)
	up := 0
	for _, tr := range trajs {
		for _, x := range tr.Points[0] {
			count[int(math.Round(x*(p-1)))]++
		}
		for _, dl := range tr.Delta {
			if dl > 0 {
				up++
			}
		}
	}
	for l, c := range count {
		if frac := float64(c) / (r * d); math.Abs(frac-1.0/p) > 0.02 {
			t.Errorf("level %d starts %.3f of the time, want %.3f", l, frac, 1.0/p)
		}
	}
	if frac := float64(up) / (r * d); math.Abs(frac-0.5) > 0.02 {
		t.Errorf("%.3f of the steps go up, want 0.5", frac)
	}
}

func TestTransforms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    func() (float64, error)
		want float64
	}{
		{"linear 0", func() (float64, error) { return Linear(0, -2, 6) }, -2},
		{"linear 0.25", func() (float64, error) { return Linear(0.25, -2, 6) }, 0},
		{"linear 1", func() (float64, error) { return Linear(1, -2, 6) }, 6},
		{"linear degenerate", func() (float64, error) { return Linear(0.3, 4, 4) }, 4},
		{"log 0", func() (float64, error) { return Log(0, 0.01, 100) }, 0.01},
		{"log 0.5", func() (float64, error) { return Log(0.5, 0.01, 100) }, 1},
		{"log 0.75", func() (float64, error) { return Log(0.75, 0.01, 100) }, 10},
		{"log 1", func() (float64, error) { return Log(1, 0.01, 100) }, 100},
		{"tn median symmetric", func() (float64, error) { return TruncatedNormal(0.5, 3, 2, 1, 5) }, 3},
		{"tn untruncated", func() (float64, error) { return TruncatedNormal(0.975, 0, 1, math.Inf(-1), math.Inf(1)) }, 1.959963984540054},
		{"tn 0", func() (float64, error) { return TruncatedNormal(0, 10, 1, 9, 13) }, 9},
		{"tn 1", func() (float64, error) { return TruncatedNormal(1, 10, 1, 9, 13) }, 13},
		// Half-normal above the mean: median at Phi^-1(0.75) = 0.6744897501960817.
		{"tn half normal", func() (float64, error) { return TruncatedNormal(0.5, 0, 1, 0, math.Inf(1)) }, 0.6744897501960817},
		{"tn half normal below", func() (float64, error) { return TruncatedNormal(0.5, 0, 1, math.Inf(-1), 0) }, -0.6744897501960817},
		// Deep upper tail (reflected): on [8,9] the truncated density is
		// ~ exp(-8.06 (x-8)); the median is about 8 + ln2/8.06.
		{"tn tail", func() (float64, error) { return TruncatedNormal(0.5, 0, 1, 8, 9) }, 8.08536},
		// Beyond CDF underflow (exponential tail approximation): median
		// 50 + ln2/50 up to O(1/50^2) relative error.
		{"tn extreme tail", func() (float64, error) { return TruncatedNormal(0.5, 0, 1, 50, 51) }, 50 + math.Ln2/50},
		{"tn extreme lower tail", func() (float64, error) { return TruncatedNormal(0.5, 0, 1, -51, -50) }, -50 - math.Ln2/50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.f()
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-tt.want) > 1e-4*math.Max(1, math.Abs(tt.want)) {
				t.Fatalf("got %.10g, want %.10g", got, tt.want)
			}
		})
	}
}

// TestTruncatedNormalInverse checks that TruncatedNormal inverts the
// truncated CDF and stays inside [lo, hi], monotone in u.
func TestTruncatedNormalInverse(t *testing.T) {
	t.Parallel()
	cases := []struct{ mean, sd, lo, hi float64 }{
		{0, 1, -1, 2}, {5, 0.5, 5.2, 7}, {5, 3, -10, 4}, {0, 1, 3, 4}, {0, 1, -6, -5}, {100, 10, 0, 1000},
	}
	phi := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	for _, c := range cases {
		prev := math.Inf(-1)
		for i := 0; i <= 100; i++ {
			u := float64(i) / 100
			x, err := TruncatedNormal(u, c.mean, c.sd, c.lo, c.hi)
			if err != nil {
				t.Fatal(err)
			}
			if x < c.lo || x > c.hi || x < prev {
				t.Fatalf("%+v: u=%v gives %v (previous %v)", c, u, x, prev)
			}
			prev = x
			pl, ph := phi((c.lo-c.mean)/c.sd), phi((c.hi-c.mean)/c.sd)
			if got := (phi((x-c.mean)/c.sd) - pl) / (ph - pl); math.Abs(got-u) > 1e-6 {
				t.Fatalf("%+v: truncated CDF at %v is %v, want %v", c, x, got, u)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	inf := math.Inf(1)
	tests := []struct {
		name string
		f    func() error
		want string
	}{
		{"grid empty", func() error { _, err := Grid(nil); return err }, "design: Grid needs at least one factor"},
		{"grid zero level", func() error { _, err := Grid([]int{2, 0}); return err }, "design: Grid levels[1] must be positive, got 0"},
		{"grid huge", func() error { _, err := Grid([]int{1 << 20, 1 << 20}); return err }, "design: Grid with levels [1048576 1048576] exceeds the limit of 268435456 values"},
		{"random n", func() error { _, err := Random(0, 2, newRand(1)); return err }, "design: n must be positive, got 0"},
		{"random d", func() error { _, err := Random(3, -1, newRand(1)); return err }, "design: d must be positive, got -1"},
		{"random nil", func() error { _, err := Random(3, 2, nil); return err }, "design: nil random source"},
		{"random huge", func() error { _, err := Random(1<<20, 1<<10, newRand(1)); return err }, "design: 1048576 points in 1024 dimensions exceed the limit of 268435456 values"},
		{"lhs n", func() error { _, err := LatinHypercube(-5, 2, newRand(1)); return err }, "design: n must be positive, got -5"},
		{"lhs d", func() error { _, err := LatinHypercube(5, 0, newRand(1)); return err }, "design: d must be positive, got 0"},
		{"lhs nil", func() error { _, err := LatinHypercube(5, 2, nil); return err }, "design: nil random source"},
		{"sobol n", func() error { _, err := Sobol(0, 2, 0); return err }, "design: n must be positive, got 0"},
		{"sobol d", func() error { _, err := Sobol(4, 0, 0); return err }, "design: d must be positive, got 0"},
		{"sobol dim", func() error { _, err := Sobol(4, 41, 0); return err }, "design: Sobol dimension 41 exceeds the maximum of 40"},
		{"sobol skip", func() error { _, err := Sobol(4, 2, -1); return err }, "design: skip must be non-negative, got -1"},
		{"sobol range", func() error { _, err := Sobol(4, 2, 1<<32-3); return err }, "design: Sobol points 4294967293..4294967296 exceed the 2^32 points of a 32-bit sequence"},
		{"saltelli d", func() error { _, _, _, err := Saltelli(8, 21, 0); return err }, "design: Saltelli needs 2d = 42 Sobol dimensions, the maximum is 40"},
		{"saltelli n", func() error { _, _, _, err := Saltelli(0, 3, 0); return err }, "design: n must be positive, got 0"},
		{"saltelli huge", func() error { _, _, _, err := Saltelli(1<<22, 20, 0); return err }, "design: Saltelli with n = 4194304 and d = 20 exceeds the limit of 268435456 values"},
		{"morris r", func() error { _, err := Morris(0, 3, 4, newRand(1)); return err }, "design: Morris needs r >= 1 trajectories, got 0"},
		{"morris d", func() error { _, err := Morris(2, 0, 4, newRand(1)); return err }, "design: d must be positive, got 0"},
		{"morris odd levels", func() error { _, err := Morris(2, 3, 5, newRand(1)); return err }, "design: Morris levels must be even and >= 2, got 5"},
		{"morris levels", func() error { _, err := Morris(2, 3, 0, newRand(1)); return err }, "design: Morris levels must be even and >= 2, got 0"},
		{"morris nil", func() error { _, err := Morris(2, 3, 4, nil); return err }, "design: nil random source"},
		{"morris huge", func() error { _, err := Morris(1<<20, 1<<10, 4, newRand(1)); return err }, "design: Morris with r = 1048576 and d = 1024 exceeds the limit of 268435456 values"},
		{"linear u", func() error { _, err := Linear(1.5, 0, 1); return err }, "design: u must be in [0,1], got 1.5"},
		{"linear nan u", func() error { _, err := Linear(math.NaN(), 0, 1); return err }, "design: u must be in [0,1], got NaN"},
		{"linear order", func() error { _, err := Linear(0.5, 2, 1); return err }, "design: Linear needs finite lo <= hi, got [2, 1]"},
		{"linear inf", func() error { _, err := Linear(0.5, 0, inf); return err }, "design: Linear needs finite lo <= hi, got [0, +Inf]"},
		{"log zero", func() error { _, err := Log(0.5, 0, 1); return err }, "design: Log needs 0 < lo <= hi < +Inf, got [0, 1]"},
		{"log order", func() error { _, err := Log(0.5, 3, 2); return err }, "design: Log needs 0 < lo <= hi < +Inf, got [3, 2]"},
		{"log u", func() error { _, err := Log(-0.1, 1, 2); return err }, "design: u must be in [0,1], got -0.1"},
		{"tn sd", func() error { _, err := TruncatedNormal(0.5, 0, 0, -1, 1); return err }, "design: TruncatedNormal needs finite mean and sd > 0, got mean 0, sd 0"},
		{"tn mean", func() error { _, err := TruncatedNormal(0.5, inf, 1, -1, 1); return err }, "design: TruncatedNormal needs finite mean and sd > 0, got mean +Inf, sd 1"},
		{"tn bounds", func() error { _, err := TruncatedNormal(0.5, 0, 1, 1, 1); return err }, "design: TruncatedNormal needs lo < hi, got [1, 1]"},
		{"tn u", func() error { _, err := TruncatedNormal(2, 0, 1, -1, 1); return err }, "design: u must be in [0,1], got 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.f()
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Fatalf("error %q, want %q", err, tt.want)
			}
		})
	}
}

// joeKuoText is the start of new-joe-kuo-6.21201 in its own "d s a m_1..m_s"
// format, entered separately from the joeKuo table to catch transcription
// slips in either.
const joeKuoText = `
2 1 0 1
3 2 1 1 3
4 3 1 1 3 1
5 3 2 1 1 1
6 4 1 1 1 3 3
7 4 4 1 3 5 13
8 5 2 1 1 5 5 17
9 5 4 1 1 5 5 5
10 5 7 1 1 7 11 19
11 5 11 1 1 5 1 1
12 5 13 1 1 1 3 11
13 5 14 1 3 5 5 31
14 6 1 1 3 3 9 7 49
15 6 13 1 1 1 15 21 21
16 6 16 1 3 1 13 27 49
17 6 19 1 1 1 15 7 5
18 6 22 1 3 1 15 13 25
19 6 25 1 1 5 5 19 61
20 7 1 1 3 7 11 23 15 103
21 7 4 1 3 7 13 13 15 69
22 7 7 1 1 3 13 7 35 63
23 7 8 1 3 5 9 1 25 53
24 7 14 1 3 1 13 9 35 107
25 7 19 1 3 1 5 27 61 31
26 7 21 1 1 5 11 19 41 61
27 7 28 1 3 5 3 3 13 69
28 7 31 1 1 7 13 1 19 1
29 7 32 1 3 7 5 13 19 59
30 7 37 1 1 3 9 25 29 41
31 7 41 1 3 5 13 23 1 55
32 7 42 1 3 7 3 13 59 17
33 7 50 1 3 1 3 5 53 69
34 7 55 1 1 5 5 23 33 13
35 7 56 1 1 7 7 1 61 123
36 7 59 1 1 7 9 13 61 49
37 7 62 1 3 3 5 3 55 33
38 8 14 1 3 1 15 31 13 49 245
39 8 21 1 3 5 15 31 59 63 97
40 8 22 1 3 1 11 11 11 77 249
`

func TestJoeKuoTranscription(t *testing.T) {
	t.Parallel()
	lines := strings.Split(strings.TrimSpace(joeKuoText), "\n")
	if len(lines) != len(joeKuo) {
		t.Fatalf("%d reference rows, table has %d", len(lines), len(joeKuo))
	}
	for i, line := range lines {
		var nums []int
		for _, f := range strings.Fields(line) {
			v, err := strconv.Atoi(f)
			if err != nil {
				t.Fatal(err)
			}
			nums = append(nums, v)
		}
		p := joeKuo[i]
		got := []int{i + 2, p.s, p.a}
		for _, m := range p.m {
			got = append(got, int(m))
		}
		if !slices.Equal(got, nums) {
			t.Errorf("table row %v, reference %v", got, nums)
		}
	}
}

// mDirections extends the initial direction integers of joeKuo[j-2] (or all
// ones for j = 1) to m_1..m_32 with the recurrence as published by Bratley and
// Fox (1988) and Joe and Kuo, in the integer m domain:
//
//	m_k = 2 a_1 m_(k-1) ^ 4 a_2 m_(k-2) ^ ... ^ 2^(s-1) a_(s-1) m_(k-s+1) ^ 2^s m_(k-s) ^ m_(k-s)
//
// where a = a_1 a_2 ... a_(s-1) in binary. Directions works on the scaled
// v_k = m_k 2^(32-k) instead; this is the independent check.
func mDirections(j int) []uint64 {
	m := make([]uint64, 33) // 1-based
	if j == 1 {
		for k := 1; k <= 32; k++ {
			m[k] = 1
		}
		return m[1:]
	}
	p := joeKuo[j-2]
	for k := 1; k <= p.s; k++ {
		m[k] = uint64(p.m[k-1])
	}
	for k := p.s + 1; k <= 32; k++ {
		x := m[k-p.s]<<p.s ^ m[k-p.s]
		for i := 1; i < p.s; i++ {
			ai := uint64(p.a>>(p.s-1-i)) & 1
			x ^= ai * m[k-i] << i
		}
		m[k] = x
	}
	return m[1:]
}

func TestSobolDirectionNumbers(t *testing.T) {
	t.Parallel()
	// Hand-derived: dimension 4 is x^3+x+1 (a = 01: a_1 = 0, a_2 = 1),
	// so m_4 = 4*m_2 ^ 8*m_1 ^ m_1 = 12^8^1 = 5 and m_5 = 4*m_3 ^ 8*m_2 ^ m_2 = 31;
	// dimension 7 is x^4+x^3+1 (a = 100), so m_5 = 2*13 ^ 16 ^ 1 = 11 and
	// m_6 = 2*11 ^ 16*3 ^ 3 = 37.
	pins := []struct {
		dim int
		m   []uint64
	}{
		{1, []uint64{1, 1, 1, 1}},
		{2, []uint64{1, 3, 5, 15, 17, 51}},
		{4, []uint64{1, 3, 1, 5, 31}},
		{7, []uint64{1, 3, 5, 13, 11, 37}},
	}
	for _, p := range pins {
		if got := mDirections(p.dim)[:len(p.m)]; !slices.Equal(got, p.m) {
			t.Errorf("dimension %d: m = %v, want %v", p.dim, got, p.m)
		}
	}
	v := directions(MaxSobolDim)
	for j := 1; j <= MaxSobolDim; j++ {
		m := mDirections(j)
		for k := range sobolBits {
			if want := uint32(m[k] << (31 - k)); v[j-1][k] != want {
				t.Fatalf("dimension %d: v_%d = %#x, want m_%d*2^%d = %#x", j, k+1, v[j-1][k], k+1, 31-k, want)
			}
		}
	}
}
