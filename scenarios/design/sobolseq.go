package design

import (
	"fmt"
	"math/bits"
)

// sobolBits is the precision of the generator: coordinates are k/2^32.
const sobolBits = 32

// joeKuo holds the Sobol' initialisation for dimensions 2..MaxSobolDim from
// the file new-joe-kuo-6.21201 of S. Joe and F. Y. Kuo, "Constructing Sobol
// sequences with better two-dimensional projections", SIAM J. Sci. Comput.
// 30 (2008) 2635-2654: s is the degree of the primitive polynomial, a
// encodes its inner coefficients, m are the initial direction numbers
// m_1..m_s. Dimension 1 is the van der Corput sequence and needs no entry.
var joeKuo = []struct {
	s, a uint32
	m    []uint32
}{
	{1, 0, []uint32{1}},                                   // d=2
	{2, 1, []uint32{1, 3}},                                // d=3
	{3, 1, []uint32{1, 3, 1}},                             // d=4
	{3, 2, []uint32{1, 1, 1}},                             // d=5
	{4, 1, []uint32{1, 1, 3, 3}},                          // d=6
	{4, 4, []uint32{1, 3, 5, 13}},                         // d=7
	{5, 2, []uint32{1, 1, 5, 5, 17}},                      // d=8
	{5, 4, []uint32{1, 1, 5, 5, 5}},                       // d=9
	{5, 7, []uint32{1, 1, 7, 11, 19}},                     // d=10
	{5, 11, []uint32{1, 1, 5, 1, 1}},                      // d=11
	{5, 13, []uint32{1, 1, 1, 3, 11}},                     // d=12
	{5, 14, []uint32{1, 3, 5, 5, 31}},                     // d=13
	{6, 1, []uint32{1, 3, 3, 9, 7, 49}},                   // d=14
	{6, 13, []uint32{1, 1, 1, 15, 21, 21}},                // d=15
	{6, 16, []uint32{1, 3, 1, 13, 27, 49}},                // d=16
	{6, 19, []uint32{1, 1, 1, 15, 7, 5}},                  // d=17
	{6, 22, []uint32{1, 3, 1, 15, 13, 25}},                // d=18
	{6, 25, []uint32{1, 1, 5, 5, 19, 61}},                 // d=19
	{7, 1, []uint32{1, 3, 7, 11, 23, 15, 103}},            // d=20
	{7, 4, []uint32{1, 3, 7, 13, 13, 15, 69}},             // d=21
	{7, 7, []uint32{1, 1, 3, 13, 7, 35, 63}},              // d=22
	{7, 8, []uint32{1, 3, 5, 9, 1, 25, 53}},               // d=23
	{7, 14, []uint32{1, 3, 1, 13, 9, 35, 107}},            // d=24
	{7, 19, []uint32{1, 3, 1, 5, 27, 61, 31}},             // d=25
	{7, 21, []uint32{1, 1, 5, 11, 19, 41, 61}},            // d=26
	{7, 28, []uint32{1, 3, 5, 3, 3, 13, 69}},              // d=27
	{7, 31, []uint32{1, 1, 7, 13, 1, 19, 1}},              // d=28
	{7, 32, []uint32{1, 3, 7, 5, 13, 19, 59}},             // d=29
	{7, 37, []uint32{1, 1, 3, 9, 25, 29, 41}},             // d=30
	{7, 41, []uint32{1, 3, 5, 13, 23, 1, 55}},             // d=31
	{7, 42, []uint32{1, 3, 7, 3, 13, 59, 17}},             // d=32
	{7, 50, []uint32{1, 3, 1, 3, 5, 53, 69}},              // d=33
	{7, 55, []uint32{1, 1, 5, 5, 23, 33, 13}},             // d=34
	{7, 56, []uint32{1, 1, 7, 7, 1, 61, 123}},             // d=35
	{7, 59, []uint32{1, 1, 7, 9, 13, 61, 49}},             // d=36
	{7, 62, []uint32{1, 3, 3, 5, 3, 55, 33}},              // d=37
	{8, 14, []uint32{1, 3, 1, 15, 31, 13, 49, 245}},       // d=38
	{8, 21, []uint32{1, 3, 5, 15, 31, 59, 63, 97}},        // d=39
	{8, 22, []uint32{1, 3, 1, 11, 11, 11, 77, 249}},       // d=40
	{8, 38, []uint32{1, 3, 1, 11, 27, 43, 71, 9}},         // d=41
	{8, 47, []uint32{1, 1, 7, 15, 21, 11, 81, 45}},        // d=42
	{8, 49, []uint32{1, 3, 7, 3, 25, 31, 65, 79}},         // d=43
	{8, 50, []uint32{1, 3, 1, 1, 19, 11, 3, 205}},         // d=44
	{8, 52, []uint32{1, 1, 5, 9, 19, 21, 29, 157}},        // d=45
	{8, 56, []uint32{1, 3, 7, 11, 1, 33, 89, 185}},        // d=46
	{8, 67, []uint32{1, 3, 3, 3, 15, 9, 79, 71}},          // d=47
	{8, 70, []uint32{1, 3, 7, 11, 15, 39, 119, 27}},       // d=48
	{8, 84, []uint32{1, 1, 3, 1, 11, 31, 97, 225}},        // d=49
	{8, 97, []uint32{1, 1, 1, 3, 23, 43, 57, 177}},        // d=50
	{8, 103, []uint32{1, 3, 7, 7, 17, 17, 37, 71}},        // d=51
	{8, 115, []uint32{1, 3, 1, 5, 27, 63, 123, 213}},      // d=52
	{8, 122, []uint32{1, 1, 3, 5, 11, 43, 53, 133}},       // d=53
	{9, 8, []uint32{1, 3, 5, 5, 29, 17, 47, 173, 479}},    // d=54
	{9, 13, []uint32{1, 3, 3, 11, 3, 1, 109, 9, 69}},      // d=55
	{9, 16, []uint32{1, 1, 1, 5, 17, 39, 23, 5, 343}},     // d=56
	{9, 22, []uint32{1, 3, 1, 5, 25, 15, 31, 103, 499}},   // d=57
	{9, 25, []uint32{1, 1, 1, 11, 11, 17, 63, 105, 183}},  // d=58
	{9, 44, []uint32{1, 1, 5, 11, 9, 29, 97, 231, 363}},   // d=59
	{9, 47, []uint32{1, 1, 5, 15, 19, 45, 41, 7, 383}},    // d=60
	{9, 52, []uint32{1, 3, 7, 7, 31, 19, 83, 137, 221}},   // d=61
	{9, 55, []uint32{1, 1, 1, 3, 23, 15, 111, 223, 83}},   // d=62
	{9, 59, []uint32{1, 1, 5, 13, 31, 15, 55, 25, 161}},   // d=63
	{9, 62, []uint32{1, 1, 3, 13, 25, 47, 39, 87, 257}},   // d=64
	{9, 67, []uint32{1, 1, 1, 11, 21, 53, 125, 249, 293}}, // d=65
	{9, 74, []uint32{1, 1, 7, 11, 11, 7, 57, 79, 323}},    // d=66
	{9, 81, []uint32{1, 1, 5, 5, 17, 13, 81, 3, 131}},     // d=67
}

