package results

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// plotGroups are the groups drawn in every panel, with their legend labels and line styles.
var (
	plotGroups = observe.EnsembleGroups
	plotLabels = []string{"all counties", "pilot counties", "non-pilot counties"}
	plotColors = []color.Color{
		color.RGBA{R: 0x33, G: 0x33, B: 0x33, A: 0xff},
		color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
		color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	}
	markerColor = color.RGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
)

// plotMetrics are the group values kept month by month for the figures.
var plotMetrics = []int{
	sim.MApprovalDays, sim.MInvestmentDays, sim.MAdminShare, sim.MStaffPer10k,
	sim.MSelfSufficiency, sim.MTransfers, sim.MExplicitDebt, sim.MHiddenDebt, sim.MWarnRed,
	sim.MGrowth, sim.MGDPPerCap,
}

// panel is one chart: a title in plain words, the y-axis unit, and its value in a month.
type panel struct {
	title, unit string
	value       func(p plotPoint) float64
}

// figure is one output image: panels tiled in cols columns under a title.
type figure struct {
	name, title string
	cols        int
	panels      []panel
	note        string // under the legend: the outcomes left out of the figure
}

func plotValue(p plotPoint, k int) float64 {
	for j, m := range plotMetrics {
		if m == k {
			return p.v[j]
		}
	}
	panic(fmt.Sprintf("results: metric %s is not kept for plots", sim.Metrics[k].Name))
}

// groupValue plots a group value times scale.
func groupValue(k int, scale float64) func(plotPoint) float64 {
	return func(p plotPoint) float64 { return scale * plotValue(p, k) }
}

// perCounty plots the sum of group totals per member county, times scale.
func perCounty(scale float64, ks ...int) func(plotPoint) float64 {
	return func(p plotPoint) float64 {
		s := 0.0
		for _, k := range ks {
			s += plotValue(p, k)
		}
		return scale * s / float64(p.n)
	}
}

var (
	approvalPanel = panel{"Approval time, all requests (mean)", "days", groupValue(sim.MApprovalDays, 1)}
	investPanel   = panel{"Investment project approval time (mean)", "days", groupValue(sim.MInvestmentDays, 1)}
	adminPanel    = panel{"Administrative cost share of spending", "% of spending", groupValue(sim.MAdminShare, 100)}
	staffPanel    = panel{"Public staff per 10,000 residents", "staff per 10,000 residents", groupValue(sim.MStaffPer10k, 1)}
	selfPanel     = panel{"Fiscal self-sufficiency (own and shared revenue)", "% of spending", groupValue(sim.MSelfSufficiency, 100)}
	transferPanel = panel{"Transfers received per county", "million yuan per month", perCounty(1, sim.MTransfers)}
	debtPanel     = panel{"Debt on the books per county (explicit)", "million yuan", perCounty(1, sim.MExplicitDebt)}
	hiddenPanel   = panel{"Hidden, off-budget debt per county", "million yuan", perCounty(1, sim.MHiddenDebt)}
	redPanel      = panel{"Counties under red debt warning", "% of counties", perCounty(100, sim.MWarnRed)}
	growthPanel   = panel{"GDP growth", "% per year", groupValue(sim.MGrowth, 100)}
	gdppcPanel    = panel{"GDP per capita", "yuan", groupValue(sim.MGDPPerCap, 1)}

	figures = []figure{
		{"efficiency", "Administrative efficiency", 2, []panel{approvalPanel, investPanel}, ""},
		{"cost", "Administrative cost", 2, []panel{adminPanel, staffPanel}, ""},
		{"fiscal", "Fiscal health", 2, []panel{selfPanel, transferPanel, debtPanel, hiddenPanel, redPanel}, ""},
		{"growth", "Growth", 2, []panel{growthPanel, gdppcPanel}, ""},
		{"overview", "Overview", 2, []panel{investPanel, adminPanel, selfPanel, growthPanel}, ""},
	}
)

