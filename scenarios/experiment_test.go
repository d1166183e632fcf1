package scenarios

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/countysim/countysim/results/sensitivity"
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
		{"unknown key", head + "factor:\n  - path: months\n", "x.yaml:3:1: factor: unknown key"},
		{"bad design", head + "factors:\n  - {path: devolution.economic, min: 0, max: 1}\ndesign:\n  type: fractional\n", `x.yaml:6:3: design.type: bad value "fractional" (allowed: grid, lhs, sobol, morris)`},
		{"unknown path", head + "factors:\n  - {path: devolution.economc, min: 0, max: 1}\ndesign: {type: grid}\n", `x.yaml:4:6: factors[0].path: devolution.economc: unknown key "economc"; did you mean "economic"?`},
		{"min above max", head + "factors:\n  - {path: devolution.economic, min: 1, max: 0}\ndesign: {type: grid}\n", "factors[0].max: bad value 0 (allowed: a number above min 1)"},
		{"out of range", head + "factors:\n  - {path: devolution.economic, min: 0, max: 2}\ndesign: {type: grid}\n", "factors[0]: value 2 is not allowed: devolution.economic: bad value 2 (allowed: a number from 0 to 1)"},
		{"range on bool", head + "factors:\n  - {path: pmc.enabled, min: 0, max: 1}\ndesign: {type: grid}\n", "factors[0].path: pmc.enabled is not a number, so it takes levels"},
		{"bad level", head + "factors:\n  - {path: pmc.mode, levels: [three-step, two-step]}\ndesign: {type: grid}\n", `value two-step is not allowed: pmc.mode: bad value "two-step"`},
		{"both", head + "factors:\n  - {path: months, min: 1, max: 2, levels: [1]}\ndesign: {type: grid}\n", "factors[0]: give either min and max or levels, not both"},
		{"neither", head + "factors:\n  - {path: months}\ndesign: {type: grid}\n", "factors[0]: give min and max (a range) or levels"},
		{"no samples", head + "factors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: lhs}\n", "design.samples: bad value 0 (allowed: 1 to 1000000)"},
		{"odd morris", head + "factors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: morris, samples: 4, levels: 3}\n", "design.levels: bad value 3 (allowed: an even number from 2 to 100)"},
		{"morris of one trajectory", head + "factors:\n  - {path: devolution.economic, min: 0, max: 1}\ndesign: {type: morris, samples: 1, levels: 4}\n", "design.samples: bad value 1 (allowed: 2 to 1000000 trajectories"},
		{"tiny sobol", head + "factors:\n  - {path: devolution.economic, min: 0, max: 1}\ndesign: {type: sobol, samples: 4}\n", "design.samples: bad value 4 (allowed: 8 to 1000000 base samples"},
		{"second order lhs", head + "factors:\n  - {path: devolution.economic, min: 0, max: 1}\ndesign: {type: lhs, samples: 4, second_order: true}\n", "design.second_order: true for a lhs design (allowed: only with type sobol)"},
		{"whole-number range", head + "factors:\n  - {path: months, min: 12, max: 12.4}\ndesign: {type: morris, samples: 4, levels: 4}\n", "factors[0]: min 12 and max 12.4: months takes whole numbers (allowed: whole-number min and max)"},
		{"morris skips a level", head + "factors:\n  - {path: prefecture.delay_months, levels: [\"0\", \"2\", \"4\"]}\ndesign: {type: morris, samples: 4, levels: 2}\n", "factors[0]: prefecture.delay_months: design.levels 2 runs only 0, 4 of its levels 0, 2, 4 (allowed: design.levels 4, 6, 8, or other levels)"},
		{"level twice", head + "factors:\n  - {path: prefecture.delay_months, levels: [\"2\", \"3\", \"2.0\"]}\ndesign: {type: grid}\n", "factors[0].levels[2]: \"2.0\" is levels[0] again (allowed: each value once)"},
		{"second order of one factor", head + "factors:\n  - {path: devolution.economic, min: 0, max: 1}\ndesign: {type: sobol, samples: 8, second_order: true}\n", "design.second_order: true with 1 factor (allowed: two or more factors"},
		{"morris one level", head + "factors:\n  - {path: prefecture.delay_months, levels: [\"2\"]}\ndesign: {type: morris, samples: 4, levels: 2}\n", "factors[0]: one level (2) never changes (allowed: two or more levels in a morris design)"},
		{"reps", head + "factors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\nreplications: 0\n", "x.yaml:6:1: replications: bad value 0 (allowed: 1 to 10000)"},
		{"metric typo", "scenario: baseline\nmetrics: [growht]\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n", `metrics[0]: unknown metric "growht" (did you mean "growth"?)`},
		{"group", head + "groups: [pilots]\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n", `groups[0]: bad value "pilots"`},
		{"unknown scenario", "scenario: nosuch\nmetrics: [growth]\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n", `x.yaml:1:1: scenario: unknown scenario "nosuch"`},
		{"bad set", head + "set: {devolution.economic: 3}\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n", "devolution.economic: bad value 3"},
		{"wrong type", head + "replications: many\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n", "x.yaml:3:1: replications: wrong type: expected a whole number, got text \"many\""},
		{"infinite", head + "factors:\n  - {path: months, min: -.inf, max: .inf}\ndesign: {type: morris, samples: 2, levels: 4}\n", "factors[0]: min and max must be finite numbers"},
		{"steps", head + "factors:\n  - {path: months, min: 1, max: 9, steps: 1}\ndesign: {type: grid}\n", "factors[0].steps: bad value 1 (allowed: 2 to 101, for a range)"},
		{"set at its line", head + "set:\n  preset: teaching\n  devolution.social: 5\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n", "x.yaml:5:3: set.devolution.social: bad value 5 (allowed: a number from 0 to 1)"},
		{"set nested", head + "set:\n  devolution: {social: 0.5}\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n", "x.yaml:4:15: set.devolution: expected a single value, got a mapping"},
		{"no groups", head + "groups: []\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n", "x.yaml:3:1: groups: no groups (allowed: names such as province"},
		{"set seed", head + "set: {seed: 5}\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n", "x.yaml:3:7: set.seed: seed is not set here (each run's seed comes from the experiment's seed and its replication"},
		{"set seed among others", head + "set:\n  preset: teaching\n  seed: 5\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n", "x.yaml:5:3: set.seed: seed is not set here"},
		{"quoted max", head + "factors:\n  - {path: devolution.economic, min: 0, max: \"1\"}\ndesign: {type: grid}\n", `x.yaml:4:41: factors[0].max: wrong type: expected a number, got text "1" (allowed: a number, written without quotes)`},
		{"quoted min", head + "factors:\n  - {path: months, min: \"1\", max: 9}\ndesign: {type: grid}\n", `factors[0].min: wrong type: expected a number, got text "1" (allowed: a number, written without quotes)`},
		{"seed beyond uint64", head + "seed: 18446744073709551616\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n", "x.yaml:3:1: seed: bad value the number 18446744073709551616: too large (allowed: a whole number from 0 to 18446744073709551615)"},
		{"replications beyond int", head + "replications: 1e300\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n", "x.yaml:3:1: replications: bad value the number 1e300: too large (allowed: a whole number from 1 to 10000)"},
		{"steps beyond int", head + "factors:\n  - {path: months, min: 1, max: 9, steps: -99999999999999999999}\ndesign: {type: grid}\n", "factors[0].steps: bad value the number -99999999999999999999: too small (allowed: a whole number from 2 to 101)"},
		{"seed factor", head + "factors:\n  - {path: seed, levels: [1, 2]}\ndesign: {type: grid}\n", "x.yaml:4:6: factors[0].path: seed is not a factor"},
		{"metric twice", "scenario: baseline\nmetrics: [growth, approval_days, growth]\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n", `metrics[2]: "growth" is listed twice`},
		{"group twice", head + "groups: [province, pilot, province]\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n", `groups[2]: "province" is listed twice`},
		{"bad column name", head + "factors:\n  - {path: devolution.economic, name: econ.share, min: 0, max: 1}\ndesign: {type: grid}\n", `x.yaml:4:33: factors[0].name: bad value "econ.share" (allowed: a letter or _, then letters, digits or _, at most 32 characters)`},
		{"long column name", head + "factors:\n  - {path: devolution.economic, name: a234567890123456789012345678901234, min: 0, max: 1}\ndesign: {type: grid}\n", `factors[0].name: bad value "a234567890123456789012345678901234"`},
		{"reserved column name", head + "factors:\n  - {path: devolution.economic, name: seed, min: 0, max: 1}\ndesign: {type: grid}\n", `factors[0].name: bad value "seed": a column of the sweep's tables already has that name`},
		{"column twice", head + "factors:\n  - {path: devolution.economic, name: econ, min: 0, max: 1}\n  - {path: devolution.social, name: econ, min: 0, max: 1}\ndesign: {type: grid}\n", `factors[1].name: column "econ" is also factors[0]'s`},
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

