package results

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	htmltemplate "html/template"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/targets"
)

// ValidationFile is the table of every measured figure of the validation.
const ValidationFile = "validation.csv"

// ValidationManifest is the content of the manifest.json of `evaluate --validate`.
type ValidationManifest struct {
	BatchHeader
	Scenarios []observe.ScenarioRecord `json:"scenarios"`
	Design    []string                 `json:"design"`
	Targets   []TargetVerdict          `json:"targets"`
	Files     []FileInfo               `json:"files"`
}

// valReport draws the figures of a validation from its data.
type valReport struct {
	*targets.ValData
	lang Lang // of the figures' words
}

// TargetVerdict is one target's verdict in the manifest.
type TargetVerdict struct {
	ID       string `json:"id"`
	Verdict  string `json:"verdict"`
	Strength string `json:"strength"`
	Placebo  string `json:"placebo"`
	Rule     string `json:"rule"`
	Problem  string `json:"problem,omitempty"`
}

// WriteValidation measures and decides every target on in (targets.Check) and writes into dir:
// report.md and report.html (the figures embedded in the HTML as base64 PNGs, and written
// beside it as validation-T*.png), validation.csv (every figure: target, key, label, unit,
// reps, mean, p5, p95) and manifest.json. Files are moved into place only when all are
// written; on error or cancel nothing is left behind.
func WriteValidation(ctx context.Context, dir string, in *targets.Input, meta EnsembleMeta) ([]targets.TargetResult, error) {
	res, err := targets.Check(in)
	if err != nil {
		return nil, err
	}
	vd, _ := targets.NewValData(in) // validated by targets.Check
	d := valReport{ValData: vd}
	figs, err := validationFigures(d, meta.Lang)
	if err != nil {
		return nil, err
	}
	o, err := newOutputs(ctx, dir, meta.Start)
	if err != nil {
		return nil, err
	}
	if err := writeValidation(o, in, res, figs, meta); err != nil {
		o.discard()
		return nil, err
	}
	return res, nil
}

func writeValidation(o *outputs, in *targets.Input, res []targets.TargetResult, figs map[string]valFigure, meta EnsembleMeta) error {
	if err := o.write(ValidationFile, func(w io.Writer) error { return writeValidationCSV(w, res) }); err != nil {
		return err
	}
	for _, t := range res {
		if f, ok := figs[t.ID]; ok {
			if err := o.write(f.File, func(w io.Writer) error { _, err := w.Write(f.PNG); return err }); err != nil {
				return err
			}
		}
	}
	rep := newValidationReport(in, res, figs, meta)
	if err := o.write(ReportMarkdownFile, func(w io.Writer) error { return validationMarkdown.Execute(w, rep) }); err != nil {
		return err
	}
	if err := o.write(ReportHTMLFile, func(w io.Writer) error { return validationHTML.Execute(w, rep) }); err != nil {
		return err
	}
	end := time.Now()
	m := ValidationManifest{
		BatchHeader: o.header(meta, end, len(in.Panels[0])),
		Scenarios:   in.Scenarios, Design: validationDesign(), Files: []FileInfo{},
	}
	for _, t := range res {
		m.Targets = append(m.Targets, TargetVerdict{ID: t.ID, Verdict: t.Verdict(), Strength: t.Strength.String(), Placebo: t.PlaceboVerdict(), Rule: t.Rule, Problem: t.Problem})
	}
	m.Files = o.fileInfos()
	return o.finish(m)
}

// shownCI is the 90% interval of a figure's mean as the report and validation.csv show it:
// a share of replications (each 0 or 1) cut to [0, 1], where its mean lies (the t interval of
// 1 rejection in 4 replications reached -0.34 and 1.18). The rules grade the interval as
// computed (targets.tfig); those on shares of replications read the share alone (holds).
func shownCI(f targets.TargetFigure) (lo, hi float64) {
	lo, hi = f.Lo, f.Hi
	if f.Unit == "share" && strings.Contains(f.Label, "share of replications") {
		lo, hi = math.Max(lo, 0), math.Min(hi, 1)
	}
	return lo, hi
}

func lo(f targets.TargetFigure) float64 { l, _ := shownCI(f); return l }
func hi(f targets.TargetFigure) float64 { _, h := shownCI(f); return h }

func writeValidationCSV(w io.Writer, res []targets.TargetResult) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"target", "verdict", "placebo", "figure", "label", "unit", "reps", "mean", "p5", "p95", "mean_ci90_low", "mean_ci90_high"})
	for _, t := range res {
		for _, f := range t.Figures {
			_ = cw.Write([]string{t.ID, t.Verdict(), t.PlaceboVerdict(), f.Key, f.Label, f.Unit, strconv.Itoa(f.N),
				formatFloat(f.Mean), formatFloat(f.P5), formatFloat(f.P95), formatFloat(lo(f)), formatFloat(hi(f))})
		}
	}
	cw.Flush()
	return cw.Error()
}

// validationDesign states the validation's design in words, for the manifest (in English).
func validationDesign() []string { return validationDesignIn(English) }

