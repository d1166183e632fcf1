package observe

import (
	"cmp"
	"math"
	"slices"
)

// LorenzOrder is the order of every county by income (GDP per capita), ties by county index,
// shared by the Gini indices of all groups in a month. Gini sorts a group's incomes stably,
// that is by (income, position), and a group lists its members by county index, so the
// group's sorted incomes are this order restricted to its members: a large group walks the
// order instead of sorting, with the same bits as Gini.
type LorenzOrder struct {
	ord []giniItem // every county by (income, index)
	in  []bool     // scratch: the members of the group being computed
}

// giniCmp is the strict total order of Gini's sort: by income, ties by index (cmp.Compare
// puts NaN first and -0 with +0).
func giniCmp(a, b giniItem) int {
	if c := cmp.Compare(a.y, b.y); c != 0 {
		return c
	}
	return cmp.Compare(a.i, b.i)
}

// Sort orders the counties of incomes y. Incomes move little from one month to the next, so
// when o already orders as many counties Sort starts from that order, refreshes the incomes
// and finishes by insertion, which costs about one comparison per county when few change
// places; past a budget of moves it sorts the rest by pdqsort. The order is strict (ties
// broken by index), so every way gives the same order.
func (o *LorenzOrder) Sort(y []float64) {
	if len(o.ord) != len(y) {
		o.ord = o.ord[:0]
		for i, yi := range y {
			o.ord = append(o.ord, giniItem{yi, int32(i)})
		}
		slices.SortFunc(o.ord, giniCmp)
	} else {
		ord := o.ord
		for k := range ord {
			ord[k].y = y[ord[k].i]
		}
		budget := 4 * len(ord)
		for k := 1; k < len(ord); k++ {
			if giniCmp(ord[k-1], ord[k]) <= 0 {
				continue
			}
			it, j := ord[k], k-1
			for j >= 0 && giniCmp(ord[j], it) > 0 {
				ord[j+1] = ord[j]
				j--
			}
			ord[j+1] = it
			if budget -= k - 1 - j; budget < 0 {
				slices.SortFunc(ord, giniCmp)
				break
			}
		}
	}
	if len(o.in) != len(y) {
		o.in = make([]bool, len(y))
	}
}

// Order returns the county indices in the order of the last Sort (valid until the next).
func (o *LorenzOrder) Order(dst []int32) []int32 {
	dst = dst[:0]
	for _, it := range o.ord {
		dst = append(dst, it.i)
	}
	return dst
}

// Gini returns Gini(my, mw), bit for bit, for the group of counties members (ascending
// county indices), whose incomes and weights are my and mw; y and w are every county's, the
// ones o was sorted by. Small groups are sorted on their own, large ones walk the order.
func (o *LorenzOrder) Gini(y, w, my, mw []float64, members []int) float64 {
	if len(members)*8 < len(o.ord) {
		return Gini(my, mw)
	}
	W, mu, ok := popMean(my, mw)
	if !ok {
		return math.NaN()
	}
	for _, i := range members {
		o.in[i] = true
	}
	total := mu * W
	var area, cum float64
	for _, it := range o.ord {
		i := it.i
		if !o.in[i] {
			continue
		}
		p := w[i] / W
		next := cum + w[i]*y[i]/total
		area += p * (cum + next)
		cum = next
	}
	for _, i := range members {
		o.in[i] = false
	}
	return math.Max(1-area, 0)
}

// GiniSorted returns Gini(my, mw), bit for bit, for a group whose incomes and weights, in
// ascending county order, are my and mw, and whose members in the order of a LorenzOrder
// (income, then county index) are sorted; y and w are every county's. It sorts nothing:
// Memberships.InOrder gives every group's sorted members in one pass over the order.
func GiniSorted(y, w, my, mw []float64, sorted []int32) float64 {
	W, mu, ok := popMean(my, mw)
	if !ok {
		return math.NaN()
	}
	return lorenzGini(y, w, sorted, W, mu*W)
}

// lorenzGini is the Gini index from the Lorenz curve of the counties sorted (in a LorenzOrder)
// with total weight W and total income total: Gini's own loop, bit for bit.
func lorenzGini(y, w []float64, sorted []int32, W, total float64) float64 {
	var area, cum float64
	for _, i := range sorted {
		p := w[i] / W
		next := cum + w[i]*y[i]/total
		area += p * (cum + next)
		cum = next
	}
	return math.Max(1-area, 0)
}

// Inequality returns Theil(my, mw) and Gini(my, mw), bit for bit, of the group of counties
// members (ascending county indices), where my and mw would be the members' incomes y[i] and
// weights w[i] in that order, and sorted are the members in the order of a LorenzOrder (see
// GiniSorted). It reads y and w in place and computes the total weight and mean income once
// for both indices.
func Inequality(y, w []float64, members []int, sorted []int32) (theil, gini float64) {
	var W, sy float64
	for _, i := range members {
		yi, wi := y[i], w[i]
		if yi < 0 || wi < 0 || math.IsNaN(yi) || math.IsNaN(wi) {
			return math.NaN(), math.NaN()
		}
		W += wi
		sy += wi * yi
	}
	if len(members) == 0 || W <= 0 || sy <= 0 {
		return math.NaN(), math.NaN()
	}
	mu := sy / W
	t := 0.0
	for _, i := range members {
		if yi, wi := y[i], w[i]; yi > 0 && wi > 0 {
			r := yi / mu
			t += wi / W * r * math.Log(r)
		}
	}
	return math.Max(t, 0), lorenzGini(y, w, sorted, W, mu*W)
}
