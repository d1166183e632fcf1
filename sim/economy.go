package sim

import "math"

// Growth parameters (assumptions unless docs/MODEL.md names a source).
const (
	supportResidual = 0.4 // prefecture support left to a county that has left, before pushback
	supportFade     = 1.0 / 24
	taxDrag         = 0.04 // growth lost per unit of extra tax effort
	misuseLoss      = 0.5  // growth lost per unit of misused funds over GDP
	shockPersist    = 0.8  // monthly persistence of a county's growth shock
	prefDrawReturn  = 0.3  // prefecture growth per unit of resources drawn over its GDP
	prefLossDrag    = 0.01 // prefecture growth lost per unit GDP share of counties that left
	wageTrack       = 0.8  // elasticity of public wages to county GDP per capita
	// invRef is the realised investment rate (approval-gated private plus public
	// production, over GDP) at which a county grows at its base rate: a fixed reference
	// near what an unreformed county realises (0.21 in its first year, rising slowly as
	// public spending grows; assumption, docs/MODEL.md).
	invRef = 0.23
	// spillRefTie is the prefecture spillover, in units of economy.spillover, already in the
	// base growth rate: a county of mean tie (0.65) and strength 1 with full support.
	spillRefTie = 0.65
)

// grow updates prefecture cities first (their growth depends on what they draw from counties
// and on the counties they lose), then counties (strength, realised investment scaled by
// institutional quality, prefecture spillover, misuse, tax effort, convergence toward the
// province's GDP per capita, and shocks).
func (m *Model) grow() {
	e := m.cfg.Economy
	first := m.month == -burnIn || m.month == 0
	for j := range m.Prefs {
		pf := &m.Prefs[j]
		var all, lost float64
		for _, ci := range pf.Counties {
			c := &m.Counties[ci]
			all += c.GDP
			if c.Step >= 3 {
				lost += c.GDP
			} else {
				pf.Drawn += m.Branches[c.Branches[DeptLand]].Target * landValue / 12
			}
		}
		if all > 0 {
			pf.Lost = lost / all
		}
		rate := 12 * pf.Drawn / pf.GDP
		if first {
			pf.drawnBase = rate
		}
		g := pf.baseG + prefDrawReturn*(rate-pf.drawnBase) - prefLossDrag*pf.Lost + e.ShockSD*0.5*m.rng.NormFloat64()
		pf.Growth = g
		pf.GDP *= math.Exp(g / 12)
	}
	for p := range m.Provinces {
		pr := &m.Provinces[p]
		var gdp, pop float64
		for _, ci := range pr.Counties {
			gdp += m.Counties[ci].GDP
			pop += m.Counties[ci].Pop
		}
		pr.logMeanPC = math.Log(gdp / pop)
	}
	target := m.cfg.Prefecture.Support
	residual := supportResidual * (1 - m.cfg.Prefecture.Pushback)
	for i := range m.Counties {
		c := &m.Counties[i]
		pf := &m.Prefs[c.Pref]
		if c.Step >= 3 {
			c.Support += (residual - c.Support) * supportFade
		} else {
			c.Support += (target - c.Support) * supportFade
		}
		vigour := clamp(pf.Growth/math.Max(pf.baseG, 0.01), 0, 2)
		spill := e.Spillover * c.Tie * c.Support * vigour / math.Sqrt(c.Strength)
		// Public capital earns more where it is scarce: its contribution is scaled by
		// 1/sqrt(strength), as the spillover is (diminishing returns; assumption).
		inv := 12 * (c.Investment + c.PublicInv/math.Sqrt(c.Strength)) / c.GDP
		effort := m.Branches[c.Branches[DeptTax]].Effort
		c.shockAR = shockPersist*c.shockAR + e.ShockSD*math.Sqrt(1-shockPersist*shockPersist)*m.rng.NormFloat64()
		g := c.gBase +
			e.InvestmentReturn*2*c.IQ*(inv-invRef) +
			(spill - e.Spillover*spillRefTie) -
			taxDrag*(effort-1) -
			misuseLoss*12*c.Misused/c.GDP -
			e.Convergence*(math.Log(c.GDP/c.Pop)-m.Provinces[c.Province].logMeanPC) +
			c.shockAR
		c.Growth = g
		c.GDP *= math.Exp(g / 12)
		c.wageRate *= math.Exp(wageTrack * g / 12)
	}
}
