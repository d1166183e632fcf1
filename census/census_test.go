package census

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestLoadCounts(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Provinces) != 31 || len(d.Counties) != 1954 {
		t.Fatalf("%d provinces, %d counties", len(d.Provinces), len(d.Counties))
	}
	all, groups := 0, 0
	want := map[string]int{"henan": 109, "zhejiang": 58, "jiangxi": 80, "hebei": 136}
	for _, p := range d.Provinces {
		all += p.AllPrefectures
		groups += len(p.Prefectures)
		if n, ok := want[p.Key]; ok && len(p.Counties) != n {
			t.Errorf("%s: %d counties, want %d", p.Key, len(p.Counties), n)
		}
		n := 0
		for _, pf := range p.Prefectures {
			n += len(pf.Counties)
			for _, ci := range pf.Counties {
				if c := d.Counties[ci]; c.PrefectureCode != pf.Code || c.Province != slices.IndexFunc(d.Provinces, func(q Province) bool { return q.Code == p.Code }) {
					t.Fatalf("%s %s filed under %s", c.Code, c.Name, pf.Code)
				}
			}
		}
		if n != len(p.Counties) {
			t.Errorf("%s: prefectures hold %d of %d counties", p.Key, n, len(p.Counties))
		}
	}
	if all != 333 || groups != 327 {
		t.Errorf("%d prefectures in the census, %d groupings with counties", all, groups)
	}
	h := d.Provinces[d.ProvinceByKey("henan")]
	last := h.Prefectures[len(h.Prefectures)-1]
	if last.Code != "419000" || !last.Direct || d.Counties[last.Counties[0]].Name != "济源市" {
		t.Errorf("Henan's last grouping %+v", last)
	}
	if d.ProvinceByKey("atlantis") != -1 {
		t.Error("unknown key found")
	}
}