// Figure layout.
const (
	tileW   = 5 * vg.Inch
	tileH   = 3.4 * vg.Inch
	titleH  = 0.5 * vg.Inch
	legendH = 0.4 * vg.Inch
	noteH   = 0.3 * vg.Inch
	pngDPI  = 110
)

var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// face is the typeface of the figures in l: Liberation Sans in English, the embedded CJK
// subset (cjk.go) in Chinese.
func face(l Lang) font.Font {
	if l == Chinese {
		return cjkFont()
	}
	return sans
}

func textStyle(size vg.Length, c color.Color) text.Style { return textStyleIn(English, size, c) }

// textStyleIn is a text style of the figures in l.
func textStyleIn(l Lang, size vg.Length, c color.Color) text.Style {
	return text.Style{Color: c, Font: font.From(face(l), size), Handler: figureText}
}

// marker is a PMC step date on the time axis.
type marker struct {
	x     float64
	label string
	color color.Color // nil: markerColor
}

// stepMarkers returns the realised PMC step dates within the horizon, as fractional years:
// steps[k] holds the months cohort k's first county entered steps 1-3 (observe.CohortSteps; -1
// not yet), so a step that widening by criterion held back is marked when it happened, not
// when it was planned. Steps of different cohorts in the same month share a marker; in
// one-shot mode a cohort whose three steps fell in one month is one "steps 1-3". None when
// PMC is off or no dates were observed.
func stepMarkers(cfg sim.Config, steps [][4]int, l Lang) []marker {
	if !cfg.PMC.Enabled || len(steps) == 0 {
		return nil
	}
	names := observe.CohortNames(cfg)
	for k, co := range cfg.PMC.Cohorts {
		if co.Name == "" {
			names[k] = l.F("cohort %d", k+1)
		}
	}
	byMonth := map[int][]string{}
	for k, at := range steps {
		if k >= len(names) {
			break
		}
		oneShot := cfg.PMC.Mode == sim.OneShot && at[1] == at[2] && at[2] == at[3]
		for s := 1; s <= 3; s++ {
			if at[s] < 0 || at[s] >= cfg.Months || (oneShot && s > 1) {
				continue
			}
			label := l.F("step %d", s)
			if oneShot {
				label = l.T("steps 1-3")
			}
			// The cohort is always named, so a step is never read as the whole province's.
			byMonth[at[s]] = append(byMonth[at[s]], names[k]+" "+label)
		}
		// Step 1 starts a real transition: the prefecture's pipeline is paid out over
		// sim.SettleMonths, so its end is marked too.
		if end := at[1] + sim.SettleMonths; at[1] >= 0 && end < cfg.Months {
			byMonth[end] = append(byMonth[end], names[k]+" "+l.T("pipeline settled"))
		}
	}
	months := make([]int, 0, len(byMonth))
	for at := range byMonth {
		months = append(months, at)
	}
	sort.Ints(months)
	out := make([]marker, len(months))
	for i, at := range months {
		// A step dated month at takes effect in the (at+1)-th month, which starts at year
		// StartYear + at/12 on the plots' time axis.
		out[i] = marker{x: float64(cfg.StartYear) + float64(at)/12, label: strings.Join(byMonth[at], l.Sep())}
	}
	return out
}

// markerPlotter draws the step markers in the head room above the data (from top, the
// highest value drawn, to the top of the chart) as dashed vertical lines, each labelled
// along its line, so that neither a marker nor its label ever crosses a data line. A light
// tick at the bottom of the chart repeats the date on the time axis.
type markerPlotter struct {
	marks []marker
	top   float64
	l     Lang
}

