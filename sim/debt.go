package sim

// Debt parameters (assumptions, docs/MODEL.md Submodels: debt).
const (
	hiddenPremium = 0.02 // extra annual interest on hidden (financing-vehicle) debt
	fearJump      = 0.6  // deterrence gained per unit of accountability when caught
	fearMax       = 0.9  // cap of that deterrence (assumption, docs/MODEL.md)
	// premiumSlope is the extra annual rate on vehicle debt per unit of total debt ratio
	// (explicit plus hidden over annual revenue) above premiumFrom (assumption, range
	// 0.01-0.04: LGFV bond spreads of high-debt localities were 1-3 points wider).
	premiumSlope = 0.02
	premiumFrom  = 0.5
	// hiddenMaturity is the mean maturity of vehicle debt in months (bank loans and trust
	// products of about three years; assumption, range 24-60).
	hiddenMaturity = 36.0
	// hiddenRateMax caps the annual rate on vehicle debt: the courts protected agreed lending
	// rates up to 24% a year (Supreme People's Court, provisions on private lending, 2015,
	// art. 26; from August 2020 the cap is four times the loan prime rate, about 15%, so 24%
	// is an upper bound over the simulated years). Without a cap, unpaid interest added to debt raises the premium, which raises
	// unpaid interest: a county past paying would reach an infinite debt in finite time.
	hiddenRateMax = 0.24
)

// debt books new explicit borrowing and repayment, accrues interest on hidden debt, draws
// whether audit finds the county's hidden debt and misuse this month (found hidden debt is
// identified and taken onto the books; accountability raises deterrence), and sets the
// early-warning level from the debt ratio.
func (m *Model) debt() {
	d := m.cfg.Debt
	for i := range m.Counties {
		c := &m.Counties[i]
		// The bond quota is released monthly; unused quota carries over up to a year's worth.
		c.quotaLeft = min(c.quotaLeft+d.NewBorrowQuota*c.annualAvail/12, d.NewBorrowQuota*c.annualAvail)
		c.Explicit += c.Borrow - c.Principal
		// Vehicle debt grows by new hidden borrowing and interest the county could not pay,
		// and falls by what it repaid when rollover failed.
		c.Hidden += c.HiddenBorrow + c.hiddenUnpaid - c.Forced
		c.Identified = 0
		// A debt audit (摸清旧债) recognises a share of vehicle debt every month and takes it
		// onto the books.
		c.Audited = c.Hidden * d.AuditRate / 12
		c.Hidden -= c.Audited
		c.Explicit += c.Audited
		// One draw per county every month, whatever the state, so scenarios run on the same
		// seed share their random numbers (common random numbers).
		if u := m.rng.Float64(); u < c.Detection && (c.Hidden > 0 || c.Misused > 0) {
			c.Identified = c.Hidden
			c.Explicit += c.Hidden
			c.Hidden = 0
			c.Fear = clamp(c.Fear+fearJump*d.Accountability, 0, fearMax)
		}
		c.DebtRatio = c.Explicit / c.annualAvail
		c.Warning = warning(c.DebtRatio, d.YellowRatio, d.RedRatio)
	}
}
