package sim

import "math"

// Approval parameters. Sources and calibration in docs/MODEL.md (Submodels: approvals); the
// opening values are set so that a baseline county's enterprise investment approval takes
// about 100-130 days and market entry about 25-35 calendar days, the 2018 starting points of
// the Zhejiang reports.
var (
	// classRate: requests per month per billion yuan of county GDP.
	classRate = [NumClasses]float64{25, 2.5, 1.2, 15}
	// itemsPerRequest: approval items a request needs before reform.
	itemsPerRequest = [NumClasses]float64{3, 16, 6, 3}
	// itemDays: processing days per item at each level.
	itemDays = [NumLevels]float64{2, 2.5, 4, 5}
	// waitScale: queueing days at utilisation 1/2 at each level.
	waitScale = [NumLevels]float64{2, 3, 5, 6}
	// statutoryDays: statutory time limit per class, calendar days.
	statutoryDays = [NumClasses]float64{28, 90, 120, 30}
)

const (
	targetLoad     = 0.7     // utilisation desks are staffed for
	capacityAdapt  = 1.0 / 6 // monthly adjustment of desk capacity toward the staffed load
	provinceAdapt  = 1.0 / 12
	preReview      = 0.3  // share of its own time a lower level spends before forwarding
	transitDays    = 7.0  // days per hop on paper
	signDays       = 3.0  // days for a department sign-off
	branchWait     = 2.0  // queueing scale of a branch desk
	conflictBase   = 0.15 // chance of a county-department conflict at zero alignment
	reworkDays     = 25.0 // days a conflict adds
	oneStopMerge   = 0.7  // share of sequential items one-stop service runs in parallel
	oneStopSignoff = 0.6  // share of sign-off time one-stop service overlaps with processing
	egovProcess    = 0.35 // processing time cut by full e-government
	egovTransit    = 0.8  // transit time cut by full e-government
	majorShare     = 0.3  // share of investment and land requests that are major decisions
	decisionBase   = 20.0 // days for a major decision with no participation
	participationX = 1.5  // extra decision time per unit of participation
	abandonGrace   = 30.0 // days before investors start to abandon
	investTimeCost = 0.3  // annual value lost per year of waiting
	townStaffRate  = 1.5  // requests a town staff member can decide per month
	cmtTownSlow    = 1.2  // town processing slow-down when the county manages town finance
	personnelCap   = 0.15 // extra county desk capacity with full personnel authority
	// Desk staffing against fiscal self-sufficiency s: clamp(fundingBase + fundingSlope*s,
	// fundingMin, fundingMax); 1 at the 2024 national mean s = 0.38 (assumption).
	fundingBase  = 0.7
	fundingSlope = 0.8
	fundingMin   = 0.75
	fundingMax   = 1.15
)

// Desk waits (serve, adapt) and the shape of approval times (docs/MODEL.md 7.5).
const (
	// maxUtilisation caps a desk's utilisation in the queueing wait, which grows without
	// bound as utilisation nears 1 (numerical guard; the backlog term takes over beyond it).
	maxUtilisation = 0.95
	// backlogFloor is the share of a desk's staffed capacity below which its capacity does not
	// shrink the divisor of the backlog wait (numerical guard against a desk with no capacity
	// this month).
	backlogFloor = 0.05
	// daysPerMonth converts a backlog, in months of service, to days (convention).
	daysPerMonth = 30.0
	// minDeskCapacity is the capacity a staffed desk keeps at least, requests per month
	// (assumption: one clerk's share of a request; range 0.5-2, it binds only for idle desks).
	minDeskCapacity = 1.0
	// fixedTimeShare is the fixed part of an approval time as a share of its mean days; the
	// rest is exponential (assumption, range 0.4-0.8: most of the time is set by the steps,
	// the rest by queueing and chance).
	fixedTimeShare = 0.6
	// landProjectShare is the share of investment projects that also need land approval
	// (assumption, range 0.3-0.7).
	landProjectShare = 0.5
)

