package results

import (
	"bytes"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/sim"
)

// glyphCases are lines that stress seriesLine's choice of boxes: monotone (every point a new
// extreme), flat (every point ties), several points at the same extreme, points outside the
// axis range, a single point, a line whose extreme is shared with another line.
func glyphCases() map[string][]plotter.XYs {
	rng := rand.New(rand.NewPCG(5, 6))
	walk := func(n int, drift float64) plotter.XYs {
		xy := make(plotter.XYs, n)
		v := 10.0
		for i := range xy {
			v += drift + rng.NormFloat64()
			xy[i] = plotter.XY{X: 2005 + float64(i)/12, Y: v}
		}
		return xy
	}
	flat := make(plotter.XYs, 50)
	for i := range flat {
		flat[i] = plotter.XY{X: 2005 + float64(i)/12, Y: 3}
	}
	ties := walk(120, 0)
	for _, i := range []int{7, 30, 31, 90} {
		ties[i].Y = -20
	}
	for _, i := range []int{3, 60, 119} {
		ties[i].Y = 40
	}
	back := walk(60, 0.2)
	for i := range back {
		back[i].X = 2010 - float64(i)/12 // time running backwards
	}
	return map[string][]plotter.XYs{
		"walks":       {walk(240, 0.3), walk(240, -0.1), walk(240, 0)},
		"monotone":    {walk(240, 5), walk(240, -5)},
		"flat":        {flat, flat},
		"ties":        {ties, walk(120, 0)},
		"backwards":   {back},
		"single":      {{{X: 2006, Y: 1}}, walk(24, 0)},
		"shared edge": {{{X: 2005, Y: -3}, {X: 2006, Y: 5}}, {{X: 2005, Y: -3}, {X: 2007, Y: 5}}},
	}
}

// glyphPlot builds a chart of lines (seriesLine or plotter.Line) in the figures' style, with
// the axis ranges of frameChart or clipped ranges that put points outside [0, 1].
func glyphPlot(t testing.TB, lines []plotter.XYs, fast, clip bool) *plot.Plot {
	p := newChart("t", "u")
	for g, xy := range lines {
		var pl plot.Plotter
		if fast {
			l, err := newSeriesLine(xy)
			if err != nil {
				t.Fatal(err)
			}
			l.LineStyle = groupLine(g % 3)
			pl = l
		} else {
			l, err := plotter.NewLine(xy)
			if err != nil {
				t.Fatal(err)
			}
			l.LineStyle = groupLine(g % 3)
			pl = l
		}
		p.Add(pl)
	}
	frameChart(p, 2005, 2025, nil)
	if clip {
		span := p.Y.Max - p.Y.Min
		p.Y.Min += span / 4
		p.Y.Max -= span / 4
		p.X.Min += 1
	}
	return p
}

// TestSeriesLineSamePadding checks that charts of seriesLine pad their data area and draw
// exactly as charts of plotter.Line: the same data canvas on canvases of several sizes and
// offsets, and the same SVG bytes.
func TestSeriesLineSamePadding(t *testing.T) {
	canvases := []vg.Rectangle{
		{Max: vg.Point{X: 360, Y: 245}},
		{Min: vg.Point{X: 400, Y: 300}, Max: vg.Point{X: 720, Y: 500}},
		{Min: vg.Point{X: 1, Y: 2}, Max: vg.Point{X: 40, Y: 30}},
		{Min: vg.Point{X: 0.5, Y: 0.5}, Max: vg.Point{X: 1e4, Y: 3e3}},
	}
	for name, lines := range glyphCases() {
		for _, clip := range []bool{false, true} {
			slow, fast := glyphPlot(t, lines, false, clip), glyphPlot(t, lines, true, clip)
			for _, rect := range canvases {
				c := draw.Canvas{Canvas: vgsvg.New(rect.Max.X+10, rect.Max.Y+10), Rectangle: rect}
				if got, want := fast.DataCanvas(c).Rectangle, slow.DataCanvas(c).Rectangle; got != want {
					t.Errorf("%s (clipped %v), canvas %v: data area %v, plotter.Line gives %v", name, clip, rect, got, want)
				}
			}
			var a, b bytes.Buffer
			for _, x := range []struct {
				p *plot.Plot
				w *bytes.Buffer
			}{{slow, &a}, {fast, &b}} {
				c := vgsvg.New(5*vg.Inch, 3.4*vg.Inch)
				x.p.Draw(draw.New(c))
				if _, err := c.WriteTo(x.w); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s (clipped %v): the SVG of seriesLine differs from plotter.Line's", name, clip)
			}
		}
	}
}

