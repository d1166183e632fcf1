package sim

import (
	"fmt"
	"math"
)

// tolerance of the accounting checks, relative to the size of the flows involved.
const tolerance = 1e-9

// snapshot records the stocks the accounting checks compare against at month end.
func (m *Model) snapshot() {
	for i := range m.Counties {
		c := &m.Counties[i]
		c.balancePrev = c.Balance
		c.explicitPrev = c.Explicit
		c.transitPrev = c.TransitAmt
		c.hiddenPrev = c.Hidden
	}
}

// check verifies the accounting identities of the month just simulated, for every county,
// town and province: cash in = cash out + change in balance, and no balance below zero;
// explicit debt moves only by borrowing, repayment, unpaid interest and identified hidden
// debt; hidden debt only by hidden borrowing, its interest and identification; town debt only
// by borrowing, repayment and unpaid interest, and towns receive what their county paid them
// (these town checks run inside townFinance, the one monthly pass over the towns); what a
// province sends is received by
// counties, kept by prefectures or still in the pipeline. It names the first violation.
func (m *Model) check() error {
	if m.townErr != nil {
		err := m.townErr
		m.townErr = nil
		return err
	}
	for i := range m.Counties {
		c := &m.Counties[i]
		in := c.Own + c.Shared - c.Remit + c.Transfers + c.Aid + c.Land + c.Borrow
		out := c.Wages + c.ArrearsPaid + c.Ops + c.TownTransfers + c.Interest + c.Principal + c.HiddenInt + c.Forced + c.Misused + c.Production + c.Livelihood
		if d := (c.Balance - c.balancePrev) - (in - out); !near(d, in+out) {
			return fmt.Errorf("month %d, county %s: cash identity off by %.6g million yuan (in %.6g, out %.6g)", m.month+1, c.Name, d, in, out)
		}
		if c.Balance < -tolerance*(in+out+1) {
			return fmt.Errorf("month %d, county %s: negative cash balance %.6g", m.month+1, c.Name, c.Balance)
		}
		want := c.explicitPrev + c.Borrow - c.Principal + c.unpaidInterest + c.Identified + c.Audited
		if d := c.Explicit - want; !near(d, c.Explicit+want) {
			return fmt.Errorf("month %d, county %s: debt identity off by %.6g million yuan", m.month+1, c.Name, d)
		}
		want = c.hiddenPrev + c.HiddenBorrow + c.hiddenUnpaid - c.Forced - c.Audited - c.Identified
		if d := c.Hidden - want; !near(d, c.Hidden+want) {
			return fmt.Errorf("month %d, county %s: hidden-debt identity off by %.6g million yuan", m.month+1, c.Name, d)
		}
	}
	for j := range m.Prefs {
		pf := &m.Prefs[j]
		out := pf.Core + pf.Aid + pf.PublicInv
		if d := (pf.Balance - pf.balancePrev) - (pf.flowIn - out); !near(d, pf.flowIn+out) {
			return fmt.Errorf("month %d, prefecture %s: cash identity off by %.6g million yuan (in %.6g, out %.6g)", m.month+1, pf.Name, d, pf.flowIn, out)
		}
		if pf.Balance < -tolerance*(pf.flowIn+out+1) {
			return fmt.Errorf("month %d, prefecture %s: negative cash balance %.6g", m.month+1, pf.Name, pf.Balance)
		}
		if d := pf.flowIn - (pf.OwnRevenue + pf.Revenue + pf.Land); !near(d, pf.flowIn) {
			return fmt.Errorf("month %d, prefecture %s: receipts %.6g are not own revenue %.6g plus what it drew from counties %.6g plus land receipts %.6g", m.month+1, pf.Name, pf.flowIn, pf.OwnRevenue, pf.Revenue, pf.Land)
		}
		paid := 0.0
		for _, ci := range pf.Counties {
			paid += m.Counties[ci].Aid
		}
		if d := paid - pf.Aid; !near(d, pf.Aid) {
			return fmt.Errorf("month %d, prefecture %s: paid support %.6g but its counties received %.6g", m.month+1, pf.Name, pf.Aid, paid)
		}
	}
	for p := range m.Provinces {
		pr := &m.Provinces[p]
		got, remitted := 0.0, 0.0
		for _, ci := range pr.Counties {
			c := &m.Counties[ci]
			got += c.Transfers + c.Kept + (c.TransitAmt - c.transitPrev)
			remitted += c.Remit
		}
		if d := remitted - pr.Remitted; !near(d, remitted) {
			return fmt.Errorf("month %d, province %s: counties remitted %.6g but the pool received %.6g", m.month+1, pr.Name, remitted, pr.Remitted)
		}
		if d := got - pr.Sent; !near(d, pr.Sent) {
			return fmt.Errorf("month %d, province %s: transfers sent %.6g but received, kept and in transit %.6g", m.month+1, pr.Name, pr.Sent, got)
		}
		// The province's account: receipts (its tax share booked from its counties,
		// central transfers, remittances) = spending (transfers sent + staff), and the
		// transfer pool is not negative.
		tax := 0.0
		for _, ci := range pr.Counties {
			tax += m.Counties[ci].provTax
		}
		if d := tax - pr.ProvTax; !near(d, tax) {
			return fmt.Errorf("month %d, province %s: its tax share collected in counties is %.6g but its account booked %.6g", m.month+1, pr.Name, tax, pr.ProvTax)
		}
		in, out := pr.ProvTax+pr.Central+pr.Remitted, pr.Sent+pr.StaffCost
		if d := in - out; !near(d, in+out) {
			return fmt.Errorf("month %d, province %s: account off by %.6g million yuan (received %.6g, sent %.6g, staff %.6g)", m.month+1, pr.Name, d, in, pr.Sent, pr.StaffCost)
		}
		if pr.Pool < 0 {
			return fmt.Errorf("month %d, province %s: staff cost %.6g exceeds receipts %.6g (negative transfer pool)", m.month+1, pr.Name, pr.StaffCost, in)
		}
	}
	return nil
}

