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

// Sort orders the counties of incomes y.
func (o *LorenzOrder) Sort(y []float64) {
	o.ord = o.ord[:0]
	for i, yi := range y {
		o.ord = append(o.ord, giniItem{yi, int32(i)})
	}
	slices.SortFunc(o.ord, func(a, b giniItem) int {
		if c := cmp.Compare(a.y, b.y); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	if len(o.in) != len(y) {
		o.in = make([]bool, len(y))
	}
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
