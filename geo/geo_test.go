package geo

import (
	"math"
	"strings"
	"testing"

	"github.com/countysim/countysim/census"
	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/observe"
)

func TestMapPlacesEveryCountyInsideItsPrefecture(t *testing.T) {
	m := testkit.NewModel(t, testkit.Ningxia(t))
	o := observe.NewCountyOutcomes(m)
	if !o.HasCodes() {
		t.Fatal("real world without codes")
	}
	g, err := Build(o)
	if err != nil {
		t.Fatal(err)
	}
	outlines, _ := census.Outlines()
	kx := math.Cos(g.MeanLat * math.Pi / 180)
	for i, code := range o.Code {
		oc, _ := census.OutlineCode(code, o.PrefCode[i])
		var rings [][][2]float64
		for _, r := range outlines[oc].Rings {
			var ring [][2]float64
			for _, p := range r {
				ring = append(ring, [2]float64{p[0] * kx, p[1]})
			}
			rings = append(rings, ring)
		}
		if !inRingsF(rings, g.Counties[i].X, g.Counties[i].Y) {
			t.Errorf("county %s is drawn outside %s", code, oc)
		}
		for j := range i {
			if g.Counties[j] == g.Counties[i] {
				t.Errorf("counties %s and %s share a marker", o.Code[j], code)
			}
		}
	}
}

func inRingsF(rings [][][2]float64, x, y float64) bool {
	for _, r := range rings {
		in := false
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, b := r[i], r[j]
			if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
				in = !in
			}
		}
		if in {
			return true
		}
	}
	return false
}
func TestLayoutOf(t *testing.T) {
	m := testkit.NewModel(t, testkit.Ningxia(t))
	l, err := LayoutOf(m)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := Build(observe.NewCountyOutcomes(m))
	if len(l.Counties) != len(m.Counties) || len(l.Rings) != len(g.Rings) || l.Width <= 0 {
		t.Fatalf("layout: %d counties, %d rings, width %v", len(l.Counties), len(l.Rings), l.Width)
	}
	// North up: the northernmost county has the smallest y.
	north, south := 0, 0
	for i, c := range g.Counties {
		if c.Y > g.Counties[north].Y {
			north = i
		}
		if c.Y < g.Counties[south].Y {
			south = i
		}
	}
	if l.Counties[north][1] >= l.Counties[south][1] {
		t.Errorf("north %v, south %v", l.Counties[north], l.Counties[south])
	}
	if _, err := LayoutOf(testkit.NewModel(t, testkit.Tiny(12))); err == nil {
		t.Error("layout of a drawn world")
	}
}

func TestBuildUnknownCode(t *testing.T) {
	o := observe.NewCountyOutcomes(testkit.NewModel(t, testkit.Ningxia(t)))
	o.Code[0] = "999999"
	o.PrefCode[0] = "999900"
	if _, err := Build(o); err == nil || !strings.Contains(err.Error(), "999999") {
		t.Errorf("unknown code: %v", err)
	}
}