// near reports whether |d| <= tolerance*(|scale|+1), false for NaN. (math.Abs compiles to a
// mask of the sign bit: the town loop's three tests cost fewer instructions than comparing d
// and -d with the bound.)
func near(d, scale float64) bool {
	b := tolerance * (math.Abs(scale) + 1)
	return math.Abs(d) <= b
}

// checkTown checks one town's accounts as townFinance closes them (the only monthly pass over
// the towns): cash in = cash out + change in balance, no negative balance, and debt moving only
// by borrowing, repayment and unpaid interest. The first violation is kept for check.
func (m *Model) checkTown(c *County, t int, balancePrev, debtPrev, in, out float64) {
	if m.townErr != nil {
		return
	}
	tw := &m.Towns[t]
	at := func(what string, v float64) error {
		return fmt.Errorf("month %d, county %s, town %d: %s %.6g million yuan", m.month+1, c.Name, t-c.Towns[0]+1, what, v)
	}
	switch {
	case !near((tw.Balance-balancePrev)-(in-out), in+out):
		m.townErr = at("cash identity off by", (tw.Balance-balancePrev)-(in-out))
	case tw.Balance < -tolerance*(in+out+1):
		m.townErr = at("negative cash balance", tw.Balance)
	case !near(tw.Debt-(debtPrev+tw.Borrowed-tw.repaid+tw.unpaidInterest), tw.Debt):
		m.townErr = at("debt identity off by", tw.Debt-(debtPrev+tw.Borrowed-tw.repaid+tw.unpaidInterest))
	default:
		// townFinance calls this only when its own, written-out tests failed: they and these
		// must agree, so a disagreement is itself an error, never lost.
		m.townErr = at(fmt.Sprintf("account test of the town loop failed (debt %.6g, in %.6g, out %.6g); cash balance", tw.Debt, in, out), tw.Balance)
	}
}

// checkVillages checks the villages of one town: their debt moves only by borrowing and
// repayment, and their works spending is what the town passed on, less leaks, plus borrowing,
// less repayment, and never negative.
func (m *Model) checkVillages(c *County, t int, debtPrev float64) {
	if m.townErr != nil {
		return
	}
	tw := &m.Towns[t]
	if d := tw.VillageDebt - (debtPrev + tw.VillageBorrowed - tw.VillageRepaid); !near(d, tw.VillageDebt) {
		m.townErr = fmt.Errorf("month %d, county %s, town %d: village debt identity off by %.6g million yuan", m.month+1, c.Name, t-c.Towns[0]+1, d)
	} else if tw.VillageWorks < -tolerance*(tw.VillageDebt+1) {
		m.townErr = fmt.Errorf("month %d, county %s, town %d: negative village works spending %.6g", m.month+1, c.Name, t-c.Towns[0]+1, tw.VillageWorks)
	} else {
		// Called only when the town loop's own tests failed: a disagreement is an error too.
		m.townErr = fmt.Errorf("month %d, county %s, town %d: village account test of the town loop failed (debt %.6g, works %.6g)", m.month+1, c.Name, t-c.Towns[0]+1, tw.VillageDebt, tw.VillageWorks)
	}
}