// serve runs one month of a desk with the given effective capacity and sets its wait.
func (q *queue) serve(capacity, scale float64) {
	total := q.Backlog + q.Arrivals
	served := min(total, capacity)
	q.Served = served
	q.Backlog = total - served
	rho := maxUtilisation
	if capacity > 0 {
		rho = min(q.Arrivals/capacity, maxUtilisation)
	}
	floor := max(capacity, backlogFloor*q.Capacity)
	if floor <= 0 {
		floor = minDeskCapacity
	}
	q.Wait = scale*rho/(1-rho) + daysPerMonth*q.Backlog/floor
}

// adapt moves staffed capacity toward the load the desk is staffed for.
func (q *queue) adapt(rate, mult float64) {
	want := q.Arrivals / targetLoad * mult
	if want < minDeskCapacity {
		want = minDeskCapacity
	}
	q.Capacity += (want - q.Capacity) * rate
}

// loadDesks routes this month's requests to the desks that handle them.
func (m *Model) loadDesks() {
	for j := range m.Prefs {
		m.Prefs[j].desk.Arrivals = 0
	}
	for p := range m.Provinces {
		m.Provinces[p].desk.Arrivals = 0
	}
	for i := range m.Counties {
		c := &m.Counties[i]
		pf := &m.Prefs[c.Pref]
		pr := &m.Provinces[c.Province]
		var town, county, pref, prov float64
		// Sign-off requests per department, the three written out by hand (see the check
		// below loadDesks) so that the sums stay in registers.
		var tax, market, land float64
		for k := 0; k < NumClasses; k++ {
			a := c.GDP / 1000 * classRate[k]
			c.apps[k] = a
			f := &c.Auth[k]
			town += a * f[LevelTown]
			up := f[LevelPrefecture] + f[LevelProvince]
			county += a * (f[LevelCounty] + preReview*up)
			if c.Step < 3 {
				pref += a * (f[LevelPrefecture] + preReview*f[LevelProvince])
			}
			prov += a * f[LevelProvince]
			need := &signoffNeed[k]
			tax += a * need[DeptTax]
			market += a * need[DeptMarket]
			land += a * need[DeptLand]
		}
		c.townDesk.Arrivals = town
		c.desk.Arrivals = county
		pf.desk.Arrivals += pref
		pr.desk.Arrivals += prov
		market += c.inspections
		m.Branches[c.Branches[DeptTax]].desk.Arrivals = tax
		m.Branches[c.Branches[DeptMarket]].desk.Arrivals = market
		m.Branches[c.Branches[DeptLand]].desk.Arrivals = land
	}
}

// loadDesks and approve write out the three departments, and approve the four levels, by
// hand: these lines stop compiling if NumDepts or NumLevels changes.
var (
	_ = [1]struct{}{}[NumDepts-3]
	_ = [1]struct{}{}[NumLevels-4]
)

