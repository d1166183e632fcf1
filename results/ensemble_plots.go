package results

import (
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

// Ensemble figures reuse the panels of the single-run figures (plots.go). A panel's value is
// computed in every replication first and then summarised across replications, so a derived
// value (a total per county, a share in percent) has the mean and percentiles of the derived
// value itself.

// scenarioColors are the overlay colours, by scenario position; the first (the reference) is
// dark grey. They repeat after eight scenarios.
var scenarioColors = []color.NRGBA{
	{R: 0x33, G: 0x33, B: 0x33, A: 0xff},
	{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
	{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff},
	{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff},
}

// bandAlpha is the opacity of a 5-95% band.
const bandAlpha = 0x38

func translucent(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: bandAlpha}
}

// groupSize returns the number of counties in group g of a track in month mo: every county
// is under exactly one debt warning, green, yellow or red, so the three counts add up to it.
func groupSize(t *observe.Track, g, mo int) float64 {
	return t.At(g, mo, sim.MWarnGreen) + t.At(g, mo, sim.MWarnYellow) + t.At(g, mo, sim.MWarnRed)
}

// trackPoint returns group g of a track in month mo (0-based) as a plot point, its values in
// v (reused).
func trackPoint(t *observe.Track, g, mo int, v []float64) plotPoint {
	for j, k := range plotMetrics {
		v[j] = t.At(g, mo, k)
	}
	return plotPoint{month: mo + 1, n: int(groupSize(t, g, mo)), v: v}
}

// band is a panel's value for one group of an ensemble, month by month: the calendar time, and
// the mean, 5th and 95th percentiles across replications (NaN where undefined).
type band struct {
	x, mean, lo, hi []float64
}

func panelBand(e *observe.Ensemble, g int, pn panel) band {
	months := e.Config.Months
	b := band{make([]float64, months), make([]float64, months), make([]float64, months), make([]float64, months)}
	v := make([]float64, len(plotMetrics))
	var xs []float64
	for mo := range months {
		xs = e.Collect(xs, func(t *observe.Track) float64 { return pn.value(trackPoint(t, g, mo, v)) })
		s := observe.SummariseInPlace(xs) // collected again for the next month
		b.x[mo] = float64(e.Config.StartYear) + float64(mo)/12
		b.mean[mo], b.lo[mo], b.hi[mo] = s.Mean, s.P5, s.P95
	}
	return b
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// runs returns the maximal runs [i, j) of months where ok holds.
func runs(n int, ok func(i int) bool) [][2]int {
	var out [][2]int
	for i := 0; i < n; {
		if !ok(i) {
			i++
			continue
		}
		j := i
		for j < n && ok(j) {
			j++
		}
		out = append(out, [2]int{i, j})
		i = j
	}
	return out
}

// addBand adds the 5-95% area of b to p, filled with fill, one polygon per stretch of defined
// months.
func addBand(p *plot.Plot, b band, fill color.Color) {
	for _, r := range runs(len(b.x), func(i int) bool { return finite(b.lo[i]) && finite(b.hi[i]) }) {
		var xy plotter.XYs
		for i := r[0]; i < r[1]; i++ {
			xy = append(xy, plotter.XY{X: b.x[i], Y: b.hi[i]})
		}
		for i := r[1] - 1; i >= r[0]; i-- {
			xy = append(xy, plotter.XY{X: b.x[i], Y: b.lo[i]})
		}
		poly, err := plotter.NewPolygon(xy)
		if err != nil {
			continue // unreachable: the points are finite
		}
		poly.Color = fill
		poly.LineStyle.Width = 0
		p.Add(poly)
	}
}

// addMean adds the mean line of b to p; it reports whether there was anything to draw.
func addMean(p *plot.Plot, b band, ls draw.LineStyle) bool {
	drawn := false
	for _, r := range runs(len(b.x), func(i int) bool { return finite(b.mean[i]) }) {
		xy := make(plotter.XYs, 0, r[1]-r[0])
		for i := r[0]; i < r[1]; i++ {
			xy = append(xy, plotter.XY{X: b.x[i], Y: b.mean[i]})
		}
		l, err := newSeriesLine(xy)
		if err != nil {
			continue // unreachable: the points are finite
		}
		l.LineStyle = ls
		p.Add(l)
		drawn = true
	}
	return drawn
}

// bandLegend explains lines and bands.
func bandLegend(l Lang, reps int) legendEntry {
	return legendEntry{label: l.F("line: mean of %d runs, band: 5-95%%", reps), band: color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: bandAlpha}}
}

// constantBands reports whether panel pn has the same value in every month, replication,
// group and ensemble of es: an outcome that cannot move in these scenarios.
func constantBands(es []*observe.Ensemble, groups []int) func(panel) bool {
	return func(pn panel) bool {
		first, seen := 0.0, false
		for _, e := range es {
			for _, g := range groups {
				b := panelBand(e, g, pn)
				for _, vs := range [][]float64{b.mean, b.lo, b.hi} {
					for _, v := range vs {
						if !finite(v) {
							continue
						}
						if !seen {
							first, seen = v, true
						} else if v != first {
							return false
						}
					}
				}
			}
		}
		return true
	}
}

// firstSteps returns the realised step dates of e's first replication (like its map): the
// same in every replication when pilots move on by date.
func firstSteps(e *observe.Ensemble) [][4]int {
	if len(e.Tracks) == 0 || e.Tracks[0] == nil {
		return nil
	}
	return e.Tracks[0].Steps
}

// drawFan draws figure f of one ensemble: for pilot and non-pilot counties the mean across
// replications with the 5-95% band, for all counties the mean alone (dotted), and the PMC
// step dates. Outcomes constant in the ensemble are left out and named under the figure.
func drawFan(l Lang, c draw.Canvas, f figure, e *observe.Ensemble) {
	marks := stepMarkers(e.Config, firstSteps(e), l)
	drawn := make([]bool, len(plotGroups))
	charts := make([]*plot.Plot, len(f.panels))
	for i, pn := range f.panels {
		p := newChartIn(l, pn.title, pn.unit)
		bands := make([]band, len(plotGroups))
		for g := range plotGroups {
			bands[g] = panelBand(e, g, pn)
			if g > 0 {
				addBand(p, bands[g], translucent(plotColors[g]))
			}
		}
		for g := range plotGroups {
			if addMean(p, bands[g], groupLine(g)) {
				drawn[g] = true
			}
		}
		frameChartIn(l, p, float64(e.Config.StartYear), float64(e.Config.StartYear)+float64(e.Config.Months)/12, marks)
		charts[i] = p
	}
	var es []legendEntry
	for g, ok := range drawn {
		if ok {
			le := legendEntry{label: l.T(plotLabels[g]), line: groupLine(g)}
			if g > 0 {
				le.band = translucent(plotColors[g])
			}
			es = append(es, le)
		}
	}
	if len(marks) > 0 {
		es = append(es, legendEntry{label: l.T("PMC step dates"), line: markerLine})
	}
	es = append(es, bandLegend(l, len(e.Tracks)))
	drawTiledIn(l, c, f, charts, es)
}

// fanFigure is f as drawn for ensemble e: outcomes constant in it left out.
func fanFigure(l Lang, f figure, e *observe.Ensemble) figure {
	return withoutConstant(f, l, constantBands([]*observe.Ensemble{e}, []int{0, 1, 2}))
}

// overlayFigure is f as drawn for the comparison of es: outcomes constant in every scenario
// left out.
func overlayFigure(l Lang, f figure, es []*observe.Ensemble) figure {
	return withoutConstant(f, l, constantBands(es, []int{0}))
}

// drawOverlay draws figure f for the whole province of every ensemble: each scenario's mean
// across replications as a line over its 5-95% band (the reference's dashed, on top), and
// each scenario's PMC step dates in its own colour, labelled with the cohort (and the
// scenario when the scenarios' dates differ).
func drawOverlay(l Lang, c draw.Canvas, f figure, es []*observe.Ensemble) {
	marks := mergeMarkers(es, l)
	cfg := es[0].Config
	charts := make([]*plot.Plot, len(f.panels))
	for i, pn := range f.panels {
		p := newChartIn(l, pn.title, pn.unit)
		bands := make([]band, len(es))
		for s, e := range es {
			bands[s] = panelBand(e, 0, pn)
			addBand(p, bands[s], translucent(scenarioColor(s)))
		}
		// The reference goes on top, dashed, so it shows where an option follows it exactly.
		for s := len(es) - 1; s >= 0; s-- {
			addMean(p, bands[s], scenarioLine(s))
		}
		frameChartIn(l, p, float64(cfg.StartYear), float64(cfg.StartYear)+float64(cfg.Months)/12, marks)
		charts[i] = p
	}
	var legend []legendEntry
	for s, e := range es {
		legend = append(legend, legendEntry{label: e.Name, line: scenarioLine(s), band: translucent(scenarioColor(s))})
	}
	if len(marks) > 0 {
		legend = append(legend, legendEntry{label: l.T("PMC step dates (colour of their option)"), line: markerLine})
	}
	legend = append(legend, bandLegend(l, len(es[0].Tracks)))
	drawTiledIn(l, c, f, charts, legend)
}

func scenarioColor(s int) color.Color { return scenarioColors[s%len(scenarioColors)] }

// scenarioLine is the line style of scenario s: solid, but dashed for the reference (s = 0).
func scenarioLine(s int) draw.LineStyle {
	ls := draw.LineStyle{Color: scenarioColor(s), Width: vg.Points(1.4)}
	if s == 0 {
		ls.Dashes = []vg.Length{vg.Points(5), vg.Points(2.5)}
	}
	return ls
}

// mergeMarkers returns the step dates of every scenario, each in its scenario's colour. When
// the scenarios with PMC steps do not all share the same dates, each label names its
// scenario; steps of one scenario in the same month share a marker, and steps of several
// scenarios in the same month are drawn side by side, never on top of each other.
func mergeMarkers(es []*observe.Ensemble, l Lang) []marker {
	var sets [][]marker
	var idx []int
	for s, e := range es {
		if ms := stepMarkers(e.Config, firstSteps(e), l); len(ms) > 0 {
			sets = append(sets, ms)
			idx = append(idx, s)
		}
	}
	if len(sets) == 0 {
		return nil
	}
	same := true
	for _, ms := range sets[1:] {
		same = same && slices.Equal(ms, sets[0])
	}
	if same && len(sets) == len(es) {
		return sets[0] // every option steps on the same dates: one grey marker each
	}
	var all []marker
	for i, ms := range sets {
		for _, m := range ms {
			all = append(all, marker{x: m.x, label: es[idx[i]].Name + ": " + m.label, color: scenarioColor(idx[i])})
		}
	}
	// Markers of different scenarios at the same date are nudged apart by a fortnight.
	slices.SortStableFunc(all, func(a, b marker) int {
		switch {
		case a.x < b.x:
			return -1
		case a.x > b.x:
			return 1
		}
		return 0
	})
	for i := 1; i < len(all); i++ {
		if all[i].x <= all[i-1].x {
			all[i].x = all[i-1].x + 1.0/24
		}
	}
	return all
}
