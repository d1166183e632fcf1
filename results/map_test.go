package results

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

// realConfig is testkit.Ningxia: 13 real counties in 5 prefectures, with one pilot cohort.
func realConfig(t *testing.T) sim.Config { return testkit.Ningxia(t) }

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
	if err := WriteMap(&bytes.Buffer{}, English, "svg", "x", o, ps); err == nil || !strings.Contains(err.Error(), "999999") {
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
