package scenarios

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/countysim/countysim/sim"
)

func countyByName(t *testing.T, w sim.World, name string) sim.CountySpec {
	t.Helper()
	for _, p := range w.Provinces {
		for _, c := range p.CountyList {
			if c.Name == name {
				return c
			}
		}
	}
	t.Fatalf("no county %s", name)
	return sim.CountySpec{}
}

func TestCountiesFileOverrides(t *testing.T) {
	s, err := Load("testdata/counties/henan-own.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base, _ := Preset("henan")
	gy, ll, hx, xc := countyByName(t, s.Config.World, "巩义市"), countyByName(t, s.Config.World, "兰考县"),
		countyByName(t, s.Config.World, "滑县"), countyByName(t, s.Config.World, "新蔡县")
	bgy, bll, bxc := countyByName(t, base, "巩义市"), countyByName(t, base, "兰考县"), countyByName(t, base, "新蔡县")
	// Given cells override; empty cells and absent columns keep the census values.
	if gy.Population != 820000 || gy.Urban != 0.5 || gy.IQ != bgy.IQ || gy.Towns != bgy.Towns {
		t.Errorf("巩义市 %+v (census %+v)", gy, bgy)
	}
	if ll.Population != bll.Population || ll.Urban != bll.Urban {
		t.Errorf("兰考县 %+v (census %+v)", ll, bll)
	}
	if hx.Strength != 2.5 {
		t.Errorf("滑县 strength %v, want 2.5 from the file", hx.Strength)
	}
	// The finances go to the county list (the model sets its opening accounts from them:
	// sim's TestGivenOpeningFinances); the others stay 0, derived.
	if gy.Revenue != 2100 || gy.Debt != 800 || gy.Spending != 0 || gy.Transfers != 0 ||
		ll.Spending != 1500 || ll.Transfers != 0 || ll.Revenue != 0 || xc.Transfers != 900 || xc.Spending != 0 || hx.Debt != 0 {
		t.Errorf("finances: 巩义 %+v, 兰考 %+v, 新蔡 %+v, 滑县 %+v", gy, ll, xc, hx)
	}
	// The world builds: 兰考's spending is above what its own revenue brings.
	if _, err := sim.New(s.Config); err != nil {
		t.Errorf("the world does not build: %v", err)
	}
	// GDP per capita sets strength on the scale of the census strengths: k is the median of
	// gdppc / census strength over the three counties that give GDP.
	r := []float64{45000 / 820000.0 / bgy.Strength, 12000 / bll.Population / bll.Strength, 8000 / bxc.Population / bxc.Strength}
	k := median3(r)
	for _, c := range []struct {
		got, gdppc float64
	}{{gy.Strength, 45000 / 820000.0}, {ll.Strength, 12000 / bll.Population}, {xc.Strength, 8000 / bxc.Population}} {
		if math.Abs(c.got-c.gdppc/k) > 1e-12 {
			t.Errorf("strength %v, want %v", c.got, c.gdppc/k)
		}
	}
	// The relative order follows GDP per capita.
	if !(gy.Strength > ll.Strength && ll.Strength > 0) {
		t.Errorf("strengths 巩义 %v, 兰考 %v", gy.Strength, ll.Strength)
	}
	// Strength from the file (directly or from GDP) is data: the build does not widen it,
	// while the census counties keep their partial index.
	if gy.StrengthPartial || ll.StrengthPartial || xc.StrengthPartial || hx.StrengthPartial || !bgy.StrengthPartial {
		t.Errorf("strength_partial: 巩义 %v, 兰考 %v, 新蔡 %v, 滑县 %v (census 巩义 %v)", gy.StrengthPartial, ll.StrengthPartial, xc.StrengthPartial, hx.StrengthPartial, bgy.StrengthPartial)
	}
	m, err := sim.New(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range m.Counties {
		for _, want := range []struct {
			name string
			s    float64
		}{{"巩义市", gy.Strength}, {"滑县", hx.Strength}, {"新蔡县", xc.Strength}} {
			if c.Name == want.name && c.Strength != want.s {
				t.Errorf("%s builds with strength %v, want the file's %v", c.Name, c.Strength, want.s)
			}
		}
	}
	// Other counties untouched; the scenario validates and round-trips through its full form
	// (the values are written into the world; the file is not needed again).
	if a, b := countyByName(t, s.Config.World, "固始县"), countyByName(t, base, "固始县"); a != b {
		t.Errorf("固始县 changed: %+v vs %+v", a, b)
	}
	data, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("full.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if Hash(back) != Hash(s) {
		t.Error("full form does not round-trip")
	}
}

func median3(v []float64) float64 {
	a, b, c := v[0], v[1], v[2]
	return math.Max(math.Min(a, b), math.Min(math.Max(a, b), c))
}

func TestCountiesFileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	copyFile := func(name string) {
		b, err := os.ReadFile(filepath.Join("testdata/counties", name))
		if err != nil {
			t.Fatal(err)
		}
		write(name, string(b))
	}
	copyFile("bad.csv")
	copyFile("bad-header.csv")
	copyFile("bad-money.csv")
	write("low-spending.csv", "name,spending\n新蔡,1\n")
	// A reform office's spreadsheet: 万人 and 万元 for persons and million yuan, Chinese column
	// names, full-width digits and commas, thousands separators, percentages, units in cells,
	// Excel's empty columns and rows (the empty rows are skipped).
	write("units.csv", "code,name,population,gdp,revenue,spending,debt\n410225,兰考县,418789,780000,38000,190000,9000\n410526,滑县,113.5,,,,\n")
	write("excel.csv", "name,population,urban,gdp\n兰考,\"418,789\",33%,\n滑县,１３１７８５,32,\n新蔡，1000，0.3，1\n柘城,100000,0.3,78亿元\n,,,\n")
	write("emptycol.csv", "name,population,,\n兰考,418789,,\n")
	write("zh.csv", "县名,人口\n兰考,418789\n")
	for _, tc := range []struct {
		yaml string
		want []string
	}{
		{"preset: henan\nworld:\n  counties_file: bad.csv\n", []string{
			"bad.csv:2: world.counties_file: column 3 (population): bad value \"-5\" (allowed: persons, from 1,000 to 50 million (a figure in 万人 is 10,000 times too small))",
			"bad.csv:3: world.counties_file: column 2 (name): unknown county \"郑州\" in this world; nearest: 汝州市",
			"bad.csv:4: world.counties_file: column 2 (name): name \"巩义市\" does not match code 410225 (兰考县)",
			"bad.csv:5: world.counties_file: column 5 (strength): bad value \"abc\"",
			"bad.csv:6: world.counties_file: county 410526 (滑县) is already given at line 5",
			"bad.csv:7: world.counties_file: no code or name",
		}},
		{"preset: henan\nworld:\n  counties_file: bad-money.csv\n", []string{
			`bad-money.csv:2: world.counties_file: column 2 (revenue): bad value "0" (allowed: million yuan, above 0 up to 10 million; leave the cell empty to keep the derived value)`,
			`bad-money.csv:3: world.counties_file: column 4 (debt): bad value "-3"`,
			"bad-money.csv:4: world.counties_file: column 3 (spending): give spending or transfers, not both",
			`bad-money.csv:5: world.counties_file: column 5 (transfers): bad value "1e9"`,
		}},
		// Found by building the world to its opening: 新蔡's own revenue brings more than 1.
		{"preset: henan\nworld:\n  counties_file: low-spending.csv\n", []string{
			"low-spending.csv:2: world.counties_file: column 2 (spending): bad value 1 (allowed: at least",
		}},
		{"preset: henan\nworld:\n  counties_file: bad-header.csv\n", []string{
			"bad-header.csv:1: world.counties_file: column 2 (popluation): unknown column (allowed: code, debt, gdp,",
		}},
		{"preset: henan\nworld:\n  counties_file: units.csv\n", []string{
			`units.csv:2: world.counties_file: column 4 (gdp): bad value "780000": 1,862,513 yuan per resident (of 418,789), more than any county has (allowed: million yuan, at most 800,000 yuan per resident; a figure in 万元 is 100 times too large)`,
			`units.csv:2: world.counties_file: column 5 (revenue): bad value "38000": 90,738 yuan per resident`,
			`units.csv:2: world.counties_file: column 6 (spending): bad value "190000": 453,689 yuan per resident`,
			`units.csv:3: world.counties_file: column 3 (population): bad value "113.5" (allowed: persons, from 1,000 to 50 million (a figure in 万人 is 10,000 times too small))`,
		}},
		{"preset: henan\nworld:\n  counties_file: excel.csv\n", []string{
			`excel.csv:2: world.counties_file: column 2 (population): bad value "418,789" (allowed: persons, from 1,000 to 50 million (a figure in 万人 is 10,000 times too small)); write the number without thousands separators`,
			`excel.csv:2: world.counties_file: column 3 (urban): bad value "33%" (allowed: a share above 0 up to 1); write a share as a number from 0 to 1 (33% is 0.33)`,
			`excel.csv:3: world.counties_file: column 2 (population): bad value "１３１７８５" (allowed: persons, from 1,000 to 50 million (a figure in 万人 is 10,000 times too small)); write half-width digits (0-9 and .): the cell has full-width ones`,
			`excel.csv:3: world.counties_file: column 3 (urban): bad value "32" (allowed: a share above 0 up to 1); a percentage? write the share (32% is 0.32)`,
			"excel.csv:4: world.counties_file: 1 fields, the header has 4 (the row separates its fields with full-width commas ，: use ASCII commas ,)",
			`excel.csv:5: world.counties_file: column 4 (gdp): bad value "78亿元" (allowed: million yuan, above 0); write the number alone, in the column's unit`,
		}},
		{"preset: henan\nworld:\n  counties_file: emptycol.csv\n", []string{
			"emptycol.csv:1: world.counties_file: column 3: a column with no name (allowed: code, debt, gdp, iq, name, population, revenue, spending, strength, towns, transfers, urban; delete the empty columns Excel leaves)",
			"emptycol.csv:1: world.counties_file: column 4: a column with no name",
		}},
		{"preset: henan\nworld:\n  counties_file: zh.csv\n", []string{
			"zh.csv:1: world.counties_file: column 1 (县名): unknown column: the column names are English (write name;",
			"zh.csv:1: world.counties_file: column 2 (人口): unknown column: the column names are English (write population (persons, not 万人);",
			"zh.csv:1: world.counties_file: no code or name column",
		}},
		{"preset: henan\nworld:\n  counties_file: missing.csv\n", []string{
			"s.yaml:3:18: world.counties_file: cannot read the counties file",
		}},
		{"preset: henan-synthetic\nworld:\n  counties_file: bad.csv\n", []string{
			"s.yaml:3:18: world.counties_file: the world lists no counties to override",
		}},
	} {
		_, err := Load(write("s.yaml", tc.yaml))
		var le *LoadError
		if !errors.As(err, &le) {
			t.Fatalf("%q: got %v, want a *LoadError", tc.yaml, err)
		}
		if len(le.Problems) != len(tc.want) {
			t.Errorf("%d problems, want %d:\n%v", len(le.Problems), len(tc.want), err)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), filepath.Join(dir, w)) && !strings.Contains(err.Error(), w) {
				t.Errorf("want %q in\n%v", w, err)
			}
		}
	}
}

