package scenarios

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/countysim/countysim/census"
	"github.com/countysim/countysim/sim"
	"go.yaml.in/yaml/v3"
)

func TestBuiltinsLoadRunAndRoundTrip(t *testing.T) {
	names := Builtins()
	want := []string{"baseline", "devolution",
		"eval-approval-only", "eval-broad-span", "eval-devolution-only", "eval-fiscal-stress", "eval-fiscal-stress-no-priority",
		"eval-henan-path", "eval-high-iq", "eval-low-iq", "eval-narrow-span", "eval-placebo-fiscal", "eval-random-pilots", "eval-strong-equalisation", "eval-strong-prefecture",
		"eval-weak-equalisation", "eval-weak-prefecture",
		"fiscal-discipline", "henan-2014", "jiangxi-cohorts",
		"pmc-one-shot", "pmc-step1-only", "pmc-three-step", "streamline-and-approval", "zhejiang"}
	if !slices.Equal(names, want) {
		t.Fatalf("Builtins() = %v, want %v", names, want)
	}
	hashes := map[string]string{}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			s, err := Builtin(name)
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != name || s.Source != "builtin:"+name || s.Description == "" {
				t.Errorf("got name %q, source %q, description %q", s.Name, s.Source, s.Description)
			}
			if err := Validate(s); err != nil {
				t.Fatal(err)
			}
			m, err := sim.New(s.Config)
			if err != nil {
				t.Fatalf("sim.New: %v", err)
			}
			// Its first month runs (every month of every built-in: sim's TestGoldenTrajectories).
			if err := m.Step(); err != nil {
				t.Fatalf("the first month: %v", err)
			}
			data, err := Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse(name+".full.yaml", data)
			if err != nil {
				t.Fatalf("parsing the full form: %v\n%s", err, data)
			}
			if !reflect.DeepEqual(back.Config, s.Config) {
				t.Errorf("round trip changed the config:\n got %+v\nwant %+v", back.Config, s.Config)
			}
			if back.Name != s.Name || back.Description != s.Description || back.Preset != s.Preset {
				t.Errorf("round trip changed the header: %q %q %q", back.Name, back.Description, back.Preset)
			}
			if Hash(back) != Hash(s) {
				t.Error("round trip changed the hash")
			}
			if other, dup := hashes[Hash(s)]; dup {
				t.Errorf("same hash as %s", other)
			}
			hashes[Hash(s)] = name
		})
	}
}

func TestDefaultScenarioIsTheDefaultConfig(t *testing.T) {
	s, err := Resolve("")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != Default || !reflect.DeepEqual(s.Config, sim.DefaultConfig()) {
		t.Errorf("the default scenario %q differs from sim.DefaultConfig()", s.Name)
	}
}