// approve runs the approval system for one month: loads, service, waits, then each county's
// days per class, share within the statutory limit, 90th percentile, hops, abandonment and
// realised private investment.
func (m *Model) approve() {
	m.loadDesks()
	pers := 0.0
	if m.month >= m.cfg.Devolution.Start {
		pers = m.cfg.Devolution.Personnel
	}
	for j := range m.Prefs {
		q := &m.Prefs[j].desk
		q.serve(q.Capacity, waitScale[LevelPrefecture])
		q.adapt(capacityAdapt, m.cfg.Prefecture.Capacity)
	}
	for p := range m.Provinces {
		pr := &m.Provinces[p]
		q := &pr.desk
		q.serve(q.Capacity, waitScale[LevelProvince])
		// The province's desk is staffed for its opening load grown with the economy; it
		// hires a staff_response share of any load beyond that (a wider span routes more
		// requests to it), at a cost paid out of its pool (transferShares).
		base := pr.desk0 * pr.growth
		want := max(base+m.cfg.Province.StaffResponse*(q.Arrivals/targetLoad-base), minDeskCapacity)
		q.Capacity += (want - q.Capacity) * provinceAdapt
	}
	for b := range m.Branches {
		br := &m.Branches[b]
		br.desk.serve(br.signoffCapacity(), branchWait)
		if br.Dept == DeptLand {
			br.Quota -= br.desk.Served * signoffNeed[LandUse][DeptLand] / max(br.desk.Arrivals, 1e-9) * m.Counties[br.County].apps[LandUse]
			if br.Quota < 0 {
				br.Quota = 0
			}
		}
		mult := 1.0
		if br.Dept == DeptMarket {
			// Staffing covers the inspections the market branch must also do.
			mult = 1 / (1 - inspectionShare*(1-br.Alignment))
		}
		br.desk.adapt(capacityAdapt, mult)
	}

	a := m.cfg.Approval
	// Cuts in force this month, per class: the general cuts and the class's own, each
	// phased in linearly at its pace from approval.start.
	gen := phase(m.month, a.Start, a.PhaseYears)
	oneStop := gen * a.OneStop
	var itemLeft, stepLeft [NumClasses]float64
	for k, cc := range a.classCuts() {
		own := phase(m.month, a.Start, cc.PhaseYears)
		itemLeft[k] = (1 - gen*a.ItemCut) * (1 - own*cc.ItemCut)
		stepLeft[k] = (1 - gen*a.StepCut) * (1 - own*cc.StepCut)
	}
	// A share exPost of operating-permit control moves to after-the-fact inspection: the
	// requests still arrive and are routed as before, but each needs that share fewer of its
	// permits (items); at least one item's processing is kept (kSeq below). The market branch
	// inspects exPost * requests * (1 - exPostShrink) of them (inspections, below).
	m.exPost = phase(m.month, a.Start, a.OperatingPermit.PhaseYears) * a.ExPost
	itemLeft[OperatingPermit] *= 1 - m.exPost
	part, egov := m.decision()
	egovF := 1 - egovProcess*egov
	transit := transitDays * (1 - egovTransit*egov)

	slow := 1.0
	if m.cfg.Finance.CountyManagedTown {
		slow = cmtTownSlow
	}
	// Processing days per class and level are the same for every county but for the
	// county's overlap: computed once a month (the same operations, so the same bits).
	var procT, baseC, procP, procV [NumClasses]float64
	for k := 0; k < NumClasses; k++ {
		kSeq := 1 + (itemsPerRequest[k]*itemLeft[k]-1)*(1-oneStopMerge*oneStop)
		if kSeq < 1 {
			kSeq = 1
		}
		base := kSeq * stepLeft[k] * egovF
		procT[k] = base * itemDays[LevelTown] * slow
		baseC[k] = base * itemDays[LevelCounty]
		procP[k] = base * itemDays[LevelPrefecture]
		procV[k] = base * itemDays[LevelProvince]
	}
	signBase := signDays * egovF
	signoffLeft := 1 - oneStopSignoff*oneStop
	decisionBaseDays := decisionBase * (1 + participationX*part) * egovF
	// The time mixture serves only two outputs (within-limit share, 90th percentile).
	mixture := !m.skipWithin || !m.skipP90
	if cap(m.approveEx) < 4*len(m.Counties) {
		m.approveEx = make([]float64, 4*len(m.Counties))
	}
	ex := m.approveEx[:4*len(m.Counties)] // each county's four response exponents, then values
	// The counties' mixture components, one after another (county i's from mixAt[i]), with
	// the exponents of their within-limit shares and of the first step of their 90th
	// percentiles: their exponentials are computed for all counties at once, after this loop
	// (they do not wait on one another; the same bits as one by one).
	if mixture && cap(m.mixComp) < NumClasses*NumLevels*len(m.Counties) {
		n := NumClasses * NumLevels * len(m.Counties)
		m.mixComp, m.mixWithin, m.mixP90, m.mixF = make([]component, n), make([]float64, n), make([]float64, n), make([]float64, n)
		m.mixAt, m.mixX, m.mixHi = make([]int, len(m.Counties)+1), make([]float64, len(m.Counties)), make([]float64, len(m.Counties))
		m.mixEnd = make([]int, NumClasses*len(m.Counties))
	}
	at := 0

	for i := range m.Counties {
		c := &m.Counties[i]
		// A county staffs its desks, and those of the towns it delegates to, as far as its
		// own revenue allows: fiscally weak counties run them closer to capacity (authority
		// without resources). Town desks start from their towns' staff when delegation
		// begins (delegate) and are then staffed like the county's.
		funding := clamp(fundingBase+fundingSlope*c.selfSuff, fundingMin, fundingMax)
		c.townDesk.serve(c.townDesk.Capacity, waitScale[LevelTown])
		if c.townShare > 0 {
			c.townDesk.adapt(capacityAdapt, funding)
		}
		c.desk.serve(c.desk.Capacity*(1-transitionDrag*c.Merging), waitScale[LevelCounty])
		c.desk.adapt(capacityAdapt, (1+personnelCap*pers)*funding)

		wT, wC := c.townDesk.Wait, c.desk.Wait
		wP := m.Prefs[c.Pref].desk.Wait
		wV := m.Provinces[c.Province].desk.Wait
		overlap := 1 + overlapDelay*c.Overlap
		c.decisionDays = decisionBaseDays * overlap

		// Sign-off waits of the three departments, written out by hand (see loadDesks).
		sTax := m.Branches[c.Branches[DeptTax]].signWait(signBase)
		sMarket := m.Branches[c.Branches[DeptMarket]].signWait(signBase)
		sLand := m.Branches[c.Branches[DeptLand]].signWait(signBase)
		var classEnd [NumClasses]int // comp[classEnd[k-1]:classEnd[k]] are class k's levels
		nc := 0
		total := 0.0
		var comp []component
		var compF, cx []float64
		hi := 0.0 // the 90th percentile's bracket top (p90Start), over the parts as they come
		if mixture {
			m.mixAt[i] = at
			comp = m.mixComp[at : at+NumClasses*NumLevels]
			compF = m.mixF[at : at+NumClasses*NumLevels]
			cx = m.mixWithin[at : at+NumClasses*NumLevels]
		}
		for k := 0; k < NumClasses; k++ {
			procC := baseC[k] * overlap
			pre := preReview*(procC+wC) + transit
			// Days at each level, in registers (the four levels written out by hand).
			dTown := procT[k] + wT
			dCounty := procC + wC
			dPref := pre + procP[k] + wP
			var dProv, hopsV float64
			if c.Step < 3 {
				dProv, hopsV = pre+preReview*(procP[k]+wP)+transit+procV[k]+wV, 2
			} else {
				dProv, hopsV = pre+procV[k]+wV, 1
			}
			need := &signoffNeed[k]
			extra := 0.0
			extra += need[DeptTax] * sTax
			extra += need[DeptMarket] * sMarket
			extra += need[DeptLand] * sLand
			extra *= signoffLeft
			if k == Investment || k == LandUse {
				extra += majorShare * c.decisionDays
			}
			f := &c.Auth[k]
			mean := 0.0
			if !mixture {
				// The mean alone, level by level (the same operations as the loop below).
				mean = addShare(mean, f[LevelTown], dTown+extra)
				mean = addShare(mean, f[LevelCounty], dCounty+extra)
				mean = addShare(mean, f[LevelPrefecture], dPref+extra)
				mean = addShare(mean, f[LevelProvince], dProv+extra)
			} else {
				// Each part, the exponent of its share within the statutory limit, and the
				// bracket top, in one pass (the same operations as one loop for each).
				days := [NumLevels]float64{dTown, dCounty, dPref, dProv}
				limit := statutoryDays[k]
				for l := 0; l < NumLevels; l++ {
					if f[l] <= 0 {
						continue
					}
					d := days[l] + extra
					mean += f[l] * d
					p := component{w: f[l] * c.apps[k], det: fixedTimeShare * d, r: (1 - fixedTimeShare) * d}
					comp[nc] = p
					compF[nc] = f[l]
					cx[nc] = p.cdfArg(limit)
					hi = p90Top(hi, p)
					total += p.w
					nc++
				}
			}
			classEnd[k] = nc
			c.appDays[k] = mean
			c.appHops[k] = f[LevelPrefecture] + hopsV*f[LevelProvince]
		}
		if mixture {
			// Element by element, not copy: copy's 16-byte loads cannot be forwarded from the
			// loop's 8-byte stores just made, and wait for them to reach the cache.
			e := m.mixEnd[NumClasses*i : NumClasses*(i+1)]
			for k := range e {
				e[k] = classEnd[k]
			}
			// The exponents of the 90th percentile's first step, and the parts' weights as
			// shares, in one pass.
			if !m.skipP90 {
				x := p90First(c.appP90, hi)
				m.mixX[i], m.mixHi[i] = x, hi
				ex := m.mixP90[at : at+nc]
				for j := range ex {
					p := &comp[j]
					p.w /= total
					ex[j] = p90Arg(p, x)
				}
			}
			at += nc
		}

		// Investors wait for investment and, for a share of the projects, land approval.
		// The four responses to the waits (abandonment, business climate, the cost of
		// waiting, firm entry) follow for all counties at once, below.
		wait := c.appDays[Investment] + landProjectShare*c.appDays[LandUse]
		gate := c.appDays[MarketEntry] + permitWeight*c.appDays[OperatingPermit]*(1-m.exPost)
		q := ex[4*i : 4*i+4]
		q[0], q[1] = -max(0, wait-abandonGrace)/a.Patience, -climateSens*(wait-climateRefDays)
		q[2], q[3] = -investTimeCost*wait/365, -entrySens*(gate-entryRefDays)
	}
	if mixture {
		m.mixAt[len(m.Counties)] = at
		m.mixtures(at)
	}
	// Their exponentials together (expSlice: the same bits as one by one): no county's
	// responses depend on another's, and the exponentials do not wait on one another.
	expSlice(ex)
	for i := range m.Counties {
		c := &m.Counties[i]
		q := ex[4*i : 4*i+4]
		abandon := 1 - q[0]
		c.Abandoned = c.apps[Investment] * abandon
		// Investors learn the business climate slowly: demand drifts toward a level that
		// falls with the time approvals take.
		climate := q[1]
		if m.month == -burnIn {
			c.climate = climate
		}
		c.climate += (climate - c.climate) * climateAdapt
		// Approved projects are built over the following years: realised investment follows
		// the approval-gated flow with a lag (exponential, investLag months).
		// Extra tax effort by an unaligned tax branch lowers the after-tax return and so demand.
		effort := m.Branches[c.Branches[DeptTax]].Effort
		flow := privateInvestRate * c.climate * c.GDP / 12 * (1 - abandon) * q[2] * max(0, 1-taxWedge*(effort-1))
		if m.month == -burnIn {
			c.Investment = flow
		}
		c.Investment += (flow - c.Investment) / investLag

		// Firms: entry is gated by the time to start a business and obtain operating
		// permits; the stock of firms raises TFP (grow). After-the-fact control costs the
		// market branch inspections; violations it misses cause disputes (townFinance).
		entry := firmEntry * q[3]
		if m.month == -burnIn {
			c.entry0, c.Firms = entry, 1
		}
		c.Firms += (entry/c.entry0 - c.Firms) * firmExit
		c.inspections = m.exPost * c.apps[OperatingPermit] * (1 - exPostShrink)
	}
}

