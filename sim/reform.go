package sim

import (
	"fmt"
	"math/rand/v2"
	"sort"
)

// selectionStream offsets the stream of the random pilot selection from the run's main stream.
const selectionStream = 0x51ec7104

// Base authority map: for each item class, the share of requests whose authority sits at
// town, county, prefecture and province under city-manages-county before any devolution.
// Assumption calibrated to the 2005 approval catalogues (docs/MODEL.md, Submodels: authority).
var baseAuth = [NumClasses][NumLevels]float64{
	MarketEntry:     {0, 0.80, 0.20, 0},
	Investment:      {0, 0.35, 0.45, 0.20},
	LandUse:         {0, 0.20, 0.40, 0.40},
	OperatingPermit: {0, 0.60, 0.35, 0.05},
}

// provDevolvable is the part of the province's share that can be devolved at all (the rest,
// such as farmland conversion, stays with the province or the State Council).
var provDevolvable = [NumClasses]float64{0, 0.15, 0.10, 0.05}

// classDomain maps item classes to the devolution domain that governs them.
const (
	domEconomic = iota
	domSocial
)

var classDomain = [NumClasses]int{domEconomic, domEconomic, domEconomic, domSocial}

// townDelegable is the share of a county-held class that can be delegated to a town.
var townDelegable = [NumClasses]float64{1, 0.3, 0, 1}

// selectPilots ranks counties and assigns them to cohorts with their step dates.
func (m *Model) selectPilots() error {
	p := m.cfg.PMC
	for i := range m.Counties {
		m.Counties[i].StepMonth = [4]int{0, -1, -1, -1}
		m.Counties[i].StepAt = [4]int{0, -1, -1, -1}
	}
	if !p.Enabled {
		return nil
	}
	for pi := range m.Provinces {
		ids := m.Provinces[pi].Counties
		order := m.pilotOrder(ids)
		byName := map[string]int{}
		for _, ci := range ids {
			byName[m.Counties[ci].Name] = ci
		}
		next := 0
		for k, co := range p.Cohorts {
			var members []int
			if p.Selection.Method == ByList {
				for _, n := range co.Counties {
					if ci, ok := byName[n]; ok {
						members = append(members, ci)
					}
				}
			} else {
				n := int(co.Share*float64(len(ids)) + 0.5)
				for len(members) < n && next < len(order) {
					members = append(members, order[next])
					next++
				}
			}
			for _, ci := range members {
				c := &m.Counties[ci]
				if c.Pilot {
					return fmt.Errorf("pmc.cohorts[%d]: county %s is already in cohort %d", k, c.Name, c.Cohort+1)
				}
				c.Pilot = true
				c.Cohort = k
				c.StepMonth = p.Planned(co)
			}
		}
	}
	return nil
}

// Planned returns the months a county of cohort co is scheduled to enter steps 0-3 (-1:
// never): its three dates, or in one-shot mode every step at Step1. This is the one place the
// one-shot rule is written; when pilots actually enter a step (later when widening waits for
// normal running) is County.StepAt and Model.CohortStepAt.
func (p PMC) Planned(co Cohort) [4]int {
	if p.Mode == OneShot {
		return [4]int{0, co.Step1, co.Step1, co.Step1}
	}
	return [4]int{0, co.Step1, co.Step2, co.Step3}
}

// CohortStepAt returns the months the first county of cohort k (0-based, in any province)
// entered steps 1-3 in this run so far, at index 1-3 (-1: no county yet; index 0 is 0). These
// are the realised dates: the planned ones (PMC.Planned) when pilots move on by date, later
// when widening by criterion holds them back, and one step after another in one-shot mode
// under the criterion. Month numbering is that of the cohort dates (a step at month t takes
// effect in the (t+1)-th reported month).
func (m *Model) CohortStepAt(k int) [4]int {
	at := [4]int{0, -1, -1, -1}
	for i := range m.Counties {
		c := &m.Counties[i]
		if !c.Pilot || c.Cohort != k {
			continue
		}
		for s := 1; s <= 3; s++ {
			if t := c.StepAt[s]; t >= 0 && (at[s] < 0 || t < at[s]) {
				at[s] = t
			}
		}
	}
	return at
}