func mustModel(t *testing.T, name string) *sim.Model {
	t.Helper()
	s, err := Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.New(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// pilotsByCohort counts a model's pilot counties in each cohort.
func pilotsByCohort(m *sim.Model) map[int]int {
	out := map[int]int{}
	for _, c := range m.Counties {
		if c.Pilot {
			out[c.Cohort]++
		}
	}
	return out
}

func TestBuiltinsSetUpTheirReforms(t *testing.T) {
	t.Run("baseline has no pilots", func(t *testing.T) {
		if got := pilotsByCohort(mustModel(t, "baseline")); len(got) != 0 {
			t.Errorf("pilots %v", got)
		}
	})
	t.Run("henan-2014 pilots are the ten listed counties, full PMC in 2014", func(t *testing.T) {
		m := mustModel(t, "henan-2014")
		var pilots, codes []string
		for _, c := range m.Counties {
			if c.Pilot {
				pilots = append(pilots, census.ShortName(c.Name))
				codes = append(codes, c.Code)
				if c.StepMonth != [4]int{0, 0, 108, 108} {
					t.Errorf("%s steps at %v", c.Name, c.StepMonth)
				}
			}
		}
		if !slices.Equal(pilots, henanPilots) {
			t.Errorf("pilots %v, want %v", pilots, henanPilots)
		}
		wantCodes := []string{"410181", "410225", "410482", "410526", "410728", "411381", "411481", "411525", "411628", "411729"}
		if !slices.Equal(codes, wantCodes) {
			t.Errorf("pilot codes %v, want %v", codes, wantCodes)
		}
		if len(m.Counties) != 109 || m.Config().StartYear+108/12 != 2014 {
			t.Errorf("%d counties, full PMC in %d", len(m.Counties), m.Config().StartYear+108/12)
		}
	})
	t.Run("jiangxi-cohorts has 21, 38 and 21 pilots at step 1 only", func(t *testing.T) {
		m := mustModel(t, "jiangxi-cohorts")
		if got := pilotsByCohort(m); !reflect.DeepEqual(got, map[int]int{0: 21, 1: 38, 2: 21}) {
			t.Errorf("pilots by cohort %v", got)
		}
		for _, c := range m.Counties {
			if c.StepMonth[2] != -1 || c.StepMonth[3] != -1 {
				t.Fatalf("%s goes beyond step 1: %v", c.Name, c.StepMonth)
			}
		}
	})
	t.Run("zhejiang has every county at step 1 from month 0", func(t *testing.T) {
		m := mustModel(t, "zhejiang")
		if got := pilotsByCohort(m); got[0] != 58 {
			t.Errorf("pilots by cohort %v", got)
		}
	})
	t.Run("pmc-one-shot moves every county to step 3 at once", func(t *testing.T) {
		m := mustModel(t, "pmc-one-shot")
		for _, c := range m.Counties {
			if !c.Pilot || c.StepMonth != [4]int{0, 24, 24, 24} {
				t.Fatalf("%s: pilot %v, steps %v", c.Name, c.Pilot, c.StepMonth)
			}
		}
	})
	t.Run("pmc-step1-only never passes step 1", func(t *testing.T) {
		m := mustModel(t, "pmc-step1-only")
		if len(pilotsByCohort(m)) != 2 {
			t.Errorf("pilots by cohort %v", pilotsByCohort(m))
		}
		for _, c := range m.Counties {
			if c.StepMonth[2] != -1 || c.StepMonth[3] != -1 {
				t.Fatalf("%s steps %v", c.Name, c.StepMonth)
			}
		}
	})
}

func TestPresets(t *testing.T) {
	want := map[string][3]int{ // prefectures, counties, towns
		"zhejiang-synthetic": {11, 58, 1265},
		"jiangsu-synthetic":  {13, 51, 1116},
		"anhui-synthetic":    {17, 61, 1271},
		"hubei-synthetic":    {13, 64, 1026},
		"henan-synthetic":    {17, 109, 1975},
		"hebei-synthetic":    {11, 136, 1863},
		"jiangxi-synthetic":  {11, 80, 1400},
		"national-synthetic": {333, 2003, 34170},
		"teaching":           {4, 20, 300},
		// Real presets: census prefecture groupings with counties (Henan's 17 prefectures
		// and the grouping of Jiyuan, which the province administers directly), the census
		// counties, and the province's towns from data/admin-units.csv.
		"zhejiang": {11, 58, 1265},
		"jiangsu":  {13, 51, 1116},
		"anhui":    {17, 61, 1271},
		"hubei":    {12, 63, 1026},
		"henan":    {18, 109, 1975},
		"hebei":    {11, 136, 1863},
		"jiangxi":  {11, 80, 1400},
		"national": {327, 1954, 34170},
	}
	names := Presets()
	if len(names) != 41 || !slices.IsSorted(names) {
		t.Fatalf("Presets() = %v", names)
	}
	for _, name := range names {
		w, err := Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		var sum [3]int
		for _, p := range w.Provinces {
			sum[0] += p.Prefectures
			sum[1] += p.CountyCount()
			sum[2] += p.Towns
			if p.Towns < 3*p.CountyCount() {
				t.Errorf("%s: %s has %d towns for %d counties", name, p.Name, p.Towns, p.Counties)
			}
		}
		if wt, ok := want[name]; ok && sum != wt {
			t.Errorf("%s: prefectures, counties, towns = %v, want %v", name, sum, wt)
		}
		cfg := sim.DefaultConfig()
		cfg.World = w
		if errs := cfg.Validate(); len(errs) > 0 {
			t.Errorf("%s: %v", name, errs)
		}
	}
	w, _ := Preset("national-synthetic")
	if len(w.Provinces) != 31 || w.Provinces[30].Name != "Province-31" || w.Provinces[4].Name != "Henan" {
		t.Errorf("national-synthetic: %d provinces, last %q", len(w.Provinces), w.Provinces[len(w.Provinces)-1].Name)
	}
	if _, err := Preset("atlantis"); err == nil || !strings.Contains(err.Error(), "jiangxi-synthetic, jilin") {
		t.Errorf("unknown preset: %v", err)
	}
	// Each call returns a fresh world: changing one does not change the next.
	a, _ := Preset("henan-synthetic")
	a.Provinces[0].CountyNames[0] = "changed"
	if b, _ := Preset("henan-synthetic"); b.Provinces[0].CountyNames[0] != "巩义" {
		t.Error("Preset shares its lists between calls")
	}
	a, _ = Preset("henan")
	a.Provinces[0].CountyList[0].Name = "changed"
	a.Provinces[0].PrefectureNames[0] = "changed"
	if b, _ := Preset("henan"); b.Provinces[0].CountyList[0].Name != "中牟县" || b.Provinces[0].PrefectureNames[0] != "郑州市" {
		t.Error("Preset shares its county lists between calls")
	}
}

func TestRealPresetCounties(t *testing.T) {
	w, _ := Preset("henan")
	p := w.Provinces[0]
	byName := map[string]sim.CountySpec{}
	for _, c := range p.CountyList {
		byName[c.Name] = c
	}
	// Jiyuan, administered by the province directly, is the last prefecture grouping.
	jy := byName["济源市"]
	if jy.Code != "419001" || p.PrefectureCodes[jy.Prefecture] != "419000" || jy.Prefecture != p.Prefectures-1 {
		t.Errorf("济源市: %+v, prefecture code %s", jy, p.PrefectureCodes[jy.Prefecture])
	}
	ll := byName["兰考县"]
	if ll.Code != "410225" || p.PrefectureNames[ll.Prefecture] != "开封市" || ll.Population != 677826 {
		t.Errorf("兰考县: %+v", ll)
	}
	// The census mapping ranks the industrial county-level city above the poor farming county.
	if gy := byName["巩义市"]; gy.Strength <= 1.5 || ll.Strength >= 1 || gy.IQ <= ll.IQ {
		t.Errorf("巩义市 %+v, 兰考县 %+v", gy, ll)
	}
	// Towns: apportioned by population from the province's total.
	big, small := byName["固始县"], byName["济源市"]
	if big.Population <= small.Population || big.Towns <= small.Towns {
		t.Errorf("towns: 固始县 %+v, 济源市 %+v", big, small)
	}
	// In national, strength is relative to the national median, so provinces differ; in a
	// province preset, to the province's median.
	nat, _ := Preset("national")
	mean := func(p sim.ProvinceSpec) float64 {
		s := 0.0
		for _, c := range p.CountyList {
			s += math.Log(c.Strength)
		}
		return s / float64(len(p.CountyList))
	}
	zj, gs := nat.Provinces[slices.IndexFunc(nat.Provinces, func(p sim.ProvinceSpec) bool { return p.Name == "Zhejiang" })],
		nat.Provinces[slices.IndexFunc(nat.Provinces, func(p sim.ProvinceSpec) bool { return p.Name == "Gansu" })]
	if mean(zj) <= mean(gs)+0.3 {
		t.Errorf("national: mean log strength Zhejiang %.2f, Gansu %.2f", mean(zj), mean(gs))
	}
	zp, _ := Preset("zhejiang")
	if m := mean(zp.Provinces[0]); math.Abs(m) > 0.15 {
		t.Errorf("zhejiang preset: mean log strength %.2f, want about 0 (relative to its median)", m)
	}
}

func TestNationalPresetRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 34,170 towns")
	}
	cfg := sim.DefaultConfig()
	cfg.World, _ = Preset("national")
	m, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Provinces) != 31 || len(m.Counties) != 1954 || len(m.Towns) != 34170 || len(m.Prefs) != 327 {
		t.Errorf("built %d provinces, %d prefectures, %d counties, %d towns", len(m.Provinces), len(m.Prefs), len(m.Counties), len(m.Towns))
	}
	if c := m.Counties[0]; c.Code != "110228" || c.Name != "密云县" || m.Prefs[c.Pref].Code != "110200" {
		t.Errorf("first county %s %s in %s", c.Code, c.Name, m.Prefs[c.Pref].Code)
	}
}