// MaxSobolDim is the largest dimension supported by SobolPoints; Saltelli
// needs 2k dimensions and so supports up to MaxSobolDim/2 factors.
const MaxSobolDim = 67 // == len(joeKuo) + 1, checked by a test

// directionNumbers returns v_1..v_32 (0-indexed) for dimension d (1-based),
// scaled to 32-bit integers, following Bratley & Fox (1988, ACM TOMS 14,
// Algorithm 659) with the Joe & Kuo (2008) initial numbers:
// v_k = m_k * 2^(32-k) for k <= s and, for k > s,
// v_k = v_{k-s} XOR (v_{k-s} >> s) XOR_{l=1}^{s-1} a_l v_{k-l}.
func directionNumbers(d int) [sobolBits]uint32 {
	var v [sobolBits]uint32
	if d == 1 {
		for k := range v {
			v[k] = 1 << (sobolBits - 1 - k)
		}
		return v
	}
	row := joeKuo[d-2]
	s := int(row.s)
	for k := 0; k < s && k < sobolBits; k++ {
		v[k] = row.m[k] << (sobolBits - 1 - k)
	}
	for k := s; k < sobolBits; k++ {
		x := v[k-s] ^ (v[k-s] >> uint(s))
		for l := 1; l < s; l++ {
			if (row.a>>uint(s-1-l))&1 == 1 {
				x ^= v[k-l]
			}
		}
		v[k] = x
	}
	return v
}

// sobolInts returns the raw 32-bit integer coordinates of points
// skip, skip+1, ..., skip+n-1 of the dims-dimensional Sobol' sequence in
// Gray-code order (Antonov & Saleev 1979): point 0 is the origin and
// x_{i+1} = x_i XOR v_{c}, with c the index of the lowest zero bit of i.
// The starting point is computed directly as XOR of v_b over the set bits b
// of gray(skip) = skip ^ (skip >> 1).
func sobolInts(n, dims, skip int) [][]uint32 {
	if n < 0 || skip < 0 {
		panic(fmt.Sprintf("design: Sobol: negative n (%d) or skip (%d)", n, skip))
	}
	if dims < 1 || dims > MaxSobolDim {
		panic(fmt.Sprintf("design: Sobol: dimension %d outside [1, %d]", dims, MaxSobolDim))
	}
	if uint64(n)+uint64(skip) > 1<<sobolBits {
		panic(fmt.Sprintf("design: Sobol: more than 2^%d points requested", sobolBits))
	}
	v := make([][sobolBits]uint32, dims)
	for d := range v {
		v[d] = directionNumbers(d + 1)
	}
	x := make([]uint32, dims)
	g := uint64(skip) ^ (uint64(skip) >> 1)
	for b := 0; g != 0; b, g = b+1, g>>1 {
		if g&1 == 1 {
			for d := range x {
				x[d] ^= v[d][b]
			}
		}
	}
	out := make([][]uint32, n)
	for i := 0; i < n; i++ {
		out[i] = append([]uint32(nil), x...)
		c := bits.TrailingZeros64(uint64(skip + i + 1))
		if c < sobolBits {
			for d := range x {
				x[d] ^= v[d][c]
			}
		}
	}
	return out
}

// SobolPoints returns points skip..skip+n-1 of the unscrambled Sobol'
// low-discrepancy sequence in [0,1)^dims (Sobol' 1967; Bratley & Fox 1988;
// Joe & Kuo 2008 direction numbers; Gray-code generation after Antonov &
// Saleev 1979), with 32-bit resolution. Point 0 is the origin; Saltelli
// skips it. It panics if dims is outside [1, MaxSobolDim], n or skip is
// negative, or more than 2^32 points are requested.
func SobolPoints(n, dims, skip int) [][]float64 {
	raw := sobolInts(n, dims, skip)
	out := make([][]float64, n)
	for i, r := range raw {
		row := make([]float64, dims)
		for d, x := range r {
			row[d] = float64(x) / (1 << sobolBits)
		}
		out[i] = row
	}
	return out
}
