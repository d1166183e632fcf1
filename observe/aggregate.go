package observe

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/countysim/countysim/sim"
)

// Names of the group-level metrics computed from county gdp and population rather than
// aggregated from a county value.
const (
	TheilGDPPerCapita = "theil_gdp_per_capita"
	GiniGDPPerCapita  = "gini_gdp_per_capita"
)

// GroupMetrics declares the group-level metrics, in the order they follow the county metrics
// in series.csv. They are levels at the end of a year (Stock) because GDP and population are.
var GroupMetrics = []sim.MetricDef{
	{Name: TheilGDPPerCapita, Unit: "index (0 = equal)", Family: "economy", Kind: sim.Stock,
		Help: "population-weighted Theil T index of county GDP per capita within the group"},
	{Name: GiniGDPPerCapita, Unit: "index 0-1", Family: "economy", Kind: sim.Stock,
		Help: "population-weighted Gini coefficient of county GDP per capita within the group"},
}

// Aggregator combines the rows of a county-by-metric table into one value per metric for a
// group of counties, each metric by its declared Agg. It resolves the Weight, Num and Den
// names of the definitions to columns once, so Group does no name look-ups. Group keeps its
// sums in the Aggregator, so an Aggregator is not safe for concurrent use (Metric is); each
// track, recorder or request has its own.
type Aggregator struct {
	defs []sim.MetricDef
	col  []refs
	// Group's plan and scratch: the Weighted metrics and their weight columns, the column
	// sums and the weighted sums of the group being computed.
	weighted, weights []int
	sum, wsum         []float64
}

// refs are the columns a metric's aggregation reads besides its own (-1 when unused).
type refs struct{ weight, num, den int }

// NewAggregator resolves defs, the columns of the table in order. It fails if a Weighted
// metric names no existing weight column or a Ratio metric no existing numerator or
// denominator.
func NewAggregator(defs []sim.MetricDef) (*Aggregator, error) {
	index := make(map[string]int, len(defs))
	for k, d := range defs {
		index[d.Name] = k
	}
	find := func(k int, role, name string) (int, error) {
		j, ok := index[name]
		if !ok {
			return -1, fmt.Errorf("metric %s: %s %q is not a metric", defs[k].Name, role, name)
		}
		return j, nil
	}
	a := &Aggregator{defs: defs, col: make([]refs, len(defs))}
	for k, d := range defs {
		r := refs{-1, -1, -1}
		var err error
		switch d.Agg {
		case sim.Sum, sim.Mean:
		case sim.Weighted:
			r.weight, err = find(k, "weight", d.Weight)
		case sim.Ratio:
			if r.num, err = find(k, "numerator", d.Num); err == nil {
				r.den, err = find(k, "denominator", d.Den)
			}
		default:
			err = fmt.Errorf("metric %s: unknown aggregation %d", d.Name, d.Agg)
		}
		if err != nil {
			return nil, err
		}
		a.col[k] = r
		if d.Agg == sim.Weighted {
			a.weighted = append(a.weighted, k)
			a.weights = append(a.weights, r.weight)
		}
	}
	a.sum = make([]float64, len(defs))
	a.wsum = make([]float64, len(a.weighted))
	return a, nil
}

// Width returns the number of columns (metrics) per row.
func (a *Aggregator) Width() int { return len(a.defs) }

// Group writes to out[k] metric k combined over the rows of values listed in members. values
// is row-major with Width columns per county; out has Width elements. The rules:
//
//	Sum:      sum of the members' values
//	Mean:     unweighted mean
//	Weighted: sum(w*x)/sum(w) with w the Weight column; the unweighted mean if sum(w) = 0
//	Ratio:    sum(Num)/sum(Den)*Scale; 0 if sum(Den) = 0 (as the model's county ratios)
//
// With no members, sums are 0 and means NaN; callers skip empty groups.
//
// Group gives Metric's value of every metric, bit for bit: the same sums in the same order
// (member by member from 0.0), computed row by row (each member's row read once, in
// sequence) instead of column by column. An Aggregator is not safe for concurrent use.
func (a *Aggregator) Group(out, values []float64, members []int) {
	w := len(a.defs)
	sum, wsum := a.sum, a.wsum
	clear(sum)
	clear(wsum)
	// Four members at a time: each sum takes their four values in member order (the same
	// additions as one member at a time), loaded and stored once for the four.
	m := 0
	for ; m+4 <= len(members); m += 4 {
		r0 := values[members[m]*w : (members[m]+1)*w]
		r1 := values[members[m+1]*w : (members[m+1]+1)*w]
		r2 := values[members[m+2]*w : (members[m+2]+1)*w]
		r3 := values[members[m+3]*w : (members[m+3]+1)*w]
		sum := sum[:w]
		r1, r2, r3 = r1[:len(r0)], r2[:len(r0)], r3[:len(r0)]
		for k, x := range r0 {
			sum[k] = sum[k] + x + r1[k] + r2[k] + r3[k]
		}
		for j, k := range a.weighted {
			wk, s := a.weights[j], wsum[j]
			s += r0[wk] * r0[k] // one statement per member, as below (the same fusing, if any)
			s += r1[wk] * r1[k]
			s += r2[wk] * r2[k]
			s += r3[wk] * r3[k]
			wsum[j] = s
		}
	}
	for _, i := range members[m:] {
		row := values[i*w : (i+1)*w]
		sum := sum[:len(row)]
		for k, x := range row {
			sum[k] += x
		}
		for j, k := range a.weighted {
			x, wt := row[k], row[a.weights[j]]
			wsum[j] += wt * x
		}
	}
	n := float64(len(members))
	j := 0
	for k := range a.defs {
		d, r := &a.defs[k], a.col[k]
		var v float64
		switch d.Agg {
		case sim.Sum:
			v = sum[k]
		case sim.Mean:
			v = sum[k] / n
		case sim.Weighted:
			if sw := sum[r.weight]; sw != 0 {
				v = wsum[j] / sw
			} else {
				v = sum[k] / n
			}
			j++
		case sim.Ratio:
			if den := sum[r.den]; den != 0 {
				v = sum[r.num] / den * d.Scale
			}
		}
		out[k] = v
	}
}

