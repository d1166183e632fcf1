package results

import (
	"math"
	"strings"

	"github.com/countysim/countysim/assess"
	"github.com/countysim/countysim/observe"
)

// counterfactualOutcomes are the outcomes the run summary compares with the counterfactual.
var counterfactualOutcomes = []string{
	"investment_days", "admin_cost_share", "self_sufficiency", "transfers_received",
	"explicit_debt", "hidden_debt", "counties_red", "growth", "gdp_per_capita",
}

// CounterfactualMetrics returns the metrics AgainstCounterfactual reads, as indices into
// observe.Defs: a track kept only for the comparison can compute these alone
// (observe.Track.Only), with the same values.
func CounterfactualMetrics() []int {
	ks := make([]int, len(counterfactualOutcomes))
	for i, name := range counterfactualOutcomes {
		ks[i] = observe.DefIndex(name)
	}
	return ks
}

// AgainstCounterfactual compares a run with its no-reform counterfactual run on the same
// seed and world (both tracks of NewEnsembleTrack), all counties of the province in the final
// year: a heading sentence that says so, then one line per outcome with both levels and the
// difference in words. One pair of runs has no range, so it calls nothing better or worse.
//
// sameWorldAsBaseline says the run's world is the built-in baseline's, which its closing
// advice then names; otherwise it names a no-reform scenario of the run's own world.
func AgainstCounterfactual(l Lang, run, cf *observe.Track, seed uint64, finalYear int, sameWorldAsBaseline bool) []string {
	out := []string{l.F("Against the no-reform counterfactual (city-manages-county, no reform) on the same world and seed %d, all counties, %d:", seed, finalYear)}
	for _, name := range counterfactualOutcomes {
		o := assess.KeyOutcome(name)
		k := observe.DefIndex(name)
		a, b := run.FinalYear(0, k), cf.FinalYear(0, k)
		if math.IsNaN(a) || math.IsNaN(b) { // a yearly sum of a run shorter than a year
			out = append(out, l.F("%s: not defined: the run has no whole year.", l.T(o.Label)))
			continue
		}
		d := a - b
		words := l.T("the same")
		if d != 0 {
			words = assess.DescribeDiff(l, o, observe.Summary{N: 1, Mean: d, P5: d, P95: d})
			if i := strings.IndexAny(words, "(（"); i > 0 { // one pair: no range to show
				words = strings.TrimSpace(words[:i])
			}
		}
		out = append(out, l.F("%s: %s (this run %s, without reform %s).", l.T(o.Label), words, assess.Level(l, o, a), assess.Level(l, o, b)))
	}
	if sameWorldAsBaseline {
		out = append(out, l.T("One pair of runs: a difference this small may be chance. For ranges and verdicts, compare the scenario with baseline (countysim compare SCENARIO baseline)."))
	} else {
		out = append(out, l.T("One pair of runs: a difference this small may be chance. For ranges and verdicts, compare the scenario with a scenario without reform on the same world (the same preset or counties file): countysim compare SCENARIO NO-REFORM-SCENARIO."))
	}
	return out
}
