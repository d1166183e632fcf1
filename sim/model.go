package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Model is one simulated world: its agents, its random stream and the current month. Build it
// with New, advance it with Step, and read it through Values, Month and the agent slices
// (which callers must treat as read-only).
type Model struct {
	cfg   Config
	rng   *rand.Rand
	src   *rand.PCG // rng's source, kept so that a saved state can hold its position
	month int

	Provinces []Province
	Prefs     []Prefecture
	Counties  []County
	Towns     []Town
	Branches  []Branch

	values []float64 // len(Counties) x NumMetrics, the last month observed
	// townErr is the first town accounting violation found this month (checkTown).
	townErr error
	// exPost is the share of operating-permit control after the fact this month.
	exPost float64
	// Caches (tag state:"-": not saved; Restore leaves them empty and the first month rebuilds
	// them from the same expressions, so a restored run keeps its bits).
	//
	// townK holds each town's constants for townFinance (townConst), computed by townConsts
	// (from townSums) for the mandate townKMandate, with their copy for townsVec (townKV);
	// townFinance recomputes them if they are missing or the mandate changes (a restored
	// model, continued under another config).
	townK        []townConst `state:"-"`
	townKMandate float64     `state:"-"`
	// tm holds a county's values for its towns' accounts this month (townFinance).
	tm townMonth `state:"-"`
	// townKV is townK in blocks of four towns for townsVec, townKVAt each county's first
	// block (townBlocks), and tvc townsVec's call.
	townKV   []float64   `state:"-"`
	townKVAt []int       `state:"-"`
	tvc      townVecCall `state:"-"`
	// townsVecDone counts the towns townsVec has done (for the tests).
	townsVecDone int `state:"-"`
	// growArg is grow's scratch (six values per county) and approveEx approve's (four).
	growArg   []float64 `state:"-"`
	approveEx []float64 `state:"-"`
	// mixComp, mixWithin, mixP90, mixAt, mixX and mixHi are approve's scratch for the
	// counties' approval-time mixtures (the parts of county i from mixAt[i]).
	mixComp           []component `state:"-"`
	mixWithin, mixP90 []float64   `state:"-"`
	mixAt             []int       `state:"-"`
	// mixF holds each part's share of its class (the level's f) and mixEnd each county's
	// class ends (county i's class k parts end at mixAt[i]+mixEnd[4i+k]).
	mixF        []float64 `state:"-"`
	mixEnd      []int     `state:"-"`
	mixX, mixHi []float64 `state:"-"`
	// authKeys[i] is what county i's authority map was computed from, under the devolution
	// settings authDev (authority recomputes a map only when they change). Saved with the
	// state (and copied by Fork): without them a restored or forked model reset every
	// county's town delegation, which rebuilt the town desks' capacity from their staff and
	// the delegated share from today's populations, so a run continued after town devolution
	// had started was not the uninterrupted run.
	authKeys []authKey
	authDev  Devolution
	// skipWithin and skipP90 leave out the approval-time mixture's within-limit share and
	// 90th percentile (Options.Metrics): outputs that nothing in the model reads.
	skipWithin bool `state:"-"`
	skipP90    bool `state:"-"`
}

// Options are choices about what a model computes for its observers; they never change its
// dynamics, so every value a model built with them computes has the same bits as without.
type Options struct {
	// Metrics, when not nil, lists the county metrics (indices into Metrics) the model's
	// observers read. Two are computed only when listed, because the model itself does not
	// read them and they cost about a fifth of a month: within_limit (the share of
	// applications decided within the statutory limit, a mixture CDF per county, class and
	// level) and approval_days_p90 (the mixture's 90th percentile, a Newton iteration). When
	// left out they are NaN in Values. Every other metric is computed either way.
	Metrics []int
}