// validationDesignIn is validationDesign in l, for the report.
func validationDesignIn(l Lang) []string {
	return []string{
		l.T("units: counties; periods: calendar years (every simulated year; the burn-in is not observed)"),
		l.T("treatment: a county is treated from the first year whose last month finds it at the treatment step: step 1 for every PMC scenario (the programme as a whole against city-managed counties), step 3 for eval-henan-path (full PMC after the fiscal stage, as the Henan study measured it); never-pilots are the controls, pilots that never reach the step are left out"),
		l.F("DiD: the Sun and Abraham (2021) ATT over years since treatment 0..%d (window %d..%d), robust to staggered adoption with effects that change over time; the static TWFE DiD is reported beside it for T1", observe.EventMaxRel, observe.EventMinRel, observe.EventMaxRel),
		l.T("true effect: every paired scenario is run again on the same seeds with the reform switched off (observe/counterfactual.go: PMC step dates set to never with the same pilots; devolution levers at 0; approval cuts at 0); the runs are identical until the reform starts (a unit test checks this), so the difference is the reform's effect. The true ATT averages it over the treated counties' years 0..8 since treatment, the spillover over the never-treated controls"),
		l.F("pre-trend test: a joint Wald test that the event-study coefficients of years %d..-2 are all 0, with their county-clustered covariance (chi-square); a figure 'pre-trend rejections' is the share of replications rejecting at 10%%", observe.EventMinRel),
		l.T("placebos: (a) fiscal PMC with no fiscal content (eval-placebo-fiscal), (b) treatment dated four years early on the years before the real treatment, (c) pilots drawn at random (eval-random-pilots); a target with a placebo is met only if its placebo is clean"),
		l.T("verdict strength: each clause of a rule is judged with the 90% confidence interval of the mean across replications (mean -+ t sd/sqrt(n); for contrasts the difference paired by replication): interval wholly on the right side of the bound = met clearly; mean on the right side but interval touching the bound = met weakly; otherwise not met. A target is as strong as its weakest clause"),
		l.T("relative effects: the ATT in percent of the treated counties' mean outcome in the year before their treatment; log effects as 100 (e^b - 1) percent"),
		l.T("growth: ln(GDP at the year's end / GDP at the previous year's end), in percentage points per year"),
		l.T("spread: mean, 5th and 95th percentiles across replications (replication r of every scenario runs with the same seed)"),
	}
}

// valFigure is a rendered validation figure.
type valFigure struct {
	Title, File string
	PNG         []byte
}

// DataURI returns the figure as a data: URL for the self-contained HTML page.
func (f valFigure) DataURI() htmltemplate.URL {
	return htmltemplate.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(f.PNG))
}

// valSpec is a validation figure to draw: its target, title, columns and charts with legend.
type valSpec struct {
	id, title string
	cols      int
	charts    func() ([]*plot.Plot, []legendEntry)
}

// validationFigures renders one figure per target, keyed by target id, with every word of
// the figures (titles, axes, ticks, legends, date marks, pre-trend flags) in l.
func validationFigures(d valReport, l Lang) (map[string]valFigure, error) {
	out := map[string]valFigure{}
	for _, s := range validationSpecs(d, l) {
		f, paint := s.layout(l)
		var buf bytes.Buffer
		if err := renderIn(l, &buf, f, "png", paint); err != nil {
			return nil, fmt.Errorf("results: figure %s: %w", s.id, err)
		}
		out[s.id] = valFigure{Title: l.T(s.title), File: f.name + ".png", PNG: buf.Bytes()}
	}
	return out, nil
}

// layout returns the figure of s and the function that draws it in l.
func (s valSpec) layout(l Lang) (figure, func(draw.Canvas)) {
	charts, legend := s.charts()
	f := figure{name: "validation-" + s.id, title: l.T(s.title), cols: s.cols}
	for range charts {
		f.panels = append(f.panels, panel{})
	}
	return f, func(c draw.Canvas) { drawTiledIn(l, c, f, charts, legend) }
}

