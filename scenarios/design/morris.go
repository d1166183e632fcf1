package design

import (
	"fmt"
	"math/rand/v2"
)

// MorrisDesign is a set of R Morris trajectories over K factors.
//
// Trajectory t occupies rows t*(K+1) .. t*(K+1)+K of Points. Between row
// t*(K+1)+s and the next one (step s = 0..K-1) exactly one factor,
// Factor[t][s], changes, by Delta[t][s] in factor units, which is
// +-DeltaUnit*(Max-Min). Every factor changes exactly once per trajectory.
type MorrisDesign struct {
	Names     []string    // factor names, len K
	K, R      int         // factors, trajectories
	Levels    int         // p, number of grid levels per factor
	DeltaUnit float64     // p/(2(p-1)), the step on the unit scale
	Points    [][]float64 // R*(K+1) rows of K values
	Factor    [][]int     // [t][s]: factor changed at step s of trajectory t
	Delta     [][]float64 // [t][s]: signed change of that factor, in factor units
	// Applied, when set, is [t][s]: the signed change on the unit scale of the value the
	// runs actually get, where it is not the design's (a whole-number field rounds the
	// grid, a factor with levels bins it). The elementary effects divide by it.
	Applied [][]float64
}

// Row is the index in Points of step s (0..K) of trajectory t.
func (d MorrisDesign) Row(t, s int) int { return t*(d.K+1) + s }

// Morris returns r random one-at-a-time trajectories on a p-level grid
// (Morris 1991, Technometrics 33(2):161-174), each K+1 points long.
//
// Algorithm (Morris's randomised orientation matrix B* = (J x* +
// (Delta/2)[(2B - J)D* + J])P*): on the unit grid {0, 1/(p-1), ..., 1} with
// step Delta = p/(2(p-1)), draw a base value x*_i uniformly from the p/2
// levels {0, ..., (p/2-1)/(p-1)} (so that x*_i + Delta <= 1), a random
// direction d_i = +-1 for each factor, and a random permutation of the
// factors. The trajectory starts at x_i = x*_i (d_i = +1) or x*_i + Delta
// (d_i = -1) and then, factor by factor in permutation order, moves
// x_i += d_i*Delta. All points stay on the grid inside [0,1]^K and are
// scaled to [Min, Max]. Trajectories are not optimised for spread
// (Campolongo et al. 2007's selection can be applied by the caller by
// generating many and keeping a subset).
//
// Seeding: per trajectory, bases, then directions, then the permutation are
// drawn from rand.New(rand.NewPCG(seed, streamMorris)).
//
// It panics if r < 1, p is odd or < 2, there are no factors, or a factor
// does not have finite bounds with Min < Max.
func Morris(factors []Factor, r, p int, seed uint64) MorrisDesign {
	k := len(factors)
	if k < 1 {
		panic("design: Morris: no factors")
	}
	if r < 1 {
		panic(fmt.Sprintf("design: Morris: %d trajectories, need >= 1", r))
	}
	if p < 2 || p%2 != 0 {
		panic(fmt.Sprintf("design: Morris: levels p = %d, need an even p >= 2", p))
	}
	checkBounds(factors, true)
	rng := rand.New(rand.NewPCG(seed, streamMorris))
	step := p / 2 // Delta in grid units of 1/(p-1)
	grid := func(g int) float64 { return float64(g) / float64(p-1) }
	d := MorrisDesign{
		Names:     Names(factors),
		K:         k,
		R:         r,
		Levels:    p,
		DeltaUnit: float64(p) / float64(2*(p-1)),
		Points:    make([][]float64, 0, r*(k+1)),
		Factor:    make([][]int, r),
		Delta:     make([][]float64, r),
	}
	g := make([]int, k) // current grid index per factor
	dir := make([]int, k)
	for t := 0; t < r; t++ {
		for i := range g {
			g[i] = rng.IntN(p / 2)
		}
		for i := range dir {
			dir[i] = 1
			if rng.IntN(2) == 1 {
				dir[i] = -1
				g[i] += step
			}
		}
		order := rng.Perm(k)
		emit := func() {
			row := make([]float64, k)
			for i, f := range factors {
				row[i] = f.Scale(grid(g[i]))
			}
			d.Points = append(d.Points, row)
		}
		emit()
		d.Factor[t] = order
		d.Delta[t] = make([]float64, k)
		for s, i := range order {
			g[i] += dir[i] * step
			d.Delta[t][s] = float64(dir[i]) * d.DeltaUnit * (factors[i].Max - factors[i].Min)
			emit()
		}
	}
	return d
}
