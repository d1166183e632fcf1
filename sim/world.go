package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
)

// Initial magnitudes (2005 prices, million yuan unless stated). Sources in docs/MODEL.md.
const (
	meanCountyPop   = 450000.0 // persons; 2009 non-district county population / 2,003 units
	baseGDPPerCap   = 0.011    // million yuan per person at strength 1 (the default world's mean at build is about 14,400 yuan)
	payrollShare    = 0.040    // county public payroll per resident, before town staff (4.3% in all by default; the brief says about 5%)
	baseWage        = 0.018    // million yuan per staff per year at strength 1
	wageNational    = 0.7      // share of public pay set by national scales (assumption)
	organOpCost     = 1.5      // million yuan per organ per year
	staffOpCost     = 0.004    // million yuan per staff per year
	initHiddenShare = 0.3      // hidden over explicit debt at start
	townDebtMean    = 4.0      // million yuan per town of 30,000 residents at start
	taxStrength     = 1.0      // elasticity of the tax base over GDP to strength (assumption, range 0.3-1)
)

// Draws and shapes of the initial world. Every value is documented, with its source, in
// docs/MODEL.md section 5 (5.3 counties, 5.4 towns, 5.5 branches, 5.6 prefecture cores, 5.8);
// "assumption" marks a value set by judgement, not taken from a reference.
const (
	prefStrengthSD = 0.3  // log sd of prefecture-city strength (assumption)
	prefGrowthSD   = 0.01 // sd of a prefecture city's trend growth around economy.base_growth (assumption)
	prefSizeSD     = 0.4  // log sd of the prefectures' weights in apportioning counties (assumption: prefectures supervise unequal numbers of counties)

	strongZ0  = 1.3 // named strong counties: z = strongZ0 + strongZSD |N|, above the normal's 90th percentile (assumption: listed pilots were chosen for their economic base, model-brief section 6)
	strongZSD = 0.3

	popSD    = 0.45 // log sd of county population (assumption)
	popShift = 0.1  // log shift, about popSD^2/2, so that the mean stays near meanCountyPop

	gdpStrengthExp = 0.9 // GDP per capita ~ Strength^gdpStrengthExp (assumption); local pay follows it too
	gdpPrefExp     = 0.3 // ... times the prefecture city's strength^gdpPrefExp (assumption)

	iqSD       = 0.12 // institutional quality: institution_mean + iqSD N + iqStrength ln(Strength) (assumption)
	iqStrength = 0.08
	iqMin      = 0.05 // clamp of institutional quality, the range of economy.institution_mean
	iqMax      = 0.95

	urbanMean     = 0.28 // urbanisation: urbanMean + urbanSD N + urbanStrength ln(Strength) (assumption: about 28% urban in mid-2000s non-district counties)
	urbanSD       = 0.10
	urbanStrength = 0.10
	urbanMin      = 0.05
	urbanMax      = 0.9

	tieMin  = 0.3 // economic tie to the prefecture city: U(tieMin, tieMin+tieSpan) (assumption: from weak to full)
	tieSpan = 0.7

	basisIQWeight = 0.6 // reform basis: basisIQWeight IQ + (1-basisIQWeight) U (assumption: it follows institutional quality)

	// gBaseSD is the sd of a county's trend growth around economy.base_growth, drawn
	// independently of its strength: strength acts on levels, not on trend growth (v3;
	// assumption, range 0-0.01).
	gBaseSD = 0.008

	organsMean = 40 // section-level agencies per county (model-brief section 6: about 40)
	organsSD   = 4  // spread and bounds around it (assumption)
	organsMin  = 30
	organsMax  = 52

	overlapMin  = 0.15 // share of organs with overlapping functions: U(0.15, 0.35) (assumption)
	overlapSpan = 0.2

	staffDrawMin  = 0.85 // staff = payrollShare Pop U(0.85, 1.15) (assumption)
	staffDrawSpan = 0.3

	countyLeadingGroup = 8 // leadership posts beyond leaderPerOrgan per organ: the county's leading group (assumption)

	biasMean = 0.45 // share of discretionary spending to production: clamp(0.45 + 0.08 N, 0.2, 0.8) (assumption)
	biasSD   = 0.08
	biasMin  = 0.2
	biasMax  = 0.8

	alignMin  = 0.3 // opening alignment of a vertical branch with its county: U(0.3, 0.6) (assumption: targets come from line superiors)
	alignSpan = 0.3

	prefCorePop    = 0.6 // a prefecture's urban core holds 0.6 times its counties' population (assumption)
	prefCoreGDPPer = 2.2 // and produces 2.2 times their output per person (assumption: city districts are richer than counties)

	minTownsPerCounty = 3 // towns per county: the range Validate allows
	maxTownsPerCounty = 100
	residentsPerTown  = 25_000 // towns of a listed county when the province gives no total (assumption)

	townSizeSD   = 0.6  // log sd of town sizes within a county (assumption: towns differ by a factor of several)
	townUrbanSD  = 0.15 // sd of town urbanisation around the county's, clamped to [townUrbanMin, townUrbanMax] (assumption)
	townUrbanMin = 0.02
	townUrbanMax = 0.95
	townShare0   = 0.5 // a town's GDP share ~ population share (townShare0 + Urban) (assumption)

	cat1Pop   = 40_000 // category 1: large urbanised towns (population and urbanisation above these; assumption)
	cat1Urban = 0.4
	cat2Pop   = 15_000 // category 2: mid-sized towns (assumption); the rest are category 3

	layoutPop   = 20_000 // towns counting toward a sound town layout (assumption)
	layoutUrban = 0.3

	townStaff0          = 25 // town staff quota: townStaff0 + Pop/residentsPerStaff (assumption: about 49 for an average town of the default world)
	residentsPerStaff   = 1000
	townLeaders         = 9 // leadership posts of a town team before classification (assumption)
	villages0           = 8 // administrative villages: villages0 + Pop/residentsPerVillage (data README: 15-18 per township; mean about 17.0 in the default world)
	residentsPerVillage = 2500
	townDebtSD          = 0.7    // opening town debt: mean-one lognormal, exp(townDebtSD N - townDebtSD^2/2) (assumption)
	townDebtPop         = 30_000 // townDebtMean is the mean for a town of this size; debt scales with sqrt(Pop/townDebtPop)
	villageDebtSD       = 0.6    // opening village debt: mean-one lognormal (assumption)
	townService0        = 0.6    // opening town service: 60% of the need met (assumption: under-provision before reform)
)

