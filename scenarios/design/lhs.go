package design

import (
	"fmt"
	"math/rand/v2"
)

// LatinHypercube returns n points of a Latin hypercube sample (McKay,
// Beckman & Conover 1979, Technometrics 21(2):239-245).
//
// Algorithm: for each factor j independently, the unit interval is cut into
// n equal strata; a uniformly random permutation pi_j of {0..n-1} assigns
// stratum pi_j(i) to row i, and the point is placed uniformly at random
// inside that stratum: u_ij = (pi_j(i) + U_ij) / n, then scaled to
// [Min_j, Max_j]. Hence every factor has exactly one row in each of its n
// strata.
//
// Seeding: draws come from rand.New(rand.NewPCG(seed, streamLHS)), factor by
// factor (first the permutation, then the n offsets), so the result depends
// only on (factors' bounds, n, seed). It panics if n < 0 or a factor has
// non-finite bounds or Min > Max.
func LatinHypercube(factors []Factor, n int, seed uint64) [][]float64 {
	if n < 0 {
		panic(fmt.Sprintf("design: LatinHypercube: negative n %d", n))
	}
	checkBounds(factors, false)
	rng := rand.New(rand.NewPCG(seed, streamLHS))
	k := len(factors)
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, k)
	}
	for j, f := range factors {
		perm := rng.Perm(n)
		for i := 0; i < n; i++ {
			u := (float64(perm[i]) + rng.Float64()) / float64(n)
			out[i][j] = f.Scale(u)
		}
	}
	return out
}