// validationSpecs are the validation figures, one per target, with their words in l.
func validationSpecs(d valReport, l Lang) []valSpec {
	d.lang = l
	reps := len(d.In.Panels[0])
	return []valSpec{
		{"T1", "T1: growth effect of the programme across settings, estimate and true effect", 2, func() ([]*plot.Plot, []legendEntry) {
			var labels []string
			var att, twfe, tru []observe.Summary
			for _, s := range targets.T1Settings {
				labels = append(labels, settingLabel(l, s))
				att = append(att, observe.Summarise(d.Att(s, "growth", targets.Subsample{}, 100)))
				twfe = append(twfe, observe.Summarise(targets.Vals(d.Fit(s, "growth", targets.Subsample{}), func(f targets.RepFit) float64 { return 100 * f.TWFE.Coef })))
				tru = append(tru, observe.Summarise(d.TrueATT(s, observe.CFNoReform, "growth", 100)))
			}
			refs := []float64{-2, -0.5, 0.5, 2}
			return []*plot.Plot{
					rangeChart(l, "Sun-Abraham ATT (the rule's estimate)", targets.PpYear, labels, att, tru, refs),
					rangeChart(l, "Static TWFE DiD", targets.PpYear, labels, twfe, tru, refs),
				}, append(rangeLegend(l, reps, "dotted: bounds ±0.5 (default), ±2 (settings)"),
					legendEntry{label: l.T(LabelTrueMarker), line: trueLine(observe.CFNoReform)})
		}},
		{"T2", "T2: event studies of growth, estimates and true effects", 2, func() ([]*plot.Plot, []legendEntry) {
			return []*plot.Plot{
				d.eventChart(l.F("Full PMC after the fiscal stage (%s)", targets.ScnHenanPath), targets.ScnHenanPath, "growth"),
				d.eventChart(l.F("Step 1 alone (%s)", targets.ScnStep1), targets.ScnStep1, "growth"),
			}, eventLegendIn(l, reps, []string{observe.CFNoReform, observe.CFStepOff})
		}},
		{"T3", "T3: event studies of fiscal PMC (step 1) in logs, and the placebo", 2, func() ([]*plot.Plot, []legendEntry) {
			return []*plot.Plot{
				d.eventChart(l.T("ln transfers received"), targets.ScnStep1, "ln_transfers_received"),
				d.eventChart(l.T("ln general budget revenue"), targets.ScnStep1, "ln_local_revenue"),
				d.eventChart(l.T("Placebo (a): ln transfers received"), targets.ScnPlaceboFiscal, "ln_transfers_received"),
				d.eventChart(l.T("Placebo (a): ln general budget revenue"), targets.ScnPlaceboFiscal, "ln_local_revenue"),
			}, eventLegendIn(l, reps, []string{observe.CFNoReform})
		}},
		{"T4", "T4: event studies of misused funds and hidden debt under the programme", 2, func() ([]*plot.Plot, []legendEntry) {
			return []*plot.Plot{
				d.eventChart(l.F("Misused funds, %s", targets.ScnDefault), targets.ScnDefault, "misused_funds"),
				d.eventChart(l.F("Hidden debt, %s", targets.ScnDefault), targets.ScnDefault, "hidden_debt"),
				d.eventChart(l.F("Misused funds, broad span (%s)", targets.ScnBroad), targets.ScnBroad, "misused_funds"),
				d.eventChart(l.F("Misused funds, narrow span (%s)", targets.ScnNarrow), targets.ScnNarrow, "misused_funds"),
			}, eventLegendIn(l, reps, []string{observe.CFNoReform})
		}},
		{"T5", "T5: effects by tercile and inequality after devolution", 2, func() ([]*plot.Plot, []legendEntry) {
			var labels []string
			var ss []observe.Summary
			for _, kind := range []string{"iq", "strength"} {
				for t := 1; t <= 3; t++ {
					label := l.F("strength %d", t)
					if kind == "iq" {
						label = l.F("iq %d", t)
					}
					labels = append(labels, label)
					ss = append(ss, observe.Summarise(d.Att(targets.ScnRandom, "growth", targets.TercileSample(kind, t), 100)))
				}
			}
			r := rangeChart(l, l.F("Growth effect of the programme by tercile (%s)", targets.ScnRandom), targets.PpYear, labels, ss, nil, nil)
			eq := []string{targets.ScnWeakEq, targets.ScnStrongEq}
			theil := func(p *observe.Panel, y int) float64 { return targets.TheilYear(p, y) }
			th := d.pathChart("Theil index of county GDP per capita", "Theil T", eq, theil, d.dateMarker(targets.ScnWeakEq, d.Config(targets.ScnWeakEq).Devolution.Start, l.T("devolution")))
			// The same worlds without devolution (the rule's counterfactual): dashed means.
			legend := append(rangeLegend(l, reps, ""), pathLegend(eq)...)
			dashes := []vg.Length{vg.Points(4), vg.Points(2)}
			drawn := false
			for s, name := range eq {
				ls := draw.LineStyle{Color: scenarioColor(s + 1), Width: vg.Points(1.4), Dashes: dashes}
				drawn = addMean(th, d.cfYearMean(name, observe.CFNoDevolution, theil), ls) || drawn
			}
			if drawn {
				legend = append(legend, legendEntry{label: l.T("dashed: the same world without devolution"), line: draw.LineStyle{Color: color.Gray{Y: 90}, Width: vg.Points(1.4), Dashes: dashes}})
			}
			return []*plot.Plot{r, th}, legend
		}},
		{"T6", "T6: approval times under approval reform and in the baseline", 2, func() ([]*plot.Plot, []legendEntry) {
			at := d.dateMarker(targets.ScnApproval, d.Config(targets.ScnApproval).Approval.Start, l.T("reform"))
			sc := []string{targets.ScnApproval, targets.ScnBaseline}
			return []*plot.Plot{
				d.pathChart("Approval days, all requests (county mean)", "days", sc, colMean("approval_days"), at),
				d.pathChart("Investment-project approval days (county mean)", "days", sc, colMean("investment_days"), at),
			}, pathLegend(sc)
		}},
		{"T7", "T7: wage arrears under fiscal stress", 1, func() ([]*plot.Plot, []legendEntry) {
			at := d.dateMarker(targets.ScnStress, d.Config(targets.ScnStress).Finance.RevenueShockMonth, l.T("shock"))
			return []*plot.Plot{d.pathChartByTercile(l.F("County-months in arrears by strength tercile (%s)", targets.ScnStress), "% of county-months", targets.ScnStress, at)}, tercileLegend(l)
		}},
		{"T8", "T8: true effects of devolution alone (against the same seeds without it)", 2, func() ([]*plot.Plot, []legendEntry) {
			at := d.dateMarker(targets.ScnDevolution, d.Config(targets.ScnDevolution).Devolution.Start, l.T("devolution"))
			return []*plot.Plot{
				d.truthPathChart("GDP per capita, true effect", "%", targets.ScnDevolution, observe.CFNoDevolution, observe.LogPrefix+"gdp_per_capita", pctOf, at),
				d.truthPathChart("Growth, true effect", targets.PpYear, targets.ScnDevolution, observe.CFNoDevolution, "growth", ppOf, at),
			}, []legendEntry{{label: l.F("true effect, mean over counties: mean of %d runs, band 5-95%%", reps), line: trueLine(observe.CFNoReform), band: translucent(trueColors[observe.CFNoReform])}}
		}},
		{"T9", "T9: the approval reform alone: true effects and approval days", 2, func() ([]*plot.Plot, []legendEntry) {
			at := d.dateMarker(targets.ScnApprovalOnly, d.Config(targets.ScnApprovalOnly).Approval.Start, l.T("reform"))
			return []*plot.Plot{
				d.truthPathChart("GDP per capita, true effect", "%", targets.ScnApprovalOnly, observe.CFNoApproval, observe.LogPrefix+"gdp_per_capita", pctOf, at),
				d.truthPathChart("Growth, true effect", targets.PpYear, targets.ScnApprovalOnly, observe.CFNoApproval, "growth", ppOf, at),
				d.pathChart("Approval days, all requests (county mean)", "days", []string{targets.ScnApprovalOnly}, colMean("approval_days"), at),
			}, append([]legendEntry{{label: l.F("true effect, mean over counties: mean of %d runs, band 5-95%%", reps), line: trueLine(observe.CFNoReform), band: translucent(trueColors[observe.CFNoReform])}}, pathLegend([]string{targets.ScnApprovalOnly})...)
		}},
	}
}

