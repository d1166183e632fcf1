package serve

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/countysim/countysim/sim"
)

// TestLeversFromDeclaration checks that every lever declared in sim is on the page, in a known
// group, with its labels, and that a slider's range is the declared one.
func TestLeversFromDeclaration(t *testing.T) {
	ls := levers(360)
	byPath := map[string]Lever{}
	for _, l := range ls {
		byPath[l.Path] = l
		if l.Label == "" || l.LabelZh == "" {
			t.Errorf("lever %s has no label in English or Chinese", l.Path)
		}
	}
	declared := 1 // the cohort editor stands for every lever of the cohort list
	for _, p := range sim.Params() {
		if p.Lever == nil {
			continue
		}
		if strings.HasPrefix(p.Path, "pmc.cohorts[]") {
			if _, ok := byPath[p.Path]; ok {
				t.Errorf("lever %s is on the page beside the cohort editor", p.Path)
			}
		} else {
			declared++
		}
		if !slices.Contains(leverGroups, p.Lever.Group) {
			t.Errorf("%s: lever group %q is not one of the page's %v", p.Path, p.Lever.Group, leverGroups)
		}
	}
	if len(ls) != declared || declared < 20 {
		t.Errorf("%d levers on the page, %d declared", len(ls), declared)
	}
	// Every slider spans its field's declared range (months and cohort dates end at the page's
	// horizon, checked below).
	sliders := 0
	for _, p := range sim.Params() {
		l, ok := byPath[p.Path]
		if !ok || !p.HasRange || l.Kind != "number" || p.Path == "months" {
			continue
		}
		sliders++
		if l.Min != p.Min || l.Max != p.Max {
			t.Errorf("lever %s spans %g to %g, its field %g to %g", p.Path, l.Min, l.Max, p.Min, p.Max)
		}
	}
	if sliders < 10 {
		t.Errorf("%d sliders with a declared range compared", sliders)
	}
	for path, want := range map[string]Lever{
		"months":             {Kind: "number", Min: 12, Max: 360, Step: 12},
		"seed":               {Kind: "integer"},
		"pmc.cohorts":        {Kind: "cohorts", Min: -1, Max: 360, Step: 1},
		"approval.item_cut":  {Kind: "number", Min: 0, Max: 0.9, Step: 0.05},
		"debt.stop_new_debt": {Kind: "bool"},
	} {
		got := byPath[path]
		if got.Kind != want.Kind || got.Min != want.Min || got.Max != want.Max || got.Step != want.Step {
			t.Errorf("lever %s = %+v, want %+v", path, got, want)
		}
	}
	for path, want := range map[string][2]string{
		"devolution.economic": {"Economic powers to counties", "向县下放经济管理权限"},
		"pmc.cohorts":         {"Pilot cohorts", "试点批次"},
	} {
		if l := byPath[path]; l.Label != want[0] || l.LabelZh != want[1] {
			t.Errorf("lever %s labelled %q, %q; want %q, %q", path, l.Label, l.LabelZh, want[0], want[1])
		}
	}
	for _, p := range sim.Params() {
		if list, _, ok := strings.Cut(p.Path, "[]"); ok && p.Lever != nil && list != "pmc.cohorts" {
			t.Errorf("lever %s is in list %s, which the page has no editor for", p.Path, list)
		}
	}
	for _, l := range levers(120) {
		if (l.Path == "months" || l.Path == "pmc.cohorts") && l.Max != 120 {
			t.Errorf("lever %s on a page of at most 120 months: max %g, want 120", l.Path, l.Max)
		}
	}
	c := sim.DefaultConfig()
	c.PMC.Cohorts = nil
	vals := leverValues(ls, &c)
	if cs, ok := vals["pmc.cohorts"].([]cohortValue); !ok || len(cs) != 0 || vals["months"] != 240 {
		t.Errorf("values without cohorts: %v", vals)
	}
}

// TestCohortEditorKeepsEveryField: the cohort editor's value of a cohort carries every field
// of sim.Cohort under its YAML name, so that the page, which sends the cohorts back whole,
// drops none (a listed cohort without its counties fails: henan-2014).
func TestCohortEditorKeepsEveryField(t *testing.T) {
	co := sim.Cohort{Name: "ten", Share: 0.5, Counties: []string{"巩义", "兰考"}, Step1: 1, Step2: 2, Step3: 3}
	data, err := json.Marshal(cohortValues([]sim.Cohort{co}))
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	ct := reflect.TypeOf(co)
	for i := range ct.NumField() {
		name, _, _ := strings.Cut(ct.Field(i).Tag.Get("yaml"), ",")
		if _, ok := got[0][name]; !ok {
			t.Errorf("the cohort editor's value %s has no %s", data, name)
		}
	}
	if len(got[0]) > ct.NumField() {
		t.Errorf("the cohort editor's value %s has fields sim.Cohort does not", data)
	}
}
