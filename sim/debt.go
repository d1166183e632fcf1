package sim

import "math"

// Debt parameters (assumptions, docs/MODEL.md Submodels: debt).
const (
	hiddenPremium = 0.02 // extra annual interest on hidden (financing-vehicle) debt
	fearJump      = 0.6  // deterrence gained per unit of accountability when caught
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
		c.quotaLeft = math.Min(c.quotaLeft+d.NewBorrowQuota*c.annualAvail/12, d.NewBorrowQuota*c.annualAvail)
		c.Explicit += c.Borrow - c.Principal
		c.hiddenInterest = c.Hidden * (d.InterestRate + hiddenPremium) / 12
		c.Hidden += c.HiddenBorrow + c.hiddenInterest
		c.Identified = 0
		// One draw per county every month, whatever the state, so scenarios run on the same
		// seed share their random numbers (common random numbers).
		if u := m.rng.Float64(); u < c.Detection && (c.Hidden > 0 || c.Misused > 0) {
			c.Identified = c.Hidden
			c.Explicit += c.Hidden
			c.Hidden = 0
			c.Fear = clamp(c.Fear+fearJump*d.Accountability, 0, 0.9)
		}
		c.DebtRatio = c.Explicit / c.annualAvail
		switch {
		case c.DebtRatio >= d.RedRatio:
			c.Warning = Red
		case c.DebtRatio >= d.YellowRatio:
			c.Warning = Yellow
		default:
			c.Warning = Green
		}
	}
}
