package scenarios

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/countysim/countysim/sim"
)

func metricNames() []string {
	var ns []string
	for _, d := range sim.Metrics {
		ns = append(ns, d.Name)
	}
	return append(ns, "theil_gdp_per_capita", "gini_gdp_per_capita")
}

func TestShippedExperimentsLoadAndPlan(t *testing.T) {
	for _, name := range BuiltinExperiments() {
		t.Run(name, func(t *testing.T) {
			e, err := LoadExperiment(filepath.Join("experiments", name+".yaml"), metricNames())
			if err != nil {
				t.Fatal(err)
			}
			p, err := e.Plan()
			if err != nil {
				t.Fatal(err)
			}
			base, err := e.Base()
			if err != nil {
				t.Fatal(err)
			}
			for i := range p.Points {
				if _, err := p.Scenario(base, i); err != nil {
					t.Fatalf("point %d: %v", i, err)
				}
			}
		})
	}
}

func TestQuickExperimentPlan(t *testing.T) {
	e, err := LoadExperiment("experiments/quick.yaml", metricNames())
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if p.Runs() != 12 || len(p.Points) != 6 {
		t.Fatalf("quick: want 6 points x 2 reps = 12 runs, got %d points, %d runs", len(p.Points), p.Runs())
	}
	base, _ := e.Base()
	if base.Config.Months != 60 || len(base.Config.World.Provinces) != 1 || base.Config.World.Provinces[0].Counties != 20 {
		t.Fatalf("quick's overrides were not applied: months %d, world %+v", base.Config.Months, base.Config.World)
	}
	s, err := p.Scenario(base, 5)
	if err != nil {
		t.Fatal(err)
	}
	if s.Config.Devolution.Economic != 1 || !s.Config.PMC.Enabled {
		t.Fatalf("last grid point should be devolution 1, PMC on; got %v, %v", s.Config.Devolution.Economic, s.Config.PMC.Enabled)
	}
	if base.Config.Devolution.Economic != 0 {
		t.Fatal("applying a point changed the base scenario")
	}
}

func TestBadExperiments(t *testing.T) {
	head := "scenario: baseline\nmetrics: [growth]\n"
	cases := []struct{ name, yaml, want string }{
		{"unknown key", head + "factor:\n  - path: seed\n", "x.yaml:3:1: factor: unknown key"},
		{"bad design", head + "factors:\n  - {path: devolution.economic, min: 0, max: 1}\ndesign:\n  type: fractional\n", `x.yaml:6:3: design.type: bad value "fractional" (allowed: grid, lhs, sobol, morris)`},
		{"unknown path", head + "factors:\n  - {path: devolution.economc, min: 0, max: 1}\ndesign: {type: grid}\n", `x.yaml:4:6: factors[0].path: devolution.economc: unknown key "economc"; did you mean "economic"?`},
		{"min above max", head + "factors:\n  - {path: devolution.economic, min: 1, max: 0}\ndesign: {type: grid}\n", "factors[0].max: bad value 0 (allowed: a number above min 1)"},
		{"out of range", head + "factors:\n  - {path: devolution.economic, min: 0, max: 2}\ndesign: {type: grid}\n", "factors[0]: value 2 is not allowed: devolution.economic: bad value 2 (allowed: a number from 0 to 1)"},
		{"range on bool", head + "factors:\n  - {path: pmc.enabled, min: 0, max: 1}\ndesign: {type: grid}\n", "factors[0].path: pmc.enabled is not a number, so it takes levels"},
		{"bad level", head + "factors:\n  - {path: pmc.mode, levels: [three-step, two-step]}\ndesign: {type: grid}\n", `value two-step is not allowed: pmc.mode: bad value "two-step"`},
		{"both", head + "factors:\n  - {path: seed, min: 1, max: 2, levels: [1]}\ndesign: {type: grid}\n", "factors[0]: give either min and max or levels, not both"},
		{"neither", head + "factors:\n  - {path: seed}\ndesign: {type: grid}\n", "factors[0]: give min and max (a range) or levels"},
		{"no samples", head + "factors:\n  - {path: seed, min: 1, max: 9}\ndesign: {type: lhs}\n", "design.samples: bad value 0 (allowed: 1 to 1000000)"},
		{"odd morris", head + "factors:\n  - {path: seed, min: 1, max: 9}\ndesign: {type: morris, samples: 4, levels: 3}\n", "design.levels: bad value 3 (allowed: an even number from 2 to 100)"},
		{"reps", head + "factors:\n  - {path: seed, min: 1, max: 9}\ndesign: {type: grid}\nreplications: 0\n", "x.yaml:6:1: replications: bad value 0 (allowed: 1 to 10000)"},
		{"metric typo", "scenario: baseline\nmetrics: [growht]\nfactors:\n  - {path: seed, min: 1, max: 9}\ndesign: {type: grid}\n", `metrics[0]: unknown metric "growht" (did you mean "growth"?)`},
		{"group", head + "groups: [pilots]\nfactors:\n  - {path: seed, min: 1, max: 9}\ndesign: {type: grid}\n", `groups[0]: bad value "pilots"`},
		{"unknown scenario", "scenario: nosuch\nmetrics: [growth]\nfactors:\n  - {path: seed, min: 1, max: 9}\ndesign: {type: grid}\n", `x.yaml:1:1: scenario: unknown scenario "nosuch"`},
		{"bad set", head + "set: {devolution.economic: 3}\nfactors:\n  - {path: seed, min: 1, max: 9}\ndesign: {type: grid}\n", "devolution.economic: bad value 3"},
		{"wrong type", head + "replications: many\nfactors:\n  - {path: seed, min: 1, max: 9}\ndesign: {type: grid}\n", "x.yaml:3:1: replications: wrong type: expected a whole number, got text \"many\""},
		{"steps", head + "factors:\n  - {path: seed, min: 1, max: 9, steps: 1}\ndesign: {type: grid}\n", "factors[0].steps: bad value 1 (allowed: 2 to 101, for a range)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseExperiment("x.yaml", []byte(c.yaml), metricNames())
			if err == nil {
				t.Fatalf("accepted:\n%s", c.yaml)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error\n  %v\ndoes not contain\n  %s", err, c.want)
			}
		})
	}
}
