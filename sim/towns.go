package sim

import "fmt"

// Town parameters (assumptions unless docs/MODEL.md names a source).
const (
	townOps         = 0.025 // million yuan per month of operations of a town with townOrgans organs
	townRevenueRate = 0.004 // town's own fees and taxes, share of its part of county GDP
	mandateRate     = 2e-6  // million yuan per resident per month of work asked of towns
	pushDownShare   = 0.4   // share of mandates that are county duties pushed down
	townMisuse      = 0.06  // misuse rate of town discretionary funds with no monitoring
	cmtMisuseFactor = 0.25  // misuse left when the county manages town finance
	villageFund     = 0.01  // million yuan per village per month passing through towns
	villageLeak     = 0.15  // share of village funds lost without town-managed finance
	villageLeakTMV  = 0.05  // with town-managed village finance
	townRate        = 0.07  // annual interest on town debt
	// villageBorrow is new village debt per village per month at opening prices with no
	// accountability (unpaid works bills and loans; assumption, range 0-0.002).
	villageBorrow = 0.0005
	// villageDebtMean is the opening village debt per village (assumption; surveys of the
	// 2000s put it at some 100,000-300,000 yuan in central provinces, much of it old).
	villageDebtMean  = 0.08
	serviceAdjust    = 1.0 / 6 // monthly adjustment of town service level
	serviceAdjustCMT = 1.0 / 12
	disputeRate      = 0.5 // disputes per 10,000 residents per month at service level 0.5
)

// warning classifies a debt ratio against the yellow and red thresholds.
func warning(ratio, yellow, red float64) int {
	switch {
	case ratio >= red:
		return Red
	case ratio >= yellow:
		return Yellow
	}
	return Green
}

// warningOf classifies debt against a year's base (debt ratio debt/base) without dividing; a
// base of zero or less with positive debt is red.
func warningOf(debt, base, yellow, red float64) int {
	switch {
	case debt >= red*base:
		return Red
	case debt >= yellow*base:
		return Yellow
	}
	return Green
}

// townSums caches, per county, the sums over its towns that the county's monthly obligation
// needs: wage units (staff plus leadership premium), fixed costs (operations and village
// funds), residents and staff. Towns' staffing is fixed after the world is built, so this runs
// once and townNeeds stays a loop over counties.
func (m *Model) townSums() {
	for i := range m.Counties {
		c := &m.Counties[i]
		c.townWageUnits, c.townFixed, c.townPop, c.townStaff = 0, 0, 0, 0
		for t := c.Towns[0]; t < c.Towns[1]; t++ {
			tw := &m.Towns[t]
			c.townWageUnits += tw.Staff + tw.Leaders*leaderPremium
			c.townFixed += tw.fixedCost()
			c.townPop += tw.Pop
			c.townStaff += tw.Staff + tw.Leaders
		}
	}
}

// fixedCost is a town's monthly operations and the village funds passing through it.
func (tw *Town) fixedCost() float64 {
	return townOps*tw.Organs/townOrgans + villageFund*float64(tw.Villages)
}

// mandate is the work asked of towns per resident this month (less with no push-down).
func (m *Model) mandate() float64 {
	if m.cfg.Organisation.NoPushDown {
		return mandateRate * (1 - pushDownShare)
	}
	return mandateRate
}

// townNeeds sets what each county owes its towns this month: their basic budget (staff,
// leaders, operations, village funds) and the funded part of the work asked of them.
func (m *Model) townNeeds() {
	funded := m.cfg.Organisation.MandateFundedShare * m.mandate()
	for i := range m.Counties {
		c := &m.Counties[i]
		c.townOwed = c.townWageUnits*c.wageRate/12 + (c.townFixed+funded*c.townPop)*c.costIndex()
		c.TownTransfers = c.townOwed
	}
}