// mixtures finishes the counties' approval-time mixtures (approve): the exponentials of all
// counties' n parts at once, then each county's share within the statutory limit per class
// and its 90th percentile.
func (m *Model) mixtures(n int) {
	if !m.skipWithin {
		expSlice(m.mixWithin[:n])
	}
	if !m.skipP90 {
		expSlice(m.mixP90[:n])
	}
	for i := range m.Counties {
		c := &m.Counties[i]
		comp := m.mixComp[m.mixAt[i]:m.mixAt[i+1]]
		if m.skipWithin {
			c.appWithin = [NumClasses]float64{}
		} else {
			// Each class's parts in order (its levels with f > 0), weighted by their shares f.
			cx := m.mixWithin[m.mixAt[i]:m.mixAt[i+1]]
			fs := m.mixF[m.mixAt[i]:m.mixAt[i+1]]
			end := m.mixEnd[NumClasses*i : NumClasses*(i+1)]
			j := 0
			for k := 0; k < NumClasses; k++ {
				within := 0.0
				for ; j < end[k]; j++ {
					within += fs[j] * (1 - cx[j]) // cx[j] = Exp(cdfArg(statutoryDays[k])): the part's cdf
				}
				c.appWithin[k] = within
			}
		}
		if !m.skipP90 {
			c.appP90 = quantile90From(comp, m.mixX[i], m.mixHi[i], m.mixP90[m.mixAt[i]:m.mixAt[i+1]])
		}
	}
}

