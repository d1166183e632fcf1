package results

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

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
	EstTWFE     = "twfe"          // static TWFE DiD, all years
	EstSAATT    = "sa_att"        // Sun-Abraham ATT over 0..EventMaxRel
	EstSAEvent  = "sa_event"      // Sun-Abraham event-study coefficient at rel
	EstPreTrend = "pretrend_wald" // joint Wald test of the sa_event coefficients at rel <= -2: coef = statistic, n = degrees of freedom, p = chi-square p-value
	// Selection: the outcome's mean over the treated counties in the year before their
	// treatment, and over the never-treated counties in the same years.
	EstPreTreated = "pre_mean_treated"
	EstPreControl = "pre_mean_control"
	// True effects, from the paired counterfactual runs (PairTruth).
	EstTrueATT   = "true_att_"    // + counterfactual: mean true effect on the treated, SA ATT sample
	EstTrueEvent = "true_event_"  // + counterfactual: mean true effect on the treated at rel
	EstSpillover = "spillover_"   // + counterfactual: mean true effect on the never-treated, from the first treated year
	EstTWFEBias  = "twfe_bias_"   // + counterfactual: twfe - true_att
	EstSAATTBias = "sa_att_bias_" // + counterfactual: sa_att - true_att
)

// PreTrendAlpha is the level at which the pre-trend test counts as rejecting (share_significant
// of pretrend_wald in summary.csv, the flags in the reports).
const PreTrendAlpha = 0.10

// StrengthOutcome is the name under which the treated and control counties' mean strength
// (the model's economic-strength index) is reported: selection on strength.
const StrengthOutcome = "strength"

