package observe

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"

	"github.com/countysim/countysim/results/did"
	"github.com/countysim/countysim/sim"
)

// Policy evaluation treats a simulated reform as a natural experiment and estimates its
// effects the way the empirical studies did: on the county-year panel (Panel), units =
// counties, periods = calendar years, cohort = the first treated year (0 for the controls),
// with a static two-way fixed-effects difference-in-differences (did.TWFE) and the Sun and
// Abraham (2021) event study and ATT (did.SunAbraham) over EventMinRel..EventMaxRel years
// since treatment. Every simulated year enters (the burn-in is never observed).

// The event-study window, in years since treatment.
const (
	EventMinRel = -4
	EventMaxRel = 8
)

// Estimator names in estimates.csv and summary.csv. The true effects and biases are written
// once per counterfactual, with its name appended (true_att_no_reform, sa_att_bias_step_off).
const (
	EstTWFE        = "twfe"          // static TWFE DiD, all years
	EstTWFEWCR     = "twfe_wcr"      // the twfe coefficient's wild cluster restricted bootstrap: p = p-value, ci90 by test inversion, n = draws
	EstSAATT       = "sa_att"        // Sun-Abraham ATT over 0..EventMaxRel
	EstSAATTWCR    = "sa_att_wcr"    // the sa_att's wild cluster restricted bootstrap: p = p-value, ci90 by test inversion, n = draws
	EstSAEvent     = "sa_event"      // Sun-Abraham event-study coefficient at rel
	EstPreTrend    = "pretrend_wald" // joint Wald test of the sa_event coefficients at rel <= -2: coef = statistic, n = degrees of freedom, p = chi-square p-value
	EstPreTrendWCR = "pretrend_wcr"  // the pre-trend Wald test's wild cluster restricted bootstrap: coef = statistic, n = draws, p = bootstrap p-value
	// Selection: the outcome's mean over the treated counties in the year before their
	// treatment, and over the never-treated counties in the same years.
	EstPreTreated = "pre_mean_treated"
	EstPreControl = "pre_mean_control"
	// True effects, from the paired counterfactual runs (PairTruth).
	EstTrueATT    = "true_att_"     // + counterfactual: mean true effect on the treated, SA ATT sample
	EstTrueATTAll = "true_att_all_" // + counterfactual: mean true effect over every treated county-year of cohorts treated after the first year (TWFE's sample)
	EstTrueEvent  = "true_event_"   // + counterfactual: mean true effect on the treated at rel
	EstSpillover  = "spillover_"    // + counterfactual: mean true effect on the never-treated, from the first treated year
	EstTWFEBias   = "twfe_bias_"    // + counterfactual: twfe - true_att
	EstSAATTBias  = "sa_att_bias_"  // + counterfactual: sa_att - true_att
)

// WCRAlpha is the level at which the wild cluster bootstrap tests of twfe and sa_att count as
// rejecting (p <= WCRAlpha; their intervals are the 1 - WCRAlpha confidence sets, matching the
// 90% CIs). The bootstrap of the pre-trend test rejects at p <= PreTrendAlpha.
const WCRAlpha = 0.10

// DefaultBootDraws is the default number of wild bootstrap draws: with B = 999, (B+1)*alpha is
// whole at 1%, 5% and 10%, so the bootstrap test is exact at those levels under exchangeability.
const DefaultBootDraws = 999

// Bootstrap configures the wild cluster bootstraps of EstimatePanel's twfe, sa_att and pre-trend
// tests.
type Bootstrap struct {
	Draws int    // bootstrap draws of each test; 0: no bootstrap (no *_wcr rows)
	Seed  uint64 // the replication's run seed; each test's weights come from it, the outcome's name and the estimator's
}

// wcrSeed is the seed of the bootstrap weights of estimator est (EstTWFEWCR, EstSAATTWCR,
// EstPreTrendWCR) on outcome in the replication run with seed: the run's seed and an FNV-1a hash
// of the estimator's and the outcome's names, so that each test of each outcome has its own
// draws and they depend on nothing but the run's seed (not on the order or number of workers).
func wcrSeed(seed uint64, est, outcome string) [2]uint64 {
	h := fnv.New64a()
	h.Write([]byte(est + " " + outcome))
	return [2]uint64{seed, h.Sum64()}
}

