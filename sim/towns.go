package sim

import (
	"fmt"
	"math"
)

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
	// Written without a switch so that the compiler can use conditional moves: warnings
	// differ from town to town and branches on them mispredict.
	w := Green
	if ratio >= yellow {
		w = Yellow
	}
	if ratio >= red {
		w = Red
	}
	return w
}

// townSums caches, per county, the sums over its towns that the county's monthly obligation
// needs: wage units (staff plus leadership premium), fixed costs (operations and village
// funds), residents and staff; and, per town, its wage units, fixed cost and dispute base.
// Towns' staffing is fixed after the world is built, so this runs once and townNeeds stays a
// loop over counties.
func (m *Model) townSums() {
	for i := range m.Counties {
		c := &m.Counties[i]
		c.townWageUnits, c.townFixed, c.townPop, c.townStaff = 0, 0, 0, 0
		for t := c.Towns[0]; t < c.Towns[1]; t++ {
			tw := &m.Towns[t]
			tw.wageUnits = tw.Staff + tw.Leaders*leaderPremium
			tw.fixed = tw.fixedCost()
			tw.disputeBase = tw.Pop / 10000 * disputeRate
			c.townWageUnits += tw.wageUnits
			c.townFixed += tw.fixed
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
	// Invariants of the month, hoisted out of the town loop (the same operations in the same
	// order as written per town, so the same bits).
	unfundedShare := 1 - fundedShare
	leakFund := leak * villageFund
	villageAcc := 1 - 0.5*d.Accountability
	disputeF := 1 - 0.6*part
	yellow, red := d.YellowRatio, d.RedRatio
	// villageMask, by the villages' warning level, is all ones where they may borrow (new
	// debt not stopped, and not stopped by a red warning) and zero where they may not: the
	// loop selects borrowing with it (exactly the amount or +0) instead of branching on
	// warnings, which differ from town to town and would mispredict.
	var villageMask [4]uint64
	for w := range villageMask {
		if !stop && !(redStops && w == Red) {
			villageMask[w] = ^uint64(0)
		}
	}
	villageRes := d.VillageResolution
	for i := range m.Counties {
		c := &m.Counties[i]
		paidShare := 1.0
		if c.townOwed > 0 {
			paidShare = c.TownTransfers / c.townOwed
		}
		var disputes, townDebt, townService, townLeak, villageDebt float64
		paid := 0.0 // what the towns received, to check against what the county paid
		idx := c.costIndex()
		wageRate := c.wageRate
		revenueBase := townRevenueRate * c.GDP / 12
		// Misuse rate of town funds under the county's detection, and under the closer
		// audit of a red town.
		misuse := townMisuse * (1 - clamp(deterrenceScale*c.Detection, 0, 0.9))
		misuseRed := townMisuse * (1 - clamp(deterrenceScale*(c.Detection*redAuditMult), 0, 0.9))
		// Indexed by warning level (Green, Yellow, Red; the fourth slot is never used), so
		// the loop looks the rate up instead of branching on warnings, which differ from town
		// to town and would mispredict.
		misuseBy := [4]float64{misuse, misuse, misuseRed, misuseRed}
		var nTownsRed, nVillagesRed int
		towns := m.Towns[c.Towns[0]:c.Towns[1]]
		for k := range towns {
			tw := &towns[k]
			balancePrev, debtPrev := tw.Balance, tw.Debt
			tw.Mandates = mandate * tw.Pop * idx
			tw.Unfunded = unfundedShare * tw.Mandates
			basic := tw.wageUnits*wageRate/12 + tw.fixed*idx
			received := (basic + fundedShare*tw.Mandates) * paidShare
			paid += received
			tw.Revenue = revenueBase * tw.Share
			// The county's payment covers the basic budget; interest, unfunded mandates and
			// services come out of the town's own cash.
			avail := tw.Balance + tw.Revenue
			interest := tw.Debt * townRate / 12
			unfunded := tw.Unfunded
			serviceNeed := townServiceNeed * tw.Pop * idx
			service := serviceNeed
			need := interest + unfunded + service
			var borrowed, repaid, unpaidInterest float64
			// A town may borrow unless the county manages its finance, new debt is stopped,
			// or it is under a red warning (three-level early warning).
			mayBorrow := !tw.CountyManaged && !stop && !(redStops && tw.Warning == Red)
			switch {
			case avail >= need:
				repaid = min(avail-need, tw.Debt*townRepay/12)
			case mayBorrow:
				borrowed = need - avail
			default:
				// A town that cannot borrow pays interest, then the work asked of it, then
				// services, as far as its cash goes; interest it cannot pay is added to its
				// debt.
				interestPaid := min(avail, interest)
				unpaidInterest = interest - interestPaid
				interest = interestPaid
				unfunded = min(avail-interest, unfunded)
				service = max(0, avail-interest-unfunded)
			}
			tw.Borrowed, tw.repaid, tw.unpaidInterest = borrowed, repaid, unpaidInterest
			misuseRate := misuseBy[tw.Warning&3] // a red town is audited
			if tw.CountyManaged {
				misuseRate *= cmtMisuseFactor
			}
			misused := misuseRate * service
			tw.Misused = misused
			villageLeak := leakFund * float64(tw.Villages) * idx
			tw.VillageLeak = villageLeak
			in := received + tw.Revenue + borrowed
			out := received + interest + unfunded + service + repaid
			balance := tw.Balance + (in - out)
			debt := tw.Debt + (borrowed - repaid + unpaidInterest)
			tw.Balance, tw.Debt = balance, debt
			if m.townErr == nil && !townAccountsOK(balance, balancePrev, debt, debtPrev, borrowed, repaid, unpaidInterest, in, out) {
				m.checkTown(c, c.Towns[0]+k, balancePrev, debtPrev, in, out)
			}
			tw.Warning = warning(debt/(12*max(received+tw.Revenue, 1e-9)), yellow, red)
			// Villages: their funds arrive through the town (less leaks); they borrow for
			// village works (less under accountability for new debt, none when new debt is
			// stopped or under a red warning) and repay old debt on the village schedule.
			fund := villageFund * float64(tw.Villages) * idx
			vPrev := tw.VillageDebt
			villageBorrowed := villageBorrow * float64(tw.Villages) * idx * villageAcc
			villageBorrowed = math.Float64frombits(math.Float64bits(villageBorrowed) & villageMask[tw.VillageWarning&3])
			villageRepaid := min(vPrev*villageRes/12, fund-villageLeak)
			vDebt := vPrev + (villageBorrowed - villageRepaid)
			works := fund - villageLeak + villageBorrowed - villageRepaid
			tw.VillageBorrowed, tw.VillageRepaid, tw.VillageDebt, tw.VillageWorks = villageBorrowed, villageRepaid, vDebt, works
			if m.townErr == nil && !villageAccountsOK(vDebt, vPrev, villageBorrowed, villageRepaid, works) {
				m.checkVillages(c, c.Towns[0]+k, vPrev)
			}
			tw.VillageWarning = warning(vDebt/(12*fund), yellow, red)
			nTownsRed += tw.Warning >> 1 // 1 for Red (2), 0 for Green and Yellow
			nVillagesRed += tw.VillageWarning >> 1
			villageDebt += vDebt
			delivered := service - misused - villageLeak
			adj := serviceAdjust
			if tw.CountyManaged {
				adj = serviceAdjustCMT
			}
			sv := tw.Service + (clamp(delivered/serviceNeed, 0, 1.5)-tw.Service)*adj
			tw.Service = sv
			dsp := tw.disputeBase * disputeF * (1.5 - min(sv, 1.2))
			tw.Disputes = dsp
			disputes += dsp
			townDebt += debt
			townService += sv
			townLeak += misused + villageLeak
		}
		c.Disputes, c.townDebt, c.townLeak = disputes, townDebt, townLeak
		c.townsRed, c.villagesRed, c.villageDebt = float64(nTownsRed), float64(nVillagesRed), villageDebt
		c.townService = townService / float64(c.Towns[1]-c.Towns[0])
		// Violations after-the-fact inspections miss (the uninspected sample, more where
		// the market branch serves the county less) end in disputes.
		uninspected := m.exPost * c.apps[OperatingPermit] * exPostShrink
		c.Disputes += exPostRisk * uninspected * (1.5 - m.Branches[c.Branches[DeptMarket]].Alignment)
		if d := paid - c.TownTransfers; !near(d, paid) && m.townErr == nil {
			m.townErr = fmt.Errorf("month %d, county %s: towns received %.6g million yuan, the county paid %.6g", m.month+1, c.Name, paid, c.TownTransfers)
		}
	}
}
