package sim

// Fiscal parameters. Sources in docs/MODEL.md (Submodels: fiscal flows).
const (
	ownShare        = 0.55    // share of the county tax base that is the county's own revenue
	needPerCapita   = 0.0016  // standard spending need per resident per year (million yuan)
	productionPush  = 0.04    // growth-driven extra production spending, share of GDP
	livelihoodTilt  = 0.25    // bias reduction per unit of fidelity above the CMC level
	biasAutonomy    = 0.20    // bias increase per unit of autonomy
	biasRate        = 1.0 / 6 // monthly adjustment of spending bias
	deterrenceScale = 12      // deterrence per unit of monthly detection probability
	reserveMonths   = 0.5     // cash reserve kept, in months of mandatory spending
	reserveDraw     = 0.1     // monthly share of cash above (below) the reserve spent (rebuilt)
	// provTaxRatio is the province's share of the shared taxes collected in a county, per unit
	// of the county's own tax base (assumption, range 0.1-0.25: the provincial level's share of
	// VAT, business and income tax collected in counties).
	provTaxRatio = 0.15
	// settleMonths is the months over which the province settles the transfers in a
	// prefecture's pipeline when it takes over a county's finances (a fiscal year; assumption).
	settleMonths = SettleMonths

	// projQualityBase and projQualityPart: the realised share of public investment spending is
	// projQualityBase + projQualityPart x participation (assumption; model-brief section 3:
	// participation raises project quality).
	projQualityBase = 0.7
	projQualityPart = 0.25
	// biasFloor and biasCeil bound the production share of discretionary spending as it adapts
	// (the opening draw is bounded tighter, world.go; assumption).
	biasFloor = 0.15
	biasCeil  = 0.9
	// pushAutonomyBase: the growth push scales with pushAutonomyBase + Autonomy (assumption).
	pushAutonomyBase = 0.5
	// yellowRoom is the share of its borrowing room a county keeps under a yellow debt warning
	// (assumption: an early-warning consequence).
	yellowRoom = 0.5
	// misuseIQRef and misuseAutonomy: misuse scales with (misuseIQRef - IQ) x (1 +
	// misuseAutonomy x Autonomy): weaker institutions and more autonomy raise it (assumption).
	misuseIQRef    = 1.4
	misuseAutonomy = 0.5
	// hiddenFidelityRef: the readiness to borrow off budget scales with (hiddenFidelityRef -
	// Fidelity) (assumption). Autonomy does not enter it (v4): it already scales the push
	// that the off-budget borrowing finances.
	hiddenFidelityRef = 1.5
	// decisionDiscount is the loss of value of public investment per year of decision time:
	// PublicInv is multiplied by exp(-decisionDiscount x decisionDays / 365) (assumption).
	decisionDiscount = 0.5
	// deterAccBase and deterMax: deterrence = clamp(Detection x deterrenceScale x (deterAccBase +
	// accountability) + Fear, 0, deterMax); deterMax keeps some misuse possible (assumption).
	deterAccBase = 0.5
	deterMax     = 0.95
)

// SettleMonths is the transition after a county's step 1 during which the province pays out,
// evenly, the transfers the prefecture's pipeline held when the province took over the
// county's finances (a fiscal year; assumption). Figures label this period as a transition.
const SettleMonths = 12

// revenue collects each county's own and shared revenue; the prefecture takes its share of the
// shared part from counties whose finances it still manages.
func (m *Model) revenue() {
	shock := m.shock()
	take := m.cfg.Prefecture.RevenueTake
	remit := m.cfg.Province.Remittance
	for j := range m.Prefs {
		m.Prefs[j].Drawn = 0
		m.Prefs[j].Revenue = 0
	}
	for p := range m.Provinces {
		m.Provinces[p].Remitted = 0
		m.Provinces[p].ProvTax = 0
	}
	for i := range m.Counties {
		c := &m.Counties[i]
		effort := m.Branches[c.Branches[DeptTax]].Effort
		base := c.taxRate * c.GDP / 12 * effort * (1 - shock)
		// The province's share of the shared taxes collected in the county goes to its
		// account (it is not county revenue).
		c.provTax = provTaxRatio * base
		m.Provinces[c.Province].ProvTax += c.provTax
		c.Own = ownShare * base
		shared := (1 - ownShare) * base
		c.Shared = shared
		c.taken = 0
		if c.Step < 1 {
			t := take * shared
			c.taken = t
			c.Shared -= t
			pf := &m.Prefs[c.Pref]
			pf.Drawn += t
			pf.Revenue += t
		}
		// Revenue sharing upward (上解): a county whose own and shared revenue exceeds its
		// standard need remits a share of the excess to the province, which adds it to this
		// month's transfer pool. It is withheld at source, so it is not county spending.
		pr := &m.Provinces[c.Province]
		c.Remit = remit * max(0, c.Own+c.Shared-c.Pop*needPerCapita*pr.growth/12)
		pr.Remitted += c.Remit
	}
}