func TestPresetWithWorldRule(t *testing.T) {
	// The full form restates the preset's world: it loads, with changed county values.
	s, err := Builtin("henan-2014")
	if err != nil {
		t.Fatal(err)
	}
	s.Config.World.Provinces[0].CountyList[3].Population = 123456
	data, _ := Marshal(s)
	back, err := Parse("full.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Preset != "henan" || back.Config.World.Provinces[0].CountyList[3].Population != 123456 {
		t.Errorf("restated world not kept: %+v", back.Config.World.Provinces[0].CountyList[3])
	}
	// Moving a county to another prefecture changes the structure: an error naming it.
	s.Config.World.Provinces[0].CountyList[3].Prefecture = 5
	data, _ = Marshal(s)
	_, err = Parse("full.yaml", data)
	if err == nil || !strings.Contains(err.Error(), `preset "henan" already sets the provinces`) || !strings.Contains(err.Error(), "county 3 is") {
		t.Errorf("moved county: %v", err)
	}
}

func TestCohortCountiesByNameOrCode(t *testing.T) {
	src := `preset: jiangxi
pmc:
  selection: {method: list}
  cohorts:
    - {name: a, counties: [婺源, 361130x, 360124], step1: 0, step2: -1, step3: -1}
`
	_, err := Parse("c.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), `c.yaml:5:`) || !strings.Contains(err.Error(), `unknown county "361130x"`) {
		t.Fatalf("got %v", err)
	}
	s, err := Parse("c.yaml", []byte(strings.Replace(src, "361130x, ", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Config.PMC.Cohorts[0].Counties; len(got) != 2 || got[0] != "婺源县" || got[1] != "进贤县" {
		t.Errorf("resolved %v", got)
	}
}

func TestSetCohortCountiesByCode(t *testing.T) {
	s, err := Builtin("henan-2014")
	if err != nil {
		t.Fatal(err)
	}
	if err := Set(s, "pmc.cohorts[0].counties=[410225, 滑县, 郑州]"); err != nil {
		t.Fatal(err)
	}
	if got := s.Config.PMC.Cohorts[0].Counties; len(got) != 3 || got[0] != "兰考县" || got[1] != "滑县" || got[2] != "郑州" {
		t.Errorf("counties %v", got)
	}
	if err := Validate(s); err == nil || !strings.Contains(err.Error(), `pmc.cohorts[0].counties[2]: bad value "郑州"`) {
		t.Errorf("Validate: %v", err)
	}
}

// TestFilesNotInUTF8: a scenario or counties file saved in GBK (Chinese Windows' default) is
// refused with its file, line and column and how to save it, instead of unknown names.
func TestFilesNotInUTF8(t *testing.T) {
	dir := t.TempDir()
	gbk := "\xb9\xae\xd2\xe5\xca\xd0" // 巩义市 in GBK
	scn := filepath.Join(dir, "s.yaml")
	os.WriteFile(scn, []byte("name: s\ndescription: "+gbk+"\n"), 0o644)
	if _, err := Load(scn); err == nil || !strings.Contains(err.Error(), scn+":2:14: the file is not UTF-8 text") || !strings.Contains(err.Error(), "GBK") {
		t.Errorf("a GBK scenario file: %v", err)
	}
	csv := filepath.Join(dir, "c.csv")
	os.WriteFile(csv, []byte("code,name,population\n410181,"+gbk+",800000\n"), 0o644)
	os.WriteFile(scn, []byte("name: s\npreset: henan\nworld:\n  counties_file: c.csv\n"), 0o644)
	if _, err := Load(scn); err == nil || !strings.Contains(err.Error(), csv+":2:8: world.counties_file: the file is not UTF-8 text") {
		t.Errorf("a GBK counties file: %v", err)
	}
}

// TestCountiesFileKeyIsSuggested: world.counties_file is named in the hints for a near miss
// under world and at the top level.
func TestCountiesFileKeyIsSuggested(t *testing.T) {
	for src, want := range map[string]string{
		"name: g\npreset: henan\nworld:\n  county_file: x.csv\n": `did you mean "counties_file"? (keys allowed under world: provinces, counties_file)`,
		"name: g\npreset: henan\ncounties_file: x.csv\n":         "did you mean world.counties_file?",
	} {
		if _, err := Parse("x.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
}

// TestEmptyCountiesFile: an empty counties file is said to be empty, at its line 1.
func TestEmptyCountiesFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "c.csv"), nil, 0o644)
	scn := filepath.Join(dir, "s.yaml")
	os.WriteFile(scn, []byte("name: s\npreset: henan\nworld:\n  counties_file: c.csv\n"), 0o644)
	if _, err := Load(scn); err == nil || !strings.Contains(err.Error(), "c.csv:1: world.counties_file: the file is empty") {
		t.Errorf("an empty counties file: %v", err)
	}
}
