package observe

import (
	"errors"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/sim"
)

func TestCounterfactualTransformations(t *testing.T) {
	cfg := testkit.Pilot(1) // early 12/24/36, late 24/30/42
	off := PMCOff(cfg)
	for _, c := range off.PMC.Cohorts {
		if c.Step1 != -1 || c.Step2 != -1 || c.Step3 != -1 {
			t.Errorf("no reform: cohort %+v", c)
		}
	}
	if !off.PMC.Enabled || cfg.PMC.Cohorts[0].Step1 != 12 {
		t.Error("PMCOff must keep pmc enabled and leave its argument alone")
	}
	s3 := PMCStepOff(cfg, 3)
	if c := s3.PMC.Cohorts[1]; c.Step1 != 24 || c.Step2 != 30 || c.Step3 != -1 {
		t.Errorf("step 3 off: %+v", c)
	}
	henan := cfg
	henan.PMC.Cohorts = []sim.Cohort{{Name: "p", Share: 0.3, Step1: 0, Step2: 108, Step3: 108}}
	if c := PMCStepOff(henan, 3).PMC.Cohorts[0]; c.Step1 != 0 || c.Step2 != -1 || c.Step3 != -1 {
		t.Errorf("steps 2 and 3 on one date: step 3 off must take step 2 with it: %+v", c)
	}
	if n := len(PMCCounterfactuals(cfg, 3)); n != 2 {
		t.Errorf("treatment step 3: %d counterfactuals, want no reform and step off", n)
	}
	if cfs := PMCCounterfactuals(cfg, 1); len(cfs) != 1 || cfs[0].Name != CFNoReform {
		t.Errorf("treatment step 1: %v, want no reform only", cfs)
	}
	dev := cfg
	dev.Devolution = sim.Devolution{Economic: 1, Social: 0.5, Personnel: 1, TownEconomic: 1, TownSocial: 1, TownUrbanThreshold: 0.5, Start: 30}
	if d := DevolutionOff(dev).Devolution; d.Economic+d.Social+d.Personnel+d.TownEconomic+d.TownSocial != 0 || d.Start != 30 {
		t.Errorf("devolution off: %+v", d)
	}
	if got := ReformStart(dev, DevolutionOff(dev)); got != 30 {
		t.Errorf("devolution reform start %d, want 30", got)
	}
	if got := ReformStart(cfg, PMCStepOff(cfg, 3)); got != 36 {
		t.Errorf("step 3 reform start %d, want 36", got)
	}
	ap := cfg
	ap.Approval = sim.Approval{ItemCut: 0.5, StepCut: 0.4, OneStop: 0.8, Start: 18, Patience: 400}
	ap.Approval.Investment = sim.ClassCut{ItemCut: 0.3, StepCut: 0.2, PhaseYears: 2}
	ap.Approval.ExPost, ap.Approval.PhaseYears = 0.5, 4
	if a := ApprovalOff(ap).Approval; a.ItemCut+a.StepCut+a.OneStop+a.ExPost+a.Investment.ItemCut+a.Investment.StepCut != 0 ||
		a.Start != 18 || a.Patience != 400 || a.PhaseYears != 4 || a.Investment.PhaseYears != 2 {
		t.Errorf("approval off: %+v", a)
	}
	if got := ReformStart(ap, ApprovalOff(ap)); got != 18 {
		t.Errorf("approval reform start %d, want 18", got)
	}
}

// twinCase is a reform and its counterfactual.
type twinCase struct {
	name    string
	cfg, cf sim.Config
}

