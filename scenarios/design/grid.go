package design

import "fmt"

// Grid returns the full factorial design over the factors' Levels: every
// combination of one level per factor, prod_i len(Levels_i) rows.
//
// Order: lexicographic in level index with the first factor varying slowest
// and the last factor fastest, exactly as nested for-loops with factor 0 in
// the outermost loop (an odometer / row-major enumeration; see e.g.
// Montgomery, Design and Analysis of Experiments, ch. 5). Row r therefore
// has level index (r / prod_{j>i} L_j) mod L_i for factor i.
//
// With no factors Grid returns nil. It panics if a factor has no levels.
func Grid(factors []Factor) [][]float64 {
	if len(factors) == 0 {
		return nil
	}
	total := 1
	for i, f := range factors {
		if len(f.Levels) == 0 {
			panic(fmt.Sprintf("design: Grid: factor %d (%q) has no levels", i, f.Name))
		}
		total *= len(f.Levels)
	}
	k := len(factors)
	idx := make([]int, k)
	out := make([][]float64, total)
	for r := range out {
		row := make([]float64, k)
		for i, f := range factors {
			row[i] = f.Levels[idx[i]]
		}
		out[r] = row
		for i := k - 1; i >= 0; i-- { // odometer increment, last factor fastest
			idx[i]++
			if idx[i] < len(factors[i].Levels) {
				break
			}
			idx[i] = 0
		}
	}
	return out
}
