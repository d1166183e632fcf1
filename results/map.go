package results

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/countysim/countysim/geo"
	"github.com/countysim/countysim/observe"
)

// The map: a schematic map of the world's prefectures (outlines from
// data/prefectures-2020-outlines.csv, simplified) with each county as a marker inside its
// prefecture, coloured by an outcome. The census gives no county coordinates, so the markers
// are placed, in county-code order, on a regular grid of points inside the prefecture's
// outline (see placeCounties); their positions within a prefecture mean nothing. The map says
// so in its note. It can be drawn only for a world whose counties carry division codes (the
// real presets); MapFiles are not written otherwise.

// MapFile is the base name of the map files (map.png, map.svg).
const MapFile = "map"

// MapOutcome is what colours the counties of one map panel.
type MapOutcome int

// The map outcomes.
const (
	// MapStep is the county's PMC step at the end of the run (0 to 3).
	MapStep MapOutcome = iota
	// MapDebt is its debt warning at the end of the run (0 none, 1 yellow, 2 red).
	MapDebt
	// MapGrowthChange is the change in its annual GDP growth from the first to the last year
	// of the run, percentage points.
	MapGrowthChange
	// MapApprovalChange is the change in its mean approval days from the first to the last
	// year, percent.
	MapApprovalChange
	// MapGrowthDifference is a difference in mean annual growth over the run between two
	// scenarios (same seed), percentage points.
	MapGrowthDifference
	// MapHidden is its hidden debt at the end of the run against the lines of the debt
	// warning, which counts explicit debt only: hidden debt over annual revenue, 0 none, 1 below
	// the yellow line, 2 at or above it, 3 at or above the red line.
	MapHidden
)

// MapPanel is one map: a title, the outcome and the county values it shows.
type MapPanel struct {
	Title   string
	Outcome MapOutcome
	Values  []float64
}

// RunMapPanels are the five maps of one run: PMC step, debt warning, hidden debt against the
// warning's lines (which the warning does not see), change in growth and change in approval
// days.
func RunMapPanels(l Lang, o *observe.CountyOutcomes) []MapPanel {
	n := len(o.Step)
	step, warn, hid, dg, da := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		step[i], warn[i], hid[i] = float64(o.Step[i]), float64(o.Warning[i]), float64(o.Hidden[i])
		dg[i] = 100 * (o.GrowthLast[i] - o.GrowthFirst[i])
		da[i] = math.NaN()
		if o.ApprovalFirst[i] > 0 {
			da[i] = 100 * (o.ApprovalLast[i]/o.ApprovalFirst[i] - 1)
		}
	}
	return []MapPanel{
		{l.T("PMC step at the end"), MapStep, step},
		{l.T("Debt warning at the end"), MapDebt, warn},
		{l.T("Hidden debt at the end, against the warning lines"), MapHidden, hid},
		{l.T("Change in GDP growth, first to last year (pp)"), MapGrowthChange, dg},
		{l.T("Change in approval days, first to last year (%)"), MapApprovalChange, da},
	}
}

// Map colours.
var (
	mapLand    = color.RGBA{R: 0xf2, G: 0xf0, B: 0xeb, A: 0xff}
	mapBorder  = color.RGBA{R: 0x90, G: 0x90, B: 0x90, A: 0xff}
	mapMissing = color.RGBA{R: 0xcc, G: 0xcc, B: 0xcc, A: 0xff}
	stepColors = []color.Color{
		color.RGBA{R: 0xd9, G: 0xd9, B: 0xd9, A: 0xff}, // not a pilot
		color.RGBA{R: 0x9e, G: 0xca, B: 0xe1, A: 0xff},
		color.RGBA{R: 0x42, G: 0x92, B: 0xc6, A: 0xff},
		color.RGBA{R: 0x08, G: 0x45, B: 0x94, A: 0xff},
	}
	hiddenColors = []color.Color{
		color.RGBA{R: 0xe8, G: 0xe8, B: 0xe8, A: 0xff},
		color.RGBA{R: 0xcb, G: 0xb8, B: 0xde, A: 0xff},
		color.RGBA{R: 0x8e, G: 0x6b, B: 0xb8, A: 0xff},
		color.RGBA{R: 0x4b, G: 0x23, B: 0x78, A: 0xff},
	}
	warnColors = []color.Color{
		color.RGBA{R: 0x74, G: 0xc4, B: 0x76, A: 0xff},
		color.RGBA{R: 0xfe, G: 0xd9, B: 0x76, A: 0xff},
		color.RGBA{R: 0xe3, G: 0x1a, B: 0x1c, A: 0xff},
	}
)