func TestPartialFileInheritsAndOverrides(t *testing.T) {
	src := `
name: partial
world:            # overrides the default world
  provinces:
    - name: Tiny
      prefectures: 2
      counties: 10
      towns: 60
pmc:
  cohorts:        # replaces the default list whole
    - {name: only, share: 0.5, step1: 6, step2: 12, step3: 18}
debt:
  red_ratio: 1.5
`
	s, err := Parse("partial.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := sim.DefaultConfig()
	want.World = sim.World{Provinces: []sim.ProvinceSpec{{Name: "Tiny", Prefectures: 2, Counties: 10, Towns: 60}}}
	want.PMC.Cohorts = []sim.Cohort{{Name: "only", Share: 0.5, Step1: 6, Step2: 12, Step3: 18}}
	want.Debt.RedRatio = 1.5
	if !reflect.DeepEqual(s.Config, want) {
		t.Errorf("got %+v\nwant %+v", s.Config, want)
	}
	if s.Preset != "" || s.Source != "partial.yaml" {
		t.Errorf("preset %q, source %q", s.Preset, s.Source)
	}

	s, err = Parse("dir/only-preset.yml", []byte("preset: jiangxi\n"))
	if err != nil {
		t.Fatal(err)
	}
	if w, _ := Preset("jiangxi"); !reflect.DeepEqual(s.Config.World, w) || s.Name != "only-preset" {
		t.Errorf("preset world not applied: %+v, name %q", s.Config.World, s.Name)
	}
	// An empty file is an error, not a silent run of the defaults.
	for _, empty := range []string{"", "# only a comment\n", "~\n", "  \n\n"} {
		_, err := Parse("empty.yaml", []byte(empty))
		if err == nil || !strings.Contains(err.Error(), "empty.yaml:1:1: the file is empty") {
			t.Errorf("%q: got %v, want an empty-file error", empty, err)
		}
	}
}

func TestAnchorsAliasesAndMerges(t *testing.T) {
	src := `
pmc:
  cohorts:
    - &first {name: a, share: 0.2, step1: 12, step2: 24, step3: 36}
    - <<: *first
      name: b
      step1: 24
      step2: 48
      step3: 72
    - *first
`
	s, err := Parse("anchors.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := s.Config.PMC.Cohorts
	want := []sim.Cohort{
		{Name: "a", Share: 0.2, Step1: 12, Step2: 24, Step3: 36},
		{Name: "b", Share: 0.2, Step1: 24, Step2: 48, Step3: 72},
		{Name: "a", Share: 0.2, Step1: 12, Step2: 24, Step3: 36},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
	// A document whose aliases expand to millions of values is refused quickly, with a line.
	var b strings.Builder
	b.WriteString("names: &names [")
	for i := 0; i < 400; i++ {
		b.WriteString("n" + strconv.Itoa(i) + ", ")
	}
	b.WriteString("]\nprovince: &p {name: P, prefectures: 1, counties: 400, towns: 2000, county_names: *names}\nworld:\n  provinces: [")
	for i := 0; i < 10000; i++ {
		b.WriteString("*p, ")
	}
	b.WriteString("]\n")
	_, err = Parse("laughs.yaml", []byte(b.String()))
	var le *LoadError
	if !errors.As(err, &le) || !strings.HasPrefix(err.Error(), "laughs.yaml:4:") || !strings.Contains(err.Error(), "too many values") {
		t.Errorf("got %.2000v", err)
	}
}

// wantLine is an expected problem, written in a bad file as "# want: LINE PATH MESSAGE-FRAGMENT"
// (PATH "-" when the problem has none).
var wantLine = regexp.MustCompile(`(?m)^# want: (\d+) (\S+) (.+)$`)

func TestBadScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) < 20 {
		t.Fatalf("%d bad files, %v", len(files), err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			wants := wantLine.FindAllStringSubmatch(string(data), -1)
			if len(wants) == 0 {
				t.Fatal("no '# want:' line")
			}
			_, err = Load(file)
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("got %v, want a *LoadError", err)
			}
			if len(le.Problems) != len(wants) {
				t.Errorf("%d problems, want %d:\n%v", len(le.Problems), len(wants), err)
			}
			for _, w := range wants {
				line, _ := strconv.Atoi(w[1])
				path := strings.TrimPrefix(w[2], "-")
				found := false
				for _, p := range le.Problems {
					found = found || (p.File == file && p.Line == line && p.Path == path && strings.Contains(p.Msg, w[3]))
				}
				prefix := file + ":" + w[1] + ":"
				if !found || !strings.Contains(err.Error(), prefix) {
					t.Errorf("want %s %s %q; got\n%v", prefix, path, w[3], err)
				}
			}
			if !slices.IsSortedFunc(le.Problems, func(a, b Problem) int { return a.Line - b.Line }) {
				t.Errorf("problems not sorted by line:\n%v", err)
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	err := &LoadError{Problems: []Problem{
		{File: "bad.yaml", Line: 12, Col: 5, Path: "pmc.cohorts[1].step2", Msg: "bad value 30 (allowed: x)"},
		{File: "bad.yaml", Line: 2, Msg: "YAML syntax: oops"},
		{Path: "seed", Msg: "wrong type"},
	}}
	want := "bad.yaml:12:5: pmc.cohorts[1].step2: bad value 30 (allowed: x)\nbad.yaml:2: YAML syntax: oops\nseed: wrong type"
	if err.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
}

func TestPlaceFallsBackToParentPresetOrLineOne(t *testing.T) {
	pmc := &yaml.Node{Line: 3, Column: 1}
	preset := &yaml.Node{Line: 2, Column: 1}
	d := newDecoder("f.yaml")
	d.at["pmc"], d.at["preset"] = pmc, preset
	cases := map[string]*yaml.Node{
		"pmc.cohorts[1].step2":     pmc,
		"world.provinces[0].towns": preset,
		"debt.red_ratio":           nil,
	}
	for path, want := range cases {
		if got := d.place(path); got != want {
			t.Errorf("place(%q) = %v, want %v", path, got, want)
		}
	}
	d.add(nil, "debt.red_ratio", "x")
	if p := d.problems[0]; p.Line != 1 || p.Col != 1 {
		t.Errorf("a default field is placed at %d:%d, want 1:1", p.Line, p.Col)
	}
}

// TestWalkerCoversEveryField fills every field of the document with a non-zero value, writes it
// with the yaml package and reads it back with the walker: a field the walker cannot read (a new
// type in sim.Config, say) fails here.
func TestWalkerCoversEveryField(t *testing.T) {
	var doc document
	fill(reflect.ValueOf(&doc).Elem())
	data, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	root, problems := readYAML("all.yaml", data)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	d := newDecoder("all.yaml")
	var back document
	d.value("", root, root, reflect.ValueOf(&back).Elem())
	if len(d.problems) > 0 {
		t.Fatal(errorOrNil(d.problems))
	}
	if !reflect.DeepEqual(back, doc) {
		t.Errorf("got %+v\nwant %+v", back, doc)
	}
}

func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fill(v.Index(0))
		fill(v.Index(1))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.String:
		v.SetString("x: y")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(-7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.125)
	}
}

// TestWalkerHandsOtherKindsToTheDecoder covers field kinds sim.Config does not use today (maps,
// pointers, types with their own unmarshaler), which a new field might.
func TestWalkerHandsOtherKindsToTheDecoder(t *testing.T) {
	type other struct {
		Weights map[string]float64 `yaml:"weights"`
		Limit   *int               `yaml:"limit"`
		Since   time.Time          `yaml:"since"`
	}
	src := "weights: {a: 0.5, b: 1}\nlimit: 3\nsince: 2005-01-01T00:00:00Z\n"
	root, _ := readYAML("other.yaml", []byte(src))
	d := newDecoder("other.yaml")
	var got other
	d.value("", root, root, reflect.ValueOf(&got).Elem())
	if len(d.problems) > 0 || got.Weights["b"] != 1 || got.Limit == nil || *got.Limit != 3 || got.Since.Year() != 2005 {
		t.Errorf("got %+v, problems %v", got, d.problems)
	}
	root, _ = readYAML("other.yaml", []byte("weights: [1, 2]\n"))
	d.value("", root, root, reflect.ValueOf(&got).Elem())
	if len(d.problems) != 1 || d.problems[0].Line != 1 || d.problems[0].Path != "weights" {
		t.Errorf("problems %v", d.problems)
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.yml")
	if err := os.WriteFile(file, []byte("name: mine\nmonths: 24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := Resolve(file); err != nil || s.Config.Months != 24 || s.Source != file {
		t.Errorf("file: %v %+v", err, s)
	}
	if s, err := Resolve("zhejiang"); err != nil || s.Source != "builtin:zhejiang" {
		t.Errorf("built-in: %v", err)
	}
	_, err := Resolve("zhejang")
	if err == nil || !strings.Contains(err.Error(), "baseline, devolution") {
		t.Errorf("unknown: %v", err)
	}
	if _, err := Resolve(filepath.Join(dir, "missing.yaml")); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Builtin("nope"); err == nil || !strings.Contains(err.Error(), "pmc-three-step") {
		t.Errorf("unknown built-in: %v", err)
	}
}

func TestSet(t *testing.T) {
	good := []struct {
		assign string
		check  func(s *Scenario) bool
	}{
		{"pmc.enabled=false", func(s *Scenario) bool { return !s.Config.PMC.Enabled }},
		{"devolution.economic=0.8", func(s *Scenario) bool { return s.Config.Devolution.Economic == 0.8 }},
		{"pmc.cohorts[0].step1=12", func(s *Scenario) bool { return s.Config.PMC.Cohorts[0].Step1 == 12 }},
		{"seed=7", func(s *Scenario) bool { return s.Config.Seed == 7 }},
		{"months = 36", func(s *Scenario) bool { return s.Config.Months == 36 }},
		{"name=my run", func(s *Scenario) bool { return s.Name == "my run" }},
		{"pmc.mode=one-shot", func(s *Scenario) bool { return s.Config.PMC.Mode == "one-shot" }},
		{"preset=teaching", func(s *Scenario) bool { return s.Preset == "teaching" && s.Config.World.Provinces[0].Counties == 20 }},
		{"world.provinces[0].county_names=[A, B]", func(s *Scenario) bool {
			return slices.Equal(s.Config.World.Provinces[0].CountyNames, []string{"A", "B"})
		}},
		{"pmc.cohorts=[{share: 1, step1: 0, step2: -1, step3: -1}]", func(s *Scenario) bool {
			return len(s.Config.PMC.Cohorts) == 1 && s.Config.PMC.Cohorts[0].Share == 1
		}},
		{"pmc.cohorts=", func(s *Scenario) bool { return s.Config.PMC.Cohorts == nil }},
	}
	for _, c := range good {
		s, _ := Builtin(Default)
		if err := Set(s, c.assign); err != nil || !c.check(s) {
			t.Errorf("Set(%q): %v", c.assign, err)
		}
	}

	bad := []struct{ assign, path, msg string }{
		{"pmc.enabeld=false", "pmc.enabeld", `did you mean "enabled"?`},
		{"pmc.cohort[0].step1=3", "pmc.cohort", `did you mean "cohorts"?`},
		{"devolution.economic=high", "devolution.economic", `expected a number, got text "high"`},
		{"pmc.cohorts[0].step1=1.5", "pmc.cohorts[0].step1", "expected a whole number"},
		{"pmc.cohorts[5].step1=3", "pmc.cohorts[5]", "no item 5: pmc.cohorts has 2 item(s) (0 to 1)"},
		{"pmc.enabled[0]=true", "pmc.enabled", "not a list"},
		{"seed.x=1", "seed", `has no key "x"`},
		{"seed=-1", "seed", "expected a whole number, 0 or more"},
		{"pmc=true", "pmc", "expected a mapping"},
		{"preset=atlantis", "preset", "unknown preset"},
		{"months", "months", "expected path=value"},
		{"months=[1", "months", "cannot read value"},
		{"pmc.cohorts[x].step1=1", "pmc.cohorts", "list index"},
	}
	for _, c := range bad {
		s, _ := Builtin(Default)
		before := s.Config
		before.PMC.Cohorts = slices.Clone(before.PMC.Cohorts)
		err := Set(s, c.assign)
		var le *LoadError
		if !errors.As(err, &le) || len(le.Problems) != 1 {
			t.Errorf("Set(%q) = %v, want one problem", c.assign, err)
			continue
		}
		if p := le.Problems[0]; p.Path != c.path || !strings.Contains(p.Msg, c.msg) || p.Line != 0 {
			t.Errorf("Set(%q) = %q at %q line %d, want %q at %q", c.assign, p.Msg, p.Path, p.Line, c.msg, c.path)
		}
		if !reflect.DeepEqual(s.Config, before) {
			t.Errorf("Set(%q) changed the scenario although it failed", c.assign)
		}
	}
}

func TestSetDoesNotAliasOtherScenarios(t *testing.T) {
	a, _ := Builtin(Default)
	b := *a
	if err := Set(&b, "pmc.cohorts[0].step1=3"); err != nil {
		t.Fatal(err)
	}
	if a.Config.PMC.Cohorts[0].Step1 == 3 {
		t.Error("Set changed a copy's shared cohort list")
	}
}

func TestValidateAfterSet(t *testing.T) {
	s, _ := Builtin(Default)
	for _, a := range []string{"pmc.cohorts[1].step2=30", "debt.red_ratio=0.5", "months=0"} {
		if err := Set(s, a); err != nil {
			t.Fatal(err)
		}
	}
	err := Validate(s)
	want := "months: bad value 0 (allowed: a whole number from 1 to 600)\n" +
		"pmc.cohorts[1].step2: bad value 30 (allowed: -1 (never) or a month no earlier than step1 (48))\n" +
		"debt.red_ratio: bad value 0.5 (allowed: at least debt.yellow_ratio (0.8))"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	if err := Validate(&Scenario{Config: sim.DefaultConfig()}); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestNearest(t *testing.T) {
	keys := []string{"enabled", "mode", "selection", "cohorts", "widening"}
	for in, want := range map[string]string{
		"cohort": "cohorts", "Enabled": "enabled", "mdoe": "mode", "widenning": "widening",
		"xyz": "", "by": "", "selections": "selection",
	} {
		if got := nearest(in, keys); got != want {
			t.Errorf("nearest(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestUnknownScenarioSuggests: a near miss of a built-in's name is pointed to it.
func TestUnknownScenarioSuggests(t *testing.T) {
	if _, err := Resolve("baselin"); err == nil || !strings.Contains(err.Error(), `unknown scenario "baselin" (did you mean "baseline"?)`) {
		t.Errorf("Resolve(baselin): %v", err)
	}
}

// TestFullWidthColon: a key typed with a Chinese input method's full-width colon is reported at
// its own line with the fix.
func TestFullWidthColon(t *testing.T) {
	_, err := Parse("x.yaml", []byte("name: g\npreset：teaching\nmonths: 12\n"))
	if err == nil || !strings.Contains(err.Error(), "x.yaml:2: YAML syntax") || !strings.Contains(err.Error(), "full-width colon") {
		t.Errorf("a full-width colon: %v", err)
	}
	// One in a value is no syntax error, and no hint.
	if _, err := Parse("x.yaml", []byte("name: g\ndescription: 说明：一\n")); err != nil {
		t.Errorf("a full-width colon in a value: %v", err)
	}
}

// TestWrongTypeSaysWhatIsAllowed: a value of the wrong type is told what the field takes, its
// range included, for list items too.
func TestWrongTypeSaysWhatIsAllowed(t *testing.T) {
	_, err := Parse("x.yaml", []byte("name: g\nmonths: twelve\npmc:\n  cohorts:\n    - {name: a, share: 0.5, step1: x, step2: 24, step3: 36}\n"))
	for _, want := range []string{
		`x.yaml:2:1: months: wrong type: expected a whole number, got text "twelve" (allowed: a whole number from 1 to 600)`,
		`pmc.cohorts[0].step1: wrong type: expected a whole number, got text "x" (allowed: a whole number from -1 to 600)`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}

// TestResolveAFolder: a folder named without a slash is told it is a folder, not an unknown
// scenario.
func TestResolveAFolder(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.Mkdir("adir", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, arg := range []string{"adir", "adir/"} {
		if _, err := Resolve(arg); err == nil || !strings.Contains(err.Error(), "is a folder, not a file") {
			t.Errorf("Resolve(%q): %v, want a folder, not a file", arg, err)
		}
	}
	if _, err := Resolve("nodir"); err == nil || !strings.Contains(err.Error(), "unknown scenario") {
		t.Errorf("Resolve(nodir): %v, want unknown scenario", err)
	}
}

// TestSetCountiesFile: world.counties_file names a file read with a scenario file; --set is
// told so (it was "unknown key; did you mean counties_file?").
func TestSetCountiesFile(t *testing.T) {
	s, err := Builtin(Default)
	if err != nil {
		t.Fatal(err)
	}
	if err := Set(s, "world.counties_file=x.csv"); err == nil || !strings.Contains(err.Error(), "cannot be set with --set") || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("Set world.counties_file: %v", err)
	}
}

// TestSetAliasBomb: a short value that expands by aliases and merge keys into more values
// than a file may hold is refused before it is decoded, and a value of many unknown keys is
// answered with a bounded list of problems (the teaching page's settings arrive through Set).
func TestSetAliasBomb(t *testing.T) {
	keys := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "k%d: 1, ", i)
		}
		return strings.TrimSuffix(b.String(), ", ")
	}
	aliases := func(n int) string { return strings.TrimSuffix(strings.Repeat("*m, ", n), ", ") }
	s, err := Builtin(Default)
	if err != nil {
		t.Fatal(err)
	}
	bomb := "pmc={zz: &m {" + keys(200) + "}, <<: [" + aliases(200) + "]}"
	if err := Set(s, bomb); err == nil || !strings.Contains(err.Error(), "too many values") {
		t.Errorf("a merge-key bomb of %d bytes: %v", len(bomb), err)
	}
	many := "pmc={" + keys(1000) + "}"
	err = Set(s, many)
	var le *LoadError
	if !errors.As(err, &le) || len(le.Problems) != maxProblems+1 || !strings.Contains(le.Problems[len(le.Problems)-1].Msg, "more problems than 100") {
		n := 0
		if le != nil {
			n = len(le.Problems)
		}
		t.Errorf("1,000 unknown keys: %d problems, want %d and a last one saying there are more", n, maxProblems+1)
	}
}

// TestHugeCountyCountIsRefusedAtOnce: a county count of 2^63-1 (a --set, or a request of the
// teaching page) on a scenario that names counties (henan-2014's cohort list) is refused at
// once: the listing of named counties looped over the count before it was validated, keeping
// a core busy for centuries; and the towns' allowed range is not stated from an overflowed
// product.
func TestHugeCountyCountIsRefusedAtOnce(t *testing.T) {
	s, err := Builtin("henan-2014")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		if err := Set(s, "world.provinces[0].counties=9223372036854775807"); err != nil {
			done <- err
			return
		}
		done <- Validate(s)
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "a whole number from 1 to 5000") || strings.Contains(err.Error(), "per county (") {
			t.Errorf("a county count of 2^63-1: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("a county count of 2^63-1 was not refused within 20 s (it loops over the count)")
	}
}