// PreTrendAlpha is the level at which the pre-trend test counts as rejecting (share_significant
// of pretrend_wald in summary.csv, the flags in the reports).
const PreTrendAlpha = 0.10

// StrengthOutcome is the name under which the treated and control counties' mean strength
// (the model's economic-strength index) is reported: selection on strength.
const StrengthOutcome = "strength"

// Errors of a panel that cannot be evaluated.
var (
	ErrNoTreatedCounties  = errors.New("no county reaches the treatment step within the horizon")
	ErrNoControlCounties  = errors.New("no never-treated county to compare with (every county is a pilot)")
	ErrNoPreTreatmentYear = errors.New("every treated county is treated from the panel's first year: no year before treatment to compare with")
)

// EvalEstimate is one estimate of one replication: a row of estimates.csv.
type EvalEstimate struct {
	Replication int
	Outcome     string
	Estimator   string
	Rel         int  // event time (sa_event, true_event_*)
	HasRel      bool // false: rel is empty
	Coef, SE    float64
	CI90Low     float64
	CI90High    float64
	N           int     // observations (twfe, sa_att), treated observations at rel (sa_event), degrees of freedom (pretrend_wald), counties or county-years (the rest)
	P           float64 // p-value (pretrend_wald only)
}

// Tested reports whether the estimator has a test whose significance Significant reports
// (twfe, sa_att, sa_event: the 90% CI; pretrend_wald: the test at 10%; twfe_wcr, sa_att_wcr,
// pretrend_wcr: the bootstrap test at 10%).
func (e EvalEstimate) Tested() bool {
	switch e.Estimator {
	case EstPreTrend, EstPreTrendWCR, EstTWFE, EstTWFEWCR, EstSAATT, EstSAATTWCR, EstSAEvent:
		return true
	}
	return false
}

// Significant reports whether the estimate's 90% confidence interval excludes 0, or, for the
// pre-trend test, whether it rejects at PreTrendAlpha (its bootstrap: p <= PreTrendAlpha), or,
// for the wild cluster bootstraps of twfe and sa_att, whether the p-value is at most WCRAlpha
// (then the interval excludes 0 too). True effects and means are never "significant": they are
// not estimates.
func (e EvalEstimate) Significant() bool {
	switch {
	case e.Estimator == EstPreTrend:
		return e.P < PreTrendAlpha
	case e.Estimator == EstPreTrendWCR:
		return e.P <= PreTrendAlpha
	case e.Estimator == EstTWFEWCR || e.Estimator == EstSAATTWCR:
		return e.P <= WCRAlpha
	case e.Estimator == EstTWFE || e.Estimator == EstSAATT || e.Estimator == EstSAEvent:
		return e.CI90Low > 0 || e.CI90High < 0
	}
	return false
}

// DIDPanel returns column k of p as a did.Panel over the counties keep accepts (all if keep
// is nil): treated counties with their first treated year as cohort, controls with cohort 0.
// Pilots that never reach the treatment step are left out: they are neither treated nor
// untouched by the reform.
func (p *Panel) DIDPanel(k int, keep func(i int) bool) did.Panel {
	d, _ := p.OutcomePanel(EvalOutcome{Column: k}, keep)
	return d
}

// OutcomePanel is DIDPanel of outcome o (in logs if o.Log); ok is false if a value is not
// finite (the log of a value <= 0).
func (p *Panel) OutcomePanel(o EvalOutcome, keep func(i int) bool) (d did.Panel, ok bool) {
	ok = true
	for i, c := range p.Counties {
		if keep != nil && !keep(i) {
			continue
		}
		cohort := p.FirstTreatedYear(i)
		if cohort == 0 && !p.IsControl(i) {
			continue
		}
		for y := range p.Years {
			v := o.Value(p, i, y)
			ok = ok && finite(v)
			d.Unit = append(d.Unit, c.ID)
			d.Period = append(d.Period, p.Year(y))
			d.Cohort = append(d.Cohort, cohort)
			d.Y = append(d.Y, v)
		}
	}
	return d, ok
}