// categories returns the legend labels of a categorical outcome (nil for a continuous one).
func (mo MapOutcome) categories() ([]string, []color.Color) {
	switch mo {
	case MapStep:
		return []string{"no reform", "step 1", "step 2", "step 3"}, stepColors
	case MapDebt:
		return []string{"no warning", "yellow", "red"}, warnColors
	case MapHidden:
		return []string{"no hidden debt", "below yellow", "at yellow", "at red"}, hiddenColors
	}
	return nil, nil
}

// diverging maps t in [-1, 1] to blue (negative), white (0), red (positive).
func diverging(t float64) color.Color {
	t = math.Max(-1, math.Min(1, t))
	lerp := func(a, b uint8, f float64) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*f)) }
	if t < 0 {
		return color.RGBA{R: lerp(0xf7, 0x21, -t), G: lerp(0xf7, 0x66, -t), B: lerp(0xf7, 0xac, -t), A: 0xff}
	}
	return color.RGBA{R: lerp(0xf7, 0xb2, t), G: lerp(0xf7, 0x18, t), B: lerp(0xf7, 0x2b, t), A: 0xff}
}

// scaleOf returns the symmetric colour range of a continuous panel: the 95th percentile of the
// absolute values, rounded up to 1, 2 or 5 times a power of ten.
func scaleOf(v []float64) float64 {
	var a []float64
	for _, x := range v {
		if !math.IsNaN(x) {
			a = append(a, math.Abs(x))
		}
	}
	if len(a) == 0 {
		return 1
	}
	sort.Float64s(a)
	q := a[min(len(a)-1, len(a)*95/100)]
	if q <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(q)))
	for _, m := range []float64{1, 2, 5, 10} {
		if q <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// Map layout.
const (
	mapTileW  = 5 * vg.Inch
	mapTileH  = 4.6 * vg.Inch
	mapTitleH = 0.5 * vg.Inch
	mapNoteH  = 0.35 * vg.Inch
	mapCols   = 2
)

// mapSize returns the figure size of n panels.
func mapSize(n int) (vg.Length, vg.Length) {
	cols := min(n, mapCols)
	rows := (n + cols - 1) / cols
	return vg.Length(cols) * mapTileW, vg.Length(rows)*mapTileH + mapTitleH + mapNoteH
}

// WriteMap draws the map panels of the counties of o under title, in format ("png" or "svg").
func WriteMap(w io.Writer, l Lang, format, title string, o *observe.CountyOutcomes, panels []MapPanel) error {
	g, err := geo.Build(o)
	if err != nil {
		return err
	}
	for _, p := range panels {
		if len(p.Values) != len(o.Code) {
			return fmt.Errorf("results: map panel %q has %d values for %d counties", p.Title, len(p.Values), len(o.Code))
		}
	}
	width, height := mapSize(len(panels))
	paint := func(c draw.Canvas) { drawMap(l, c, title, g, panels) }
	switch format {
	case "png":
		c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(pngDPI))
		paint(draw.New(c))
		_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
		return err
	case "svg":
		c := newSVGCanvas(width, height)
		paint(draw.New(c))
		_, err := c.WriteTo(w)
		return err
	}
	return fmt.Errorf("results: unknown map format %q", format)
}

