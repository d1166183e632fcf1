package results

import (
	"fmt"
	"image/color"
	"math"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// sensitivityBar is one factor of a sensitivity chart: two indexes (S1 and ST, or mu* and
// sigma), each with its 90% interval (NaN when the method gives none).
type sensitivityBar struct {
	Factor         string
	A, ALow, AHigh float64
	B, BLow, BHigh float64
}

// tooWide reports whether an index's interval is wider than the index itself: the sample is
// too small to tell the index from zero or to rank the factors by it.
func tooWide(v, lo, hi float64) bool {
	return !math.IsNaN(lo) && !math.IsNaN(hi) && hi-lo > math.Abs(v)
}

// sensitivityWarning says in l which factors' intervals are wider than their index, or ""
// when none are. Morris screening has no intervals; its warning says so once.
func sensitivityWarning(l Lang, method string, bars []sensitivityBar) string {
	if method == "morris" {
		return l.T("Morris screening: no intervals; read mu* as a ranking only, and a large sigma as interactions or nonlinearity.")
	}
	var wide []string
	for _, b := range bars {
		if tooWide(b.A, b.ALow, b.AHigh) || tooWide(b.B, b.BLow, b.BHigh) {
			wide = append(wide, b.Factor)
		}
	}
	if len(wide) == 0 {
		return ""
	}
	return l.F("Sample too small: the 90%% interval is wider than the index for %d of %d factors; more base samples narrow them.", len(wide), len(bars))
}

// errorBars are vertical 90% intervals drawn over bars at offset from each category.
type errorBars struct {
	v, lo, hi []float64
	offset    vg.Length
	line      draw.LineStyle
}

func (e errorBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	cap := vg.Points(3)
	for i := range e.v {
		if math.IsNaN(e.lo[i]) || math.IsNaN(e.hi[i]) {
			continue
		}
		x := trX(float64(i)) + e.offset
		y0, y1 := trY(e.lo[i]), trY(e.hi[i])
		c.StrokeLine2(e.line, x, y0, x, y1)
		c.StrokeLine2(e.line, x-cap, y0, x+cap, y0)
		c.StrokeLine2(e.line, x-cap, y1, x+cap, y1)
	}
}

// DataRange covers the intervals, so they are never cut off.
func (e errorBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = 0, float64(len(e.v)-1)
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for i := range e.v {
		for _, y := range []float64{e.v[i], e.lo[i], e.hi[i]} {
			if !math.IsNaN(y) {
				ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
			}
		}
	}
	if math.IsInf(ymin, 1) {
		ymin, ymax = 0, 1
	}
	return
}

// sensitivityChart draws paired bars per factor (S1 and ST, or mu* and sigma) with their 90%
// intervals as error bars, and under the title the warning of sensitivityWarning when the
// sample is too small for them. It writes a PNG to path and returns the warning.
func sensitivityChart(l Lang, path, metric, group, method, nameA, nameB string, bars []sensitivityBar) (string, error) {
	p := plot.New()
	p.Title.Text = l.F("Sensitivity of %s (%s)", l.MetricName(metric), GroupLabel(l, group))
	p.Title.TextStyle.Font = font.From(face(l), 11)
	p.Title.Padding = vg.Points(6)
	p.Y.Label.Text = l.T("index, with 90% interval")
	if method == "morris" {
		p.Y.Label.Text = l.F("elementary effect (units of %s per factor range)", l.MetricName(metric))
	}
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(face(l), 9)
		ax.Tick.Label.Font = font.From(face(l), 8)
	}
	p.Legend.TextStyle.Font = font.From(face(l), 9)
	n := len(bars)
	a, b := make(plotter.Values, n), make(plotter.Values, n)
	aLo, aHi, bLo, bHi := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	labels := make([]string, n)
	for i, s := range bars {
		a[i], b[i], labels[i] = s.A, s.B, s.Factor
		aLo[i], aHi[i], bLo[i], bHi[i] = s.ALow, s.AHigh, s.BLow, s.BHigh
	}
	w := vg.Points(14)
	barsA, err := plotter.NewBarChart(a, w)
	if err != nil {
		return "", err
	}
	barsA.Color = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
	barsA.Offset = -w / 2
	barsB, err := plotter.NewBarChart(b, w)
	if err != nil {
		return "", err
	}
	barsB.Color = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}
	barsB.Offset = w / 2
	ink := draw.LineStyle{Color: color.Black, Width: vg.Points(1)}
	p.Add(barsA, barsB, errorBars{a, aLo, aHi, -w / 2, ink}, errorBars{b, bLo, bHi, w / 2, ink})
	p.Legend.Add(l.T(nameA), barsA) // the indices' names: S1 and ST, or mu_star and sigma (μ* and σ in Chinese)
	p.Legend.Add(l.T(nameB), barsB)
	p.Legend.Top = true
	p.NominalX(labels...)
	p.X.Min, p.X.Max = -0.6, float64(n)-0.4 // room for the outer bars and their intervals
	p.X.Tick.Label.Rotation = 0.3
	p.X.Tick.Label.XAlign = -0.9
	warn := sensitivityWarning(l, method, bars)
	width, height := vg.Length(max(7, n*2))*vg.Inch/2*1.4, 4.5*vg.Inch
	c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(pngDPI))
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	area := dc
	if warn != "" {
		sty := textStyleIn(l, 9, color.RGBA{R: 0xb4, G: 0x23, B: 0x18, A: 0xff})
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
		dc.FillText(sty, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: dc.Min.Y + noteH/2}, fitLabel(sty, warn, dc.Max.X-dc.Min.X-vg.Points(8)))
		area = draw.Crop(dc, 0, 0, noteH, 0)
	}
	p.Draw(area)
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(f); err != nil {
		f.Close()
		return "", fmt.Errorf("writing %s: %w", path, err)
	}
	return warn, f.Close()
}
