package design

import (
	"fmt"
	"math/bits"
)

// sobolParams holds the Joe–Kuo parameters of one Sobol' dimension: the
// degree s of its primitive polynomial
//
//	x^s + a_1 x^(s-1) + ... + a_(s-1) x + 1   (over GF(2)),
//
// the inner coefficients packed as a = a_1 a_2 ... a_(s-1) in binary (a_1 most
// significant), and the initial direction integers m_1..m_s (m_k odd, m_k < 2^k).
type sobolParams struct {
	s, a int
	m    []uint32
}

// joeKuo holds dimensions 2..MaxSobolDim of the direction numbers
// new-joe-kuo-6.21201 from
//
//	S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better
//	two-dimensional projections", SIAM J. Sci. Comput. 30, 2635-2654 (2008).
//
// (file columns d, s, a, m_i; joeKuo[0] is d = 2). Dimension 1 is the
// van der Corput sequence in base 2 and needs no parameters. The table lists
// every primitive polynomial of degree 1..7 in increasing order of a, then the
// first three of degree 8; the tests check this, and check the (0,2)-sequence
// property of the first two dimensions.
var joeKuo = [...]sobolParams{
	{1, 0, []uint32{1}},                             // d=2
	{2, 1, []uint32{1, 3}},                          // d=3
	{3, 1, []uint32{1, 3, 1}},                       // d=4
	{3, 2, []uint32{1, 1, 1}},                       // d=5
	{4, 1, []uint32{1, 1, 3, 3}},                    // d=6
	{4, 4, []uint32{1, 3, 5, 13}},                   // d=7
	{5, 2, []uint32{1, 1, 5, 5, 17}},                // d=8
	{5, 4, []uint32{1, 1, 5, 5, 5}},                 // d=9
	{5, 7, []uint32{1, 1, 7, 11, 19}},               // d=10
	{5, 11, []uint32{1, 1, 5, 1, 1}},                // d=11
	{5, 13, []uint32{1, 1, 1, 3, 11}},               // d=12
	{5, 14, []uint32{1, 3, 5, 5, 31}},               // d=13
	{6, 1, []uint32{1, 3, 3, 9, 7, 49}},             // d=14
	{6, 13, []uint32{1, 1, 1, 15, 21, 21}},          // d=15
	{6, 16, []uint32{1, 3, 1, 13, 27, 49}},          // d=16
	{6, 19, []uint32{1, 1, 1, 15, 7, 5}},            // d=17
	{6, 22, []uint32{1, 3, 1, 15, 13, 25}},          // d=18
	{6, 25, []uint32{1, 1, 5, 5, 19, 61}},           // d=19
	{7, 1, []uint32{1, 3, 7, 11, 23, 15, 103}},      // d=20
	{7, 4, []uint32{1, 3, 7, 13, 13, 15, 69}},       // d=21
	{7, 7, []uint32{1, 1, 3, 13, 7, 35, 63}},        // d=22
	{7, 8, []uint32{1, 3, 5, 9, 1, 25, 53}},         // d=23
	{7, 14, []uint32{1, 3, 1, 13, 9, 35, 107}},      // d=24
	{7, 19, []uint32{1, 3, 1, 5, 27, 61, 31}},       // d=25
	{7, 21, []uint32{1, 1, 5, 11, 19, 41, 61}},      // d=26
	{7, 28, []uint32{1, 3, 5, 3, 3, 13, 69}},        // d=27
	{7, 31, []uint32{1, 1, 7, 13, 1, 19, 1}},        // d=28
	{7, 32, []uint32{1, 3, 7, 5, 13, 19, 59}},       // d=29
	{7, 37, []uint32{1, 1, 3, 9, 25, 29, 41}},       // d=30
	{7, 41, []uint32{1, 3, 5, 13, 23, 1, 55}},       // d=31
	{7, 42, []uint32{1, 3, 7, 3, 13, 59, 17}},       // d=32
	{7, 50, []uint32{1, 3, 1, 3, 5, 53, 69}},        // d=33
	{7, 55, []uint32{1, 1, 5, 5, 23, 33, 13}},       // d=34
	{7, 56, []uint32{1, 1, 7, 7, 1, 61, 123}},       // d=35
	{7, 59, []uint32{1, 1, 7, 9, 13, 61, 49}},       // d=36
	{7, 62, []uint32{1, 3, 3, 5, 3, 55, 33}},        // d=37
	{8, 14, []uint32{1, 3, 1, 15, 31, 13, 49, 245}}, // d=38
	{8, 21, []uint32{1, 3, 5, 15, 31, 59, 63, 97}},  // d=39
	{8, 22, []uint32{1, 3, 1, 11, 11, 11, 77, 249}}, // d=40
}

// MaxSobolDim is the largest dimension Sobol supports (the size of the
// embedded Joe–Kuo table plus the van der Corput dimension).
const MaxSobolDim = len(joeKuo) + 1

// sobolBits is the number of bits of every coordinate: points are
// k/2^32 and at most 2^32 points (indices 0..2^32-1) can be generated.
const sobolBits = 32

