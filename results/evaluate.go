package results

import (
	"context"
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
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

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/results/did"
	"github.com/countysim/countysim/sim"
)

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
// pre-trend test's and the wild cluster bootstraps' p-values); empty fields where a value does
// not apply. Outcomes are in the
// units of panel.csv (growth as a log rate per year: 0.01 is one percentage point); ln_
// outcomes in log points. dictionary.csv explains every column and estimator.
func WriteEstimatesCSV(w io.Writer, est []observe.EvalEstimate) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(estimatesHeader)
	for _, e := range est {
		p := ""
		switch e.Estimator {
		case observe.EstPreTrend, observe.EstTWFEWCR, observe.EstSAATTWCR, observe.EstPreTrendWCR:
			p = formatFloat(e.P)
		}
		_ = cw.Write([]string{strconv.Itoa(e.Replication), e.Outcome, e.Estimator, relField(e.HasRel, e.Rel),
			formatFloat(e.Coef), formatFloat(e.SE), formatFloat(e.CI90Low), formatFloat(e.CI90High), strconv.Itoa(e.N), p})
	}
	cw.Flush()
	return cw.Error()
}

// WriteEvalSummaryCSV writes summary.csv: outcome, estimator, rel, mean, p5, p95,
// share_significant (for pretrend_wald and pretrend_wcr: the share of replications whose
// pre-trend test rejects at PreTrendAlpha; for twfe_wcr and sa_att_wcr: whose bootstrap test
// rejects at WCRAlpha), reps, the unit and a note (subsetNote) on rows computed in fewer than
// all replications.
func WriteEvalSummaryCSV(w io.Writer, rows []observe.EvalSummary) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(summaryHeader)
	for _, s := range rows {
		_ = cw.Write([]string{s.Outcome, s.Estimator, relField(s.HasRel, s.Rel), formatFloat(s.Mean), formatFloat(s.P5),
			formatFloat(s.P95), formatFloat(s.ShareSignificant), strconv.Itoa(s.Reps), evalUnit(s.Outcome, s.Estimator), subsetNote(s)})
	}
	cw.Flush()
	return cw.Error()
}

// subsetNote marks a summary row computed in fewer replications than the evaluation ran: its
// mean, percentiles and share are over those only, a subset selected by whatever kept the
// others from computing it (a log outcome is estimated only where every value is positive).
// Empty when every replication computed it.
func subsetNote(s observe.EvalSummary) string {
	switch {
	case s.Reps >= s.Of:
		return ""
	case s.Reps == 0:
		return fmt.Sprintf("computed in none of the %d replications", s.Of)
	}
	return fmt.Sprintf("over %d of %d replications only: a subset selected by what kept the others from computing it (the manifest's notes say what)", s.Reps, s.Of)
}