func (mp markerPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	y0 := trY(mp.top) + vg.Points(2)
	room := c.Max.Y - vg.Points(3) - y0 // length available to a label along its line
	lastLabel := c.Min.X - vg.Points(100)
	for _, m := range mp.marks {
		x := trX(m.x)
		if x < c.Min.X || x > c.Max.X {
			continue
		}
		col := m.color
		if col == nil {
			col = markerColor
		}
		line := markerLine
		line.Color = col
		sty := textStyleIn(mp.l, 7, col)
		sty.Rotation = math.Pi / 2
		sty.XAlign, sty.YAlign = draw.XRight, draw.YBottom
		c.StrokeLine2(line, x, y0, x, c.Max.Y)
		c.StrokeLine2(draw.LineStyle{Color: col, Width: vg.Points(1.2)}, x, c.Min.Y, x, c.Min.Y+vg.Points(5))
		// A label too long for its line is set on up to markerLines lines side by side, the
		// first on the left (the top of the rotated text), where they fit between the
		// marker's line and the label before it; otherwise on one line, cut with an ellipsis.
		// Labels of markers a few points apart are moved aside so they never overprint.
		lines := fitLines(sty, m.label, room, mp.l.Sep())
		if len(lines) > 1 && lastLabel+vg.Length(len(lines))*markerGap > x-vg.Points(1.5) {
			lines = []string{fitLabel(sty, m.label, room)}
		}
		n := vg.Length(len(lines))
		lx := max(x-vg.Points(1.5), lastLabel+n*markerGap)
		lastLabel = lx
		for j, s := range lines {
			c.FillText(sty, vg.Point{X: lx - (n-1-vg.Length(j))*markerGap, Y: c.Max.Y - vg.Points(3)}, s)
		}
	}
}

// markerGap is the distance between two lines of a marker's label (7-point text), and
// markerLines the most lines a label is set on.
const (
	markerGap   = vg.Length(8)
	markerLines = 2
)

// fitLines sets a marker label in lines no longer than room: the whole label on one line if
// it fits; else without the scenario name before ": " (the colour names the scenario); else
// its parts (joined by sep: several steps on one date) packed onto lines, a part too long
// for a line broken at its first space (a cohort's name, then its step), at most markerLines
// lines, each cut with an ellipsis (fitLabel) only when the label cannot fit them.
func fitLines(sty text.Style, label string, room vg.Length, sep string) []string {
	if sty.Width(label) <= room {
		return []string{label}
	}
	if _, short, ok := strings.Cut(label, ": "); ok {
		label = short
		if sty.Width(label) <= room {
			return []string{label}
		}
	}
	type piece struct {
		s      string
		starts bool // the piece starts one of the label's parts (after sep), not the rest of one
	}
	var pieces []piece // what no line splits: the parts, those too long broken at their first space
	for _, part := range strings.Split(label, sep) {
		if i := strings.Index(part, " "); i > 0 && sty.Width(part) > room {
			pieces = append(pieces, piece{part[:i], true}, piece{part[i+1:], false})
			continue
		}
		pieces = append(pieces, piece{part, true})
	}
	var lines []string
	for _, p := range pieces {
		if k := len(lines) - 1; k >= 0 {
			join := " "
			if p.starts {
				join = sep
			}
			if s := lines[k] + join + p.s; sty.Width(s) <= room {
				lines[k] = s
				continue
			}
		}
		lines = append(lines, p.s)
	}
	if len(lines) > markerLines {
		lines = append(lines[:markerLines-1], strings.Join(lines[markerLines-1:], " "))
	}
	for i, s := range lines {
		lines[i] = fitLabel(sty, s, room)
	}
	return lines
}

// fitLabel shortens a marker label to fit length room: first without the scenario name
// before ": " (the colour names the scenario), then cut with an ellipsis.
func fitLabel(sty text.Style, label string, room vg.Length) string {
	if sty.Width(label) <= room {
		return label
	}
	if _, short, ok := strings.Cut(label, ": "); ok {
		label = short
		if sty.Width(label) <= room {
			return label
		}
	}
	rs := []rune(label)
	for n := len(rs) - 1; n > 0; n-- {
		if s := string(rs[:n]) + "…"; sty.Width(s) <= room {
			return s
		}
	}
	return ""
}

// yearTicks labels whole calendar years, at most about eight of them.
type yearTicks struct{}

