package results

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/countysim/countysim/assess"
	"github.com/countysim/countysim/observe"
)

// AimRankingFile is the name of the table of how often each option is best on each of the
// scorecard's five aims.
const AimRankingFile = "ranking_aims.csv"

// AimShare is how often one option is best on one aim of the scorecard (assess.Criteria) over the
// paired replications.
type AimShare struct {
	Aim          assess.Criterion
	Scenario     string
	Share        float64
	Replications int
}

// rankWithin returns the ranks (1 = best by better, ties sharing their average rank) of the
// values of one replication; NaN values get NaN.
func rankWithin(vs []float64, better assess.Direction) []float64 {
	ranks := make([]float64, len(vs))
	for s, v := range vs {
		if math.IsNaN(v) {
			ranks[s] = math.NaN()
			continue
		}
		ahead, tied := 0, 0
		for _, w := range vs {
			switch {
			case math.IsNaN(w):
			case w == v:
				tied++
			case (better == assess.LowerIsBetter) == (w < v):
				ahead++
			}
		}
		ranks[s] = float64(ahead) + float64(tied+1)/2
	}
	return ranks
}

// AimBestShares returns, for each aim of assess.Criteria, the share of paired replications in which
// each ensemble is best on it. In each replication the options are ranked on each of the aim's
// outcomes (final year, all counties of the province, as the scorecard measures them; 1 =
// best, ties sharing their average rank), and the option with the lowest sum of ranks over the
// aim's outcomes is best on the aim (a Borda count: each outcome weighs the same whatever its
// unit); options tied on it share the replication equally. A replication where some option
// has no value of some outcome of the aim is left out of that aim. Rows come aim by aim, then
// scenario in the order of es.
func AimBestShares(es []*observe.Ensemble) ([]AimShare, error) {
	if err := checkComparable(es); err != nil {
		return nil, err
	}
	g := slices.Index(plotGroups, ComparisonGroup)
	reps := len(es[0].Tracks)
	var out []AimShare
	values := make([][]float64, len(es))
	for _, c := range assess.Criteria {
		sums := make([][]float64, len(es))
		for s := range sums {
			sums[s] = make([]float64, reps)
		}
		for _, o := range c.Outcomes {
			k := observe.DefIndex(o.Metric)
			if k < 0 {
				return nil, fmt.Errorf("results: aim %s: outcome %q is not a metric of the model", c.En, o.Metric)
			}
			for s, e := range es {
				values[s] = e.Collect(values[s], func(t *observe.Track) float64 { return t.FinalYear(g, k) })
			}
			rep := make([]float64, len(es))
			for r := range reps {
				for s := range es {
					rep[s] = values[s][r]
				}
				ranks := rankWithin(rep, o.Better)
				missing := slices.ContainsFunc(ranks, math.IsNaN)
				for s := range es {
					if missing {
						sums[s][r] = math.NaN()
					} else {
						sums[s][r] += ranks[s]
					}
				}
			}
		}
		shares, n := ShareBest(sums, assess.LowerIsBetter)
		for s, e := range es {
			out = append(out, AimShare{Aim: c, Scenario: e.Name, Share: shares[s], Replications: n})
		}
	}
	return out, nil
}

// aimMetrics names an aim's outcomes, joined by semicolons.
func aimMetrics(c assess.Criterion) string {
	ms := make([]string, len(c.Outcomes))
	for i, o := range c.Outcomes {
		ms[i] = o.Metric
	}
	return strings.Join(ms, ";")
}

// WriteAimRankingCSV writes as (from AimBestShares) as ranking_aims.csv: group, aim (the
// reform documents' term, a stable key), aim_en, metrics (the aim's outcomes, final year),
// scenario, best_share (the share of paired replications in which the scenario is best on the
// aim by the sum of its ranks over the aim's outcomes; ties count equally for each tied
// scenario) and replications (those counted).
func WriteAimRankingCSV(w io.Writer, as []AimShare, group string) error {
	t, err := newCSVTable(w, AimRankingFile, []column{
		{"group", colString}, {"aim", colString}, {"aim_en", colString}, {"metrics", colString},
		{"scenario", colString}, {"best_share", colFloat}, {"replications", colInt},
	})
	if err != nil {
		return err
	}
	for _, a := range as {
		err := t.write([]cell{str(group), str(a.Aim.Zh), str(a.Aim.En), str(aimMetrics(a.Aim)),
			str(a.Scenario), float(a.Share), integer(a.Replications)})
		if err != nil {
			return err
		}
	}
	return t.flush()
}
