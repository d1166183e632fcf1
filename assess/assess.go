// Package assess judges reform options by their outcomes: the key outcomes with the direction
// in which each is better and the smallest difference that matters, paired differences
// between options run on the same seeds, verdicts (better, worse, mixed, about the same), the
// words for levels and differences in English or Chinese, and the scorecard of the reform's
// five aims. results writes these into differences.csv and the reports; serve shows the
// scorecard on the page.
package assess

import (
	"math"
	"slices"
	"strings"

	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/observe"
)

// Direction says which way an outcome is better.
type Direction int

const (
	// LowerIsBetter outcomes improve as they fall (approval days, cost, debt).
	LowerIsBetter Direction = iota
	// HigherIsBetter outcomes improve as they rise (growth, self-sufficiency).
	HigherIsBetter
)

// String is "higher" or "lower", the word the tables use.
func (d Direction) String() string {
	if d == HigherIsBetter {
		return "higher"
	}
	return "lower"
}

// Outcome is a key outcome of a comparison: the metric, which way is better, and the words
// the report uses for it. A value is shown times Scale; Unit follows a level ("78 days",
// "12%"), DiffUnit a difference ("3 percentage points"), and Up and Down say which way a
// difference goes ("longer", "shorter"). MinDiff is the smallest difference that matters, in
// the shown units (after Scale): a difference counts as better or worse only when its 90%
// range excludes zero and its mean is at least Threshold (MinDiff or 1% of the reference's
// level, whichever is larger).
type Outcome struct {
	Metric   string
	Better   Direction
	Label    string
	Scale    float64
	Unit     string
	DiffUnit string
	Up, Down string
	MinDiff  float64
}

// RelativeThreshold is the share of the reference's level a difference must reach to matter
// (with the outcome's MinDiff as a floor).
const RelativeThreshold = 0.01

// Threshold is the smallest difference of o that matters against a reference level ref (raw
// metric units, before Scale): MinDiff or RelativeThreshold of the level, whichever is larger.
func (o Outcome) Threshold(ref float64) float64 {
	t := o.MinDiff / o.Scale
	if r := RelativeThreshold * math.Abs(ref); finite(r) && r > t {
		t = r
	}
	return t
}

// KeyOutcomes are the outcomes of differences.csv and the report, in order, with the
// direction in which each is better and the smallest difference that matters (MinDiff: one
// day of approval time, half a percentage point of cost share, one staff per 10,000
// residents, one percentage point of self-sufficiency or fidelity, one county, a tenth of a
// percentage point of growth, 0.005 of the Theil index; for money only the 1% rule). Transfers received count as better higher: with the
// province's pool given, more reaching the counties means less kept or held back by the
// prefecture cities on the way.
var KeyOutcomes = []Outcome{
	{"approval_days", LowerIsBetter, "Approval time, all requests (mean)", 1, "days", "days", "longer", "shorter", 1},
	{"investment_days", LowerIsBetter, "Investment project approval time (mean)", 1, "days", "days", "longer", "shorter", 1},
	{"admin_cost_share", LowerIsBetter, "Administrative cost, share of spending", 100, "%", "percentage points", "higher", "lower", 0.5},
	{"staff_per_10k", LowerIsBetter, "Public staff per 10,000 residents", 1, "", "", "more", "fewer", 1},
	{"self_sufficiency", HigherIsBetter, "Fiscal self-sufficiency (own and shared revenue over spending)", 100, "%", "percentage points", "higher", "lower", 1},
	{"transfers_received", HigherIsBetter, "Transfers reaching the counties (total for the year)", 1, "million yuan", "million yuan", "more", "less", 0},
	{"explicit_debt", LowerIsBetter, "Debt on the books (end of year)", 1, "million yuan", "million yuan", "more", "less", 0},
	{"hidden_debt", LowerIsBetter, "Hidden, off-budget debt (end of year)", 1, "million yuan", "million yuan", "more", "less", 0},
	{"counties_red", LowerIsBetter, "Counties under a red debt warning (end of year)", 1, "", "", "more", "fewer", 1},
	{"counties_with_arrears", LowerIsBetter, "Counties owing wages (end of year)", 1, "", "", "more", "fewer", 1},
	{"misused_funds", LowerIsBetter, "Misused county funds (total for the year)", 1, "million yuan", "million yuan", "more", "less", 0},
	{"growth", HigherIsBetter, "GDP growth (annual rate)", 100, "%", "percentage points", "higher", "lower", 0.1},
	{"gdp_per_capita", HigherIsBetter, "GDP per capita (end of year)", 1, "yuan", "yuan", "higher", "lower", 0},
	{observe.TheilGDPPerCapita, LowerIsBetter, "Inequality of GDP per capita between counties (Theil index, 0 = equal)", 1, "", "", "higher", "lower", 0.005},
	{"fidelity", HigherIsBetter, "Share of the province's intent that reaches the counties", 100, "%", "percentage points", "higher", "lower", 1},
}

