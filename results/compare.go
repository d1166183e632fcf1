package results

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg/draw"

	"github.com/countysim/countysim/assess"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

// Measure is the period a difference is taken over.
type Measure int

const (
	// FinalYear is the value in the run's last whole year (Track.FinalYear).
	FinalYear Measure = iota
	// Horizon is the value over the whole run (Track.Horizon): flows cumulated, stocks at
	// the end, rates averaged.
	Horizon
)

func (m Measure) String() string {
	if m == Horizon {
		return "horizon"
	}
	return "final_year"
}

func (m Measure) value(t *observe.Track, g, k int) float64 {
	if m == Horizon {
		return t.Horizon(g, k)
	}
	return t.FinalYear(g, k)
}

// Difference is one scenario's standing on one outcome and measure: its own value across
// replications, its paired difference from the reference scenario (the first; Diff.N is 0
// for the reference itself) and its rank among all scenarios by mean value (1 = best; equal
// means share a rank).
type Difference struct {
	Scenario string
	Outcome  Outcome
	Measure  Measure
	Value    observe.Summary
	Diff     observe.Summary
	Rank     int
}

// Rank returns competition ranks ("1224") of values by better: rank 1 is the lowest value
// when lower is better, the highest when higher is better. Equal values share the best rank
// among them; NaN values rank after every number.
func Rank(values []float64, better assess.Direction) []int {
	order := make([]int, len(values))
	for i := range order {
		order[i] = i
	}
	key := func(i int) float64 {
		v := values[i]
		switch {
		case math.IsNaN(v):
			return math.Inf(1)
		case better == assess.HigherIsBetter:
			return -v
		}
		return v
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ka, kb := key(a), key(b)
		switch {
		case ka < kb || (ka == kb && !math.IsNaN(values[a]) && math.IsNaN(values[b])):
			return -1
		case ka > kb || (ka == kb && math.IsNaN(values[a]) && !math.IsNaN(values[b])):
			return 1
		}
		return 0
	})
	ranks := make([]int, len(values))
	for pos, i := range order {
		ranks[i] = pos + 1
		if pos > 0 {
			prev := order[pos-1]
			if values[prev] == values[i] || (math.IsNaN(values[prev]) && math.IsNaN(values[i])) {
				ranks[i] = ranks[prev]
			}
		}
	}
	return ranks
}

// checkComparable reports ensembles that cannot be compared replication by replication: fewer
// than two, different numbers of replications, or different horizons or start years.
func checkComparable(es []*observe.Ensemble) error {
	if len(es) < 2 {
		return fmt.Errorf("results: a comparison needs at least two scenarios, got %d", len(es))
	}
	ref := es[0]
	for _, e := range es {
		if err := e.Check(); err != nil {
			return err
		}
		if len(e.Tracks) != len(ref.Tracks) {
			return fmt.Errorf("results: scenario %s has %d replications and %s has %d; paired differences need the same number",
				e.Name, len(e.Tracks), ref.Name, len(ref.Tracks))
		}
		if e.Config.Months != ref.Config.Months || e.Config.StartYear != ref.Config.StartYear {
			return fmt.Errorf("results: scenario %s runs %d months from %d and %s %d months from %d; compared scenarios need the same period",
				e.Name, e.Config.Months, e.Config.StartYear, ref.Name, ref.Config.Months, ref.Config.StartYear)
		}
	}
	return nil
}

