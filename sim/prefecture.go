package sim

import "math"

// prefBudget runs each prefecture city's budget for the month. It receives its own revenue
// from the urban core and what it draws from its counties (the share of shared revenue it
// takes and the transfers it keeps, booked in revenue and transfer); it pays its core spending
// first, then support to its counties (aidNeed: prefecture.support times prefAidRate of their
// GDP for a county it governs; for a county that has left at step 3, the committed projects
// only, fading with aidTail and cut by pushback), and invests what is left above a reserve in the core's public capital. Private investment in the
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
		c.aidNeed = m.aidNeed(c)
		pf := &m.Prefs[c.Pref]
		pf.aidNeed += c.aidNeed
		if c.Step >= 3 {
			continue
		}
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
		c.Aid = m.Prefs[c.Pref].aidPaid * c.aidNeed
	}
}

// aidNeed is the support county c is due from its prefecture this month: prefecture.support
// times prefAidRate of its GDP while the prefecture governs it (step < 3); after step 3 the
// projects committed before it left, fading with aidTail months since step 3, cut by the
// prefecture's pushback.
func (m *Model) aidNeed(c *County) float64 {
	due := m.cfg.Prefecture.Support * prefAidRate * c.GDP / 12
	if c.Step < 3 {
		return due
	}
	fade := math.Exp(-float64(m.month-c.step3Month) / aidTail)
	return due * (1 - m.cfg.Prefecture.Pushback) * fade
}
