package sim

import "math"

// prefBudget runs each prefecture city's budget for the month. It receives its own revenue
// from the urban core and what it draws from its counties (the share of shared revenue it
// takes and the transfers it keeps, booked in revenue and transfer); it pays its core spending
// first, then support to the counties it still governs (step < 3, scaled by their support), and
// invests what is left above a reserve in the core's public capital. Private investment in the
// core includes urban investment on the land quota it retains from counties before step 3.
// What a prefecture loses when counties leave thus comes through its accounts and capital.
func (m *Model) prefBudget() {
	for j := range m.Prefs {
		pf := &m.Prefs[j]
		pf.balancePrev = pf.Balance
		pf.aidNeed, pf.land = 0, 0
	}
	for i := range m.Counties {
		c := &m.Counties[i]
		c.Aid = 0
		if c.Step >= 3 {
			continue
		}
		pf := &m.Prefs[c.Pref]
		pf.aidNeed += prefAidRate * c.Support * c.GDP / 12
		pf.land += m.Branches[c.Branches[DeptLand]].Target * landValue / 12
	}
	for j := range m.Prefs {
		pf := &m.Prefs[j]
		pf.OwnRevenue = prefTaxRate * pf.GDP / 12
		in := pf.OwnRevenue + pf.Revenue
		cash := pf.Balance + in
		need := prefCoreShare * prefTaxRate * pf.GDP / 12
		pf.Core = math.Min(cash, need)
		cash -= pf.Core
		pf.Aid = math.Min(cash, pf.aidNeed)
		cash -= pf.Aid
		pf.aidPaid = 1
		if pf.aidNeed > 0 {
			pf.aidPaid = pf.Aid / pf.aidNeed
		}
		pf.PublicInv = math.Max(0, cash-prefReserve*need)
		pf.Balance = cash - pf.PublicInv
		pf.PrivateInv = (prefPrivateRate+ungatedRate)*pf.GDP/12 + pf.land
		pf.Drawn = pf.Revenue + pf.land
		pf.flowIn = in
	}
	for i := range m.Counties {
		c := &m.Counties[i]
		if c.Step < 3 {
			c.Aid = m.Prefs[c.Pref].aidPaid * prefAidRate * c.Support * c.GDP / 12
		}
	}
}