// addShare adds to mean a level's share f of a class's requests taking d days; a level that
// decides none of them (f <= 0) adds nothing.
func addShare(mean, f, d float64) float64 {
	if f <= 0 {
		return mean
	}
	return mean + f*d
}

// signWait is the days a sign-off at branch br takes: signBase, the wait at its desk and the
// expected rework of a conflict with the county.
func (br *Branch) signWait(signBase float64) float64 {
	return signBase + br.desk.Wait + conflictBase*(1-br.Alignment)*reworkDays
}

// phase is the share of a reform in force at month: 0 before start, rising linearly to 1 over
// years (at once when years is 0).
func phase(month, start int, years float64) float64 {
	if month < start {
		return 0
	}
	if years <= 0 {
		return 1
	}
	return min(1, float64(month-start+1)/(12*years))
}

// classCuts lists the per-class cuts in class order.
func (a *Approval) classCuts() [NumClasses]ClassCut {
	return [NumClasses]ClassCut{a.MarketEntry, a.Investment, a.LandUse, a.OperatingPermit}
}

// Firm entry (assumptions, docs/MODEL.md Submodels: firms). The firm stock (relative to its
// opening level) moves toward entry over exit: entry falls with the days to start a business
// and (weighted) to obtain operating permits, exp(-entrySens x (days - entryRefDays)).
const (
	firmEntry    = 1.0
	entrySens    = 0.01 // per day (assumption, range 0.005-0.02)
	entryRefDays = 40.0
	permitWeight = 0.5       // weight of operating-permit days in the entry gate
	firmExit     = 1.0 / 120 // monthly exit rate (firms last about ten years)
	// firmTFP is the elasticity of TFP to the firm stock (competition and variety;
	// assumption, range 0.02-0.1).
	firmTFP = 0.05
	// exPostShrink is the share of operating-permit requests that need no inspection once
	// control is after the fact (random inspection of a sample; assumption).
	exPostShrink = 0.5
	// exPostRisk is disputes per uninspected after-the-fact request at full market-branch
	// alignment (assumption).
	exPostRisk = 0.02
	// inspectCost is the county's cost of one inspection, million yuan at opening prices
	// (assumption).
	inspectCost = 0.002
)

