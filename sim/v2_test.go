package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"testing"
)

// valuesUntil runs cfg and returns every county's metric values for months 1..upto.
func valuesUntil(t *testing.T, cfg Config, upto int) [][]float64 {
	t.Helper()
	var out [][]float64
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for m.Month() < upto && !m.Done() {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
		out = append(out, append([]float64(nil), m.Values()...))
	}
	return out
}

func sameMonths(t *testing.T, what string, a, b [][]float64) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d months against %d", what, len(a), len(b))
	}
	for mo := range a {
		for i := range a[mo] {
			if math.Float64bits(a[mo][i]) != math.Float64bits(b[mo][i]) {
				t.Fatalf("%s: month %d, county %d, metric %s differs (%v against %v) before the reform starts", what, mo+1, i/NumMetrics, Metrics[i%NumMetrics].Name, a[mo][i], b[mo][i])
			}
		}
	}
}

// TestCommonRandomNumbersBeforeReform checks that a scenario and its counterfactual on the
// same seed are bit-identical before the reform starts: the draws do not depend on levers or
// on the reform state, and pilot selection is a property of the world and seed.
func TestCommonRandomNumbersBeforeReform(t *testing.T) {
	cfg := small(30)
	cfg.PMC.Cohorts = []Cohort{
		{Name: "c1", Share: 0.2, Step1: 12, Step2: 18, Step3: 24},
		{Name: "c2", Share: 0.3, Step1: 20, Step2: 26, Step3: 28},
	}
	never := cfg
	never.PMC.Cohorts = append([]Cohort(nil), cfg.PMC.Cohorts...)
	for k := range never.PMC.Cohorts {
		never.PMC.Cohorts[k].Step1, never.PMC.Cohorts[k].Step2, never.PMC.Cohorts[k].Step3 = -1, -1, -1
	}
	sameMonths(t, "pmc three-step against steps -1", valuesUntil(t, cfg, 12), valuesUntil(t, never, 12))
	a, _ := New(cfg)
	b, _ := New(never)
	for i := range a.Counties {
		if a.Counties[i].Pilot != b.Counties[i].Pilot || a.Counties[i].Cohort != b.Counties[i].Cohort {
			t.Fatalf("county %d: pilot %v cohort %d with steps, %v %d without", i, a.Counties[i].Pilot, a.Counties[i].Cohort, b.Counties[i].Pilot, b.Counties[i].Cohort)
		}
	}
	// After the first step the runs must differ (the test can fail).
	x, y := valuesUntil(t, cfg, 14), valuesUntil(t, never, 14)
	differ := false
	for i := range x[13] {
		differ = differ || x[13][i] != y[13][i]
	}
	if !differ {
		t.Fatal("the runs do not differ after step 1: the comparison checks nothing")
	}

	// Devolution and approval levers (and a random pilot selection) against none.
	dev := small(30)
	dev.PMC.Selection.Method = "random"
	dev.Devolution = Devolution{Economic: 1, Social: 1, Personnel: 1, TownEconomic: 1, TownSocial: 1, TownUrbanThreshold: 0.3, Start: 10}
	dev.Approval.ItemCut, dev.Approval.StepCut, dev.Approval.OneStop, dev.Approval.Start = 0.5, 0.5, 0.9, 10
	off := dev
	off.Devolution = Devolution{TownUrbanThreshold: 0.3, Start: 10}
	off.Approval.ItemCut, off.Approval.StepCut, off.Approval.OneStop = 0, 0, 0
	sameMonths(t, "devolution and approval reform against none", valuesUntil(t, dev, 10), valuesUntil(t, off, 10)[:10])
	x, y = valuesUntil(t, dev, 12), valuesUntil(t, off, 12)
	differ = false
	for i := range x[11] {
		differ = differ || x[11][i] != y[11][i]
	}
	if !differ {
		t.Fatal("devolution and approval reform do not change month 11: the comparison checks nothing")
	}
}

// TestRealisedStepMonths checks that StepAt records the month each step was entered.
func TestRealisedStepMonths(t *testing.T) {
	m := run(t, small(40), nil)
	pilots := 0
	for _, c := range m.Counties {
		if !c.Pilot {
			if c.StepAt != [4]int{0, -1, -1, -1} {
				t.Fatalf("non-pilot %s has step months %v", c.Name, c.StepAt)
			}
			continue
		}
		pilots++
		if c.StepAt != [4]int{0, 12, 24, 36} {
			t.Fatalf("pilot %s entered steps at %v, want [0 12 24 36]", c.Name, c.StepAt)
		}
	}
	if pilots == 0 {
		t.Fatal("no pilots")
	}
}