// colMean returns the mean of a column over all counties in a year.
func colMean(name string) func(p *observe.Panel, y int) float64 {
	return func(p *observe.Panel, y int) float64 { return targets.MeanOver(p, y, targets.PanelColumn(p, name)) }
}

// panelSum returns the sum of a column over all counties in year index y.
func panelSum(p *observe.Panel, y int, name string) float64 {
	k := targets.PanelColumn(p, name)
	s := 0.0
	for i := range p.Counties {
		s += p.Value(i, y, k)
	}
	return s
}

// eventChart draws the Sun-Abraham event study of outcome in scenario, across replications.
func (d valReport) eventChart(title, scenario, outcome string) *plot.Plot {
	var est []observe.EvalEstimate
	for _, f := range d.Fit(scenario, outcome, targets.Subsample{}) {
		if !f.OK {
			continue
		}
		for _, c := range f.Event {
			est = append(est, observe.EvalEstimate{Outcome: outcome, Estimator: observe.EstSAEvent, Rel: c.Rel, HasRel: true,
				Coef: c.Coef, SE: c.SE, CI90Low: c.CI90Low, CI90High: c.CI90High})
		}
	}
	scale, unit := displayScale(outcome)
	p := eventChartIn(d.lang, title, eventPoints(est, outcome), scale, unit, eventColor)
	// The pre-trend test fails when it rejects at PreTrendAlpha in more than twice that share
	// of the replications, as in evaluate's figures.
	fits := d.Fit(scenario, outcome, targets.Subsample{})
	rejected, tested := 0, 0
	for _, f := range fits {
		if f.OK && !math.IsNaN(f.PreTrend.P) {
			tested++
			if f.PreTrend.P < observe.PreTrendAlpha {
				rejected++
			}
		}
	}
	if tested > 0 && float64(rejected)/float64(tested) > 2*observe.PreTrendAlpha {
		flagPreTrend(d.lang, p)
	}
	for _, cf := range d.CFs[scenario] {
		var tr []observe.EvalEstimate
		for _, t := range d.Truths(scenario, cf, outcome) {
			if t == nil {
				continue
			}
			for _, e := range t.Event {
				tr = append(tr, observe.EvalEstimate{Outcome: outcome, Estimator: observe.EstTrueEvent + cf, Rel: e.Rel, HasRel: true, Coef: e.Effect})
			}
		}
		addTruth(p, eventPointsOf(tr, outcome, observe.EstTrueEvent+cf), scale, cf)
	}
	return p
}

// pctOf and ppOf turn a true effect in logs into a percentage and a log growth rate into
// percentage points.
func pctOf(x float64) float64 { return 100 * math.Expm1(x) }
func ppOf(x float64) float64  { return 100 * x }

// truthPathChart draws, year by year, the true effect on outcome averaged over every county
// (against cf, transformed by tf): the mean across replications over its 5-95% band.
func (d valReport) truthPathChart(title, unit, scenario, cf, outcome string, tf func(float64) float64, at marker) *plot.Plot {
	p := newChartIn(d.lang, title, unit)
	ts := d.Truths(scenario, cf, outcome)
	b := band{}
	if len(ts) > 0 && ts[0] != nil {
		xs := make([]float64, len(ts))
		for y := range ts[0].ByYear {
			for r, t := range ts {
				xs[r] = tf(t.ByYear[y])
			}
			s := observe.Summarise(xs)
			b.x = append(b.x, float64(d.Config(scenario).StartYear+y)+0.5)
			b.mean, b.lo, b.hi = append(b.mean, s.Mean), append(b.lo, s.P5), append(b.hi, s.P95)
		}
	}
	addBand(p, b, translucent(trueColors[observe.CFNoReform]))
	addMean(p, b, trueLine(observe.CFNoReform))
	d.frameYears(p, scenario, at)
	return p
}

func eventLegend(reps int) []legendEntry {
	return []legendEntry{
		{label: fmt.Sprintf("mean coefficient of %d runs", reps), line: draw.LineStyle{Color: eventColor, Width: vg.Points(1.4)}},
		{label: "band: mean 90% confidence interval", band: translucent(eventColor)},
		{label: "treatment starts", line: markerLine},
	}
}

