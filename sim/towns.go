package sim

import (
	"fmt"
	"unsafe"
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
	// disputeParticipation is the share of town disputes full participation prevents
	// (assumption; model-brief section 3: participation lowers disputes).
	disputeParticipation = 0.6
	// disputeServiceBase and disputeServiceCap shape disputes in the service level:
	// disputeServiceBase - min(Service, disputeServiceCap), so service above the cap stops
	// helping (assumption, docs/MODEL.md "dispute constants").
	disputeServiceBase = 1.5
	disputeServiceCap  = 1.2
	// serviceCap is the highest service level (delivered over need) a town can reach
	// (assumption).
	serviceCap = 1.5
	// villageAccountability is the share of new village borrowing that full accountability
	// for new debt (debt.accountability = 1) stops (assumption, docs/MODEL.md: it halves
	// village borrowing).
	villageAccountability = 0.5
	// exPostAlignBase sets disputes from after-the-fact control: exPostRisk per uninspected
	// request times exPostAlignBase - Alignment of the market branch (assumption).
	exPostAlignBase = 1.5
	// disputePer is the population unit of disputeRate (disputes per 10,000 residents).
	disputePer = 10000
	// townDeterrenceCap is the largest share of town misuse that detection deters
	// (assumption, docs/MODEL.md: misuseRate = townMisuse * (1 - clamp(deterrenceScale *
	// Detection, 0, 0.9))).
	townDeterrenceCap = 0.9
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

// townConst is what a town's monthly accounts need of it that does not change month to month:
// its staffing, operations, population and villages are fixed once the world is built
// (organiseTowns), and mandate depends only on the config. townConsts computes it with the
// same expressions the accounts used to evaluate every month, so the results are the same bits.
type townConst struct {
	wageUnits  float64 // Staff + Leaders*leaderPremium
	fixed      float64 // fixedCost(): operations and village funds at opening prices
	mandatePop float64 // mandate() * Pop
	servicePop float64 // townServiceNeed * Pop
	fund       float64 // villageFund * Villages
	villages   float64 // float64(Villages)
	disputePop float64 // Pop / disputePer * disputeRate
}

// townMonth is what every town of a county shares in this month's accounts (townFinance). The
// town loop reads it through a pointer, so the compiler takes each value from memory where it
// is used instead of holding some twenty of them in registers and spilling the town's own.
type townMonth struct {
	idx, wageRate, paidShare, revenueBase, misuseGreen, misuseRed   float64
	unfundedShare, fundedShare, townRepay, red, yellow, partF, leak float64
	villageNew, villageRes                                          float64
	stop, redStops                                                  bool
}

// warning is the warning level of a debt against a year's base: at or above the red ratio
// times the base red, else at or above the yellow ratio yellow (no division, so a base of zero
// or less with positive debt is red). The compiler sets it by conditional moves rather than
// branches, as towns cross the lines often.
func (tm *townMonth) warning(debt, base float64) int {
	w := Green
	if debt >= tm.yellow*base {
		w = Yellow
	}
	if debt >= tm.red*base {
		w = Red
	}
	return w
}

// b2i is 1 for true and 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// townSums caches, per county, the sums over its towns that the county's monthly obligation
// needs: wage units (staff plus leadership premium), fixed costs (operations and village
// funds), residents and staff, and per town its constants (townConst). Towns' staffing is
// fixed after the world is built, so this runs once and townNeeds stays a loop over counties.
func (m *Model) townSums() {
	m.townConsts()
	for i := range m.Counties {
		c := &m.Counties[i]
		c.townWageUnits, c.townFixed, c.townPop, c.townStaff = 0, 0, 0, 0
		for t := c.Towns[0]; t < c.Towns[1]; t++ {
			tw := &m.Towns[t]
			c.townWageUnits += m.townK[t].wageUnits
			c.townFixed += m.townK[t].fixed
			c.townPop += tw.Pop
			c.townStaff += tw.Staff + tw.Leaders
		}
	}
}

// townConsts fills Model.townK for the current mandate.
func (m *Model) townConsts() {
	mandate := m.mandate()
	if cap(m.townK) < len(m.Towns) {
		m.townK = make([]townConst, len(m.Towns))
	}
	m.townK = m.townK[:len(m.Towns)]
	for t := range m.Towns {
		tw := &m.Towns[t]
		m.townK[t] = townConst{
			wageUnits:  tw.Staff + tw.Leaders*leaderPremium,
			fixed:      tw.fixedCost(),
			mandatePop: mandate * tw.Pop,
			servicePop: townServiceNeed * tw.Pop,
			fund:       villageFund * float64(tw.Villages),
			villages:   float64(tw.Villages),
			disputePop: tw.Pop / disputePer * disputeRate,
		}
	}
	m.townKMandate = mandate
	m.townBlocks()
}

// townBlocks lays out townK for townsVec (townKV): each county's towns in blocks of four from
// its first town, each block the seven constants for its four towns (zeros past the county's
// last town), and townKVAt the first block of each county.
func (m *Model) townBlocks() {
	n := 0
	for i := range m.Counties {
		n += (m.Counties[i].Towns[1] - m.Counties[i].Towns[0] + 3) / 4
	}
	m.townKV = make([]float64, n*4*7)
	m.townKVAt = make([]int, len(m.Counties))
	at := 0
	for i := range m.Counties {
		m.townKVAt[i] = at
		c := &m.Counties[i]
		for j, t := 0, c.Towns[0]; t < c.Towns[1]; j, t = j+1, t+1 {
			k := &m.townK[t]
			b := m.townKV[at+j/4*28+j%4:]
			b[0], b[4], b[8], b[12], b[16], b[20], b[24] = k.wageUnits, k.fixed, k.mandatePop, k.servicePop, k.fund, k.villages, k.disputePop
		}
		at += (c.Towns[1] - c.Towns[0] + 3) / 4 * 28
	}
}

// townVecCall is what townsVec reads (the county's first town, its constants in townKV, its
// number of towns, its values of the month) and writes (the towns it did, and the county's sums
// over them).
type townVecCall struct {
	tw                                                           *Town
	k                                                            *float64
	n                                                            int
	tm                                                           *townMonth
	done                                                         int
	paid, villageDebt, disputes, townDebt, townService, townLeak float64
	townsRed, villagesRed                                        int
	// prefetch asks townsVec to prefetch the towns ahead: for worlds whose towns do not stay
	// in the caches between months (townPrefetchBytes).
	prefetch bool
	// spare is the town the lanes past a county's last town read and write.
	spare Town
}

// townPrefetchBytes is the size of the towns above which townsVec prefetches them
// (assumption: a world this small stays in a core's level-2 cache, 1 MiB or more on the
// processors of docs/BENCHMARKS.md, between months, and prefetching only costs instructions).
const townPrefetchBytes = 1 << 20

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
// towns, so it also checks their accounts (see checkTown and checkVillages, called only when
// a test written out here fails).
func (m *Model) townFinance() {
	part, _ := m.decision()
	leak := villageLeak
	if m.cfg.Finance.TownManagedVillage {
		leak = villageLeakTMV
	}
	if mandate := m.mandate(); len(m.townK) != len(m.Towns) || mandate != m.townKMandate {
		m.townConsts() // a restored model continued under another config
	}
	fundedShare := m.cfg.Organisation.MandateFundedShare
	unfundedShare := 1 - fundedShare
	partF := 1 - disputeParticipation*part
	d := m.cfg.Debt
	stop, redStops := d.StopNewDebt, d.RedStopsBorrowing
	townRepay := d.TownResolution
	yellow, red := d.YellowRatio, d.RedRatio
	villageRes := d.VillageResolution
	tm := &m.tm
	tm.unfundedShare, tm.fundedShare, tm.partF, tm.leak = unfundedShare, fundedShare, partF, leak
	tm.stop, tm.redStops, tm.townRepay = stop, redStops, townRepay
	tm.red, tm.yellow, tm.villageRes = red, yellow, villageRes
	m.tvc.prefetch = len(m.Towns)*int(unsafe.Sizeof(Town{})) > townPrefetchBytes
	for i := range m.Counties {
		c := &m.Counties[i]
		paidShare := 1.0
		if c.townOwed > 0 {
			paidShare = c.TownTransfers / c.townOwed
		}
		var disputes, townDebt, townService, townLeak, villageDebt float64
		townsRed, villagesRed := 0, 0 // counted as integers: the same as summing ones in float64
		paid := 0.0                   // what the towns received, to check against what the county paid
		idx := c.costIndex()
		tm.idx, tm.wageRate, tm.paidShare = idx, c.wageRate, paidShare
		tm.revenueBase = townRevenueRate * c.GDP / 12
		// Misuse rates of its towns: a red town is audited (detection times redAuditMult).
		tm.misuseGreen = townMisuse * (1 - clamp(deterrenceScale*c.Detection, 0, townDeterrenceCap))
		tm.misuseRed = townMisuse * (1 - clamp(deterrenceScale*c.Detection*redAuditMult, 0, townDeterrenceCap))
		tm.villageNew = 0 // new village debt per village, unless stopped
		if !stop {
			tm.villageNew = villageBorrow * idx * (1 - villageAccountability*d.Accountability)
		}
		t0, t1 := c.Towns[0], c.Towns[1]
		towns, consts := m.Towns[t0:t1], m.townK[t0:t1]
		start := 0 // the towns before start are done by townsVec, with their sums
		if useTownsVec && len(towns) > 0 {
			a := &m.tvc
			a.tw, a.k, a.n, a.tm = &towns[0], &m.townKV[m.townKVAt[i]], len(towns), tm
			townsVec(a)
			start = a.done
			m.townsVecDone += start
			paid, villageDebt, disputes, townDebt, townService, townLeak = a.paid, a.villageDebt, a.disputes, a.townDebt, a.townService, a.townLeak
			townsRed, villagesRed = a.townsRed, a.villagesRed
		}
		for j := start; j < len(towns); j++ {
			tw, k := &towns[j], &consts[j]
			balancePrev, debtPrev := tw.Balance, tw.Debt
			mandates := k.mandatePop * tm.idx
			tw.Mandates = mandates
			unfunded := tm.unfundedShare * mandates
			tw.Unfunded = unfunded
			basic := k.wageUnits*tm.wageRate/12 + k.fixed*tm.idx
			received := (basic + tm.fundedShare*mandates) * tm.paidShare
			paid += received
			revenue := tm.revenueBase * tw.Share
			tw.Revenue = revenue
			// The county's payment covers the basic budget; interest, unfunded mandates and
			// services come out of the town's own cash.
			avail := balancePrev + revenue
			interest := debtPrev * townRate / 12
			serviceNeed := k.servicePop * tm.idx
			service := serviceNeed
			need := interest + unfunded + service
			borrowed, repaid, unpaidInterest := 0.0, 0.0, 0.0
			// A town may borrow unless the county manages its finance, new debt is stopped,
			// or it is under a red warning (three-level early warning).
			wasRed := tw.Warning == Red
			switch {
			case avail >= need:
				repaid = minf(avail-need, debtPrev*tm.townRepay/12)
			case !tw.CountyManaged && !tm.stop && !(tm.redStops && wasRed):
				borrowed = need - avail
			default:
				// A town that cannot borrow pays interest, then the work asked of it, then
				// services, as far as its cash goes; interest it cannot pay is added to its
				// debt.
				interestPaid := minf(avail, interest)
				unpaidInterest = interest - interestPaid
				interest = interestPaid
				unfunded = minf(avail-interest, unfunded)
				service = maxf(0, avail-interest-unfunded)
			}
			tw.Borrowed, tw.repaid, tw.unpaidInterest = borrowed, repaid, unpaidInterest
			misuseRate := tm.misuseGreen
			if wasRed {
				misuseRate = tm.misuseRed
			}
			adj := serviceAdjust
			if tw.CountyManaged {
				misuseRate *= cmtMisuseFactor
				adj = serviceAdjustCMT
			}
			misused := misuseRate * service
			tw.Misused = misused
			fund := k.fund * tm.idx
			villageLeak := tm.leak * fund
			tw.VillageLeak = villageLeak
			in := received + revenue + borrowed
			out := received + interest + unfunded + service + repaid
			balance := balancePrev + (in - out)
			debt := debtPrev + (borrowed - repaid + unpaidInterest)
			tw.Balance, tw.Debt = balance, debt
			// checkTown's tests, written out so that the call is made only on a violation.
			if !near((balance-balancePrev)-(in-out), in+out) || balance < -tolerance*(in+out+1) ||
				!near(debt-(debtPrev+borrowed-repaid+unpaidInterest), debt) {
				m.checkTown(c, t0+j, balancePrev, debtPrev, in, out)
			}
			warning := tm.warning(debt, 12*(received+revenue))
			townsRed += b2i(warning == Red)
			tw.Warning = warning
			// Villages: their funds arrive through the town (less leaks); they borrow for
			// village works (less under accountability for new debt, none when new debt is
			// stopped or under a red warning) and repay old debt on the village schedule.
			vPrev := tw.VillageDebt
			vBorrowed := 0.0
			if !(tm.redStops && tw.VillageWarning == Red) {
				vBorrowed = tm.villageNew * k.villages
			}
			vRepaid := minf(vPrev*tm.villageRes/12, fund-villageLeak)
			vDebt := vPrev + (vBorrowed - vRepaid)
			works := fund - villageLeak + vBorrowed - vRepaid
			tw.VillageBorrowed, tw.VillageRepaid, tw.VillageDebt, tw.VillageWorks = vBorrowed, vRepaid, vDebt, works
			if dv := vDebt - (vPrev + vBorrowed - vRepaid); !near(dv, vDebt) || works < -tolerance*(vDebt+1) {
				m.checkVillages(c, t0+j, vPrev)
			}
			vWarning := tm.warning(vDebt, 12*fund)
			villagesRed += b2i(vWarning == Red)
			tw.VillageWarning = vWarning
			delivered := service - misused - villageLeak
			sv := tw.Service
			sv += (clamp(delivered/serviceNeed, 0, serviceCap) - sv) * adj
			tw.Service = sv
			dispute := k.disputePop * tm.partF * (disputeServiceBase - minf(sv, disputeServiceCap))
			tw.Disputes = dispute
		}
		// The county's sums over its towns, in town order (the same bits as summing in the
		// loop above, whose registers they would crowd).
		for j := start; j < len(towns); j++ {
			tw := &towns[j]
			villageDebt += tw.VillageDebt
			disputes += tw.Disputes
			townDebt += tw.Debt
			townService += tw.Service
			townLeak += tw.Misused + tw.VillageLeak
		}
		c.Disputes, c.townDebt, c.townLeak = disputes, townDebt, townLeak
		c.townsRed, c.villagesRed, c.villageDebt = float64(townsRed), float64(villagesRed), villageDebt
		c.townService = townService / float64(t1-t0)
		// Violations after-the-fact inspections miss (the uninspected sample, more where
		// the market branch serves the county less) end in disputes.
		uninspected := m.exPost * c.apps[OperatingPermit] * exPostShrink
		c.Disputes += exPostRisk * uninspected * (exPostAlignBase - m.Branches[c.Branches[DeptMarket]].Alignment)
		if d := paid - c.TownTransfers; !near(d, paid) && m.townErr == nil {
			m.townErr = fmt.Errorf("month %d, county %s: towns received %.6g million yuan, the county paid %.6g", m.month+1, c.Name, paid, c.TownTransfers)
		}
	}
}

// useTownsVec is true when townFinance runs its towns four at a time (townsVec); tests turn it
// off to compare.
var useTownsVec = haveTownsVec

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
