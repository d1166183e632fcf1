package targets

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/results/did"
	"github.com/countysim/countysim/sim"
)

// Validation holds the simulation against the empirical findings of
// docs/TARGETS.md (T1..T9). Each target runs built-in scenarios over
// replications (every scenario's replication r on the same seed), measures named figures on
// their county-year panels and on their paired counterfactual runs (the true effect), and
// decides by a rule written as a plain function of those figures, so that the rule can be
// read and tested apart from the measuring. A rule grades each clause against the run-to-run
// noise: a figure's 90% confidence interval of the mean across replications (paired
// differences for contrasts) wholly on the right side of a bound meets the clause clearly,
// a mean on the right side with an interval that touches the bound meets it weakly. A target
// with a placebo counts as met only if its placebo is clean. The whole set of targets is the
// table targets below.

// Built-in scenarios the targets run.
const (
	ScnDefault       = "pmc-three-step"
	ScnStep1         = "pmc-step1-only"
	ScnHenanPath     = "eval-henan-path"
	ScnBroad         = "eval-broad-span"
	ScnNarrow        = "eval-narrow-span"
	ScnHighIQ        = "eval-high-iq"
	ScnLowIQ         = "eval-low-iq"
	ScnStrongPref    = "eval-strong-prefecture"
	ScnWeakPref      = "eval-weak-prefecture"
	ScnRandom        = "eval-random-pilots"
	ScnWeakEq        = "eval-weak-equalisation"
	ScnStrongEq      = "eval-strong-equalisation"
	ScnApproval      = "streamline-and-approval"
	ScnBaseline      = "baseline"
	ScnStress        = "eval-fiscal-stress"
	ScnPlaceboFiscal = "eval-placebo-fiscal"
	ScnDevolution    = "eval-devolution-only"
	ScnApprovalOnly  = "eval-approval-only"
)

// T1Settings are the plausible settings of T1: the default and variations of span,
// institutional quality and prefecture strength, all on the default three-step path.
var T1Settings = []string{ScnDefault, ScnBroad, ScnNarrow, ScnHighIQ, ScnLowIQ, ScnStrongPref, ScnWeakPref}

// validationRuns says, for each scenario a target runs, its treatment step and the
// counterfactuals it is paired with. PMC scenarios are treated from step 1 (the programme as a
// whole, against city-managed counties), except Henan's path, whose DiD measures full PMC
// after the fiscal stage as the study did (step 3, paired with the no-reform run and with
// steps 2 and 3 switched off). Scenarios not listed run unpaired at step 1.
var validationRuns = map[string]struct {
	step int
	cfs  []string
}{
	ScnHenanPath:     {3, []string{observe.CFNoReform, observe.CFStepOff}},
	ScnStep1:         {1, []string{observe.CFNoReform}},
	ScnRandom:        {1, []string{observe.CFNoReform}},
	ScnPlaceboFiscal: {1, []string{observe.CFNoReform}},
	ScnDevolution:    {1, []string{observe.CFNoDevolution}},
	ScnApprovalOnly:  {1, []string{observe.CFNoApproval}},
	ScnDefault:       {1, []string{observe.CFNoReform}},
	ScnBroad:         {1, []string{observe.CFNoReform}},
	ScnNarrow:        {1, []string{observe.CFNoReform}},
	ScnHighIQ:        {1, []string{observe.CFNoReform}},
	ScnLowIQ:         {1, []string{observe.CFNoReform}},
	ScnStrongPref:    {1, []string{observe.CFNoReform}},
	ScnWeakPref:      {1, []string{observe.CFNoReform}},
}

// Strength is how clearly a rule is met.
type Strength int

// Verdict strengths, weakest first.
const (
	NotMet Strength = iota
	MetWeakly
	MetClearly
)

func (s Strength) String() string {
	return [...]string{"not met", "met weakly", "met clearly"}[s]
}

// figs are the measured figures of a target by key.
type figs map[string]TargetFigure

// TargetFigure is one measured figure of a target: its spread across replications and the 90%
// confidence interval of its mean (Lo, Hi; NaN with fewer than two replications).
type TargetFigure struct {
	Key, Label, Unit string
	observe.Summary
	Lo, Hi float64
}

// target is one row of the validation table: what the finding is, what runs, what the
// literature reports, the rule and the placebo in words, how the figures are measured, and
// the rule and the placebo as code.
type target struct {
	id        string
	finding   string
	scenarios []string
	published string
	rule      string
	placebo   string // "" when the target has no placebo
	measure   func(d *ValData) ([]TargetFigure, error)
	met       func(f figs) Strength
	clean     func(f figs) bool // nil when the target has no placebo
	headline  []headline        // the figures shown in the summary table
}

// headline is a figure of the summary table: its key and a short label.
type headline struct{ key, label string }

// The clause graders. A NaN figure never meets a clause.

// above grades x > b: clearly if the interval of the mean lies above b, weakly if the mean does.
func above(x TargetFigure, b float64) Strength {
	switch {
	case x.Lo > b:
		return MetClearly
	case x.Mean > b:
		return MetWeakly
	}
	return NotMet
}

// below grades x < b.
func below(x TargetFigure, b float64) Strength {
	switch {
	case x.Hi < b:
		return MetClearly
	case x.Mean < b:
		return MetWeakly
	}
	return NotMet
}

// within grades a <= x <= b.
func within(x TargetFigure, a, b float64) Strength {
	switch {
	case x.Lo >= a && x.Hi <= b:
		return MetClearly
	case x.Mean >= a && x.Mean <= b:
		return MetWeakly
	}
	return NotMet
}

// holds grades a condition without an interval: met clearly or not met.
func holds(ok bool) Strength {
	if ok {
		return MetClearly
	}
	return NotMet
}

// all is the weakest of the clauses' grades: every clause must hold.
func all(gs ...Strength) Strength { return slices.Min(gs) }

// either is the strongest of the grades: one of the alternatives must hold.
func either(gs ...Strength) Strength { return slices.Max(gs) }

// maxRejectShare is the largest share of replications in which a test at 10% may reject (a
// pre-trend test, a placebo's estimate) for the design to count as clean: twice the nominal
// rate, which leaves room for chance over a few replications.
const maxRejectShare = 0.2