// shock is the share of revenue lost to the configured fiscal stress this month.
func (m *Model) shock() float64 {
	if m.month >= m.cfg.Finance.RevenueShockMonth {
		return m.cfg.Finance.RevenueShock
	}
	return 0
}

// transferShares computes each county's general and earmarked transfer this month from its
// province's pool: general by population and fiscal gap (weighted by the equalisation
// weight), earmarked by project capacity (GDP times institutional quality).
func (m *Model) transferShares() {
	w := m.cfg.Province.Equalisation
	ear := m.cfg.Province.EarmarkedShare
	for p := range m.Provinces {
		pr := &m.Provinces[p]
		var sumPop, sumGap, sumProj, gdp float64
		for _, ci := range pr.Counties {
			gdp += m.Counties[ci].GDP
		}
		growth := 1.0
		if pr.gdp0 > 0 {
			growth = gdp / pr.gdp0
		}
		pr.growth = growth
		// Supervision and approval staff beyond what the opening span and the economy's
		// growth need are paid out of the province's account (at its cost level, which grows
		// with its economy).
		pr.StaffCost = growth * (supUnitCost*max(0, pr.SupCap-pr.sup0) + deskUnitCost*max(0, pr.desk.Capacity/growth-pr.desk0))
		// The province's account: its tax share actually collected this month, central
		// transfers on their exogenous path, and remittances, less staff; the rest is the
		// transfer pool (spending = transfers + staff).
		// A revenue shock (stress test) cuts central transfers by the same share.
		pr.Central = pr.central0 * Exp(pr.centralG*float64(m.month+burnIn)/12) * (1 - m.shock())
		pr.Pool = pr.ProvTax + pr.Central + pr.Remitted - pr.StaffCost
		for _, ci := range pr.Counties {
			c := &m.Counties[ci]
			sumPop += c.Pop
			sumGap += c.gap(growth)
			sumProj += c.GDP * c.IQ
		}
		gen := pr.Pool * (1 - ear)
		em := pr.Pool * ear
		for _, ci := range pr.Counties {
			c := &m.Counties[ci]
			gapShare := c.Pop / sumPop
			if sumGap > 0 {
				gapShare = c.gap(growth) / sumGap
			}
			c.transferGeneral = gen * ((1-w)*c.Pop/sumPop + w*gapShare)
			c.transferEarmarked = em * c.GDP * c.IQ / sumProj
		}
		m.countyTransfers(pr) // counties' own transfer components, from data (world.go)
	}
}

// gap is a county's fiscal gap: standard need, which grows with the province's GDP,
// less revenue capacity (monthly, >= 0).
func (c *County) gap(growth float64) float64 {
	return max(0, c.Pop*needPerCapita*growth/12-(c.Own+c.Shared))
}

// transfer sends each county's transfers: directly from the province when the province manages
// its finances (PMC step >= 1), otherwise through the prefecture, which keeps a share and
// delays the rest.
func (m *Model) transfer() {
	m.transferShares()
	keep := m.cfg.Prefecture.KeepShare
	delay := m.cfg.Prefecture.DelayMonths
	for p := range m.Provinces {
		m.Provinces[p].Sent = 0
	}
	for i := range m.Counties {
		c := &m.Counties[i]
		amt := c.transferGeneral + c.transferEarmarked
		m.Provinces[c.Province].Sent += amt
		c.Kept = 0
		n := len(c.pipeline)
		if c.Step >= 1 {
			c.Transfers = amt
			c.delayMonths = 0
			// The prefecture's pipeline is settled once: what it held when the province
			// took over is paid out evenly over settleMonths, not on top of the first
			// direct payments.
			if c.settle == 0 && c.TransitAmt > 0 {
				c.settle = c.TransitAmt / settleMonths
				for k := range c.pipeline {
					c.pipeline[k] = 0
				}
			}
			pay := min(c.settle, c.TransitAmt)
			c.TransitAmt -= pay
			c.Transfers += pay
			continue
		}
		c.Kept = keep * amt
		pf := &m.Prefs[c.Pref]
		pf.Drawn += c.Kept
		pf.Revenue += c.Kept
		c.pipeline[(c.pipeHead+delay)%n] += amt - c.Kept
		c.TransitAmt += amt - c.Kept
		c.Transfers = 0
		c.delayMonths = float64(delay)
		// What reaches the county from the pipeline this month (sent earlier).
		got := c.pipeline[c.pipeHead]
		c.pipeline[c.pipeHead] = 0
		c.pipeHead = (c.pipeHead + 1) % n
		c.TransitAmt -= got
		c.Transfers += got
		// The share of the county's money under the prefecture's review this month: its
		// take, the transfers it kept and those it holds back (delay months' worth of the
		// monthly flow, as a share of a year's), over what the county's taxes and transfers
		// gross; smoothed over a year (set at once in the first burn-in month).
		gross := c.Own + c.Shared + c.taken + amt
		if gross > 0 {
			r := (c.taken + c.Kept + (amt-c.Kept)*float64(delay)/12) / gross
			if m.month == -burnIn {
				c.review = r
			} else {
				c.review += (r - c.review) * reviewRate
			}
		}
	}
}

