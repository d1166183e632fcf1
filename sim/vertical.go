package sim

// signoffNeed is the share of requests of each class that need each department's sign-off
// (assumption from the 2005 catalogues: tax registration, market licensing, land review).
var signoffNeed = [NumClasses][NumDepts]float64{
	MarketEntry:     {DeptTax: 0.5, DeptMarket: 1.0},
	Investment:      {DeptMarket: 0.2, DeptLand: 0.6},
	LandUse:         {DeptLand: 1.0},
	OperatingPermit: {DeptMarket: 1.0},
}

// Vertical-department parameters (assumptions, docs/MODEL.md Submodels: vertical departments).
const (
	alignRate       = 1.0 / 12 // monthly adjustment of alignment toward its target
	effortGap       = 0.10     // extra collection effort of a fully unaligned tax branch
	prefLandRetain  = 0.15     // share of a county's land quota its prefecture keeps until step 3
	landQuotaSlack  = 1.25     // annual quota over the year's expected land requests
	landValue       = 4.0      // million yuan of land-transfer receipts (土地出让金) per retained quota unit
	inspectionShare = 0.3      // market branch capacity spent on inspections when unaligned
	pushbackFade    = 36.0     // months over which a prefecture's pushback decays by a factor e
)

// vertical updates each branch's alignment with its county, the tax branch's collection
// effort and the land branch's annual quota.
func (m *Model) vertical() {
	coord := m.cfg.Organisation.VerticalCoordination
	push := m.cfg.Prefecture.Pushback
	// The pushback decay depends only on the months since step 3, shared by a county's
	// branches and its cohort: exp is recomputed only when that count changes.
	lastSince, lastDecay := -1, 0.0
	for b := range m.Branches {
		br := &m.Branches[b]
		c := &m.Counties[br.County]
		target := coord + (1-coord)*br.align0
		if br.Superior == LevelPrefecture && c.Step >= 3 {
			// The prefecture's bureau serves a county that left it less willingly.
			// Its hostility fades as the new arrangement settles (half-life about 2 years).
			if since := m.month - c.step3Month; since != lastSince {
				lastSince, lastDecay = since, Exp(-float64(since)/pushbackFade)
			}
			target *= 1 - push*lastDecay
		}
		br.Alignment += (target - br.Alignment) * alignRate
		switch br.Dept {
		case DeptTax:
			br.Effort = 1 + effortGap*(1-br.Alignment)
		case DeptLand:
			// The annual quota is released month by month; unused quota carries over up
			// to half a year's worth.
			yearly := c.yearlyLandQuota()
			keep := 0.0
			if c.Step < 3 {
				keep = prefLandRetain
			}
			br.Quota = min(br.Quota+yearly*(1-keep)/12, yearly/2)
			br.Target = yearly * keep // retained by the prefecture, per year
		}
	}
}

// yearlyLandQuota is county c's annual land quota, in land-use requests: the year's expected
// land requests at its GDP times landQuotaSlack.
func (c *County) yearlyLandQuota() float64 {
	return 12 * c.GDP / 1000 * classRate[LandUse] * landQuotaSlack
}

// signoffCapacity is a branch's effective monthly sign-off capacity: the market branch spends
// part of it on inspections, the land branch stops when its quota is used up.
func (br *Branch) signoffCapacity() float64 {
	switch br.Dept {
	case DeptMarket:
		return br.desk.Capacity * (1 - inspectionShare*(1-br.Alignment))
	case DeptLand:
		if br.Quota <= 0 {
			return 0
		}
		return min(br.desk.Capacity, br.Quota)
	}
	return br.desk.Capacity
}