// twinCases are the reforms and counterfactuals whose runs must be twins until the reform
// starts: every counterfactual and the v2 levers.
func twinCases() []twinCase {
	pmc := testkit.Pilot(3)
	dev := testkit.Pilot(3)
	dev.PMC.Enabled = false
	dev.Devolution = sim.Devolution{Economic: 1, Social: 1, Personnel: 1, TownEconomic: 1, TownSocial: 1, TownUrbanThreshold: 0.5, Start: 30}
	ap := testkit.Pilot(3)
	ap.PMC.Enabled = false
	ap.Approval = sim.Approval{ItemCut: 0.5, StepCut: 0.4, OneStop: 0.8, Start: 30, Patience: 400}
	// v2's approval levers: per-class cuts with their own paces, the general phase-in and
	// operating permits moved to after-the-fact inspection.
	classes := testkit.Pilot(3)
	classes.PMC.Enabled = false
	classes.Approval = sim.Approval{ItemCut: 0.3, StepCut: 0.2, OneStop: 0.5, Start: 30, Patience: 400, PhaseYears: 2,
		MarketEntry:     sim.ClassCut{ItemCut: 0.5, StepCut: 0.3, PhaseYears: 1},
		Investment:      sim.ClassCut{ItemCut: 0.4, StepCut: 0.2, PhaseYears: 3},
		LandUse:         sim.ClassCut{ItemCut: 0.2, StepCut: 0.1},
		OperatingPermit: sim.ClassCut{ItemCut: 0.3, StepCut: 0.3, PhaseYears: 0.5},
		ExPost:          0.6}
	// Operating permits moved after the fact, and nothing else: ex_post alone must be switched off.
	expost := testkit.Pilot(3)
	expost.PMC.Enabled = false
	expost.Approval = sim.Approval{Start: 30, Patience: 400, ExPost: 0.8}
	// Personnel authority alone (it acts through desks and autonomy), and town delegation.
	pers := testkit.Pilot(3)
	pers.PMC.Enabled = false
	pers.Devolution = sim.Devolution{Personnel: 1, TownEconomic: 1, TownUrbanThreshold: 0.3, Start: 30}
	// Devolution and PMC together: each counterfactual switches off its own reform only.
	both := testkit.Pilot(3)
	both.Devolution = sim.Devolution{Economic: 1, Social: 1, Personnel: 1, Start: 30}
	random := testkit.Pilot(3)
	random.PMC.Selection.Method = "random"
	crit := testkit.Pilot(3)
	crit.PMC.Widening = sim.Widening{By: "criterion", NormalMonths: 6}
	return []twinCase{
		{"pmc, no reform", pmc, PMCOff(pmc)},
		{"pmc, step 3 off", pmc, PMCStepOff(pmc, 3)},
		{"pmc with random pilots, no reform", random, PMCOff(random)},
		{"devolution off", dev, DevolutionOff(dev)},
		{"approval off", ap, ApprovalOff(ap)},
		{"approval classes, phase-in and ex post off", classes, ApprovalOff(classes)},
		{"ex post alone off", expost, ApprovalOff(expost)},
		{"personnel and town devolution off", pers, DevolutionOff(pers)},
		{"devolution off under pmc", both, DevolutionOff(both)},
		{"pmc off under devolution", both, PMCOff(both)},
		{"pmc with criterion widening, no reform", crit, PMCOff(crit)},
	}
}