// PairedDifferences returns alt[r] - ref[r] for every replication r; NaN where either is NaN.
func PairedDifferences(ref, alt []float64) []float64 {
	d := make([]float64, len(ref))
	for r := range ref {
		d[r] = alt[r] - ref[r]
	}
	return d
}

// Criterion is one of the five aims the county reform sets itself (决策科学、分工合理、执行顺畅、
// 运转高效、监督有力) with the outcomes that measure it in the model.
type Criterion struct {
	// Zh is the aim in the reform documents' words, En in English.
	Zh, En string
	// Outcomes measure the aim; each has its direction and threshold as in KeyOutcomes.
	Outcomes []Outcome
}

// KeyOutcome returns the key outcome of a metric; it panics for a metric that is not one.
func KeyOutcome(metric string) Outcome {
	for _, o := range KeyOutcomes {
		if o.Metric == metric {
			return o
		}
	}
	panic("assess: no key outcome " + metric) // unreachable: Criteria name key outcomes only
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
		KeyOutcome("fidelity"),
	}},
	{"分工合理", "Clear division of labour", []Outcome{
		{"hops", LowerIsBetter, "Levels a request travels above the county", 1, "", "", "more", "fewer", 0.05},
		{"transfers_kept", LowerIsBetter, "Transfers kept by the prefecture cities (total for the year)", 1, "million yuan", "million yuan", "more", "less", 0},
	}},
	{"执行顺畅", "Smooth execution", []Outcome{
		KeyOutcome("investment_days"),
		{"within_limit", HigherIsBetter, "Requests decided within the statutory limit", 100, "%", "percentage points", "higher", "lower", 1},
	}},
	{"运转高效", "Efficient operation", []Outcome{
		KeyOutcome("admin_cost_share"),
		KeyOutcome("staff_per_10k"),
	}},
	{"监督有力", "Strong supervision", []Outcome{
		{"detection", HigherIsBetter, "Monthly chance that misuse or hidden debt is found", 100, "%", "percentage points", "higher", "lower", 0.1},
		KeyOutcome("hidden_debt"),
		KeyOutcome("misused_funds"),
	}},
}

