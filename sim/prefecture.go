package sim

// prefBudget runs each prefecture city's budget for the month. It receives its own revenue
// from the urban core and what it draws from its counties (the share of shared revenue it
// takes and the transfers it keeps, booked in revenue and transfer); it pays its core spending
// first, then support to its counties (aidNeed: prefecture.support times prefAidRate of their
// GDP for a county it governs; for a county that has left at step 3, the committed projects
// only, fading with aidTail and cut by pushback), and invests what is left above a reserve in
// the core's public capital. The land quota it retains from counties before step 3 brings it
// land-transfer receipts (土地出让金, landValue a unit), cash in its budget; after step 3 the
// county holds that quota and the receipts are the county's (County.Land). What a prefecture
// loses when counties leave thus comes through its accounts and capital.
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
			// The county holds the whole quota: the part its prefecture used to retain
			// brings it the land-transfer receipts (its own share's receipts are part of
			// its tax base, as at the start).
			c.Land = prefLandRetain * c.yearlyLandQuota() * landValue / 12
			continue
		}
		c.Land = 0
		pf.land += m.Branches[c.Branches[DeptLand]].Target * landValue / 12
	}
	for j := range m.Prefs {
		pf := &m.Prefs[j]
		pf.OwnRevenue = prefTaxRate * pf.GDP / 12
		pf.Land = pf.land
		in := pf.OwnRevenue + pf.Revenue + pf.Land
		cash := pf.Balance + in
		need := prefCoreShare * prefTaxRate * pf.GDP / 12
		pf.Core = min(cash, need)
		cash -= pf.Core
		pf.Aid = min(cash, pf.aidNeed)
		cash -= pf.Aid
		pf.aidPaid = 1
		if pf.aidNeed > 0 {
			pf.aidPaid = pf.Aid / pf.aidNeed
		}
		pf.PublicInv = max(0, cash-prefReserve*need)
		pf.Balance = cash - pf.PublicInv
		pf.PrivateInv = (prefPrivateRate + ungatedRate) * pf.GDP / 12
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
	fade := Exp(-float64(m.month-c.step3Month) / aidTail)
	return due * (1 - m.cfg.Prefecture.Pushback) * fade
}