func drawMap(l Lang, c draw.Canvas, title string, g *geo.Geometry, panels []MapPanel) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	ts := textStyleIn(l, 14, color.Black)
	ts.XAlign, ts.YAlign = draw.XCenter, draw.YTop
	c.FillText(ts, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - vg.Points(8)}, title)
	ns := textStyleIn(l, 8.5, color.Gray{Y: 0x40})
	ns.XAlign, ns.YAlign = draw.XCenter, draw.YCenter
	c.FillText(ns, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Min.Y + mapNoteH/2}, l.T(geo.Note))
	cols := min(len(panels), mapCols)
	for k, p := range panels {
		col, row := k%cols, k/cols
		x0 := c.Min.X + vg.Length(col)*mapTileW
		y1 := c.Max.Y - mapTitleH - vg.Length(row)*mapTileH
		tile := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: x0, Y: y1 - mapTileH}, Max: vg.Point{X: x0 + mapTileW, Y: y1}}}
		drawMapPanel(l, tile, g, p)
	}
}

// drawMapPanel draws one panel: its title, the outlines, the markers and the legend.
func drawMapPanel(lang Lang, c draw.Canvas, g *geo.Geometry, p MapPanel) {
	pad := vg.Points(10)
	ts := textStyleIn(lang, 11, color.Black)
	ts.XAlign, ts.YAlign = draw.XCenter, draw.YTop
	c.FillText(ts, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - vg.Points(4)}, p.Title)
	legendH := vg.Points(26)
	area := vg.Rectangle{Min: vg.Point{X: c.Min.X + pad, Y: c.Min.Y + legendH}, Max: vg.Point{X: c.Max.X - pad, Y: c.Max.Y - vg.Points(22)}}
	w, h := float64(area.Max.X-area.Min.X), float64(area.Max.Y-area.Min.Y)
	gw, gh := g.MaxX-g.MinX, g.MaxY-g.MinY
	scale := math.Min(w/math.Max(gw, 1e-9), h/math.Max(gh, 1e-9))
	ox := float64(area.Min.X) + (w-gw*scale)/2
	oy := float64(area.Min.Y) + (h-gh*scale)/2
	at := func(p geo.Point) vg.Point {
		return vg.Point{X: vg.Length(ox + (p.X-g.MinX)*scale), Y: vg.Length(oy + (p.Y-g.MinY)*scale)}
	}
	border := draw.LineStyle{Color: mapBorder, Width: vg.Points(0.5)}
	// One path reused for every outline and marker (the canvases copy what they keep): at
	// national size the rings' paths were some 30 MB of garbage a map.
	var path vg.Path
	for _, r := range g.Rings {
		path = path[:0]
		for k, q := range r {
			if k == 0 {
				path.Move(at(q))
			} else {
				path.Line(at(q))
			}
		}
		path.Close()
		c.SetColor(mapLand)
		c.Fill(path)
		c.SetLineStyle(border)
		c.Stroke(path)
	}
	radius := vg.Length(math.Max(0.8, math.Min(4.5, 0.42*g.Spacing*scale)))
	labels, colors := p.Outcome.categories()
	sc := scaleOf(p.Values)
	for i, q := range g.Counties {
		v := p.Values[i]
		var col color.Color = mapMissing
		switch {
		case math.IsNaN(v):
		case labels != nil:
			if k := int(v); k >= 0 && k < len(colors) {
				col = colors[k]
			}
		default:
			col = diverging(v / sc)
		}
		path = appendCircle(path[:0], at(q), radius)
		c.SetColor(col)
		c.Fill(path)
		c.SetLineStyle(draw.LineStyle{Color: color.Gray{Y: 0x50}, Width: vg.Points(0.3)})
		c.Stroke(path)
	}
	leg := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{Min: c.Min, Max: vg.Point{X: c.Max.X, Y: c.Min.Y + legendH}}}
	if labels != nil {
		var es []legendEntry
		for k, name := range labels {
			es = append(es, legendEntry{label: lang.T(name), band: colors[k]})
		}
		drawLegend(lang, leg, es)
		return
	}
	var es []legendEntry
	for _, t := range []float64{-1, -0.5, 0, 0.5, 1} {
		es = append(es, legendEntry{label: fmt.Sprintf("%+.3g", t*sc), band: diverging(t)})
	}
	drawLegend(lang, leg, es)
}