// TestSeriesLineKeepsFewBoxes checks that seriesLine gives far fewer boxes than points (what
// it is for), flat lines included, and none when the line has no width.
func TestSeriesLineKeepsFewBoxes(t *testing.T) {
	lines := glyphCases()["walks"]
	p := glyphPlot(t, lines, true, false)
	n := len(p.GlyphBoxes(p))
	if n == 0 || n > 12 {
		t.Fatalf("%d glyph boxes for 3 lines of 240 points: want 1 to 12", n)
	}
	flat := glyphPlot(t, glyphCases()["flat"], true, false)
	if n := len(flat.GlyphBoxes(flat)); n == 0 || n > 8 {
		t.Fatalf("%d glyph boxes for 2 flat lines of 50 points: want 1 to 8", n)
	}
	l, _ := newSeriesLine(lines[0])
	l.LineStyle = draw.LineStyle{Color: color.Black}
	if b := l.GlyphBoxes(p); len(b) != 0 {
		t.Fatalf("a line of no width: %d boxes, want 0", len(b))
	}
}

// TestBoxTextSameAsPlain checks that the remembering text handler measures as text.Plain.
func TestBoxTextSameAsPlain(t *testing.T) {
	h := newBoxText()
	for _, s := range []string{"", "2010", "Approval time, all requests (mean)", "河南 2010", "a\nb"} {
		for _, size := range []vg.Length{7, 9.5, 14} {
			f := textStyleIn(English, size, color.Black).Font
			for range 2 { // measured, then remembered
				w, ht, d := h.Box(s, f)
				pw, pht, pd := h.Plain.Box(s, f)
				if w != pw || ht != pht || d != pd || math.IsNaN(float64(w)) {
					t.Fatalf("%q at %v: got %v %v %v, text.Plain %v %v %v", s, size, w, ht, d, pw, pht, pd)
				}
			}
		}
	}
}

// BenchmarkChartLayout measures laying out a chart of three 240-month lines (what padX and
// padY cost in every figure), with plotter.Line and with seriesLine.
func BenchmarkChartLayout(b *testing.B) {
	lines := glyphCases()["walks"]
	c := draw.Canvas{Canvas: vgsvg.New(360, 245), Rectangle: vg.Rectangle{Max: vg.Point{X: 360, Y: 245}}}
	for _, fast := range []bool{false, true} {
		name := "plotter.Line"
		if fast {
			name = "seriesLine"
		}
		b.Run(name, func(b *testing.B) {
			p := glyphPlot(b, lines, fast, false)
			b.ReportAllocs()
			for b.Loop() {
				p.DataCanvas(c)
			}
		})
	}
}