func TestSectorsAndShortNames(t *testing.T) {
	d := MustLoad()
	for _, c := range d.Counties {
		if s := c.Primary + c.Secondary + c.Tertiary; math.Abs(s-1) > 1e-6 || c.Primary < 0 || c.Secondary < 0 || c.Tertiary < 0 {
			t.Fatalf("%s %s: sectors %v %v %v", c.Code, c.Name, c.Primary, c.Secondary, c.Tertiary)
		}
		if c.Urban < 0 || c.Urban > 1 || c.Population <= 0 {
			t.Fatalf("%s: urban %v, population %d", c.Code, c.Urban, c.Population)
		}
	}
	imputed := 0
	for _, c := range d.Counties {
		if c.SectorImputed {
			imputed++
		}
	}
	if imputed != 6 {
		t.Errorf("%d counties with an imputed sector mix, want 6", imputed)
	}
	for in, want := range map[string]string{"兰考县": "兰考", "巩义市": "巩义", "长阳土家族自治县": "长阳土家族", "滑县": "滑县", "鄂托克前旗": "鄂托克前", "神农架林区": "神农架"} {
		if got := ShortName(in); got != want {
			t.Errorf("ShortName(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestDerive(t *testing.T) {
	d := MustLoad()
	der := d.Derive()
	if len(der) != len(d.Counties) {
		t.Fatal(len(der))
	}
	for _, p := range d.Provinces {
		var s []float64
		for _, ci := range p.Counties {
			s = append(s, der[ci].Strength)
			if iq := der[ci].IQ; iq < 0.05 || iq > 0.95 {
				t.Fatalf("%s: IQ %v", d.Counties[ci].Code, iq)
			}
		}
		if m := median(s); math.Abs(m-1) > 1e-9 {
			t.Errorf("%s: median strength %v, want 1", p.Key, m)
		}
	}
	// Directions of the mapping: more industry and schooling, more output per worker.
	base := County{Primary: 0.6, Secondary: 0.2, Tertiary: 0.2, Schooling: 8}
	ind := base
	ind.Primary, ind.Secondary = 0.3, 0.5
	school := base
	school.Schooling = 10
	if !(ind.Productivity() > base.Productivity() && school.Productivity() > base.Productivity()) {
		t.Errorf("productivity: base %v, industry %v, schooling %v", base.Productivity(), ind.Productivity(), school.Productivity())
	}
	// The national average worker (national sector mix and schooling) has index 1.
	avg := County{Primary: 0.367, Secondary: 0.287, Tertiary: 0.346, Schooling: NationalSchooling}
	if p := avg.Productivity(); math.Abs(p-1) > 0.01 {
		t.Errorf("national average worker: %v", p)
	}
	// Spread: what the mapping gives (documented in docs/MODEL.md); the national spread is
	// wider than the within-province one, because provinces differ.
	var within, national []float64
	for _, x := range der {
		within = append(within, math.Log(x.Strength))
		national = append(national, math.Log(x.NationalStrength))
	}
	sw, sn := sd(within), sd(national)
	if !(sn > sw && sw > 0.15 && sn < 0.6) {
		t.Errorf("log strength sd within provinces %.3f, national %.3f", sw, sn)
	}
	// Derive on the loaded data is computed once and shared.
	if &d.Derive()[0] != &der[0] {
		t.Error("Derive recomputes")
	}
}

func sd(v []float64) float64 {
	var m, s float64
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(v)))
}

func TestParseErrors(t *testing.T) {
	head := "code,name,kind,prefecture_code,prefecture,population,urban_population,nonagri_hukou_pct,primary_pct,secondary_pct,tertiary_pct,schooling_years\n"
	prov := "410000,河南省,province,,,1,1,1,1,1,1,1\n"
	for _, tc := range []struct{ data, want string }{
		{"code,name\n", "x.csv:1: header"},
		{head + prov + "410225,兰考县,county,410200,开封市,abc,1,1,1,1,1,1\n", "x.csv:3: column population"},
		{head + prov + "41022,兰考县,county,410200,开封市,1,1,1,1,1,1,1\n", "x.csv:3: code \"41022\""},
		{head + "410225,兰考县,county,410200,开封市,1,1,1,1,1,1,1\n", "x.csv:2: county 410225 before its province"},
		{head + prov + "410225,兰考县,town,410200,开封市,1,1,1,1,1,1,1\n", "x.csv:3: unknown kind"},
		{head + prov + "410225,兰考县,county,410200,开封市,,1,1,1,1,1,1\n", "x.csv:3: county 410225 lacks population"},
	} {
		_, err := parse("x.csv", []byte(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
}

func TestAdminUnits(t *testing.T) {
	rows, err := AdminUnits()
	if err != nil || len(rows) != 8 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	h, ok := Admin("Henan", 2009)
	if !ok || h.Prefectures != 17 || h.CountiesNonDistrict != 109 || h.TownshipLevel != 2361 {
		t.Errorf("Henan %+v", h)
	}
	if c, ok := Admin("China", 2019); !ok || c.Prefectures != 0 || c.CountyLevel != 2844 {
		t.Errorf("China 2019 %+v", c)
	}
	if _, ok := Admin("Jiangxi", 2009); ok {
		t.Error("Jiangxi is not in the table")
	}
	if _, err := parseAdmin("a.csv", []byte("region,year,prefectures,county_level,county_level_non_district,township_level,province_span_full_pmc\nX,2009,a,1,1,1,1\n")); err == nil || !strings.Contains(err.Error(), "a.csv:2: column prefectures") {
		t.Errorf("bad admin row: %v", err)
	}
}

func TestOutlinesCoverEveryCounty(t *testing.T) {
	os, err := Outlines()
	if err != nil {
		t.Fatal(err)
	}
	if len(os) != 367 {
		t.Errorf("%d outlines", len(os))
	}
	d := MustLoad()
	for _, c := range d.Counties {
		code, ok := OutlineCode(c.Code, c.PrefectureCode)
		if !ok {
			t.Errorf("%s %s (prefecture %s): no outline %s", c.Code, c.Name, c.PrefectureCode, code)
		}
	}
	for county, want := range map[string]string{"341421": "340100", "410225": "410200", "419001": "419001", "522222": "520600", "110228": "110100", "469003": "460400"} {
		pref := ""
		for _, c := range d.Counties {
			if c.Code == county {
				pref = c.PrefectureCode
			}
		}
		if got, _ := OutlineCode(county, pref); got != want {
			t.Errorf("OutlineCode(%s, %s) = %s, want %s", county, pref, got, want)
		}
	}
	kf := os["410200"]
	if kf.Name != "开封市" || kf.Lon < 114 || kf.Lon > 115 || len(kf.Rings) == 0 || len(kf.Rings[0]) < 4 {
		t.Errorf("开封市 outline %+v", kf.Name)
	}
}

func TestParseWKT(t *testing.T) {
	r, err := ParseWKT("POLYGON((0 0,1 0,1 1,0 0),(0.1 0.1,0.2 0.1,0.2 0.2,0.1 0.1))")
	if err != nil || len(r) != 1 || len(r[0]) != 4 || r[0][1] != [2]float64{1, 0} {
		t.Errorf("polygon with a hole: %v, %v", r, err)
	}
	r, err = ParseWKT("MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))")
	if err != nil || len(r) != 2 || r[1][0] != [2]float64{5, 5} {
		t.Errorf("multipolygon: %v, %v", r, err)
	}
	for _, bad := range []string{"LINESTRING(0 0,1 1)", "POLYGON((0 0,1 0,1 1,0 0)", "POLYGON((0 0,1 x,1 1,0 0))", "POLYGON((0 0,1 1))"} {
		if _, err := ParseWKT(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