// Errors of a panel that cannot be evaluated.
var (
	ErrNoTreatedCounties = errors.New("no county reaches the treatment step within the horizon")
	ErrNoControlCounties = errors.New("no never-treated county to compare with (every county is a pilot)")
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

// Significant reports whether the estimate's 90% confidence interval excludes 0, or, for the
// pre-trend test, whether it rejects at PreTrendAlpha. True effects and means are never
// "significant": they are not estimates.
func (e EvalEstimate) Significant() bool {
	switch {
	case e.Estimator == EstPreTrend:
		return e.P < PreTrendAlpha
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
	d, _ := p.outcomePanel(EvalOutcome{Column: k}, keep)
	return d
}

// outcomePanel is DIDPanel of outcome o (in logs if o.Log); ok is false if a value is not
// finite (the log of a value <= 0).
func (p *Panel) outcomePanel(o EvalOutcome, keep func(i int) bool) (d did.Panel, ok bool) {
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
			v := o.value(p, i, y)
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
	return fitDID(p.DIDPanel(k, keep))
}

// fitDID estimates TWFE, the Sun-Abraham event study and ATT and the pre-trend test on d.
func fitDID(d did.Panel) (OutcomeFit, error) {
	var f OutcomeFit
	var err error
	if f.TWFE, err = did.TWFE(d); err != nil {
		return f, err
	}
	r, err := did.SunAbrahamTest(d, EventMinRel, EventMaxRel)
	f.Event, f.ATT, f.PreTrend = r.Event, r.ATT, r.PreTrend
	return f, err
}

// CheckEvaluable returns ErrNoTreatedCounties or ErrNoControlCounties for a panel that has no
// treated or no never-treated county.
func CheckEvaluable(p *Panel) error {
	if p.Treated() == 0 {
		return fmt.Errorf("%w (treatment step %d)", ErrNoTreatedCounties, p.TreatmentStep)
	}
	if p.Controls() == 0 {
		return ErrNoControlCounties
	}
	return nil
}

// CheckConfigEvaluable rejects, before anything runs, a config whose PMC reform cannot be
// evaluated at treatment step step: ErrNoTreatedCounties when PMC is off or no cohort reaches
// the step within the horizon, ErrNoControlCounties when the cohorts' shares take every county.
// A panel can still turn out to have neither (shares round per province): CheckEvaluable.
func CheckConfigEvaluable(cfg sim.Config, step int) error {
	p := cfg.PMC
	if !p.Enabled {
		return fmt.Errorf("%w (pmc.enabled is false)", ErrNoTreatedCounties)
	}
	reaches, share := false, 0.0
	for _, c := range p.Cohorts {
		at := [3]int{c.Step1, c.Step2, c.Step3}[min(max(step, 1), 3)-1]
		if p.Mode == "one-shot" {
			at = c.Step1
		}
		reaches = reaches || (at >= 0 && at < cfg.Months)
		share += c.Share
	}
	if !reaches {
		return fmt.Errorf("%w (treatment step %d)", ErrNoTreatedCounties, step)
	}
	if p.Selection.Method != "list" && share >= 1-1e-9 {
		return ErrNoControlCounties
	}
	return nil
}

// preMeans returns outcome o's mean over the treated counties in the year before their first
// treated year, and the never-treated counties' mean in the same years (one such year per
// treated county, so both means weigh the years alike). NaN when there is no such year.
func preMeans(p *Panel, o EvalOutcome, value func(i, y int) float64) (treated, control float64) {
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

// EstimatePanel estimates every outcome of EvalOutcomes on p and returns the rows of
// estimates.csv for replication rep, outcome by outcome: twfe, sa_att, pretrend_wald,
// pre_mean_treated and pre_mean_control (levels only), then for each truth (one per
// counterfactual) true_att, spillover, twfe_bias, sa_att_bias and true_event by rel, then
// sa_event by rel; last the treated and control counties' mean strength. An outcome that
// cannot be estimated (one that does not vary, or a log of values <= 0) is skipped with a
// note; a panel with no treated or no control county is an error (CheckEvaluable).
func EstimatePanel(p *Panel, rep int, truths ...*Truth) ([]EvalEstimate, []string, error) {
	if err := CheckEvaluable(p); err != nil {
		return nil, nil, fmt.Errorf("replication %d: %w", rep, err)
	}
	var out []EvalEstimate
	var notes []string
	nan := math.NaN()
	plain := func(outcome, est string, v float64, n int) EvalEstimate {
		return EvalEstimate{Replication: rep, Outcome: outcome, Estimator: est, Coef: v, SE: nan, CI90Low: nan, CI90High: nan, N: n, P: nan}
	}
	for _, o := range EvalOutcomes() {
		d, ok := p.outcomePanel(o, nil)
		var f OutcomeFit
		err := fmt.Errorf("some values are 0 or negative")
		if ok {
			f, err = fitDID(d)
		}
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s: not estimated: %v", o.Name, err))
			continue
		}
		row := func(est string, e did.Estimate) EvalEstimate {
			return EvalEstimate{Replication: rep, Outcome: o.Name, Estimator: est,
				Coef: e.Coef, SE: e.SE, CI90Low: e.CI90Low, CI90High: e.CI90High, N: e.N, P: nan}
		}
		pre := plain(o.Name, EstPreTrend, f.PreTrend.Stat, f.PreTrend.DF)
		pre.P = f.PreTrend.P
		out = append(out, row(EstTWFE, f.TWFE), row(EstSAATT, f.ATT), pre)
		if !o.Log {
			tr, co := preMeans(p, o, func(i, y int) float64 { return o.value(p, i, y) })
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
				plain(o.Name, EstSpillover+cf, ot.Spillover, ot.NSpill),
				plain(o.Name, EstTWFEBias+cf, f.TWFE.Coef-ot.ATT, ot.NATT),
				plain(o.Name, EstSAATTBias+cf, f.ATT.Coef-ot.ATT, ot.NATT))
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
	tr, co := preMeans(p, EvalOutcome{}, func(i, _ int) float64 { return p.Counties[i].Strength })
	out = append(out, plain(StrengthOutcome, EstPreTreated, tr, p.Treated()), plain(StrengthOutcome, EstPreControl, co, p.Controls()))
	return out, notes, nil
}

// EvalSummary summarises one estimate across replications: a row of summary.csv.
type EvalSummary struct {
	Outcome, Estimator string
	Rel                int
	HasRel             bool
	Reps               int     // replications with this estimate
	Mean, P5, P95      float64 // of the coefficient across replications (Quantile)
	// ShareSignificant is the share of those replications whose 90% CI excludes 0.
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
	sig := map[key]int{}
	for _, e := range est {
		k := key{e.Outcome, e.Estimator, e.Rel, e.HasRel}
		if _, ok := coefs[k]; !ok {
			order = append(order, k)
		}
		coefs[k] = append(coefs[k], e.Coef)
		if e.Significant() {
			sig[k]++
		}
	}
	out := make([]EvalSummary, 0, len(order))
	for _, k := range order {
		xs := coefs[k]
		n := len(xs)
		s := Summarise(xs)
		out = append(out, EvalSummary{Outcome: k.outcome, Estimator: k.estimator, Rel: k.rel, HasRel: k.hasRel,
			Reps: n, Mean: s.Mean, P5: s.P5, P95: s.P95, ShareSignificant: float64(sig[k]) / float64(n)})
	}
	return out
}

// Evaluation file names.
const (
	EstimatesFile   = "estimates.csv"
	EvalSummaryFile = "summary.csv"
	EventStudyFile  = "event_study" // .png and .svg
)

func relField(has bool, rel int) string {
	if !has {
		return ""
	}
	return strconv.Itoa(rel)
}

// WriteEstimatesCSV writes estimates.csv: replication, outcome, estimator, rel (event time,
// empty but for sa_event and true_event_*), coef, se, ci90_low, ci90_high, n, p (the
// pre-trend test's p-value); empty fields where a value does not apply. Outcomes are in the
// units of panel.csv (growth as a log rate per year: 0.01 is one percentage point); ln_
// outcomes in log points. dictionary.csv explains every column and estimator.
func WriteEstimatesCSV(w io.Writer, est []EvalEstimate) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(estimatesHeader)
	for _, e := range est {
		p := ""
		if e.Estimator == EstPreTrend {
			p = formatFloat(e.P)
		}
		_ = cw.Write([]string{strconv.Itoa(e.Replication), e.Outcome, e.Estimator, relField(e.HasRel, e.Rel),
			formatFloat(e.Coef), formatFloat(e.SE), formatFloat(e.CI90Low), formatFloat(e.CI90High), strconv.Itoa(e.N), p})
	}
	cw.Flush()
	return cw.Error()
}

// WriteEvalSummaryCSV writes summary.csv: outcome, estimator, rel, mean, p5, p95,
// share_significant (for pretrend_wald: the share of replications whose pre-trend test
// rejects at PreTrendAlpha), reps and the unit.
func WriteEvalSummaryCSV(w io.Writer, rows []EvalSummary) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(summaryHeader)
	for _, s := range rows {
		_ = cw.Write([]string{s.Outcome, s.Estimator, relField(s.HasRel, s.Rel), formatFloat(s.Mean), formatFloat(s.P5),
			formatFloat(s.P95), formatFloat(s.ShareSignificant), strconv.Itoa(s.Reps), evalUnit(s.Outcome, s.Estimator)})
	}
	cw.Flush()
	return cw.Error()
}

// Evaluation is a scenario's reform evaluated over replications: each replication's panel and
// estimates, in replication order.
type Evaluation struct {
	Scenario      ScenarioRecord
	Config        sim.Config
	TreatmentStep int
	Panels        []*Panel
	Estimates     [][]EvalEstimate
	// Counterfactuals are the paired runs the true effects are measured against.
	Counterfactuals []Counterfactual
	Notes           []string
	// Formats are the formats of the event-study figure, "png" and/or "svg"; empty means both.
	Formats []string
}

// EventFigureOutcomes are the outcomes drawn in the event-study figure; summary.csv has the
// event-study coefficients of every outcome.
var EventFigureOutcomes = []string{
	"growth", "gdp_per_capita", "own_revenue", "transfers_received", "transfers_kept",
	"misused_funds", "hidden_debt", "explicit_debt", "approval_days",
}

// EvaluationManifest is the content of the manifest.json of `evaluate`.
type EvaluationManifest struct {
	BatchHeader
	Months          int                    `json:"months"`
	StartYear       int                    `json:"start_year"`
	Scenario        ScenarioRecord         `json:"scenario"`
	TreatmentStep   int                    `json:"treatment_step"`
	Design          []string               `json:"design"`
	Counterfactuals []CounterfactualRecord `json:"counterfactuals"`
	EventWindow     [2]int                 `json:"event_window"`
	Outcomes        []OutcomeInfo          `json:"outcomes"`
	Notes           []string               `json:"notes"`
	Files           []FileInfo             `json:"files"`
}

// OutcomeInfo names a panel column and its unit.
type OutcomeInfo struct {
	Name      string `json:"name"`
	Unit      string `json:"unit"`
	Estimated bool   `json:"estimated"`
}

// evaluationDesign states the study design in words, for the manifest.
func evaluationDesign(step int) []string {
	return []string{
		"units: counties; periods: calendar years (every simulated year; the burn-in is not observed)",
		fmt.Sprintf("treatment: a county is treated from the first year whose last month finds it at PMC step %d or beyond; cohort = that year", step),
		"controls: counties that are never pilots (cohort 0); pilots that never reach the treatment step are left out",
		"twfe: static two-way fixed-effects DiD (county and year effects), SE clustered by county, 90% CI with t(G-1)",
		fmt.Sprintf("sa_event, sa_att: Sun and Abraham (2021) interaction-weighted event study over years since treatment %d..%d (reference -1), never-treated controls; sa_att averages the cohort effects over 0..%d", EventMinRel, EventMaxRel, EventMaxRel),
		"growth: ln(GDP at the year's end / GDP at the previous year's end), which equals the mean of the model's monthly growth rates over the year; 0.01 = one percentage point",
		"summary: mean, 5th and 95th percentiles (Hyndman-Fan type 7) of each estimate across replications, and the share of replications whose 90% CI excludes 0",
		fmt.Sprintf("pre-trends: pretrend_wald jointly tests the sa_event coefficients at years %d..-2 with their clustered covariance (chi-square); its share_significant is the share of replications rejecting at %.0f%%, far above %.0f%% means the treated counties were already drifting apart before treatment", EventMinRel, 100*PreTrendAlpha, 100*PreTrendAlpha),
		"logs: outcomes in yuan are also estimated in logs (ln_ outcomes), which compare proportional changes: pilots chosen for strength grow faster in yuan even without reform",
		"selection: pre_mean_treated and pre_mean_control compare treated and never-treated counties in the year before treatment (and their strength index)",
		"true effect: every replication is also run without the reform (same seed, same pilots: counterfactual.go); true_att_CF is each treated county against its own counterfactual, spillover_CF the effect on the never-treated controls; *_bias_CF = estimate - true_att_CF",
	}
}

// WriteEvaluation writes an evaluation into dir: panel.csv and panel.parquet (every
// replication, with replication and seed columns), estimates.csv, summary.csv, the
// event-study figure of EventFigureOutcomes (.png, .svg) and manifest.json. Files are moved into place only when
// all are written; on error or cancel nothing is left behind.
func WriteEvaluation(ctx context.Context, dir string, ev *Evaluation, meta EnsembleMeta) error {
	if len(ev.Panels) == 0 || len(ev.Panels) != len(ev.Estimates) || len(meta.Seeds) != len(ev.Panels) {
		return fmt.Errorf("results: evaluation of %d panels, %d estimate sets and %d seeds", len(ev.Panels), len(ev.Estimates), len(meta.Seeds))
	}
	o, err := newOutputs(ctx, dir, meta.Start)
	if err != nil {
		return err
	}
	if err := writeEvaluation(o, ev, meta); err != nil {
		o.discard()
		return err
	}
	return nil
}

func writeEvaluation(o *outputs, ev *Evaluation, meta EnsembleMeta) error {
	if err := o.write(PanelFile, func(w io.Writer) error { return WritePanelCSV(w, ev.Panels, meta.Seeds) }); err != nil {
		return err
	}
	if err := o.parquetOf(o.files[len(o.files)-1], PanelParquetFile, PanelParquetTypes()); err != nil {
		return err
	}
	var all []EvalEstimate
	for _, e := range ev.Estimates {
		all = append(all, e...)
	}
	if err := o.write(EstimatesFile, func(w io.Writer) error { return WriteEstimatesCSV(w, all) }); err != nil {
		return err
	}
	sum := SummariseEstimates(all)
	if err := o.write(EvalSummaryFile, func(w io.Writer) error { return WriteEvalSummaryCSV(w, sum) }); err != nil {
		return err
	}
	if err := o.write(DictionaryFile, func(w io.Writer) error { return writeDictionaryCSV(w, evaluationDictionary()) }); err != nil {
		return err
	}
	l := meta.Lang
	f := eventFigure(EventStudyFile, l.F("Event study: %s, treatment at PMC step %d", ev.Scenario.Name, ev.TreatmentStep), EventFigureOutcomes, 3)
	failed := PreTrendFailures(sum)
	f.note = PreTrendNote(l, failed)
	formats := ev.Formats
	if len(formats) == 0 {
		formats = []string{"png", "svg"}
	}
	for _, format := range formats {
		err := o.write(EventStudyFile+"."+format, func(w io.Writer) error {
			return renderIn(l, w, f, format, func(c draw.Canvas) {
				drawEventFigure(l, c, f, EventFigureOutcomes, all, len(ev.Panels), counterfactualNames(ev.Counterfactuals), failed)
			})
		})
		if err != nil {
			return err
		}
	}
	return o.commitEvaluation(meta, ev)
}

// parquetOf converts the finished CSV file src to a Parquet file name in the same outputs.
// The conversion reads the CSV under its final name (Parquet records the table's name in its
// schema), so the bytes do not depend on the temporary name.
func (o *outputs) parquetOf(src *pendingFile, name string, types map[string]ColumnType) error {
	if err := o.ctx.Err(); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(o.dir, "."+name+".build.")
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	defer os.RemoveAll(tmp)
	csvPath, build := filepath.Join(tmp, src.name), filepath.Join(tmp, name)
	if err := linkOrCopy(src.tmp, csvPath); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	if err := CSVToParquet(csvPath, build, types); err != nil {
		return fmt.Errorf("results: %s: %w", name, err)
	}
	return o.write(name, func(w io.Writer) error {
		f, err := os.Open(build)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(w, f)
		return err
	})
}

// linkOrCopy makes dst a hard link to src, or a copy where links are not supported.
func linkOrCopy(src, dst string) error {
	if os.Link(src, dst) == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func (o *outputs) commitEvaluation(meta EnsembleMeta, ev *Evaluation) error {
	end := time.Now()
	m := EvaluationManifest{
		BatchHeader: o.header(meta, end, len(ev.Panels)),
		Months:      ev.Config.Months, StartYear: ev.Config.StartYear, Scenario: ev.Scenario,
		TreatmentStep: ev.TreatmentStep, Design: evaluationDesign(ev.TreatmentStep),
		Counterfactuals: counterfactualRecords(ev.Counterfactuals),
		EventWindow:     [2]int{EventMinRel, EventMaxRel}, Notes: uniqueNotes(ev.Notes), Files: []FileInfo{},
	}
	if m.Notes == nil {
		m.Notes = []string{}
	}
	for _, c := range PanelColumns() {
		m.Outcomes = append(m.Outcomes, OutcomeInfo{Name: c.Name, Unit: c.Unit, Estimated: c.Estimate})
	}
	m.Files = o.fileInfos()
	return o.finish(m)
}

// displayScale returns the factor and unit an outcome is shown in on figures and in reports:
// growth in percentage points, everything else in the panel's unit.
func displayScale(outcome string) (float64, string) {
	if outcome == "growth" {
		return 100, "pp per year"
	}
	for _, c := range PanelColumns() {
		if c.Name == outcome {
			return 1, c.Unit
		}
	}
	return 1, ""
}

// eventPoint is one event time of an event study summarised across replications: the mean
// coefficient and the means of the replications' 90% CI bounds.
type eventPoint struct {
	rel             int
	coef, low, high float64
}

// eventPoints summarises the sa_event estimates of one outcome across replications.
func eventPoints(est []EvalEstimate, outcome string) []eventPoint {
	return eventPointsOf(est, outcome, EstSAEvent)
}

// eventPointsOf summarises the rows of one outcome and estimator by rel across replications.
func eventPointsOf(est []EvalEstimate, outcome, estimator string) []eventPoint {
	type acc struct {
		n               int
		coef, low, high float64
	}
	by := map[int]*acc{}
	for _, e := range est {
		if e.Outcome != outcome || e.Estimator != estimator {
			continue
		}
		a := by[e.Rel]
		if a == nil {
			a = &acc{}
			by[e.Rel] = a
		}
		a.n++
		a.coef += e.Coef
		a.low += e.CI90Low
		a.high += e.CI90High
	}
	var out []eventPoint
	for rel := EventMinRel; rel <= EventMaxRel; rel++ {
		if a := by[rel]; a != nil {
			n := float64(a.n)
			out = append(out, eventPoint{rel, a.coef / n, a.low / n, a.high / n})
		}
	}
	return out
}

// eventFigure lays out one event-study chart per outcome in cols columns.
func eventFigure(name, title string, outcomes []string, cols int) figure {
	f := figure{name: name, title: title, cols: min(cols, max(len(outcomes), 1))}
	for _, o := range outcomes {
		f.panels = append(f.panels, panel{title: o})
	}
	return f
}

var (
	eventColor = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	zeroLine   = draw.LineStyle{Color: color.Gray{Y: 0x60}, Width: vg.Points(0.7)}
)

// PreTrendFailure is an outcome whose joint pre-trend test rejects at PreTrendAlpha in more
// than twice that share of the replications (Share): its DiD estimates are not credible.
type PreTrendFailure struct {
	Outcome string
	Share   float64
}

// PreTrendFailures returns the outcomes of sum whose pre-trend test fails, in sum's order.
func PreTrendFailures(sum []EvalSummary) []PreTrendFailure {
	var out []PreTrendFailure
	for _, row := range sum {
		if row.Estimator == EstPreTrend && row.ShareSignificant > 2*PreTrendAlpha {
			out = append(out, PreTrendFailure{row.Outcome, row.ShareSignificant})
		}
	}
	return out
}

// preTrendFails reports whether outcome is among failed.
func preTrendFails(failed []PreTrendFailure, outcome string) bool {
	return slices.ContainsFunc(failed, func(f PreTrendFailure) bool { return f.Outcome == outcome })
}

// PreTrendNote is the sentence, in l, that names the outcomes whose pre-trend test fails
// (empty when none does): under event-study figures, in reports and in the printed summary.
func PreTrendNote(l Lang, failed []PreTrendFailure) string {
	if len(failed) == 0 {
		return ""
	}
	var names []string
	for _, f := range failed {
		names = append(names, l.F("%s (%.0f%%)", l.MetricName(f.Outcome), 100*f.Share))
	}
	return l.F("PRE-TREND: the joint pre-trend test rejects at 10%% in more than 20%% of runs for %s; the DiD estimates of these outcomes are not credible (compare with the true effects)",
		strings.Join(names, l.sep()))
}

// preTrendFlagColor marks the title of an event study whose pre-trend test fails.
var preTrendFlagColor = color.RGBA{R: 0xb4, G: 0x23, B: 0x18, A: 0xff}

// flagPreTrend marks chart p as failing its pre-trend test: the title says so, in red.
func flagPreTrend(l Lang, p *plot.Plot) {
	p.Title.Text = l.F("%s (pre-trend test fails)", p.Title.Text)
	p.Title.TextStyle.Color = preTrendFlagColor
}

// eventChart draws one event study: the mean coefficient by years since treatment with the
// mean 90% confidence band, zero and the treatment date marked.
func eventChart(title string, pts []eventPoint, scale float64, unit string, col color.Color) *plot.Plot {
	return eventChartIn(English, title, pts, scale, unit, col)
}

// eventChartIn is eventChart with its words in l.
func eventChartIn(l Lang, title string, pts []eventPoint, scale float64, unit string, col color.Color) *plot.Plot {
	p := newChartIn(l, title, unit)
	p.X.Label.Text = l.T("years since treatment")
	b := band{}
	for _, e := range pts {
		b.x = append(b.x, float64(e.rel))
		b.mean = append(b.mean, scale*e.coef)
		b.lo = append(b.lo, scale*e.low)
		b.hi = append(b.hi, scale*e.high)
	}
	addBand(p, b, translucent(col))
	addMean(p, b, draw.LineStyle{Color: col, Width: vg.Points(1.4)})
	if xy := pointsOf(b); len(xy) > 0 {
		if s, err := plotter.NewScatter(xy); err == nil {
			s.GlyphStyle.Color = col
			s.GlyphStyle.Radius = vg.Points(2)
			p.Add(s)
		}
	}
	if l, err := plotter.NewLine(plotter.XYs{{X: EventMinRel - 0.5, Y: 0}, {X: EventMaxRel + 0.5, Y: 0}}); err == nil {
		l.LineStyle = zeroLine
		p.Add(l)
	}
	if p.Y.Min > 0 {
		p.Y.Min = 0
	}
	if p.Y.Max < 0 {
		p.Y.Max = 0
	}
	frameChartIn(l, p, EventMinRel-0.5, EventMaxRel+0.5, []marker{{x: -0.5, label: l.T("treatment")}})
	return p
}

func pointsOf(b band) plotter.XYs {
	var xy plotter.XYs
	for i := range b.x {
		if finite(b.mean[i]) {
			xy = append(xy, plotter.XY{X: b.x[i], Y: b.mean[i]})
		}
	}
	return xy
}

// Colours of the true effects drawn beside the estimates, by counterfactual.
var trueColors = map[string]color.Color{
	CFNoReform: color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	CFStepOff:  color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
}

func trueLine(cf string) draw.LineStyle {
	return draw.LineStyle{Color: trueColors[cf], Width: vg.Points(1.4), Dashes: []vg.Length{vg.Points(4), vg.Points(2)}}
}

// addTruth draws the mean true effect on the treated by years since treatment as a dashed line.
func addTruth(p *plot.Plot, pts []eventPoint, scale float64, cf string) {
	b := band{}
	for _, e := range pts {
		b.x, b.mean = append(b.x, float64(e.rel)), append(b.mean, scale*e.coef)
	}
	addMean(p, b, trueLine(cf))
}

func counterfactualNames(cfs []Counterfactual) []string {
	var out []string
	for _, c := range cfs {
		out = append(out, c.Name)
	}
	return out
}

// Labels of the event figures' legends, in one place for translation.
var (
	LabelMeanCoefficient = "mean estimate (Sun-Abraham) of %d runs"
	LabelBand            = "band: mean 90% confidence interval"
	LabelTreatment       = "treatment starts"
	LabelTrueMarker      = "triangle: true effect on the treated (against no reform), mean of the runs"
	LabelTrueEffect      = map[string]string{
		CFNoReform: "true effect on the treated (against no reform)",
		CFStepOff:  "true effect on the treated (against the step switched off)",
	}
)

// drawEventFigure draws the event studies of outcomes from the estimates of reps replications,
// with the true effects against the counterfactuals cfs on the same axes, in l; the charts of
// the outcomes in failed say in their title that the pre-trend test fails.
func drawEventFigure(l Lang, c draw.Canvas, f figure, outcomes []string, est []EvalEstimate, reps int, cfs []string, failed []PreTrendFailure) {
	charts := make([]*plot.Plot, len(outcomes))
	for i, o := range outcomes {
		scale, unit := displayScale(o)
		charts[i] = eventChartIn(l, l.MetricName(o), eventPoints(est, o), scale, unit, eventColor)
		for _, cf := range cfs {
			addTruth(charts[i], eventPointsOf(est, o, EstTrueEvent+cf), scale, cf)
		}
		if preTrendFails(failed, o) {
			flagPreTrend(l, charts[i])
		}
	}
	legend := eventLegendIn(l, reps, cfs)
	drawTiledIn(l, c, f, charts, legend)
}

// eventLegendWith is the legend of event figures with the true effects of cfs.
func eventLegendWith(reps int, cfs []string) []legendEntry { return eventLegendIn(English, reps, cfs) }

// eventLegendIn is eventLegendWith in l.
func eventLegendIn(l Lang, reps int, cfs []string) []legendEntry {
	out := []legendEntry{
		{label: l.F(LabelMeanCoefficient, reps), line: draw.LineStyle{Color: eventColor, Width: vg.Points(1.4)}},
		{label: l.T(LabelBand), band: translucent(eventColor)},
	}
	for _, cf := range cfs {
		out = append(out, legendEntry{label: l.T(LabelTrueEffect[cf]), line: trueLine(cf)})
	}
	return append(out, legendEntry{label: l.T(LabelTreatment), line: markerLine})
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

// uniqueNotes returns the distinct notes in order of first appearance.
func uniqueNotes(notes []string) []string {
	var out []string
	for _, n := range notes {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