// TestCounterfactualIsTheFactualsTwin runs each reform and its counterfactual on the same seed
// and asks for bit-identical county values in every month before the reform starts, and the
// same pilots and cohorts. The true effect is only the reform's doing if this holds.
func TestCounterfactualIsTheFactualsTwin(t *testing.T) {
	for _, c := range twinCases() {
		start := ReformStart(c.cfg, c.cf)
		if start <= 1 || start >= c.cfg.Months {
			t.Fatalf("%s: reform start %d", c.name, start)
		}
		a, ra := runTiny(t, c.cfg, 3)
		b, rb := runTiny(t, c.cf, 3)
		for mo := 0; mo < start-1; mo++ { // Run's month mo+1
			if !slices.Equal(ra.Values[mo], rb.Values[mo]) {
				t.Errorf("%s: month %d (before the reform at %d) differs", c.name, mo+1, start)
				break
			}
		}
		if slices.Equal(ra.Values[len(ra.Values)-1], rb.Values[len(rb.Values)-1]) {
			t.Errorf("%s: the last month is the same with and without the reform", c.name)
		}
		if _, err := PairTruth("cf", a, b); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestPairTruth(t *testing.T) {
	p, _ := runTiny(t, testkit.Pilot(2), 3)
	// A run against itself: every true effect is 0.
	self, err := PairTruth(CFNoReform, p, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range self.Outcomes {
		if o.ATT != 0 && !math.IsNaN(o.ATT) || o.Spillover != 0 && !math.IsNaN(o.Spillover) {
			t.Errorf("%s against itself: ATT %g, spillover %g", o.Outcome, o.ATT, o.Spillover)
		}
	}
	// Fiscal PMC ends the prefecture's keep: the true effect on transfers kept from the pilots
	// is negative, and the treated counties' event path starts at their first treated year.
	q, _ := runTiny(t, PMCOff(testkit.Pilot(2)), 3)
	tr, err := PairTruth(CFNoReform, p, q)
	if err != nil {
		t.Fatal(err)
	}
	kept := tr.Outcome("transfers_kept")
	if !(kept.ATT < 0) || kept.NATT == 0 {
		t.Errorf("transfers kept from pilots: true ATT %g over %d county-years, want < 0", kept.ATT, kept.NATT)
	}
	g := tr.Outcome("growth")
	if len(g.Event) == 0 || g.Event[0].Rel < EventMinRel || len(g.ByYear) != p.Years || math.IsNaN(g.Spillover) {
		t.Errorf("growth truth %+v", g)
	}
	// TWFE's sample, every treated county-year, holds sa_att's (years 0..EventMaxRel of the
	// cohorts treated after the first year) and is counted apart.
	if g.NAll < g.NATT || math.IsNaN(g.ATTAll) {
		t.Errorf("growth: truth over every treated county-year %g over %d, sa_att's sample %d", g.ATTAll, g.NAll, g.NATT)
	}
	// A panel of other pilots is not a twin.
	other := testkit.Pilot(2)
	other.PMC.Selection.Method = "random"
	r, _ := runTiny(t, other, 3)
	if _, err := PairTruth("x", p, r); !errors.Is(err, ErrNotPaired) {
		t.Errorf("other pilots: err = %v, want ErrNotPaired", err)
	}
}

// leaves lists the leaf fields of a struct value by Go field path (nested structs as
// Outer.Inner; slices of structs as Slice.Field, from their first element; other slices and
// scalars are leaves).
func leaves(prefix string, v reflect.Value, out map[string]reflect.Value) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f, fv := t.Field(i), v.Field(i)
		path := prefix + f.Name
		switch {
		case fv.Kind() == reflect.Struct:
			leaves(path+".", fv, out)
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Struct && fv.Len() > 0:
			leaves(path+".", fv.Index(0), out)
		default:
			out[path] = fv
		}
	}
}

// fill sets every leaf of a struct to a non-zero value (a struct slice gets one filled element).
func fill(v reflect.Value) {
	for i := 0; i < v.NumField(); i++ {
		fv := v.Field(i)
		switch fv.Kind() {
		case reflect.Struct:
			fill(fv)
		case reflect.Slice:
			fv.Set(reflect.MakeSlice(fv.Type(), 1, 1))
			if e := fv.Index(0); e.Kind() == reflect.Struct {
				fill(e)
			} else if e.Kind() == reflect.String {
				e.SetString("x")
			}
		case reflect.Float64:
			fv.SetFloat(0.25 + float64(i)/100)
		case reflect.Int:
			fv.SetInt(int64(7 + i))
		case reflect.Bool:
			fv.SetBool(true)
		case reflect.String:
			fv.SetString("x")
		default:
			panic("fill: unhandled kind " + fv.Kind().String())
		}
	}
}

// TestCounterfactualsResetEveryLever walks sim.Devolution, sim.Approval and sim.PMC by
// reflection: every field of a reform's config is either reset by its counterfactual (to 0,
// or a step date to -1) or listed in DevolutionKept, ApprovalKept or PMCKept and left as it
// was. A lever added to sim.Config and not switched off fails here, naming the field.
func TestCounterfactualsResetEveryLever(t *testing.T) {
	for _, c := range []struct {
		name  string
		field string // the sim.Config field of the reform
		off   func(sim.Config) sim.Config
		kept  []string
		reset func(path string) reflect.Value // the value a reset field must have
	}{
		{"DevolutionOff", "Devolution", DevolutionOff, DevolutionKept, nil},
		{"ApprovalOff", "Approval", ApprovalOff, ApprovalKept, nil},
		{"PMCOff", "PMC", PMCOff, PMCKept, func(string) reflect.Value { return reflect.ValueOf(-1) }},
	} {
		var cfg sim.Config
		fill(reflect.ValueOf(&cfg).Elem().FieldByName(c.field))
		if c.field == "PMC" {
			cfg.PMC.Mode = "three-step"
		}
		before, after := map[string]reflect.Value{}, map[string]reflect.Value{}
		leaves("", reflect.ValueOf(cfg).FieldByName(c.field), before)
		leaves("", reflect.ValueOf(c.off(cfg)).FieldByName(c.field), after)
		isKept := func(path string) bool {
			for _, k := range c.kept {
				if path == k || strings.HasPrefix(path, k+".") {
					return true
				}
			}
			return false
		}
		for _, k := range c.kept {
			if _, ok := before[k]; !ok && !slices.ContainsFunc(slices.Collect(maps.Keys(before)), func(p string) bool { return strings.HasPrefix(p, k+".") }) {
				t.Errorf("%s: kept field %s is not a field of sim.%s", c.name, k, c.field)
			}
		}
		for path, b := range before {
			a := after[path]
			switch {
			case isKept(path):
				if !reflect.DeepEqual(a.Interface(), b.Interface()) {
					t.Errorf("%s changed %s.%s (%v to %v), which it lists as kept", c.name, c.field, path, b, a)
				}
			case c.reset != nil:
				if w := c.reset(path); !reflect.DeepEqual(a.Interface(), w.Interface()) {
					t.Errorf("%s leaves the lever %s.%s at %v: reset it in observe/counterfactual.go or list it as kept with the reason", c.name, c.field, path, a)
				}
			default:
				if !a.IsZero() {
					t.Errorf("%s leaves the lever %s.%s at %v: reset it in observe/counterfactual.go or list it as kept with the reason", c.name, c.field, path, a)
				}
			}
		}
	}
}

// TestEveryConfigPartIsClassified fails when sim.Config gains a part that is neither a reform
// with a counterfactual here nor listed as one without (world, parameters, other reforms),
// so that a new reform cannot be evaluated without a way to switch it off.
func TestEveryConfigPartIsClassified(t *testing.T) {
	withCF := map[string]bool{"Devolution": true, "PMC": true, "Approval": true}
	without := map[string]bool{ // parameters of the world, or reforms evaluate has no counterfactual for
		"Seed": true, "Months": true, "StartYear": true, "World": true, "Organisation": true,
		"Decision": true, "Finance": true, "Debt": true, "Province": true, "Prefecture": true, "Economy": true,
	}
	ct := reflect.TypeOf(sim.Config{})
	for i := 0; i < ct.NumField(); i++ {
		if n := ct.Field(i).Name; !withCF[n] && !without[n] {
			t.Errorf("sim.Config.%s is new: give it a counterfactual in observe/counterfactual.go, or list it here as having none", n)
		}
	}
}