// Differences compares every ensemble with the first on each KeyOutcomes entry for the named
// group, by final-year and by horizon value. Replication r of one scenario is paired with
// replication r of the reference. Rows come scenario by scenario (the reference first), then
// outcome, then measure.
func Differences(es []*observe.Ensemble, group string) ([]Difference, error) {
	if err := checkComparable(es); err != nil {
		return nil, err
	}
	g := slices.Index(plotGroups, group)
	if g < 0 {
		return nil, fmt.Errorf("results: group %q is not recorded (recorded: %v)", group, plotGroups)
	}
	out := make([]Difference, 0, len(es)*len(KeyOutcomes)*2)
	for _, e := range es {
		for _, o := range KeyOutcomes {
			for _, m := range []Measure{FinalYear, Horizon} {
				out = append(out, Difference{Scenario: e.Name, Outcome: o, Measure: m})
			}
		}
	}
	per := len(KeyOutcomes) * 2 // rows per scenario
	var ref, xs []float64
	means := make([]float64, len(es))
	for j, o := range KeyOutcomes {
		k := observe.DefIndex(o.Metric)
		if k < 0 {
			return nil, fmt.Errorf("results: key outcome %q is not a metric of the model", o.Metric)
		}
		for mi, m := range []Measure{FinalYear, Horizon} {
			ref = es[0].Collect(ref, func(t *observe.Track) float64 { return m.value(t, g, k) })
			for s, e := range es {
				d := &out[s*per+2*j+mi]
				xs = e.Collect(xs, func(t *observe.Track) float64 { return m.value(t, g, k) })
				if s > 0 {
					d.Diff = observe.Summarise(assess.PairedDifferences(ref, xs))
				} else {
					d.Diff = observe.Summarise(nil)
				}
				d.Value = observe.Summarise(xs)
				means[s] = d.Value.Mean
			}
			for s, r := range Rank(means, o.Better) {
				out[s*per+2*j+mi].Rank = r
			}
		}
	}
	return out, nil
}

// DifferencesFile is the name of the differences table.
const DifferencesFile = "differences.csv"

// WriteDifferencesCSV writes ds (from Differences) as differences.csv: scenario, reference,
// group, metric, unit (of the measure: a flow's final year is per year, its horizon value the
// total over the run), measure (final_year or horizon), better (lower or higher), mean (of the
// scenario's own values), diff_mean, diff_p5, diff_p95 (of the paired differences from the
// reference; empty on the reference's own rows), rank (1 = best by mean), threshold (the
// smallest difference that matters, in the metric's own units: Outcome.Threshold of the
// reference's mean) and verdict (better, worse, about the same or no difference; empty on the
// reference's rows).
func WriteDifferencesCSV(w io.Writer, ds []Difference, reference, group string) error {
	return writeDifferencesCSV(w, ds, reference, group, nil)
}

// writeDifferencesCSV writes differences.csv; with splits (one per row of ds, from
// DifferenceSplits) it adds the columns of the variance split (splitColumns).
func writeDifferencesCSV(w io.Writer, ds []Difference, reference, group string, splits []*VarianceSplit) error {
	cols := []column{
		{"scenario", colString}, {"reference", colString}, {"group", colString}, {"metric", colString},
		{"unit", colString}, {"measure", colString}, {"better", colString}, {"mean", colFloat},
		{"diff_mean", colFloat}, {"diff_p5", colFloat}, {"diff_p95", colFloat}, {"rank", colInt},
		{"threshold", colFloat}, {"verdict", colString},
	}
	if splits != nil {
		cols = append(cols, splitColumns...)
	}
	t, err := newCSVTable(w, DifferencesFile, cols)
	if err != nil {
		return err
	}
	defs := observe.Defs()
	refMean := map[[2]string]float64{} // the reference's mean by metric and measure
	for _, d := range ds {
		if d.Scenario == reference {
			refMean[[2]string{d.Outcome.Metric, d.Measure.String()}] = d.Value.Mean
		}
	}
	for i, d := range ds {
		def := defs[observe.DefIndex(d.Outcome.Metric)]
		ref := refMean[[2]string{d.Outcome.Metric, d.Measure.String()}]
		row := []cell{str(d.Scenario), str(reference), str(group), str(d.Outcome.Metric),
			str(measureUnit(def, d.Measure)), str(d.Measure.String()), str(d.Outcome.Better.String()),
			float(d.Value.Mean), float(d.Diff.Mean), float(d.Diff.P5), float(d.Diff.P95), integer(d.Rank),
			float(d.Outcome.Threshold(ref)), str(assess.Verdict(d.Outcome, ref, d.Diff))}
		if splits != nil {
			row = append(row, splitCells(splits[i])...)
		}
		if err := t.write(row); err != nil {
			return err
		}
	}
	return t.flush()
}

