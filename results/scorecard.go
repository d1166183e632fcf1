package results

import (
	"slices"

	"github.com/countysim/countysim/assess"
	"github.com/countysim/countysim/observe"
)

// scorecard is one option's five rows.
type scorecard struct {
	Option string
	Rows   []assess.ScoreRow
}

// scorecards scores every option of a comparison against the no-reform counterfactual: the
// scenario named baseline when it is among them, else the reference (the first), which the
// introduction then says.
func scorecards(l Lang, es []*observe.Ensemble, meta EnsembleMeta) ([]scorecard, string) {
	cf := slices.IndexFunc(es, func(e *observe.Ensemble) bool { return e.Name == "baseline" })
	intro := l.F("Each aim is measured by the outcomes named beside it, all counties of the province in the final year. The change is the paired difference from %s, the no-reform counterfactual (city-manages-county, 市管县, with no reform), run on the same seeds. An aim is better when at least one of its outcomes is clearly and materially better and none is worse, worse the other way round, mixed when some are better and some worse, and about the same otherwise.", "baseline")
	if cf < 0 && meta.Counterfactual != nil {
		intro = l.F("Each aim is measured by the outcomes named beside it, all counties of the province in the final year. The change is the paired difference from the no-reform counterfactual (city-manages-county, 市管县, with no reform) of %s's province, which is not among the compared options: it was run in addition, on the same seeds. An aim is better when at least one of its outcomes is clearly and materially better and none is worse, worse the other way round, mixed when some are better and some worse, and about the same otherwise.", es[0].Name)
		var out []scorecard
		for _, e := range es {
			out = append(out, scorecard{Option: e.Name, Rows: assess.Scorecard(l, e, meta.Counterfactual)})
		}
		return out, intro
	}
	if cf < 0 {
		cf = 0
		intro = l.F("No no-reform baseline was among the compared options, so the changes are against the reference, %s, on the same seeds; add baseline to the comparison to score the options against the no-reform counterfactual. Each aim is measured by the outcomes named beside it, all counties of the province in the final year. An aim is better when at least one of its outcomes is clearly and materially better and none is worse, worse the other way round, mixed when some are better and some worse, and about the same otherwise.", es[0].Name)
	}
	var out []scorecard
	for s, e := range es {
		if s == cf {
			continue
		}
		out = append(out, scorecard{Option: e.Name, Rows: assess.Scorecard(l, e, es[cf])})
	}
	return out, intro
}
