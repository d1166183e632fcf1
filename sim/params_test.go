package sim

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

// TestParamsDeclared checks that every parameter is fully declared: a meaning, a Chinese name,
// what is allowed, a unit for every ranged number, and a label and group for every lever.
func TestParamsDeclared(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Params() {
		if seen[p.Path] {
			t.Errorf("%s: declared twice", p.Path)
		}
		seen[p.Path] = true
		if p.Meaning == "" {
			t.Errorf("%s: no doc comment (run go generate ./sim after adding one)", p.Path)
		}
		if p.Zh == "" {
			t.Errorf("%s: no zh tag", p.Path)
		}
		numeric := p.Kind == "number" || p.Kind == "integer"
		if numeric && !p.HasRange && p.Allowed == "" {
			t.Errorf("%s: a number with neither a range nor an allowed tag", p.Path)
		}
		if p.HasRange && p.Unit == "" {
			t.Errorf("%s: a ranged number without a unit tag", p.Path)
		}
		if p.HasRange && p.Min > p.Max {
			t.Errorf("%s: range %g,%g is empty", p.Path, p.Min, p.Max)
		}
		if p.Kind == "choice" && len(p.Choices) < 2 {
			t.Errorf("%s: oneof lists %v", p.Path, p.Choices)
		}
		for _, behavioural := range []string{"economy.", "debt.", "province.", "prefecture."} {
			if strings.HasPrefix(p.Path, behavioural) && p.Source == "" {
				t.Errorf("%s: a behavioural parameter without a source tag (a reference or \"assumption\")", p.Path)
			}
		}
		if l := p.Lever; l != nil {
			if l.Group == "" || l.Label == "" {
				t.Errorf("%s: lever without a group or a label: %+v", p.Path, *l)
			}
			if p.HasRange && l.Step <= 0 {
				t.Errorf("%s: slider without a step", p.Path)
			}
		}
	}
	for _, want := range []string{"seed", "economy.convergence", "pmc.cohorts[].step3", "approval.land_use.phase_years", "world.provinces[].county_list[].towns"} {
		if !seen[want] {
			t.Errorf("no parameter %s", want)
		}
	}
	if got := len(Params()); got < 100 {
		t.Errorf("%d parameters, want every field of Config", got)
	}
}

// field returns the settable field of c at a Param's Field path, taking the first item of a
// list ("PMC.Cohorts[].Step1"); ok is false when a list is empty.
func configField(c *Config, path string) (reflect.Value, bool) {
	v := reflect.ValueOf(c).Elem()
	for _, part := range strings.Split(path, ".") {
		name, list := strings.CutSuffix(part, "[]")
		v = v.FieldByName(name)
		if list {
			if v.Len() == 0 {
				return v, false
			}
			v = v.Index(0)
		}
	}
	return v, true
}

func has(c *Config, path string) bool {
	_, ok := configField(c, path)
	return ok
}

func errorsAt(errs []FieldError, path string) []FieldError {
	var out []FieldError
	for _, e := range errs {
		if e.Path == path {
			out = append(out, e)
		}
	}
	return out
}

// TestValidateChecksDeclaredRanges sets every declared range and choice of the default config
// just outside and at its bounds: outside, Validate reports the path, the value and what is
// allowed; at the bounds it accepts the value.
func TestValidateChecksDeclaredRanges(t *testing.T) {
	checked := 0
	for _, p := range Params() {
		if !p.HasRange && p.Kind != "choice" {
			continue
		}
		path := strings.ReplaceAll(p.Path, "[]", "[0]")
		try := func(x any) []FieldError {
			c := DefaultConfig()
			f, ok := configField(&c, p.Field)
			if !ok {
				return nil
			}
			switch f.Kind() {
			case reflect.Float64:
				f.SetFloat(x.(float64))
			case reflect.Int:
				f.SetInt(int64(x.(float64)))
			case reflect.String:
				f.SetString(x.(string))
			}
			return errorsAt(c.Validate(), path)
		}
		if c := DefaultConfig(); !has(&c, p.Field) {
			continue // in a list the default config leaves empty: see TestValidateCountyList
		}
		checked++
		if p.Kind == "choice" {
			errs := try("bogus")
			if len(errs) != 1 || errs[0].Value != `"bogus"` || errs[0].Allowed != p.AllowedText() {
				t.Errorf("%s = bogus: got %v", path, errs)
			}
			for _, c := range p.Choices {
				if errs := try(c); len(errs) > 0 {
					t.Errorf("%s = %s: got %v", path, c, errs)
				}
			}
			continue
		}
		d := 1.0
		if p.Kind == "number" {
			d = 1e-9 * math.Max(1, math.Abs(p.Max))
		}
		for _, x := range []float64{p.Max + d, p.Min - d, math.NaN()} {
			if math.IsNaN(x) && p.Kind != "number" {
				continue
			}
			errs := try(x)
			if len(errs) == 0 || errs[0].Allowed != p.rangeText() {
				t.Errorf("%s = %g: got %v, want an error with allowed %q", path, x, errs, p.rangeText())
			}
		}
		for _, x := range []float64{p.Min, p.Max} {
			for _, e := range try(x) {
				if e.Allowed == p.rangeText() {
					t.Errorf("%s = %g is within its range but got %v", path, x, e)
				}
			}
		}
	}
	if checked < 80 {
		t.Errorf("checked %d declared ranges and choices, want every one of the default config", checked)
	}
}

