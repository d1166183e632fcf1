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
	Kind  string  `json:"kind"` // "number" (slider and box), "integer" (box only), "bool" or "choice"
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

// firstItem names, in English and Chinese, the first item of a list whose fields are levers:
// the page shows those fields for the list's first item only.
var firstItem = map[string][2]string{"pmc.cohorts": {"First cohort: ", "首批："}}

// levers returns the page's controls in display order, for a horizon of at most maxMonths. A
// field inside a list (the pilot cohorts) is shown for the list's first item.
func levers(maxMonths int) []Lever {
	var ls []Lever
	for _, g := range leverGroups {
		for _, p := range sim.Params() {
			if p.Lever != nil && p.Lever.Group == g {
				ls = append(ls, leverOf(p, maxMonths))
			}
		}
	}
	return ls
}

// leverOf makes the control of a declared parameter. A slider of months (a date or a span)
// stops at the page's horizon.
func leverOf(p sim.Param, maxMonths int) Lever {
	l := Lever{Path: strings.ReplaceAll(p.Path, "[]", "[0]"), Group: p.Lever.Group,
		Label: p.Lever.Label, LabelZh: p.Zh}
	if list, _, ok := strings.Cut(p.Path, "[]"); ok {
		item := firstItem[list]
		l.Label = item[0] + strings.ToLower(l.Label[:1]) + l.Label[1:]
		l.LabelZh = item[1] + l.LabelZh
	}
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

// leverValues returns the value of every lever in c, by path (nil where c has no such field,
// as the first cohort's dates when there is no cohort).
func leverValues(ls []Lever, c *sim.Config) map[string]any {
	out := make(map[string]any, len(ls))
	for _, l := range ls {
		v, ok := c.Lookup(l.Path)
		if !ok {
			v = nil
		}
		out[l.Path] = v
	}
	return out
}
