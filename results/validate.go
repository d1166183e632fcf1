package results

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/countysim/countysim/sim"
)

// Validation holds the simulation against the empirical findings of
// shared/validation/targets.md (T1..T7). Each target runs built-in scenarios over
// replications, measures named figures on their county-year panels (a DiD estimate, a change
// in an index, a count) and decides "met" or "not met" by a rule written as a plain function
// of those figures, so that the rule can be read and tested apart from the measuring. The
// whole set of targets is the table targets below.

// Built-in scenarios the targets run.
const (
	scnDefault    = "pmc-three-step"
	scnStep1      = "pmc-step1-only"
	scnHenanPath  = "eval-henan-path"
	scnBroad      = "eval-broad-span"
	scnNarrow     = "eval-narrow-span"
	scnHighIQ     = "eval-high-iq"
	scnLowIQ      = "eval-low-iq"
	scnStrongPref = "eval-strong-prefecture"
	scnWeakPref   = "eval-weak-prefecture"
	scnRandom     = "eval-random-pilots"
	scnWeakEq     = "eval-weak-equalisation"
	scnStrongEq   = "eval-strong-equalisation"
	scnApproval   = "streamline-and-approval"
	scnBaseline   = "baseline"
	scnStress     = "eval-fiscal-stress"
	scnStressOff  = "eval-fiscal-stress-no-priority"
)

// t1Settings are the plausible settings of T1: the default and variations of span,
// institutional quality and prefecture strength, all on the default three-step path.
var t1Settings = []string{scnDefault, scnBroad, scnNarrow, scnHighIQ, scnLowIQ, scnStrongPref, scnWeakPref}

// treatmentStepOf is the treatment step of a validation scenario's panels: 1 for the fiscal
// stage alone, 3 (full PMC) otherwise.
func treatmentStepOf(scenario string) int {
	if scenario == scnStep1 {
		return 1
	}
	return 3
}

// figs are the measured figures of a target by key: each a Summary across replications.
type figs map[string]Summary

// TargetFigure is one measured figure of a target.
type TargetFigure struct {
	Key, Label, Unit string
	Summary
}

// target is one row of the validation table: what the finding is, what runs, what the
// literature reports, the rule in words, how the figures are measured and the rule as code.
type target struct {
	id        string
	finding   string
	scenarios []string
	published string
	rule      string
	measure   func(d *valData) ([]TargetFigure, error)
	met       func(f figs) bool
	headline  []headline // the figures shown in the summary table
}

// headline is a figure of the summary table: its key and a short label.
type headline struct{ key, label string }

