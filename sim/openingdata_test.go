package sim

import (
	"math"
	"strings"
	"testing"
)

func relNear(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }

// TestGivenOpeningFinances: a county list's revenue, spending, debt and transfers are the
// county's opening values in the built model; the draws are those of the same list without
// them; and the province's account still balances month by month.
func TestGivenOpeningFinances(t *testing.T) {
	base := openingModel(t, listConfig())
	cfg := listConfig()
	l := cfg.World.Provinces[0].CountyList
	// Spending and transfers above what the formula alone gives, so that each is felt.
	spend := 1.4 * base.Counties[1].annualAvail
	recv := func(c *County) float64 {
		return 12 * (c.transferGeneral + c.transferEarmarked) * (1 - cfg.Prefecture.KeepShare)
	}
	trans := 2 * recv(&base.Counties[2])
	l[0].Revenue, l[0].Debt = 2100, 800
	l[1].Spending = spend
	l[2].Transfers = trans
	m := openingModel(t, cfg)
	take := cfg.Prefecture.RevenueTake
	c := m.Counties
	if got := 12 * (c[0].Own + (1-take)*c[0].Shared); !relNear(got, 2100) {
		t.Errorf("巩义 opening revenue %v, want 2100", got)
	}
	if c[0].Explicit != 800 || !relNear(c[0].Hidden, initHiddenShare*800) {
		t.Errorf("巩义 opening debt %v (hidden %v), want 800 (%v)", c[0].Explicit, c[0].Hidden, initHiddenShare*800)
	}
	if !relNear(c[1].annualAvail, spend) {
		t.Errorf("杞县 opening spending %v, want %v", c[1].annualAvail, spend)
	}
	if got := recv(&c[2]); !relNear(got, trans) {
		t.Errorf("通许 opening transfers %v, want %v", got, trans)
	}
	// A given value replaces a derived one; it moves the county's opening the way it says.
	if !(c[2].annualAvail > base.Counties[2].annualAvail) || !(c[1].annualAvail > base.Counties[1].annualAvail) {
		t.Errorf("more transfers or spending did not raise opening spending: %v vs %v, %v vs %v",
			c[2].annualAvail, base.Counties[2].annualAvail, c[1].annualAvail, base.Counties[1].annualAvail)
	}
	// The draws do not depend on which values are given.
	for i := range c {
		b := base.Counties[i]
		if c[i].GDP != b.GDP || c[i].IQ != b.IQ || c[i].Tie != b.Tie || c[i].bias0 != b.bias0 || (i > 0 && c[i].taxRate != b.taxRate) {
			t.Errorf("county %d: draws changed", i)
		}
	}
	if c[3].transferAdj != 0 || c[0].transferAdj != 0 {
		t.Errorf("counties given no spending or transfers have a transfer component: %v, %v", c[0].transferAdj, c[3].transferAdj)
	}
	// The burn-in and two years run with every accounting check (the province's account
	// includes the county-specific transfers in its central receipts).
	cfg.Months = 24
	run(t, cfg, nil)
}

// TestGivenSpendingBelowOwnFlows: a spending the county's own revenue already exceeds would
// need a negative transfer: New refuses it, naming the field, the county and the minimum.
func TestGivenSpendingBelowOwnFlows(t *testing.T) {
	cfg := listConfig()
	cfg.World.Provinces[0].CountyList[1].Spending = 1
	_, err := New(cfg)
	if err == nil || !strings.Contains(err.Error(), "world.provinces[0].county_list[1].spending: bad value 1 (allowed: at least") ||
		!strings.Contains(err.Error(), "for county 杞县") {
		t.Errorf("got %v", err)
	}
	cfg = listConfig()
	cfg.World.Provinces[0].CountyList[1].Spending = 900
	cfg.World.Provinces[0].CountyList[1].Transfers = 300
	cfg.World.Provinces[0].CountyList[2].Debt = -1
	_, err = New(cfg)
	for _, want := range []string{
		"county_list[1].spending: bad value 900 (allowed: 0 when transfers is given",
		"county_list[2].debt: bad value -1 (allowed: 0 (derived) or million yuan up to 10 million)",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in %v", want, err)
		}
	}
}

// TestGivenTransfersBelowFormula: a county given less than the formula allots it opens at the
// given transfers exactly, and its transfers never turn negative as the formula moves.
func TestGivenTransfersBelowFormula(t *testing.T) {
	cfg := listConfig()
	cfg.World.Provinces[0].CountyList[2].Transfers = 0.01
	m := openingModel(t, cfg)
	c := &m.Counties[2]
	if got := 12 * (c.transferGeneral + c.transferEarmarked) * (1 - cfg.Prefecture.KeepShare); !relNear(got, 0.01) {
		t.Errorf("opening transfers %v, want 0.01", got)
	}
	if c.transferAdj >= 0 {
		t.Errorf("transfer component %v, want below 0 (less than the formula)", c.transferAdj)
	}
	cfg.Months = 60
	run(t, cfg, func(m *Model) {
		if c := m.Counties[2]; c.transferGeneral+c.transferEarmarked < 0 || c.Transfers < 0 {
			t.Fatalf("month %d: negative transfers %v (received %v)", m.Month(), c.transferGeneral+c.transferEarmarked, c.Transfers)
		}
	})
}