// pilotOrder ranks a province's counties for selection: by composite index (economic strength
// as GDP per capita, town layout, reform basis, each as a within-province percentile rank), or at random.
func (m *Model) pilotOrder(ids []int) []int {
	order := append([]int(nil), ids...)
	s := m.cfg.PMC.Selection
	if s.Method == AtRandom {
		// A stream of its own (seeded by the run's seed and the province's first county), so
		// that the selection method and whether PMC is enabled leave every other draw of the
		// run unchanged (common random numbers across scenarios).
		r := rand.New(rand.NewPCG(m.cfg.Seed, selectionStream+uint64(ids[0])))
		r.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		return order
	}
	rank := func(key func(c *County) float64) map[int]float64 {
		idx := append([]int(nil), ids...)
		sort.SliceStable(idx, func(a, b int) bool { return key(&m.Counties[idx[a]]) < key(&m.Counties[idx[b]]) })
		r := make(map[int]float64, len(idx))
		for k, ci := range idx {
			r[ci] = float64(k+1) / float64(len(idx))
		}
		return r
	}
	rs := rank(func(c *County) float64 { return c.GDP / c.Pop })
	rl := rank(func(c *County) float64 { return c.Layout })
	rb := rank(func(c *County) float64 { return c.Basis })
	for _, ci := range ids {
		m.Counties[ci].Index = s.StrengthWeight*rs[ci] + s.LayoutWeight*rl[ci] + s.BasisWeight*rb[ci]
	}
	sort.SliceStable(order, func(a, b int) bool { return m.Counties[order[a]].Index > m.Counties[order[b]].Index })
	return order
}

// reform advances pilots along the three-step path and refreshes authority maps and autonomy.
func (m *Model) reform() {
	criterion := m.cfg.PMC.Widening.By == ByCriterion
	need := m.cfg.PMC.Widening.NormalMonths
	devolved := m.month >= m.cfg.Devolution.Start
	// New, or restored under other devolution settings: every authority map and every
	// county's town delegation is computed afresh this month.
	reset := len(m.authKeys) != len(m.Counties) || m.authDev != m.cfg.Devolution
	if reset {
		m.authKeys = make([]authKey, len(m.Counties))
		m.authDev = m.cfg.Devolution
	}
	for i := range m.Counties {
		c := &m.Counties[i]
		if c.Warning == Red || c.Arrears > 0 {
			c.NormalRun = 0
		} else {
			c.NormalRun++
		}
		for c.Step < 3 {
			at := c.StepMonth[c.Step+1]
			if at < 0 || m.month < at {
				break
			}
			if criterion && c.NormalRun < need {
				break
			}
			c.Step++
			c.StepAt[c.Step] = m.month
			if c.Step == 3 {
				c.step3Month = m.month
			}
			if criterion {
				c.NormalRun = 0
			}
		}
		m.authority(i, devolved, reset)
	}
}

// delegate marks the county's towns that hold delegated authority (urbanised enough, once
// devolution has started) and caches their population share and decision capacity.
func (m *Model) delegate(c *County, devolved bool) {
	d := m.cfg.Devolution
	c.devolved = devolved
	c.townShare, c.townDesk.Capacity = 0, 0
	for t := c.Towns[0]; t < c.Towns[1]; t++ {
		tw := &m.Towns[t]
		tw.Delegated = devolved && tw.Urban >= d.TownUrbanThreshold && (d.TownEconomic > 0 || d.TownSocial > 0)
		if tw.Delegated {
			c.townShare += tw.Pop / c.Pop
			c.townDesk.Capacity += tw.Staff * townStaffRate
		}
	}
}

// authKey is what a county's authority map was last computed from: its PMC step, whether
// devolution was in force, its towns' delegated share and (Model.authDev) the devolution
// settings. While they stay the same the map is the same, so authority does not recompute it.
type authKey struct {
	step      int
	devolved  bool
	townShare float64
	set       bool
}

// authority recomputes county i's town delegation (when devolution starts, or reset: the
// devolution settings changed) and authority map (when its step, devolution or delegation
// changed since the last month) and its autonomy.
func (m *Model) authority(i int, devolved, reset bool) {
	c := &m.Counties[i]
	d := &m.cfg.Devolution
	if reset || devolved != c.devolved || m.month == -burnIn {
		m.delegate(c, devolved)
	}
	key := authKey{step: c.Step, devolved: devolved, townShare: c.townShare, set: true}
	if m.authKeys[i] != key {
		m.authKeys[i] = key
		m.authMap(c, devolved)
	}
	pers := 0.0
	if devolved {
		pers = d.Personnel
	}
	c.Autonomy = m.autonomy(c, pers)
}