// skips returns which of the two outputs computed only on request opt leaves out.
func (opt Options) skips() (within, p90 bool, err error) {
	if opt.Metrics == nil {
		return false, false, nil
	}
	within, p90 = true, true
	for _, k := range opt.Metrics {
		if k < 0 || k >= NumMetrics {
			return false, false, fmt.Errorf("options: metric index %d out of range (0 to %d)", k, NumMetrics-1)
		}
		switch k {
		case MWithinLimit:
			within = false
		case MApprovalP90:
			p90 = false
		}
	}
	return within, p90, nil
}

// NewWith builds a model from cfg like New, computing only what opt asks of the outputs.
// A model that leaves outputs out cannot be saved (MarshalState): its saved 90th percentile
// would not be the one a full run carries into its next month.
func NewWith(cfg Config, opt Options) (*Model, error) {
	return newModel(cfg, opt)
}

// New builds a model from cfg. The seed in cfg drives every random draw, so the same config
// gives the same run.
func New(cfg Config) (*Model, error) {
	return newModel(cfg, Options{})
}

// newModel is New and NewWith.
func newModel(cfg Config, opt Options) (*Model, error) {
	if errs := cfg.Validate(); len(errs) > 0 {
		return nil, invalid(errs)
	}
	m, err := opening(cfg)
	if err != nil {
		return nil, err
	}
	if m.skipWithin, m.skipP90, err = opt.skips(); err != nil {
		return nil, err
	}
	if errs := m.checkOpening(); len(errs) > 0 {
		return nil, invalid(errs)
	}
	// Burn-in: run the world so desks, queues, balances and debts settle before month 0.
	// Every dated reform (PMC steps, devolution, approval reform, streamlining, decision
	// reform (participation and e-government), revenue shock) counts from month 0 and so is
	// off during burn-in; undated settings (finance regimes, mandates, coordination, debt
	// rules, equalisation, audit) describe the standing world and apply throughout. The
	// normal-running count of the widening criterion counts burn-in months too.
	for m.month < 0 {
		if err := m.Step(); err != nil {
			return nil, fmt.Errorf("burn-in: %w", err)
		}
	}
	return m, nil
}

// opening builds the model of a valid cfg up to its opening accounts, before the burn-in.
func opening(cfg Config) (*Model, error) {
	// The model keeps its own copy of the province list: build fills in the counts a county
	// list implies (counties, and towns when the list or the apportionment sets them).
	cfg.World.Provinces = append([]ProvinceSpec(nil), cfg.World.Provinces...)
	m := &Model{cfg: cfg, src: rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15)}
	m.rng = rand.New(m.src)
	if err := m.build(); err != nil {
		return nil, err
	}
	if err := m.selectPilots(); err != nil {
		return nil, err
	}
	m.month = -burnIn
	m.values = make([]float64, len(m.Counties)*NumMetrics)
	m.initAccounts()
	return m, nil
}

// CheckOpening returns the values of cfg's county lists the opening accounts cannot reach (a
// given spending below what the county's own revenue brings, 5.8 of docs/MODEL.md), which New
// refuses: it builds the world up to its opening accounts, without the burn-in. It returns
// nil for a config that does not validate (Validate reports that) or builds no world.
func CheckOpening(cfg Config) []FieldError {
	if len(cfg.Validate()) > 0 {
		return nil
	}
	m, err := opening(cfg)
	if err != nil {
		return nil
	}
	return m.checkOpening()
}

// invalid is the error of a config with the given problems.
func invalid(errs []FieldError) error {
	all := make([]error, len(errs))
	for i, e := range errs {
		all[i] = e
	}
	return fmt.Errorf("invalid config: %w", errors.Join(all...))
}

// burnIn is the number of unreformed months simulated before month 0.
const burnIn = 24

// Config returns the configuration the model was built from.
func (m *Model) Config() Config { return m.cfg }

// Month returns the number of months simulated so far.
func (m *Model) Month() int { return m.month }

// Done reports whether the configured horizon has been reached.
func (m *Model) Done() bool { return m.month >= m.cfg.Months }

