package results

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
	scnDefault       = "pmc-three-step"
	scnStep1         = "pmc-step1-only"
	scnHenanPath     = "eval-henan-path"
	scnBroad         = "eval-broad-span"
	scnNarrow        = "eval-narrow-span"
	scnHighIQ        = "eval-high-iq"
	scnLowIQ         = "eval-low-iq"
	scnStrongPref    = "eval-strong-prefecture"
	scnWeakPref      = "eval-weak-prefecture"
	scnRandom        = "eval-random-pilots"
	scnWeakEq        = "eval-weak-equalisation"
	scnStrongEq      = "eval-strong-equalisation"
	scnApproval      = "streamline-and-approval"
	scnBaseline      = "baseline"
	scnStress        = "eval-fiscal-stress"
	scnPlaceboFiscal = "eval-placebo-fiscal"
	scnDevolution    = "eval-devolution-only"
	scnApprovalOnly  = "eval-approval-only"
)

// t1Settings are the plausible settings of T1: the default and variations of span,
// institutional quality and prefecture strength, all on the default three-step path.
var t1Settings = []string{scnDefault, scnBroad, scnNarrow, scnHighIQ, scnLowIQ, scnStrongPref, scnWeakPref}

// validationRuns says, for each scenario a target runs, its treatment step and the
// counterfactuals it is paired with. PMC scenarios are treated from step 1 (the programme as a
// whole, against city-managed counties), except Henan's path, whose DiD measures full PMC
// after the fiscal stage as the study did (step 3, paired with the no-reform run and with
// steps 2 and 3 switched off). Scenarios not listed run unpaired at step 1.
var validationRuns = map[string]struct {
	step int
	cfs  []string
}{
	scnHenanPath:     {3, []string{observe.CFNoReform, observe.CFStepOff}},
	scnStep1:         {1, []string{observe.CFNoReform}},
	scnRandom:        {1, []string{observe.CFNoReform}},
	scnPlaceboFiscal: {1, []string{observe.CFNoReform}},
	scnDevolution:    {1, []string{observe.CFNoDevolution}},
	scnApprovalOnly:  {1, []string{observe.CFNoApproval}},
	scnDefault:       {1, []string{observe.CFNoReform}},
	scnBroad:         {1, []string{observe.CFNoReform}},
	scnNarrow:        {1, []string{observe.CFNoReform}},
	scnHighIQ:        {1, []string{observe.CFNoReform}},
	scnLowIQ:         {1, []string{observe.CFNoReform}},
	scnStrongPref:    {1, []string{observe.CFNoReform}},
	scnWeakPref:      {1, []string{observe.CFNoReform}},
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
	measure   func(d *valData) ([]TargetFigure, error)
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
		scenarios: append(slices.Clone(t1Settings), scnRandom),
		published: "single studies from about -1.8 to +1.7 pp of annual GDP growth; meta-analysis (21 studies, 121 effect sizes): pooled r = 0.05, not significant after correcting for publication bias",
		rule:      "the programme (treated from step 1 of the three-step path, against city-managed counties) in pmc-three-step: mean DiD on growth within [-0.5, +0.5] pp/yr; across the settings (default, broad and narrow span, high and low institutional quality, strong and weak prefectures) the settings' mean effects take both signs, and every setting's 5-95% range lies within [-2, +2] pp/yr; the programme's true effect (against the same pilots and seeds without reform) and the estimator's bias are reported beside it",
		placebo:   fmt.Sprintf("(c) random pilots under the real reform (eval-random-pilots): the growth pre-trend test rejects at 10%% in at most %.0f%% of replications, and the DiD's 90%% interval covers the true effect in at least %.0f%% of them", 100*maxRejectShare, 100*(1-maxRejectShare)),
		measure:   measureT1,
		met:       metT1,
		clean:     cleanT1,
		headline:  []headline{{"att:" + scnDefault, "default"}, {"true:" + scnDefault, "true effect"}, {"settings_min", "lowest setting"}, {"settings_max", "highest setting"}},
	},
	{
		id:        "T2",
		finding:   "Effects take years and depend on the stage: fiscal PMC alone showed no growth return, full PMC did, and effects strengthen with time since reform.",
		scenarios: []string{scnStep1, scnHenanPath},
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
		scenarios: []string{scnStep1, scnPlaceboFiscal},
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
		scenarios: []string{scnDefault, scnBroad, scnNarrow},
		published: "misuse of funds, land corruption and diverted funds rise after PMC, more in provinces with a broad span of control",
		rule:      "for misused_funds or for hidden_debt: mean DiD of the programme > 0 in pmc-three-step, and the effect relative to the treated counties' pre-treatment level larger in the broad-span province (eval-broad-span, Hebei) than in the narrow one (eval-narrow-span, Zhejiang): the paired difference broad - narrow > 0, judged with its interval",
		measure:   measureT4,
		met:       metT4,
		headline:  []headline{{"att:misuse", "misused funds"}, {"true:misuse", "true"}, {"diff:misuse", "relative, broad - narrow span"}, {"att:hidden", "hidden debt"}, {"diff:hidden", "broad - narrow"}},
	},
	{
		id:        "T5",
		finding:   "Gains are larger with better institutions and stronger counties; devolution widens inequality unless the province equalises.",
		scenarios: []string{scnRandom, scnWeakEq, scnStrongEq},
		published: "larger gains with better institutions and stronger counties; within-province inequality rises after decentralisation unless the province equalises",
		rule:      "with pilots drawn at random, the DiD on growth in the top tercile minus the bottom tercile (paired by replication) > 0, both by institutional quality and by strength (each tercile estimated on its own counties); change of the Theil index of county GDP per capita from the year before devolution to the final year: > 0 under weak equalisation (0.1), larger than under strong equalisation (0.9; paired difference > 0), and under strong equalisation no rise beyond run-to-run variation (5th percentile <= 0)",
		measure:   measureT5,
		met:       metT5,
		headline:  []headline{{"diff:iq", "growth, top - bottom IQ tercile"}, {"diff:strength", "top - bottom strength tercile"}, {"dtheil:weak", "Theil change, weak equalisation"}, {"dtheil:strong", "strong"}},
	},
	{
		id:        "T6",
		finding:   "Approval reform cuts waiting.",
		scenarios: []string{scnApproval, scnBaseline},
		published: "Zhejiang: enterprise investment approvals from about 120 to about 45 days (-62%); starting a business from about 20 to 8.5 working days (-58%)",
		rule:      "streamline-and-approval cuts mean approval days (all requests, mean over counties) from the last year before the reform to the final year by 40-65% (mean across replications); investment-project days and the baseline over the same years are reported beside it",
		measure:   measureT6,
		met:       metT6,
		headline:  []headline{{"approval:cut", "approval days cut"}, {"investment:before", "investment days before"}, {"investment:after", "after"}},
	},
	{
		id:        "T7",
		finding:   "County basic fiscal guarantee: wages first, then operations, then priorities.",
		scenarios: []string{scnStress},
		published: "Ministry of Finance 2010 county basic guarantee mechanism: wages first, then operations, then priorities",
		rule:      "under fiscal stress with the priority rule (eval-fiscal-stress), the weakest strength tercile has a larger share of county-months in wage arrears after the shock than the middle and the strongest tercile (paired differences > 0, judged with their intervals); that the rule pays wages first whenever receipts cover them is an identity of the payment code, checked by a unit test, and only reported here",
		measure:   measureT7,
		met:       metT7,
		headline:  []headline{{"arrears:1", "months in arrears, weakest tercile"}, {"arrears:2", "middle"}, {"arrears:3", "strongest"}},
	},
	{
		id:        "T8",
		finding:   "County power expansion (devolved authority without leaving the prefecture) raised GDP per capita by about 3.3%: an effect on the level, not a permanent rate.",
		scenarios: []string{scnDevolution},
		published: "Gong, Liu and Wu 2021: GDP per capita +3.3% in the expanded-power counties; funds diverted where supervision was weak",
		rule:      "devolution alone (eval-devolution-only): the true effect on ln GDP per capita (against the same seeds without devolution; devolution reaches every county at once, which leaves no DiD controls) averaged over years 5-10 after the start within [0, +8%]; the effect on annual growth fades: years 8-10 at most half of years 1-3 (paired), or below 0.3 pp",
		measure:   measureT8,
		met:       metT8,
		headline:  []headline{{"level", "ln GDP per capita, years 5-10"}, {"growth:early", "growth years 1-3"}, {"growth:late", "years 8-10"}},
	},
	{
		id:        "T9",
		finding:   "Approval reform raises productivity by about 1% a year while it is being implemented; Zhejiang's cut took about five years.",
		scenarios: []string{scnApprovalOnly},
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
	for _, s := range t1Settings {
		x, ok := f["att:"+s]
		ranges = ranges && ok && x.P5 >= -2 && x.P95 <= 2
		lo, hi = min(lo, x.Mean), max(hi, x.Mean)
	}
	return all(within(f["att:"+scnDefault], -0.5, 0.5), holds(ranges), holds(lo < 0 && hi > 0))
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

// ValidationScenario is a built-in scenario the validation runs, with the treatment step its
// panels use and the counterfactuals it is paired with (CounterfactualByName names).
type ValidationScenario struct {
	Name            string
	TreatmentStep   int
	Counterfactuals []string
}

// ValidationScenarios returns every scenario the targets run, in order of first use.
func ValidationScenarios() []ValidationScenario {
	var out []ValidationScenario
	for _, t := range targets {
		for _, s := range t.scenarios {
			if !slices.ContainsFunc(out, func(v ValidationScenario) bool { return v.Name == s }) {
				v := ValidationScenario{Name: s, TreatmentStep: 1}
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
// validation read (logs are taken of these columns). ValidationPanel keeps only these, so that
// a validation holds a few columns of each replication's panel instead of all of them; a
// column read and not listed here stops the validation with a message naming it (panelColumn),
// and TestValidationPanelsKeepTheOutputs checks that the report is the same byte for byte.
var validationColumns = map[string][]string{
	scnDefault:       {"growth", "misused_funds", "hidden_debt"},
	scnBroad:         {"growth", "misused_funds", "hidden_debt"},
	scnNarrow:        {"growth", "misused_funds", "hidden_debt"},
	scnHighIQ:        {"growth"},
	scnLowIQ:         {"growth"},
	scnStrongPref:    {"growth"},
	scnWeakPref:      {"growth"},
	scnRandom:        {"growth"},
	scnHenanPath:     {"growth"},
	scnStep1:         {"growth", "transfers_received", "local_revenue", "transfers_kept"},
	scnPlaceboFiscal: {"transfers_received", "local_revenue"},
	scnWeakEq:        {"gdp_per_capita", "population"},
	scnStrongEq:      {"gdp_per_capita", "population"},
	scnApproval:      {"approval_days", "investment_days"},
	scnBaseline:      {"approval_days", "investment_days"},
	scnStress:        {"arrears_months", "arrears_covered_months"},
	scnDevolution:    {},
	scnApprovalOnly:  {"approval_days"},
}

// ValidationPanel returns the part of a complete panel of scenario that the validation reads:
// its counties, steps and the columns of validationColumns, in a panel of its own (p is left
// as it is). Call it once the replication's true effects have been taken from p, and hold the
// result instead of p: the validation's outputs are the same, its memory a fraction.
func ValidationPanel(scenario string, p *observe.Panel) (*observe.Panel, error) {
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

// panelColumn returns the index of the named column of p; a column the panel does not hold (one
// ValidationPanel dropped) is a defect of validationColumns and stops the validation.
func panelColumn(p *observe.Panel, name string) int {
	k := p.Column(name)
	if k < 0 {
		panic(fmt.Sprintf("results: the validation reads panel column %q, which its panel does not hold: add it to validationColumns", name))
	}
	return k
}

// onPanel returns o with its column index looked up in p's columns (a validation panel holds
// only some of PanelColumns).
func onPanel(o observe.EvalOutcome, p *observe.Panel) observe.EvalOutcome {
	o.Column = panelColumn(p, observe.PanelColumns()[o.Column].Name)
	return o
}

// ValidationInput is what the validation measures: for every ValidationScenarios entry, in
// that order, its record, its config, its panels by replication (replication r of every
// scenario run with the same seed) and, by replication, the true effects against each of its
// counterfactuals in order (PairTruth; the counterfactual panels themselves are not kept).
type ValidationInput struct {
	Scenarios []ScenarioRecord
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

// Validate measures every target on in and decides it.
func Validate(in *ValidationInput) ([]TargetResult, error) {
	d, err := newValData(in)
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
func decide(t target, d *valData) TargetResult {
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
		return fmtNum(s.Mean) + u
	}
	return fmt.Sprintf("%s [%s, %s]%s", fmtNum(s.Mean), fmtNum(s.P5), fmtNum(s.P95), u)
}

// fmtNum writes a figure with three significant digits (at least two decimals below 100).
func fmtNum(v float64) string {
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

// valData gives the measurements access to the panels and truths by scenario and caches
// estimates.
type valData struct {
	in   *ValidationInput
	idx  map[string]int
	cfs  map[string][]string
	fits map[string][]repFit
}

// repFit is one replication's fit of an outcome, with the treated counties' mean outcome in
// the year before treatment (the base of relative effects); ok is false if it failed.
type repFit struct {
	observe.OutcomeFit
	ok      bool
	preMean float64
}

func newValData(in *ValidationInput) (*valData, error) {
	need := ValidationScenarios()
	if len(in.Scenarios) != len(need) || len(in.Configs) != len(need) || len(in.Panels) != len(need) || len(in.Truths) != len(need) {
		return nil, fmt.Errorf("results: validation input holds %d scenarios, the targets need %d", len(in.Panels), len(need))
	}
	d := &valData{in: in, idx: map[string]int{}, cfs: map[string][]string{}, fits: map[string][]repFit{}}
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
		d.cfs[v.Name] = v.Counterfactuals
	}
	return d, nil
}

func (d *valData) panels(scenario string) []*observe.Panel { return d.in.Panels[d.idx[scenario]] }

func (d *valData) config(scenario string) sim.Config { return d.in.Configs[d.idx[scenario]] }

// truths returns, by replication, the true effects on outcome in scenario against cf (nil
// entries if the scenario is not paired with cf).
func (d *valData) truths(scenario, cf, outcome string) []*observe.OutcomeTruth {
	k := d.idx[scenario]
	j := slices.Index(d.cfs[scenario], cf)
	out := make([]*observe.OutcomeTruth, len(d.in.Truths[k]))
	if j < 0 {
		return out
	}
	for r, ts := range d.in.Truths[k] {
		out[r] = ts[j].Outcome(outcome)
	}
	return out
}

// trueATT returns the true ATT on outcome in scenario against cf by replication, times scale.
func (d *valData) trueATT(scenario, cf, outcome string, scale float64) []float64 {
	ts := d.truths(scenario, cf, outcome)
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
func (d *valData) trueByYears(scenario, cf, outcome string, start, from, to int) []float64 {
	ts := d.truths(scenario, cf, outcome)
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

// subsample selects the counties of a panel an estimate uses; the zero value takes all.
type subsample struct {
	name string
	keep func(p *observe.Panel, i int) bool
}

func tercileSample(kind string, t int) subsample {
	return subsample{name: kind + ":" + fmt.Sprint(t), keep: func(p *observe.Panel, i int) bool {
		if kind == "iq" {
			return p.Counties[i].IQTercile == t
		}
		return p.Counties[i].Tercile == t
	}}
}

// fit returns every replication's fit of outcome (an EvalOutcomes name, ln_ for logs) in
// scenario over the subsample.
func (d *valData) fit(scenario, outcome string, sub subsample) []repFit {
	key := fmt.Sprintf("%s|%s|%s", scenario, outcome, sub.name)
	if f, ok := d.fits[key]; ok {
		return f
	}
	o, _ := observe.EvalOutcomeByName(outcome)
	ps := d.panels(scenario)
	out := make([]repFit, len(ps))
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
		out[r] = repFit{OutcomeFit: f, ok: ok && err == nil, preMean: preTreatmentMean(p, po.Column, keep)}
	}
	d.fits[key] = out
	return out
}

// vals returns v of every replication's fit (NaN where the fit failed or v is not finite).
func vals(fs []repFit, v func(repFit) float64) []float64 {
	xs := make([]float64, len(fs))
	for r, f := range fs {
		xs[r] = math.NaN()
		if f.ok {
			if x := v(f); finite(x) {
				xs[r] = x
			}
		}
	}
	return xs
}

// att returns the Sun-Abraham ATT of outcome by replication, times scale.
func (d *valData) att(scenario, outcome string, sub subsample, scale float64) []float64 {
	return vals(d.fit(scenario, outcome, sub), func(f repFit) float64 { return scale * f.ATT.Coef })
}

// relATT returns the ATT in percent of the treated counties' pre-treatment mean.
func (d *valData) relATT(scenario, outcome string) []float64 {
	return vals(d.fit(scenario, outcome, subsample{}), func(f repFit) float64 { return 100 * f.ATT.Coef / f.preMean })
}

// preTrend returns, by replication, 1 if the pre-trend test of outcome rejects at
// PreTrendAlpha and 0 if not (NaN without a test): its mean is the share rejecting.
func (d *valData) preTrend(scenario, outcome string) []float64 {
	return vals(d.fit(scenario, outcome, subsample{}), func(f repFit) float64 {
		if math.IsNaN(f.PreTrend.P) {
			return math.NaN()
		}
		return indicator(f.PreTrend.P < observe.PreTrendAlpha)
	})
}

// significant returns, by replication, 1 if the ATT's 90% CI excludes 0.
func significant(fs []repFit) []float64 {
	return vals(fs, func(f repFit) float64 { return indicator(f.ATT.CI90Low > 0 || f.ATT.CI90High < 0) })
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
func (d *valData) placeboDate(scenario, outcome string, shift int) []repFit {
	key := fmt.Sprintf("placebo-date|%s|%s|%d", scenario, outcome, shift)
	if f, ok := d.fits[key]; ok {
		return f
	}
	o, _ := observe.EvalOutcomeByName(outcome)
	ps := d.panels(scenario)
	out := make([]repFit, len(ps))
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
		out[r] = repFit{OutcomeFit: f, ok: ok && err == nil}
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
func (d *valData) perRep(scenario string, f func(p *observe.Panel) float64) []float64 {
	ps := d.panels(scenario)
	xs := make([]float64, len(ps))
	for r, p := range ps {
		xs[r] = f(p)
	}
	return xs
}

const ppYear = "pp per year"

func measureT1(d *valData) ([]TargetFigure, error) {
	var out []TargetFigure
	lo, hi := TargetFigure{Summary: observe.Summary{Mean: math.Inf(1)}}, TargetFigure{Summary: observe.Summary{Mean: math.Inf(-1)}}
	for _, s := range t1Settings {
		x := tfig("att:"+s, "growth effect of the programme (treated from step 1), "+s, ppYear, d.att(s, "growth", subsample{}, 100))
		out = append(out, x)
		if x.Mean < lo.Mean {
			lo = x
		}
		if x.Mean > hi.Mean {
			hi = x
		}
	}
	lo.Key, lo.Label, hi.Key, hi.Label = "settings_min", "lowest setting mean ("+lo.Label+")", "settings_max", "highest setting mean ("+hi.Label+")"
	est := d.att(scnDefault, "growth", subsample{}, 100)
	tru := d.trueATT(scnDefault, observe.CFNoReform, "growth", 100)
	rest := d.att(scnRandom, "growth", subsample{}, 100)
	rtru := d.trueATT(scnRandom, observe.CFNoReform, "growth", 100)
	coverage := vals(d.fit(scnRandom, "growth", subsample{}), func(f repFit) float64 { return 0 })
	for r, f := range d.fit(scnRandom, "growth", subsample{}) {
		if f.ok && finite(rtru[r]) {
			coverage[r] = indicator(100*f.ATT.CI90Low <= rtru[r] && rtru[r] <= 100*f.ATT.CI90High)
		}
	}
	spill := make([]float64, len(tru))
	for r, t := range d.truths(scnDefault, observe.CFNoReform, "growth") {
		spill[r] = math.NaN()
		if t != nil {
			spill[r] = 100 * t.Spillover
		}
	}
	out = append(out,
		tfig("twfe:"+scnDefault, "static TWFE DiD on growth, "+scnDefault, ppYear, vals(d.fit(scnDefault, "growth", subsample{}), func(f repFit) float64 { return 100 * f.TWFE.Coef })),
		tfig("true:"+scnDefault, "true growth effect on the treated against no reform (same pilots and seeds), "+scnDefault, ppYear, tru),
		tfig("bias:"+scnDefault, "DiD minus the true effect, "+scnDefault, ppYear, diff(est, tru)),
		tfig("spillover:"+scnDefault, "true growth effect on the never-treated controls, "+scnDefault, ppYear, spill),
		tfig("pretrend:"+scnDefault, "share of replications whose growth pre-trend test rejects at 10%, "+scnDefault, "share", d.preTrend(scnDefault, "growth")),
		tfig("selection:"+scnDefault, "selection: treated minus never-treated counties' mean strength index, "+scnDefault, "index (0-1)", d.perRep(scnDefault, strengthGap)),
		tfig("selection:"+scnRandom, "selection: the same with random pilots ("+scnRandom+")", "index (0-1)", d.perRep(scnRandom, strengthGap)),
		lo, hi,
		tfig("placebo:random:att", "placebo (c): DiD on growth with random pilots ("+scnRandom+")", ppYear, rest),
		tfig("placebo:random:true", "placebo (c): true effect with random pilots", ppYear, rtru),
		tfig("placebo:random:pretrend", "placebo (c): share of replications whose growth pre-trend test rejects at 10%", "share", d.preTrend(scnRandom, "growth")),
		tfig("placebo:random:coverage", "placebo (c): share of replications whose 90% CI covers the true effect", "share", coverage),
	)
	return out, nil
}

// strengthGap returns the treated counties' mean strength minus the never-treated counties'.
func strengthGap(p *observe.Panel) float64 {
	tr, co := observe.PreMeans(p, observe.EvalOutcome{}, func(i, _ int) float64 { return p.Counties[i].Strength })
	return tr - co
}

func measureT2(d *valData) ([]TargetFigure, error) {
	full := d.fit(scnHenanPath, "growth", subsample{})
	slope := vals(full, func(f repFit) float64 {
		var rels []int
		var coefs []float64
		for _, c := range f.Event {
			rels = append(rels, c.Rel)
			coefs = append(coefs, 100*c.Coef)
		}
		return slopeOverPost(rels, coefs)
	})
	step1 := d.att(scnStep1, "growth", subsample{}, 100)
	fullATT := d.att(scnHenanPath, "growth", subsample{}, 100)
	placebo := d.placeboDate(scnHenanPath, "growth", 4)
	return []TargetFigure{
		tfig("att:step1", "growth effect of step 1 alone ("+scnStep1+")", ppYear, step1),
		tfig("true:step1", "true growth effect of step 1 alone against no reform", ppYear, d.trueATT(scnStep1, observe.CFNoReform, "growth", 100)),
		tfig("att:full", "growth effect of full PMC after the fiscal stage ("+scnHenanPath+")", ppYear, fullATT),
		tfig("true:full:"+observe.CFStepOff, "true growth effect of full PMC against the fiscal stage alone (steps 2 and 3 switched off)", ppYear, d.trueATT(scnHenanPath, observe.CFStepOff, "growth", 100)),
		tfig("true:full:"+observe.CFNoReform, "true growth effect of the whole path against no reform", ppYear, d.trueATT(scnHenanPath, observe.CFNoReform, "growth", 100)),
		tfig("diff:full-step1", "full PMC minus step 1 alone, paired by replication", ppYear, diff(fullATT, step1)),
		tfig("slope", "slope of full-PMC event coefficients over years 0..8", "pp per year, per year since treatment", slope),
		tfig("pretrend:full", "share of replications whose full-PMC growth pre-trend test rejects at 10%", "share", d.preTrend(scnHenanPath, "growth")),
		tfig("placebo:date:att", "placebo (b): DiD on growth with treatment four years early, pre-reform years only", ppYear, vals(placebo, func(f repFit) float64 { return 100 * f.ATT.Coef })),
		tfig("placebo:date", "placebo (b): share of replications whose placebo DiD is significant at 90%", "share", significant(placebo)),
	}, nil
}

func measureT3(d *valData) ([]TargetFigure, error) {
	kept := d.perRep(scnStep1, func(p *observe.Panel) float64 {
		k := panelColumn(p, "transfers_kept")
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
			tfig("log:"+o.key, "effect of step 1 on ln("+o.label+"), as a percentage", "%", pct(d.att(scnStep1, ln, subsample{}, 1))),
			tfig("true:log:"+o.key, "true effect on ln("+o.label+") against no reform, as a percentage", "%", pct(d.trueATT(scnStep1, observe.CFNoReform, ln, 1))),
			tfig("pretrend:log:"+o.key, "share of replications whose pre-trend test on ln("+o.label+") rejects at 10%", "share", d.preTrend(scnStep1, ln)),
			tfig("att:"+o.key, "for reference: effect on "+o.label+" in levels", money, d.att(scnStep1, o.name, subsample{}, 1)),
			tfig("pretrend:"+o.key, "for reference: share of replications whose pre-trend test in levels rejects at 10%", "share", d.preTrend(scnStep1, o.name)),
			tfig("placebo:log:"+o.key, "placebo (a): effect on ln("+o.label+") of fiscal PMC with no fiscal content ("+scnPlaceboFiscal+"), as a percentage", "%", pct(d.att(scnPlaceboFiscal, ln, subsample{}, 1))),
			tfig("placebo:true:log:"+o.key, "placebo (a): its true effect against no reform, as a percentage", "%", pct(d.trueATT(scnPlaceboFiscal, observe.CFNoReform, ln, 1))),
			tfig("placebo:log:"+o.key+":significant", "placebo (a): share of replications significant at 90%", "share", significant(d.fit(scnPlaceboFiscal, ln, subsample{}))),
		)
	}
	out = append(out, tfig("kept", "transfers kept by prefectures from pilots after their first treated year", "million yuan", kept))
	return out, nil
}

func measureT4(d *valData) ([]TargetFigure, error) {
	var out []TargetFigure
	for _, o := range []struct{ key, name, unit string }{
		{"misuse", "misused_funds", "million yuan per year"},
		{"hidden", "hidden_debt", "million yuan"},
	} {
		broad, narrow := d.relATT(scnBroad, o.name), d.relATT(scnNarrow, o.name)
		out = append(out,
			tfig("att:"+o.key, "effect of the programme on "+o.name+" ("+scnDefault+")", o.unit, d.att(scnDefault, o.name, subsample{}, 1)),
			tfig("true:"+o.key, "true effect on "+o.name+" against no reform", o.unit, d.trueATT(scnDefault, observe.CFNoReform, o.name, 1)),
			tfig("pretrend:"+o.key, "share of replications whose pre-trend test on "+o.name+" rejects at 10%", "share", d.preTrend(scnDefault, o.name)),
			tfig("rel:"+o.key+":broad", "relative effect on "+o.name+", broad span ("+scnBroad+")", "%", broad),
			tfig("rel:"+o.key+":narrow", "relative effect on "+o.name+", narrow span ("+scnNarrow+")", "%", narrow),
			tfig("diff:"+o.key, "broad minus narrow span, paired by replication", "percentage points", diff(broad, narrow)),
		)
	}
	return out, nil
}

// theilYear returns the population-weighted Theil index of county GDP per capita in year
// index y of p.
func theilYear(p *observe.Panel, y int) float64 {
	kY, kW := panelColumn(p, "gdp_per_capita"), panelColumn(p, "population")
	ys, ws := make([]float64, len(p.Counties)), make([]float64, len(p.Counties))
	for i := range p.Counties {
		ys[i], ws[i] = p.Value(i, y, kY), p.Value(i, y, kW)
	}
	return observe.Theil(ys, ws)
}

// preReformYear returns the year index of the last year that ends before a reform dated month
// start, clamped to the panel.
func preReformYear(start int) int { return max(start/12-1, 0) }

func measureT5(d *valData) ([]TargetFigure, error) {
	var out []TargetFigure
	for _, kind := range []string{"iq", "strength"} {
		name := map[string]string{"iq": "institutional-quality", "strength": "strength"}[kind]
		var by [4][]float64
		for t := 1; t <= 3; t++ {
			by[t] = d.att(scnRandom, "growth", tercileSample(kind, t), 100)
			out = append(out, tfig(fmt.Sprintf("att:%s:%d", kind, t), fmt.Sprintf("growth effect of the programme, %s tercile %d (%s)", name, t, scnRandom), ppYear, by[t]))
		}
		out = append(out, tfig("diff:"+kind, "top minus bottom "+name+" tercile, paired by replication", ppYear, diff(by[3], by[1])))
	}
	dt := map[string][]float64{}
	for _, s := range []struct{ key, scenario string }{{"weak", scnWeakEq}, {"strong", scnStrongEq}} {
		y0 := preReformYear(d.config(s.scenario).Devolution.Start)
		dt[s.key] = d.perRep(s.scenario, func(p *observe.Panel) float64 { return theilYear(p, p.Years-1) - theilYear(p, y0) })
		out = append(out,
			tfig("theil0:"+s.key, "Theil index before devolution, "+s.key+" equalisation ("+s.scenario+")", "Theil T", d.perRep(s.scenario, func(p *observe.Panel) float64 { return theilYear(p, y0) })),
			tfig("dtheil:"+s.key, "change of the Theil index to the final year, "+s.key+" equalisation", "Theil T", dt[s.key]),
		)
	}
	out = append(out, tfig("diff:theil", "Theil change, weak minus strong equalisation, paired by replication", "Theil T", diff(dt["weak"], dt["strong"])))
	return out, nil
}

// meanOver returns the mean of column k over all counties of p in year index y.
func meanOver(p *observe.Panel, y, k int) float64 {
	s := 0.0
	for i := range p.Counties {
		s += p.Value(i, y, k)
	}
	return s / float64(len(p.Counties))
}

func measureT6(d *valData) ([]TargetFigure, error) {
	y0 := preReformYear(d.config(scnApproval).Approval.Start)
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
				return meanOver(p, y, panelColumn(p, o.name))
			}
		}
		cut := func(scenario string) []float64 {
			return d.perRep(scenario, func(p *observe.Panel) float64 { return 100 * (1 - at(true)(p)/at(false)(p)) })
		}
		out = append(out,
			tfig(o.key+":before", o.label+", last year before the reform ("+scnApproval+")", "days", d.perRep(scnApproval, at(false))),
			tfig(o.key+":after", o.label+", final year ("+scnApproval+")", "days", d.perRep(scnApproval, at(true))),
			tfig(o.key+":cut", "cut in "+o.label, "%", cut(scnApproval)),
			tfig(o.key+":baseline_cut", "cut in "+o.label+" over the same years, "+scnBaseline, "%", cut(scnBaseline)),
		)
	}
	return out, nil
}

// coveredArrears returns the county-months of p with wage arrears while receipts covered the
// wage obligation.
func coveredArrears(p *observe.Panel) float64 {
	k := panelColumn(p, "arrears_covered_months")
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
	k := panelColumn(p, "arrears_months")
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

func measureT7(d *valData) ([]TargetFigure, error) {
	y0 := d.config(scnStress).Finance.RevenueShockMonth / 12
	var by [4][]float64
	var out []TargetFigure
	for t := 1; t <= 3; t++ {
		by[t] = d.perRep(scnStress, func(p *observe.Panel) float64 { return arrearsShare(p, t, y0) })
		out = append(out, tfig(fmt.Sprintf("arrears:%d", t), fmt.Sprintf("county-months in arrears after the shock, strength tercile %d (%s)", t, scnStress), "%", by[t]))
	}
	return append(out,
		tfig("diff:1-2", "weakest minus middle tercile, paired by replication", "percentage points", diff(by[1], by[2])),
		tfig("diff:1-3", "weakest minus strongest tercile, paired by replication", "percentage points", diff(by[1], by[3])),
		tfig("covered", "for reference: county-months with arrears while receipts cover wages (0 by the payment code's identity, see the unit test)", "county-months", d.perRep(scnStress, coveredArrears)),
	), nil
}

func measureT8(d *valData) ([]TargetFigure, error) {
	start := d.config(scnDevolution).Devolution.Start
	t := func(outcome string, from, to int) []float64 {
		return d.trueByYears(scnDevolution, observe.CFNoDevolution, outcome, start, from, to)
	}
	early, late := scaled(t("growth", 1, 3), 100), scaled(t("growth", 8, 10), 100)
	level := tfig("level", "true effect on ln GDP per capita, mean of years 5-10 after the start, as a percentage", "%", pct(t(observe.LogPrefix+"gdp_per_capita", 5, 10)))
	if level.N == 0 {
		return []TargetFigure{level}, fmt.Errorf("the horizon ends before year 10 after the devolution (month %d)", start)
	}
	return []TargetFigure{
		level,
		tfig("growth:early", "true effect on growth, years 1-3", ppYear, early),
		tfig("growth:late", "true effect on growth, years 8-10", ppYear, late),
		tfig("fade", "years 8-10 minus half of years 1-3, paired by replication", ppYear, diff(late, scaled(early, 0.5))),
		tfig("misuse", "for reference: true effect on misused funds, years 5-10", "million yuan per year", t("misused_funds", 5, 10)),
	}, nil
}

func measureT9(d *valData) ([]TargetFigure, error) {
	start := d.config(scnApprovalOnly).Approval.Start
	t := func(outcome string, from, to int) []float64 {
		return d.trueByYears(scnApprovalOnly, observe.CFNoApproval, outcome, start, from, to)
	}
	level := tfig("level10", "true effect on GDP per capita in year 10 after the start", "%", pct(t(observe.LogPrefix+"gdp_per_capita", 10, 10)))
	if level.N == 0 {
		return []TargetFigure{level}, fmt.Errorf("the horizon ends before year 10 after the approval reform (month %d)", start)
	}
	y0 := firstReformYear(start)
	days := func(k int) func(p *observe.Panel) float64 {
		return func(p *observe.Panel) float64 { return meanOver(p, y0+k-1, panelColumn(p, "approval_days")) }
	}
	pre, y1, y5 := d.perRep(scnApprovalOnly, days(0)), d.perRep(scnApprovalOnly, days(1)), d.perRep(scnApprovalOnly, days(5))
	share := make([]float64, len(pre))
	cut5 := make([]float64, len(pre))
	for r := range pre {
		share[r] = (pre[r] - y1[r]) / (pre[r] - y5[r])
		cut5[r] = 100 * (1 - y5[r]/pre[r])
	}
	return []TargetFigure{
		level,
		tfig("growth", "true effect on growth, mean of years 1-10", ppYear, scaled(t("growth", 1, 10), 100)),
		tfig("days:before", "approval days, year before the reform", "days", pre),
		tfig("days:cut5", "cut in approval days by reform year 5", "%", cut5),
		tfig("days:first_share", "share of the cut by year 5 reached in the first reform year", "share", share),
	}, nil
}
