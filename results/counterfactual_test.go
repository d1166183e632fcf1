package results

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/countysim/countysim/sim"
)

func TestCounterfactualTransformations(t *testing.T) {
	cfg := pilotConfig(1) // early 12/24/36, late 24/30/42
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
	if a := ApprovalOff(ap).Approval; a.ItemCut+a.StepCut+a.OneStop != 0 || a.Start != 18 || a.Patience != 400 {
		t.Errorf("approval off: %+v", a)
	}
}

// TestCounterfactualIsTheFactualsTwin runs each reform and its counterfactual on the same seed
// and asks for bit-identical county values in every month before the reform starts, and the
// same pilots and cohorts. The true effect is only the reform's doing if this holds.
func TestCounterfactualIsTheFactualsTwin(t *testing.T) {
	pmc := pilotConfig(3)
	dev := pilotConfig(3)
	dev.PMC.Enabled = false
	dev.Devolution = sim.Devolution{Economic: 1, Social: 1, Personnel: 1, TownEconomic: 1, TownSocial: 1, TownUrbanThreshold: 0.5, Start: 30}
	ap := pilotConfig(3)
	ap.PMC.Enabled = false
	ap.Approval = sim.Approval{ItemCut: 0.5, StepCut: 0.4, OneStop: 0.8, Start: 30, Patience: 400}
	random := pilotConfig(3)
	random.PMC.Selection.Method = "random"
	for _, c := range []struct {
		name    string
		cfg, cf sim.Config
	}{
		{"pmc, no reform", pmc, PMCOff(pmc)},
		{"pmc, step 3 off", pmc, PMCStepOff(pmc, 3)},
		{"pmc with random pilots, no reform", random, PMCOff(random)},
		{"devolution off", dev, DevolutionOff(dev)},
		{"approval off", ap, ApprovalOff(ap)},
	} {
		start := ReformStart(c.cfg, c.cf)
		if start <= 1 || start >= c.cfg.Months {
			t.Fatalf("%s: reform start %d", c.name, start)
		}
		a, ra := runTiny(t, c.cfg, 3)
		b, rb := runTiny(t, c.cf, 3)
		for mo := 0; mo < start-1; mo++ { // Run's month mo+1
			if !slices.Equal(ra.values[mo], rb.values[mo]) {
				t.Errorf("%s: month %d (before the reform at %d) differs", c.name, mo+1, start)
				break
			}
		}
		if slices.Equal(ra.values[len(ra.values)-1], rb.values[len(rb.values)-1]) {
			t.Errorf("%s: the last month is the same with and without the reform", c.name)
		}
		if _, err := PairTruth("cf", a, b); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestPairTruth(t *testing.T) {
	p, _ := runTiny(t, pilotConfig(2), 3)
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
	q, _ := runTiny(t, PMCOff(pilotConfig(2)), 3)
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
	// A panel of other pilots is not a twin.
	other := pilotConfig(2)
	other.PMC.Selection.Method = "random"
	r, _ := runTiny(t, other, 3)
	if _, err := PairTruth("x", p, r); !errors.Is(err, ErrNotPaired) {
		t.Errorf("other pilots: err = %v, want ErrNotPaired", err)
	}
}