func (yearTicks) Ticks(min, max float64) []plot.Tick {
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20, 50, 100} {
		step = s
		if (max-min)/float64(s) <= 8 {
			break
		}
	}
	var ticks []plot.Tick
	for y := int(math.Ceil(min - 1e-9)); float64(y) <= max+1e-9; y++ {
		switch {
		case y%step == 0:
			ticks = append(ticks, plot.Tick{Value: float64(y), Label: fmt.Sprint(y)})
		case step <= 5:
			ticks = append(ticks, plot.Tick{Value: float64(y)})
		}
	}
	return ticks
}

// valueTicks are gonum/plot's default ticks on a value axis, labelled with the fewest decimals
// that write every labelled value exactly and with thousands separated ("250" and "50,000",
// not the default's "250.00" and "50000.00" on a step of 2.5 units); a label in exponent form
// (very large or small values) is kept as it is.
type valueTicks struct{}

func (valueTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	dec := 0
	for _, t := range ticks {
		if t.Label == "" {
			continue
		}
		if strings.ContainsAny(t.Label, "eE") {
			return ticks
		}
		for dec < 6 {
			if v, err := strconv.ParseFloat(strconv.FormatFloat(t.Value, 'f', dec, 64), 64); err == nil && math.Abs(v-t.Value) <= 1e-9*math.Max(1, math.Abs(t.Value)) {
				break
			}
			dec++
		}
	}
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = lang.Thousands(t.Value, dec)
		}
	}
	return ticks
}

// newChart builds an empty chart in the house style: a plain title, the unit on the y axis,
// calendar years on the x axis and light horizontal grid lines.
func newChart(title, unit string) *plot.Plot { return newChartIn(English, title, unit) }

// newChartIn is newChart with the title, unit and axis words translated into l.
func newChartIn(l Lang, title, unit string) *plot.Plot {
	p := plot.New()
	p.Title.Text = l.T(title)
	p.Title.TextStyle.Font = font.From(face(l), 10)
	p.Title.TextStyle.Handler = figureText
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = l.T("year")
	p.Y.Label.Text = l.T(unit)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(face(l), 9)
		ax.Tick.Label.Font = font.From(face(l), 8)
		ax.Label.TextStyle.Handler, ax.Tick.Label.Handler = figureText, figureText
	}
	p.X.Tick.Marker = yearTicks{}
	p.Y.Tick.Marker = valueTicks{}
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal.Color = color.Gray{Y: 0xe0}
	p.Add(grid)
	return p
}

// frameChart fixes a chart's x range to the years x0..x1, gives the data head room (for the
// step labels when there are marks) and draws the step markers in it.
func frameChart(p *plot.Plot, x0, x1 float64, marks []marker) {
	frameChartIn(English, p, x0, x1, marks)
}

// frameChartIn is frameChart with the step labels in l's typeface.
func frameChartIn(l Lang, p *plot.Plot, x0, x1 float64, marks []marker) {
	p.X.Min, p.X.Max = x0, x1
	top := p.Y.Max
	// Head room above the data for the step labels; a flat series gets a visible band.
	span := p.Y.Max - p.Y.Min
	if span <= 0 || math.IsInf(span, 0) {
		v := p.Y.Max
		span = math.Abs(v) * 0.2
		if v == 0 {
			span = 1
		}
		p.Y.Min, p.Y.Max = v-span/2, v+span/2
		if v >= 0 && p.Y.Min < 0 {
			p.Y.Min, p.Y.Max = 0, span
		}
	}
	if len(marks) > 0 {
		p.Y.Max += 0.45 * span
	} else {
		p.Y.Max += 0.05 * span
	}
	if p.Y.Min > 0 && p.Y.Min < 0.25*p.Y.Max {
		p.Y.Min = 0
	}
	p.Add(markerPlotter{marks: marks, top: top, l: l})
}

// groupLine is the line style of plot group g: all counties dotted and thinner.
func groupLine(g int) draw.LineStyle {
	ls := draw.LineStyle{Color: plotColors[g], Width: vg.Points(1.4)}
	if g == 0 {
		ls.Width, ls.Dashes = vg.Points(1.1), []vg.Length{vg.Points(1.5), vg.Points(1.5)}
	}
	return ls
}