// yearBand summarises f over the replications of a scenario, year by year.
func (d valReport) yearBand(scenario string, f func(p *observe.Panel, y int) float64) band {
	ps := d.Panels(scenario)
	years := ps[0].Years
	b := band{}
	xs := make([]float64, len(ps))
	for y := range years {
		for r, p := range ps {
			xs[r] = f(p, y)
		}
		s := observe.Summarise(xs)
		b.x = append(b.x, float64(ps[0].Year(y))+0.5) // the year's value at mid-year
		b.mean, b.lo, b.hi = append(b.mean, s.Mean), append(b.lo, s.P5), append(b.hi, s.P95)
	}
	return b
}

// cfYearMean is f year by year of scenario's counterfactual cf (its kept panels,
// targets.Input.CFPanels): the mean across replications, with no band (NaN where the panels
// are not kept).
func (d valReport) cfYearMean(scenario, cf string, f func(p *observe.Panel, y int) float64) band {
	ps := d.Panels(scenario)
	b := band{}
	for y := range ps[0].Years {
		xs := d.PerPair(scenario, cf, func(_, c *observe.Panel) float64 { return f(c, y) })
		b.x = append(b.x, float64(ps[0].Year(y))+0.5)
		b.mean = append(b.mean, observe.Summarise(xs).Mean)
	}
	return b
}

// dateMarker marks month (counted from the start) of a scenario on a calendar-year axis.
func (d valReport) dateMarker(scenario string, month int, label string) marker {
	return marker{x: float64(d.Config(scenario).StartYear) + float64(month)/12, label: label}
}

// frameYears frames a chart of yearly values over the calendar years of scenario.
func (d valReport) frameYears(p *plot.Plot, scenario string, at marker) {
	cfg := d.Config(scenario)
	frameChartIn(d.lang, p, float64(cfg.StartYear), float64(cfg.StartYear)+float64(cfg.Months)/12, []marker{at})
}

// pathChart draws f year by year for each scenario: the mean across replications over its
// 5-95% band (each year's value at mid-year), with a date marked.
func (d valReport) pathChart(title, unit string, scenarios []string, f func(p *observe.Panel, y int) float64, at marker) *plot.Plot {
	p := newChartIn(d.lang, title, unit)
	var bands []band
	for s, name := range scenarios {
		b := d.yearBand(name, f)
		bands = append(bands, b)
		addBand(p, b, translucent(scenarioColor(s+1)))
	}
	for s, b := range bands {
		addMean(p, b, draw.LineStyle{Color: scenarioColor(s + 1), Width: vg.Points(1.4)})
	}
	d.frameYears(p, scenarios[0], at)
	return p
}

// pathChartByTercile draws the share of county-months in arrears by strength tercile, year by
// year, in one scenario.
func (d valReport) pathChartByTercile(title, unit, scenario string, at marker) *plot.Plot {
	p := newChartIn(d.lang, title, unit)
	var bands []band
	for t := 1; t <= 3; t++ {
		b := d.yearBand(scenario, func(p *observe.Panel, y int) float64 { return arrearsShareYear(p, t, y) })
		bands = append(bands, b)
		addBand(p, b, translucent(tercileColor(t)))
	}
	for t, b := range bands {
		addMean(p, b, draw.LineStyle{Color: tercileColor(t + 1), Width: vg.Points(1.4)})
	}
	d.frameYears(p, scenario, at)
	return p
}

// arrearsShareYear returns the percentage of county-months in arrears of strength tercile t
// in year index y.
func arrearsShareYear(p *observe.Panel, t, y int) float64 {
	k := targets.PanelColumn(p, "arrears_months")
	s, n := 0.0, 0
	for i, c := range p.Counties {
		if c.Tercile == t {
			s += p.Value(i, y, k)
			n++
		}
	}
	months := float64(min(12, p.Months()-12*y))
	if n == 0 {
		return math.NaN()
	}
	return 100 * s / (float64(n) * months)
}

// settingZh names the T1 settings on a Chinese axis.
var settingZh = map[string]string{targets.ScnDefault: "默认", targets.ScnBroad: "幅度宽", targets.ScnNarrow: "幅度窄",
	targets.ScnHighIQ: "制度质量高", targets.ScnLowIQ: "制度质量低", targets.ScnStrongPref: "地级市强", targets.ScnWeakPref: "地级市弱"}

// settingLabel shortens a T1 setting's scenario name for an axis (in Chinese, names it).
func settingLabel(l Lang, s string) string {
	if zh, ok := settingZh[s]; ok && l == Chinese {
		return zh
	}
	if s == targets.ScnDefault {
		return "default"
	}
	return strings.NewReplacer("eval-", "", "-prefecture", "-pref").Replace(s)
}

func tercileColor(t int) color.Color {
	return []color.Color{
		color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
		color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
		color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	}[t-1]
}

func tercileLegend(l Lang) []legendEntry {
	var out []legendEntry
	for t, name := range []string{"weakest tercile", "middle tercile", "strongest tercile"} {
		out = append(out, legendEntry{label: l.T(name), line: draw.LineStyle{Color: tercileColor(t + 1), Width: vg.Points(1.4)}, band: translucent(tercileColor(t + 1))})
	}
	return out
}