// townFinance runs each town's account: it receives its share of what the county paid, its own
// revenue, pays its basic budget and unfunded mandates, spends on services, and services its
// debt. A town with its own finance borrows any shortfall; under county-managed finance it
// cannot, so it pays interest, then the work asked of it, then services as far as its cash
// goes (work left undone is dropped, unpaid interest is added to its debt). Some funds are lost
// to misuse and village leaks, and disputes accumulate. It is the only monthly pass over the
// towns, so it also checks their accounts (see check).
func (m *Model) townFinance() {
	part, _ := m.decision()
	leak := villageLeak
	if m.cfg.Finance.TownManagedVillage {
		leak = villageLeakTMV
	}
	mandate := m.mandate()
	fundedShare := m.cfg.Organisation.MandateFundedShare
	d := m.cfg.Debt
	stop, redStops := d.StopNewDebt, d.RedStopsBorrowing
	townRepay := d.TownResolution
	for i := range m.Counties {
		c := &m.Counties[i]
		paidShare := 1.0
		if c.townOwed > 0 {
			paidShare = c.TownTransfers / c.townOwed
		}
		c.Disputes, c.townDebt, c.townService, c.townLeak = 0, 0, 0, 0
		c.townsRed, c.villagesRed, c.villageDebt = 0, 0, 0
		paid := 0.0 // what the towns received, to check against what the county paid
		idx := c.costIndex()
		// Misuse rates of its towns: a red town is audited (detection times redAuditMult).
		misuseGreen := townMisuse * (1 - clamp(deterrenceScale*c.Detection, 0, 0.9))
		misuseRed := townMisuse * (1 - clamp(deterrenceScale*c.Detection*redAuditMult, 0, 0.9))
		villageNew := 0.0 // new village debt per village, unless stopped
		if !stop {
			villageNew = villageBorrow * idx * (1 - 0.5*d.Accountability)
		}
		for t := c.Towns[0]; t < c.Towns[1]; t++ {
			tw := &m.Towns[t]
			balancePrev, debtPrev := tw.Balance, tw.Debt
			tw.Mandates = mandate * tw.Pop * idx
			tw.Unfunded = (1 - fundedShare) * tw.Mandates
			basic := (tw.Staff+tw.Leaders*leaderPremium)*c.wageRate/12 + tw.fixedCost()*idx
			received := (basic + fundedShare*tw.Mandates) * paidShare
			paid += received
			tw.Revenue = townRevenueRate * c.GDP / 12 * tw.Share
			// The county's payment covers the basic budget; interest, unfunded mandates and
			// services come out of the town's own cash.
			avail := tw.Balance + tw.Revenue
			interest := tw.Debt * townRate / 12
			unfunded := tw.Unfunded
			service := townServiceNeed * tw.Pop * idx
			need := interest + unfunded + service
			tw.Borrowed, tw.repaid, tw.unpaidInterest = 0, 0, 0
			// A town may borrow unless the county manages its finance, new debt is stopped,
			// or it is under a red warning (three-level early warning).
			mayBorrow := !tw.CountyManaged && !stop && !(redStops && tw.Warning == Red)
			switch {
			case avail >= need:
				tw.repaid = minf(avail-need, tw.Debt*townRepay/12)
			case mayBorrow:
				tw.Borrowed = need - avail
			default:
				// A town that cannot borrow pays interest, then the work asked of it, then
				// services, as far as its cash goes; interest it cannot pay is added to its
				// debt.
				interestPaid := minf(avail, interest)
				tw.unpaidInterest = interest - interestPaid
				interest = interestPaid
				unfunded = minf(avail-interest, unfunded)
				service = maxf(0, avail-interest-unfunded)
			}
			misuseRate := misuseGreen
			if tw.Warning == Red {
				misuseRate = misuseRed
			}
			if tw.CountyManaged {
				misuseRate *= cmtMisuseFactor
			}
			tw.Misused = misuseRate * service
			fund := villageFund * float64(tw.Villages) * idx
			tw.VillageLeak = leak * fund
			in := received + tw.Revenue + tw.Borrowed
			out := received + interest + unfunded + service + tw.repaid
			tw.Balance += in - out
			tw.Debt += tw.Borrowed - tw.repaid + tw.unpaidInterest
			m.checkTown(c, t, balancePrev, debtPrev, in, out)
			tw.Warning = warningOf(tw.Debt, 12*(received+tw.Revenue), d.YellowRatio, d.RedRatio)
			// Villages: their funds arrive through the town (less leaks); they borrow for
			// village works (less under accountability for new debt, none when new debt is
			// stopped or under a red warning) and repay old debt on the village schedule.
			vPrev := tw.VillageDebt
			tw.VillageBorrowed = 0
			if !(redStops && tw.VillageWarning == Red) {
				tw.VillageBorrowed = villageNew * float64(tw.Villages)
			}
			tw.VillageRepaid = minf(tw.VillageDebt*d.VillageResolution/12, fund-tw.VillageLeak)
			tw.VillageDebt += tw.VillageBorrowed - tw.VillageRepaid
			tw.VillageWorks = fund - tw.VillageLeak + tw.VillageBorrowed - tw.VillageRepaid
			if dv := tw.VillageDebt - (vPrev + tw.VillageBorrowed - tw.VillageRepaid); !near(dv, tw.VillageDebt) || tw.VillageWorks < -tolerance*(tw.VillageDebt+1) {
				m.checkVillages(c, t, vPrev)
			}
			tw.VillageWarning = warningOf(tw.VillageDebt, 12*fund, d.YellowRatio, d.RedRatio)
			if tw.Warning == Red {
				c.townsRed++
			}
			if tw.VillageWarning == Red {
				c.villagesRed++
			}
			c.villageDebt += tw.VillageDebt
			delivered := service - tw.Misused - tw.VillageLeak
			adj := serviceAdjust
			if tw.CountyManaged {
				adj = serviceAdjustCMT
			}
			tw.Service += (clamp(delivered/(townServiceNeed*tw.Pop*idx), 0, 1.5) - tw.Service) * adj
			tw.Disputes = tw.Pop / 10000 * disputeRate * (1 - 0.6*part) * (1.5 - minf(tw.Service, 1.2))
			c.Disputes += tw.Disputes
			c.townDebt += tw.Debt
			c.townService += tw.Service
			c.townLeak += tw.Misused + tw.VillageLeak
		}
		c.townService /= float64(c.Towns[1] - c.Towns[0])
		// Violations after-the-fact inspections miss (the uninspected sample, more where
		// the market branch serves the county less) end in disputes.
		uninspected := m.exPost * c.apps[OperatingPermit] * exPostShrink
		c.Disputes += exPostRisk * uninspected * (1.5 - m.Branches[c.Branches[DeptMarket]].Alignment)
		if d := paid - c.TownTransfers; !near(d, paid) && m.townErr == nil {
			m.townErr = fmt.Errorf("month %d, county %s: towns received %.6g million yuan, the county paid %.6g", m.month+1, c.Name, paid, c.TownTransfers)
		}
	}
}

// minf and maxf are math.Min and math.Max for the finite values of the town loop, written so
// that the compiler inlines them (math.Min is an assembly call on amd64).
func minf(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

func maxf(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}