// targets is the validation table. Effects are Sun-Abraham ATTs (did.SunAbraham, window
// EventMinRel..EventMaxRel, never-pilots as controls), the heterogeneity-robust DiD; growth
// effects are in percentage points per year, log effects as percentages 100 (e^b - 1). True
// effects come from the paired counterfactual runs. "Mean" is the mean across replications.
var targets = []target{
	{
		id:        "T1",
		finding:   "The average growth effect of PMC is small and contested.",
		scenarios: append(slices.Clone(T1Settings), ScnRandom),
		published: "single studies from about -1.8 to +1.7 pp of annual GDP growth; meta-analysis (21 studies, 121 effect sizes): pooled r = 0.05, not significant after correcting for publication bias",
		rule:      "the programme (treated from step 1 of the three-step path, against city-managed counties) in pmc-three-step: mean DiD on growth within [-0.5, +0.5] pp/yr; across the settings (default, broad and narrow span, high and low institutional quality, strong and weak prefectures) the settings' mean effects take both signs, and every setting's 5-95% range lies within [-2, +2] pp/yr; the programme's true effect (against the same pilots and seeds without reform) and the estimator's bias are reported beside it",
		placebo:   fmt.Sprintf("(c) random pilots under the real reform (eval-random-pilots): the growth pre-trend test rejects at 10%% in at most %.0f%% of replications, and the DiD's 90%% interval covers the true effect in at least %.0f%% of them", 100*maxRejectShare, 100*(1-maxRejectShare)),
		measure:   measureT1,
		met:       metT1,
		clean:     cleanT1,
		headline:  []headline{{"att:" + ScnDefault, "default"}, {"true:" + ScnDefault, "true effect"}, {"settings_min", "lowest setting"}, {"settings_max", "highest setting"}},
	},
	{
		id:        "T2",
		finding:   "Effects take years and depend on the stage: fiscal PMC alone showed no growth return, full PMC did, and effects strengthen with time since reform.",
		scenarios: []string{ScnStep1, ScnHenanPath},
		published: "Henan: no growth return in the fiscal-only stage; full PMC from 2014 about a 7% average annual growth return; effects strengthen with years since reform",
		rule:      fmt.Sprintf("mean DiD of step 1 alone on growth within [-0.3, +0.3] pp/yr; full PMC after the fiscal stage (eval-henan-path: steps 2 and 3 together nine years after step 1, as Henan did in 2014) larger than step 1 alone (paired difference > 0); mean slope of its event-study coefficients over years 0..8 > 0; its pre-trend test (joint Wald, years -4..-2) rejects at 10%% in at most %.0f%% of replications", 100*maxRejectShare),
		placebo:   fmt.Sprintf("(b) a placebo date four years before the real one, on the years before the real treatment only (eval-henan-path, growth): the placebo DiD significant at 90%% in at most %.0f%% of replications", 100*maxRejectShare),
		measure:   measureT2,
		met:       metT2,
		clean:     cleanT2,
		headline:  []headline{{"att:step1", "step 1 alone"}, {"att:full", "full PMC"}, {"true:full:" + observe.CFStepOff, "true effect of full PMC"}, {"slope", "event-time slope"}, {"pretrend:full", "pre-trend rejections"}},
	},
	{
		id:        "T3",
		finding:   "Fiscal PMC raises county revenue and transfers received.",
		scenarios: []string{ScnStep1, ScnPlaceboFiscal},
		published: "fiscal PMC raises pilot counties' transfers received and revenue (Li, Lu and Wang 2016); the prefecture's share falls to zero",
		rule:      fmt.Sprintf("in logs (pilots are chosen for strength, and levels in yuan of strong counties grow faster without reform): mean DiD of step 1 on ln(transfers received) > 0 and on ln(general budget revenue: own taxes and fees plus retained shared taxes) > 0; their pre-trend tests reject at 10%% in at most %.0f%% of replications; transfers kept by prefectures from pilots in their full years at step 1 or beyond = 0 in every replication", 100*maxRejectShare),
		placebo:   fmt.Sprintf("(a) fiscal PMC with no fiscal content (eval-placebo-fiscal: prefectures keep, delay and take nothing): the DiD on ln(transfers received) and on ln(general budget revenue) each significant at 90%% in at most %.0f%% of replications", 100*maxRejectShare),
		measure:   measureT3,
		met:       metT3,
		clean:     cleanT3,
		headline:  []headline{{"log:transfers", "ln transfers"}, {"true:log:transfers", "true"}, {"log:own", "ln revenue"}, {"true:log:own", "true"}, {"placebo:log:own", "placebo, ln revenue"}},
	},
	{
		id:        "T4",
		finding:   "Flattening weakens monitoring: misuse of funds rises, more so where the province's span is broad.",
		scenarios: []string{ScnDefault, ScnBroad, ScnNarrow},
		published: "misuse of funds, land corruption and diverted funds rise after PMC, more in provinces with a broad span of control",
		rule:      "for misused_funds or for hidden_debt: mean DiD of the programme > 0 in pmc-three-step, and the effect relative to the treated counties' pre-treatment level larger in the broad-span province (eval-broad-span, Hebei) than in the narrow one (eval-narrow-span, Zhejiang): the paired difference broad - narrow > 0, judged with its interval",
		measure:   measureT4,
		met:       metT4,
		headline:  []headline{{"att:misuse", "misused funds"}, {"true:misuse", "true"}, {"diff:misuse", "relative, broad - narrow span"}, {"att:hidden", "hidden debt"}, {"diff:hidden", "broad - narrow"}},
	},
	{
		id:        "T5",
		finding:   "Gains are larger with better institutions and stronger counties; devolution widens inequality unless the province equalises.",
		scenarios: []string{ScnRandom, ScnWeakEq, ScnStrongEq},
		published: "larger gains with better institutions and stronger counties; within-province inequality rises after decentralisation unless the province equalises",
		rule:      "with pilots drawn at random, the DiD on growth in the top tercile minus the bottom tercile (paired by replication) > 0, both by institutional quality and by strength (each tercile estimated on its own counties); change of the Theil index of county GDP per capita from the year before devolution to the final year: > 0 under weak equalisation (0.1), larger than under strong equalisation (0.9; paired difference > 0), and under strong equalisation no rise beyond run-to-run variation (5th percentile <= 0)",
		measure:   measureT5,
		met:       metT5,
		headline:  []headline{{"diff:iq", "growth, top - bottom IQ tercile"}, {"diff:strength", "top - bottom strength tercile"}, {"dtheil:weak", "Theil change, weak equalisation"}, {"dtheil:strong", "strong"}},
	},
	{
		id:        "T6",
		finding:   "Approval reform cuts waiting.",
		scenarios: []string{ScnApproval, ScnBaseline},
		published: "Zhejiang: enterprise investment approvals from about 120 to about 45 days (-62%); starting a business from about 20 to 8.5 working days (-58%)",
		rule:      "streamline-and-approval cuts mean approval days (all requests, mean over counties) from the last year before the reform to the final year by 40-65% (mean across replications); investment-project days and the baseline over the same years are reported beside it",
		measure:   measureT6,
		met:       metT6,
		headline:  []headline{{"approval:cut", "approval days cut"}, {"investment:before", "investment days before"}, {"investment:after", "after"}},
	},
	{
		id:        "T7",
		finding:   "County basic fiscal guarantee: wages first, then operations, then priorities.",
		scenarios: []string{ScnStress},
		published: "Ministry of Finance 2010 county basic guarantee mechanism: wages first, then operations, then priorities",
		rule:      "under fiscal stress with the priority rule (eval-fiscal-stress), the weakest strength tercile has a larger share of county-months in wage arrears after the shock than the middle and the strongest tercile (paired differences > 0, judged with their intervals); that the rule pays wages first whenever receipts cover them is an identity of the payment code, checked by a unit test, and only reported here",
		measure:   measureT7,
		met:       metT7,
		headline:  []headline{{"arrears:1", "months in arrears, weakest tercile"}, {"arrears:2", "middle"}, {"arrears:3", "strongest"}},
	},
	{
		id:        "T8",
		finding:   "County power expansion (devolved authority without leaving the prefecture) raised GDP per capita by about 3.3%: an effect on the level, not a permanent rate.",
		scenarios: []string{ScnDevolution},
		published: "Gong, Liu and Wu 2021: GDP per capita +3.3% in the expanded-power counties; funds diverted where supervision was weak",
		rule:      "devolution alone (eval-devolution-only): the true effect on ln GDP per capita (against the same seeds without devolution; devolution reaches every county at once, which leaves no DiD controls) averaged over years 5-10 after the start within [0, +8%]; the effect on annual growth fades: years 8-10 at most half of years 1-3 (paired), or below 0.3 pp",
		measure:   measureT8,
		met:       metT8,
		headline:  []headline{{"level", "ln GDP per capita, years 5-10"}, {"growth:early", "growth years 1-3"}, {"growth:late", "years 8-10"}},
	},
	{
		id:        "T9",
		finding:   "Approval reform raises productivity by about 1% a year while it is being implemented; Zhejiang's cut took about five years.",
		scenarios: []string{ScnApprovalOnly},
		published: "approval centres: TFP +0.95% a year (Zhang et al. 2019); Zhejiang's cut in approval times took about five years (2018-2023)",
		rule:      "the approval reform alone (eval-approval-only), against the same seeds without it: GDP per capita after 10 years at most 10% above the counterfactual; mean true effect on growth over years 1-10 within [0, +1] pp/yr; approval days fall over several years: less than half of the cut reached by year 5 happens in the first reform year",
		measure:   measureT9,
		met:       metT9,
		headline:  []headline{{"level10", "GDP per capita, year 10"}, {"growth", "growth, years 1-10"}, {"days:first_share", "share of the 5-year cut in year 1"}},
	},
}

