package serve

import "github.com/countysim/countysim/sim"

// Lever is one control on the page: a scenario field path with its kind and range. The page
// labels it in both languages; the range is the one the scenario rules allow, so a slider
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

	get func(c *sim.Config) any
}

// cohortValue is one pilot cohort as the page's cohort editor shows it.
type cohortValue struct {
	Name  string  `json:"name"`
	Share float64 `json:"share"`
	Step1 int     `json:"step1"`
	Step2 int     `json:"step2"`
	Step3 int     `json:"step3"`
}

// cohortValues returns every pilot cohort for the page's cohort editor, which sends the
// edited list back as pmc.cohorts, a YAML list.
func cohortValues(cs []sim.Cohort) []cohortValue {
	out := make([]cohortValue, len(cs))
	for i, co := range cs {
		out[i] = cohortValue{Name: co.Name, Share: co.Share, Step1: co.Step1, Step2: co.Step2, Step3: co.Step3}
	}
	return out
}

func share(path, group string, get func(c *sim.Config) float64) Lever {
	return Lever{Path: path, Group: group, Kind: "number", Min: 0, Max: 1, Step: 0.05,
		get: func(c *sim.Config) any { return get(c) }}
}

func cut(path string, get func(c *sim.Config) float64) Lever {
	l := share(path, "approval", get)
	l.Max = 0.9
	return l
}

func toggle(path, group string, get func(c *sim.Config) bool) Lever {
	return Lever{Path: path, Group: group, Kind: "bool", get: func(c *sim.Config) any { return get(c) }}
}

// levers returns the page's controls in display order, for a horizon of at most maxMonths.
func levers(maxMonths int) []Lever {
	ls := []Lever{
		{Path: "months", Group: "run", Kind: "number", Min: 12, Max: float64(maxMonths), Step: 12,
			get: func(c *sim.Config) any { return c.Months }},
		{Path: "seed", Group: "run", Kind: "integer",
			get: func(c *sim.Config) any { return c.Seed }},

		toggle("pmc.enabled", "pmc", func(c *sim.Config) bool { return c.PMC.Enabled }),
		{Path: "pmc.mode", Group: "pmc", Kind: "choice", Choices: []string{"three-step", "one-shot"},
			get: func(c *sim.Config) any { return c.PMC.Mode }},
		{Path: "pmc.cohorts", Group: "pmc", Kind: "cohorts", Min: -1, Max: 360, Step: 1,
			get: func(c *sim.Config) any { return cohortValues(c.PMC.Cohorts) }},

		share("devolution.economic", "devolution", func(c *sim.Config) float64 { return c.Devolution.Economic }),
		share("devolution.social", "devolution", func(c *sim.Config) float64 { return c.Devolution.Social }),
		share("devolution.personnel", "devolution", func(c *sim.Config) float64 { return c.Devolution.Personnel }),
		share("devolution.town_economic", "devolution", func(c *sim.Config) float64 { return c.Devolution.TownEconomic }),
		share("devolution.town_social", "devolution", func(c *sim.Config) float64 { return c.Devolution.TownSocial }),

		cut("approval.item_cut", func(c *sim.Config) float64 { return c.Approval.ItemCut }),
		cut("approval.step_cut", func(c *sim.Config) float64 { return c.Approval.StepCut }),
		share("approval.one_stop", "approval", func(c *sim.Config) float64 { return c.Approval.OneStop }),
		share("decision.egovernment", "approval", func(c *sim.Config) float64 { return c.Decision.EGovernment }),

		share("organisation.streamline_target", "organisation", func(c *sim.Config) float64 { return c.Organisation.StreamlineTarget }),
		share("organisation.vertical_coordination", "organisation", func(c *sim.Config) float64 { return c.Organisation.VerticalCoordination }),

		toggle("debt.stop_new_debt", "fiscal", func(c *sim.Config) bool { return c.Debt.StopNewDebt }),
		toggle("debt.red_stops_borrowing", "fiscal", func(c *sim.Config) bool { return c.Debt.RedStopsBorrowing }),
		share("debt.accountability", "fiscal", func(c *sim.Config) float64 { return c.Debt.Accountability }),
		toggle("finance.county_managed_town_finance", "fiscal", func(c *sim.Config) bool { return c.Finance.CountyManagedTown }),
		toggle("finance.town_managed_village_finance", "fiscal", func(c *sim.Config) bool { return c.Finance.TownManagedVillage }),
		toggle("finance.priority_rule", "fiscal", func(c *sim.Config) bool { return c.Finance.PriorityRule }),
	}
	return ls
}

// leverValues returns the value of every lever in c, by path (nil where c has no such field,
// as the first cohort's dates when there is no cohort).
func leverValues(ls []Lever, c *sim.Config) map[string]any {
	out := make(map[string]any, len(ls))
	for _, l := range ls {
		out[l.Path] = l.get(c)
	}
	return out
}
