package observe

import (
	"fmt"
	"strconv"

	"github.com/countysim/countysim/sim"
)

// Group is a named set of counties. Membership is decided every month from each county's
// current state, so the "step:k" groups follow counties as they move along the PMC path.
type Group struct {
	// Name is the group's label in outputs: "province", "province:NAME", "pilot",
	// "non-pilot", "step:0".."step:3", "cohort:NAME", "prefecture:NAME", "tercile:1".."tercile:3".
	Name string
	in   func(c *sim.County) bool
}

// Contains reports whether county c belongs to the group now.
func (g Group) Contains(c *sim.County) bool { return g.in(c) }

// Members appends to dst the indices of the counties in the group now and returns it.
func (g Group) Members(dst []int, counties []sim.County) []int {
	for i := range counties {
		if g.in(&counties[i]) {
			dst = append(dst, i)
		}
	}
	return dst
}

// Groups returns the reporting groups of m in output order: the whole province (all counties;
// with several provinces also one group per province), pilot and non-pilot, the PMC steps
// 0 to 3, the pilot cohorts named in the config, the prefectures, and the strength terciles
// (1 weakest). A name used twice gets a suffix "#2", "#3"... so names stay unique.
func Groups(m *sim.Model) []Group {
	gs := []Group{{Name: "province", in: func(*sim.County) bool { return true }}}
	if len(m.Provinces) > 1 {
		for p, pr := range m.Provinces {
			gs = append(gs, Group{Name: "province:" + pr.Name, in: func(c *sim.County) bool { return c.Province == p }})
		}
	}
	gs = append(gs,
		Group{Name: "pilot", in: func(c *sim.County) bool { return c.Pilot }},
		Group{Name: "non-pilot", in: func(c *sim.County) bool { return !c.Pilot }},
	)
	for s := 0; s <= 3; s++ {
		gs = append(gs, Group{Name: "step:" + strconv.Itoa(s), in: func(c *sim.County) bool { return c.Step == s }})
	}
	for k, name := range CohortNames(m.Config()) {
		gs = append(gs, Group{Name: "cohort:" + name, in: func(c *sim.County) bool { return c.Cohort == k }})
	}
	for j, pf := range m.Prefs {
		gs = append(gs, Group{Name: "prefecture:" + pf.Name, in: func(c *sim.County) bool { return c.Pref == j }})
	}
	for t := 1; t <= 3; t++ {
		gs = append(gs, Group{Name: "tercile:" + strconv.Itoa(t), in: func(c *sim.County) bool { return c.Tercile == t-1 }})
	}
	seen := make(map[string]int, len(gs))
	for i := range gs {
		seen[gs[i].Name]++
		if n := seen[gs[i].Name]; n > 1 {
			gs[i].Name = fmt.Sprintf("%s#%d", gs[i].Name, n)
		}
	}
	return gs
}

// CohortNames returns the display name of each configured cohort, by index ("cohortK" when
// the config leaves a name empty).
func CohortNames(cfg sim.Config) []string {
	names := make([]string, len(cfg.PMC.Cohorts))
	for k, co := range cfg.PMC.Cohorts {
		names[k] = co.Name
		if names[k] == "" {
			names[k] = "cohort" + strconv.Itoa(k+1)
		}
	}
	return names
}
