package results

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// TestSVGCanvasSameBytesAsVgsvg draws the same things on vgsvg's canvas and on svgCanvas, its
// copy with fast path and style writing, and checks that the documents are the same bytes:
// moves, lines, arcs and circles of both directions, curves, closes; opaque, translucent,
// transparent, nil and black colours; line widths of 1, 0 and others; dashes and offsets;
// text, transforms; numbers that are integers, tiny, huge, negative zero, NaN and infinite.
func TestSVGCanvasSameBytesAsVgsvg(t *testing.T) {
	nums := []float64{0, 1, -1, 12.5, 123456.789, 1e-7, -3.14159265, 1e21, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 99999.5, 0.000123456}
	colors := []color.Color{color.RGBA{R: 0x12, G: 0xab, B: 0xff, A: 0xff}, color.NRGBA{R: 200, G: 10, B: 30, A: 128}, color.Black, nil,
		color.Gray{Y: 0x50}, color.RGBA{}, color.White, color.Alpha16{A: 0x7fff}}
	paint := func(c vg.CanvasSizer) {
		dc := draw.New(c)
		k := 0
		num := func() vg.Length { k++; return vg.Length(nums[(k*5)%len(nums)]) }
		for i := 0; i < 60; i++ {
			var p vg.Path
			p.Move(vg.Point{X: num(), Y: num()})
			p.Line(vg.Point{X: vg.Length(i) * 1.37, Y: num()})
			switch i % 5 {
			case 0:
				p.Arc(vg.Point{X: 50, Y: 50}, vg.Length(i)+0.3, 0, 2*math.Pi)
			case 1:
				p.Arc(vg.Point{X: num(), Y: 20}, 7.25, 0.5, -math.Pi*1.5)
			case 2:
				p.QuadTo(vg.Point{X: num(), Y: 3}, vg.Point{X: 4, Y: num()})
			case 3:
				p.CubeTo(vg.Point{X: 1, Y: 2}, vg.Point{X: num(), Y: 4.5}, vg.Point{X: 5, Y: num()})
			case 4:
				p.Arc(vg.Point{X: 10, Y: 10}, 3, 1, 0.7)
				p.Arc(vg.Point{X: 10, Y: 10}, 3, 1, -2*math.Pi)
			}
			if i%3 != 0 {
				p.Close()
			}
			c.SetColor(colors[i%len(colors)])
			c.Fill(p)
			c.SetLineWidth([]vg.Length{1, 0, 0.3, 2.75, 1e-9}[i%5])
			switch i % 4 {
			case 1:
				c.SetLineDash([]vg.Length{2, 1.5}, 0.25)
			case 2:
				c.SetLineDash([]vg.Length{3}, 0)
			default:
				c.SetLineDash(nil, 0)
			}
			c.Stroke(p)
			if i%7 == 0 {
				c.Push()
				c.Translate(vg.Point{X: num(), Y: 2})
				c.Rotate(0.3)
				dc.FillText(textStyle(9, colors[i%len(colors)]), vg.Point{X: 3, Y: 4}, fmt.Sprintf("label <%d> & more", i))
				c.Pop()
			}
		}
		dc.FillText(textStyle(12, color.Black), vg.Point{X: 30, Y: 40}, "end")
	}
	for _, embed := range []bool{false, true} {
		a := vgsvg.NewWith(vgsvg.UseWH(300, 200), vgsvg.EmbedFonts(embed))
		b := newSVGCanvasWith(svgUseWH(300, 200), svgEmbedFonts(embed))
		paint(a)
		paint(b)
		var wa, wb bytes.Buffer
		if _, err := a.WriteTo(&wa); err != nil {
			t.Fatal(err)
		}
		if _, err := b.WriteTo(&wb); err != nil {
			t.Fatal(err)
		}
		if got, want := wb.Bytes(), wa.Bytes(); !bytes.Equal(got, want) {
			k := 0
			for k < len(got) && k < len(want) && got[k] == want[k] {
				k++
			}
			t.Fatalf("embed %v: differs from vgsvg at byte %d: got %q, want %q", embed, k, got[max(k-80, 0):min(k+60, len(got))], want[max(k-80, 0):min(k+60, len(want))])
		}
		if !bytes.Contains(wa.Bytes(), []byte("NaN")) || !bytes.Contains(wa.Bytes(), []byte("Inf")) || !bytes.Contains(wa.Bytes(), []byte("stroke-dasharray")) || !bytes.Contains(wa.Bytes(), []byte(`"  />`)) {
			t.Fatal("the drawing misses NaN, Inf, dashes or a path of default style: the test proves less than it says")
		}
	}
}

// TestSVGAppendG checks svgAppendG against strconv's 'g' with precision 5 (what fmt's %.5g
// writes) on random values of every decade of the fast path and beyond, on values with few
// decimals, on exact ties of binary fractions (1.03125 rounds to even), next to the decade
// edges and on special values.
func TestSVGAppendG(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	check := func(v float64) {
		want := strconv.AppendFloat([]byte("x"), v, 'g', 5, 64)
		if got := svgAppendG([]byte("x"), v); !bytes.Equal(got, want) {
			t.Fatalf("svgAppendG(%b = %v): got %q, want %q", v, v, got, want)
		}
	}
	for i := 0; i < 300000; i++ {
		e := rng.IntN(14) - 6
		v := rng.Float64() * math.Pow(10, float64(e))
		check(v)
		check(-v)
		check(math.Round(v*1e3) / 1e3)
		check(float64(rng.IntN(1<<20)) / float64(int(1)<<rng.IntN(20))) // binary fractions: exact ties
		check(math.Float64frombits(rng.Uint64()))
	}
	for _, edge := range []float64{1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1000, 1e4, 99999, 1e5, 9999.95, 99999.5, 0.000099999, 0.00099995,
		1.03125, 2.5, 0.5, 123.455, 123.465, 0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64, 5e-324} {
		for _, v := range []float64{edge, math.Nextafter(edge, 0), math.Nextafter(edge, math.Inf(1))} {
			check(v)
			check(-v)
		}
	}
}

// TestSVGColorStrings: the colour and opacity strings are fmt's (as vgsvg writes them) for
// opaque, translucent and transparent colours.
func TestSVGColorStrings(t *testing.T) {
	n := 0
	for _, a := range []uint8{0, 1, 0x80, 0xfe, 0xff} {
		for _, v := range []uint8{0, 1, 0x0f, 0x10, 0x7f, 0xa0, 0xff} {
			for _, clr := range []color.Color{color.NRGBA{R: v, G: 255 - v, B: v / 2, A: a}, color.RGBA{R: v / 2, G: v / 3, B: v / 4, A: a / 2}} {
				r, g, b, al := clr.RGBA()
				s := 255.0 / float64(al)
				want := fmt.Sprintf("#%02X%02X%02X", int(float64(r)*s), int(float64(g)*s), int(float64(b)*s))
				if got := svgColorString(clr); got != want {
					t.Errorf("svgColorString(%v) = %q, want %q", clr, got, want)
				}
				if got, want := svgOpacityString(clr), fmt.Sprintf("%.*g", svgPr, float64(al)/math.MaxUint16); got != want {
					t.Errorf("svgOpacityString(%v) = %q, want %q", clr, got, want)
				}
				n++
			}
		}
	}
	if n != 70 {
		t.Fatalf("checked %d colours, want 70", n)
	}
}