// Evaluation is a scenario's reform evaluated over replications: each replication's panel and
// estimates, in replication order.
type Evaluation struct {
	Scenario      observe.ScenarioRecord
	Config        sim.Config
	TreatmentStep int
	Panels        []*observe.Panel
	Estimates     [][]observe.EvalEstimate
	// Counterfactuals are the paired runs the true effects are measured against.
	Counterfactuals []observe.Counterfactual
	Notes           []string
	// Formats are the formats of the event-study figure, "png" and/or "svg"; empty means both.
	Formats []string
	// BootDraws is the number of wild cluster bootstrap draws of each test of the *_wcr rows
	// (0: none).
	BootDraws int
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
	Scenario        observe.ScenarioRecord `json:"scenario"`
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

// evaluationDesign states the study design in words, for the manifest (boot: the wild
// bootstrap's draws, 0 for none).
func evaluationDesign(step, boot int) []string {
	wcr := "twfe_wcr, sa_att_wcr, pretrend_wcr: none (--boot-draws 0)"
	if boot > 0 {
		wcr = fmt.Sprintf("twfe_wcr, sa_att_wcr, pretrend_wcr: wild cluster restricted bootstrap of the twfe coefficient, of the Sun-Abraham ATT and of the pre-trend test (Cameron, Gelbach and Miller 2008; Roodman et al. 2019), %d draws of one weight per county for each (Rademacher; Webb's six-point below %d counties), the null imposed (for sa_att and the pre-trend test by restricted least squares: ATT = b0, every pre-period coefficient 0), re-estimated with county and year effects and the same clustered standard errors; twfe_wcr, sa_att_wcr: p = (1 + draws with |t*| >= |t|)/(draws + 1), ci90 = the values b0 around the estimate whose test of b0 has p > %g (test inversion); pretrend_wcr: p = (1 + draws whose Wald statistic, with its clustered covariance recomputed, is at least the sample's)/(draws + 1); weights from a generator seeded by the replication's seed, the outcome's name and the test's. With few treated counties the clustered tests over-reject and these p-values are the ones to read (the PRE-TREND warning reads pretrend_wcr); with 3 or fewer treated counties, or 2 or fewer in a cohort for sa_att_wcr and pretrend_wcr, they are unreliable too (MacKinnon and Webb 2018; results/did's Monte Carlos)", boot, did.WebbBelow, observe.WCRAlpha)
	}
	return []string{
		"units: counties; periods: calendar years (every simulated year; the burn-in is not observed)",
		fmt.Sprintf("treatment: a county is treated from the first year whose last month finds it at PMC step %d or beyond; cohort = that year", step),
		"controls: counties that are never pilots (cohort 0); pilots that never reach the treatment step are left out",
		"twfe: static two-way fixed-effects DiD (county and year effects), SE clustered by county, 90% CI with t(G-1)",
		wcr,
		fmt.Sprintf("sa_event, sa_att: Sun and Abraham (2021) interaction-weighted event study over years since treatment %d..%d (reference -1), never-treated controls; sa_att averages the cohort effects over 0..%d", observe.EventMinRel, observe.EventMaxRel, observe.EventMaxRel),
		"growth: ln(GDP at the year's end / GDP at the previous year's end), which equals the mean of the model's monthly growth rates over the year; 0.01 = one percentage point",
		"summary: mean, 5th and 95th percentiles (Hyndman-Fan type 7) of each estimate across the replications that computed it (reps; the note column marks a row computed in fewer than all), and the share of them whose 90% CI excludes 0 (whose test rejects at 10%, for pretrend_wald and the *_wcr rows)",
		fmt.Sprintf("pre-trends: pretrend_wald jointly tests the sa_event coefficients at years %d..-2 with their clustered covariance (chi-square), pretrend_wcr the same statistic by the wild cluster bootstrap; their share_significant is the share of replications rejecting at %.0f%%, far above %.0f%% means the treated counties were already drifting apart before treatment; the PRE-TREND warning (more than %.0f%%) reads pretrend_wcr where there is one, pretrend_wald otherwise", observe.EventMinRel, 100*observe.PreTrendAlpha, 100*observe.PreTrendAlpha, 200*observe.PreTrendAlpha),
		"logs: outcomes in yuan are also estimated in logs (ln_ outcomes), which compare proportional changes: pilots chosen for strength grow faster in yuan even without reform",
		"selection: pre_mean_treated and pre_mean_control compare treated and never-treated counties in the year before treatment (and their strength, GDP per capita relative to the typical county)",
		"true effect: every replication is also run without the reform (same seed, same pilots: observe/counterfactual.go); true_att_CF is each treated county against its own counterfactual, spillover_CF the effect on the never-treated controls; *_bias_CF = estimate - true_att_CF",
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
	var all []observe.EvalEstimate
	for _, e := range ev.Estimates {
		all = append(all, e...)
	}
	if err := o.write(EstimatesFile, func(w io.Writer) error { return WriteEstimatesCSV(w, all) }); err != nil {
		return err
	}
	sum := observe.SummariseEstimates(all)
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
	if err := o.writeDraws(meta); err != nil {
		return err
	}
	end := time.Now()
	m := EvaluationManifest{
		BatchHeader: o.header(meta, end, len(ev.Panels)),
		Months:      ev.Config.Months, StartYear: ev.Config.StartYear, Scenario: ev.Scenario,
		TreatmentStep: ev.TreatmentStep, Design: evaluationDesign(ev.TreatmentStep, ev.BootDraws),
		Counterfactuals: counterfactualRecords(ev.Counterfactuals),
		EventWindow:     [2]int{observe.EventMinRel, observe.EventMaxRel}, Notes: uniqueNotes(ev.Notes), Files: []FileInfo{},
	}
	if m.Notes == nil {
		m.Notes = []string{}
	}
	for _, c := range observe.PanelColumns() {
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
	for _, c := range observe.PanelColumns() {
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
func eventPoints(est []observe.EvalEstimate, outcome string) []eventPoint {
	return eventPointsOf(est, outcome, observe.EstSAEvent)
}

// eventPointsOf summarises the rows of one outcome and estimator by rel across replications.
func eventPointsOf(est []observe.EvalEstimate, outcome, estimator string) []eventPoint {
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
	for rel := observe.EventMinRel; rel <= observe.EventMaxRel; rel++ {
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
// than twice that share of the replications (Share): its DiD estimates are not credible. The
// test is the wild cluster bootstrap's (pretrend_wcr) where evaluate ran it, the clustered Wald
// test (pretrend_wald) otherwise.
type PreTrendFailure struct {
	Outcome string
	Share   float64 // the share of the replications whose test rejects
	// Boot reports whether Share is the bootstrap's; Clustered is then the clustered Wald
	// test's share, reported beside it.
	Boot      bool
	Clustered float64
	// Runs is the number of replications that estimated the outcome's test, Of the most any
	// outcome's was estimated in (the evaluation's replications): a share over fewer runs is
	// said with its count.
	Runs, Of int
}

// PreTrendFailures returns the outcomes of sum whose pre-trend test fails, in sum's order: by
// the bootstrap (pretrend_wcr) where sum has it for the outcome, by the clustered Wald test
// (pretrend_wald) otherwise.
func PreTrendFailures(sum []observe.EvalSummary) []PreTrendFailure {
	boot := map[string]float64{}
	of := 0
	for _, row := range sum {
		if row.Estimator == observe.EstPreTrendWCR && row.Reps > 0 {
			boot[row.Outcome] = row.ShareSignificant
		}
		of = max(of, row.Reps)
	}
	var out []PreTrendFailure
	for _, row := range sum {
		if row.Estimator != observe.EstPreTrend {
			continue
		}
		f := PreTrendFailure{Outcome: row.Outcome, Share: row.ShareSignificant, Runs: row.Reps, Of: of}
		if b, ok := boot[row.Outcome]; ok {
			f = PreTrendFailure{Outcome: row.Outcome, Share: b, Boot: true, Clustered: row.ShareSignificant, Runs: row.Reps, Of: of}
		}
		if f.Share > 2*observe.PreTrendAlpha {
			out = append(out, f)
		}
	}
	return out
}

// preTrendFails reports whether outcome is among failed.
func preTrendFails(failed []PreTrendFailure, outcome string) bool {
	return slices.ContainsFunc(failed, func(f PreTrendFailure) bool { return f.Outcome == outcome })
}

// PreTrendNote is the sentence, in l, that names the outcomes whose pre-trend test fails
// (empty when none does), and which test says so: under event-study figures, in reports and in
// the printed summary.
func PreTrendNote(l Lang, failed []PreTrendFailure) string {
	if len(failed) == 0 {
		return ""
	}
	boot := slices.ContainsFunc(failed, func(f PreTrendFailure) bool { return f.Boot })
	var names []string
	for _, f := range failed {
		name := l.MetricName(f.Outcome)
		share := l.F("%.0f%%", 100*f.Share)
		switch { // a share over fewer runs than the others: said with their count
		case f.Runs == 1 && f.Of > 1:
			share = l.F("%.0f%% of the one run that estimated it", 100*f.Share)
		case f.Runs < f.Of:
			share = l.F("%.0f%% of the %d runs that estimated it", 100*f.Share, f.Runs)
		}
		switch {
		case f.Boot:
			names = append(names, l.F("%s (%s; clustered %.0f%%)", name, share, 100*f.Clustered))
		case boot: // an outcome without the bootstrap among outcomes with it: its test named
			names = append(names, l.F("%s (clustered %s)", name, share))
		default:
			names = append(names, l.F("%s (%s)", name, share))
		}
	}
	if boot {
		return l.F("PRE-TREND: the wild cluster bootstrap of the joint pre-trend test (pretrend_wcr) rejects at 10%% in more than 20%% of runs for %s (the second share: the clustered Wald test's); the DiD estimates of these outcomes are not credible (compare with the true effects)",
			strings.Join(names, l.Sep()))
	}
	return l.F("PRE-TREND: the joint pre-trend test rejects at 10%% in more than 20%% of runs for %s; the DiD estimates of these outcomes are not credible (compare with the true effects)",
		strings.Join(names, l.Sep()))
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
	if l, err := plotter.NewLine(plotter.XYs{{X: observe.EventMinRel - 0.5, Y: 0}, {X: observe.EventMaxRel + 0.5, Y: 0}}); err == nil {
		l.LineStyle = zeroLine
		p.Add(l)
	}
	if p.Y.Min > 0 {
		p.Y.Min = 0
	}
	if p.Y.Max < 0 {
		p.Y.Max = 0
	}
	frameChartIn(l, p, observe.EventMinRel-0.5, observe.EventMaxRel+0.5, []marker{{x: -0.5, label: l.T("treatment")}})
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
	observe.CFNoReform: color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	observe.CFStepOff:  color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
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

func counterfactualNames(cfs []observe.Counterfactual) []string {
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
		observe.CFNoReform: "true effect on the treated (against no reform)",
		observe.CFStepOff:  "true effect on the treated (against the step switched off)",
	}
)

// drawEventFigure draws the event studies of outcomes from the estimates of reps replications,
// with the true effects against the counterfactuals cfs on the same axes, in l; the charts of
// the outcomes in failed say in their title that the pre-trend test fails.
func drawEventFigure(l Lang, c draw.Canvas, f figure, outcomes []string, est []observe.EvalEstimate, reps int, cfs []string, failed []PreTrendFailure) {
	charts := make([]*plot.Plot, len(outcomes))
	for i, o := range outcomes {
		scale, unit := displayScale(o)
		charts[i] = eventChartIn(l, l.MetricName(o), eventPoints(est, o), scale, unit, eventColor)
		for _, cf := range cfs {
			addTruth(charts[i], eventPointsOf(est, o, observe.EstTrueEvent+cf), scale, cf)
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
