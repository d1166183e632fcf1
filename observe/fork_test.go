package observe

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/sim"
)

func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

func samePanels(a, b *Panel) bool {
	return sameFloats(a.values, b.values) && reflect.DeepEqual(a.steps, b.steps) && reflect.DeepEqual(a.Counties, b.Counties) &&
		a.month == b.month && a.Years == b.Years
}

func sameTracks(a, b *Track) bool {
	for g := range a.Values {
		if !sameFloats(a.Values[g], b.Values[g]) {
			return false
		}
	}
	return len(a.Values) == len(b.Values) && reflect.DeepEqual(a.Steps, b.Steps) && a.month == b.month
}

// The counterfactuals RunForked forks off their factual run give the panels and tracks of
// runs from the start, bit for bit: PMC off and a step off, devolution and approval off, two
// reforms together, random pilots, the widening criterion, and a no-reform config that
// differs from the first month (which RunForked must run from the start).
func TestRunForkedIsRunWith(t *testing.T) {
	pmc := testkit.Pilot(3)
	dev := testkit.Pilot(3)
	dev.PMC.Enabled = false
	dev.Devolution = sim.Devolution{Economic: 1, Social: 1, Personnel: 1, TownEconomic: 1, TownSocial: 1, TownUrbanThreshold: 0.5, Start: 30}
	ap := testkit.Pilot(3)
	ap.PMC.Enabled = false
	ap.Approval = sim.Approval{ItemCut: 0.3, StepCut: 0.2, OneStop: 0.5, Start: 20, Patience: 400, PhaseYears: 2, ExPost: 0.6,
		Investment: sim.ClassCut{ItemCut: 0.4, StepCut: 0.2, PhaseYears: 3}}
	both := testkit.Pilot(3)
	both.Devolution = sim.Devolution{Economic: 1, Social: 1, Personnel: 1, Start: 30}
	random := testkit.Pilot(4)
	random.PMC.Selection.Method = "random"
	crit := testkit.Pilot(3)
	crit.PMC.Widening = sim.Widening{By: "criterion", NormalMonths: 6}
	noPMC := testkit.Pilot(3)
	noPMC.PMC.Enabled = false
	undated := testkit.Pilot(3)
	undated.Debt.StopNewDebt = true
	ctx := context.Background()
	for _, c := range []struct {
		name string
		cfg  sim.Config
		cfs  []sim.Config
		fork []bool // whether each counterfactual can be forked
	}{
		{"pmc: no reform, step 3 off", pmc, []sim.Config{PMCOff(pmc), PMCStepOff(pmc, 3)}, []bool{true, true}},
		{"devolution off", dev, []sim.Config{DevolutionOff(dev)}, []bool{true}},
		{"approval off", ap, []sim.Config{ApprovalOff(ap)}, []bool{true}},
		{"pmc and devolution", both, []sim.Config{PMCOff(both), DevolutionOff(both)}, []bool{true, true}},
		{"random pilots", random, []sim.Config{PMCOff(random)}, []bool{true}},
		{"widening criterion", crit, []sim.Config{PMCOff(crit)}, []bool{true}},
		{"pmc switched off (its pilots are marked from the start)", pmc, []sim.Config{NoReform(pmc, noPMC)}, []bool{false}},
		{"an undated rule differs", undated, []sim.Config{pmc, PMCOff(undated)}, []bool{false, true}},
	} {
		for i, cf := range c.cfs {
			if _, ok := sim.BranchPoint(c.cfg, cf); ok != c.fork[i] {
				t.Errorf("%s: counterfactual %d: forked %v, want %v", c.name, i, ok, c.fork[i])
			}
		}
		newPanel := func(m *sim.Model) (*Panel, error) { return NewPanel(m, 3) }
		opt := sim.Options{Metrics: PanelReads()}
		p, ps, err := RunForked(ctx, c.cfg, 7, opt, newPanel, c.cfs)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want, err := RunWith(ctx, c.cfg, 7, opt, newPanel)
		if err != nil {
			t.Fatal(err)
		}
		if !samePanels(p, want) {
			t.Errorf("%s: the factual panel differs from RunWith's", c.name)
		}
		for i, cf := range c.cfs {
			want, err := RunWith(ctx, cf, 7, opt, newPanel)
			if err != nil {
				t.Fatal(err)
			}
			if !samePanels(ps[i], want) {
				t.Errorf("%s: counterfactual %d's panel differs from a run from the start", c.name, i)
			}
		}
		newTrack := func(m *sim.Model) (*Track, error) { return NewTrack(m, []string{"province", "pilot", "step:3"}) }
		_, ts, err := RunForked(ctx, c.cfg, 7, sim.Options{}, newTrack, c.cfs)
		if err != nil {
			t.Fatal(err)
		}
		for i, cf := range c.cfs {
			want, err := RunWith(ctx, cf, 7, sim.Options{}, newTrack)
			if err != nil {
				t.Fatal(err)
			}
			if !sameTracks(ts[i], want) {
				t.Errorf("%s: counterfactual %d's track differs from a run from the start", c.name, i)
			}
		}
	}
}

// A failing counterfactual is named by its index; an interrupt stops the forks too.
func TestRunForkedErrors(t *testing.T) {
	cfg := testkit.Pilot(3)
	bad := PMCOff(cfg)
	bad.Months = 0
	newTrack := func(m *sim.Model) (*Track, error) { return NewTrack(m, []string{"province"}) }
	_, _, err := RunForked(context.Background(), cfg, 1, sim.Options{}, newTrack, []sim.Config{PMCOff(cfg), bad})
	var fe *ForkedRunError
	if !errors.As(err, &fe) || fe.Index != 1 || !strings.Contains(err.Error(), "months") {
		t.Errorf("a bad second config: error %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := RunForked(ctx, cfg, 1, sim.Options{}, newTrack, []sim.Config{PMCOff(cfg)}); !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted: error %v", err)
	}
}