// markerLine is the line style of the PMC step markers.
var markerLine = draw.LineStyle{Color: markerColor, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}

// newPanelPlot builds one chart of the recorded plot groups.
func (r *Recorder) newPanelPlot(pn panel, marks []marker) *plot.Plot {
	p := newChartIn(r.opts.Lang, pn.title, pn.unit)
	for g, pts := range r.plot {
		xy := make(plotter.XYs, 0, len(pts))
		for _, pt := range pts {
			v := pn.value(pt)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			xy = append(xy, plotter.XY{X: float64(r.year(pt.month)) + float64((pt.month-1)%12)/12, Y: v})
		}
		if len(xy) == 0 {
			continue
		}
		l, err := newSeriesLine(xy)
		if err != nil {
			continue // unreachable: the points are finite
		}
		l.LineStyle = groupLine(g)
		p.Add(l)
	}
	frameChartIn(r.opts.Lang, p, float64(r.cfg.StartYear), float64(r.cfg.StartYear)+float64(r.month)/12, marks)
	return p
}

// constantPanel reports whether panel pn has the same value (or none) in every month of
// every group of the run: an outcome that cannot move in this scenario.
func (r *Recorder) constantPanel(pn panel) bool {
	first, seen := 0.0, false
	for _, pts := range r.plot {
		for _, pt := range pts {
			v := pn.value(pt)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			if !seen {
				first, seen = v, true
			} else if v != first {
				return false
			}
		}
	}
	return true
}

// withoutConstant returns f without the panels for which constant holds, and a note naming
// them once, under the figure. When every panel is constant the figure keeps them all (there
// is nothing else to show) and the note says so.
func withoutConstant(f figure, l Lang, constant func(panel) bool) figure {
	var keep []panel
	var left []string
	for _, pn := range f.panels {
		if constant(pn) {
			left = append(left, l.T(pn.title))
			continue
		}
		keep = append(keep, pn)
	}
	switch {
	case len(left) == 0:
		return f
	case len(keep) == 0:
		f.note = l.T("Every outcome of this figure stays constant in this scenario.")
		return f
	}
	f.panels = keep
	f.note = l.F("Not drawn, constant in this scenario: %s.", strings.Join(left, l.Sep()))
	return f
}

// figure returns f as drawn for this run: constant outcomes left out.
func (r *Recorder) figure(f figure) figure {
	return withoutConstant(f, r.opts.Lang, r.constantPanel)
}

// drawFigure draws f (as returned by r.figure) on c: a title, its panels tiled and aligned,
// and one legend below.
func (r *Recorder) drawFigure(f figure, c draw.Canvas) {
	l := r.opts.Lang
	marks := stepMarkers(r.cfg, r.steps, l)
	plots := make([]*plot.Plot, len(f.panels))
	for i, pn := range f.panels {
		plots[i] = r.newPanelPlot(pn, marks)
	}
	var es []legendEntry
	for g, pts := range r.plot {
		if len(pts) > 0 {
			es = append(es, legendEntry{label: l.T(plotLabels[g]), line: groupLine(g)})
		}
	}
	if len(marks) > 0 {
		es = append(es, legendEntry{label: l.T("PMC step dates"), line: markerLine})
	}
	drawTiledIn(l, c, f, plots, es)
}

// drawTiled draws a figure on c: a white page, the title, the charts (one per panel of f, in
// order) tiled and aligned in f.cols columns, and the legend entries in one row below.
func drawTiled(c draw.Canvas, f figure, charts []*plot.Plot, legend []legendEntry) {
	drawTiledIn(English, c, f, charts, legend)
}

