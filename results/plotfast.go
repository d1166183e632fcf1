package results

import (
	"math"
	"slices"
	"strings"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// seriesLine is a plotter.Line that gives the plot only the glyph boxes that can decide its
// padding, so the figures are the same bytes at a fraction of the cost.
//
// gonum's plot pads its data area so that no glyph box sticks out: padX and padY (called
// some six times per chart while it is aligned and drawn) take, among the boxes of
// Plot.GlyphBoxes, the first with the smallest (leftMost, bottomMost) or largest (rightMost,
// topMost) edge on the canvas, if that edge is beyond the canvas. plotter.Line gives one box
// per point, all of the same size, so a line of 240 months makes 240 boxes each time. A box's
// edge is the canvas's affine map of its normalised X (or Y) plus a constant of the line, so
// only the boxes with the smallest or largest X or Y can be chosen, and others whose edge
// rounds to the same canvas coordinate (then the first in order wins). GlyphBoxes returns,
// in order, the boxes Plot.GlyphBoxes would keep (inside [0, 1] in X and Y) whose X or Y is
// within glyphTie of the line's smallest or largest, the first of each such value: every box
// that can be chosen on a canvas wider than about a billionth of its distance from the origin
// (every figure's), so the chosen box, and the padding, are the same.
type seriesLine struct {
	*plotter.Line
	// The boxes of the last call and what they were computed for (a chart's ranges are fixed
	// before it is drawn, so later calls reuse them).
	cached         bool
	p              *plot.Plot
	x0, x1, y0, y1 float64
	r              vg.Length
	boxes          []plot.GlyphBox
	seen           [4][]float64 // scratch: the X or Y of the boxes kept near each extreme
}

// glyphTie is how close (in normalised axis units) to a line's extreme a box is kept.
const glyphTie = 1e-6

func newSeriesLine(xy plotter.XYer) (*seriesLine, error) {
	l, err := plotter.NewLine(xy)
	if err != nil {
		return nil, err
	}
	return &seriesLine{Line: l}, nil
}

// Plot implements plot.Plotter as plotter.Line's Plot does for a line without fill and steps
// (the figures'), with each clipped piece's path allocated once at its size (plotter.Line
// grows it point by point: some 6 ms of a Henan run's figures). The same calls on the canvas,
// so the same bytes (TestSeriesLineSamePadding).
func (l *seriesLine) Plot(c draw.Canvas, plt *plot.Plot) {
	if l.FillColor != nil || l.StepStyle != plotter.NoStep {
		l.Line.Plot(c, plt)
		return
	}
	trX, trY := plt.Transforms(&c)
	ps := make([]vg.Point, len(l.XYs))
	for i, p := range l.XYs {
		ps[i].X = trX(p.X)
		ps[i].Y = trY(p.Y)
	}
	lines := c.ClipLinesXY(ps)
	if l.LineStyle.Width == 0 || len(lines) == 0 {
		return
	}
	c.SetLineStyle(l.LineStyle)
	var path vg.Path
	for _, pts := range lines {
		if len(pts) == 0 {
			continue
		}
		path = slices.Grow(path[:0], len(pts))
		path.Move(pts[0])
		for _, pt := range pts[1:] {
			path.Line(pt)
		}
		c.Stroke(path)
	}
}

// GlyphBoxes implements plot.GlyphBoxer with the boxes of plotter.Line that can set the
// padding (see seriesLine).
func (l *seriesLine) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	r := 0.5 * l.LineStyle.Width
	if l.cached && l.p == p && l.x0 == p.X.Min && l.x1 == p.X.Max && l.y0 == p.Y.Min && l.y1 == p.Y.Max && l.r == r {
		return l.boxes
	}
	l.cached, l.p, l.x0, l.x1, l.y0, l.y1, l.r = true, p, p.X.Min, p.X.Max, p.Y.Min, p.Y.Max, r
	l.boxes = l.boxes[:0]
	if !(r > 0) { // boxes of no size are never chosen
		return l.boxes
	}
	rect := vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: +r, Y: +r}}
	box := func(i int) (plot.GlyphBox, bool) {
		x, y := l.XY(i)
		b := plot.GlyphBox{X: p.X.Norm(x), Y: p.Y.Norm(y), Rectangle: rect}
		// Plot.GlyphBoxes drops boxes outside [0, 1]; a NaN box is never chosen.
		return b, b.X >= 0 && b.X <= 1 && b.Y >= 0 && b.Y <= 1
	}
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range l.XYs.Len() {
		if b, ok := box(i); ok {
			minX, maxX, minY, maxY = min(minX, b.X), max(maxX, b.X), min(minY, b.Y), max(maxY, b.Y)
		}
	}
	// A box at exactly the X (Y) of an earlier kept box of the line has the same edge and is
	// never chosen before it: one box per value is enough (a flat line needs one, not 240).
	for k := range l.seen {
		l.seen[k] = l.seen[k][:0]
	}
	for i := range l.XYs.Len() {
		b, ok := box(i)
		if !ok {
			continue
		}
		keep := false
		for k, near := range [4]bool{b.X <= minX+glyphTie, b.X >= maxX-glyphTie, b.Y <= minY+glyphTie, b.Y >= maxY-glyphTie} {
			v := b.X
			if k >= 2 {
				v = b.Y
			}
			if near && !slices.Contains(l.seen[k], v) {
				l.seen[k] = append(l.seen[k], v)
				keep = true
			}
		}
		if keep {
			l.boxes = append(l.boxes, b)
		}
	}
	return l.boxes
}

