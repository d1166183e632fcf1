package design

import (
	"fmt"
	"math/rand/v2"
)

// SaltelliLayout records where each block of a Saltelli design sits in the
// slice of points, which is all the Sobol' analysis needs besides the model
// outputs. Points are stored block by block, each block N rows long:
//
//	rows [0, N)                 A
//	rows [N, 2N)                B
//	rows [(2+i)N, (3+i)N)       A_B^(i), i = 0..K-1 (A with column i from B)
//	rows [(2+K+i)N, (3+K+i)N)   B_A^(i), i = 0..K-1, only if SecondOrder
//
// so row j of every block derives from base row j of A and B.
type SaltelliLayout struct {
	Names       []string // factor names, len K
	N           int      // base sample size: rows of A and of B
	K           int      // number of factors
	SecondOrder bool     // whether the B_A^(i) blocks are present
}

// Total is the number of points: N(K+2), or N(2K+2) with SecondOrder.
func (l SaltelliLayout) Total() int {
	if l.SecondOrder {
		return l.N * (2*l.K + 2)
	}
	return l.N * (l.K + 2)
}

// A is the index of row j of matrix A.
func (l SaltelliLayout) A(j int) int { return j }

// B is the index of row j of matrix B.
func (l SaltelliLayout) B(j int) int { return l.N + j }

// AB is the index of row j of A_B^(i): A with column i taken from B.
func (l SaltelliLayout) AB(i, j int) int { return (2+i)*l.N + j }

// BA is the index of row j of B_A^(i): B with column i taken from A. It
// panics unless the layout has SecondOrder set.
func (l SaltelliLayout) BA(i, j int) int {
	if !l.SecondOrder {
		panic("design: SaltelliLayout.BA on a first-order layout")
	}
	return (2+l.K+i)*l.N + j
}

// Saltelli returns the cross-sampled design of Saltelli (2002, Comput. Phys.
// Commun. 145:280-297) as recommended in Saltelli et al. (2010, Comput.
// Phys. Commun. 181:259-270) for estimating first-order and total Sobol'
// indices, plus its layout (see SaltelliLayout for the row order).
//
// Algorithm: take the first n points of the 2k-dimensional Sobol' sequence
// (Joe & Kuo 2008 direction numbers, Gray-code order), points 0..n-1, the
// origin included: for n a power of two they form a (t,m,s)-net, which
// dropping the first point breaks (Owen 2020, "On dropping the first Sobol'
// point"; the random shift below makes the origin an ordinary point); randomise
// them with a random digital shift (every coordinate's 32-bit integer is XORed
// with one random 32-bit word per dimension, which preserves the net
// structure; Owen 1995, L'Ecuyer & Lemieux 2002); the first k columns form
// A and the last k form B, both scaled to [Min, Max]. For each factor i,
// A_B^(i) is A with column i replaced by column i of B, and, if
// secondOrder, B_A^(i) is B with column i replaced by column i of A
// (needed for second-order indices). That gives n(k+2) points, or
// n(2k+2) with secondOrder. Powers of two for n keep the best balance.
//
// Seeding: the k*2 shift words are drawn, in dimension order, by
// rand.New(rand.NewPCG(seed, streamSaltelli)).Uint32(); the Sobol' points
// themselves are fixed.
//
// It panics if n < 1, k < 1, 2k > MaxSobolDim, or a factor has non-finite
// bounds or Min > Max.
func Saltelli(factors []Factor, n int, seed uint64, secondOrder bool) ([][]float64, SaltelliLayout) {
	k := len(factors)
	if k < 1 || 2*k > MaxSobolDim {
		panic(fmt.Sprintf("design: Saltelli: %d factors, need 1..%d", k, MaxSobolDim/2))
	}
	if n < 1 {
		panic(fmt.Sprintf("design: Saltelli: base sample size %d < 1", n))
	}
	checkBounds(factors, false)
	rng := rand.New(rand.NewPCG(seed, streamSaltelli))
	shift := make([]uint32, 2*k)
	for d := range shift {
		shift[d] = rng.Uint32()
	}
	raw := sobolInts(n, 2*k, 0)
	a := make([][]float64, n)
	b := make([][]float64, n)
	for j, r := range raw {
		a[j] = make([]float64, k)
		b[j] = make([]float64, k)
		for i, f := range factors {
			a[j][i] = f.Scale(float64(r[i]^shift[i]) / (1 << sobolBits))
			b[j][i] = f.Scale(float64(r[k+i]^shift[k+i]) / (1 << sobolBits))
		}
	}
	layout := SaltelliLayout{Names: Names(factors), N: n, K: k, SecondOrder: secondOrder}
	pts := make([][]float64, layout.Total())
	for j := 0; j < n; j++ {
		pts[layout.A(j)] = a[j]
		pts[layout.B(j)] = b[j]
		for i := 0; i < k; i++ {
			ab := append([]float64(nil), a[j]...)
			ab[i] = b[j][i]
			pts[layout.AB(i, j)] = ab
			if secondOrder {
				ba := append([]float64(nil), b[j]...)
				ba[i] = a[j][i]
				pts[layout.BA(i, j)] = ba
			}
		}
	}
	return pts, layout
}
