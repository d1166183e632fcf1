package results

import (
	"fmt"
	"github.com/countysim/countysim/assess"
	"github.com/countysim/countysim/observe"
	"io"
	"math"
	"slices"
)

// VarianceSplit is a one-way analysis of variance of replication values grouped by posterior
// draw (replications of one draw share its parameters and differ only by their seeds). Between
// is the variance component of the parameters (between draws), Within the run-to-run variance
// under fixed parameters (within draws): Within = MSW and Between = max(0, (MSB - MSW) / n0),
// with n0 the mean group size of unbalanced designs, (N - sum n_i^2 / N) / (groups - 1).
type VarianceSplit struct {
	Draws   int     // groups with at least one defined value
	PerDraw float64 // n0
	Between float64
	Within  float64
}

// Share is the parameters' share of the total variance, Between / (Between + Within); NaN when
// both are zero.
func (v VarianceSplit) Share() float64 {
	t := v.Between + v.Within
	if !(t > 0) {
		return math.NaN()
	}
	return v.Between / t
}

// SplitVariance splits the variance of xs, replication r in group draw[r], into its between-
// and within-draw parts. NaN values are left out. ok is false when the design does not allow the
// split: fewer than two groups, or no replicated group (every draw used once).
func SplitVariance(xs []float64, draw []int) (v VarianceSplit, ok bool) {
	if len(draw) != len(xs) {
		return v, false
	}
	type acc struct {
		n   int
		sum float64
	}
	groups := map[int]*acc{}
	var order []int
	n, total := 0, 0.0
	for r, x := range xs {
		if math.IsNaN(x) {
			continue
		}
		g := groups[draw[r]]
		if g == nil {
			g = &acc{}
			groups[draw[r]] = g
			order = append(order, draw[r])
		}
		g.n++
		g.sum += x
		n++
		total += x
	}
	a := len(groups)
	if a < 2 || n-a < 1 {
		return v, false
	}
	mean := total / float64(n)
	var ssb, ssw, sumSq float64
	for _, k := range order {
		g := groups[k]
		m := g.sum / float64(g.n)
		ssb += float64(g.n) * (m - mean) * (m - mean)
		sumSq += float64(g.n * g.n)
	}
	for r, x := range xs {
		if math.IsNaN(x) {
			continue
		}
		g := groups[draw[r]]
		d := x - g.sum/float64(g.n)
		ssw += d * d
	}
	msb, msw := ssb/float64(a-1), ssw/float64(n-a)
	n0 := (float64(n) - sumSq/float64(n)) / float64(a-1)
	return VarianceSplit{Draws: a, PerDraw: n0, Between: math.Max(0, (msb-msw)/n0), Within: msw}, true
}

// DifferenceSplits returns, for every row of ds (from Differences on es and group), the
// variance split of its paired differences by posterior draw (draw[r] is replication r's draw),
// or nil on the reference's rows and where the design does not allow a split.
func DifferenceSplits(es []*observe.Ensemble, ds []Difference, group string, draw []int) ([]*VarianceSplit, error) {
	g := slices.Index(plotGroups, group)
	if g < 0 {
		return nil, fmt.Errorf("results: group %q is not recorded (recorded: %v)", group, plotGroups)
	}
	byName := map[string]*observe.Ensemble{}
	for _, e := range es {
		byName[e.Name] = e
	}
	out := make([]*VarianceSplit, len(ds))
	var ref, xs []float64
	for i, d := range ds {
		e := byName[d.Scenario]
		if e == nil || e == es[0] {
			continue
		}
		k := observe.DefIndex(d.Outcome.Metric)
		if k < 0 {
			return nil, fmt.Errorf("results: key outcome %q is not a metric of the model", d.Outcome.Metric)
		}
		m := d.Measure
		ref = es[0].Collect(ref, func(t *observe.Track) float64 { return m.value(t, g, k) })
		xs = e.Collect(xs, func(t *observe.Track) float64 { return m.value(t, g, k) })
		if v, ok := SplitVariance(assess.PairedDifferences(ref, xs), draw); ok {
			out[i] = &v
		}
	}
	return out, nil
}