// boxText is plot.DefaultTextHandler (text.Plain) with Box remembered by text and font:
// laying out a chart measures the same tick labels and titles many times, and each
// measurement walks the font's glyphs. Safe for concurrent use (figures are drawn at once).
type boxText struct {
	text.Plain
	mu    sync.Mutex
	boxes map[boxKey][3]vg.Length
}

type boxKey struct {
	txt string
	fnt font.Font
}

// figureText is the text handler of every figure.
var figureText text.Handler = newBoxText()

func newBoxText() *boxText {
	p, ok := plot.DefaultTextHandler.(text.Plain)
	if !ok {
		p = text.Plain{Fonts: font.DefaultCache}
	}
	return &boxText{Plain: p, boxes: map[boxKey][3]vg.Length{}}
}

// maxBoxes bounds the remembered boxes (labels of a long-running server may vary without end).
const maxBoxes = 1 << 14

// Box implements text.Handler: text.Plain's box, remembered.
func (h *boxText) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	k := boxKey{txt, fnt}
	h.mu.Lock()
	b, ok := h.boxes[k]
	h.mu.Unlock()
	if ok {
		return b[0], b[1], b[2]
	}
	width, height, depth = h.Plain.Box(txt, fnt)
	h.mu.Lock()
	if len(h.boxes) >= maxBoxes {
		clear(h.boxes)
	}
	h.boxes[k] = [3]vg.Length{width, height, depth}
	h.mu.Unlock()
	return width, height, depth
}

// Draw implements text.Handler: text.Plain's Draw (gonum plot v0.17.0, text/plain.go), with
// each line's width from Box, remembered, instead of measured again.
func (h *boxText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if len(txt) == 0 {
		return
	}
	fnt := h.Fonts.Lookup(sty.Font, sty.Font.Size)
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin64, cos64 := math.Sincos(sty.Rotation)
	cos := vg.Length(cos64)
	sin := vg.Length(sin64)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin
	lines := h.Lines(txt)
	ht := sty.Height(txt)
	pt.Y += ht*vg.Length(sty.YAlign) - fnt.Extents().Ascent
	for i, line := range lines {
		w, _, _ := h.Box(line, sty.Font)
		xoffs := vg.Length(sty.XAlign) * w
		n := vg.Length(len(lines) - i)
		c.FillString(fnt, pt.Add(vg.Point{X: xoffs, Y: n * sty.Font.Size}), line)
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}