// spend runs each county's budget for the month: needs by category, borrowing to cover a gap
// where the rules allow, the payment order (wages, operations, mandatory, then priorities when
// the priority rule is on; pro rata otherwise), misuse of discretionary funds, and hidden
// borrowing for production that the budget cannot fund.
func (m *Model) spend() {
	d := m.cfg.Debt
	acc := d.Accountability
	part, _ := m.decision()
	quality := projQualityBase + projQualityPart*part // of public projects: participation raises it
	for i := range m.Counties {
		c := &m.Counties[i]
		receipts := c.Own + c.Shared - c.Remit + c.Transfers + c.Aid + c.Land
		c.Revenue = receipts
		c.annualAvail += (12*receipts - c.annualAvail) / 12

		wages := (c.Staff*c.wageRate + c.Leaders*c.wageRate*leaderPremium) / 12
		wageNeed := wages + c.Arrears
		// Operating costs grow with the county's cost level (costIndex), as pay does, so the
		// unreformed budget keeps its structure as the economy grows.
		idx := c.costIndex()
		ops := ((c.Organs*organOpCost+c.Staff*staffOpCost)/12*(1+overlapCost*c.Overlap) + c.transition) * idx
		if m.cfg.Finance.CountyManagedTown {
			ops += cmtAdminCost * float64(c.Towns[1]-c.Towns[0]) * idx
		}
		ops += inspectCost * c.inspections * idx // after-the-fact market inspections
		towns := c.TownTransfers
		c.Interest = c.Explicit * d.InterestRate / 12
		c.Principal = c.Explicit * d.ResolutionRate / 12
		// Financing vehicles: the county pays their interest, at a premium that rises with
		// its total debt ratio; maturing vehicle debt rolls over unless that ratio is past
		// the rollover limit, when it must be repaid out of the budget (debt.go).
		total := (c.Explicit + c.Hidden) / c.annualAvail
		c.HiddenRate = min(hiddenRateMax, d.InterestRate+hiddenPremium+premiumSlope*max(0, total-premiumFrom))
		c.HiddenInt = c.Hidden * c.HiddenRate / 12
		c.Forced, c.RolloverFailed = 0, total > d.RolloverLimit
		if c.RolloverFailed {
			c.Forced = c.Hidden / hiddenMaturity
		}
		mandatory := wageNeed + ops + towns + c.Interest + c.Principal + c.HiddenInt + c.Forced

		// Spending bias: autonomy and growth competition tilt toward production; the
		// province's livelihood priority, passed on with fidelity, tilts back.
		target := c.bias0 + biasAutonomy*c.Autonomy - livelihoodTilt*(c.Fidelity-c.fid0)
		c.Bias += (clamp(target, biasFloor, biasCeil) - c.Bias) * biasRate

		// Funds for the month: receipts plus a tenth of cash above a reserve of half a month
		// of mandatory spending (or less, to rebuild it).
		available := receipts + reserveDraw*(c.Balance-reserveMonths*mandatory)
		disc := max(0, available-mandatory)
		// Growth competition wants production investment beyond what the budget funds.
		push := productionPush * c.GDP / 12 * c.Bias * (pushAutonomyBase + c.Autonomy)

		// Borrow for a mandatory shortfall and for the push, where the rules allow.
		shortfall := max(0, mandatory-available)
		c.Borrow = 0
		if m.mayBorrow(c) {
			room := max(0, d.BorrowLimit*c.annualAvail-c.Explicit)
			if c.Warning == Yellow {
				room *= yellowRoom
			}
			c.Borrow = min(shortfall+push, min(room, c.quotaLeft))
			c.quotaLeft -= c.Borrow
		}
		pushFunded := max(0, c.Borrow-shortfall)
		cash := c.Balance + receipts + c.Borrow

		// Pay.
		if m.cfg.Finance.PriorityRule {
			pay := min(cash, wageNeed)
			cash -= pay
			c.payWages(pay, wages)
			c.Ops = min(cash, ops)
			cash -= c.Ops
			rest := min(cash, towns+c.Interest+c.Principal+c.HiddenInt+c.Forced)
			cash -= rest
			c.payMandatory(c.mandatoryShare(rest, towns), towns)
			disc = min(cash, disc+pushFunded)
		} else {
			want := mandatory + disc + pushFunded
			f := 1.0
			if cash < want {
				f = cash / want
			}
			c.payWages(f*wageNeed, wages)
			c.Ops = f * ops
			c.payMandatory(c.mandatoryShare(f*(towns+c.Interest+c.Principal+c.HiddenInt+c.Forced), towns), towns)
			disc = f * (disc + pushFunded)
		}
		deter := c.deterrence(acc)
		misuse := m.cfg.Economy.MisuseBase * (misuseIQRef - c.IQ) * (1 + misuseAutonomy*c.Autonomy) * (1 - deter)
		c.Misused = misuse * disc
		disc -= c.Misused
		// The borrowed push goes to production; the rest splits by bias.
		pushPaid := min(disc, pushFunded)
		c.Production = pushPaid + c.Bias*(disc-pushPaid)
		c.Livelihood = disc - c.Production

		// The push the budget could not borrow for is financed off budget when officials dare.
		c.HiddenBorrow = 0
		if short := push - pushFunded; short > 0 {
			h := m.cfg.Economy.HiddenPropensity * (1 - deter) * (hiddenFidelityRef - c.Fidelity)
			c.HiddenBorrow = short * clamp(h, 0, 1)
		}
		// The decision-time discount changes only when decision days do (phase-in,
		// streamlining): exp is recomputed only then (and before its first use, when both are 0).
		if arg := -decisionDiscount * c.decisionDays / 365; arg != c.decisionArg || c.decisionExp == 0 {
			c.decisionArg, c.decisionExp = arg, Exp(arg)
		}
		c.PublicInv = (c.Production + c.HiddenBorrow) * quality * c.decisionExp

		out := c.Wages + c.ArrearsPaid + c.Ops + c.TownTransfers + c.Interest + c.Principal + c.HiddenInt + c.Forced + c.Misused + c.Production + c.Livelihood
		c.Balance += receipts + c.Borrow - out
		if out > 0 {
			c.selfSuff += ((c.Own+c.Shared)/out - c.selfSuff) / 12
		}
		c.flowIn, c.flowOut = receipts+c.Borrow, out
	}
}