// authMap sets county c's authority map from the base map, devolution and PMC step.
func (m *Model) authMap(c *County, devolved bool) {
	d := m.cfg.Devolution
	dom := [2]float64{}
	if devolved {
		dom = [2]float64{d.Economic, d.Social}
	}
	townShare := c.townShare
	for k := 0; k < NumClasses; k++ {
		a := baseAuth[k]
		dv := dom[classDomain[k]]
		if c.Step >= 2 {
			dv = 1 // pilots hold the prefecture's authority
		}
		move := dv * a[LevelPrefecture]
		a[LevelPrefecture] -= move
		a[LevelCounty] += move
		pm := dom[classDomain[k]] * provDevolvable[k]
		a[LevelProvince] -= pm
		a[LevelCounty] += pm
		// Step 3 implies step 2 (validated), so nothing is left at the prefecture here; step 3
		// changes the route of province-held requests instead (approvals.go).
		td := d.TownEconomic
		if classDomain[k] == domSocial {
			td = d.TownSocial
		}
		tm := a[LevelCounty] * townDelegable[k] * td * townShare
		a[LevelCounty] -= tm
		a[LevelTown] += tm
		c.Auth[k] = a
	}
}

// Weights of county autonomy (assumption, docs/MODEL.md Submodels: autonomy): authority held,
// direct finance and looser supervision.
const (
	autoAuthority = 0.6  // authority held over the catalogue and personnel
	autoFinance   = 0.15 // finance managed directly by the province (no prefecture budget review)
	// reviewFull is the share of a county's money under its prefecture's review (taken,
	// kept, or held in the pipeline) whose removal at step 1 counts as full financial
	// autonomy (assumption, range 0.1-0.4).
	reviewFull = 0.2
	// reviewRate is the monthly smoothing rate of that share while the county is at step 0.
	reviewRate      = 1.0 / 12
	autoSupervision = 0.25 // supervision looser than at the start
	autoEconomic    = 0.5  // within authority: economic item classes
	autoSocial      = 0.25 // within authority: social item classes (operating permits)
	autoPersonnel   = 0.25 // within authority: cadre-personnel authority
)

// autonomy derives county c's discretion from what it holds: for each domain the share of the
// authority above the county in the base catalogue that it (or its towns) now decides, weighted
// by the class's requests; the personnel authority devolved to it; whether its finance is
// direct; and how far the detection it faces has fallen below its opening level (last month's).
// No term is indexed by PMC step: step 2 moves authority, step 1 makes finance direct and moves
// supervision to the province, step 3 changes who supervises and how far away.
func (m *Model) autonomy(c *County, pers float64) float64 {
	var held [2]float64
	for k := 0; k < NumClasses; k++ {
		if !authMovable[k] {
			continue
		}
		base := &baseAuth[k]
		now := c.Auth[k][LevelTown] + c.Auth[k][LevelCounty] - base[LevelTown] - base[LevelCounty]
		held[classDomain[k]] += authWeight[k] * now
	}
	movable := domainMovable
	auth := autoPersonnel * pers
	auth += autoEconomic * clamp(held[domEconomic]/movable[domEconomic], 0, 1)
	auth += autoSocial * clamp(held[domSocial]/movable[domSocial], 0, 1)
	// The finance part is the prefecture's budget review the county escaped at step 1: the
	// share of its money the prefecture took, kept or held back while it reviewed its
	// budget (c.review, from the actual flows), 0 when the prefecture did none of these.
	fin := 0.0
	if c.Step >= 1 {
		fin = clamp(c.review/reviewFull, 0, 1)
	}
	loose := 0.0
	if c.det0 > 0 {
		loose = clamp(1-c.Detection/c.det0, 0, 1)
	}
	return clamp(autoAuthority*auth+autoFinance*fin+autoSupervision*loose, 0, 1)
}

// The constant parts of autonomy, from the base catalogue: authMovable says whether a class
// has authority above the county at all, authWeight is its weight (requests times items) and
// domainMovable each domain's weighted authority above the county (the same expressions,
// once).
var authMovable, authWeight, domainMovable = autonomyBase()

// autonomyBase computes authMovable, authWeight and domainMovable.
func autonomyBase() (movable [NumClasses]bool, weight [NumClasses]float64, domain [2]float64) {
	for k := 0; k < NumClasses; k++ {
		base := &baseAuth[k]
		above := base[LevelPrefecture] + base[LevelProvince]
		if above <= 0 {
			continue
		}
		movable[k] = true
		weight[k] = classRate[k] * itemsPerRequest[k]
		domain[classDomain[k]] += weight[k] * above
	}
	return movable, weight, domain
}
