package sim

import (
	"math"
	"strings"
	"testing"
)

func listConfig() Config {
	c := small(1)
	c.World.Provinces = []ProvinceSpec{{
		Name:            "L",
		Prefectures:     2,
		PrefectureNames: []string{"郑州", "开封"},
		PrefectureCodes: []string{"410100", "410200"},
		CountyList: []CountySpec{
			{Name: "巩义", Code: "410181", Prefecture: 0, Population: 800000, Urban: 0.45, Strength: 2.5, IQ: 0.7, Towns: 20},
			{Name: "杞县", Code: "410221", Prefecture: 1, Population: 1000000, Towns: 21},
			{Name: "通许", Code: "410222", Prefecture: 1, Strength: 0.6, IQ: 0.3},
			{Name: "中牟", Code: "410122", Prefecture: 0, Urban: 0.2},
		},
	}}
	c.PMC.Cohorts = []Cohort{{Name: "c1", Share: 0.5, Step1: 0, Step2: -1, Step3: -1}}
	return c
}

func TestCountyListFixesNamesCodesPrefecturesAndTraits(t *testing.T) {
	cfg := listConfig()
	m := run(t, cfg, nil)
	if len(m.Counties) != 4 || len(m.Prefs) != 2 {
		t.Fatalf("%d counties, %d prefectures; want 4 and 2", len(m.Counties), len(m.Prefs))
	}
	if m.Prefs[0].Name != "郑州" || m.Prefs[1].Code != "410200" {
		t.Errorf("prefectures %q/%q, %q/%q", m.Prefs[0].Name, m.Prefs[0].Code, m.Prefs[1].Name, m.Prefs[1].Code)
	}
	wantPref := []int{0, 1, 1, 0}
	wantName := []string{"巩义", "杞县", "通许", "中牟"}
	wantCode := []string{"410181", "410221", "410222", "410122"}
	for i, c := range m.Counties {
		if c.Name != wantName[i] || c.Code != wantCode[i] || c.Pref != wantPref[i] {
			t.Errorf("county %d: %q %q pref %d; want %q %q pref %d", i, c.Name, c.Code, c.Pref, wantName[i], wantCode[i], wantPref[i])
		}
	}
	g := m.Counties[0]
	if g.Pop != 800000 || g.Urban != 0.45 || g.Strength != 2.5 || g.IQ != 0.7 || g.Towns[1]-g.Towns[0] != 20 {
		t.Errorf("巩义 traits: pop %g urban %g strength %g iq %g towns %d", g.Pop, g.Urban, g.Strength, g.IQ, g.Towns[1]-g.Towns[0])
	}
	if m.Counties[1].Pop != 1e6 || m.Counties[1].Towns[1]-m.Counties[1].Towns[0] != 21 {
		t.Errorf("杞县: pop %g towns %d", m.Counties[1].Pop, m.Counties[1].Towns[1]-m.Counties[1].Towns[0])
	}
	if c := m.Counties[2]; c.Strength != 0.6 || c.IQ != 0.3 || c.Towns[1]-c.Towns[0] < 3 {
		t.Errorf("通许: strength %g iq %g towns %d", c.Strength, c.IQ, c.Towns[1]-c.Towns[0])
	}
	if m.Counties[3].Urban != 0.2 {
		t.Errorf("中牟 urban %g", m.Counties[3].Urban)
	}
	if ps := m.Config().World.Provinces[0]; ps.Counties != 4 || ps.Towns != len(m.Towns) {
		t.Errorf("the model's config has %d counties and %d towns, want 4 and %d", ps.Counties, ps.Towns, len(m.Towns))
	}
	if cfg.World.Provinces[0].Counties != 0 {
		t.Error("New changed the caller's config")
	}
	if got := len(m.Prefs[0].Counties); got != 2 {
		t.Errorf("prefecture 0 has %d counties, want 2", got)
	}
}