// payWages pays this month's wages first, then old arrears, out of pay; the unpaid rest of
// this month's wage bill becomes arrears.
func (c *County) payWages(pay, wages float64) {
	c.Wages = min(pay, wages)
	c.ArrearsPaid = min(pay-c.Wages, c.Arrears)
	c.Arrears += wages - c.Wages - c.ArrearsPaid
}

// mandatoryShare is the share of the mandatory payments (town transfers, interest, principal,
// vehicle interest and forced vehicle repayment) that a payment pay covers, 1 when none are
// due.
func (c *County) mandatoryShare(pay, towns float64) float64 {
	need := towns + c.Interest + c.Principal + c.HiddenInt + c.Forced
	f := 1.0
	if need > 0 {
		f = pay / need
	}
	return f
}

// payMandatory pays share f (mandatoryShare) of each mandatory payment: what the towns do not
// receive is cut from their transfers; unpaid explicit interest is added to explicit debt,
// unpaid vehicle interest to vehicle debt (debt.go), and unpaid principal simply stays owed
// (arrears to creditors). The share and the payment are two functions small enough for the
// compiler to inline into spend.
func (c *County) payMandatory(f, towns float64) {
	unpaidInterest := (1 - f) * c.Interest
	c.TownTransfers = f * towns
	c.Interest *= f
	c.Principal *= f
	c.hiddenUnpaid = (1 - f) * c.HiddenInt
	c.HiddenInt *= f
	c.Forced *= f
	c.unpaidInterest = unpaidInterest
	c.Explicit += unpaidInterest
}

// deterrence is how far detection and punishment deter misuse and hidden borrowing.
func (c *County) deterrence(accountability float64) float64 {
	return clamp(c.Detection*deterrenceScale*(deterAccBase+accountability)+c.Fear, 0, deterMax)
}

// mayBorrow applies the debt rules to new explicit borrowing.
func (m *Model) mayBorrow(c *County) bool {
	d := &m.cfg.Debt
	if d.StopNewDebt {
		return false
	}
	if d.RedStopsBorrowing && c.Warning == Red {
		return false
	}
	return true
}