// Treated returns the number of counties that reach the treatment step within the horizon.
func (p *Panel) Treated() int {
	n := 0
	for i := range p.Counties {
		if p.FirstTreatedYear(i) > 0 {
			n++
		}
	}
	return n
}

// Controls returns the number of never-treated comparison counties (IsControl).
func (p *Panel) Controls() int {
	n := 0
	for i := range p.Counties {
		if p.IsControl(i) {
			n++
		}
	}
	return n
}

// OutcomeFit is the estimates of one outcome on one panel.
type OutcomeFit struct {
	TWFE     did.Estimate
	Event    []did.EventCoef
	ATT      did.Estimate
	PreTrend did.Wald
}

// FitOutcome estimates the effect of treatment on column k of p over the counties keep accepts
// (nil: all): TWFE and the Sun-Abraham event study and ATT over the event window.
func FitOutcome(p *Panel, k int, keep func(i int) bool) (OutcomeFit, error) {
	return FitDID(p.DIDPanel(k, keep))
}

// FitDID estimates TWFE, the Sun-Abraham event study and ATT and the pre-trend test on d.
func FitDID(d did.Panel) (OutcomeFit, error) {
	f, _, err := fitDID(d, Bootstrap{}, "")
	return f, err
}

// wildTests are the wild cluster bootstrap tests of an outcome's estimates.
type wildTests struct {
	TWFE     did.WildTest
	SA       did.SAWild
	Computed bool // false: no bootstrap asked
}

// fitDID is FitDID with, when boot.Draws > 0, the wild cluster restricted bootstraps of the
// TWFE coefficient, the Sun-Abraham ATT and the pre-trend test of outcome (each seeded by
// wcrSeed): the same estimates, from the same regressions.
func fitDID(d did.Panel, boot Bootstrap, outcome string) (OutcomeFit, wildTests, error) {
	var f OutcomeFit
	var t wildTests
	var err error
	if len(d.Y) > 0 && !slices.ContainsFunc(d.Y, func(y float64) bool { return y != d.Y[0] }) {
		// Every estimator would return 0 with a standard error of 0: nothing to estimate.
		return f, t, fmt.Errorf("it takes one value (%v) in every county-year", d.Y[0])
	}
	var r did.SAResult
	if boot.Draws <= 0 {
		if f.TWFE, err = did.TWFE(d); err != nil {
			return f, t, err
		}
		r, err = did.SunAbrahamTest(d, EventMinRel, EventMaxRel)
	} else {
		opt := func(est string, level float64) did.WildOptions {
			return did.WildOptions{Draws: boot.Draws, Seed: wcrSeed(boot.Seed, est, outcome), Level: level}
		}
		t.Computed = true
		if f.TWFE, t.TWFE, err = did.TWFEWild(d, opt(EstTWFEWCR, 1-WCRAlpha)); err != nil {
			return f, t, err
		}
		r, t.SA, err = did.SunAbrahamWild(d, EventMinRel, EventMaxRel, opt(EstSAATTWCR, 1-WCRAlpha), opt(EstPreTrendWCR, 0))
	}
	f.Event, f.ATT, f.PreTrend = r.Event, r.ATT, r.PreTrend
	return f, t, err
}

// CheckEvaluable returns ErrNoTreatedCounties or ErrNoControlCounties for a panel that has no
// treated or no never-treated county, and ErrNoPreTreatmentYear for one whose treated counties
// are all treated from its first year (every regressor is then collinear: nothing estimates,
// and the run would end with a summary of nothing).
func CheckEvaluable(p *Panel) error {
	if p.Treated() == 0 {
		return fmt.Errorf("%w (treatment step %d)", ErrNoTreatedCounties, p.TreatmentStep)
	}
	if p.Controls() == 0 {
		return ErrNoControlCounties
	}
	for i := range p.Counties {
		if y := p.FirstTreatedYear(i); y > p.Year(0) {
			return nil
		}
	}
	return fmt.Errorf("%w (treatment step %d, first year %d)", ErrNoPreTreatmentYear, p.TreatmentStep, p.Year(0))
}

