package sim

import "math"

// Growth parameters (assumptions unless docs/MODEL.md names a source).
const (
	taxWedge     = 1.0 // private investment demand lost per unit of extra tax effort
	shockPersist = 0.8 // monthly persistence of a county's TFP growth shock
	wageTrack    = 1.0 // elasticity of public pay to county GDP per capita (costs track income)
	// vigourMin and vigourMax bound the prefecture core's vigour (output over its own TFP
	// trend) in the market pull, so that its log stays finite.
	vigourMin = 0.25
	vigourMax = 4.0
	// publicFloor is the public capital a county holds at start beyond what its own budget
	// builds (roads and networks built by higher levels), as a share of annual GDP over
	// (depreciation + growth) (assumption).
	publicFloor = 0.02
	// prefPrivateRate is the prefecture core's private investment rate out of GDP (as the
	// counties' approval-gated rate at the opening climate; assumption).
	prefPrivateRate = 0.21
	// prefTaxRate is the prefecture core's own budget revenue over its GDP (urban district
	// general budget revenue, about 6% of GDP around 2005-2010; assumption, range 0.04-0.08).
	prefTaxRate = 0.06
	// prefCoreShare is the core spending need (urban services and administration) of a
	// prefecture at start as a share of its own revenue; it then grows with the core's income
	// (assumption, range 0.7-0.9).
	prefCoreShare = 0.8
	// prefAidRate is what a prefecture spends on support to a county it governs (市带县
	// projects and subsidies), a share of that county's GDP per year at support 1
	// (assumption, range 0-0.005).
	prefAidRate = 0.002
	// aidTail is the e-folding time, in months, of the support a prefecture keeps paying a
	// county after step 3 (projects committed before the county left are finished and
	// paid; assumption: about two years, range 12-36).
	aidTail = 24.0
	// prefReserve is the prefecture's cash reserve in months of core spending; all cash above
	// it is invested in the core's public capital in the same month (prefBudget).
	prefReserve = 1.0
	// minTrendGrowth floors the trend growth used to open capital stocks at their steady state
	// (K = 12 I / (depreciation + g)), so that a zero or negative trend cannot blow it up
	// (numerical guard).
	minTrendGrowth = 0.01
	// pubEffBase: the share of public investment spending that becomes public capital is
	// pubEffBase + IQ (assumption after Pritchett 2000, range 0.3-1).
	pubEffBase = 0.4
	// prefShockScale is the prefecture core's TFP shock sd relative to a county's
	// (economy.shock_sd): a core averages over more firms (assumption).
	prefShockScale = 0.5
)

// tfpShares returns the output elasticities of private and public capital and the labour share.
func (m *Model) tfpShares() (a, b, l float64) {
	e := m.cfg.Economy
	return e.CapitalShare, e.PublicCapitalShare, 1 - e.CapitalShare - e.PublicCapitalShare
}

// initCapital sets each county's and prefecture's capital stocks to the steady state of their
// opening investment flows and backs out TFP so that output is the drawn GDP.
func (m *Model) initCapital() {
	a, b, l := m.tfpShares()
	dep := m.cfg.Economy.Depreciation
	for j := range m.Prefs {
		pf := &m.Prefs[j]
		g := max(pf.baseG, minTrendGrowth)
		pf.Kp = 12 * pf.PrivateInv / (dep + g)
		pf.Kg = (12*pf.PublicInv + publicFloor*pf.GDP) / (dep + g)
		pf.popTerm = l * math.Log(pf.Pop)
		pf.logA = math.Log(pf.GDP) - a*math.Log(pf.Kp) - b*math.Log(pf.Kg) - pf.popTerm
		pf.trend = pf.GDP
	}
	for i := range m.Counties {
		c := &m.Counties[i]
		g := max(c.gBase, minTrendGrowth)
		c.kPriv = 12 * (c.Investment + ungatedRate*c.GDP/12) / (dep + g)
		c.kPub = (12*c.PublicInv*c.pubEff() + publicFloor*c.GDP) / (dep + g)
		c.popTerm = l * math.Log(c.Pop)
		c.logA = math.Log(c.GDP) - a*math.Log(c.kPriv) - b*math.Log(c.kPub) - c.popTerm - m.spill(c)
	}
}

// pubEff is the share of a county's public investment spending that becomes public capital:
// it rises with institutional quality (assumption; Pritchett 2000, docs/MODEL.md).
func (c *County) pubEff() float64 { return pubEffBase + c.IQ }

