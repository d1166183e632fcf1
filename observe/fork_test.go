package observe

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/sim"
)

func samePanels(a, b *Panel) bool {
	return testkit.FirstDiff(a.values, b.values) < 0 && reflect.DeepEqual(a.steps, b.steps) && reflect.DeepEqual(a.Counties, b.Counties) &&
		a.month == b.month && a.Years == b.Years
}

func sameTracks(a, b *Track) bool {
	for g := range a.Values {
		if testkit.FirstDiff(a.Values[g], b.Values[g]) >= 0 {
			return false
		}
	}
	return len(a.Values) == len(b.Values) && reflect.DeepEqual(a.Steps, b.Steps) && a.month == b.month
}

// The counterfactuals RunForked forks off their factual run give the panels and tracks of
// runs from the start, bit for bit: every twin of TestCounterfactualIsTheFactualsTwin (PMC off
// and a step off, devolution and approval levers off, two reforms together, random pilots,
// the widening criterion), two counterfactuals of one run, and two configs RunForked must run
// from the start: PMC switched off altogether (its pilots are marked from the first month,
// which a panel's counties and a track's pilot group read) and an undated rule.
func TestRunForkedIsRunWith(t *testing.T) {
	pmc := testkit.Pilot(3)
	noPMC := testkit.Pilot(3)
	noPMC.PMC.Enabled = false
	undated := testkit.Pilot(3)
	undated.Debt.StopNewDebt = true
	type forkCase struct {
		name string
		cfg  sim.Config
		cfs  []sim.Config
		fork []bool // whether each counterfactual is forked
	}
	var cases []forkCase
	for _, c := range twinCases() {
		cases = append(cases, forkCase{c.name, c.cfg, []sim.Config{c.cf}, []bool{true}})
	}
	cases = append(cases,
		forkCase{"pmc: no reform and step 3 off from one run", pmc, []sim.Config{PMCOff(pmc), PMCStepOff(pmc, 3)}, []bool{true, true}},
		forkCase{"pmc switched off", pmc, []sim.Config{NoReform(pmc, noPMC)}, []bool{false}},
		forkCase{"an undated rule differs", undated, []sim.Config{pmc, PMCOff(undated)}, []bool{false, true}})
	ctx := context.Background()
	for _, c := range cases {
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