// Step simulates one month. The order below is the model's schedule (docs/MODEL.md, Process
// overview); every agent of a kind acts within a phase before the next phase starts. It
// returns an error naming the county and month if an accounting identity fails.
func (m *Model) Step() error {
	m.snapshot()    // opening stocks for the accounting checks
	m.reform()      // pilot steps, authority maps, start of reforms
	m.organise()    // streamlining and staffing
	m.monitor()     // spans of control, attention, detection, fidelity
	m.vertical()    // vertical-department branches: alignment, effort, land quota
	m.approve()     // approval flows: routing, queues, delays, abandonment
	m.revenue()     // own and shared revenue, prefecture take
	m.transfer()    // province transfer formula and the prefecture pipeline
	m.prefBudget()  // prefecture budgets: own revenue, draws, core, support to counties, investment
	m.townNeeds()   // what counties owe towns: basic budgets and funded mandates
	m.spend()       // county budget: priority rule, borrowing, misuse
	m.townFinance() // towns: unfunded mandates, town finance, borrowing, services, disputes
	m.debt()        // interest, detection of hidden debt, resolution, warnings
	m.grow()        // county and prefecture growth
	if m.month >= -1 {
		m.observe() // per-county outcome values (none read before month 0: only the last burn-in month's)
	}
	if err := m.check(); err != nil {
		return err
	}
	m.month++
	return nil
}

// Run steps the model to its horizon, calling observe (if not nil) after every month.
func (m *Model) Run(observe func(*Model) error) error {
	for !m.Done() {
		if err := m.Step(); err != nil {
			return err
		}
		if observe != nil {
			if err := observe(m); err != nil {
				return err
			}
		}
	}
	return nil
}

// Opening accounts (docs/MODEL.md 5.8).
const (
	// openingSelfSufficiency sizes a county's accounts provisionally (own over available
	// revenue) until its opening transfers are known at the end of initAccounts.
	openingSelfSufficiency = 0.38
	openingDebtSD          = 0.3  // log sd of opening explicit debt around the borrowing rule's steady state (assumption)
	openingTownBalance     = 0.05 // million yuan of cash per town (assumption: towns hold almost no cash)
)