// drawTiledIn is drawTiled with the title translated into l and the words in l's typeface;
// a figure's note (the outcomes left out) is written under the legend.
func drawTiledIn(l Lang, c draw.Canvas, f figure, charts []*plot.Plot, legend []legendEntry) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	title := textStyleIn(l, 14, color.Black)
	title.XAlign, title.YAlign = draw.XCenter, draw.YCenter
	c.FillText(title, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - titleH/2}, l.T(f.title))
	if f.note != "" {
		note := noteStyle(l)
		note.XAlign, note.YAlign = draw.XCenter, draw.YCenter
		lines := noteLines(l, f.note, c.Max.X-c.Min.X)
		h := noteHeight(len(lines))
		for i, line := range lines { // from the top line down to the page's foot
			y := c.Min.Y + h - noteH/2 - vg.Length(i)*noteLineH
			c.FillText(note, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: y}, line)
		}
		c = draw.Crop(c, 0, 0, h, 0)
	}

	rows := (len(charts) + f.cols - 1) / f.cols
	plots := make([][]*plot.Plot, rows)
	for i := range plots {
		plots[i] = make([]*plot.Plot, f.cols)
	}
	for i, p := range charts {
		plots[i/f.cols][i%f.cols] = p
	}
	tiles := draw.Tiles{Rows: rows, Cols: f.cols, PadX: vg.Points(18), PadY: vg.Points(14),
		PadLeft: vg.Points(6), PadRight: vg.Points(10), PadTop: vg.Points(2), PadBottom: vg.Points(4)}
	area := draw.Crop(c, 0, 0, legendH, -titleH)
	for j, row := range plot.Align(plots, tiles, area) {
		for i, tc := range row {
			if p := plots[j][i]; p != nil {
				p.Draw(tc)
			}
		}
	}
	drawLegend(l, draw.Crop(c, 0, 0, 0, legendH-(c.Max.Y-c.Min.Y)), legend)
}

// legendEntry is one legend item: a line sample, over a filled band swatch when band is set.
type legendEntry struct {
	label string
	line  draw.LineStyle
	band  color.Color
}

// drawLegend draws the legend entries in one centred row.
func drawLegend(l Lang, c draw.Canvas, es []legendEntry) {
	sty := textStyleIn(l, 10, color.Black)
	sty.YAlign = draw.YCenter
	const sample, gap, space = 22, 5, 20
	width := func() vg.Length {
		total := vg.Length(0)
		for _, e := range es {
			total += vg.Points(sample+gap+space) + sty.Width(e.label)
		}
		return total
	}
	total := width()
	// A legend wider than the figure is set in smaller type, down to 7 points.
	for size := vg.Length(9.5); total > c.Max.X-c.Min.X && size >= 7; size -= 0.5 {
		sty = textStyleIn(l, size, color.Black)
		sty.YAlign = draw.YCenter
		total = width()
	}
	x := (c.Min.X+c.Max.X)/2 - (total-vg.Points(space))/2
	y := (c.Min.Y + c.Max.Y) / 2
	for _, e := range es {
		if e.band != nil {
			c.SetColor(e.band)
			c.Fill(vg.Rectangle{Min: vg.Point{X: x, Y: y - vg.Points(5)}, Max: vg.Point{X: x + vg.Points(sample), Y: y + vg.Points(5)}}.Path())
		}
		if e.line.Color != nil {
			c.StrokeLine2(e.line, x, y, x+vg.Points(sample), y)
		}
		x += vg.Points(sample + gap)
		c.FillText(sty, vg.Point{X: x, Y: y}, e.label)
		x += sty.Width(e.label) + vg.Points(space)
	}
}

// size returns a figure's width and height in language l (its note may take several lines).
func (f figure) size(l Lang) (w, h vg.Length) {
	rows := (len(f.panels) + f.cols - 1) / f.cols
	w = vg.Length(f.cols) * tileW
	h = vg.Length(rows)*tileH + titleH + legendH
	if f.note != "" {
		h += noteHeight(len(noteLines(l, f.note, w)))
	}
	return w, h
}

// noteLineH is the distance between the lines of a note that takes more than one.
var noteLineH = vg.Points(13)

// noteHeight is the height of a note of n lines: noteH for the first, noteLineH for each other.
func noteHeight(n int) vg.Length { return noteH + vg.Length(n-1)*noteLineH }