// build creates the agents of every province from the config, drawing heterogeneity from rng
// in a fixed order.
func (m *Model) build() error {
	rng := m.rng
	het := m.cfg.Economy.Heterogeneity
	// Size the agent slices once (the town count is a hint: a county list may change it).
	var np, nc, nt int
	for _, ps := range m.cfg.World.Provinces {
		np += ps.Prefectures
		nc += ps.CountyCount()
		nt += ps.Towns
	}
	m.Prefs = make([]Prefecture, 0, np)
	m.Counties = make([]County, 0, nc)
	m.Towns = make([]Town, 0, nt)
	m.Branches = make([]Branch, 0, nc*NumDepts)
	for pi, ps := range m.cfg.World.Provinces {
		prov := Province{Name: ps.Name, Supervision: m.cfg.Province.Supervision, Audit: m.cfg.Province.Audit}
		firstPref := len(m.Prefs)
		for j := 0; j < ps.Prefectures; j++ {
			prov.Prefs = append(prov.Prefs, len(m.Prefs))
			pname, pcode := fmt.Sprintf("%s-P%02d", ps.Name, j+1), ""
			if j < len(ps.PrefectureNames) && ps.PrefectureNames[j] != "" {
				pname = ps.PrefectureNames[j]
			}
			if j < len(ps.PrefectureCodes) {
				pcode = ps.PrefectureCodes[j]
			}
			m.Prefs = append(m.Prefs, Prefecture{
				Name:     pname,
				Code:     pcode,
				Province: pi,
				strength: Exp(prefStrengthSD * rng.NormFloat64()),
				baseG:    m.cfg.Economy.BaseGrowth + prefGrowthSD*rng.NormFloat64(),
			})
		}
		// Counties per prefecture: lognormal weights, largest remainder, at least one each.
		weights := make([]float64, ps.Prefectures)
		for j := range weights {
			weights[j] = Exp(prefSizeSD * rng.NormFloat64())
		}
		nc := ps.CountyCount()
		list := ps.CountyList
		firstCounty := len(m.Counties)
		named := len(ps.CountyNames)
		order := make([]int, 0, nc)
		if len(list) > 0 {
			// A county list fixes every county's prefecture, in list order.
			for _, cs := range list {
				order = append(order, cs.Prefecture)
			}
		} else {
			perPref := Apportion(nc, weights, 1)
			// Named counties are spread over prefectures in turn, as real listed pilots are.
			cursor := make([]int, ps.Prefectures)
			for len(order) < nc {
				for j := 0; j < ps.Prefectures && len(order) < nc; j++ {
					if cursor[j] < perPref[j] {
						order = append(order, j)
						cursor[j]++
					}
				}
			}
		}
		resid := residualSpread(list, het)
		for k := 0; k < nc; k++ {
			j := order[k]
			var spec CountySpec
			if k < len(list) {
				spec = list[k]
			}
			name := fmt.Sprintf("%s-C%03d", ps.Name, k+1)
			if k < named {
				name = ps.CountyNames[k]
			}
			if spec.Name != "" {
				name = spec.Name
			}
			// Every trait is drawn, in a fixed order, whether or not the list fixes it, so
			// that the draws of the other traits do not depend on which traits are given.
			z0 := rng.NormFloat64()
			z := z0
			if k < named && ps.StrongCounties {
				z = strongZ0 + strongZSD*math.Abs(rng.NormFloat64())
			}
			strength := Exp(het * z)
			if spec.Strength > 0 {
				strength = spec.Strength
				if spec.StrengthPartial {
					// The residual is what the index does not see: an unshifted draw, even
					// for a named strong county (whose index already says it is strong).
					strength *= Exp(resid * z0)
				}
			}
			pop := meanCountyPop * Exp(popSD*rng.NormFloat64()-popShift)
			if spec.Population > 0 {
				pop = spec.Population
			}
			pref := firstPref + j
			c := County{
				ID:       len(m.Counties),
				Name:     name,
				Code:     spec.Code,
				Province: pi,
				Pref:     pref,
			}
			c.Pop, c.Strength, c.Cohort = pop, strength, -1
			c.GDP = pop * baseGDPPerCap * Pow(strength, gdpStrengthExp) * Pow(m.Prefs[pref].strength, gdpPrefExp)
			c.IQ = clamp(m.cfg.Economy.InstitutionMean+iqSD*rng.NormFloat64()+iqStrength*math.Log(strength), iqMin, iqMax)
			if spec.IQ > 0 {
				c.IQ = spec.IQ
			}
			c.Urban = clamp(urbanMean+urbanSD*rng.NormFloat64()+urbanStrength*math.Log(strength), urbanMin, urbanMax)
			if spec.Urban > 0 {
				c.Urban = spec.Urban
			}
			c.Tie = tieMin + tieSpan*rng.Float64()
			c.Basis = clamp(basisIQWeight*c.IQ+(1-basisIQWeight)*rng.Float64(), 0, 1)
			c.gBase = m.cfg.Economy.BaseGrowth + gBaseSD*rng.NormFloat64()
			c.Organs = math.Round(clamp(organsMean+organsSD*rng.NormFloat64(), organsMin, organsMax))
			c.organs0 = c.Organs
			c.Overlap = overlapMin + overlapSpan*rng.Float64()
			c.overlap0 = c.Overlap
			c.Staff = payrollShare * pop * (staffDrawMin + staffDrawSpan*rng.Float64())
			c.Leaders = leaderPerOrgan*c.Organs + countyLeadingGroup
			// Public pay follows national scales with local allowances: only part of it
			// varies with the county's income.
			c.wageRate = baseWage * (wageNational + (1-wageNational)*Pow(strength, gdpStrengthExp))
			c.wage0 = c.wageRate
			c.bias0 = clamp(biasMean+biasSD*rng.NormFloat64(), biasMin, biasMax)
			c.Bias = c.bias0
			// The tax base over GDP rises with strength (industry, services) and varies
			// beyond it (taxStrength, economy.tax_spread); normalised so that its mean is
			// economy.tax_rate.
			ts := m.cfg.Economy.TaxSpread
			c.taxRate = m.cfg.Economy.TaxRate * Pow(strength, taxStrength) * Exp(ts*rng.NormFloat64()) /
				Exp((taxStrength*het*taxStrength*het+ts*ts)/2)
			m.Counties = append(m.Counties, c)
			m.Prefs[pref].Counties = append(m.Prefs[pref].Counties, c.ID)
			prov.Counties = append(prov.Counties, c.ID)
		}
		// Towns: apportioned by population, at least 3 per county.
		cw := make([]float64, nc)
		for k := range cw {
			cw[k] = m.Counties[firstCounty+k].Pop
		}
		var perCounty []int
		if len(list) > 0 {
			perCounty = listTowns(ps, cw)
		} else {
			perCounty = Apportion(ps.Towns, cw, minTownsPerCounty)
		}
		for k := 0; k < nc; k++ {
			c := &m.Counties[firstCounty+k]
			c.Towns[0] = len(m.Towns)
			m.buildTowns(c, perCounty[k], rng)
			c.Towns[1] = len(m.Towns)
			for d := 0; d < NumDepts; d++ {
				sup := LevelPrefecture
				if d == DeptTax {
					sup = LevelProvince
				}
				a0 := alignMin + alignSpan*rng.Float64()
				c.Branches[d] = len(m.Branches)
				m.Branches = append(m.Branches, Branch{Dept: d, County: c.ID, Superior: sup, Alignment: a0, align0: a0, Effort: 1})
			}
		}
		for _, j := range prov.Prefs {
			pf := &m.Prefs[j]
			var cpop, cgdp float64
			for _, ci := range pf.Counties {
				cpop += m.Counties[ci].Pop
				cgdp += m.Counties[ci].GDP
			}
			if cpop == 0 {
				cpop, cgdp = meanCountyPop, meanCountyPop*baseGDPPerCap
			}
			pf.Pop = prefCorePop * cpop
			pf.GDP = pf.Pop * (cgdp / cpop) * prefCoreGDPPer * pf.strength
			pf.Growth = pf.baseG
		}
		m.Provinces = append(m.Provinces, prov)
		if len(list) > 0 {
			ps := &m.cfg.World.Provinces[pi]
			ps.Counties, ps.Towns = nc, len(m.Towns)-m.Counties[firstCounty].Towns[0]
		}
	}
	m.rankStrength()
	return nil
}