// grow accumulates capital and TFP and sets output. Prefecture cities first: their private
// investment (a fixed share of the core's GDP) and the public investment their budget
// (prefBudget, which also receives the land-transfer receipts on the quota they retain from
// counties) affords build their capital; then counties: approval-gated private
// investment and public investment build capital, TFP grows at the county's trend rate with
// convergence toward the province mean and shocks, and the prefecture's market pull acts on
// the level. Who administers the county does not enter output: what the prefecture pays a
// county it governs (aid, prefBudget) comes through the county's accounts. Output is Cobb-Douglas in private capital, public capital and residents.
func (m *Model) grow() {
	e := m.cfg.Economy
	a, b, l := m.tfpShares()
	dep := e.Depreciation / 12
	if m.month == -burnIn {
		m.initCapital()
	}
	for j := range m.Prefs {
		pf := &m.Prefs[j]
		var all, lost float64
		for _, ci := range pf.Counties {
			c := &m.Counties[ci]
			all += c.GDP
			if c.Step >= 3 {
				lost += c.GDP
			}
		}
		if all > 0 {
			pf.Lost = lost / all
		}
		pf.Kp = pf.Kp*(1-dep) + pf.PrivateInv
		pf.Kg = pf.Kg*(1-dep) + pf.PublicInv
		shock := e.ShockSD * prefShockScale * m.rng.NormFloat64()
		dA := l * (pf.baseG + shock) / 12
		pf.logA += dA
		pf.trend *= Exp(dA / l)
		gdp := Exp(pf.logA + a*math.Log(pf.Kp) + b*math.Log(pf.Kg) + pf.popTerm)
		pf.Growth = 12 * math.Log(gdp/pf.GDP)
		pf.GDP = gdp
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
	// The counties of a prefecture share its core's vigour: its log is computed once a
	// month for each value (memo, the same bits).
	var logVigour memo
	n := len(m.Counties)
	if cap(m.growArg) < 6*n {
		m.growArg = make([]float64, 6*n)
	}
	arg := m.growArg[:n]         // each county's log output, then its pay's growth
	spills := m.growArg[n : 2*n] // each county's market pull
	lg := m.growArg[2*n : 6*n]   // each county's GDP per resident, firms, capitals, then their logs
	for i := range m.Counties {
		c := &m.Counties[i]
		// The prefecture core's market pull on the county (markets, commuting, suppliers)
		// moves with how far the core's output stands from its own TFP trend (its capital,
		// which the prefecture's budget builds), whoever administers the county.
		v := m.vigour(c)
		lv, ok := logVigour.get(v)
		if !ok {
			lv = logVigour.put(v, math.Log(v))
		}
		spills[i] = m.spillAt(c, lv)
		c.kPriv = c.kPriv*(1-dep) + c.Investment + ungatedRate*c.GDP/12
		c.kPub = c.kPub*(1-dep) + c.PublicInv*c.pubEff()
		c.shockAR = shockPersist*c.shockAR + e.ShockSD*math.Sqrt(1-shockPersist*shockPersist)*m.rng.NormFloat64()
		q := lg[4*i : 4*i+4]
		q[0], q[1], q[2], q[3] = c.GDP/c.Pop, c.Firms, c.kPriv, c.kPub
	}
	// The logs, output, and pay following it, for all counties at once: no county's value
	// depends on another's here, and logs and exponentials taken together (logSlice,
	// expSlice) do not wait on one another (the same bits as county by county).
	logSlice(lg)
	for i := range m.Counties {
		c := &m.Counties[i]
		q := lg[4*i : 4*i+4]
		gTFP := c.gBase - e.Convergence*(q[0]-m.Provinces[c.Province].logMeanPC) + c.shockAR
		c.logA += l * gTFP / 12
		arg[i] = c.logA + spills[i] + firmTFP*q[1] + a*q[2] + b*q[3] + c.popTerm
	}
	expSlice(arg)
	ratio := lg[:n]
	for i := range m.Counties {
		c := &m.Counties[i]
		ratio[i] = arg[i] / c.GDP
		c.GDP = arg[i]
	}
	logSlice(ratio)
	for i := range m.Counties {
		c := &m.Counties[i]
		c.Growth = 12 * ratio[i]
		arg[i] = wageTrack * c.Growth / 12
	}
	expSlice(arg)
	for i := range m.Counties {
		m.Counties[i].wageRate *= arg[i]
	}
}

// spill is the prefecture core's market pull on county c, in log TFP: a market-access
// elasticity (economy.spillover) times the county's tie to the prefecture city times the log
// of the core's vigour (vigour; 0 at start). It does not depend on who administers the county
// or on the county's PMC step.
func (m *Model) spill(c *County) float64 {
	return m.spillAt(c, math.Log(m.vigour(c)))
}

// spillAt is spill given the log of the core's vigour.
func (m *Model) spillAt(c *County, logVigour float64) float64 {
	return m.cfg.Economy.Spillover * c.Tie * logVigour
}

// vigour is the output of county c's prefecture core over its own TFP trend, bounded.
func (m *Model) vigour(c *County) float64 {
	pf := &m.Prefs[c.Pref]
	return clamp(pf.GDP/pf.trend, vigourMin, vigourMax)
}

// memoBits sets the number of arguments a memo remembers, 1 << memoBits.
const memoBits = 6

// memo remembers the values of a pure function (Exp, math.Log) at the last arguments it was
// given, one in each slot, the slot chosen by the argument's bits, so that counties that
// share an argument (those of a prefecture, or under one supervisor) compute it once, in
// whatever order they come. A slot answers only for an argument with the very bits its value
// was computed from, so every value is the function's own, bit for bit; two arguments that
// share a slot only cost a recomputation. A memo serves one function; declare it where it is
// used (the zero memo is empty).
type memo struct {
	slot [1 << memoBits]struct {
		bits uint64 // math.Float64bits of the argument
		val  float64
		set  bool
	}
}

// memoSlot is the slot of an argument with bits b: its low bits folded with its high ones
// (the mantissa's last bits vary between computed values, the high ones between simple
// values such as -1 and -0.5).
func memoSlot(b uint64) uint64 { return (b ^ b>>32) & (1<<memoBits - 1) }

// get returns the value remembered for x, if its slot holds x.
func (mm *memo) get(x float64) (float64, bool) {
	b := math.Float64bits(x)
	s := &mm.slot[memoSlot(b)]
	return s.val, s.set && s.bits == b
}

// put remembers y as the value at x and returns it.
func (mm *memo) put(x, y float64) float64 {
	b := math.Float64bits(x)
	s := &mm.slot[memoSlot(b)]
	s.bits, s.val, s.set = b, y, true
	return y
}

// costIndex is the county's price and pay level relative to its opening one: the costs of
// operations, towns and services grow with it, as pay does.
func (c *County) costIndex() float64 { return c.wageRate / c.wage0 }