// metT1 decides T1.
func metT1(f figs) Strength {
	lo, hi := math.Inf(1), math.Inf(-1)
	ranges := true
	for _, s := range T1Settings {
		x, ok := f["att:"+s]
		ranges = ranges && ok && x.P5 >= -2 && x.P95 <= 2
		lo, hi = min(lo, x.Mean), max(hi, x.Mean)
	}
	return all(within(f["att:"+ScnDefault], -0.5, 0.5), holds(ranges), holds(lo < 0 && hi > 0))
}

// cleanT1 decides T1's placebo.
func cleanT1(f figs) bool {
	return f["placebo:random:pretrend"].Mean <= maxRejectShare && f["placebo:random:coverage"].Mean >= 1-maxRejectShare
}

// metT2 decides T2.
func metT2(f figs) Strength {
	return all(within(f["att:step1"], -0.3, 0.3), above(f["diff:full-step1"], 0), above(f["slope"], 0),
		holds(f["pretrend:full"].Mean <= maxRejectShare))
}

// cleanT2 decides T2's placebo.
func cleanT2(f figs) bool { return f["placebo:date"].Mean <= maxRejectShare }

// metT3 decides T3.
func metT3(f figs) Strength {
	kept := f["kept"]
	return all(above(f["log:transfers"], 0), above(f["log:own"], 0),
		holds(f["pretrend:log:transfers"].Mean <= maxRejectShare && f["pretrend:log:own"].Mean <= maxRejectShare),
		holds(kept.N > 0 && kept.Mean <= 1e-9 && kept.P95 <= 1e-9))
}

// cleanT3 decides T3's placebo.
func cleanT3(f figs) bool {
	return f["placebo:log:transfers:significant"].Mean <= maxRejectShare && f["placebo:log:own:significant"].Mean <= maxRejectShare
}

// metT4 decides T4.
func metT4(f figs) Strength {
	rises := func(o string) Strength { return all(above(f["att:"+o], 0), above(f["diff:"+o], 0)) }
	return either(rises("misuse"), rises("hidden"))
}

// metT5 decides T5.
func metT5(f figs) Strength {
	return all(above(f["diff:iq"], 0), above(f["diff:strength"], 0), above(f["dtheil:weak"], 0),
		above(f["diff:theil"], 0), holds(f["dtheil:strong"].P5 <= 0))
}

// metT6 decides T6.
func metT6(f figs) Strength { return within(f["approval:cut"], 40, 65) }

// metT7 decides T7.
func metT7(f figs) Strength { return all(above(f["diff:1-2"], 0), above(f["diff:1-3"], 0)) }

// metT8 decides T8.
func metT8(f figs) Strength {
	return all(within(f["level"], 0, 8), either(below(f["fade"], 0), below(f["growth:late"], 0.3)))
}

// metT9 decides T9.
func metT9(f figs) Strength {
	return all(below(f["level10"], 10), within(f["growth"], 0, 1), below(f["days:first_share"], 0.5))
}

// Scenario is a built-in scenario the validation runs, with the treatment step its
// panels use and the counterfactuals it is paired with (CounterfactualByName names).
type Scenario struct {
	Name            string
	TreatmentStep   int
	Counterfactuals []string
}

// Scenarios returns every scenario the targets run, in order of first use.
func Scenarios() []Scenario {
	var out []Scenario
	for _, t := range targets {
		for _, s := range t.scenarios {
			if !slices.ContainsFunc(out, func(v Scenario) bool { return v.Name == s }) {
				v := Scenario{Name: s, TreatmentStep: 1}
				if r, ok := validationRuns[s]; ok {
					v.TreatmentStep, v.Counterfactuals = r.step, r.cfs
				}
				out = append(out, v)
			}
		}
	}
	return out
}

// validationColumns lists, by scenario, the panel columns the measurements and figures of the
// validation read (logs are taken of these columns). PanelFor keeps only these, so that
// a validation holds a few columns of each replication's panel instead of all of them; a
// column read and not listed here stops the validation with a message naming it (PanelColumn),
// and TestValidationPanelsKeepTheOutputs checks that the report is the same byte for byte.
var validationColumns = map[string][]string{
	ScnDefault:       {"growth", "misused_funds", "hidden_debt"},
	ScnBroad:         {"growth", "misused_funds", "hidden_debt"},
	ScnNarrow:        {"growth", "misused_funds", "hidden_debt"},
	ScnHighIQ:        {"growth"},
	ScnLowIQ:         {"growth"},
	ScnStrongPref:    {"growth"},
	ScnWeakPref:      {"growth"},
	ScnRandom:        {"growth"},
	ScnHenanPath:     {"growth"},
	ScnStep1:         {"growth", "transfers_received", "local_revenue", "transfers_kept"},
	ScnPlaceboFiscal: {"transfers_received", "local_revenue"},
	ScnWeakEq:        {"gdp_per_capita", "population"},
	ScnStrongEq:      {"gdp_per_capita", "population"},
	ScnApproval:      {"approval_days", "investment_days"},
	ScnBaseline:      {"approval_days", "investment_days"},
	ScnStress:        {"arrears_months", "arrears_covered_months"},
	ScnDevolution:    {},
	ScnApprovalOnly:  {"approval_days"},
}

// PanelFor returns the part of a complete panel of scenario that the validation reads:
// its counties, steps and the columns of validationColumns, in a panel of its own (p is left
// as it is). Call it once the replication's true effects have been taken from p, and hold the
// result instead of p: the validation's outputs are the same, its memory a fraction.
func PanelFor(scenario string, p *observe.Panel) (*observe.Panel, error) {
	names, ok := validationColumns[scenario]
	if !ok {
		return nil, fmt.Errorf("results: %s is not a validation scenario", scenario)
	}
	if !p.Complete() {
		observed, months := p.Progress()
		return nil, fmt.Errorf("results: validation panel of %s: the run is not complete (month %d of %d)", scenario, observed, months)
	}
	var ks []int
	for _, name := range names {
		k := p.Column(name)
		if k < 0 {
			return nil, fmt.Errorf("results: validation panel of %s: no column %q", scenario, name)
		}
		ks = append(ks, k)
	}
	return p.Keep(ks), nil
}