func pathLegend(scenarios []string) []legendEntry {
	var out []legendEntry
	for s, name := range scenarios {
		out = append(out, legendEntry{label: name, line: draw.LineStyle{Color: scenarioColor(s + 1), Width: vg.Points(1.4)}, band: translucent(scenarioColor(s + 1))})
	}
	return out
}

// categoryTicks labels the whole numbers 0..len-1 of an axis with names.
type categoryTicks []string

func (c categoryTicks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for i, l := range c {
		out = append(out, plot.Tick{Value: float64(i), Label: l})
	}
	return out
}

// rangeChart draws one estimate per category: the mean across replications as a point, the
// 5-95% range as a vertical bar, the mean true effect (truth, if any) as a triangle beside it,
// and dotted reference lines at refs.
func rangeChart(l Lang, title, unit string, labels []string, ss, truth []observe.Summary, refs []float64) *plot.Plot {
	p := newChartIn(l, title, unit)
	p.X.Label.Text = ""
	p.X.Tick.Marker = categoryTicks(labels)
	p.X.Tick.Label.Font.Size = vg.Points(7)
	col := scenarioColor(1)
	var pts plotter.XYs
	for i, s := range ss {
		if !finite(s.Mean) {
			continue
		}
		pts = append(pts, plotter.XY{X: float64(i), Y: s.Mean})
		if l, err := plotter.NewLine(plotter.XYs{{X: float64(i), Y: s.P5}, {X: float64(i), Y: s.P95}}); err == nil && finite(s.P5) && finite(s.P95) {
			l.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(2)}
			p.Add(l)
		}
	}
	if sc, err := plotter.NewScatter(pts); err == nil && len(pts) > 0 {
		sc.GlyphStyle.Color = col
		sc.GlyphStyle.Radius = vg.Points(3)
		p.Add(sc)
	}
	var tpts plotter.XYs
	for i, t := range truth {
		if finite(t.Mean) {
			tpts = append(tpts, plotter.XY{X: float64(i) + 0.15, Y: t.Mean})
		}
	}
	if sc, err := plotter.NewScatter(tpts); err == nil && len(tpts) > 0 {
		sc.GlyphStyle.Color = trueColors[observe.CFNoReform]
		sc.GlyphStyle.Radius = vg.Points(3)
		sc.GlyphStyle.Shape = draw.TriangleGlyph{}
		p.Add(sc)
	}
	lo, hi := -0.5, float64(len(labels))-0.5
	if l, err := plotter.NewLine(plotter.XYs{{X: lo, Y: 0}, {X: hi, Y: 0}}); err == nil {
		l.LineStyle = zeroLine
		p.Add(l)
	}
	for _, r := range refs {
		if l, err := plotter.NewLine(plotter.XYs{{X: lo, Y: r}, {X: hi, Y: r}}); err == nil {
			l.LineStyle = draw.LineStyle{Color: markerColor, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(1.5), vg.Points(2)}}
			p.Add(l)
		}
	}
	frameChartIn(l, p, lo, hi, nil)
	return p
}

func rangeLegend(l Lang, reps int, refs string) []legendEntry {
	out := []legendEntry{{label: l.F("point: mean of %d runs, bar: 5-95%%", reps), line: draw.LineStyle{Color: scenarioColor(1), Width: vg.Points(2)}}}
	if refs != "" {
		out = append(out, legendEntry{label: l.T(refs), line: draw.LineStyle{Color: markerColor, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(1.5), vg.Points(2)}}})
	}
	return out
}

// validationReport is the content of the validation report.md and report.html.
type validationReport struct {
	lang          Lang
	Lang          string // the html lang attribute
	Title, Byline string
	Seeds         string
	Met, Total    int
	Targets       []targetView
	Design        []string
	Caveats       []string
	Scenarios     []observe.ScenarioRecord
	Command       string
}

// targetView is a target in the report's language: its own fields shadow the English ones
// of the embedded TargetResult.
type targetView struct {
	targets.TargetResult
	Finding, Published, Rule, Placebo, Headline, Problem string
	Verdict                                              string
	PlaceboWord                                          string
	Rows                                                 []figureRow
	Figure                                               *valFigure
}

type figureRow struct {
	Label, Unit, Mean, P5, P95, CI string
	N                              int
}

