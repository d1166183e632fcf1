package sim

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// forkCases are a factual config and the counterfactual changes a fork must follow exactly:
// each dated lever switched off, cohorts' later steps switched off, two at once, and the
// widening criterion (whose cohorts move on when their counties qualify, not at a date).
func forkCases() []struct {
	name     string
	from, to Config
	at       int // the branch point BranchPoint must find
} {
	base := branchCfg(30)
	base.Organisation.StreamlineTarget, base.Organisation.StreamlineStart = 0.3, 5
	base.Decision.Start = 6
	out := []struct {
		name     string
		from, to Config
		at       int
	}{}
	add := func(name string, at int, change func(c *Config), from ...func(c *Config)) {
		f := base
		f.PMC.Cohorts = append([]Cohort(nil), base.PMC.Cohorts...)
		for _, fn := range from {
			fn(&f)
		}
		t := f
		t.PMC.Cohorts = append([]Cohort(nil), f.PMC.Cohorts...)
		change(&t)
		out = append(out, struct {
			name     string
			from, to Config
			at       int
		}{name, f, t, at})
	}
	add("no pmc steps", 4, func(c *Config) {
		for k := range c.PMC.Cohorts {
			c.PMC.Cohorts[k].Step1, c.PMC.Cohorts[k].Step2, c.PMC.Cohorts[k].Step3 = -1, -1, -1
		}
	})
	add("step 3 off", 12, func(c *Config) {
		for k := range c.PMC.Cohorts {
			c.PMC.Cohorts[k].Step3 = -1
		}
	})
	add("approval off", 3, func(c *Config) { c.Approval.ItemCut = 0 })
	add("devolution off", 2, func(c *Config) { c.Devolution.Economic = 0 })
	add("streamlining off", 5, func(c *Config) { c.Organisation.StreamlineTarget = 0 })
	add("decision reform off", 6, func(c *Config) { c.Decision.Participation, c.Decision.EGovernment = 0, 0 })
	add("revenue shock off", 9, func(c *Config) { c.Finance.RevenueShock = 0 })
	add("devolution moved later", 2, func(c *Config) { c.Devolution.Start = 7 })
	add("second cohort's steps 2 and 3 off, approval later", 7, func(c *Config) {
		c.PMC.Cohorts[1].Step2, c.PMC.Cohorts[1].Step3 = -1, -1
		c.Approval.Start = 7
	}, func(c *Config) { c.Approval.Start = 8; c.Devolution.Economic = 0 })
	add("pmc switched off", 4, func(c *Config) { c.PMC = DefaultConfig().PMC; c.PMC.Enabled = false })
	add("pmc with random pilots switched off", 4, func(c *Config) { c.PMC.Enabled = false },
		func(c *Config) { c.PMC.Selection.Method = AtRandom })
	add("no pmc steps under the widening criterion", 4, func(c *Config) {
		for k := range c.PMC.Cohorts {
			c.PMC.Cohorts[k].Step1, c.PMC.Cohorts[k].Step2, c.PMC.Cohorts[k].Step3 = -1, -1, -1
		}
	}, func(c *Config) { c.PMC.Widening = Widening{By: ByCriterion, NormalMonths: 6} })
	return out
}

// unmarked returns m's values, without the pilot marks when to has PMC switched off (pilots
// are marked from the first month, and act only from their first step).
func unmarked(m *Model, to Config) []float64 {
	v := append([]float64(nil), m.Values()...)
	if !to.PMC.Enabled {
		for i := 0; i < len(v); i += NumMetrics {
			v[i+MPilot] = 0
		}
	}
	return v
}