// noteStyle is the typeface of a figure's note in l.
func noteStyle(l Lang) text.Style { return textStyleIn(l, 9, color.Gray{Y: 0x50}) }

// noteMargin is the room kept on each side of a figure's note.
const noteMargin = 12 * vg.Millimeter

// noteLines splits a figure's note into the lines that fit a page of the given width in l's
// note typeface (noteMargin kept on each side): the longest that fit, broken at a space (which
// is dropped) or after a Chinese list separator or comma where the line has one, anywhere in a
// run without (Chinese). A comma or semicolon with no space after it (12,345) is no break.
func noteLines(l Lang, note string, width vg.Length) []string {
	sty := noteStyle(l)
	room := width - 2*noteMargin
	rs := []rune(note)
	var lines []string
	for start := 0; start < len(rs); {
		if sty.Width(string(rs[start:])) <= room {
			lines = append(lines, string(rs[start:]))
			break
		}
		end, brk := start+1, -1 // rs[start:end] fits; brk is the last break within it
		for end < len(rs) && sty.Width(string(rs[start:end+1])) <= room {
			end++
			if strings.ContainsRune(" 、，；", rs[end-1]) {
				brk = end
			}
		}
		if brk > start {
			end = brk
		}
		lines = append(lines, strings.TrimRight(string(rs[start:end]), " "))
		for start = end; start < len(rs) && rs[start] == ' '; start++ {
		}
	}
	return lines
}

// renderFigure writes f in format ("png" or "svg") to w.
func (r *Recorder) renderFigure(w io.Writer, f figure, format string) error {
	f = r.figure(f)
	return renderIn(r.opts.Lang, w, f, format, func(c draw.Canvas) { r.drawFigure(f, c) })
}

// render draws a figure of f's size with paint and writes it in format ("png" or "svg") to w.
func render(w io.Writer, f figure, format string, paint func(draw.Canvas)) error {
	return renderIn(English, w, f, format, paint)
}

// renderIn is render for a figure in language l: a Chinese SVG embeds its font (the CJK
// subset), so that it shows the same on a machine without Chinese fonts.
func renderIn(l Lang, w io.Writer, f figure, format string, paint func(draw.Canvas)) error {
	width, height := f.size(l)
	switch format {
	case "png":
		c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(pngDPI))
		paint(draw.New(c))
		_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
		return err
	case "svg":
		c := newSVGCanvasWith(svgUseWH(width, height), svgEmbedFonts(l == Chinese))
		paint(draw.New(c))
		_, err := c.WriteTo(w)
		return err
	}
	return fmt.Errorf("unknown figure format %q", format)
}

// figureJob is one figure file to render: its name and how to draw it.
type figureJob struct {
	name   string
	render func(io.Writer) error
}

// figureJobs are the figures of the run in every requested format, then the map, in manifest
// order.
func (r *Recorder) figureJobs() []figureJob {
	var jobs []figureJob
	for _, f := range figures {
		for _, format := range r.opts.Formats {
			jobs = append(jobs, figureJob{f.name + "." + format, func(w io.Writer) error { return r.renderFigure(w, f, format) }})
		}
	}
	return append(jobs, r.mapJobs()...)
}

// writePlots renders every figure (and the map) in every requested format, at most
// GOMAXPROCS at once, each into its own buffer, then writes the files in a fixed order: the
// bytes and the manifest do not depend on the timing.
func (r *Recorder) writePlots() error {
	jobs := r.figureJobs()
	bufs := make([]chunkBuf, len(jobs)) // in chunks: the national map's SVG is megabytes
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, max(runtime.GOMAXPROCS(0), 1))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = j.render(&bufs[i])
		}()
	}
	wg.Wait()
	for i, j := range jobs {
		if errs[i] != nil {
			return fmt.Errorf("results: %s: %w", filepath.Join(r.dir, j.name), errs[i])
		}
		pf, err := writeWith(r.dir, j.name, func(w io.Writer) error {
			_, err := bufs[i].WriteTo(w)
			return err
		})
		if err := r.add(pf, err); err != nil {
			return err
		}
	}
	return nil
}