// PanelColumn returns the index of the named column of p; a column the panel does not hold (one
// PanelFor dropped) is a defect of validationColumns and stops the validation.
func PanelColumn(p *observe.Panel, name string) int {
	k := p.Column(name)
	if k < 0 {
		panic(fmt.Sprintf("results: the validation reads panel column %q, which its panel does not hold: add it to validationColumns", name))
	}
	return k
}

// onPanel returns o with its column index looked up in p's columns (a validation panel holds
// only some of PanelColumns).
func onPanel(o observe.EvalOutcome, p *observe.Panel) observe.EvalOutcome {
	o.Column = PanelColumn(p, observe.PanelColumns()[o.Column].Name)
	return o
}

// Input is what the validation measures: for every Scenarios entry, in
// that order, its record, its config, its panels by replication (replication r of every
// scenario run with the same seed) and, by replication, the true effects against each of its
// counterfactuals in order (PairTruth; the counterfactual panels themselves are not kept).
type Input struct {
	Scenarios []observe.ScenarioRecord
	Configs   []sim.Config
	Panels    [][]*observe.Panel
	Truths    [][][]*observe.Truth
}

// TargetResult is a target held against the simulation.
type TargetResult struct {
	ID, Finding, Published, Rule, Placebo string
	Scenarios                             []string
	Figures                               []TargetFigure
	Headline                              string // the headline figures, mean [p5, p95]
	Strength                              Strength
	// PlaceboClean is nil for a target without a placebo.
	PlaceboClean *bool
	// Met is Strength above NotMet with a clean placebo (or none).
	Met bool
	// Problem explains a target that could not be measured (then Met is false).
	Problem string
}

// Verdict is "met clearly", "met weakly" or "not met", with the placebo's failure named.
func (t TargetResult) Verdict() string {
	if t.Strength > NotMet && t.PlaceboClean != nil && !*t.PlaceboClean {
		return "not met (placebo not clean)"
	}
	return t.Strength.String()
}

// PlaceboVerdict is "clean", "not clean" or "none".
func (t TargetResult) PlaceboVerdict() string {
	switch {
	case t.PlaceboClean == nil:
		return "none"
	case *t.PlaceboClean:
		return "clean"
	}
	return "not clean"
}

// Check measures every target on in and decides it.
func Check(in *Input) ([]TargetResult, error) {
	d, err := NewValData(in)
	if err != nil {
		return nil, err
	}
	var out []TargetResult
	for _, t := range targets {
		out = append(out, decide(t, d))
	}
	return out, nil
}

// decide measures and decides one target.
func decide(t target, d *ValData) TargetResult {
	r := TargetResult{ID: t.id, Finding: t.finding, Published: t.published, Rule: t.rule, Placebo: t.placebo, Scenarios: t.scenarios}
	fs, err := t.measure(d)
	if err != nil {
		r.Problem = err.Error()
	}
	r.Figures = fs
	f := figs{}
	for _, x := range fs {
		f[x.Key] = x
	}
	if err == nil {
		r.Strength = t.met(f)
	}
	if t.clean != nil {
		c := err == nil && t.clean(f)
		r.PlaceboClean = &c
	}
	r.Met = r.Strength > NotMet && (r.PlaceboClean == nil || *r.PlaceboClean)
	var hl []string
	for _, h := range t.headline {
		if x, ok := f[h.key]; ok {
			hl = append(hl, h.label+" "+spreadText(x.Summary, x.Unit))
		}
	}
	r.Headline = strings.Join(hl, "; ")
	return r
}

// spreadText writes a summary as "mean [p5, p95] unit", or "n/a" when undefined.
func spreadText(s observe.Summary, unit string) string {
	if s.N == 0 || math.IsNaN(s.Mean) {
		return "n/a"
	}
	u := ""
	if unit != "" {
		u = " " + unit
	}
	if s.N == 1 || s.P5 == s.P95 {
		return FmtNum(s.Mean) + u
	}
	return fmt.Sprintf("%s [%s, %s]%s", FmtNum(s.Mean), FmtNum(s.P5), FmtNum(s.P95), u)
}

// FmtNum writes a figure with three significant digits (at least two decimals below 100).
func FmtNum(v float64) string {
	switch a := math.Abs(v); {
	case v == 0:
		return "0"
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	case a >= 0.01:
		return fmt.Sprintf("%.3f", v)
	}
	return fmt.Sprintf("%.2g", v)
}

// tfig returns a TargetFigure of the per-replication values xs (NaN values left out): their
// spread and the 90% confidence interval of their mean, mean -+ t(0.95; n-1) sd / sqrt(n).
func tfig(key, label, unit string, xs []float64) TargetFigure {
	f := TargetFigure{Key: key, Label: label, Unit: unit, Lo: math.NaN(), Hi: math.NaN()}
	ys := slices.DeleteFunc(slices.Clone(xs), math.IsNaN)
	f.Summary = observe.Summarise(slices.Clone(ys))
	if n := len(ys); n >= 2 {
		ss := 0.0
		for _, y := range ys {
			ss += (y - f.Mean) * (y - f.Mean)
		}
		half := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.95) * math.Sqrt(ss/float64(n-1)/float64(n))
		f.Lo, f.Hi = f.Mean-half, f.Mean+half
	}
	return f
}

// diff returns a - b replication by replication (paired: replication r of every scenario runs
// on the same seed).
func diff(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for r := range a {
		out[r] = a[r] - b[r]
	}
	return out
}

// scaled returns k x for each x.
func scaled(xs []float64, k float64) []float64 {
	out := make([]float64, len(xs))
	for r, x := range xs {
		out[r] = k * x
	}
	return out
}

// pct turns log effects into percentages, 100 (e^x - 1).
func pct(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for r, x := range xs {
		out[r] = 100 * math.Expm1(x)
	}
	return out
}

// ValData gives the measurements access to the panels and truths by scenario and caches
// estimates.
type ValData struct {
	In   *Input
	idx  map[string]int
	CFs  map[string][]string // counterfactual names by scenario
	fits map[string][]RepFit
}

// RepFit is one replication's fit of an outcome, with the treated counties' mean outcome in
// the year before treatment (the base of relative effects); ok is false if it failed.
type RepFit struct {
	observe.OutcomeFit
	OK      bool
	PreMean float64
}