// privateInvestRate is approval-gated private investment demand as a share of GDP
// (assumption; county fixed-asset investment ran at 40-60% of GDP in 2005-2015, about half
// of it private and project-approved).
const privateInvestRate = 0.3

// ungatedRate is private investment that needs no project approval (housing, continuing and
// small projects), a share of GDP (assumption, range 0.10-0.25).
const ungatedRate = 0.15

// Business-climate response of investment demand (assumption; docs/MODEL.md): demand is
// exp(-climateSens x (days - climateRefDays)) times privateInvestRate in the long run, and
// moves a climateAdapt share of the way there each month (a three-year lag).
const (
	climateSens    = 0.002
	climateRefDays = 160.0
	climateAdapt   = 1.0 / 36
	// investLag is the mean delay, in months, between approval and realised investment
	// (construction periods of two years or so; assumption).
	investLag = 24.0
)

// component is one part of a county's approval-time mixture: weight w, a fixed part det and
// an exponential part with mean r.
type component struct{ w, det, r float64 }

// cdf is the share of the part's requests decided within x days, 1 - Exp(cdfArg(x)).
func (c component) cdf(x float64) float64 {
	return 1 - Exp(c.cdfArg(x))
}

// cdfArg is the argument a of cdf(x) = 1 - Exp(a) (docs/MODEL.md 7.5: F(x) = 0 for x < det,
// 1 - exp(-(x - det)/r) otherwise): -(x - det)/r, which is 0 at x = det, and 0 before it (Exp(0)
// = 1). A part with no exponential time (r <= 0) is all decided at det: -Inf from det on
// (Exp(-Inf) = 0).
func (c component) cdfArg(x float64) float64 {
	if !(x <= c.det || c.r <= 0) { // NaN included
		return -(x - c.det) / c.r
	}
	if c.r <= 0 && x >= c.det {
		return math.Inf(-1)
	}
	return 0
}

