package observe

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// giniStable is Gini as it was before the pair sort: a stable sort of indices by income.
func giniStable(y, w []float64) float64 {
	W, mu, ok := popMean(y, w)
	if !ok {
		return math.NaN()
	}
	idx := make([]int, len(y))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(y[a], y[b]) })
	total := mu * W
	var area, cum float64
	for _, i := range idx {
		p := w[i] / W
		next := cum + w[i]*y[i]/total
		area += p * (cum + next)
		cum = next
	}
	return math.Max(1-area, 0)
}

// TestGiniSameBitsAsStableSort checks that Gini gives the same bits as the stable-sort
// version, with many tied incomes of different weights (where the order of ties matters).
func TestGiniSameBitsAsStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	differ := 0
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(400)
		y, w := make([]float64, n), make([]float64, n)
		for i := range y {
			y[i] = float64(rng.IntN(1+n/4)) * 1.37 // many ties
			if trial%3 == 0 {
				y[i] = rng.ExpFloat64() * 5e4
			}
			w[i] = 1e4 + rng.Float64()*1e6
		}
		got, want := Gini(y, w), giniStable(y, w)
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("trial %d (n=%d): Gini %v, stable sort %v", trial, n, got, want)
		}
		// The order of ties must matter for this test to prove anything: a reversed input
		// gives other bits on some trials.
		slices.Reverse(y)
		slices.Reverse(w)
		if math.Float64bits(giniStable(y, w)) != math.Float64bits(want) {
			differ++
		}
	}
	if differ == 0 {
		t.Fatal("no trial where the order of tied incomes changes the bits: the test proves nothing")
	}
}

// BenchmarkGini measures Gini on a national-size province group (2,000 counties).
func BenchmarkGini(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	y, w := make([]float64, 2000), make([]float64, 2000)
	for i := range y {
		y[i], w[i] = rng.ExpFloat64()*5e4, 1e5+rng.Float64()*1e6
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Gini(y, w)
	}
}

// TestLorenzOrderSameBitsAsGini checks that a group's Gini from the shared county order has
// the same bits as Gini of the group alone, for large groups (which walk the order) and small
// ones, with tied incomes, and NaN when a member has no income.
func TestLorenzOrderSameBitsAsGini(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var o LorenzOrder
	walked := 0
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(300)
		y, w := make([]float64, n), make([]float64, n)
		for i := range y {
			y[i] = float64(rng.IntN(1+n/5)) * 2.5e3
			w[i] = 1e4 + rng.Float64()*1e6
		}
		if trial%10 == 0 {
			y[rng.IntN(n)] = math.NaN()
		}
		o.Sort(y)
		for g := 0; g < 5; g++ {
			var members []int
			var my, mw []float64
			keep := rng.Float64()
			for i := range y {
				if rng.Float64() < keep {
					members = append(members, i)
					my, mw = append(my, y[i]), append(mw, w[i])
				}
			}
			if len(members)*8 >= n {
				walked++
			}
			got, want := o.Gini(y, w, my, mw, members), Gini(my, mw)
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("trial %d group %d (%d of %d counties): %v, Gini %v", trial, g, len(members), n, got, want)
			}
		}
	}
	if walked == 0 {
		t.Fatal("no group large enough to walk the order: the test proves nothing")
	}
}

// TestInequalitySameBitsAsTheilGini checks Inequality against Theil and Gini of the gathered
// incomes, for groups of every size with tied, zero and missing incomes and zero weights, and
// for no members.
func TestInequalitySameBitsAsTheilGini(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var o LorenzOrder
	var order []int32
	nan := 0
	for trial := 0; trial < 300; trial++ {
		n := 1 + rng.IntN(200)
		y, w := make([]float64, n), make([]float64, n)
		for i := range y {
			y[i] = float64(rng.IntN(1+n/4)) * 1.7e3
			w[i] = 1e4 + rng.Float64()*1e6
			if trial%4 == 0 && rng.IntN(20) == 0 {
				w[i] = 0
			}
		}
		if trial%9 == 0 {
			y[rng.IntN(n)] = math.NaN()
		}
		o.Sort(y)
		order = o.Order(order)
		var members []int
		in := map[int32]bool{}
		keep := rng.Float64()
		for i := range y {
			if rng.Float64() < keep {
				members = append(members, i)
				in[int32(i)] = true
			}
		}
		var my, mw []float64
		for _, i := range members {
			my, mw = append(my, y[i]), append(mw, w[i])
		}
		var sorted []int32
		for _, i := range order {
			if in[i] {
				sorted = append(sorted, i)
			}
		}
		th, gi := Inequality(y, w, members, sorted)
		wt, wg := Theil(my, mw), Gini(my, mw)
		if math.Float64bits(th) != math.Float64bits(wt) || math.Float64bits(gi) != math.Float64bits(wg) {
			t.Fatalf("trial %d (%d of %d): Inequality %v %v, Theil %v Gini %v", trial, len(members), n, th, gi, wt, wg)
		}
		if math.IsNaN(wt) {
			nan++
		}
	}
	if nan == 0 {
		t.Fatal("no group without an index (NaN income or no members): the test proves less than it says")
	}
}