// NewValData indexes the validation input in by scenario, with each scenario's
// counterfactual names.
func NewValData(in *Input) (*ValData, error) {
	need := Scenarios()
	if len(in.Scenarios) != len(need) || len(in.Configs) != len(need) || len(in.Panels) != len(need) || len(in.Truths) != len(need) {
		return nil, fmt.Errorf("results: validation input holds %d scenarios, the targets need %d", len(in.Panels), len(need))
	}
	d := &ValData{In: in, idx: map[string]int{}, CFs: map[string][]string{}, fits: map[string][]RepFit{}}
	reps := len(in.Panels[0])
	for k, v := range need {
		if in.Scenarios[k].Name != v.Name {
			return nil, fmt.Errorf("results: validation scenario %d is %q, want %q", k, in.Scenarios[k].Name, v.Name)
		}
		if len(in.Panels[k]) != reps || reps == 0 || len(in.Truths[k]) != reps {
			return nil, fmt.Errorf("results: scenario %s has %d replications and %d truths, want %d (at least 1)", v.Name, len(in.Panels[k]), len(in.Truths[k]), reps)
		}
		for r, p := range in.Panels[k] {
			if p == nil || !p.Complete() || p.TreatmentStep != v.TreatmentStep {
				return nil, fmt.Errorf("results: scenario %s, replication %d: missing, incomplete or wrong treatment step", v.Name, r)
			}
			if len(in.Truths[k][r]) != len(v.Counterfactuals) {
				return nil, fmt.Errorf("results: scenario %s, replication %d: %d true effects, want one per counterfactual %v", v.Name, r, len(in.Truths[k][r]), v.Counterfactuals)
			}
		}
		d.idx[v.Name] = k
		d.CFs[v.Name] = v.Counterfactuals
	}
	return d, nil
}

func (d *ValData) Panels(scenario string) []*observe.Panel { return d.In.Panels[d.idx[scenario]] }

func (d *ValData) Config(scenario string) sim.Config { return d.In.Configs[d.idx[scenario]] }

// truths returns, by replication, the true effects on outcome in scenario against cf (nil
// entries if the scenario is not paired with cf).
func (d *ValData) Truths(scenario, cf, outcome string) []*observe.OutcomeTruth {
	k := d.idx[scenario]
	j := slices.Index(d.CFs[scenario], cf)
	out := make([]*observe.OutcomeTruth, len(d.In.Truths[k]))
	if j < 0 {
		return out
	}
	for r, ts := range d.In.Truths[k] {
		out[r] = ts[j].Outcome(outcome)
	}
	return out
}

// trueATT returns the true ATT on outcome in scenario against cf by replication, times scale.
func (d *ValData) TrueATT(scenario, cf, outcome string, scale float64) []float64 {
	ts := d.Truths(scenario, cf, outcome)
	out := make([]float64, len(ts))
	for r, t := range ts {
		out[r] = math.NaN()
		if t != nil {
			out[r] = scale * t.ATT
		}
	}
	return out
}

// trueByYears returns, by replication, the mean over reform years from..to (1 = the first
// year wholly after the reform date month start) of the true effect on outcome averaged over
// every county, against cf; NaN where the horizon ends before year to.
func (d *ValData) TrueByYears(scenario, cf, outcome string, start, from, to int) []float64 {
	ts := d.Truths(scenario, cf, outcome)
	out := make([]float64, len(ts))
	y0 := firstReformYear(start)
	for r, t := range ts {
		out[r] = math.NaN()
		if t == nil || y0+to-1 >= len(t.ByYear) {
			continue
		}
		s := 0.0
		for k := from; k <= to; k++ {
			s += t.ByYear[y0+k-1]
		}
		out[r] = s / float64(to-from+1)
	}
	return out
}

// firstReformYear returns the index of the first year wholly at or after month start (months
// counted from 1; the reform acts from month start on).
func firstReformYear(start int) int { return (start + 11) / 12 }

// Subsample selects the counties of a panel an estimate uses; the zero value takes all.
type Subsample struct {
	name string
	keep func(p *observe.Panel, i int) bool
}

func TercileSample(kind string, t int) Subsample {
	return Subsample{name: kind + ":" + fmt.Sprint(t), keep: func(p *observe.Panel, i int) bool {
		if kind == "iq" {
			return p.Counties[i].IQTercile == t
		}
		return p.Counties[i].Tercile == t
	}}
}

// fit returns every replication's fit of outcome (an EvalOutcomes name, ln_ for logs) in
// scenario over the Subsample.
func (d *ValData) Fit(scenario, outcome string, sub Subsample) []RepFit {
	key := fmt.Sprintf("%s|%s|%s", scenario, outcome, sub.name)
	if f, ok := d.fits[key]; ok {
		return f
	}
	o, _ := observe.EvalOutcomeByName(outcome)
	ps := d.Panels(scenario)
	out := make([]RepFit, len(ps))
	for r, p := range ps {
		var keep func(int) bool
		if sub.keep != nil {
			keep = func(i int) bool { return sub.keep(p, i) }
		}
		po := onPanel(o, p)
		dp, ok := p.OutcomePanel(po, keep)
		var f observe.OutcomeFit
		var err error
		if ok {
			f, err = observe.FitDID(dp)
		}
		out[r] = RepFit{OutcomeFit: f, OK: ok && err == nil, PreMean: preTreatmentMean(p, po.Column, keep)}
	}
	d.fits[key] = out
	return out
}

// Vals returns v of every replication's fit (NaN where the fit failed or v is not finite).
func Vals(fs []RepFit, v func(RepFit) float64) []float64 {
	xs := make([]float64, len(fs))
	for r, f := range fs {
		xs[r] = math.NaN()
		if f.OK {
			if x := v(f); finite(x) {
				xs[r] = x
			}
		}
	}
	return xs
}

// att returns the Sun-Abraham ATT of outcome by replication, times scale.
func (d *ValData) Att(scenario, outcome string, sub Subsample, scale float64) []float64 {
	return Vals(d.Fit(scenario, outcome, sub), func(f RepFit) float64 { return scale * f.ATT.Coef })
}

// relATT returns the ATT in percent of the treated counties' pre-treatment mean.
func (d *ValData) RelATT(scenario, outcome string) []float64 {
	return Vals(d.Fit(scenario, outcome, Subsample{}), func(f RepFit) float64 { return 100 * f.ATT.Coef / f.PreMean })
}

// preTrend returns, by replication, 1 if the pre-trend test of outcome rejects at
// PreTrendAlpha and 0 if not (NaN without a test): its mean is the share rejecting.
func (d *ValData) PreTrend(scenario, outcome string) []float64 {
	return Vals(d.Fit(scenario, outcome, Subsample{}), func(f RepFit) float64 {
		if math.IsNaN(f.PreTrend.P) {
			return math.NaN()
		}
		return indicator(f.PreTrend.P < observe.PreTrendAlpha)
	})
}

// significant returns, by replication, 1 if the ATT's 90% CI excludes 0.
func significant(fs []RepFit) []float64 {
	return Vals(fs, func(f RepFit) float64 { return indicator(f.ATT.CI90Low > 0 || f.ATT.CI90High < 0) })
}