// targets is the validation table. Effects are Sun-Abraham ATTs (did.SunAbraham, window
// EventMinRel..EventMaxRel, never-pilots as controls), the heterogeneity-robust DiD; the
// report shows the static TWFE DiD beside them where it is the headline. Growth effects are
// in percentage points per year. "Mean" is the mean across replications.
var targets = []target{
	{
		id:        "T1",
		finding:   "The average growth effect of PMC is small and contested.",
		scenarios: t1Settings,
		published: "single studies from about -1.8 to +1.7 pp of annual GDP growth; meta-analysis (21 studies, 121 effect sizes): pooled r = 0.05, not significant after correcting for publication bias",
		rule:      "mean DiD of full PMC on growth in pmc-three-step within [-0.5, +0.5] pp/yr; across the settings (default, broad and narrow span, high and low institutional quality, strong and weak prefectures) the settings' mean effects take both signs, and every setting's 5-95% range lies within [-2, +2] pp/yr",
		measure:   measureT1,
		met:       metT1,
		headline:  []headline{{"att:" + scnDefault, "default"}, {"settings_min", "lowest setting"}, {"settings_max", "highest setting"}},
	},
	{
		id:        "T2",
		finding:   "Effects take years and depend on the stage: fiscal PMC alone showed no growth return, full PMC did, and effects strengthen with time since reform.",
		scenarios: []string{scnStep1, scnHenanPath},
		published: "Henan: no growth return in the fiscal-only stage; full PMC from 2014 about a 7% average annual growth return; effects strengthen with years since reform",
		rule:      "|mean DiD of step 1 alone on growth| < 0.3 pp/yr; mean DiD of full PMC after the fiscal stage (eval-henan-path: steps 2 and 3 together nine years after step 1, as Henan did in 2014) > that of step 1; mean slope of the event-study coefficients on years since treatment (0..8) > 0; pre-treatment coefficients (years -4..-2) whose 90% CI excludes 0 at most 20% (the nominal rate is 10%)",
		measure:   measureT2,
		met:       metT2,
		headline:  []headline{{"att:step1", "step 1 alone"}, {"att:full", "full PMC"}, {"slope", "event-time slope"}, {"pre_significant", "pre-period CIs excluding 0"}},
	},
	{
		id:        "T3",
		finding:   "Fiscal PMC raises county revenue and transfers received.",
		scenarios: []string{scnStep1},
		published: "fiscal PMC raises pilot counties' transfers received and revenue (Li, Lu and Wang 2016); the prefecture's share falls to zero",
		rule:      "mean DiD of step 1 on transfers_received > 0 and on the county's own general budget revenue (local_revenue: own taxes and fees plus retained shared taxes, the revenue the studies measure) > 0; transfers kept by prefectures from pilots in their full years at step 1 or beyond = 0 in every replication",
		measure:   measureT3,
		met:       metT3,
		headline:  []headline{{"att:transfers", "transfers received"}, {"att:own", "general budget revenue"}, {"log:own", "same in logs"}, {"kept", "kept by prefectures"}},
	},
	{
		id:        "T4",
		finding:   "Flattening weakens monitoring: misuse of funds rises, more so where the province's span is broad.",
		scenarios: []string{scnDefault, scnBroad, scnNarrow},
		published: "misuse of funds, land corruption and diverted funds rise after PMC, more in provinces with a broad span of control",
		rule:      "for misused_funds or for hidden_debt: mean DiD of full PMC > 0 in pmc-three-step, and the mean effect relative to the treated counties' pre-treatment level larger in the broad-span province (eval-broad-span, Hebei) than in the narrow one (eval-narrow-span, Zhejiang)",
		measure:   measureT4,
		met:       metT4,
		headline:  []headline{{"att:misuse", "misused funds"}, {"rel:misuse:broad", "relative, broad span"}, {"rel:misuse:narrow", "narrow span"}, {"att:hidden", "hidden debt"}, {"rel:hidden:broad", "relative, broad span"}, {"rel:hidden:narrow", "narrow span"}},
	},
	{
		id:        "T5",
		finding:   "Gains are larger with better institutions and stronger counties; devolution widens inequality unless the province equalises.",
		scenarios: []string{scnRandom, scnWeakEq, scnStrongEq},
		published: "larger gains with better institutions and stronger counties; within-province inequality rises after decentralisation unless the province equalises",
		rule:      "with pilots drawn at random, mean DiD of full PMC on growth in the top tercile > bottom tercile, both by institutional quality and by strength (each tercile estimated on its own counties); change of the Theil index of county GDP per capita from the year before devolution to the final year: mean > 0 under weak equalisation (0.1); under strong equalisation (0.9) no rise distinguishable from run-to-run variation (5th percentile <= 0) and a smaller mean change than under weak equalisation",
		measure:   measureT5,
		met:       metT5,
		headline:  []headline{{"att:iq:3", "growth, top IQ tercile"}, {"att:iq:1", "bottom"}, {"att:strength:3", "top strength tercile"}, {"att:strength:1", "bottom"}, {"dtheil:weak", "Theil change, weak equalisation"}, {"dtheil:strong", "strong"}},
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
		scenarios: []string{scnStress, scnStressOff, scnDefault},
		published: "Ministry of Finance 2010 county basic guarantee mechanism: wages first, then operations, then priorities",
		rule:      "with the priority rule on (eval-fiscal-stress and pmc-three-step) no county-month in any replication with wage arrears while receipts (local revenue + transfers) cover the wage obligation (wage bill + arrears carried in); without it (eval-fiscal-stress-no-priority) such months occur (mean > 0); under stress the weakest strength tercile has the highest share of county-months in arrears after the shock",
		measure:   measureT7,
		met:       metT7,
		headline:  []headline{{"covered:on", "arrears while covered, rule on"}, {"covered:off", "rule off"}, {"arrears:1", "months in arrears, weakest tercile"}, {"arrears:3", "strongest"}},
	},
}

