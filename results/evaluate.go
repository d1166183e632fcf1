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

// Estimator names in estimates.csv and summary.csv.
const (
	EstTWFE    = "twfe"     // static TWFE DiD, all years
	EstSAATT   = "sa_att"   // Sun-Abraham ATT over 0..EventMaxRel
	EstSAEvent = "sa_event" // Sun-Abraham event-study coefficient at rel
)

// ErrNoTreatedCounties is returned when no county of a panel reaches the treatment step.
var ErrNoTreatedCounties = errors.New("no county reaches the treatment step within the horizon")

// EvalEstimate is one estimate of one replication: a row of estimates.csv.
type EvalEstimate struct {
	Replication int
	Outcome     string
	Estimator   string
	Rel         int  // event time (sa_event only)
	HasRel      bool // false: rel is empty
	Coef, SE    float64
	CI90Low     float64
	CI90High    float64
	N           int // observations (twfe, sa_att) or treated observations at rel (sa_event)
}

// Significant reports whether the estimate's 90% confidence interval excludes 0.
func (e EvalEstimate) Significant() bool { return e.CI90Low > 0 || e.CI90High < 0 }

// DIDPanel returns column k of p as a did.Panel over the counties keep accepts (all if keep
// is nil): treated counties with their first treated year as cohort, controls with cohort 0.
// Pilots that never reach the treatment step are left out: they are neither treated nor
// untouched by the reform.
func (p *Panel) DIDPanel(k int, keep func(i int) bool) did.Panel {
	var d did.Panel
	for i, c := range p.Counties {
		if keep != nil && !keep(i) {
			continue
		}
		cohort := p.FirstTreatedYear(i)
		if cohort == 0 && !p.IsControl(i) {
			continue
		}
		for y := range p.Years {
			d.Unit = append(d.Unit, c.ID)
			d.Period = append(d.Period, p.Year(y))
			d.Cohort = append(d.Cohort, cohort)
			d.Y = append(d.Y, p.Value(i, y, k))
		}
	}
	return d
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

// OutcomeFit is the estimates of one outcome on one panel.
type OutcomeFit struct {
	TWFE  did.Estimate
	Event []did.EventCoef
	ATT   did.Estimate
}

// FitOutcome estimates the effect of treatment on column k of p over the counties keep accepts
// (nil: all): TWFE and the Sun-Abraham event study and ATT over the event window.
func FitOutcome(p *Panel, k int, keep func(i int) bool) (OutcomeFit, error) {
	return fitDID(p.DIDPanel(k, keep))
}

// fitDID estimates TWFE and the Sun-Abraham event study and ATT on d.
func fitDID(d did.Panel) (OutcomeFit, error) {
	var f OutcomeFit
	var err error
	if f.TWFE, err = did.TWFE(d); err != nil {
		return f, err
	}
	f.Event, f.ATT, err = did.SunAbraham(d, EventMinRel, EventMaxRel)
	return f, err
}

// EstimatePanel estimates every outcome of p marked Estimate (PanelColumns) and returns the
// rows of estimates.csv for replication rep, in column order: twfe, sa_att, then sa_event by
// rel. An outcome that cannot be estimated (say, one that does not vary) is skipped with a
// note; a panel with no treated county is an error.
func EstimatePanel(p *Panel, rep int) ([]EvalEstimate, []string, error) {
	if p.Treated() == 0 {
		return nil, nil, fmt.Errorf("replication %d: %w (treatment step %d)", rep, ErrNoTreatedCounties, p.TreatmentStep)
	}
	var out []EvalEstimate
	var notes []string
	for k, col := range p.Columns {
		if !col.Estimate {
			continue
		}
		f, err := FitOutcome(p, k, nil)
		if err != nil {
			notes = append(notes, fmt.Sprintf("%s: not estimated: %v", col.Name, err))
			continue
		}
		row := func(est string, e did.Estimate) EvalEstimate {
			return EvalEstimate{Replication: rep, Outcome: col.Name, Estimator: est,
				Coef: e.Coef, SE: e.SE, CI90Low: e.CI90Low, CI90High: e.CI90High, N: e.N}
		}
		out = append(out, row(EstTWFE, f.TWFE), row(EstSAATT, f.ATT))
		for _, c := range f.Event {
			out = append(out, EvalEstimate{Replication: rep, Outcome: col.Name, Estimator: EstSAEvent,
				Rel: c.Rel, HasRel: true, Coef: c.Coef, SE: c.SE, CI90Low: c.CI90Low, CI90High: c.CI90High, N: c.N})
		}
	}
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
// empty for twfe and sa_att), coef, se, ci90_low, ci90_high, n. Outcomes are in the units of
// panel.csv (growth as a log rate per year: 0.01 is one percentage point).
func WriteEstimatesCSV(w io.Writer, est []EvalEstimate) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"replication", "outcome", "estimator", "rel", "coef", "se", "ci90_low", "ci90_high", "n"})
	for _, e := range est {
		_ = cw.Write([]string{strconv.Itoa(e.Replication), e.Outcome, e.Estimator, relField(e.HasRel, e.Rel),
			formatFloat(e.Coef), formatFloat(e.SE), formatFloat(e.CI90Low), formatFloat(e.CI90High), strconv.Itoa(e.N)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteEvalSummaryCSV writes summary.csv: outcome, estimator, rel, mean, p5, p95,
// share_significant, reps and the outcome's unit.
func WriteEvalSummaryCSV(w io.Writer, rows []EvalSummary) error {
	units := map[string]string{}
	for _, c := range PanelColumns() {
		units[c.Name] = c.Unit
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"outcome", "estimator", "rel", "mean", "p5", "p95", "share_significant", "reps", "unit"})
	for _, s := range rows {
		_ = cw.Write([]string{s.Outcome, s.Estimator, relField(s.HasRel, s.Rel), formatFloat(s.Mean), formatFloat(s.P5),
			formatFloat(s.P95), formatFloat(s.ShareSignificant), strconv.Itoa(s.Reps), units[s.Outcome]})
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
	Notes         []string
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
	Months        int            `json:"months"`
	StartYear     int            `json:"start_year"`
	Scenario      ScenarioRecord `json:"scenario"`
	TreatmentStep int            `json:"treatment_step"`
	Design        []string       `json:"design"`
	EventWindow   [2]int         `json:"event_window"`
	Outcomes      []OutcomeInfo  `json:"outcomes"`
	Notes         []string       `json:"notes"`
	Files         []FileInfo     `json:"files"`
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
	f := eventFigure(EventStudyFile, fmt.Sprintf("Event study: %s, treatment at PMC step %d", ev.Scenario.Name, ev.TreatmentStep), EventFigureOutcomes, 3)
	formats := ev.Formats
	if len(formats) == 0 {
		formats = []string{"png", "svg"}
	}
	for _, format := range formats {
		err := o.write(EventStudyFile+"."+format, func(w io.Writer) error {
			return render(w, f, format, func(c draw.Canvas) { drawEventFigure(c, f, EventFigureOutcomes, all, len(ev.Panels)) })
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
		EventWindow: [2]int{EventMinRel, EventMaxRel}, Notes: uniqueNotes(ev.Notes), Files: []FileInfo{},
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
	type acc struct {
		n               int
		coef, low, high float64
	}
	by := map[int]*acc{}
	for _, e := range est {
		if e.Outcome != outcome || e.Estimator != EstSAEvent {
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

// eventChart draws one event study: the mean coefficient by years since treatment with the
// mean 90% confidence band, zero and the treatment date marked.
func eventChart(title string, pts []eventPoint, scale float64, unit string, col color.Color) *plot.Plot {
	p := newChart(title, unit)
	p.X.Label.Text = "years since treatment"
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
	frameChart(p, EventMinRel-0.5, EventMaxRel+0.5, []marker{{x: -0.5, label: "treatment"}})
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

// drawEventFigure draws the event studies of outcomes from the estimates of reps replications.
func drawEventFigure(c draw.Canvas, f figure, outcomes []string, est []EvalEstimate, reps int) {
	charts := make([]*plot.Plot, len(outcomes))
	for i, o := range outcomes {
		scale, unit := displayScale(o)
		charts[i] = eventChart(o, eventPoints(est, o), scale, unit, eventColor)
	}
	legend := []legendEntry{
		{label: fmt.Sprintf("mean coefficient of %d runs", reps), line: draw.LineStyle{Color: eventColor, Width: vg.Points(1.4)}},
		{label: "band: mean 90% confidence interval", band: translucent(eventColor)},
		{label: "treatment starts", line: markerLine},
	}
	drawTiled(c, f, charts, legend)
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