// newtonStop ends the quantile iteration once a Newton step is shorter than this many days:
// from last month's value one step usually suffices, and Newton's quadratic convergence puts
// the result within hundredths of a day of the root.
const newtonStop = 1.0

// The 90th percentile's bracket and iteration (numerical choices, not model parameters).
const (
	// p90Tail is the survival at the 90th percentile.
	p90Tail = 0.1
	// bracketMeans puts the bracket's top at det + bracketMeans*r of the slowest part, where
	// every part's survival is below exp(-3) < 0.05 < p90Tail.
	bracketMeans = 3
	// maxNewtonIter bounds the iteration (it ends after a few steps from a warm start).
	maxNewtonIter = 30
)

// The 90th percentile solves S(x) = p90Tail for the mixture's survival function by safeguarded
// Newton iteration from a warm start (last month's value), over a county's parts (at most
// NumClasses*NumLevels). approve runs it for all counties together: p90Start and p90Args for
// each, one expSlice over all counties' first steps, then quantile90From for each
// (quantile90 in the tests chains them for one county).

// p90Start returns the iteration's bracket top and first point: start, or the middle of the
// bracket when start is outside it.
func p90Start(cs []component, start float64) (x, hi float64) {
	for _, c := range cs {
		hi = p90Top(hi, c)
	}
	return p90First(start, hi), hi
}

// p90Top is the bracket top hi taken up to part c's det + bracketMeans*r where that is
// higher (survival of every part is below 0.05 there).
func p90Top(hi float64, c component) float64 {
	if v := c.det + bracketMeans*c.r; v > hi {
		return v
	}
	return hi
}

// p90First is the iteration's first point in the bracket (0, hi): start, or the middle of the
// bracket when start is outside it.
func p90First(start, hi float64) float64 {
	if start <= 0 || start >= hi {
		return hi / 2
	}
	return start
}

// p90Args writes the exponents of the parts' survival at x to ex (p90Arg).
func p90Args(cs []component, x float64, ex []float64) {
	for j := range cs {
		ex[j] = p90Arg(&cs[j], x)
	}
}

// p90Arg is the exponent of part c's survival at x: 0 for a part x has not reached, as the
// sums of quantile90From test it, NaN included.
func p90Arg(c *component, x float64) float64 {
	if x < c.det {
		return 0
	}
	return -(x - c.det) / c.r
}

// quantile90From runs the 90th percentile's iteration from x in the bracket (0, hi), given the
// exponentials of its first step's exponents (p90Args) in ex0.
func quantile90From(cs []component, x, hi float64, ex0 []float64) float64 {
	lo := 0.0
	var buf [NumClasses * NumLevels]float64
	ex := ex0
	for it := 0; it < maxNewtonIter; it++ {
		if it > 0 {
			// The parts' exponentials together (expSlice: the same bits as one by one).
			ex = buf[:len(cs)]
			p90Args(cs, x, ex)
			expSlice(ex)
		}
		s, ds := 0.0, 0.0
		for j, c := range cs {
			if x < c.det {
				s += c.w
				continue
			}
			e := c.w * ex[j]
			s += e
			ds -= e / c.r
		}
		g := s - p90Tail
		if g > 0 {
			lo = x
		} else {
			hi = x
		}
		next := x - g/ds
		if ds == 0 || next <= lo || next >= hi {
			next = (lo + hi) / 2
		}
		if math.Abs(next-x) < newtonStop {
			return next
		}
		x = next
	}
	return x
}