// Name is the aim's name in l; the English name carries the Chinese term.
func (c Criterion) Name(l lang.Lang) string {
	if l == lang.Chinese {
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

// CombineVerdicts gives the verdict of an aim from its outcomes' verdicts.
func CombineVerdicts(vs []string) string {
	b, w := slices.Contains(vs, "better"), slices.Contains(vs, "worse")
	switch {
	case b && w:
		return "mixed"
	case b:
		return "better"
	case w:
		return "worse"
	case slices.Contains(vs, "too few runs"):
		return "too few runs"
	}
	return "about the same"
}

// Scorecard scores ensemble e on the five aims against the counterfactual cf, replication
// by replication (the same seeds), on the final year of all counties of the province.
func Scorecard(l lang.Lang, e, cf *observe.Ensemble) []ScoreRow {
	var rows []ScoreRow
	var ref, xs []float64
	for _, c := range Criteria {
		var metrics, levels, changes, verdicts []string
		for _, o := range c.Outcomes {
			k := observe.DefIndex(o.Metric)
			val := func(t *observe.Track) float64 { return t.FinalYear(0, k) }
			ref = cf.Collect(ref, val)
			xs = e.Collect(xs, val)
			d := observe.Summarise(PairedDifferences(ref, xs)) // replication by replication
			v, r := observe.Summarise(xs), observe.Summarise(ref)
			metrics = append(metrics, l.T(o.Label))
			levels = append(levels, Level(l, o, v.Mean))
			changes = append(changes, DescribeDiff(l, o, d))
			verdicts = append(verdicts, Verdict(o, r.Mean, d))
		}
		vd := CombineVerdicts(verdicts)
		rows = append(rows, ScoreRow{
			Criterion: c.Name(l), Metrics: strings.Join(metrics, l.T("; ")), Level: strings.Join(levels, l.T("; ")),
			Change: strings.Join(changes, l.T("; ")), Verdict: vd, Word: l.T(vd),
		})
	}
	return rows
}

// Level formats an outcome's value, times its scale, with its unit, to three significant
// figures.
func Level(l lang.Lang, o Outcome, v float64) string {
	if math.IsNaN(v) {
		return l.T("not defined")
	}
	v *= o.Scale
	unit, mul := displayUnit(l, o.Unit, math.Abs(v))
	v *= mul
	s := lang.Thousands(v, lang.Decimals(math.Abs(v), 3))
	switch unit {
	case "":
		return s
	case "%":
		return s + "%"
	}
	if l == lang.Chinese {
		return s + unit
	}
	return s + " " + unit
}

// displayUnit returns the unit to show numbers up to big in, in language l, and the factor
// to that unit: in English amounts of a billion yuan or more in billions; in Chinese money in
// 万元 (ten thousand yuan) below 100 million yuan and in 亿元 (100 million yuan) above.
func displayUnit(l lang.Lang, unit string, big float64) (string, float64) {
	if unit == "million yuan" {
		switch {
		case l == lang.Chinese && big >= 100:
			return "亿元", 0.01
		case l == lang.Chinese:
			return "万元", 100
		case big >= 1000:
			return "billion yuan", 0.001
		}
	}
	return l.T(unit), 1
}

// DescribeDiff puts a paired difference in words: "about 12 days shorter (9 to 15)"; a range
// that straddles zero names both directions, "about 1 day shorter (3 shorter to 2 longer)".
// Numbers are rounded to roundingStep, less any decimal that is zero in all of them. In
// Chinese: "缩短约12天（9至15）".
func DescribeDiff(l lang.Lang, o Outcome, d observe.Summary) string {
	if d.N == 0 {
		return l.T("not defined")
	}
	m, lo, hi := d.Mean*o.Scale, d.P5*o.Scale, d.P95*o.Scale
	big := math.Max(math.Abs(m), math.Max(math.Abs(lo), math.Abs(hi)))
	if big < 1e-9 { // zero, or rounding noise of sums in a different order
		return l.T("the same in every run")
	}
	unit, mul := displayUnit(l, o.DiffUnit, big)
	m, lo, hi, big = m*mul, lo*mul, hi*mul, big*mul
	if unit != "" && l != lang.Chinese {
		unit = " " + unit
	}
	u := roundingStep(big, hi-lo)
	dec := max(0, -int(math.Round(math.Log10(u))))
	num := func(v float64) string { return lang.Thousands(math.Round(math.Abs(v)/u)*u, dec) }
	// A range too narrow to tell apart even at the finest step is "nearly the same in every
	// run": its figure needs no more than three significant figures ("0.328", not "0.3283").
	if coarse := math.Pow(10, math.Floor(math.Log10(big))-2); u < coarse && num(lo) == num(hi) {
		u, dec = coarse, max(0, -int(math.Round(math.Log10(coarse))))
	}
	// A bound of a range on one side of zero is never shown as 0, which would contradict a
	// verdict that reads the range as excluding zero ("increase of about 10 (0 to 16): worse"
	// for a bound of 0.35): it gets the finer step it needs, down to four significant figures
	// of big, and below that reads "under" the step (bound, below).
	if small := math.Min(math.Abs(lo), math.Abs(hi)); (lo > 0 || hi < 0) && num(small) == num(0) {
		u = math.Max(math.Min(u, math.Pow(10, math.Floor(math.Log10(small)))), math.Pow(10, math.Floor(math.Log10(big))-3))
		dec = max(0, -int(math.Round(math.Log10(u))))
	}
	// Drop a decimal that is zero in all three numbers: "0.4 to 0.5", not "0.40 to 0.50".
	for dec > 0 && strings.HasSuffix(num(m), "0") && strings.HasSuffix(num(lo), "0") && strings.HasSuffix(num(hi), "0") {
		dec--
		u *= 10
	}
	word := func(v float64) string {
		if v > 0 {
			return l.T(o.Up)
		}
		return l.T(o.Down)
	}
	zero := num(0)
	same := l.T("about the same")
	head := same
	if num(m) != zero {
		head = l.F("about %[1]s%[2]s %[3]s", num(m), unit, word(m))
	}
	var rng string
	switch {
	case d.N == 1:
		rng = l.T("one run: no range")
	case lo >= 0 || hi <= 0:
		bound := func(v float64) string {
			if v != 0 && num(v) == zero {
				return l.F("under %s", num(u))
			}
			return num(v)
		}
		a, b := bound(math.Min(math.Abs(lo), math.Abs(hi))), num(math.Max(math.Abs(lo), math.Abs(hi)))
		if a == b {
			rng = l.T("nearly the same in every run")
		} else {
			rng = l.F("%s to %s", a, b)
			if head == same {
				rng += l.F("%[1]s %[2]s", unit, word(lo+hi))
			}
		}
	default:
		rng = l.F("%[1]s %[2]s to %[3]s %[4]s", num(lo), l.T(o.Down), num(hi), l.T(o.Up))
	}
	if l == lang.Chinese {
		return head + "（" + rng + "）"
	}
	return head + " (" + rng + ")"
}

// roundingStep returns the step numbers are rounded to when they reach up to big and their
// range spans width: two significant figures of big, or finer if that is needed to tell the
// ends of the range apart (one significant figure of the width), but never beyond four
// significant figures of big.
func roundingStep(big, width float64) float64 {
	e := math.Floor(math.Log10(big))
	u := math.Pow(10, e-1)
	if width > 0 {
		u = math.Min(u, math.Pow(10, math.Floor(math.Log10(width))))
	}
	return math.Max(u, math.Pow(10, e-3))
}

// MinVerdictRuns is the fewest paired runs a verdict of better or worse rests on. With n pairs
// all on one side of zero, the chance of that when the options do not differ (each pair's
// sign a coin toss) is 2/2^n: 6% for 5 pairs, under the 10% outside the 90% range that
// Verdict reads; 12.5% for 4 and certainty for 1 (a sign test, Conover 1999, 3.4).
const MinVerdictRuns = 5

// Verdict says whether a paired difference d of outcome o, against a reference whose
// level is ref, is "better", "worse", "about the same" or, when every pair was equal, "no
// difference". Better or worse needs both a clear difference (the 90% range of paired
// differences lies on one side of zero) and one that matters (the mean difference is at
// least o.Threshold(ref)). It returns "" when there is no difference to judge.
//
// With fewer than MinVerdictRuns pairs it says "too few runs" instead of better, worse or about
// the same: the 90% range of so few pairs is no test.
func Verdict(o Outcome, ref float64, d observe.Summary) string {
	switch {
	case d.N == 0:
		return ""
	case d.P5 == 0 && d.P95 == 0:
		return "no difference"
	case d.N < MinVerdictRuns:
		return "too few runs"
	case (d.P5 > 0 || d.P95 < 0) && math.Abs(d.Mean) >= o.Threshold(ref):
		if (d.Mean > 0) == (o.Better == HigherIsBetter) {
			return "better"
		}
		return "worse"
	}
	return "about the same"
}

// finite reports whether v is a number (neither NaN nor infinite).
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