// BenchmarkFigureSVG measures drawing the five figures of a 20-year run as SVG (what
// `countysim run` draws by default), one after the other.
func BenchmarkFigureSVG(b *testing.B) {
	m := testkit.NewModel(b, tinyConfig(240))
	rec, err := NewRecorder(b.TempDir(), m, testMeta, Options{Plots: true, Formats: []string{"svg"}})
	if err != nil {
		b.Fatal(err)
	}
	defer rec.Abort()
	if err := m.Run(rec.Observe); err != nil {
		b.Fatal(err)
	}
	var w bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range figures {
			w.Reset()
			if err := rec.renderFigure(&w, f, "svg"); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestBoxTextDrawsAsPlain checks that the remembering handler draws text as text.Plain: the
// same SVG for one- and two-line labels, every alignment, rotated or not, English and Chinese.
func TestBoxTextDrawsAsPlain(t *testing.T) {
	draw1 := func(h text.Handler) []byte {
		c := vgsvg.New(300, 200)
		dc := draw.New(c)
		for i, s := range []string{"2010", "Approval time, all requests (mean)", "two\nlines", "河南 2010 年", ""} {
			for j, l := range []Lang{English, Chinese} {
				sty := textStyleIn(l, vg.Length(7+i), color.Black)
				sty.Handler = h
				sty.XAlign, sty.YAlign = draw.XAlignment(-0.5*float64(i%3)), draw.YAlignment(-0.5*float64(j))
				if i%2 == 1 {
					sty.Rotation = math.Pi / 2
				}
				dc.FillText(sty, vg.Point{X: vg.Length(20 + 40*i), Y: vg.Length(30 + 80*j)}, s)
			}
		}
		var b bytes.Buffer
		if _, err := c.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	plain := draw1(newBoxText().Plain)
	for range 2 { // measured, then remembered
		if got := draw1(figureText); !bytes.Equal(got, plain) {
			t.Fatal("text drawn by boxText differs from text.Plain's")
		}
	}
	if !bytes.Contains(plain, []byte("<text")) {
		t.Fatal("no text drawn: the test proves nothing")
	}
}

// BenchmarkCountyRows measures writing one year of a Henan-size yearly panel (109 rows).
func BenchmarkCountyRows(b *testing.B) {
	r := &Recorder{opts: Options{Panel: "yearly"}, info: make([]countyInfo, 109)}
	for i := range r.info {
		r.info[i] = countyInfo{id: i + 1, name: "county", code: "410100", province: "Henan", pref: "pref", prefCode: "4101", tercile: i%3 + 1}
	}
	cols := r.idColumns()
	for k, d := range sim.Metrics {
		if !slices.ContainsFunc(cols, func(c column) bool { return c.name == d.Name }) {
			r.panel = append(r.panel, k)
		}
	}
	var sink bytes.Buffer
	r.counties, _ = newCSVTable(&sink, CountiesFile, cols)
	r.formatFixedParts()
	values := make([]float64, len(r.info)*sim.NumMetrics)
	b.ReportAllocs()
	for y := 0; b.Loop(); y++ {
		for i := range values {
			values[i] = float64(i*7+y) * 1.000123
		}
		if err := r.writeCounties(values, 2005+y%20, 0); err != nil {
			b.Fatal(err)
		}
		if sink.Len() > 1<<20 {
			sink.Reset()
		}
	}
}

// TestNoteLines: a figure's note is cut into lines that fit the page, English at spaces (the
// lines joined by spaces give the note back), Chinese at its list separators or anywhere, and
// loses no character.
func TestNoteLines(t *testing.T) {
	width := 3 * tileW
	for _, tc := range []struct {
		l    Lang
		note string
	}{
		{English, "PRE-TREND: the joint pre-trend test rejects at 10% in more than 20% of runs for " + strings.Repeat("growth (25%), gdp_per_capita (100%), ", 12) + "and so on"},
		{Chinese, "平行趋势警告：" + strings.Repeat("经济增长率（25%）、人均地区生产总值（100%）、", 12) + "不可信"},
		{Chinese, strings.Repeat("没有分隔符的一长串中文", 30)},
	} {
		lines := noteLines(tc.l, tc.note, width)
		if len(lines) < 2 {
			t.Errorf("%s: %d line(s) for a note of %d characters", tc.l, len(lines), len([]rune(tc.note)))
		}
		sty := noteStyle(tc.l)
		joined := ""
		for i, line := range lines {
			if w := sty.Width(line); w > width-2*noteMargin {
				t.Errorf("%s: line %d is %v wide, the room %v", tc.l, i, w, width-2*noteMargin)
			}
			if i > 0 && tc.l == English {
				joined += " "
			}
			joined += line
		}
		if joined != tc.note {
			t.Errorf("%s: the lines joined are %q, want the note", tc.l, joined)
		}
	}
	if got := noteLines(English, "short", width); len(got) != 1 || got[0] != "short" {
		t.Errorf("a short note: %q", got)
	}
}

// TestNoteLinesKeepNumbersWhole: a thousands separator is no place to break a line.
func TestNoteLinesKeepNumbersWhole(t *testing.T) {
	note := strings.Repeat("12,345,678 ", 60)
	for _, line := range noteLines(English, strings.TrimSpace(note), 3*tileW) {
		for _, w := range strings.Fields(line) {
			if w != "12,345,678" {
				t.Fatalf("a number cut: %q in line %q", w, line)
			}
		}
	}
}