func indicator(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// placeboDate returns, by replication, the fit of the placebo-date design on outcome: every
// treated county's cohort moved shift years earlier, its rows from the real treatment year on
// dropped, and the controls' rows from the last real treatment year on dropped, so the
// placebo's post-period is made of untreated years only. A replication where no placebo
// cohort has its year before treatment in the panel has no fit.
func (d *ValData) PlaceboDate(scenario, outcome string, shift int) []RepFit {
	key := fmt.Sprintf("placebo-date|%s|%s|%d", scenario, outcome, shift)
	if f, ok := d.fits[key]; ok {
		return f
	}
	o, _ := observe.EvalOutcomeByName(outcome)
	ps := d.Panels(scenario)
	out := make([]RepFit, len(ps))
	for r, p := range ps {
		o := onPanel(o, p)
		var dp did.Panel
		last := 0
		for i := range p.Counties {
			last = max(last, p.FirstTreatedYear(i))
		}
		ok := true
		for i, c := range p.Counties {
			first := p.FirstTreatedYear(i)
			if first == 0 && !p.IsControl(i) {
				continue
			}
			end, cohort := last, 0
			if first > 0 {
				end, cohort = first, first-shift
			}
			for y := range p.Years {
				if p.Year(y) >= end {
					break
				}
				v := o.Value(p, i, y)
				ok = ok && finite(v)
				dp.Unit, dp.Period, dp.Cohort, dp.Y = append(dp.Unit, c.ID), append(dp.Period, p.Year(y)), append(dp.Cohort, cohort), append(dp.Y, v)
			}
		}
		var f observe.OutcomeFit
		var err error
		if ok {
			f, err = observe.FitDID(dp)
		}
		out[r] = RepFit{OutcomeFit: f, OK: ok && err == nil}
	}
	d.fits[key] = out
	return out
}

// preTreatmentMean returns the mean of column k over the treated counties (accepted by keep)
// in the year before their first treated year, when that year is in the panel.
func preTreatmentMean(p *observe.Panel, k int, keep func(int) bool) float64 {
	s, n := 0.0, 0
	for i := range p.Counties {
		if keep != nil && !keep(i) {
			continue
		}
		if first := p.FirstTreatedYear(i); first > p.StartYear {
			s += p.Value(i, first-1-p.StartYear, k)
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// perRep returns f of every replication's panel of a scenario.
func (d *ValData) PerRep(scenario string, f func(p *observe.Panel) float64) []float64 {
	ps := d.Panels(scenario)
	xs := make([]float64, len(ps))
	for r, p := range ps {
		xs[r] = f(p)
	}
	return xs
}

const PpYear = "pp per year"

func measureT1(d *ValData) ([]TargetFigure, error) {
	var out []TargetFigure
	lo, hi := TargetFigure{Summary: observe.Summary{Mean: math.Inf(1)}}, TargetFigure{Summary: observe.Summary{Mean: math.Inf(-1)}}
	for _, s := range T1Settings {
		x := tfig("att:"+s, "growth effect of the programme (treated from step 1), "+s, PpYear, d.Att(s, "growth", Subsample{}, 100))
		out = append(out, x)
		if x.Mean < lo.Mean {
			lo = x
		}
		if x.Mean > hi.Mean {
			hi = x
		}
	}
	lo.Key, lo.Label, hi.Key, hi.Label = "settings_min", "lowest setting mean ("+lo.Label+")", "settings_max", "highest setting mean ("+hi.Label+")"
	est := d.Att(ScnDefault, "growth", Subsample{}, 100)
	tru := d.TrueATT(ScnDefault, observe.CFNoReform, "growth", 100)
	rest := d.Att(ScnRandom, "growth", Subsample{}, 100)
	rtru := d.TrueATT(ScnRandom, observe.CFNoReform, "growth", 100)
	coverage := Vals(d.Fit(ScnRandom, "growth", Subsample{}), func(f RepFit) float64 { return 0 })
	for r, f := range d.Fit(ScnRandom, "growth", Subsample{}) {
		if f.OK && finite(rtru[r]) {
			coverage[r] = indicator(100*f.ATT.CI90Low <= rtru[r] && rtru[r] <= 100*f.ATT.CI90High)
		}
	}
	spill := make([]float64, len(tru))
	for r, t := range d.Truths(ScnDefault, observe.CFNoReform, "growth") {
		spill[r] = math.NaN()
		if t != nil {
			spill[r] = 100 * t.Spillover
		}
	}
	out = append(out,
		tfig("twfe:"+ScnDefault, "static TWFE DiD on growth, "+ScnDefault, PpYear, Vals(d.Fit(ScnDefault, "growth", Subsample{}), func(f RepFit) float64 { return 100 * f.TWFE.Coef })),
		tfig("true:"+ScnDefault, "true growth effect on the treated against no reform (same pilots and seeds), "+ScnDefault, PpYear, tru),
		tfig("bias:"+ScnDefault, "DiD minus the true effect, "+ScnDefault, PpYear, diff(est, tru)),
		tfig("spillover:"+ScnDefault, "true growth effect on the never-treated controls, "+ScnDefault, PpYear, spill),
		tfig("pretrend:"+ScnDefault, "share of replications whose growth pre-trend test rejects at 10%, "+ScnDefault, "share", d.PreTrend(ScnDefault, "growth")),
		tfig("selection:"+ScnDefault, "selection: treated minus never-treated counties' mean strength index, "+ScnDefault, "index (0-1)", d.PerRep(ScnDefault, strengthGap)),
		tfig("selection:"+ScnRandom, "selection: the same with random pilots ("+ScnRandom+")", "index (0-1)", d.PerRep(ScnRandom, strengthGap)),
		lo, hi,
		tfig("placebo:random:att", "placebo (c): DiD on growth with random pilots ("+ScnRandom+")", PpYear, rest),
		tfig("placebo:random:true", "placebo (c): true effect with random pilots", PpYear, rtru),
		tfig("placebo:random:pretrend", "placebo (c): share of replications whose growth pre-trend test rejects at 10%", "share", d.PreTrend(ScnRandom, "growth")),
		tfig("placebo:random:coverage", "placebo (c): share of replications whose 90% CI covers the true effect", "share", coverage),
	)
	return out, nil
}

// strengthGap returns the treated counties' mean strength minus the never-treated counties'.
func strengthGap(p *observe.Panel) float64 {
	tr, co := observe.PreMeans(p, observe.EvalOutcome{}, func(i, _ int) float64 { return p.Counties[i].Strength })
	return tr - co
}

func measureT2(d *ValData) ([]TargetFigure, error) {
	full := d.Fit(ScnHenanPath, "growth", Subsample{})
	slope := Vals(full, func(f RepFit) float64 {
		var rels []int
		var coefs []float64
		for _, c := range f.Event {
			rels = append(rels, c.Rel)
			coefs = append(coefs, 100*c.Coef)
		}
		return slopeOverPost(rels, coefs)
	})
	step1 := d.Att(ScnStep1, "growth", Subsample{}, 100)
	fullATT := d.Att(ScnHenanPath, "growth", Subsample{}, 100)
	placebo := d.PlaceboDate(ScnHenanPath, "growth", 4)
	return []TargetFigure{
		tfig("att:step1", "growth effect of step 1 alone ("+ScnStep1+")", PpYear, step1),
		tfig("true:step1", "true growth effect of step 1 alone against no reform", PpYear, d.TrueATT(ScnStep1, observe.CFNoReform, "growth", 100)),
		tfig("att:full", "growth effect of full PMC after the fiscal stage ("+ScnHenanPath+")", PpYear, fullATT),
		tfig("true:full:"+observe.CFStepOff, "true growth effect of full PMC against the fiscal stage alone (steps 2 and 3 switched off)", PpYear, d.TrueATT(ScnHenanPath, observe.CFStepOff, "growth", 100)),
		tfig("true:full:"+observe.CFNoReform, "true growth effect of the whole path against no reform", PpYear, d.TrueATT(ScnHenanPath, observe.CFNoReform, "growth", 100)),
		tfig("diff:full-step1", "full PMC minus step 1 alone, paired by replication", PpYear, diff(fullATT, step1)),
		tfig("slope", "slope of full-PMC event coefficients over years 0..8", "pp per year, per year since treatment", slope),
		tfig("pretrend:full", "share of replications whose full-PMC growth pre-trend test rejects at 10%", "share", d.PreTrend(ScnHenanPath, "growth")),
		tfig("placebo:date:att", "placebo (b): DiD on growth with treatment four years early, pre-reform years only", PpYear, Vals(placebo, func(f RepFit) float64 { return 100 * f.ATT.Coef })),
		tfig("placebo:date", "placebo (b): share of replications whose placebo DiD is significant at 90%", "share", significant(placebo)),
	}, nil
}

func measureT3(d *ValData) ([]TargetFigure, error) {
	kept := d.PerRep(ScnStep1, func(p *observe.Panel) float64 {
		k := PanelColumn(p, "transfers_kept")
		s := 0.0
		for i, c := range p.Counties {
			first := p.FirstTreatedYear(i)
			if !c.Pilot || first == 0 {
				continue
			}
			for y := first + 1 - p.StartYear; y < p.Years; y++ {
				s += p.Value(i, y, k)
			}
		}
		return s
	})
	money := "million yuan per year"
	var out []TargetFigure
	for _, o := range []struct{ key, name, label string }{
		{"transfers", "transfers_received", "transfers received"},
		{"own", "local_revenue", "general budget revenue (own taxes and fees plus retained shared taxes)"},
	} {
		ln := observe.LogPrefix + o.name
		out = append(out,
			tfig("log:"+o.key, "effect of step 1 on ln("+o.label+"), as a percentage", "%", pct(d.Att(ScnStep1, ln, Subsample{}, 1))),
			tfig("true:log:"+o.key, "true effect on ln("+o.label+") against no reform, as a percentage", "%", pct(d.TrueATT(ScnStep1, observe.CFNoReform, ln, 1))),
			tfig("pretrend:log:"+o.key, "share of replications whose pre-trend test on ln("+o.label+") rejects at 10%", "share", d.PreTrend(ScnStep1, ln)),
			tfig("att:"+o.key, "for reference: effect on "+o.label+" in levels", money, d.Att(ScnStep1, o.name, Subsample{}, 1)),
			tfig("pretrend:"+o.key, "for reference: share of replications whose pre-trend test in levels rejects at 10%", "share", d.PreTrend(ScnStep1, o.name)),
			tfig("placebo:log:"+o.key, "placebo (a): effect on ln("+o.label+") of fiscal PMC with no fiscal content ("+ScnPlaceboFiscal+"), as a percentage", "%", pct(d.Att(ScnPlaceboFiscal, ln, Subsample{}, 1))),
			tfig("placebo:true:log:"+o.key, "placebo (a): its true effect against no reform, as a percentage", "%", pct(d.TrueATT(ScnPlaceboFiscal, observe.CFNoReform, ln, 1))),
			tfig("placebo:log:"+o.key+":significant", "placebo (a): share of replications significant at 90%", "share", significant(d.Fit(ScnPlaceboFiscal, ln, Subsample{}))),
		)
	}
	out = append(out, tfig("kept", "transfers kept by prefectures from pilots after their first treated year", "million yuan", kept))
	return out, nil
}

func measureT4(d *ValData) ([]TargetFigure, error) {
	var out []TargetFigure
	for _, o := range []struct{ key, name, unit string }{
		{"misuse", "misused_funds", "million yuan per year"},
		{"hidden", "hidden_debt", "million yuan"},
	} {
		broad, narrow := d.RelATT(ScnBroad, o.name), d.RelATT(ScnNarrow, o.name)
		out = append(out,
			tfig("att:"+o.key, "effect of the programme on "+o.name+" ("+ScnDefault+")", o.unit, d.Att(ScnDefault, o.name, Subsample{}, 1)),
			tfig("true:"+o.key, "true effect on "+o.name+" against no reform", o.unit, d.TrueATT(ScnDefault, observe.CFNoReform, o.name, 1)),
			tfig("pretrend:"+o.key, "share of replications whose pre-trend test on "+o.name+" rejects at 10%", "share", d.PreTrend(ScnDefault, o.name)),
			tfig("rel:"+o.key+":broad", "relative effect on "+o.name+", broad span ("+ScnBroad+")", "%", broad),
			tfig("rel:"+o.key+":narrow", "relative effect on "+o.name+", narrow span ("+ScnNarrow+")", "%", narrow),
			tfig("diff:"+o.key, "broad minus narrow span, paired by replication", "percentage points", diff(broad, narrow)),
		)
	}
	return out, nil
}

// TheilYear returns the population-weighted Theil index of county GDP per capita in year
// index y of p.
func TheilYear(p *observe.Panel, y int) float64 {
	kY, kW := PanelColumn(p, "gdp_per_capita"), PanelColumn(p, "population")
	ys, ws := make([]float64, len(p.Counties)), make([]float64, len(p.Counties))
	for i := range p.Counties {
		ys[i], ws[i] = p.Value(i, y, kY), p.Value(i, y, kW)
	}
	return observe.Theil(ys, ws)
}

// preReformYear returns the year index of the last year that ends before a reform dated month
// start, clamped to the panel.
func preReformYear(start int) int { return max(start/12-1, 0) }

func measureT5(d *ValData) ([]TargetFigure, error) {
	var out []TargetFigure
	for _, kind := range []string{"iq", "strength"} {
		name := map[string]string{"iq": "institutional-quality", "strength": "strength"}[kind]
		var by [4][]float64
		for t := 1; t <= 3; t++ {
			by[t] = d.Att(ScnRandom, "growth", TercileSample(kind, t), 100)
			out = append(out, tfig(fmt.Sprintf("att:%s:%d", kind, t), fmt.Sprintf("growth effect of the programme, %s tercile %d (%s)", name, t, ScnRandom), PpYear, by[t]))
		}
		out = append(out, tfig("diff:"+kind, "top minus bottom "+name+" tercile, paired by replication", PpYear, diff(by[3], by[1])))
	}
	dt := map[string][]float64{}
	for _, s := range []struct{ key, scenario string }{{"weak", ScnWeakEq}, {"strong", ScnStrongEq}} {
		y0 := preReformYear(d.Config(s.scenario).Devolution.Start)
		dt[s.key] = d.PerRep(s.scenario, func(p *observe.Panel) float64 { return TheilYear(p, p.Years-1) - TheilYear(p, y0) })
		out = append(out,
			tfig("theil0:"+s.key, "Theil index before devolution, "+s.key+" equalisation ("+s.scenario+")", "Theil T", d.PerRep(s.scenario, func(p *observe.Panel) float64 { return TheilYear(p, y0) })),
			tfig("dtheil:"+s.key, "change of the Theil index to the final year, "+s.key+" equalisation", "Theil T", dt[s.key]),
		)
	}
	out = append(out, tfig("diff:theil", "Theil change, weak minus strong equalisation, paired by replication", "Theil T", diff(dt["weak"], dt["strong"])))
	return out, nil
}

// MeanOver returns the mean of column k over all counties of p in year index y.
func MeanOver(p *observe.Panel, y, k int) float64 {
	s := 0.0
	for i := range p.Counties {
		s += p.Value(i, y, k)
	}
	return s / float64(len(p.Counties))
}

func measureT6(d *ValData) ([]TargetFigure, error) {
	y0 := preReformYear(d.Config(ScnApproval).Approval.Start)
	var out []TargetFigure
	for _, o := range []struct{ key, name, label string }{
		{"approval", "approval_days", "approval days, all requests"},
		{"investment", "investment_days", "investment-project approval days"},
	} {
		at := func(final bool) func(p *observe.Panel) float64 {
			return func(p *observe.Panel) float64 {
				y := y0
				if final {
					y = p.Years - 1
				}
				return MeanOver(p, y, PanelColumn(p, o.name))
			}
		}
		cut := func(scenario string) []float64 {
			return d.PerRep(scenario, func(p *observe.Panel) float64 { return 100 * (1 - at(true)(p)/at(false)(p)) })
		}
		out = append(out,
			tfig(o.key+":before", o.label+", last year before the reform ("+ScnApproval+")", "days", d.PerRep(ScnApproval, at(false))),
			tfig(o.key+":after", o.label+", final year ("+ScnApproval+")", "days", d.PerRep(ScnApproval, at(true))),
			tfig(o.key+":cut", "cut in "+o.label, "%", cut(ScnApproval)),
			tfig(o.key+":baseline_cut", "cut in "+o.label+" over the same years, "+ScnBaseline, "%", cut(ScnBaseline)),
		)
	}
	return out, nil
}

// coveredArrears returns the county-months of p with wage arrears while receipts covered the
// wage obligation.
func coveredArrears(p *observe.Panel) float64 {
	k := PanelColumn(p, "arrears_covered_months")
	s := 0.0
	for i := range p.Counties {
		for y := range p.Years {
			s += p.Value(i, y, k)
		}
	}
	return s
}

// arrearsShare returns the percentage of county-months in arrears of strength tercile t from
// year index y0 on.
func arrearsShare(p *observe.Panel, t, y0 int) float64 {
	k := PanelColumn(p, "arrears_months")
	s, months := 0.0, 0.0
	for i, c := range p.Counties {
		if c.Tercile != t {
			continue
		}
		for y := y0; y < p.Years; y++ {
			s += p.Value(i, y, k)
			months += float64(min(12, p.Months()-12*y))
		}
	}
	if months == 0 {
		return math.NaN()
	}
	return 100 * s / months
}

func measureT7(d *ValData) ([]TargetFigure, error) {
	y0 := d.Config(ScnStress).Finance.RevenueShockMonth / 12
	var by [4][]float64
	var out []TargetFigure
	for t := 1; t <= 3; t++ {
		by[t] = d.PerRep(ScnStress, func(p *observe.Panel) float64 { return arrearsShare(p, t, y0) })
		out = append(out, tfig(fmt.Sprintf("arrears:%d", t), fmt.Sprintf("county-months in arrears after the shock, strength tercile %d (%s)", t, ScnStress), "%", by[t]))
	}
	return append(out,
		tfig("diff:1-2", "weakest minus middle tercile, paired by replication", "percentage points", diff(by[1], by[2])),
		tfig("diff:1-3", "weakest minus strongest tercile, paired by replication", "percentage points", diff(by[1], by[3])),
		tfig("covered", "for reference: county-months with arrears while receipts cover wages (0 by the payment code's identity, see the unit test)", "county-months", d.PerRep(ScnStress, coveredArrears)),
	), nil
}

func measureT8(d *ValData) ([]TargetFigure, error) {
	start := d.Config(ScnDevolution).Devolution.Start
	t := func(outcome string, from, to int) []float64 {
		return d.TrueByYears(ScnDevolution, observe.CFNoDevolution, outcome, start, from, to)
	}
	early, late := scaled(t("growth", 1, 3), 100), scaled(t("growth", 8, 10), 100)
	level := tfig("level", "true effect on ln GDP per capita, mean of years 5-10 after the start, as a percentage", "%", pct(t(observe.LogPrefix+"gdp_per_capita", 5, 10)))
	if level.N == 0 {
		return []TargetFigure{level}, fmt.Errorf("the horizon ends before year 10 after the devolution (month %d)", start)
	}
	return []TargetFigure{
		level,
		tfig("growth:early", "true effect on growth, years 1-3", PpYear, early),
		tfig("growth:late", "true effect on growth, years 8-10", PpYear, late),
		tfig("fade", "years 8-10 minus half of years 1-3, paired by replication", PpYear, diff(late, scaled(early, 0.5))),
		tfig("misuse", "for reference: true effect on misused funds, years 5-10", "million yuan per year", t("misused_funds", 5, 10)),
	}, nil
}

func measureT9(d *ValData) ([]TargetFigure, error) {
	start := d.Config(ScnApprovalOnly).Approval.Start
	t := func(outcome string, from, to int) []float64 {
		return d.TrueByYears(ScnApprovalOnly, observe.CFNoApproval, outcome, start, from, to)
	}
	level := tfig("level10", "true effect on GDP per capita in year 10 after the start", "%", pct(t(observe.LogPrefix+"gdp_per_capita", 10, 10)))
	if level.N == 0 {
		return []TargetFigure{level}, fmt.Errorf("the horizon ends before year 10 after the approval reform (month %d)", start)
	}
	y0 := firstReformYear(start)
	days := func(k int) func(p *observe.Panel) float64 {
		return func(p *observe.Panel) float64 { return MeanOver(p, y0+k-1, PanelColumn(p, "approval_days")) }
	}
	pre, y1, y5 := d.PerRep(ScnApprovalOnly, days(0)), d.PerRep(ScnApprovalOnly, days(1)), d.PerRep(ScnApprovalOnly, days(5))
	share := make([]float64, len(pre))
	cut5 := make([]float64, len(pre))
	for r := range pre {
		share[r] = (pre[r] - y1[r]) / (pre[r] - y5[r])
		cut5[r] = 100 * (1 - y5[r]/pre[r])
	}
	return []TargetFigure{
		level,
		tfig("growth", "true effect on growth, mean of years 1-10", PpYear, scaled(t("growth", 1, 10), 100)),
		tfig("days:before", "approval days, year before the reform", "days", pre),
		tfig("days:cut5", "cut in approval days by reform year 5", "%", cut5),
		tfig("days:first_share", "share of the cut by year 5 reached in the first reform year", "share", share),
	}, nil
}

// slopeOverPost returns the least-squares slope of the coefficients on rel over rel >= 0.
func slopeOverPost(rels []int, coefs []float64) float64 {
	var xs, ys []float64
	for i, r := range rels {
		if r >= 0 && finite(coefs[i]) {
			xs = append(xs, float64(r))
			ys = append(ys, coefs[i])
		}
	}
	if len(xs) < 2 {
		return math.NaN()
	}
	mx, my := mean(xs), mean(ys)
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	if sxx == 0 {
		return math.NaN()
	}
	return sxy / sxx
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// finite reports whether v is a number (neither NaN nor infinite).
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
