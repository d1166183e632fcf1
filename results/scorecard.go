package results

import (
	"slices"
	"strings"

	"github.com/countysim/countysim/observe"
)

// Criterion is one of the five aims the county reform sets itself (决策科学、分工合理、执行顺畅、
// 运转高效、监督有力) with the outcomes that measure it in the model.
type Criterion struct {
	// Zh is the aim in the reform documents' words, En in English.
	Zh, En string
	// Outcomes measure the aim; each has its direction and threshold as in KeyOutcomes.
	Outcomes []Outcome
}

// outcomeOf returns the key outcome of a metric.
func outcomeOf(metric string) Outcome {
	for _, o := range KeyOutcomes {
		if o.Metric == metric {
			return o
		}
	}
	panic("results: no key outcome " + metric) // unreachable: Criteria name key outcomes only
}

// Criteria map the five aims to named metrics (README, "Scorecard"):
//   - sound decisions (决策科学): days for a major public decision, and the share of the
//     province's intent that reaches the counties;
//   - clear division of labour (分工合理): levels a request travels above the county, and
//     transfers kept back by the prefecture cities;
//   - smooth execution (执行顺畅): investment project approval time, and the share of
//     requests decided within the statutory limit;
//   - efficient operation (运转高效): administrative cost share of spending, and public staff
//     per 10,000 residents;
//   - strong supervision (监督有力): the monthly chance that misuse or hidden debt is found,
//     hidden debt, and misused funds.
var Criteria = []Criterion{
	{"决策科学", "Sound decisions", []Outcome{
		{"decision_days", LowerIsBetter, "Days for a major public decision", 1, "days", "days", "longer", "shorter", 1},
		outcomeOf("fidelity"),
	}},
	{"分工合理", "Clear division of labour", []Outcome{
		{"hops", LowerIsBetter, "Levels a request travels above the county", 1, "", "", "more", "fewer", 0.05},
		{"transfers_kept", LowerIsBetter, "Transfers kept by the prefecture cities (total for the year)", 1, "million yuan", "million yuan", "more", "less", 0},
	}},
	{"执行顺畅", "Smooth execution", []Outcome{
		outcomeOf("investment_days"),
		{"within_limit", HigherIsBetter, "Requests decided within the statutory limit", 100, "%", "percentage points", "higher", "lower", 1},
	}},
	{"运转高效", "Efficient operation", []Outcome{
		outcomeOf("admin_cost_share"),
		outcomeOf("staff_per_10k"),
	}},
	{"监督有力", "Strong supervision", []Outcome{
		{"detection", HigherIsBetter, "Monthly chance that misuse or hidden debt is found", 100, "%", "percentage points", "higher", "lower", 0.1},
		outcomeOf("hidden_debt"),
		outcomeOf("misused_funds"),
	}},
}

// Name is the aim's name in l; the English name carries the Chinese term.
func (c Criterion) Name(l Lang) string {
	if l == Chinese {
		return c.Zh
	}
	return c.En + " (" + c.Zh + ")"
}

// ScoreRow is one aim of an option's scorecard: the outcomes measuring it, their levels in
// the option, their paired changes against the counterfactual in words, and a verdict:
// "better" when at least one outcome is better and none worse, "worse" the other way round,
// "mixed" when some are better and some worse, "about the same" otherwise.
type ScoreRow struct {
	Criterion string `json:"criterion"`
	Metrics   string `json:"metrics"`
	Level     string `json:"level"`
	Change    string `json:"change"`
	Verdict   string `json:"verdict"` // better, worse, mixed or about the same (English: a stable key)
	Word      string `json:"word"`    // the verdict in the scorecard's language
}

// scorecard is one option's five rows.
type scorecard struct {
	Option string
	Rows   []ScoreRow
}

// combineVerdicts gives the verdict of an aim from its outcomes' verdicts.
func combineVerdicts(vs []string) string {
	b, w := slices.Contains(vs, "better"), slices.Contains(vs, "worse")
	switch {
	case b && w:
		return "mixed"
	case b:
		return "better"
	case w:
		return "worse"
	}
	return "about the same"
}

// Scorecard scores ensemble e on the five aims against the counterfactual cf, replication
// by replication (the same seeds), on the final year of all counties of the province.
func Scorecard(l Lang, e, cf *observe.Ensemble) []ScoreRow {
	var rows []ScoreRow
	var ref, xs []float64
	for _, c := range Criteria {
		var metrics, levels, changes, verdicts []string
		for _, o := range c.Outcomes {
			k := observe.DefIndex(o.Metric)
			val := func(t *observe.Track) float64 { return t.FinalYear(0, k) }
			ref = cf.Collect(ref, val)
			xs = e.Collect(xs, val)
			v, r := observe.Summarise(xs), observe.Summarise(ref)
			d := observe.Summarise(PairedDifferences(ref, xs))
			metrics = append(metrics, l.T(o.Label))
			levels = append(levels, levelIn(l, o, v.Mean))
			changes = append(changes, describeDiffIn(l, o, d))
			verdicts = append(verdicts, verdictAt(o, r.Mean, d))
		}
		vd := combineVerdicts(verdicts)
		rows = append(rows, ScoreRow{
			Criterion: c.Name(l), Metrics: strings.Join(metrics, l.T("; ")), Level: strings.Join(levels, l.T("; ")),
			Change: strings.Join(changes, l.T("; ")), Verdict: vd, Word: l.T(vd),
		})
	}
	return rows
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
			out = append(out, scorecard{Option: e.Name, Rows: Scorecard(l, e, meta.Counterfactual)})
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
		out = append(out, scorecard{Option: e.Name, Rows: Scorecard(l, e, es[cf])})
	}
	return out, intro
}