// directions returns the 32-bit direction numbers v[j][k] = m_(k+1) * 2^(31-k)
// of the first d dimensions, extending the initial m_k by the recurrence of
// Bratley and Fox (1988) in the form used by Joe and Kuo:
//
//	v_k = a_1 v_(k-1) ^ a_2 v_(k-2) ^ ... ^ a_(s-1) v_(k-s+1) ^ v_(k-s) ^ (v_(k-s) >> s).
func directions(d int) [][sobolBits]uint32 {
	v := make([][sobolBits]uint32, d)
	for k := range sobolBits {
		v[0][k] = 1 << (sobolBits - 1 - k) // van der Corput: all m_k = 1
	}
	for j := 1; j < d; j++ {
		p := joeKuo[j-1]
		s := p.s
		for k := 0; k < s && k < sobolBits; k++ {
			v[j][k] = p.m[k] << (sobolBits - 1 - k)
		}
		for k := s; k < sobolBits; k++ {
			x := v[j][k-s] ^ (v[j][k-s] >> s)
			for i := 1; i < s; i++ {
				if (p.a>>(s-1-i))&1 == 1 {
					x ^= v[j][k-i]
				}
			}
			v[j][k] = x
		}
	}
	return v
}

// Sobol returns points skip, skip+1, ..., skip+n-1 (0-based) of the
// d-dimensional Sobol' sequence with the Joe–Kuo (2008) direction numbers,
// generated in Gray-code order (Antonov and Saleev 1979) with 32-bit
// precision. Point 0 is the origin; without skipping, the first points in two
// dimensions are (0,0) (0.5,0.5) (0.75,0.25) (0.25,0.75) (0.375,0.375)
// (0.875,0.875) ... (the unscrambled sequence, in the order of Joe and Kuo's
// reference generator).
//
// Every block of 2^k consecutive points starting at a multiple of 2^k is a
// (t,k,d)-net: in particular each 1-D projection hits each of the 2^k
// intervals [i/2^k, (i+1)/2^k) exactly once, and the first two dimensions
// form a (0,2)-sequence. Keep skip = 0 and n a power of two to preserve this
// balance (A. B. Owen, "On dropping the first Sobol' point", MCQMC 2020,
// Springer 2022).
//
// Coordinates are multiples of 2^-32 in [0,1). d is limited to MaxSobolDim and
// skip+n to 2^32.
func Sobol(n, d int, skip int) ([][]float64, error) {
	if err := checkSize(n, d); err != nil {
		return nil, err
	}
	if d > MaxSobolDim {
		return nil, fmt.Errorf("design: Sobol dimension %d exceeds the maximum of %d", d, MaxSobolDim)
	}
	if skip < 0 {
		return nil, fmt.Errorf("design: skip must be non-negative, got %d", skip)
	}
	if uint64(skip) > 1<<sobolBits-uint64(n) {
		return nil, fmt.Errorf("design: Sobol points %d..%d exceed the 2^32 points of a 32-bit sequence", skip, uint64(skip)+uint64(n)-1)
	}
	v := directions(d)
	x := make([]uint32, d)
	// Point i is the XOR of the direction numbers selected by the bits of the
	// Gray code i ^ (i>>1).
	idx := uint64(skip)
	g := idx ^ (idx >> 1)
	for k := 0; g != 0; k, g = k+1, g>>1 {
		if g&1 == 1 {
			for j := range x {
				x[j] ^= v[j][k]
			}
		}
	}
	pts := newPoints(n, d)
	const scale = 1.0 / (1 << sobolBits)
	for i, p := range pts {
		if i > 0 {
			// Gray-code update: going from point idx-1 to idx flips the
			// direction number of the lowest zero bit of idx-1.
			k := bits.TrailingZeros64(^(idx - 1))
			for j := range x {
				x[j] ^= v[j][k]
			}
		}
		for j := range p {
			p[j] = float64(x[j]) * scale
		}
		idx++
	}
	return pts, nil
}

// Saltelli returns the matrices of the Saltelli (2010) scheme for estimating
// first-order and total Sobol' indices of d factors from n base points
// (A. Saltelli et al., "Variance based sensitivity analysis of model output.
// Design and estimator for the total sensitivity index", Comput. Phys. Commun.
// 181, 259-270 (2010)).
//
// Points skip..skip+n-1 of the 2d-dimensional Sobol sequence are split into
// A (first d columns) and B (last d columns), both n×d; AB has d matrices,
// AB[i] being A with column i taken from B. The model must be run on A, B and
// every AB[i]: n*(d+2) runs in total. All matrices are freshly allocated.
// Because the Sobol table has MaxSobolDim dimensions, d <= MaxSobolDim/2.
func Saltelli(n, d int, skip int) (A, B [][]float64, AB [][][]float64, err error) {
	if err := checkSize(n, d); err != nil {
		return nil, nil, nil, err
	}
	if 2*d > MaxSobolDim {
		return nil, nil, nil, fmt.Errorf("design: Saltelli needs 2d = %d Sobol dimensions, the maximum is %d", 2*d, MaxSobolDim)
	}
	if n > MaxValues/(d*(d+2)) {
		return nil, nil, nil, fmt.Errorf("design: Saltelli with n = %d and d = %d exceeds the limit of %d values", n, d, MaxValues)
	}
	base, err := Sobol(n, 2*d, skip)
	if err != nil {
		return nil, nil, nil, err
	}
	A = newPoints(n, d)
	B = newPoints(n, d)
	for r, p := range base {
		copy(A[r], p[:d])
		copy(B[r], p[d:])
	}
	AB = make([][][]float64, d)
	for i := range AB {
		m := newPoints(n, d)
		for r := range m {
			copy(m[r], A[r])
			m[r][i] = B[r][i]
		}
		AB[i] = m
	}
	return A, B, AB, nil
}
