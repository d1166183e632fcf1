package serve

import (
	"strings"

	"github.com/countysim/countysim/sim"
)

// Lever is one control on the page: a scenario field path with its kind, range and labels.
// Everything is taken from the field's declaration in sim (sim.Params: the lever, label and zh
// tags on sim.Config's fields), so the range is the one the scenario rules allow and a slider
// cannot leave it (the number box next to it can, and the server then says why).
type Lever struct {
	Path  string  `json:"path"`
	Group string  `json:"group"`
	Kind  string  `json:"kind"` // "number" (slider and box), "integer" (box only), "bool", "choice" or "cohorts" (the cohort editor; Min and Max bound the step months)
	Min   float64 `json:"min,omitempty"`
	Max   float64 `json:"max,omitempty"`
	Step  float64 `json:"step,omitempty"`
	// Choices are the values of a "choice" lever.
	Choices []string `json:"choices,omitempty"`
	// Label and LabelZh name the lever in English and Chinese.
	Label   string `json:"label"`
	LabelZh string `json:"label_zh"`
}

// leverGroups are the page's groups of levers, in display order; within a group the levers
// follow the order of sim.Config's fields.
var leverGroups = []string{"run", "pmc", "devolution", "approval", "organisation", "fiscal"}

// cohortsLever is the page's cohort editor: every pilot cohort of the scenario, each with its
// share and step months, which the page sends back as pmc.cohorts, a YAML list. It stands in
// for the declared levers of the cohort fields (pmc.cohorts[].share, step1, step2, step3).
var cohortsLever = Lever{Path: "pmc.cohorts", Group: "pmc", Kind: "cohorts", Min: -1, Max: 360, Step: 1,
	Label: "Pilot cohorts", LabelZh: "试点批次"}

// levers returns the page's controls in display order, for a horizon of at most maxMonths. The
// fields of the pilot cohorts are edited together in the cohort editor.
func levers(maxMonths int) []Lever {
	var ls []Lever
	for _, g := range leverGroups {
		for _, p := range sim.Params() {
			if p.Lever == nil || p.Lever.Group != g {
				continue
			}
			if strings.HasPrefix(p.Path, cohortsLever.Path+"[]") {
				if ls[len(ls)-1].Path != cohortsLever.Path {
					cl := cohortsLever
					cl.Max = float64(maxMonths)
					ls = append(ls, cl)
				}
				continue
			}
			ls = append(ls, leverOf(p, maxMonths))
		}
	}
	return ls
}

// cohortValue is one pilot cohort as the page's cohort editor shows it: every field of
// sim.Cohort, under its YAML name, so that the page sends back what it does not edit (a
// listed cohort's counties) with what it does.
type cohortValue struct {
	Name     string   `json:"name"`
	Share    float64  `json:"share"`
	Counties []string `json:"counties,omitempty"`
	Step1    int      `json:"step1"`
	Step2    int      `json:"step2"`
	Step3    int      `json:"step3"`
}

// cohortValues returns every pilot cohort for the page's cohort editor.
func cohortValues(cs []sim.Cohort) []cohortValue {
	out := make([]cohortValue, len(cs))
	for i, co := range cs {
		out[i] = cohortValue{Name: co.Name, Share: co.Share, Counties: co.Counties, Step1: co.Step1, Step2: co.Step2, Step3: co.Step3}
	}
	return out
}

// leverOf makes the control of a declared parameter. A slider of months (a date or a span)
// stops at the page's horizon.
func leverOf(p sim.Param, maxMonths int) Lever {
	l := Lever{Path: p.Path, Group: p.Lever.Group, Label: p.Lever.Label, LabelZh: p.Zh}
	switch {
	case p.Kind == "bool":
		l.Kind = "bool"
	case p.Kind == "choice":
		l.Kind, l.Choices = "choice", p.Choices
	case p.HasRange && p.Lever.Step > 0:
		l.Kind, l.Min, l.Max, l.Step = "number", p.Min, p.Max, p.Lever.Step
		if p.Lever.HasMin {
			l.Min = p.Lever.Min
		}
		if p.Unit == "month" || p.Unit == "months" {
			l.Max = min(l.Max, float64(maxMonths))
		}
	default:
		l.Kind = "integer"
	}
	return l
}

// leverValues returns the value of every lever in c, by path (nil where c has no such field).
func leverValues(ls []Lever, c *sim.Config) map[string]any {
	out := make(map[string]any, len(ls))
	for _, l := range ls {
		if l.Kind == cohortsLever.Kind {
			out[l.Path] = cohortValues(c.PMC.Cohorts)
			continue
		}
		v, ok := c.Lookup(l.Path)
		if !ok {
			v = nil
		}
		out[l.Path] = v
	}
	return out
}