func newValidationReport(in *targets.Input, res []targets.TargetResult, figs map[string]valFigure, meta EnsembleMeta) *validationReport {
	reps := len(in.Panels[0])
	l := meta.Lang
	r := &validationReport{
		lang: l, Lang: string(English),
		Title:  l.F("countysim against the published evidence: validation targets T1-T%d", len(res)),
		Total:  len(res),
		Design: validationDesignIn(l),
	}
	for _, s := range in.Scenarios {
		s.Description = l.T(s.Description)
		r.Scenarios = append(r.Scenarios, s)
	}
	if l == Chinese {
		r.Lang = "zh-CN"
	}
	r.Byline = l.F("countysim %s, %d replications of each of %d built-in scenarios, master seed %d", meta.Version, reps, len(in.Scenarios), meta.MasterSeed)
	if !meta.Start.IsZero() {
		if l == Chinese {
			r.Byline += "，" + meta.Start.UTC().Format("2006年1月2日")
		} else {
			r.Byline += ", " + meta.Start.UTC().Format("2 January 2006")
		}
	}
	r.Byline += l.T(".")
	var seeds []string
	for _, s := range meta.Seeds {
		seeds = append(seeds, strconv.FormatUint(s, 10))
	}
	r.Seeds = l.F("master seed %d; replication seeds %s (replication r of every scenario and of its counterfactuals uses the r-th)", meta.MasterSeed, strings.Join(seeds, l.Sep())) + l.T(".")
	for _, t := range res {
		if t.Met {
			r.Met++
		}
		v := targetView{TargetResult: t, Verdict: l.T(t.Verdict()), PlaceboWord: l.T(t.PlaceboVerdict()),
			Finding: t.Finding, Published: t.Published, Rule: t.Rule, Placebo: t.Placebo, Headline: t.Headline, Problem: t.Problem}
		if l == Chinese {
			v.Finding, v.Published, v.Rule, v.Placebo, v.Headline, v.Problem = t.Zh.Finding, t.Zh.Published, t.Zh.Rule, t.Zh.Placebo, t.Zh.Headline, t.Zh.Problem
		}
		for _, f := range t.Figures {
			na := l.T("n/a")
			row := figureRow{Label: f.Label, Unit: f.Unit, Mean: na, P5: na, P95: na, CI: na, N: f.N}
			if l == Chinese {
				row.Label, row.Unit = f.LabelZh, f.UnitZh
			}
			if f.N > 0 && finite(f.Mean) {
				row.Mean, row.P5, row.P95 = targets.FmtNum(f.Mean), targets.FmtNum(f.P5), targets.FmtNum(f.P95)
			}
			if lo, hi := shownCI(f); finite(lo) && finite(hi) {
				row.CI = "[" + targets.FmtNum(lo) + ", " + targets.FmtNum(hi) + "]"
			}
			v.Rows = append(v.Rows, row)
		}
		if f, ok := figs[t.ID]; ok {
			v.Figure = &f
		}
		r.Targets = append(r.Targets, v)
	}
	r.Caveats = []string{
		l.T("Every verdict is decided by the rule shown, applied to the numbers shown; the rules are the table `targets` in targets/targets.go. A target that is not met says where the model's mechanisms and the literature part, not that the measurement failed."),
		l.F("The spread is across %d replications: the model's own chance events. It does not cover uncertainty in the model's assumptions or parameters.", reps),
	}
	if reps < 10 {
		r.Caveats = append(r.Caveats, l.F("With %d replications a share of replications moves in steps of 1/%d and the intervals are wide: a verdict may turn on one replication. Run `--reps 10` or more (20 is the default) before reporting one.", reps, reps))
	}
	r.Caveats = append(r.Caveats,
		l.T("The simulated DiD is measured on every county of a stylised province with never-pilots as controls; the studies it is held against used real, noisier panels with other designs, so only signs and rough magnitudes are comparable."),
		l.T("T4 compares effects relative to the treated counties' pre-treatment level, because the two provinces' counties differ in size."),
		l.T("Pilots are chosen from the strongest counties, whose revenue, spending and debt grow faster in yuan even without reform; level DiDs then pick up that trend (their pre-trend tests say so). T3 is judged in logs; the levels are shown for reference."),
		l.T("Under Henan's path (treatment = step 3) the pilots' pre-treatment years are already at step 1, so the DiD measures what full PMC adds to the fiscal stage; its true effect against the fiscal stage alone (step_off) is the matching truth, the one against no reform the whole path's."),
		l.T("Devolution and approval reform reach every county at once, which leaves no DiD controls: T8 and T9 are judged on the true effect against the same seeds without the reform, the answer a study can only approximate."),
		l.T("A DiD with never-treated controls estimates the effect on the treated minus the spillover on the controls; the spillover is shown beside the true effect where it is measured."),
	)
	if len(meta.Args) > 0 {
		r.Command = strings.Join(append([]string{filepath.Base(meta.Args[0])}, meta.Args[1:]...), " ")
	}
	return r
}

// T and F translate the report's fixed words into its language.
func (r *validationReport) T(s string) string { return r.lang.T(s) }

// F formats args with the translation of format.
func (r *validationReport) F(format string, args ...any) string { return r.lang.F(format, args...) }

// Sep is the separator of list items in the report's language.
func (r *validationReport) Sep() string { return r.lang.Sep() }

// CJK reports whether the report is in Chinese (its HTML then names Chinese fonts).
func (r *validationReport) CJK() bool { return r.lang == Chinese }

var valFuncs = template.FuncMap{"md": mdCell, "join": strings.Join}