// ShareBest returns, for values[s][r] (scenario s, replication r), the share of replications
// in which each scenario is best by better. A replication where t scenarios tie for best
// counts 1/t for each; NaN values are never best, and a replication where every value is NaN
// is left out. replications is the number counted.
func ShareBest(values [][]float64, better assess.Direction) (shares []float64, replications int) {
	shares = make([]float64, len(values))
	if len(values) == 0 {
		return shares, 0
	}
	var best []int
	for r := range values[0] {
		best = best[:0]
		for s := range values {
			v := values[s][r]
			if math.IsNaN(v) {
				continue
			}
			if len(best) > 0 {
				b := values[best[0]][r]
				if v == b {
					best = append(best, s)
					continue
				}
				if (better == assess.LowerIsBetter) != (v < b) {
					continue
				}
				best = best[:0]
			}
			best = append(best, s)
		}
		if len(best) == 0 {
			continue
		}
		replications++
		for _, s := range best {
			shares[s] += 1 / float64(len(best))
		}
	}
	if replications > 0 {
		for s := range shares {
			shares[s] /= float64(replications)
		}
	}
	return shares, replications
}

// BestShare is how often one scenario is best on one outcome and measure, over the paired
// replications (replication r of every scenario shares its seed and parameters).
type BestShare struct {
	Scenario     string
	Outcome      Outcome
	Measure      Measure
	Share        float64
	Replications int
}

// BestShares returns, for each KeyOutcomes entry and measure, the share of paired replications
// in which each ensemble is best on the named group. Rows come outcome by outcome, then
// measure, then scenario in the order of es.
func BestShares(es []*observe.Ensemble, group string) ([]BestShare, error) {
	if err := checkComparable(es); err != nil {
		return nil, err
	}
	g := slices.Index(plotGroups, group)
	if g < 0 {
		return nil, fmt.Errorf("results: group %q is not recorded (recorded: %v)", group, plotGroups)
	}
	var out []BestShare
	values := make([][]float64, len(es))
	for _, o := range KeyOutcomes {
		k := observe.DefIndex(o.Metric)
		if k < 0 {
			return nil, fmt.Errorf("results: key outcome %q is not a metric of the model", o.Metric)
		}
		for _, m := range []Measure{FinalYear, Horizon} {
			for s, e := range es {
				values[s] = e.Collect(values[s], func(t *observe.Track) float64 { return m.value(t, g, k) })
			}
			shares, n := ShareBest(values, o.Better)
			for s, e := range es {
				out = append(out, BestShare{Scenario: e.Name, Outcome: o, Measure: m, Share: shares[s], Replications: n})
			}
		}
	}
	return out, nil
}

// RankingFile is the name of the table of how often each option is best.
const RankingFile = "ranking.csv"

// WriteRankingCSV writes bs (from BestShares) as ranking.csv: group, metric, measure,
// better, scenario, best_share (the share of paired replications in which the scenario is
// best; ties count equally for each tied scenario) and replications (those counted).
func WriteRankingCSV(w io.Writer, bs []BestShare, group string) error {
	t, err := newCSVTable(w, RankingFile, []column{
		{"group", colString}, {"metric", colString}, {"measure", colString}, {"better", colString},
		{"scenario", colString}, {"best_share", colFloat}, {"replications", colInt},
	})
	if err != nil {
		return err
	}
	for _, b := range bs {
		err := t.write([]cell{str(group), str(b.Outcome.Metric), str(b.Measure.String()), str(b.Outcome.Better.String()),
			str(b.Scenario), float(b.Share), integer(b.Replications)})
		if err != nil {
			return err
		}
	}
	return t.flush()
}
