package results

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/countysim/countysim/census"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

// realConfig is Ningxia's 13 real counties in their 5 prefectures (a small real world), 24
// months, with one pilot cohort.
func realConfig(t *testing.T) sim.Config {
	t.Helper()
	d := census.MustLoad()
	p := d.Provinces[d.ProvinceByKey("ningxia")]
	spec := sim.ProvinceSpec{Name: p.English, Prefectures: len(p.Prefectures), Towns: 0}
	for j, pf := range p.Prefectures {
		spec.PrefectureNames = append(spec.PrefectureNames, pf.Name)
		spec.PrefectureCodes = append(spec.PrefectureCodes, pf.Code)
		for _, ci := range pf.Counties {
			c := d.Counties[ci]
			spec.CountyList = append(spec.CountyList, sim.CountySpec{Name: c.Name, Code: c.Code, Prefecture: j, Population: float64(c.Population)})
		}
	}
	cfg := sim.DefaultConfig()
	cfg.Seed = 3
	cfg.Months = 24
	cfg.World.Provinces = []sim.ProvinceSpec{spec}
	cfg.PMC.Cohorts = []sim.Cohort{{Name: "first", Share: 0.4, Step1: 3, Step2: 6, Step3: 9}}
	return cfg
}

func TestMapPlacesEveryCountyInsideItsPrefecture(t *testing.T) {
	m := newModel(t, realConfig(t))
	o := observe.NewCountyOutcomes(m)
	if !o.HasCodes() {
		t.Fatal("real world without codes")
	}
	g, err := buildGeometry(o)
	if err != nil {
		t.Fatal(err)
	}
	outlines, _ := census.Outlines()
	kx := math.Cos(g.meanLat * math.Pi / 180)
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
		if !inRingsF(rings, float64(g.counties[i].X), float64(g.counties[i].Y)) {
			t.Errorf("county %s is drawn outside %s", code, oc)
		}
		for j := range i {
			if g.counties[j] == g.counties[i] {
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

func TestRecorderWritesMapForRealWorldsOnly(t *testing.T) {
	dir, rec := record(t, realConfig(t), Options{Plots: true})
	if !slices.Contains(rec.Files(), "map.png") || !slices.Contains(rec.Files(), "map.svg") {
		t.Fatalf("files %v", rec.Files())
	}
	svg, err := os.ReadFile(filepath.Join(dir, "map.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(svg), "not an authoritative boundary") {
		t.Error("map without its schematic label")
	}
	// Same scenario and seed, same map.
	dir2, _ := record(t, realConfig(t), Options{Plots: true})
	svg2, _ := os.ReadFile(filepath.Join(dir2, "map.svg"))
	if !bytes.Equal(svg, svg2) {
		t.Error("map differs between identical runs")
	}
	// A drawn world (no codes) gets no map.
	_, rec = record(t, tinyConfig(12), Options{Plots: true, Formats: []string{"svg"}})
	if slices.Contains(rec.Files(), "map.svg") {
		t.Error("map written for a drawn world")
	}
}

func TestCountyOutcomes(t *testing.T) {
	m := newModel(t, realConfig(t))
	o := observe.NewCountyOutcomes(m)
	if err := m.Run(o.Observe); err != nil {
		t.Fatal(err)
	}
	pilots := 0
	for i, c := range m.Counties {
		if c.Pilot {
			pilots++
			if o.Step[i] != 3 {
				t.Errorf("pilot %s ends at step %d", c.Name, o.Step[i])
			}
		} else if o.Step[i] != 0 {
			t.Errorf("non-pilot %s at step %d", c.Name, o.Step[i])
		}
		if o.GrowthMean[i] == 0 || o.ApprovalFirst[i] <= 0 {
			t.Errorf("%s: growth %v, approval days %v", c.Name, o.GrowthMean[i], o.ApprovalFirst[i])
		}
	}
	if pilots == 0 {
		t.Fatal("no pilots")
	}
	ps := RunMapPanels(English, o)
	if len(ps) != 5 || ps[0].Values[0] != float64(o.Step[0]) || ps[2].Outcome != MapHidden {
		t.Errorf("panels %+v", ps)
	}
	// Hidden debt shows beside the debt warning, which counts explicit debt only.
	v := m.Values()
	for i := range m.Counties {
		row := v[i*sim.NumMetrics : (i+1)*sim.NumMetrics]
		want := observe.HiddenLevel(row[sim.MHiddenDebt], row[sim.MAnnualRevenue], m.Config().Debt.YellowRatio, m.Config().Debt.RedRatio)
		if ps[2].Values[i] != float64(want) {
			t.Errorf("county %d: hidden-debt level %v, want %d", i, ps[2].Values[i], want)
		}
	}
	for _, c := range []struct {
		h, rev float64
		want   int
	}{{0, 100, 0}, {10, 100, 1}, {50, 100, 2}, {100, 100, 3}, {1, 0, 3}, {math.NaN(), 100, 0}} {
		if got := observe.HiddenLevel(c.h, c.rev, 0.5, 1); got != c.want {
			t.Errorf("hidden %v over revenue %v against lines 0.5 and 1: level %d, want %d", c.h, c.rev, got, c.want)
		}
	}
	if err := WriteMap(&bytes.Buffer{}, English, "svg", "x", o, []MapPanel{{Title: "short", Values: []float64{1}}}); err == nil || !strings.Contains(err.Error(), "1 values for 13 counties") {
		t.Errorf("short panel: %v", err)
	}
	if err := WriteMap(&bytes.Buffer{}, English, "gif", "x", o, ps); err == nil {
		t.Error("gif accepted")
	}
	o.Code[0] = "999999"
	o.PrefCode[0] = "999900"
	if _, err := buildGeometry(o); err == nil || !strings.Contains(err.Error(), "999999") {
		t.Errorf("unknown code: %v", err)
	}
}

func TestScaleAndColours(t *testing.T) {
	if s := scaleOf([]float64{0.3, -1.7, math.NaN(), 0.1}); s != 2 {
		t.Errorf("scale %v, want 2", s)
	}
	if s := scaleOf([]float64{math.NaN()}); s != 1 {
		t.Errorf("scale of nothing %v", s)
	}
	r, _, b, _ := diverging(1).RGBA()
	r2, _, b2, _ := diverging(-1).RGBA()
	if !(r > b && b2 > r2) {
		t.Error("diverging colours: positive should be red, negative blue")
	}
}

func TestComparisonMapPanels(t *testing.T) {
	cfg := realConfig(t)
	run := func(cfg sim.Config) *observe.CountyOutcomes {
		m := newModel(t, cfg)
		o := observe.NewCountyOutcomes(m)
		if err := m.Run(o.Observe); err != nil {
			t.Fatal(err)
		}
		return o
	}
	none := cfg
	none.PMC.Enabled = false
	ref, alt := run(none), run(cfg)
	es := []*observe.Ensemble{{Name: "none", Map: ref}, {Name: "pmc", Map: alt}}
	ps := ComparisonMapPanels(English, es)
	if len(ps) != 2 || !strings.HasPrefix(ps[0].Title, "pmc:") || ps[1].Outcome != MapGrowthDifference {
		t.Fatalf("panels %+v", ps)
	}
	for i := range ref.Code {
		if ps[0].Values[i] != float64(alt.Step[i]) || ps[1].Values[i] != 100*(alt.GrowthMean[i]-ref.GrowthMean[i]) {
			t.Fatalf("county %d: %v %v", i, ps[0].Values[i], ps[1].Values[i])
		}
	}
	// No map for drawn worlds or mismatched counties.
	if ComparisonMapPanels(English, []*observe.Ensemble{{Name: "x"}}) != nil {
		t.Error("map without outcomes")
	}
	other := *alt
	other.Code = slices.Clone(alt.Code)
	other.Code[0] = "640000"
	if ComparisonMapPanels(English, []*observe.Ensemble{{Map: ref}, {Map: &other}}) != nil {
		t.Error("map of different worlds")
	}
}

func TestLayoutMap(t *testing.T) {
	m := newModel(t, realConfig(t))
	l, err := LayoutMap(m)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := buildGeometry(observe.NewCountyOutcomes(m))
	if len(l.Counties) != len(m.Counties) || len(l.Rings) != len(g.rings) || l.Width <= 0 {
		t.Fatalf("layout: %d counties, %d rings, width %v", len(l.Counties), len(l.Rings), l.Width)
	}
	// North up: the northernmost county has the smallest y.
	north, south := 0, 0
	for i, c := range g.counties {
		if c.Y > g.counties[north].Y {
			north = i
		}
		if c.Y < g.counties[south].Y {
			south = i
		}
	}
	if l.Counties[north][1] >= l.Counties[south][1] {
		t.Errorf("north %v, south %v", l.Counties[north], l.Counties[south])
	}
	if _, err := LayoutMap(newModel(t, tinyConfig(12))); err == nil {
		t.Error("layout of a drawn world")
	}
}