// TestFactorNamesNameColumns checks that a factor's name names its column in the plan (the
// path still says what is set), and that without a name the column is the path.
func TestFactorNamesNameColumns(t *testing.T) {
	e, err := ParseExperiment("x.yaml", []byte(quickHead+"factors:\n  - {path: devolution.economic, name: econ, min: 0, max: 1, steps: 2}\n  - {path: pmc.enabled, levels: [true, false]}\ndesign: {type: grid}\n"), metricNames())
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Columns, []string{"econ", "pmc.enabled"}) || !slices.Equal(p.Names, []string{"devolution.economic", "pmc.enabled"}) {
		t.Fatalf("columns %v, names %v", p.Columns, p.Names)
	}
}

// quickHead is the quick experiment's base: the teaching province with one cohort.
const quickHead = `scenario: pmc-three-step
set:
  preset: teaching
  months: 24
  pmc.cohorts: "[{name: cohort1, share: 0.4, step1: 6, step2: 18, step3: 30}]"
metrics: [growth]
`

func TestListItemFactorsAndCrossFieldRules(t *testing.T) {
	// A factor on a list item the base has is accepted (it used to be always rejected).
	src := quickHead + "factors:\n  - {path: 'pmc.cohorts[0].step1', min: 6, max: 18, steps: 2}\n  - {path: 'pmc.cohorts[0].step2', min: 6, max: 18, steps: 2}\ndesign: {type: grid}\n"
	e, err := ParseExperiment("x.yaml", []byte(src), metricNames())
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Plan()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Points) != 4 || p.Values[3][0] != "18" {
		t.Fatalf("points %v", p.Values)
	}
	// Each range end is valid alone, but step1 = 18 with step2 = 6 breaks step2 >= step1:
	// Check names that point before any run.
	base, _ := e.Base()
	err = p.Check(base)
	if err == nil || !strings.Contains(err.Error(), "1 of 4 design points break the scenario rules") ||
		!strings.Contains(err.Error(), "pmc.cohorts[0].step1=18, pmc.cohorts[0].step2=6") {
		t.Fatalf("got %v", err)
	}
	// An item the base does not have is still refused, naming the items it has.
	src = quickHead + "factors:\n  - {path: 'pmc.cohorts[3].step1', min: 6, max: 18}\ndesign: {type: grid}\n"
	if _, err := ParseExperiment("x.yaml", []byte(src), metricNames()); err == nil || !strings.Contains(err.Error(), "no item 3") {
		t.Fatalf("got %v", err)
	}
}