// listTowns gives each county of a county list its towns: the number the list fixes, else a
// share of the province's remaining towns apportioned by population (at least 3), or, when
// the province gives no total, one town per 25,000 residents (3 to 100).
func listTowns(ps ProvinceSpec, pop []float64) []int {
	out := make([]int, len(pop))
	fixed := 0
	var open []int
	for k, cs := range ps.CountyList {
		if cs.Towns > 0 {
			out[k] = cs.Towns
			fixed += cs.Towns
		} else {
			open = append(open, k)
		}
	}
	if len(open) == 0 {
		return out
	}
	if ps.Towns == 0 {
		for _, k := range open {
			out[k] = int(clamp(math.Round(pop[k]/residentsPerTown), minTownsPerCounty, maxTownsPerCounty))
		}
		return out
	}
	w := make([]float64, len(open))
	for i, k := range open {
		w[i] = pop[k]
	}
	for i, n := range Apportion(ps.Towns-fixed, w, minTownsPerCounty) {
		out[open[i]] = n
	}
	return out
}

// buildTowns creates n towns for county c: lognormal sizes, urbanisation spread around the
// county's, categories by size and urbanisation.
func (m *Model) buildTowns(c *County, n int, rng *rand.Rand) {
	first := len(m.Towns)
	total := 0.0
	for i := 0; i < n; i++ {
		w := Exp(townSizeSD * rng.NormFloat64())
		total += w
		m.Towns = append(m.Towns, Town{County: c.ID, Pop: w, Urban: clamp(c.Urban+townUrbanSD*rng.NormFloat64(), townUrbanMin, townUrbanMax)})
	}
	layout := 0.0
	shareSum := 0.0
	for i := first; i < len(m.Towns); i++ {
		t := &m.Towns[i]
		t.Pop = c.Pop * t.Pop / total
		t.Share = t.Pop / c.Pop * (townShare0 + t.Urban)
		shareSum += t.Share
		switch {
		case t.Pop > cat1Pop && t.Urban > cat1Urban:
			t.Category = 1
		case t.Pop > cat2Pop:
			t.Category = 2
		default:
			t.Category = 3
		}
		if t.Pop > layoutPop && t.Urban > layoutUrban {
			layout += t.Pop / c.Pop
		}
		t.Staff = townStaff0 + t.Pop/residentsPerStaff
		t.Leaders = townLeaders
		t.Organs = townOrgans
		t.Villages = villages0 + int(t.Pop/residentsPerVillage)
		t.Debt = townDebtMean * Exp(townDebtSD*rng.NormFloat64()-townDebtSD*townDebtSD/2) * math.Sqrt(t.Pop/townDebtPop)
		t.VillageDebt = villageDebtMean * float64(t.Villages) * Exp(villageDebtSD*rng.NormFloat64()-villageDebtSD*villageDebtSD/2)
		t.Service = townService0
	}
	for i := first; i < len(m.Towns); i++ {
		m.Towns[i].Share /= shareSum
	}
	c.Layout = layout
}

