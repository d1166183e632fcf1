package observe

import (
	"math"
	"testing"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/sim"
)

// runTiny runs cfg into a panel with treatment step step, recording the months alongside.
func runTiny(t *testing.T, cfg sim.Config, step int) (*Panel, *testkit.Months) {
	return testkit.RunWith(t, cfg, func(m *sim.Model) (*Panel, error) { return NewPanel(m, step) })
}

func TestPanelFollowsTheRun(t *testing.T) {
	cfg := testkit.Pilot(3)
	p, rec := runTiny(t, cfg, 3)
	if !p.Complete() || p.Years != 7 || len(p.Counties) != 24 || p.StartYear != cfg.StartYear {
		t.Fatalf("panel: complete %v, %d years, %d counties, start %d", p.Complete(), p.Years, len(p.Counties), p.StartYear)
	}
	treated, controls := 0, 0
	for i, c := range p.Counties {
		first := p.FirstTreatedYear(i)
		for y := range p.Years {
			want := rec.Steps[12*y+11][i]
			if p.Step(i, y) != want {
				t.Fatalf("county %d year %d: step %d, the model had %d at the year's end", i, y, p.Step(i, y), want)
			}
			isTreated := first > 0 && p.Year(y) >= first
			if isTreated != (want >= 3) {
				t.Errorf("county %d year %d: treated %v with step %d at the year's end", i, y, isTreated, want)
			}
		}
		switch {
		case first > 0:
			treated++
			if !c.Pilot || p.IsControl(i) {
				t.Errorf("county %d treated but pilot %v, control %v", i, c.Pilot, p.IsControl(i))
			}
			// The late cohort reaches step 3 in July of year 3: treated from that year.
			if first != cfg.StartYear+3 {
				t.Errorf("county %d (%s) first treated in %d", i, c.Cohort, first)
			}
		case p.IsControl(i):
			controls++
		default:
			t.Errorf("county %d neither treated nor control (pilot %v)", i, c.Pilot)
		}
	}
	if treated != 12 || controls != 12 || p.Treated() != 12 {
		t.Errorf("%d treated, %d controls (Treated() %d), want 12 and 12", treated, controls, p.Treated())
	}

	// Every column combines the months as its kind says.
	col := func(name string) int {
		k := p.Column(name)
		if k < 0 {
			t.Fatalf("no column %s", name)
		}
		return k
	}
	own, debt, days, growth := col("own_revenue"), col("explicit_debt"), col("approval_days"), col("growth")
	for i := range p.Counties {
		gdpPrev := rec.GDP0[i]
		for y := range p.Years {
			var sumOwn, sumDays, sumG float64
			for mo := 12 * y; mo < 12*y+12; mo++ {
				v := rec.Values[mo][i*sim.NumMetrics:]
				sumOwn += v[sim.MOwnRevenue]
				sumDays += v[sim.MApprovalDays]
				sumG += v[sim.MGrowth]
			}
			last := rec.Values[12*y+11][i*sim.NumMetrics:]
			if p.Value(i, y, own) != sumOwn {
				t.Fatalf("own_revenue (flow) %g, sum of months %g", p.Value(i, y, own), sumOwn)
			}
			if p.Value(i, y, debt) != last[sim.MExplicitDebt] {
				t.Fatalf("explicit_debt (stock) %g, last month %g", p.Value(i, y, debt), last[sim.MExplicitDebt])
			}
			if d := p.Value(i, y, days) - sumDays/12; math.Abs(d) > 1e-12*sumDays {
				t.Fatalf("approval_days (rate) %g, mean %g", p.Value(i, y, days), sumDays/12)
			}
			g := p.Value(i, y, growth)
			if want := math.Log(last[sim.MGDP] / gdpPrev); math.Abs(g-want) > 1e-12 {
				t.Fatalf("growth %g, ln ratio %g", g, want)
			}
			if math.Abs(g-sumG/12) > 1e-9 {
				t.Errorf("growth %g differs from the mean monthly rate %g", g, sumG/12)
			}
			gdpPrev = last[sim.MGDP]
		}
	}
}

func TestNewPanelChecksItsArguments(t *testing.T) {
	m, err := sim.New(testkit.Pilot(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewPanel(m, 0); err == nil {
		t.Error("treatment step 0 accepted")
	}
	if err := m.Step(); err != nil {
		t.Fatal(err)
	}
	if _, err := NewPanel(m, 3); err == nil {
		t.Error("a panel started after the first month was accepted")
	}
}

// TestPanelHoldsWholeYears checks that a horizon that is not a whole number of years gives a
// panel of its whole years, the months past them left out (a year's flows must be a year's),
// and that a horizon under a year gives no panel.
func TestPanelHoldsWholeYears(t *testing.T) {
	cfg := testkit.Pilot(1)
	cfg.Months = 30
	p, rec := runTiny(t, cfg, 1)
	if p.Years != 2 || p.PartialMonths() != 6 || !p.Complete() {
		t.Fatalf("30 months: %d years, %d partial months, complete %v; want 2, 6, true", p.Years, p.PartialMonths(), p.Complete())
	}
	// The second year's flows (wages) are those of months 13-24, not more.
	k := -1
	for j, c := range p.Columns {
		if c.Name == "spend_wages" {
			k = j
		}
	}
	if k < 0 {
		t.Fatal("no spend_wages column")
	}
	want := 0.0
	for mo := 12; mo < 24; mo++ {
		want += rec.Values[mo][0*sim.NumMetrics+sim.MetricIndex("spend_wages")]
	}
	if got := p.Value(0, 1, k); math.Abs(got-want) > 1e-9*math.Abs(want) {
		t.Errorf("county 0, second year: spend_wages %v, months 13-24 sum to %v", got, want)
	}
	cfg.Months = 6
	m, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewPanel(m, 1); err == nil {
		t.Error("a panel of a 6-month horizon was made")
	}
}