// TestValidateMessages pins the wording of declared checks, the same as before they were
// declared.
func TestValidateMessages(t *testing.T) {
	c := DefaultConfig()
	c.Devolution.Economic = 1.5
	c.PMC.Mode = "two-step"
	c.Prefecture.DelayMonths = 13
	c.PMC.Cohorts[1].Step1 = 700
	want := []string{
		"devolution.economic: bad value 1.5 (allowed: a number from 0 to 1)",
		`pmc.mode: bad value "two-step" (allowed: "three-step" or "one-shot")`,
		"pmc.cohorts[1].step1: bad value 700 (allowed: a whole number from -1 to 600)",
		"prefecture.delay_months: bad value 13 (allowed: a whole number from 0 to 12)",
	}
	var got []string
	for _, e := range c.Validate() {
		got = append(got, e.Error())
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g == w
		}
		if !found {
			t.Errorf("missing %q in %q", w, got)
		}
	}
}

// TestValidateCountyList checks the declared ranges of a county list's items, with their
// words for 0 (draw, apportion).
func TestValidateCountyList(t *testing.T) {
	c := DefaultConfig()
	c.World.Provinces = []ProvinceSpec{{Name: "P", Prefectures: 1, CountyList: []CountySpec{
		{Name: "a", Population: -1, Towns: 2, Urban: 1.2},
		{Name: "b", Towns: 0, Strength: 101},
	}}}
	want := map[string]string{
		"world.provinces[0].county_list[0].population": "0 (draw) or a number of residents up to 50 million",
		"world.provinces[0].county_list[0].towns":      "0 (apportion) or a whole number from 3 to 100",
		"world.provinces[0].county_list[0].urban":      "a number from 0 to 1",
		"world.provinces[0].county_list[1].strength":   "a number from 0 to 100",
	}
	errs := c.Validate()
	for path, allowed := range want {
		if got := errorsAt(errs, path); len(got) != 1 || got[0].Allowed != allowed {
			t.Errorf("%s: got %v, want allowed %q", path, got, allowed)
		}
	}
	if got := errorsAt(errs, "world.provinces[0].county_list[1].towns"); len(got) != 0 {
		t.Errorf("towns 0 (apportion) rejected: %v", got)
	}
}

func TestLookup(t *testing.T) {
	c := DefaultConfig()
	for path, want := range map[string]any{
		"months":                        240,
		"seed":                          uint64(1),
		"pmc.cohorts[1].step2":          84,
		"pmc.mode":                      "three-step",
		"prefecture.supervision":        8.0,
		"approval.land_use.phase_years": 0.0,
	} {
		if got, ok := c.Lookup(path); !ok || got != want {
			t.Errorf("Lookup(%s) = %v, %v; want %v", path, got, ok, want)
		}
	}
	for _, path := range []string{"pmc.cohorts[2].step1", "pmc.nothing", "months.x", "pmc.cohorts[x].share", "world.provinces[0].county_list[0].name"} {
		if got, ok := c.Lookup(path); ok {
			t.Errorf("Lookup(%s) = %v, want not found", path, got)
		}
	}
}

// TestValidateListCohorts: with pilots named by list, a cohort that names no county is refused
// (it would run with no pilots, silently); a list without the list method shows the list.
func TestValidateListCohorts(t *testing.T) {
	c := DefaultConfig()
	c.World.Provinces = []ProvinceSpec{{Name: "P", Prefectures: 1, CountyNames: []string{"a", "b", "c"}}}
	c.PMC.Selection.Method = ByList
	c.PMC.Cohorts = []Cohort{{Name: "one", Share: 0.5, Step1: 12, Step2: 24, Step3: 36, Counties: []string{"a"}}, {Name: "two", Share: 0.5, Step1: 12, Step2: 24, Step3: 36}}
	if got := errorsAt(c.Validate(), "pmc.cohorts[1].counties"); len(got) != 1 || !strings.Contains(got[0].Allowed, "at least one county") {
		t.Errorf("a list cohort with no county: %v", got)
	}
	if got := errorsAt(c.Validate(), "pmc.cohorts[0].counties"); len(got) != 0 {
		t.Errorf("a list cohort with a county refused: %v", got)
	}
	c.PMC.Selection.Method = ByIndex
	if got := errorsAt(c.Validate(), "pmc.cohorts[0].counties"); len(got) != 1 || !strings.Contains(fmt.Sprint(got[0].Value), `"a"`) {
		t.Errorf("a list without the list method: %v, want the list shown", got)
	}
}