// sameBits reports whether two value rows hold the same bits (NaN included).
func sameBits(a, b []float64) bool {
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

// A model forked at the branch point and continued under the counterfactual's config gives
// the counterfactual's run, bit for bit, every month to the end; forked one month later it
// is refused, and the branch point is where the two runs first differ.
func TestForkIsTheRunFromTheStart(t *testing.T) {
	few := Options{Metrics: []int{MGDP, MDebtRatio, MApprovalDays}}
	for _, c := range forkCases() {
		at, ok := UnmarkedBranchPoint(c.from, c.to)
		if strict, sok := BranchPoint(c.from, c.to); sok != (c.from.PMC.Enabled == c.to.PMC.Enabled) || (sok && strict != at) {
			t.Errorf("%s: strict branch point %d, %v (unmarked %d)", c.name, strict, sok, at)
		}
		if !ok || at != c.at {
			t.Errorf("%s: branch point %d, %v (want %d)", c.name, at, ok, c.at)
			continue
		}
		for _, opt := range []Options{{}, few} {
			straight, err := NewWith(c.to, opt)
			if err != nil {
				t.Fatal(err)
			}
			factual := mustNew(t, c.from)
			var firstDiff = -1
			for factual.Month() < at {
				if err := factual.Step(); err != nil {
					t.Fatal(err)
				}
				if err := straight.Step(); err != nil {
					t.Fatal(err)
				}
				if !sameBits(unmarked(factual, c.to), unmarked(straight, c.to)) && opt.Metrics == nil {
					t.Fatalf("%s: month %d, before the branch point %d, differs", c.name, factual.Month(), at)
				}
			}
			fork, err := factual.Fork(c.to, opt)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			other := mustNew(t, c.from) // the factual's own run goes on, to find where they part
			stepTo(t, other, at)
			for !straight.Done() {
				for _, m := range []*Model{straight, fork, other} {
					if err := m.Step(); err != nil {
						t.Fatal(err)
					}
				}
				if !sameBits(fork.Values(), straight.Values()) {
					t.Fatalf("%s (options %v): forked at %d, month %d differs from the run from the start", c.name, opt.Metrics, at, fork.Month())
				}
				if firstDiff < 0 && !sameBits(unmarked(other, c.to), unmarked(straight, c.to)) {
					firstDiff = fork.Month()
				}
			}
			if opt.Metrics == nil {
				sameModel(t, c.name+": at the end", straight, fork)
			}
			if firstDiff != at+1 {
				t.Errorf("%s: the factual and counterfactual runs part in month %d, the branch point is %d (a later branch point would be right)", c.name, firstDiff, at)
			}
		}
		late := mustNew(t, c.from)
		stepTo(t, late, at+1)
		if _, err := late.Fork(c.to, Options{}); err == nil || !strings.Contains(err.Error(), "differ from month") {
			t.Errorf("%s: a fork after the branch point: error %v", c.name, err)
		}
	}
}

func TestForkRefusesWhatActsFromTheStart(t *testing.T) {
	from := branchCfg(20)
	for _, c := range []struct {
		name   string
		change func(c *Config)
	}{
		{"an undated debt rule", func(c *Config) { c.Debt.StopNewDebt = true }},
		{"the seed", func(c *Config) { c.Seed++ }},
		{"the horizon", func(c *Config) { c.Months++ }},
		{"county-managed town finance, fixed when the world is built", func(c *Config) { c.Finance.CountyManagedTown = !c.Finance.CountyManagedTown }},
		{"a lever dated before the saved month", func(c *Config) { c.Approval.Start = 0 }},
	} {
		to := from
		c.change(&to)
		if at, ok := BranchPoint(from, to); ok && c.name != "a lever dated before the saved month" {
			t.Errorf("%s: branch point %d, want none", c.name, at)
		}
		m := mustNew(t, from)
		stepTo(t, m, 1)
		if _, err := m.Fork(to, Options{}); err == nil {
			t.Errorf("%s: forked after month 1", c.name)
		}
	}
	few, err := NewWith(from, Options{Metrics: []int{MGDP}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := few.Fork(from, Options{}); err == nil || !strings.Contains(err.Error(), "leaves out") {
		t.Errorf("a full fork of a model that leaves the 90th percentile out: error %v", err)
	}
	if _, err := few.Fork(from, Options{Metrics: []int{NumMetrics}}); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("bad options: error %v", err)
	}
}

// A clone is the saved state's round trip: the same saved bytes, the same model as Restore
// rebuilds (caches zero), and storage of its own: stepping the clone leaves the model as it
// was, for a full model and one that leaves outputs out.
func TestCloneIsTheStateRoundTrip(t *testing.T) {
	for _, opt := range []Options{{}, {Metrics: []int{MGDP}}} {
		m, err := NewWith(branchCfg(20), opt)
		if err != nil {
			t.Fatal(err)
		}
		stepTo(t, m, 7)
		skipW, skipP := m.skipWithin, m.skipP90
		m.skipWithin, m.skipP90 = false, false // to save it
		data := save(t, m)
		m.skipWithin, m.skipP90 = skipW, skipP
		c, err := m.clone()
		if err != nil {
			t.Fatal(err)
		}
		restored, err := decodeState(data)
		if err != nil {
			t.Fatal(err)
		}
		// Options are not saved; NaN values (left-out outputs) fail DeepEqual.
		restored.skipWithin, restored.skipP90 = c.skipWithin, c.skipP90
		if opt.Metrics == nil && !reflect.DeepEqual(c, restored) {
			sameModel(t, "clone against the restored state", restored, c)
			t.Fatal("the clone differs from the restored state in a cache or the random stream")
		}
		c.skipWithin, c.skipP90 = false, false
		if string(save(t, c)) != string(data) {
			t.Fatal("the clone saves other bytes")
		}
		c.skipWithin, c.skipP90 = skipW, skipP
		stepTo(t, c, 12)
		m.skipWithin, m.skipP90 = false, false
		if string(save(t, m)) != string(data) {
			t.Fatal("stepping the clone changed the model it was cloned from")
		}
	}
}

// A type the clone cannot copy is refused with its path, as the codec refuses it; so is an
// interface that holds a value (a model copied mid-month).
func TestCloneRefusesWhatItCannotCopy(t *testing.T) {
	type bad struct {
		M map[int]int
	}
	var a, b bad
	if err := compileClone(reflect.TypeFor[bad](), "bad").clone(unsafe.Pointer(&b), unsafe.Pointer(&a)); err == nil || !strings.Contains(err.Error(), "bad.M") {
		t.Errorf("a map: error %v", err)
	}
	m := mustNew(t, branchCfg(4))
	m.townErr = errors.New("broken")
	if _, err := m.clone(); err == nil || !strings.Contains(err.Error(), "townErr") {
		t.Errorf("an error held: %v", err)
	}
	if _, err := m.Fork(m.Config(), Options{}); err == nil || !strings.Contains(err.Error(), "accounting error") {
		t.Errorf("fork of a model with an unreported error: %v", err)
	}
}
