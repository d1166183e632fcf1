package sim

import "math"

// Town parameters (assumptions unless docs/MODEL.md names a source).
const (
	townOps          = 0.025   // million yuan per month of operations of a town with townOrgans organs
	townRevenueRate  = 0.004   // town's own fees and taxes, share of its part of county GDP
	mandateRate      = 2e-6    // million yuan per resident per month of work asked of towns
	pushDownShare    = 0.4     // share of mandates that are county duties pushed down
	townMisuse       = 0.06    // misuse rate of town discretionary funds with no monitoring
	cmtMisuseFactor  = 0.25    // misuse left when the county manages town finance
	villageFund      = 0.01    // million yuan per village per month passing through towns
	villageLeak      = 0.15    // share of village funds lost without town-managed finance
	villageLeakTMV   = 0.05    // with town-managed village finance
	townRate         = 0.07    // annual interest on town debt
	townRepay        = 0.10    // annual share of town debt repaid out of surpluses
	serviceAdjust    = 1.0 / 6 // monthly adjustment of town service level
	serviceAdjustCMT = 1.0 / 12
	disputeRate      = 0.5 // disputes per 10,000 residents per month at service level 0.5
)

// townNeeds sets what each county owes its towns this month: their basic budget (staff,
// leaders, operations, village funds) and the funded part of the work asked of them.
func (m *Model) townNeeds() {
	o := m.cfg.Organisation
	mandate := mandateRate
	if o.NoPushDown {
		mandate *= 1 - pushDownShare
	}
	for i := range m.Counties {
		c := &m.Counties[i]
		need := 0.0
		for t := c.Towns[0]; t < c.Towns[1]; t++ {
			tw := &m.Towns[t]
			tw.Mandates = mandate * tw.Pop
			basic := (tw.Staff+tw.Leaders*leaderPremium)*c.wageRate/12 + townOps*tw.Organs/townOrgans + villageFund*float64(tw.Villages)
			tw.Unfunded = (1 - o.MandateFundedShare) * tw.Mandates
			tw.Spending = basic + o.MandateFundedShare*tw.Mandates // what the county owes
			need += tw.Spending
		}
		c.TownTransfers = need
	}
}

// townFinance runs each town's account: it receives its share of what the county paid, its own
// revenue, pays its basic budget and unfunded mandates, spends on services, and services its
// debt. A town with its own finance borrows any shortfall; under county-managed finance it
// cannot, so it pays interest, then the work asked of it, then services as far as its cash
// goes (work left undone is dropped, unpaid interest is added to its debt). Some funds are lost
// to misuse and village leaks, and disputes accumulate.
func (m *Model) townFinance() {
	part, _ := m.decision()
	tmv := m.cfg.Finance.TownManagedVillage
	leak := villageLeak
	if tmv {
		leak = villageLeakTMV
	}
	for i := range m.Counties {
		c := &m.Counties[i]
		owed := 0.0
		for t := c.Towns[0]; t < c.Towns[1]; t++ {
			owed += m.Towns[t].Spending
		}
		paidShare := 1.0
		if owed > 0 {
			paidShare = c.TownTransfers / owed
		}
		c.Disputes, c.townDebt, c.townService, c.townLeak, c.townStaff = 0, 0, 0, 0, 0
		for t := c.Towns[0]; t < c.Towns[1]; t++ {
			tw := &m.Towns[t]
			tw.balancePrev, tw.debtPrev = tw.Balance, tw.Debt // for the accounting checks
			received := tw.Spending * paidShare
			tw.Revenue = townRevenueRate * c.GDP / 12 * tw.Share
			// The county's payment covers the basic budget; interest, unfunded mandates and
			// services come out of the town's own cash.
			avail := tw.Balance + tw.Revenue
			interest := tw.Debt * townRate / 12
			unfunded := tw.Unfunded
			service := townServiceNeed * tw.Pop
			need := interest + unfunded + service
			tw.Borrowed, tw.repaid, tw.unpaidInterest = 0, 0, 0
			switch {
			case avail >= need:
				tw.repaid = math.Min(avail-need, tw.Debt*townRepay/12)
			case !tw.CountyManaged:
				tw.Borrowed = need - avail
			default:
				// Under county-managed finance a town cannot borrow: it pays interest, then
				// the work asked of it, then services, as far as its cash goes; interest it
				// cannot pay is added to its debt.
				paid := math.Min(avail, interest)
				tw.unpaidInterest = interest - paid
				interest = paid
				unfunded = math.Min(avail-interest, unfunded)
				service = math.Max(0, avail-interest-unfunded)
			}
			misuseRate := townMisuse * (1 - clamp(deterrenceScale*c.Detection, 0, 0.9))
			if tw.CountyManaged {
				misuseRate *= cmtMisuseFactor
			}
			tw.Misused = misuseRate * service
			tw.VillageLeak = leak * villageFund * float64(tw.Villages)
			out := received + interest + unfunded + service + tw.repaid
			tw.Balance += received + tw.Revenue + tw.Borrowed - out
			tw.Debt += tw.Borrowed - tw.repaid + tw.unpaidInterest
			delivered := service - tw.Misused - tw.VillageLeak
			adj := serviceAdjust
			if tw.CountyManaged {
				adj = serviceAdjustCMT
			}
			tw.Service += (clamp(delivered/(townServiceNeed*tw.Pop), 0, 1.5) - tw.Service) * adj
			tw.Disputes = tw.Pop / 10000 * disputeRate * (1 - 0.6*part) * (1.5 - math.Min(tw.Service, 1.2))
			c.Disputes += tw.Disputes
			c.townDebt += tw.Debt
			c.townService += tw.Service
			c.townLeak += tw.Misused + tw.VillageLeak
			c.townStaff += tw.Staff + tw.Leaders
			tw.flowIn, tw.flowOut = received+tw.Revenue+tw.Borrowed, out
		}
		c.townService /= float64(c.Towns[1] - c.Towns[0])
	}
}