func TestCountyListValidation(t *testing.T) {
	for _, tc := range []struct {
		edit func(p *ProvinceSpec)
		want string
	}{
		{func(p *ProvinceSpec) { p.Counties = 5 }, "counties: bad value 5 (allowed: 0 or the length of county_list (4))"},
		{func(p *ProvinceSpec) { p.CountyList[2].Prefecture = 2 }, "county_list[2].prefecture: bad value 2 (allowed: a prefecture index from 0 to 1)"},
		{func(p *ProvinceSpec) { p.CountyList[1].Population = -1 }, "county_list[1].population: bad value -1"},
		{func(p *ProvinceSpec) { p.CountyList[0].Urban = 1.2 }, "county_list[0].urban: bad value 1.2"},
		{func(p *ProvinceSpec) { p.CountyList[0].Strength = -2 }, "county_list[0].strength: bad value -2"},
		{func(p *ProvinceSpec) { p.CountyList[3].IQ = -0.1 }, "county_list[3].iq: bad value -0.1"},
		{func(p *ProvinceSpec) { p.CountyList[3].Towns = 2 }, "county_list[3].towns: bad value 2"},
		{func(p *ProvinceSpec) { p.CountyList[3].Name = "巩义" }, `county_list[3].name: bad value "巩义"`},
		{func(p *ProvinceSpec) { p.PrefectureNames = []string{"x"} }, "prefecture_names: bad value 1 (allowed: empty or one name per prefecture (2))"},
		{func(p *ProvinceSpec) { p.PrefectureCodes = []string{"1", "2", "3"} }, "prefecture_codes: bad value 3"},
		{func(p *ProvinceSpec) { p.Towns = 30 }, "towns: bad value 30"},
	} {
		c := listConfig()
		tc.edit(&c.World.Provinces[0])
		_, err := New(c)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want error containing %q, got %v", tc.want, err)
		}
	}
}

// TestPartialStrengthGetsTheResidualSpread: an index that sees part of the spread (the census
// mapping) is widened by a drawn residual so that log strength has the spread
// economy.heterogeneity; a strength given as data (StrengthPartial false) is kept exactly; the
// residual is sqrt(het^2 - var) and zero when the index already has the whole spread.
func TestPartialStrengthGetsTheResidualSpread(t *testing.T) {
	list := make([]CountySpec, 60)
	for i := range list {
		// log strengths spread evenly over [-0.3, 0.3]: variance 0.0306
		list[i] = CountySpec{Prefecture: i % 3, Strength: math.Exp(-0.3 + 0.6*float64(i)/59), StrengthPartial: i != 7}
	}
	var v float64
	n := 0.0
	var sum, sum2 float64
	for i, cs := range list {
		if i != 7 {
			l := math.Log(cs.Strength)
			sum, sum2, n = sum+l, sum2+l*l, n+1
		}
	}
	v = sum2/n - (sum/n)*(sum/n)
	if got, want := residualSpread(list, 0.5), math.Sqrt(0.25-v); math.Abs(got-want) > 1e-12 {
		t.Fatalf("residual %v, want %v", got, want)
	}
	if got := residualSpread(list, 0.1); got != 0 {
		t.Fatalf("residual %v with an index wider than heterogeneity, want 0", got)
	}
	logSD := func(het float64) float64 {
		cfg := small(1)
		cfg.Economy.Heterogeneity = het
		cfg.World.Provinces = []ProvinceSpec{{Name: "P", Prefectures: 3, CountyList: list, Towns: 300}}
		m := run(t, cfg, nil)
		if m.Counties[7].Strength != list[7].Strength {
			t.Fatalf("het %v: strength given as data changed from %v to %v", het, list[7].Strength, m.Counties[7].Strength)
		}
		var s, s2 float64
		for _, c := range m.Counties {
			l := math.Log(c.Strength)
			s, s2 = s+l, s2+l*l
		}
		k := float64(len(m.Counties))
		return math.Sqrt(s2/k - (s/k)*(s/k))
	}
	narrow, wide, index := logSD(0.45), logSD(0.8), math.Sqrt(v)
	if !(index < narrow && narrow < wide) {
		t.Fatalf("log sd of strength: index %.3f, het 0.45 %.3f, het 0.8 %.3f; want increasing", index, narrow, wide)
	}
	if math.Abs(wide-0.8) > 0.2 {
		t.Fatalf("log sd %.3f at heterogeneity 0.8, want within 0.2 of it", wide)
	}
}