// Metric is Group's value of metric k alone (the same operations, so the same bits).
func (a *Aggregator) Metric(k int, values []float64, members []int) float64 {
	w := len(a.defs)
	n := float64(len(members))
	d, r := &a.defs[k], a.col[k]
	var v float64
	switch d.Agg {
	case sim.Sum:
		v = colSum(values, w, members, k)
	case sim.Mean:
		v = colSum(values, w, members, k) / n
	case sim.Weighted:
		var sx, sw float64
		for _, i := range members {
			x, wt := values[i*w+k], values[i*w+r.weight]
			sx += wt * x
			sw += wt
		}
		if sw != 0 {
			v = sx / sw
		} else {
			v = colSum(values, w, members, k) / n
		}
	case sim.Ratio:
		if den := colSum(values, w, members, r.den); den != 0 {
			v = colSum(values, w, members, r.num) / den * d.Scale
		}
	}
	return v
}

func colSum(values []float64, width int, members []int, k int) float64 {
	s := 0.0
	for _, i := range members {
		s += values[i*width+k]
	}
	return s
}

// Theil returns the Theil T index of incomes y in a population with weights w (for county GDP
// per capita, w is county population):
//
//	T = sum_i (w_i/W) (y_i/mu) ln(y_i/mu),  W = sum(w), mu = sum(w*y)/W
//
// (Theil 1967; Cowell 2011, Measuring Inequality, ch. 3). T is 0 when all incomes are equal
// and at most ln(W/w_min). A zero income contributes 0 (the limit of s ln s). It returns NaN
// for negative incomes or weights, mismatched lengths, or zero total weight or income.
func Theil(y, w []float64) float64 {
	t, _ := theilWith(y, w, nil)
	return t
}

// theilWith is Theil(y, w), its logs taken together (sim.LogSlice: math.Log's bits, four at a
// time) in buf's storage, which it returns for the next call.
func theilWith(y, w, buf []float64) (float64, []float64) {
	W, mu, ok := popMean(y, w)
	if !ok {
		return math.NaN(), buf
	}
	// The income ratios r of the members that count, then their logs.
	buf = buf[:0]
	for i, yi := range y {
		if yi > 0 && w[i] > 0 {
			buf = append(buf, yi/mu)
		}
	}
	n := len(buf)
	buf = append(buf, buf...)
	sim.LogSlice(buf[n:])
	t := 0.0
	j := 0
	for i, yi := range y {
		if yi > 0 && w[i] > 0 {
			t += w[i] / W * buf[j] * buf[n+j]
			j++
		}
	}
	return math.Max(t, 0), buf // rounding can leave -1e-17 for equal incomes
}

// Gini returns the Gini coefficient of incomes y in a population with weights w: half the
// mean absolute difference between two members drawn by weight, over the mean,
//
//	G = sum_i sum_j p_i p_j |y_i - y_j| / (2 mu),  p = w/W,
//
// computed exactly in O(n log n) from the Lorenz curve of the incomes sorted ascending,
// G = 1 - sum_i p_i (L_{i-1} + L_i), with L_i the cumulative income share. G is 0 when all
// incomes are equal and at most 1 - min(p), reached when one member with the smallest
// weight holds all income. It returns NaN under the same conditions as Theil.
func Gini(y, w []float64) float64 {
	W, mu, ok := popMean(y, w)
	if !ok {
		return math.NaN()
	}
	// Sorted by income, ties in input order: the order of a stable sort by y (so the same
	// bits as before), but pdqsort on (income, index) pairs is several times faster than a
	// stable sort of indices (Gini runs every month for every tracked group).
	ord := make([]giniItem, len(y))
	for i, yi := range y {
		ord[i] = giniItem{yi, int32(i)}
	}
	slices.SortFunc(ord, func(a, b giniItem) int {
		if c := cmp.Compare(a.y, b.y); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	total := mu * W
	var area, cum float64
	for _, o := range ord {
		i := o.i
		p := w[i] / W
		next := cum + w[i]*y[i]/total
		area += p * (cum + next)
		cum = next
	}
	return math.Max(1-area, 0)
}

// giniItem is an income and its index in Gini's input.
type giniItem struct {
	y float64
	i int32
}

// popMean returns the total weight and the weighted mean income, and false if the inputs
// cannot give an inequality index.
func popMean(y, w []float64) (W, mu float64, ok bool) {
	if len(y) != len(w) || len(y) == 0 {
		return 0, 0, false
	}
	var sy float64
	for i, yi := range y {
		if yi < 0 || w[i] < 0 || math.IsNaN(yi) || math.IsNaN(w[i]) {
			return 0, 0, false
		}
		W += w[i]
		sy += w[i] * yi
	}
	if W <= 0 || sy <= 0 {
		return 0, 0, false
	}
	return W, sy / W, true
}