// CheckConfigEvaluable rejects, before anything runs, a config whose PMC reform cannot be
// evaluated at treatment step step: ErrNoTreatedCounties when PMC is off or no cohort reaches
// the step within the horizon's whole years (the panel's), ErrNoControlCounties when the cohorts' shares take every county.
// A panel can still turn out to have neither (shares round per province): CheckEvaluable.
func CheckConfigEvaluable(cfg sim.Config, step int) error {
	p := cfg.PMC
	if !p.Enabled {
		return fmt.Errorf("%w (pmc.enabled is false)", ErrNoTreatedCounties)
	}
	reaches, share := false, 0.0
	whole := cfg.Months / 12 * 12 // the panel's horizon: its whole years (Panel.Years)
	for _, c := range p.Cohorts {
		at := p.Planned(c)[min(max(step, 1), 3)]
		reaches = reaches || (at >= 0 && at < whole)
		share += c.Share
	}
	if !reaches {
		return fmt.Errorf("%w (treatment step %d)", ErrNoTreatedCounties, step)
	}
	if p.Selection.Method != sim.ByList && share >= 1-1e-9 {
		return ErrNoControlCounties
	}
	return nil
}

// PreMeans returns outcome o's mean over the treated counties in the year before their first
// treated year, and the never-treated counties' mean in the same years (one such year per
// treated county, so both means weigh the years alike). NaN when there is no such year.
func PreMeans(p *Panel, o EvalOutcome, value func(i, y int) float64) (treated, control float64) {
	var controls []int
	for i := range p.Counties {
		if p.IsControl(i) {
			controls = append(controls, i)
		}
	}
	ts, cs, n := 0.0, 0.0, 0
	for i := range p.Counties {
		first := p.FirstTreatedYear(i)
		if first <= p.StartYear || len(controls) == 0 {
			continue
		}
		y := first - 1 - p.StartYear
		c := 0.0
		for _, j := range controls {
			c += value(j, y)
		}
		ts += value(i, y)
		cs += c / float64(len(controls))
		n++
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	return ts / float64(n), cs / float64(n)
}

// Skipped is an outcome EstimatePanel could not estimate in a replication, and why.
type Skipped struct {
	Replication int
	Outcome     string
	Reason      string
}

// ReasonNonPositive is why a log outcome is not estimated: the log of a value <= 0 is undefined.
const ReasonNonPositive = "some county-year values are 0 or negative, and have no log"

// EstimatePanel estimates every outcome of EvalOutcomes on p and returns the rows of
// estimates.csv for replication rep, outcome by outcome: twfe, twfe_wcr (with boot.Draws > 0),
// sa_att, sa_att_wcr (with boot.Draws > 0), pretrend_wald, pretrend_wcr (with boot.Draws > 0),
// pre_mean_treated and pre_mean_control (levels only), then for each
// truth (one per counterfactual) true_att, spillover, twfe_bias, sa_att_bias and true_event by
// rel, then sa_event by rel; last the treated and control counties' mean strength. An outcome
// that cannot be estimated (one that does not vary, or a log of values <= 0) is skipped, every
// row of it, and returned in skipped; a panel with no treated or no control county is an error
// (CheckEvaluable).
func EstimatePanel(p *Panel, rep int, boot Bootstrap, truths ...*Truth) (out []EvalEstimate, skipped []Skipped, err error) {
	if err := CheckEvaluable(p); err != nil {
		return nil, nil, fmt.Errorf("replication %d: %w", rep, err)
	}
	nan := math.NaN()
	plain := func(outcome, est string, v float64, n int) EvalEstimate {
		return EvalEstimate{Replication: rep, Outcome: outcome, Estimator: est, Coef: v, SE: nan, CI90Low: nan, CI90High: nan, N: n, P: nan}
	}
	for _, o := range EvalOutcomes() {
		d, ok := p.OutcomePanel(o, nil)
		var f OutcomeFit
		var wcr wildTests
		err := errors.New(ReasonNonPositive)
		if ok {
			f, wcr, err = fitDID(d, boot, o.Name)
		}
		if err != nil {
			skipped = append(skipped, Skipped{Replication: rep, Outcome: o.Name, Reason: err.Error()})
			continue
		}
		row := func(est string, e did.Estimate) EvalEstimate {
			return EvalEstimate{Replication: rep, Outcome: o.Name, Estimator: est,
				Coef: e.Coef, SE: e.SE, CI90Low: e.CI90Low, CI90High: e.CI90High, N: e.N, P: nan}
		}
		pre := plain(o.Name, EstPreTrend, f.PreTrend.Stat, f.PreTrend.DF)
		pre.P = f.PreTrend.P
		// A bootstrap test's row: the estimate, its interval by test inversion, its draws.
		boot := func(est string, coef float64, w did.WildTest) EvalEstimate {
			r := plain(o.Name, est, coef, w.Draws)
			r.CI90Low, r.CI90High, r.P = w.CILow, w.CIHigh, w.P
			return r
		}
		out = append(out, row(EstTWFE, f.TWFE))
		if wcr.Computed {
			out = append(out, boot(EstTWFEWCR, f.TWFE.Coef, wcr.TWFE))
		}
		out = append(out, row(EstSAATT, f.ATT))
		if wcr.Computed {
			out = append(out, boot(EstSAATTWCR, f.ATT.Coef, wcr.SA.ATT))
		}
		out = append(out, pre)
		if wcr.Computed {
			w := plain(o.Name, EstPreTrendWCR, f.PreTrend.Stat, wcr.SA.PreTrend.Draws)
			w.P = wcr.SA.PreTrend.P
			out = append(out, w)
		}
		if !o.Log {
			tr, co := PreMeans(p, o, func(i, y int) float64 { return o.Value(p, i, y) })
			out = append(out, plain(o.Name, EstPreTreated, tr, p.Treated()), plain(o.Name, EstPreControl, co, p.Controls()))
		}
		for _, t := range truths {
			ot := t.Outcome(o.Name)
			if ot == nil {
				continue
			}
			cf := t.Counterfactual
			out = append(out,
				plain(o.Name, EstTrueATT+cf, ot.ATT, ot.NATT),
				plain(o.Name, EstTrueATTAll+cf, ot.ATTAll, ot.NAll),
				plain(o.Name, EstSpillover+cf, ot.Spillover, ot.NSpill))
			// Past step 1 the estimators measure the change from the year before the step,
			// when the earlier steps are in force; the no-reform truth holds those steps'
			// effect too, a different estimand: no bias against it (step_off's is the one).
			if cf != CFNoReform || p.TreatmentStep <= 1 {
				out = append(out,
					plain(o.Name, EstTWFEBias+cf, f.TWFE.Coef-ot.ATTAll, ot.NAll),
					plain(o.Name, EstSAATTBias+cf, f.ATT.Coef-ot.ATT, ot.NATT))
			}
			for _, e := range ot.Event {
				r := plain(o.Name, EstTrueEvent+cf, e.Effect, e.N)
				r.Rel, r.HasRel = e.Rel, true
				out = append(out, r)
			}
		}
		for _, c := range f.Event {
			out = append(out, EvalEstimate{Replication: rep, Outcome: o.Name, Estimator: EstSAEvent,
				Rel: c.Rel, HasRel: true, Coef: c.Coef, SE: c.SE, CI90Low: c.CI90Low, CI90High: c.CI90High, N: c.N, P: nan})
		}
	}
	tr, co := PreMeans(p, EvalOutcome{}, func(i, _ int) float64 { return p.Counties[i].Strength })
	out = append(out, plain(StrengthOutcome, EstPreTreated, tr, p.Treated()), plain(StrengthOutcome, EstPreControl, co, p.Controls()))
	return out, skipped, nil
}

// SkipSummary is an outcome skipped in some replications of an evaluation.
type SkipSummary struct {
	Outcome       string
	Skipped, Reps int      // replications that skipped it, of Reps
	Reasons       []string // why, in order of first appearance
	Counts        []int    // replications per reason
}

// SummariseSkips groups the skips of reps replications by outcome, in the order of
// EvalOutcomes.
func SummariseSkips(skips []Skipped, reps int) []SkipSummary {
	var out []SkipSummary
	for _, o := range EvalOutcomes() {
		s := SkipSummary{Outcome: o.Name, Reps: reps}
		for _, k := range skips {
			if k.Outcome != o.Name {
				continue
			}
			s.Skipped++
			if i := slices.Index(s.Reasons, k.Reason); i >= 0 {
				s.Counts[i]++
			} else {
				s.Reasons, s.Counts = append(s.Reasons, k.Reason), append(s.Counts, 1)
			}
		}
		if s.Skipped > 0 {
			out = append(out, s)
		}
	}
	return out
}

// Why lists the reasons, each with its count of replications when there are several.
func (s SkipSummary) Why() string {
	if len(s.Reasons) == 1 {
		return s.Reasons[0]
	}
	var parts []string
	for i, r := range s.Reasons {
		parts = append(parts, fmt.Sprintf("%s in %d", r, s.Counts[i]))
	}
	return strings.Join(parts, "; ")
}

// Note is the manifest's note on the skipped outcome: which, in how many of how many
// replications, why, and, when other replications estimated it, that its summary.csv rows
// are over those only.
func (s SkipSummary) Note() string {
	if s.Skipped >= s.Reps {
		return fmt.Sprintf("%s: not estimated in any of the %d replications: %s", s.Outcome, s.Reps, s.Why())
	}
	return fmt.Sprintf("%s: not estimated in %d of %d replications (%s); its rows in summary.csv, estimates and true effects alike, are over the other %d replications only, a selected subset (the replications in which it could be estimated), marked in the note column",
		s.Outcome, s.Skipped, s.Reps, s.Why(), s.Reps-s.Skipped)
}

// EvalSummary summarises one estimate across replications: a row of summary.csv.
type EvalSummary struct {
	Outcome, Estimator string
	Rel                int
	HasRel             bool
	Reps               int     // replications in which this estimate was computed (not NaN)
	Of                 int     // replications in the evaluation (Reps < Of: a subset)
	Mean, P5, P95      float64 // of the coefficient across those replications (Quantile)
	// ShareSignificant is the share of those replications whose 90% CI excludes 0 (the
	// pre-trend test: that reject at 10%); NaN for an estimator without a test or when no
	// replication computed it.
	ShareSignificant float64
}

// SummariseEstimates groups estimates by outcome, estimator and rel, in order of first
// appearance, and summarises each group across replications.
func SummariseEstimates(est []EvalEstimate) []EvalSummary {
	type key struct {
		outcome, estimator string
		rel                int
		hasRel             bool
	}
	var order []key
	coefs := map[key][]float64{}
	reps := map[int]bool{} // the replications (each has at least its strength rows)
	sig := map[key]int{}
	tested := map[key]bool{} // estimators with a test whose significance is counted
	for _, e := range est {
		k := key{e.Outcome, e.Estimator, e.Rel, e.HasRel}
		reps[e.Replication] = true
		if _, ok := coefs[k]; !ok {
			order = append(order, k)
		}
		coefs[k] = append(coefs[k], e.Coef)
		tested[k] = e.Tested()
		if e.Significant() {
			sig[k]++
		}
	}
	out := make([]EvalSummary, 0, len(order))
	for _, k := range order {
		s := Summarise(coefs[k]) // of the replications in which it was computed (not NaN)
		share := math.NaN()      // no test, or never computed
		if tested[k] && s.N > 0 {
			share = float64(sig[k]) / float64(s.N)
		}
		out = append(out, EvalSummary{Outcome: k.outcome, Estimator: k.estimator, Rel: k.rel, HasRel: k.hasRel,
			Reps: s.N, Of: len(reps), Mean: s.Mean, P5: s.P5, P95: s.P95, ShareSignificant: share})
	}
	return out
}