func TestExperimentLimitsBeforeBuilding(t *testing.T) {
	// Each design is refused from its declared size, before a point is built (a million
	// Morris trajectories or a second-order Sobol design used to exhaust memory first).
	cases := []struct{ design, want string }{
		{"{type: morris, samples: 1000000, levels: 4}", "design: more than 1000000 runs"},
		{"{type: sobol, samples: 200000, second_order: true}", "design: more than 1000000 runs"},
		{"{type: lhs, samples: 600000}\nreplications: 2", "design: more than 1000000 runs"},
	}
	for _, c := range cases {
		src := quickHead + "factors:\n  - {path: devolution.economic, min: 0, max: 1}\n  - {path: months, min: 12, max: 24}\ndesign: " + c.design + "\n"
		_, err := ParseExperiment("x.yaml", []byte(src), metricNames())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.design, err, c.want)
		}
	}
	// The declared size is the built size.
	for _, name := range BuiltinExperiments() {
		e, err := LoadExperiment(filepath.Join("experiments", name+".yaml"), metricNames())
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.Plan()
		if err != nil {
			t.Fatal(err)
		}
		if e.size() != p.Runs() {
			t.Errorf("%s: declared %d runs, built %d", name, e.size(), p.Runs())
		}
	}
}

func TestExperimentNamesAndFiles(t *testing.T) {
	for _, name := range []string{"../../victim", "a/b", `a\b`, "..", ".hidden", "-rf", "red\x1b[31m", "bidi\u202e"} {
		src := "name: " + strconv.Quote(name) + "\n" + quickHead + "factors:\n  - {path: devolution.economic, min: 0, max: 1}\ndesign: {type: grid}\n"
		_, err := ParseExperiment("x.yaml", []byte(src), metricNames())
		if err == nil || !strings.Contains(err.Error(), "x.yaml:1:1: name: bad value") {
			t.Errorf("name %q: got %v", name, err)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\x1b\u202e") {
			t.Errorf("name %q: the message carries the raw control character", name)
		}
	}
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.yaml")
	if err := os.WriteFile(empty, []byte("~\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadExperiment(empty, metricNames()); err == nil || !strings.Contains(err.Error(), "the file is empty") {
		t.Errorf("empty: got %v", err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", MaxFileBytes)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadExperiment(big, metricNames()); err == nil || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
		t.Errorf("big: got %v", err)
	}
}

func TestExperimentWithRecordedBase(t *testing.T) {
	// A relative base file resolves against the experiment file; a copy of the experiment
	// elsewhere (a sweep folder) loads with the recorded resolved base instead.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "base.yaml"), []byte("name: mybase\npreset: teaching\nmonths: 24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "scenario: base.yaml\nmetrics: [growth]\nfactors:\n  - {path: devolution.economic, min: 0, max: 1}\ndesign: {type: grid}\n"
	if err := os.WriteFile(filepath.Join(dir, "exp.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := LoadExperiment(filepath.Join(dir, "exp.yaml"), metricNames())
	if err != nil {
		t.Fatal(err)
	}
	base, _ := e.Base()
	h, _ := e.BaseHash()
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "experiment.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadExperiment(filepath.Join(other, "experiment.yaml"), metricNames()); err == nil {
		t.Fatal("the copy resolved base.yaml beside itself")
	}
	e2, err := LoadExperimentWithBase(filepath.Join(other, "experiment.yaml"), metricNames(), base)
	if err != nil {
		t.Fatal(err)
	}
	if h2, _ := e2.BaseHash(); h2 != h {
		t.Fatalf("base hash %s, want %s", h2, h)
	}
}

// TestMorrisAppliedSteps: a whole-number field's elementary effects divide by the change the
// runs got (rounded), a real field's by the design's step.
func TestMorrisAppliedSteps(t *testing.T) {
	e, err := ParseExperiment("x.yaml", []byte("scenario: baseline\nmetrics: [growth]\nfactors:\n  - {path: months, min: 12, max: 16}\n  - {path: devolution.economic, min: 0, max: 1}\n  - {path: prefecture.delay_months, levels: [\"0\", \"1\", \"2\"]}\ndesign: {type: morris, samples: 6, levels: 4}\nseed: 3\n"), metricNames())
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Plan()
	if err != nil {
		t.Fatal(err)
	}
	d := p.Morris
	for tr := 0; tr < d.R; tr++ {
		for s, i := range d.Factor[tr] {
			a, b := p.Values[d.Row(tr, s)][i], p.Values[d.Row(tr, s+1)][i]
			got := d.Applied[tr][s]
			switch i {
			case 0: // months 12..16 on grid 12, 13.33, 14.67, 16: the runs get 12, 13, 15, 16
				x, _ := strconv.Atoi(a)
				y, _ := strconv.Atoi(b)
				if want := float64(y-x) / 4; got != want {
					t.Errorf("trajectory %d step %d: months %s -> %s, applied step %g, want %g", tr, s, a, b, got, want)
				}
			case 1:
				if want := math.Copysign(d.DeltaUnit, d.Delta[tr][s]); got != want {
					t.Errorf("trajectory %d step %d: applied step %g, want the design's %g", tr, s, got, want)
				}
			case 2: // levels 0, 1, 2 at 0, 1/2, 1; the grid of 4 bins into 0, 1, 2, 2
				x, _ := strconv.Atoi(a)
				y, _ := strconv.Atoi(b)
				if want := float64(y-x) / 2; got != want {
					t.Errorf("trajectory %d step %d: level %s -> %s, applied step %g, want %g", tr, s, a, b, got, want)
				}
			}
		}
	}
	// An output equal to the months a run gets has elementary effect 4 per unit range
	// everywhere: the design's step (2/3) would give 4.5.
	y := make([]float64, len(p.Values))
	for r, row := range p.Values {
		v, _ := strconv.Atoi(row[0])
		y[r] = float64(v)
	}
	idx, err := sensitivity.Morris(*d, y)
	if err != nil {
		t.Fatal(err)
	}
	if idx[0].MuStar != 4 || idx[0].Sigma != 0 || idx[1].MuStar != 0 || idx[2].MuStar != 0 {
		t.Errorf("mu* %g sigma %g (months), mu* %g (devolution), mu* %g (delay): want 4, 0, 0, 0", idx[0].MuStar, idx[0].Sigma, idx[1].MuStar, idx[2].MuStar)
	}
}