// rankStrength assigns each county its strength tercile within its province (0 weakest).
func (m *Model) rankStrength() {
	for _, p := range m.Provinces {
		idx := append([]int(nil), p.Counties...)
		sort.SliceStable(idx, func(a, b int) bool { return m.Counties[idx[a]].Strength < m.Counties[idx[b]].Strength })
		for r, ci := range idx {
			m.Counties[ci].Tercile = 3 * r / len(idx)
		}
	}
}

// Apportion splits total into len(w) whole parts proportional to w, each at least min
// (largest-remainder method).
func Apportion(total int, w []float64, min int) []int {
	n := len(w)
	out := make([]int, n)
	rest := total - min*n
	if rest < 0 {
		rest = 0
	}
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, n)
	given := 0
	for i, x := range w {
		q := float64(rest) * x / sum
		out[i] = min + int(q)
		given += int(q)
		rems[i] = rem{i, q - math.Floor(q)}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; k < rest-given; k++ {
		out[rems[k%n].i]++
	}
	return out
}

func clamp(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// residualSpread is the log standard deviation of the strength a province's county list does
// not see: economy.heterogeneity is the total spread of log strength, and the partial indices
// (StrengthPartial) already carry their own, so the residual is sqrt(max(0, het^2 - var)), var
// the population variance of the partial indices' logs. Zero when fewer than two counties
// carry a partial index.
func residualSpread(list []CountySpec, het float64) float64 {
	var n, sum, sum2 float64
	for _, cs := range list {
		if cs.StrengthPartial && cs.Strength > 0 {
			l := math.Log(cs.Strength)
			n++
			sum += l
			sum2 += l * l
		}
	}
	if n < 2 {
		return 0
	}
	mean := sum / n
	return math.Sqrt(max(0, het*het-(sum2/n-mean*mean)))
}

// Opening finances from data. A county list may give a county's opening revenue, spending,
// debt and transfers (CountySpec; world.counties_file). Each replaces, in the opening accounts
// (initAccounts), the value the model would derive, after every draw has been made as usual
// (so the draws, and every other county's traits, do not depend on which values are given).
// Revenue sets the tax base (openRevenue), spending or transfers the county's own transfer
// component (openTransfers, countyTransfers), debt the opening explicit debt (openDebt).

// givenCounties calls f for every county of a county list, with its spec.
func (m *Model) givenCounties(f func(c *County, cs CountySpec)) {
	for p, ps := range m.cfg.World.Provinces {
		for k, cs := range ps.CountyList {
			f(&m.Counties[m.Provinces[p].Counties[k]], cs)
		}
	}
}

// openRevenue sets the tax base over GDP of every county given an opening revenue so that
// its opening revenue, 12 (Own + (1 - revenue_take) Shared) at the opening tax effort, equals
// the given value.
func (m *Model) openRevenue() {
	kept := ownShare + (1-ownShare)*(1-m.cfg.Prefecture.RevenueTake)
	m.givenCounties(func(c *County, cs CountySpec) {
		if cs.Revenue > 0 {
			c.taxRate = cs.Revenue / (c.GDP * m.Branches[c.Branches[DeptTax]].Effort * kept)
		}
	})
}

// openingOwnFlows is what reaches county c in an opening month besides transfers: its shared
// revenue less the prefecture's take, the remittance it owes above its standard need, and the
// prefecture's support (initAccounts; Own and Shared set at the opening effort).
func (m *Model) openingOwnFlows(c *County) (shared, remit, aid float64) {
	shared = c.Shared * (1 - m.cfg.Prefecture.RevenueTake)
	remit = m.cfg.Province.Remittance * max(0, c.Own+shared-c.Pop*needPerCapita/12)
	aid = m.cfg.Prefecture.Support * prefAidRate * c.GDP / 12
	return shared, remit, aid
}

// openTransfers sets the own transfer component of every county given an opening spending or
// transfers, once the formula's opening shares are known, and adds it to them. Given
// transfers T, the county receives T/12 a month after the prefecture's kept share; given
// spending S, it receives what S/12 needs beyond its own flows (openingOwnFlows), never less
// than nothing (checkOpening reports a spending below its own flows).
func (m *Model) openTransfers() {
	keep := m.cfg.Prefecture.KeepShare
	m.givenCounties(func(c *County, cs CountySpec) {
		var want float64 // a month, received by the county
		switch {
		case cs.Transfers > 0:
			want = cs.Transfers / 12
		case cs.Spending > 0:
			shared, remit, aid := m.openingOwnFlows(c)
			want = max(0, cs.Spending/12-(c.Own+shared-remit+aid))
		default:
			return
		}
		c.transferAdj = want/(1-keep) - (c.transferGeneral + c.transferEarmarked)
	})
	for p := range m.Provinces {
		m.countyTransfers(&m.Provinces[p])
	}
}

// countyTransfers adds each county's own transfer component to its earmarked transfer this
// month (transferShares): central money outside the formula's pool, on the path of central
// transfers (growing at centralG from the opening, cut by a revenue shock), paid through the
// province's account, whose central receipts include it. A negative component (a county
// given less than the formula allots it) takes at most its formula transfer.
func (m *Model) countyTransfers(pr *Province) {
	cg, grown := 0.0, false
	for _, ci := range pr.Counties {
		c := &m.Counties[ci]
		if c.transferAdj == 0 {
			continue
		}
		if !grown {
			cg, grown = Exp(pr.centralG*float64(m.month+burnIn)/12)*(1-m.shock()), true
		}
		d := max(c.transferAdj*cg, -(c.transferGeneral + c.transferEarmarked))
		c.transferEarmarked += d
		pr.Central += d
	}
}

// roundUp writes a least value v (> 0) for a message: rounded up, so that the figure named is
// allowed, to a whole number from 100 and to three significant figures below.
func roundUp(v float64) string {
	if v >= 100 || v <= 0 {
		return strconv.FormatFloat(math.Ceil(v), 'f', 0, 64)
	}
	dec := 2 - int(math.Floor(math.Log10(v)))
	p := math.Pow(10, float64(dec))
	return strconv.FormatFloat(math.Ceil(v*p)/p, 'f', max(dec, 0), 64)
}

// openDebt sets the opening explicit debt of every county given one; its hidden debt opens at
// initHiddenShare of it, as for a derived debt.
func (m *Model) openDebt() {
	m.givenCounties(func(c *County, cs CountySpec) {
		if cs.Debt > 0 {
			c.Explicit, c.Hidden = cs.Debt, initHiddenShare*cs.Debt
		}
	})
}

// checkOpening reports every county whose given opening spending the model cannot reach: one
// below the county's own flows (its revenue less the prefecture's take and the remittance,
// plus the prefecture's support), which it would need a negative transfer to spend.
func (m *Model) checkOpening() []FieldError {
	var errs []FieldError
	for p, ps := range m.cfg.World.Provinces {
		for k, cs := range ps.CountyList {
			c := &m.Counties[m.Provinces[p].Counties[k]]
			if cs.Spending > 0 && cs.Transfers == 0 && c.annualAvail > cs.Spending*(1+1e-9) {
				errs = append(errs, FieldError{
					Path:  fmt.Sprintf("world.provinces[%d].county_list[%d].spending", p, k),
					Value: cs.Spending,
					Allowed: fmt.Sprintf("at least %s million yuan for county %s, its opening revenue less the prefecture's take and the remittance, plus the prefecture's support "+
						"(the county spends at least that; give its revenue too to change it)", roundUp(c.annualAvail), c.Name),
				})
			}
		}
	}
	return errs
}