// initAccounts sets opening balances and debts, and sizes approval desks to the opening load.
func (m *Model) initAccounts() {
	for i := range m.Counties {
		c := &m.Counties[i]
		avail := c.GDP * m.cfg.Economy.TaxRate / openingSelfSufficiency
		c.annualAvail = avail
		c.selfSuff = openingSelfSufficiency
		c.Explicit = m.openingDebtRatio() * avail * Exp(openingDebtSD*m.rng.NormFloat64())
		c.Hidden = initHiddenShare * c.Explicit
		c.Balance = avail / 12
	}
	for i := range m.Towns {
		m.Towns[i].Balance = openingTownBalance
	}
	m.organiseTowns()
	m.townSums()
	m.reform()
	m.organise()
	m.monitor()
	m.vertical()
	m.loadDesks()
	for i := range m.Counties {
		c := &m.Counties[i]
		c.desk.Capacity = math.Max(c.desk.Arrivals/targetLoad, 1)
		for d := 0; d < NumDepts; d++ {
			b := &m.Branches[c.Branches[d]]
			b.desk.Capacity = math.Max(b.desk.Arrivals/targetLoad, 1)
		}
	}
	for j := range m.Prefs {
		pf := &m.Prefs[j]
		pf.desk.Capacity = math.Max(pf.desk.Arrivals/targetLoad, 1) * m.cfg.Prefecture.Capacity
		pf.Balance = prefReserve * prefCoreShare * prefTaxRate * pf.GDP / 12
	}
	m.openRevenue() // a county's given opening revenue sets its tax base (world.go)
	for p := range m.Provinces {
		pr := &m.Provinces[p]
		pr.desk.Capacity = math.Max(pr.desk.Arrivals/targetLoad, 1)
		pr.desk0, pr.growth = pr.desk.Capacity, 1
		gdp := 0.0
		for _, ci := range pr.Counties {
			gdp += m.Counties[ci].GDP
		}
		pr.gdp0 = gdp
		pr.pool0 = m.cfg.Province.TransferShare * gdp / 12
		pr.Pool = pr.pool0
		// Central transfers open at what the opening pool (province.transfer_share of GDP)
		// needs beyond the province's own tax share (at opening effort), never below 0, and
		// grow on an exogenous path at economy.base_growth, whatever the counties' realised
		// GDP (a reform's extra output raises only the province's tax share).
		tax := 0.0
		for _, ci := range pr.Counties {
			c := &m.Counties[ci]
			tax += provTaxRatio * c.taxRate * c.GDP / 12 * m.Branches[c.Branches[DeptTax]].Effort
		}
		pr.central0 = max(0, pr.pool0-tax)
		pr.ProvTax, pr.Central = tax, pr.central0
		pr.centralG = m.cfg.Economy.BaseGrowth
	}
	// Opening accounts from the flows they will see: own and shared revenue at the opening
	// tax effort (less the prefecture's take and the remittance above need), the prefecture's
	// support, and the transfers the formula gives, less the share the prefecture keeps (by population, by the gap to the
	// per-resident standard need, and earmarked by projects). Opening spending is thus
	// standard need where revenue falls short of it, and self-sufficiency follows GDP per
	// capita, rather than being a fixed multiple of GDP. Debt and cash keep their ratios to
	// the provisional accounts.
	for i := range m.Counties {
		c := &m.Counties[i]
		base := c.taxRate * c.GDP / 12 * m.Branches[c.Branches[DeptTax]].Effort
		c.Own, c.Shared = ownShare*base, (1-ownShare)*base
	}
	m.transferShares()
	m.openTransfers() // a county's given opening spending or transfers (world.go)
	for i := range m.Counties {
		c := &m.Counties[i]
		// What reaches the county under its prefecture: less the take and the kept share,
		// less what it remits above need, plus the prefecture's support.
		shared, remit, aid := m.openingOwnFlows(c)
		transfers := (c.transferGeneral + c.transferEarmarked) * (1 - m.cfg.Prefecture.KeepShare)
		avail := 12 * (c.Own + shared - remit + transfers + aid)
		f := avail / c.annualAvail
		c.annualAvail, c.Balance = avail, c.Balance*f
		c.Explicit, c.Hidden = c.Explicit*f, c.Hidden*f
		c.selfSuff = 12 * (c.Own + shared) / avail
	}
	m.openDebt() // a county's given opening debt (world.go)
	// Fill the prefecture pipeline with the opening transfer flow so the first months see
	// the steady state, not an empty pipe.
	for i := range m.Counties {
		c := &m.Counties[i]
		flow := (c.transferGeneral + c.transferEarmarked) * (1 - m.cfg.Prefecture.KeepShare)
		for k := 0; k < m.cfg.Prefecture.DelayMonths; k++ {
			c.pipeline[k] = flow
			c.TransitAmt += flow
		}
	}
}

// openingDebtRatio is the explicit debt over annual available revenue at which the borrowing
// rule holds a county's debt ratio steady when it borrows its whole bond quota: new borrowing
// (debt.new_borrow_quota of revenue a year) equals resolution (debt.resolution_rate) plus the
// dilution by trend revenue growth (economy.base_growth). Counties open there, as capital opens
// at the steady state of investment, so the unreformed baseline does not drift toward it. The
// ratio is capped at debt.borrow_limit, above which the rule allows no new borrowing.
func (m *Model) openingDebtRatio() float64 {
	d := m.cfg.Debt
	return min(d.NewBorrowQuota/max(d.ResolutionRate+m.cfg.Economy.BaseGrowth, 0.01), d.BorrowLimit)
}

// decision returns participation and e-government in force this month: 0 before their start,
// then phased in linearly over decision.phase_years.
func (m *Model) decision() (participation, egov float64) {
	f := phase(m.month, m.cfg.Decision.Start, m.cfg.Decision.PhaseYears)
	return f * m.cfg.Decision.Participation, f * m.cfg.Decision.EGovernment
}