// goldenHenan is the sha256 of every county's metric values over the default 20-year Henan
// run. It changes only with an intended model change; update it then and name the change in
// the commit message.
const goldenHenan = "9a05e781511c1a847ecffc2534f894aa5b6192f747684db144a1e74a34430950"

// TestGoldenHashDefaultHenan checks it with the vector paths (exp4 and townsVec, where the
// processor has them) and with the Go code alone (Exp one by one, the town loop in Go), the
// path of a processor without AVX2 and FMA.
func TestGoldenHashDefaultHenan(t *testing.T) {
	if testing.Short() {
		t.Skip("full default run")
	}
	t.Run("as this processor runs it", goldenHashDefaultHenan)
	t.Run("without vector paths", func(t *testing.T) {
		defer func(e, v bool) { haveExp4, useTownsVec = e, v }(haveExp4, useTownsVec)
		haveExp4, useTownsVec = false, false
		goldenHashDefaultHenan(t)
	})
}

func goldenHashDefaultHenan(t *testing.T) {
	m, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	var buf [8]byte
	for !m.Done() {
		if err := m.Step(); err != nil {
			t.Fatal(err)
		}
		for _, v := range m.Values() {
			binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
			h.Write(buf[:])
		}
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != goldenHenan {
		t.Fatalf("default Henan run hash %s, want %s: the model's output changed (if intended, update goldenHenan and say why in the commit; a test binary built with GOAMD64=v3 or above gives other bits, as the compiler then fuses multiply-adds)", got, goldenHenan)
	}
}

// lpcByYear returns the mean log GDP per capita of the counties keep selects, at the end of
// each year.
func lpcByYear(t *testing.T, cfg Config, keep func(c *County) bool) []float64 {
	t.Helper()
	var out []float64
	run(t, cfg, func(m *Model) {
		if m.Month()%12 != 0 {
			return
		}
		s, n := 0.0, 0.0
		for i := range m.Counties {
			if keep == nil || keep(&m.Counties[i]) {
				s += math.Log(m.Counties[i].GDP / m.Counties[i].Pop)
				n++
			}
		}
		out = append(out, s/n)
	})
	return out
}

// TestApprovalCutRaisesLevelNotRate: a lasting cut in approval days raises GDP per capita,
// and its effect on annual growth fades (the economy converges to a higher level; capital
// converges with a half-life of about seven years, so the test runs 30 years).
func TestApprovalCutRaisesLevelNotRate(t *testing.T) {
	base := small(360)
	base.PMC.Enabled = false
	cut := base
	cut.Approval.ItemCut, cut.Approval.StepCut, cut.Approval.OneStop, cut.Approval.Start = 0.5, 0.5, 0.9, 12
	a, b := lpcByYear(t, base, nil), lpcByYear(t, cut, nil)
	d := make([]float64, len(a))
	for y := range a {
		d[y] = b[y] - a[y]
	}
	peak := 0.0 // largest effect on annual growth
	for y := 1; y < len(d); y++ {
		peak = math.Max(peak, d[y]-d[y-1])
	}
	late := (d[29] - d[26]) / 3 // years 28-30
	if !(d[29] > 0.01) {
		t.Fatalf("the approval cut should raise GDP per capita: log difference %.4f after 30 years", d[29])
	}
	if !(late < peak/2) {
		t.Fatalf("the growth effect should fade: peak %.4f a year, %.4f a year in years 28-30", peak, late)
	}
}

// TestLeavingCountiesCostThePrefectureThroughItsAccounts: when counties move to the province's
// finance, the prefecture's draws, public investment and output fall against the counterfactual.
func TestLeavingCountiesCostThePrefectureThroughItsAccounts(t *testing.T) {
	cfg := small(120)
	cfg.PMC.Cohorts = []Cohort{{Name: "c1", Share: 0.6, Step1: 12, Step2: 24, Step3: 36}}
	never := cfg
	never.PMC.Cohorts = []Cohort{{Name: "c1", Share: 0.6, Step1: -1, Step2: -1, Step3: -1}}
	sums := func(cfg Config) (drawn, inv, gdp float64) {
		m := run(t, cfg, func(m *Model) {
			if m.Month() > 60 {
				for _, pf := range m.Prefs {
					drawn += pf.Revenue
					inv += pf.PublicInv
				}
			}
		})
		for _, pf := range m.Prefs {
			gdp += math.Log(pf.GDP)
		}
		return
	}
	d1, i1, g1 := sums(cfg)
	d0, i0, g0 := sums(never)
	if !(d1 < d0 && i1 < i0 && g1 < g0) {
		t.Fatalf("with pilots leaving, prefectures should draw less (%.4g vs %.4g), invest less (%.4g vs %.4g) and produce less (sum log GDP %.4f vs %.4f)", d1, d0, i1, i0, g1, g0)
	}
}

// TestAutonomyFollowsAuthorityFinanceAndSupervision: devolution alone raises autonomy through
// authority held, fiscal PMC alone through direct finance, and step 2 adds the prefecture's
// authority; no reform leaves it at 0.
func TestAutonomyFollowsAuthorityFinanceAndSupervision(t *testing.T) {
	base := small(30)
	base.PMC.Cohorts = []Cohort{{Name: "c1", Share: 0.5, Step1: 6, Step2: 18, Step3: -1}}
	none := base
	none.PMC.Enabled = false
	if a := metricMean(t, none, MAutonomy, 0, nil); a != 0 {
		t.Fatalf("autonomy without any reform is %.4g, want 0", a)
	}
	step1 := metricMean(t, base, MAutonomy, 12, func(c *County) bool { return c.Pilot && c.Step == 1 })
	step2 := metricMean(t, base, MAutonomy, 24, func(c *County) bool { return c.Pilot && c.Step == 2 })
	if !(step1 > 0 && step2 > step1) {
		t.Fatalf("autonomy of pilots: step 1 %.4g, step 2 %.4g; want 0 < step 1 < step 2", step1, step2)
	}
	dev := none
	dev.Devolution.Economic, dev.Devolution.Social = 1, 1
	if a := metricMean(t, dev, MAutonomy, 0, nil); !(a > 0) {
		t.Fatalf("devolution alone should raise autonomy through authority held: %.4g", a)
	}
}

// TestControlsKeepTheirSupervision: counties that stay under their prefecture do not see their
// detection jump when others leave (the prefecture's supervisory staff follow the counties).
func TestControlsKeepTheirSupervision(t *testing.T) {
	cfg := small(60)
	cfg.PMC.Cohorts = []Cohort{{Name: "c1", Share: 0.6, Step1: 12, Step2: -1, Step3: -1}}
	never := cfg
	never.PMC.Cohorts = []Cohort{{Name: "c1", Share: 0.6, Step1: -1, Step2: -1, Step3: -1}}
	control := func(c *County) bool { return !c.Pilot }
	with := metricMean(t, cfg, MDetection, 36, control)
	without := metricMean(t, never, MDetection, 36, control)
	if math.Abs(with/without-1) > 0.1 {
		t.Fatalf("non-pilots' detection moved from %.4f to %.4f when pilots left their prefectures", without, with)
	}
}

// TestProvinceStaffResponseShortensQueues: with every county managed directly, a province that
// hires no extra staff has longer queues and lower attention than one that staffs fully, and
// the staff it hires cost its transfer pool. (v3: supervision staff wait for the establishment
// quota's revision at month 60, so the run lasts 84 months.)
func TestProvinceStaffResponseShortensQueues(t *testing.T) {
	wide := small(84)
	wide.PMC.Cohorts = []Cohort{{Name: "all", Share: 1, Step1: 6, Step2: 12, Step3: 18}}
	fixed, full := wide, wide
	fixed.Province.StaffResponse = 0
	full.Province.StaffResponse = 1
	mf := run(t, fixed, nil)
	mu := run(t, full, nil)
	pf, pu := mf.Provinces[0], mu.Provinces[0]
	if !(pf.desk.Wait > pu.desk.Wait && pf.Attention < pu.Attention) {
		t.Fatalf("fixed staff: wait %.3g attention %.3g; full staff: wait %.3g attention %.3g", pf.desk.Wait, pf.Attention, pu.desk.Wait, pu.Attention)
	}
	if !(pf.StaffCost == 0 && pu.StaffCost > 0) {
		t.Fatalf("staff cost %.4g with fixed staff, %.4g with full staffing", pf.StaffCost, pu.StaffCost)
	}
}

// TestStepOneSettlesThePipelineOnce: at step 1 a pilot does not receive its direct transfer on
// top of the prefecture's whole pipeline; the pipeline is paid out over settleMonths.
func TestStepOneSettlesThePipelineOnce(t *testing.T) {
	cfg := small(30)
	var before, at, held, left = map[int]float64{}, map[int]float64{}, map[int]float64{}, map[int]float64{}
	pilots := 0
	run(t, cfg, func(m *Model) {
		for _, c := range m.Counties {
			if !c.Pilot || c.StepMonth[1] != 12 {
				continue
			}
			switch m.Month() {
			case 12: // month index 11 was simulated: the last month at step 0
				before[c.ID], held[c.ID] = c.Transfers, c.TransitAmt
				pilots++
			case 13:
				at[c.ID] = c.Transfers
			case 13 + SettleMonths: // the pipeline paid out over settleMonths
				left[c.ID] = c.TransitAmt
			}
		}
	})
	if pilots == 0 {
		t.Fatal("no pilot entered step 1 at month 12")
	}
	for id, b := range before {
		if !(b > 0) || !(held[id] > 0) {
			t.Fatalf("county %d: transfers %g and pipeline %g before step 1, want both positive", id, b, held[id])
		}
		if r := at[id] / b; !(r <= 1.3) {
			t.Fatalf("county %d: transfers jumped %.2f-fold at step 1", id, r)
		}
		if l := left[id]; !(l <= 1e-9*held[id]) {
			t.Errorf("county %d: %g of a pipeline of %g still held %d months after step 1", id, l, held[id], SettleMonths)
		}
	}
}

// TestRolloverFailureCutsSpendingNeverLosesMoney: when vehicle debt cannot roll over, the
// county repays it out of its budget (its discretionary spending falls) and the vehicle debt
// falls by exactly what was repaid (check verifies the identity every month).
func TestRolloverFailureCutsSpendingNeverLosesMoney(t *testing.T) {
	ok := small(36)
	ok.Debt.RolloverLimit = 20
	fail := ok
	fail.Debt.RolloverLimit = 0
	var forced, discOK, discFail float64
	run(t, fail, func(m *Model) {
		for _, c := range m.Counties {
			forced += c.Forced
			discFail += c.Production + c.Livelihood
			if c.RolloverFailed && c.Forced <= 0 && c.hiddenPrev > 0 && c.Balance > 1e-6 {
				t.Fatalf("month %d: county %s failed to roll over but repaid nothing with cash %.4g", m.Month(), c.Name, c.Balance)
			}
		}
	})
	run(t, ok, func(m *Model) {
		for _, c := range m.Counties {
			if c.RolloverFailed || c.Forced != 0 {
				t.Fatalf("month %d: county %s failed to roll over below the limit", m.Month(), c.Name)
			}
			discOK += c.Production + c.Livelihood
		}
	})
	if !(forced > 0 && discFail < discOK) {
		t.Fatalf("forced repayment %.4g; discretionary spending %.4g with failed rollover vs %.4g without", forced, discFail, discOK)
	}
}

// TestDebtAuditTurnsHiddenDebtIntoRecognisedDebt.
func TestDebtAuditTurnsHiddenDebtIntoRecognisedDebt(t *testing.T) {
	base := small(24)
	audit := base
	audit.Debt.AuditRate = 0.5
	h0 := metricMean(t, base, MHiddenDebt, 23, nil)
	h1 := metricMean(t, audit, MHiddenDebt, 23, nil)
	e0 := metricMean(t, base, MExplicitDebt, 23, nil)
	e1 := metricMean(t, audit, MExplicitDebt, 23, nil)
	if !(h1 < h0 && e1 > e0) {
		t.Fatalf("audit: hidden %.4g vs %.4g, explicit %.4g vs %.4g", h1, h0, e1, e0)
	}
}

// TestTownAndVillageWarningsStopBorrowing: a town (or its villages) under a red warning does
// not borrow the next month, and stopping new debt stops all town and village borrowing.
func TestTownAndVillageWarningsStopBorrowing(t *testing.T) {
	cfg := small(24)
	cfg.Debt.YellowRatio, cfg.Debt.RedRatio = 0.2, 0.4
	cfg.Organisation.MandateFundedShare = 0 // towns run short and want to borrow
	prev := map[int][2]int{}
	reds, villageReds, borrowers, villageBorrowers := 0, 0, 0, 0
	run(t, cfg, func(m *Model) {
		for i := range m.Towns {
			tw := &m.Towns[i]
			if p, seen := prev[i]; seen {
				if p[0] == Red {
					reds++
					if tw.Borrowed > 0 {
						t.Fatalf("month %d: town %d under a red warning borrowed %.4g", m.Month(), i, tw.Borrowed)
					}
				}
				if p[1] == Red {
					villageReds++
					if tw.VillageBorrowed > 0 {
						t.Fatalf("month %d: villages of town %d under a red warning borrowed", m.Month(), i)
					}
				}
			}
			if tw.Borrowed > 0 {
				borrowers++
			}
			if tw.VillageBorrowed > 0 {
				villageBorrowers++
			}
			prev[i] = [2]int{tw.Warning, tw.VillageWarning}
		}
	})
	if reds == 0 || borrowers == 0 || villageReds == 0 || villageBorrowers == 0 {
		t.Fatalf("%d red and %d borrowing town-months, %d red and %d borrowing village-months: the test checks nothing", reds, borrowers, villageReds, villageBorrowers)
	}
	stop := cfg
	stop.Debt.StopNewDebt = true
	run(t, stop, func(m *Model) {
		for i := range m.Towns {
			if m.Towns[i].Borrowed > 0 || m.Towns[i].VillageBorrowed > 0 {
				t.Fatalf("month %d: town %d or its villages borrowed although new debt is stopped", m.Month(), i)
			}
		}
	})
}

// TestMarketEntryCutReachesTheEconomyThroughFirms: cutting market-entry items alone shortens
// market-entry days, raises the firm stock and GDP per capita.
func TestMarketEntryCutReachesTheEconomyThroughFirms(t *testing.T) {
	base := small(120)
	base.PMC.Enabled = false
	cut := base
	cut.Approval.MarketEntry = ClassCut{ItemCut: 0.6, StepCut: 0.5, PhaseYears: 1}
	for _, k := range []int{MMarketEntryDays, MFirms, MGDPPerCap} {
		b := metricMean(t, base, k, 108, nil)
		c := metricMean(t, cut, k, 108, nil)
		if up := k != MMarketEntryDays; (c > b) != up {
			t.Errorf("%s: %.4g with the market-entry cut, %.4g without", Metrics[k].Name, c, b)
		}
	}
	if d0, d1 := metricMean(t, base, MInvestmentDays, 108, nil), metricMean(t, cut, MInvestmentDays, 108, nil); math.Abs(d1/d0-1) > 0.02 {
		t.Errorf("a market-entry cut moved investment days from %.4g to %.4g", d0, d1)
	}
}

// TestApprovalReformIsPhasedIn: with a pace of four years (approval cuts and e-government),
// approval days fall over years, not in the first month.
func TestApprovalReformIsPhasedIn(t *testing.T) {
	cfg := small(72)
	cfg.PMC.Enabled = false
	cfg.Approval.ItemCut, cfg.Approval.StepCut, cfg.Approval.OneStop, cfg.Approval.Start, cfg.Approval.PhaseYears = 0.5, 0.5, 0.9, 12, 4
	cfg.Decision.EGovernment, cfg.Decision.Start, cfg.Decision.PhaseYears = 0.9, 12, 4
	days := map[int]float64{}
	run(t, cfg, func(m *Model) {
		var tr tracker
		tr.add(m, MApprovalDays, nil)
		days[m.Month()] = tr.mean()
	})
	if !(days[12] > days[13] && days[13] > days[36] && days[36] > days[60]) {
		t.Fatalf("approval days at months 12, 13, 36, 60: %.1f %.1f %.1f %.1f; want a gradual fall", days[12], days[13], days[36], days[60])
	}
	if drop1, total := days[12]-days[13], days[12]-days[60]; drop1 > total/10 {
		t.Fatalf("%.1f of the %.1f days cut came in the first month", drop1, total)
	}
}

// TestExPostControlShortensPermitsAndCostsInspections: moving operating-permit control after
// the fact cuts operating-permit waiting, loads the market branch with inspections (a cost in
// county operations) and raises disputes.
func TestExPostControlShortensPermitsAndCostsInspections(t *testing.T) {
	base := small(48)
	base.PMC.Enabled = false
	ex := base
	ex.Approval.ExPost = 0.8
	ex.Approval.OperatingPermit.PhaseYears = 1
	for _, k := range []int{MOperations, MDisputes, MFirms} {
		b := metricMean(t, base, k, 36, nil)
		e := metricMean(t, ex, k, 36, nil)
		if !(e > b) {
			t.Errorf("%s: %.4g with after-the-fact control, %.4g without; want higher", Metrics[k].Name, e, b)
		}
	}
	// Operating permits are a class of approval_days (the request-weighted mean of all classes).
	if b, e := metricMean(t, base, MApprovalDays, 36, nil), metricMean(t, ex, MApprovalDays, 36, nil); !(e < b) {
		t.Errorf("approval days %.4g with after-the-fact control, %.4g without; want lower", e, b)
	}
}

// TestQuotaAndWarningsCanBothBind: with the default quota, counties that want more borrow
// exactly what the quota leaves them; with a generous quota, the default thresholds are reached
// and the warnings then cut borrowing.
func TestQuotaAndWarningsCanBothBind(t *testing.T) {
	cfg := small(120)
	quotaBound := 0
	run(t, cfg, func(m *Model) {
		for _, c := range m.Counties {
			// Used up: what is left is only this month's release (made after borrowing).
			release := cfg.Debt.NewBorrowQuota * c.annualAvail / 12
			if c.Borrow > 0 && c.quotaLeft <= release*(1+1e-9) && c.Warning == Green {
				quotaBound++
			}
		}
	})
	if quotaBound == 0 {
		t.Fatal("the default bond quota never bound")
	}
	loose := cfg
	loose.Debt.NewBorrowQuota, loose.Debt.BorrowLimit = 1, 5
	warned, redBorrowed := 0, 0
	borrowing := func(cfg Config) (total float64, reds int) {
		prevRed := map[int]bool{}
		run(t, cfg, func(m *Model) {
			for i, c := range m.Counties {
				if c.Warning != Green {
					warned++
				}
				if prevRed[i] && c.Borrow > 0 && cfg.Debt.RedStopsBorrowing {
					redBorrowed++
				}
				prevRed[i] = c.Warning == Red
				if c.Warning == Red {
					reds++
				}
				total += c.Borrow
			}
		})
		return total, reds
	}
	cut, reds := borrowing(loose)
	if warned == 0 || reds == 0 {
		t.Fatalf("with a generous quota no county ever reached the default warning thresholds (%d warned, %d red county-months)", warned, reds)
	}
	if redBorrowed > 0 {
		t.Errorf("%d county-months borrowed after a red warning", redBorrowed)
	}
	// The red warnings cut borrowing: without their stop, the same counties borrow more.
	free := loose
	free.Debt.RedStopsBorrowing = false
	if uncut, _ := borrowing(free); !(cut < uncut) {
		t.Errorf("borrowing %.4g with red warnings stopping it, %.4g without: want less", cut, uncut)
	}
}

// TestRemittanceLetsRichCountiesFundTheirOwnSpending: counties whose revenue exceeds their
// standard need remit part of the excess, which the province's pool passes on as transfers;
// without remittance nobody remits and no county covers its spending from its own revenue.
func TestRemittanceLetsRichCountiesFundTheirOwnSpending(t *testing.T) {
	cfg := small(24)
	cfg.Economy.Heterogeneity = 1.0 // some rich counties
	none := cfg
	none.Province.Remittance = 0
	over := func(cfg Config) (remitted, above float64) {
		run(t, cfg, func(m *Model) {
			v := m.Values()
			for i, c := range m.Counties {
				remitted += c.Remit
				if v[i*NumMetrics+MSelfSufficiency] > 1 {
					above++
				}
			}
		})
		return
	}
	r0, a0 := over(none)
	r1, a1 := over(cfg)
	if r0 != 0 || a0 != 0 {
		t.Fatalf("without remittance: %.4g remitted, %v county-months above 100%% self-sufficiency", r0, a0)
	}
	if !(r1 > 0 && a1 > 0) {
		t.Fatalf("with remittance: %.4g remitted, %v county-months above 100%% self-sufficiency", r1, a1)
	}
}