// metT1 decides T1.
func metT1(f figs) bool {
	if !(math.Abs(f["att:"+scnDefault].Mean) <= 0.5) {
		return false
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range t1Settings {
		x, ok := f["att:"+s]
		if !ok || !(x.P5 >= -2 && x.P95 <= 2) {
			return false
		}
		lo, hi = min(lo, x.Mean), max(hi, x.Mean)
	}
	return lo < 0 && hi > 0
}

// metT2 decides T2.
func metT2(f figs) bool {
	step1, full := f["att:step1"].Mean, f["att:full"].Mean
	return math.Abs(step1) < 0.3 && full > step1 && f["slope"].Mean > 0 && f["pre_significant"].Mean <= 0.2
}

// metT3 decides T3.
func metT3(f figs) bool {
	kept := f["kept"]
	return f["att:transfers"].Mean > 0 && f["att:own"].Mean > 0 && kept.N > 0 && kept.Mean <= 1e-9 && kept.P95 <= 1e-9
}

// metT4 decides T4.
func metT4(f figs) bool {
	rises := func(o string) bool {
		return f["att:"+o].Mean > 0 && f["rel:"+o+":broad"].Mean > f["rel:"+o+":narrow"].Mean
	}
	return rises("misuse") || rises("hidden")
}

// metT5 decides T5.
func metT5(f figs) bool {
	return f["att:iq:3"].Mean > f["att:iq:1"].Mean && f["att:strength:3"].Mean > f["att:strength:1"].Mean &&
		f["dtheil:weak"].Mean > 0 && f["dtheil:strong"].P5 <= 0 && f["dtheil:strong"].Mean < f["dtheil:weak"].Mean
}

// metT6 decides T6.
func metT6(f figs) bool {
	cut := f["approval:cut"].Mean
	return cut >= 40 && cut <= 65
}

// metT7 decides T7.
func metT7(f figs) bool {
	on, def, off := f["covered:on"], f["covered:default"], f["covered:off"]
	t1, t2, t3 := f["arrears:1"].Mean, f["arrears:2"].Mean, f["arrears:3"].Mean
	return on.N > 0 && on.Mean == 0 && def.N > 0 && def.Mean == 0 && off.Mean > 0 && t1 > t2 && t1 > t3
}

// ValidationScenario is a built-in scenario the validation runs, with the treatment step its
// panels use.
type ValidationScenario struct {
	Name          string
	TreatmentStep int
}

// ValidationScenarios returns every scenario the targets run, in order of first use.
func ValidationScenarios() []ValidationScenario {
	var out []ValidationScenario
	for _, t := range targets {
		for _, s := range t.scenarios {
			if !slices.ContainsFunc(out, func(v ValidationScenario) bool { return v.Name == s }) {
				out = append(out, ValidationScenario{Name: s, TreatmentStep: treatmentStepOf(s)})
			}
		}
	}
	return out
}

// ValidationInput is what the validation measures: for every ValidationScenarios entry, in
// that order, its record, its config and its panels by replication (replication r of every
// scenario run with the same seed).
type ValidationInput struct {
	Scenarios []ScenarioRecord
	Configs   []sim.Config
	Panels    [][]*Panel
}

// TargetResult is a target held against the simulation.
type TargetResult struct {
	ID, Finding, Published, Rule string
	Scenarios                    []string
	Figures                      []TargetFigure
	Headline                     string // the headline figures, mean [p5, p95]
	Met                          bool
	// Problem explains a target that could not be measured (then Met is false).
	Problem string
}

// Verdict is "met" or "not met".
func (t TargetResult) Verdict() string {
	if t.Met {
		return "met"
	}
	return "not met"
}

// Validate measures every target on in and decides it.
func Validate(in *ValidationInput) ([]TargetResult, error) {
	d, err := newValData(in)
	if err != nil {
		return nil, err
	}
	var out []TargetResult
	for _, t := range targets {
		r := TargetResult{ID: t.id, Finding: t.finding, Published: t.published, Rule: t.rule, Scenarios: t.scenarios}
		fs, err := t.measure(d)
		if err != nil {
			r.Problem = err.Error()
		}
		r.Figures = fs
		f := figs{}
		for _, x := range fs {
			f[x.Key] = x.Summary
		}
		r.Met = err == nil && t.met(f)
		var hl []string
		for _, h := range t.headline {
			if i := slices.IndexFunc(fs, func(x TargetFigure) bool { return x.Key == h.key }); i >= 0 {
				hl = append(hl, h.label+" "+spreadText(fs[i].Summary, fs[i].Unit))
			}
		}
		r.Headline = strings.Join(hl, "; ")
		out = append(out, r)
	}
	return out, nil
}

// spreadText writes a summary as "mean [p5, p95] unit", or "n/a" when undefined.
func spreadText(s Summary, unit string) string {
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

// valData gives the measurements access to the panels by scenario and caches estimates.
type valData struct {
	in   *ValidationInput
	idx  map[string]int
	fits map[string][]repFit
}

// repFit is one replication's fit of an outcome, with the treated counties' mean outcome in
// the year before treatment (the base of relative effects); ok is false if it failed.
type repFit struct {
	OutcomeFit
	ok      bool
	preMean float64
}

func newValData(in *ValidationInput) (*valData, error) {
	need := ValidationScenarios()
	if len(in.Scenarios) != len(need) || len(in.Configs) != len(need) || len(in.Panels) != len(need) {
		return nil, fmt.Errorf("results: validation input holds %d scenarios, the targets need %d", len(in.Panels), len(need))
	}
	d := &valData{in: in, idx: map[string]int{}, fits: map[string][]repFit{}}
	reps := len(in.Panels[0])
	for k, v := range need {
		if in.Scenarios[k].Name != v.Name {
			return nil, fmt.Errorf("results: validation scenario %d is %q, want %q", k, in.Scenarios[k].Name, v.Name)
		}
		if len(in.Panels[k]) != reps || reps == 0 {
			return nil, fmt.Errorf("results: scenario %s has %d replications, want %d (at least 1)", v.Name, len(in.Panels[k]), reps)
		}
		for r, p := range in.Panels[k] {
			if p == nil || !p.Complete() || p.TreatmentStep != v.TreatmentStep {
				return nil, fmt.Errorf("results: scenario %s, replication %d: missing, incomplete or wrong treatment step", v.Name, r)
			}
		}
		d.idx[v.Name] = k
	}
	return d, nil
}

func (d *valData) panels(scenario string) []*Panel { return d.in.Panels[d.idx[scenario]] }

func (d *valData) config(scenario string) sim.Config { return d.in.Configs[d.idx[scenario]] }

// subsample selects the counties of a panel an estimate uses; the zero value takes all.
type subsample struct {
	name string
	keep func(p *Panel, i int) bool
}

func tercileSample(kind string, t int) subsample {
	return subsample{name: kind + ":" + fmt.Sprint(t), keep: func(p *Panel, i int) bool {
		if kind == "iq" {
			return p.Counties[i].IQTercile == t
		}
		return p.Counties[i].Tercile == t
	}}
}

// fit returns every replication's fit of outcome in scenario over the subsample.
func (d *valData) fit(scenario, outcome string, sub subsample) []repFit {
	return d.fitScale(scenario, outcome, sub, false)
}

// fitScale is fit of the outcome itself or, with logY, of its natural logarithm (a
// replication with a value <= 0 then has no fit).
func (d *valData) fitScale(scenario, outcome string, sub subsample, logY bool) []repFit {
	key := fmt.Sprintf("%s|%s|%s|%v", scenario, outcome, sub.name, logY)
	if f, ok := d.fits[key]; ok {
		return f
	}
	ps := d.panels(scenario)
	out := make([]repFit, len(ps))
	for r, p := range ps {
		k := p.Column(outcome)
		var keep func(int) bool
		if sub.keep != nil {
			keep = func(i int) bool { return sub.keep(p, i) }
		}
		dp := p.DIDPanel(k, keep)
		ok := true
		if logY {
			for i, y := range dp.Y {
				ok = ok && y > 0
				dp.Y[i] = math.Log(y)
			}
		}
		var f OutcomeFit
		var err error
		if ok {
			f, err = fitDID(dp)
		}
		out[r] = repFit{OutcomeFit: f, ok: ok && err == nil, preMean: preTreatmentMean(p, k, keep)}
	}
	d.fits[key] = out
	return out
}

// logATT summarises the ATT on the log of outcome as a percentage effect, 100 (e^b - 1).
func (d *valData) logATT(scenario, outcome string) Summary {
	return summariseFits(d.fitScale(scenario, outcome, subsample{}, true), func(f repFit) float64 { return 100 * math.Expm1(f.ATT.Coef) })
}

// preTreatmentMean returns the mean of column k over the treated counties (accepted by keep)
// in the year before their first treated year, when that year is in the panel.
func preTreatmentMean(p *Panel, k int, keep func(int) bool) float64 {
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

// att summarises the Sun-Abraham ATT of outcome across replications, times scale.
func (d *valData) att(scenario, outcome string, sub subsample, scale float64) Summary {
	return summariseFits(d.fit(scenario, outcome, sub), func(f repFit) float64 { return scale * f.ATT.Coef })
}

// relATT summarises the ATT in percent of the treated counties' pre-treatment mean.
func (d *valData) relATT(scenario, outcome string) Summary {
	return summariseFits(d.fit(scenario, outcome, subsample{}), func(f repFit) float64 { return 100 * f.ATT.Coef / f.preMean })
}

func summariseFits(fs []repFit, v func(repFit) float64) Summary {
	xs := make([]float64, len(fs))
	for r, f := range fs {
		xs[r] = math.NaN()
		if f.ok {
			if x := v(f); finite(x) {
				xs[r] = x
			}
		}
	}
	return Summarise(xs)
}

// perRep summarises f over the replications of a scenario.
func (d *valData) perRep(scenario string, f func(p *Panel) float64) Summary {
	ps := d.panels(scenario)
	xs := make([]float64, len(ps))
	for r, p := range ps {
		xs[r] = f(p)
	}
	return Summarise(xs)
}

const ppYear = "pp per year"

func measureT1(d *valData) ([]TargetFigure, error) {
	var out []TargetFigure
	lo, hi := Summary{Mean: math.Inf(1)}, Summary{Mean: math.Inf(-1)}
	for _, s := range t1Settings {
		x := d.att(s, "growth", subsample{}, 100)
		out = append(out, TargetFigure{Key: "att:" + s, Label: "growth effect of full PMC, " + s, Unit: ppYear, Summary: x})
		if x.Mean < lo.Mean {
			lo = x
		}
		if x.Mean > hi.Mean {
			hi = x
		}
	}
	twfe := summariseFits(d.fit(scnDefault, "growth", subsample{}), func(f repFit) float64 { return 100 * f.TWFE.Coef })
	out = append(out,
		TargetFigure{Key: "twfe:" + scnDefault, Label: "static TWFE DiD on growth, " + scnDefault, Unit: ppYear, Summary: twfe},
		TargetFigure{Key: "settings_min", Label: "lowest setting mean", Unit: ppYear, Summary: lo},
		TargetFigure{Key: "settings_max", Label: "highest setting mean", Unit: ppYear, Summary: hi},
	)
	return out, nil
}

func measureT2(d *valData) ([]TargetFigure, error) {
	full := d.fit(scnHenanPath, "growth", subsample{})
	slope := summariseFits(full, func(f repFit) float64 {
		var rels []int
		var coefs []float64
		for _, c := range f.Event {
			rels = append(rels, c.Rel)
			coefs = append(coefs, 100*c.Coef)
		}
		return slopeOverPost(rels, coefs)
	})
	pre := summariseFits(full, func(f repFit) float64 {
		n, sig := 0, 0
		for _, c := range f.Event {
			if c.Rel <= -2 {
				n++
				if c.CI90Low > 0 || c.CI90High < 0 {
					sig++
				}
			}
		}
		if n == 0 {
			return math.NaN()
		}
		return float64(sig) / float64(n)
	})
	return []TargetFigure{
		{Key: "att:step1", Label: "growth effect of step 1 alone (" + scnStep1 + ")", Unit: ppYear, Summary: d.att(scnStep1, "growth", subsample{}, 100)},
		{Key: "att:full", Label: "growth effect of full PMC after the fiscal stage (" + scnHenanPath + ")", Unit: ppYear, Summary: d.att(scnHenanPath, "growth", subsample{}, 100)},
		{Key: "slope", Label: "slope of full-PMC event coefficients over years 0..8", Unit: "pp per year, per year since treatment", Summary: slope},
		{Key: "pre_significant", Label: "share of pre-treatment coefficients (years -4..-2) significant at 90%", Unit: "share", Summary: pre},
	}, nil
}

func measureT3(d *valData) ([]TargetFigure, error) {
	kept := d.perRep(scnStep1, func(p *Panel) float64 {
		k := p.Column("transfers_kept")
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
	return []TargetFigure{
		{Key: "att:transfers", Label: "effect of step 1 on transfers received", Unit: money, Summary: d.att(scnStep1, "transfers_received", subsample{}, 1)},
		{Key: "rel:transfers", Label: "same, relative to the pre-treatment level", Unit: "%", Summary: d.relATT(scnStep1, "transfers_received")},
		{Key: "att:own", Label: "effect of step 1 on the county's own general budget revenue (own taxes and fees plus its retained share of shared taxes)", Unit: money, Summary: d.att(scnStep1, "local_revenue", subsample{}, 1)},
		{Key: "rel:own", Label: "same, relative to the pre-treatment level", Unit: "%", Summary: d.relATT(scnStep1, "local_revenue")},
		{Key: "log:transfers", Label: "robustness: effect on ln(transfers received), as a percentage", Unit: "%", Summary: d.logATT(scnStep1, "transfers_received")},
		{Key: "log:own", Label: "robustness: effect on ln(own general budget revenue), as a percentage", Unit: "%", Summary: d.logATT(scnStep1, "local_revenue")},
		{Key: "kept", Label: "transfers kept by prefectures from pilots after their first treated year", Unit: "million yuan", Summary: kept},
	}, nil
}

func measureT4(d *valData) ([]TargetFigure, error) {
	var out []TargetFigure
	for _, o := range []struct{ key, name, unit string }{
		{"misuse", "misused_funds", "million yuan per year"},
		{"hidden", "hidden_debt", "million yuan"},
	} {
		out = append(out,
			TargetFigure{Key: "att:" + o.key, Label: "effect of full PMC on " + o.name + " (" + scnDefault + ")", Unit: o.unit, Summary: d.att(scnDefault, o.name, subsample{}, 1)},
			TargetFigure{Key: "rel:" + o.key + ":broad", Label: "relative effect on " + o.name + ", broad span (" + scnBroad + ")", Unit: "%", Summary: d.relATT(scnBroad, o.name)},
			TargetFigure{Key: "rel:" + o.key + ":narrow", Label: "relative effect on " + o.name + ", narrow span (" + scnNarrow + ")", Unit: "%", Summary: d.relATT(scnNarrow, o.name)},
		)
	}
	return out, nil
}

// theilYear returns the population-weighted Theil index of county GDP per capita in year
// index y of p.
func theilYear(p *Panel, y int) float64 {
	kY, kW := p.Column("gdp_per_capita"), p.Column("population")
	ys, ws := make([]float64, len(p.Counties)), make([]float64, len(p.Counties))
	for i := range p.Counties {
		ys[i], ws[i] = p.Value(i, y, kY), p.Value(i, y, kW)
	}
	return Theil(ys, ws)
}

// preReformYear returns the year index of the last year that ends before a reform dated month
// start, clamped to the panel.
func preReformYear(start int) int { return max(start/12-1, 0) }

func measureT5(d *valData) ([]TargetFigure, error) {
	var out []TargetFigure
	for _, kind := range []string{"iq", "strength"} {
		name := map[string]string{"iq": "institutional-quality", "strength": "strength"}[kind]
		for t := 1; t <= 3; t++ {
			out = append(out, TargetFigure{
				Key: fmt.Sprintf("att:%s:%d", kind, t), Label: fmt.Sprintf("growth effect of full PMC, %s tercile %d (%s)", name, t, scnRandom),
				Unit: ppYear, Summary: d.att(scnRandom, "growth", tercileSample(kind, t), 100),
			})
		}
	}
	for _, s := range []struct{ key, scenario string }{{"weak", scnWeakEq}, {"strong", scnStrongEq}} {
		y0 := preReformYear(d.config(s.scenario).Devolution.Start)
		dt := d.perRep(s.scenario, func(p *Panel) float64 { return theilYear(p, p.Years-1) - theilYear(p, y0) })
		t0 := d.perRep(s.scenario, func(p *Panel) float64 { return theilYear(p, y0) })
		out = append(out,
			TargetFigure{Key: "theil0:" + s.key, Label: "Theil index before devolution, " + s.key + " equalisation (" + s.scenario + ")", Unit: "Theil T", Summary: t0},
			TargetFigure{Key: "dtheil:" + s.key, Label: "change of the Theil index to the final year, " + s.key + " equalisation", Unit: "Theil T", Summary: dt},
		)
	}
	return out, nil
}

// meanOver returns the mean of column k over all counties of p in year index y.
func meanOver(p *Panel, y, k int) float64 {
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
		at := func(scenario string, final bool) func(p *Panel) float64 {
			return func(p *Panel) float64 {
				y := y0
				if final {
					y = p.Years - 1
				}
				return meanOver(p, y, p.Column(o.name))
			}
		}
		cut := func(scenario string) Summary {
			return d.perRep(scenario, func(p *Panel) float64 {
				return 100 * (1 - at(scenario, true)(p)/at(scenario, false)(p))
			})
		}
		out = append(out,
			TargetFigure{Key: o.key + ":before", Label: o.label + ", last year before the reform (" + scnApproval + ")", Unit: "days", Summary: d.perRep(scnApproval, at(scnApproval, false))},
			TargetFigure{Key: o.key + ":after", Label: o.label + ", final year (" + scnApproval + ")", Unit: "days", Summary: d.perRep(scnApproval, at(scnApproval, true))},
			TargetFigure{Key: o.key + ":cut", Label: "cut in " + o.label, Unit: "%", Summary: cut(scnApproval)},
			TargetFigure{Key: o.key + ":baseline_cut", Label: "cut in " + o.label + " over the same years, " + scnBaseline, Unit: "%", Summary: cut(scnBaseline)},
		)
	}
	return out, nil
}

// coveredArrears returns the county-months of p with wage arrears while receipts covered the
// wage obligation.
func coveredArrears(p *Panel) float64 {
	k := p.Column("arrears_covered_months")
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
func arrearsShare(p *Panel, t, y0 int) float64 {
	k := p.Column("arrears_months")
	s, months := 0.0, 0.0
	for i, c := range p.Counties {
		if c.Tercile != t {
			continue
		}
		for y := y0; y < p.Years; y++ {
			s += p.Value(i, y, k)
			months += float64(min(12, p.months-12*y))
		}
	}
	if months == 0 {
		return math.NaN()
	}
	return 100 * s / months
}

func measureT7(d *valData) ([]TargetFigure, error) {
	y0 := d.config(scnStress).Finance.RevenueShockMonth / 12
	cm := "county-months"
	out := []TargetFigure{
		{Key: "covered:on", Label: "months with arrears while receipts cover wages, priority rule on (" + scnStress + ")", Unit: cm, Summary: d.perRep(scnStress, coveredArrears)},
		{Key: "covered:default", Label: "same, default (" + scnDefault + ")", Unit: cm, Summary: d.perRep(scnDefault, coveredArrears)},
		{Key: "covered:off", Label: "same, priority rule off (" + scnStressOff + ")", Unit: cm, Summary: d.perRep(scnStressOff, coveredArrears)},
	}
	for t := 1; t <= 3; t++ {
		out = append(out, TargetFigure{
			Key: fmt.Sprintf("arrears:%d", t), Label: fmt.Sprintf("county-months in arrears after the shock, strength tercile %d (%s)", t, scnStress),
			Unit: "%", Summary: d.perRep(scnStress, func(p *Panel) float64 { return arrearsShare(p, t, y0) }),
		})
	}
	return out, nil
}