// measureUnit is a metric's unit over a measure: a flow's final-year value is per year, its
// horizon value the total over the run.
func measureUnit(d sim.MetricDef, m Measure) string {
	if d.Kind == sim.Flow && m == Horizon {
		u, _ := strings.CutSuffix(d.Unit, " per month")
		return u + " (total over the run)"
	}
	return observe.YearlyUnit(d)
}

// ComparisonGroup is the group compared in differences.csv and the report.
const ComparisonGroup = "province"

// WriteComparison writes the comparison of es (the first is the reference) into dir:
// ensemble.csv, differences.csv, the overlay figures efficiency, cost, fiscal and growth (.png
// and .svg), report.md, report.html and manifest.json. Files are moved into place only when
// all are written; on error or when ctx is cancelled nothing is left behind and the error
// (ctx.Err() for a cancel) is returned.
func WriteComparison(ctx context.Context, dir string, es []*observe.Ensemble, meta EnsembleMeta) error {
	ds, err := Differences(es, ComparisonGroup)
	if err != nil {
		return err
	}
	o, err := newOutputs(ctx, dir, meta.Start)
	if err != nil {
		return err
	}
	if err := writeComparison(o, es, ds, meta); err != nil {
		o.discard()
		return err
	}
	return nil
}

func writeComparison(o *outputs, es []*observe.Ensemble, ds []Difference, meta EnsembleMeta) error {
	if err := o.write(EnsembleFile, func(w io.Writer) error { return WriteEnsembleCSV(w, es) }); err != nil {
		return err
	}
	var unc *uncertainty
	if meta.Posterior != "" {
		var err error
		if unc, err = newUncertainty(es, ds, meta); err != nil {
			return err
		}
	}
	err := o.write(DifferencesFile, func(w io.Writer) error {
		return writeDifferencesCSV(w, ds, es[0].Name, ComparisonGroup, unc.splitsOrNil())
	})
	if err != nil {
		return err
	}
	if unc != nil {
		if err := o.write(RankingFile, func(w io.Writer) error { return WriteRankingCSV(w, unc.best, ComparisonGroup) }); err != nil {
			return err
		}
		if err := o.write(AimRankingFile, func(w io.Writer) error { return WriteAimRankingCSV(w, unc.aims, ComparisonGroup) }); err != nil {
			return err
		}
	}
	var figs []reportFigure
	for _, f := range figures {
		if f.name == "overview" { // the overview repeats panels of the other four
			continue
		}
		var png bytes.Buffer
		for _, format := range []string{"png", "svg"} {
			err := o.write(f.name+"."+format, func(w io.Writer) error {
				if format == "png" {
					w = io.MultiWriter(w, &png)
				}
				f := overlayFigure(meta.Lang, f, es)
				return renderIn(meta.Lang, w, f, format, func(c draw.Canvas) { drawOverlay(meta.Lang, c, f, es) })
			})
			if err != nil {
				return err
			}
		}
		figs = append(figs, reportFigure{Title: meta.Lang.T(f.title), File: f.name + ".png", PNG: png.Bytes()})
	}
	m, err := writeComparisonMap(meta.Lang, o, es)
	if err != nil {
		return err
	}
	if m != nil { // the county-by-county view, in the report with the other figures
		figs = append(figs, *m)
	}
	rep := newReport(es, ds, figs, meta)
	rep.addUncertainty(unc)
	if err := o.write(ReportMarkdownFile, rep.markdown); err != nil {
		return err
	}
	if err := o.write(ReportHTMLFile, rep.html); err != nil {
		return err
	}
	return o.commit(meta, es)
}