// appendCircle appends a circle of radius r around p to path.
func appendCircle(path vg.Path, p vg.Point, r vg.Length) vg.Path {
	path.Move(vg.Point{X: p.X + r, Y: p.Y})
	path.Arc(p, r, 0, 2*math.Pi)
	path.Close()
	return path
}

// mapJobs are map.svg and map.png (the requested formats) when the world has codes.
func (r *Recorder) mapJobs() []figureJob {
	if r.outcomes == nil {
		return nil
	}
	l := r.opts.Lang
	title := l.F("Counties of %s", r.meta.Scenario)
	panels := RunMapPanels(l, r.outcomes)
	var jobs []figureJob
	for _, format := range r.opts.Formats {
		jobs = append(jobs, figureJob{MapFile + "." + format, func(w io.Writer) error { return WriteMap(w, l, format, title, r.outcomes, panels) }})
	}
	return jobs
}

// maxMapPanels bounds the panels of a comparison map.
const maxMapPanels = 6

// ComparisonMapPanels are the maps of a comparison: the PMC step at the end in the first
// scenario that has pilots, then for each other scenario (up to five) its mean annual growth over the run minus the
// reference's, county by county, both from the first replication (same seed). Nil when the
// ensembles lack county outcomes or their counties differ.
func ComparisonMapPanels(l Lang, es []*observe.Ensemble) []MapPanel {
	if len(es) == 0 || !es[0].Map.HasCodes() {
		return nil
	}
	ref := es[0].Map
	for _, e := range es[1:] {
		if e.Map == nil || !slices.Equal(e.Map.Code, ref.Code) {
			return nil
		}
	}
	// The steps of the first scenario with pilots (of the reference if none has any).
	shown := es[0]
	for _, e := range es {
		if slices.ContainsFunc(e.Map.Step, func(s int) bool { return s > 0 }) {
			shown = e
			break
		}
	}
	step := make([]float64, len(ref.Step))
	for i, s := range shown.Map.Step {
		step[i] = float64(s)
	}
	panels := []MapPanel{{Title: l.F("%s: PMC step at the end", shown.Name), Outcome: MapStep, Values: step}}
	for _, e := range es[1:] {
		if len(panels) == maxMapPanels {
			break
		}
		d := make([]float64, len(ref.Step))
		for i := range d {
			d[i] = 100 * (e.Map.GrowthMean[i] - ref.GrowthMean[i])
		}
		panels = append(panels, MapPanel{Title: l.F("%s minus %s: mean growth (pp)", e.Name, es[0].Name), Outcome: MapGrowthDifference, Values: d})
	}
	return panels
}

// writeComparisonMap writes map.png and map.svg of a comparison of real worlds, and returns
// the map as the report shows it (nil when the world has no map).
func writeComparisonMap(l Lang, o *outputs, es []*observe.Ensemble) (*reportFigure, error) {
	panels := ComparisonMapPanels(l, es)
	if panels == nil {
		return nil, nil
	}
	title := l.T("Counties compared (first replication)")
	var png bytes.Buffer
	for _, format := range []string{"png", "svg"} {
		err := o.write(MapFile+"."+format, func(w io.Writer) error {
			if format == "png" {
				w = io.MultiWriter(w, &png)
			}
			return WriteMap(w, l, format, title, es[0].Map, panels)
		})
		if err != nil {
			return nil, err
		}
	}
	return &reportFigure{Title: title, File: MapFile + ".png", PNG: png.Bytes()}, nil
}