var validationMarkdown = template.Must(template.New("report.md").Funcs(valFuncs).Parse(`# {{.Title}}

{{.Byline}}

**{{.F "%d of %d targets met." .Met .Total}}**

{{.Seeds}}

| {{.T "Target"}} | {{.T "Simulated (mean [5th, 95th percentile])"}} | {{.T "Published"}} | {{.T "Verdict"}} | {{.T "Placebo"}} |
|---|---|---|---|---|
{{range .Targets}}| {{.ID}} | {{md .Headline}} | {{md .Published}} | **{{.Verdict}}** | {{.PlaceboWord}} |
{{end}}
{{range .Targets}}
## {{.ID}}{{$.T ": "}}{{.Finding}}

- {{$.T "Scenarios"}}{{$.T ": "}}{{join .Scenarios $.Sep}}
- {{$.T "Published"}}{{$.T ": "}}{{.Published}}
- {{$.T "Rule"}}{{$.T ": "}}{{.Rule}}
- {{$.T "Placebo"}}{{$.T ": "}}{{with .Placebo}}{{.}}{{else}}{{$.T "none"}}{{end}}
- {{$.T "Verdict"}}{{$.T ": "}}**{{.Verdict}}**{{with .Problem}}{{$.F " (%s)" .}}{{end}}{{$.T "; "}}{{$.T "placebo"}}{{$.T ": "}}{{.PlaceboWord}}

| {{$.T "Figure"}} | {{$.T "Mean"}} | {{$.T "90% CI of the mean"}} | {{$.T "5th pct"}} | {{$.T "95th pct"}} | {{$.T "Unit"}} | {{$.T "Runs"}} |
|---|---|---|---|---|---|---|
{{range .Rows}}| {{md .Label}} | {{.Mean}} | {{.CI}} | {{.P5}} | {{.P95}} | {{md .Unit}} | {{.N}} |
{{end}}{{with .Figure}}
![{{.Title}}]({{.File}})
{{end}}{{end}}
## {{.T "How the figures are measured"}}
{{range .Design}}
- {{.}}
{{- end}}

## {{.T "Caveats"}}
{{range .Caveats}}
- {{.}}
{{- end}}

## {{.T "Scenarios"}}
{{range .Scenarios}}
- **{{.Name}}**{{$.F " (%s)" ($.F "%d counties" .Counties)}}{{$.T ": "}}{{.Description}}
{{- end}}

{{.T "Every figure is in validation.csv; manifest.json holds the seeds and the scenarios in full."}}{{with .Command}}
{{$.T "To repeat:"}} ` + "`{{.}}`" + `{{$.T "."}}{{end}}
`))

var validationHTML = htmltemplate.Must(htmltemplate.New("report.html").Funcs(htmltemplate.FuncMap(valFuncs)).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font-family: "Liberation Sans", Arial, sans-serif; max-width: 68em; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; white-space: nowrap; }
.met { color: #1a7f37; font-weight: bold; } .notmet { color: #b42318; font-weight: bold; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0; }
.note { color: #555; }
code { background: #f3f3f3; padding: 0.1em 0.3em; }
{{if .CJK}}body { font-family: "Liberation Sans", Arial, "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; }
{{end}}</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="note">{{.Byline}}</p>
<p><strong>{{.F "%d of %d targets met." .Met .Total}}</strong></p>
<p class="note">{{.Seeds}}</p>
<table>
<tr><th>{{.T "Target"}}</th><th>{{.T "Simulated (mean [5th, 95th percentile])"}}</th><th>{{.T "Published"}}</th><th>{{.T "Verdict"}}</th><th>{{.T "Placebo"}}</th></tr>
{{range .Targets}}<tr><td>{{.ID}}</td><td>{{.Headline}}</td><td>{{.Published}}</td><td class="{{if .Met}}met{{else}}notmet{{end}}">{{.Verdict}}</td><td>{{.PlaceboWord}}</td></tr>
{{end}}</table>
{{range .Targets}}
<h2>{{.ID}}{{$.T ": "}}{{.Finding}}</h2>
<ul>
<li>{{$.T "Scenarios"}}{{$.T ": "}}{{join .Scenarios $.Sep}}</li>
<li>{{$.T "Published"}}{{$.T ": "}}{{.Published}}</li>
<li>{{$.T "Rule"}}{{$.T ": "}}{{.Rule}}</li>
<li>{{$.T "Placebo"}}{{$.T ": "}}{{with .Placebo}}{{.}}{{else}}{{$.T "none"}}{{end}}</li>
<li>{{$.T "Verdict"}}{{$.T ": "}}<span class="{{if .Met}}met{{else}}notmet{{end}}">{{.Verdict}}</span>{{with .Problem}}{{$.F " (%s)" .}}{{end}}{{$.T "; "}}{{$.T "placebo"}}{{$.T ": "}}{{.PlaceboWord}}</li>
</ul>
<table>
<tr><th>{{$.T "Figure"}}</th><th>{{$.T "Mean"}}</th><th>{{$.T "90% CI of the mean"}}</th><th>{{$.T "5th pct"}}</th><th>{{$.T "95th pct"}}</th><th>{{$.T "Unit"}}</th><th>{{$.T "Runs"}}</th></tr>
{{range .Rows}}<tr><td>{{.Label}}</td><td class="num">{{.Mean}}</td><td class="num">{{.CI}}</td><td class="num">{{.P5}}</td><td class="num">{{.P95}}</td><td>{{.Unit}}</td><td class="num">{{.N}}</td></tr>
{{end}}</table>
{{with .Figure}}<figure><img src="{{.DataURI}}" alt="{{.Title}}"></figure>{{end}}
{{end}}
<h2>{{.T "How the figures are measured"}}</h2>
<ul>
{{range .Design}}<li>{{.}}</li>
{{end}}</ul>
<h2>{{.T "Caveats"}}</h2>
<ul>
{{range .Caveats}}<li>{{.}}</li>
{{end}}</ul>
<h2>{{.T "Scenarios"}}</h2>
<ul>
{{range .Scenarios}}<li><strong>{{.Name}}</strong>{{$.F " (%s)" ($.F "%d counties" .Counties)}}{{$.T ": "}}{{.Description}}</li>
{{end}}</ul>
<p class="note">{{.T "Every figure is in validation.csv; manifest.json holds the seeds and the scenarios in full."}}{{with .Command}}<br>{{$.T "To repeat:"}} <code>{{.}}</code>{{end}}</p>
</body>
</html>
`))
