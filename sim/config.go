package sim

// Config is everything a run needs: the world (structure, seed, horizon) and every reform lever.
// Scenario files map onto it one to one through the yaml tags; DefaultConfig gives the values a
// partial scenario inherits. Units: money in million yuan, time in months unless a field says
// days, shares in [0, 1].
type Config struct {
	Seed      uint64 `yaml:"seed"`
	Months    int    `yaml:"months"`
	StartYear int    `yaml:"start_year"`

	World        World        `yaml:"world"`
	Devolution   Devolution   `yaml:"devolution"`
	PMC          PMC          `yaml:"pmc"`
	Organisation Organisation `yaml:"organisation"`
	Decision     Decision     `yaml:"decision"`
	Approval     Approval     `yaml:"approval"`
	Finance      Finance      `yaml:"finance"`
	Debt         Debt         `yaml:"debt"`
	Province     ProvinceRule `yaml:"province"`
	Prefecture   PrefRule     `yaml:"prefecture"`
	Economy      Economy      `yaml:"economy"`
}

// World is the administrative structure: one or more provinces, each with its prefecture
// cities, the county-level units outside city districts, and their towns and townships.
type World struct {
	Provinces []ProvinceSpec `yaml:"provinces"`
}

// ProvinceSpec gives one province's counts. Counties are spread over prefectures and towns over
// counties by the seeded generator (see Initialisation in docs/MODEL.md).
type ProvinceSpec struct {
	Name        string `yaml:"name"`
	Prefectures int    `yaml:"prefectures"`
	Counties    int    `yaml:"counties"`
	Towns       int    `yaml:"towns"`
	// CountyNames names the first len(CountyNames) counties (the rest are numbered); pilot
	// lists refer to these names.
	CountyNames []string `yaml:"county_names"`
	// StrongCounties marks named counties as economically strong (strength drawn from the top
	// decile), as real pilots listed by name were.
	StrongCounties bool `yaml:"strong_named_counties"`
}

// Devolution is how far management authority moves down: to counties per domain, and on from
// counties to urbanised towns.
type Devolution struct {
	Economic  float64 `yaml:"economic"`
	Social    float64 `yaml:"social"`
	Personnel float64 `yaml:"personnel"`
	// TownEconomic and TownSocial are the shares of county-held authority delegated to towns
	// whose urbanisation is at least TownUrbanThreshold.
	TownEconomic       float64 `yaml:"town_economic"`
	TownSocial         float64 `yaml:"town_social"`
	TownUrbanThreshold float64 `yaml:"town_urban_threshold"`
	// Start is the month devolution takes effect.
	Start int `yaml:"start"`
}

// PMC is the province-managing-county reform and its pilot path.
type PMC struct {
	Enabled bool `yaml:"enabled"`
	// Mode is "three-step" (cohorts move through steps 1, 2, 3 on their dates) or "one-shot"
	// (every selected county jumps to step 3 at its cohort's Step1 month).
	Mode      string    `yaml:"mode"`
	Selection Selection `yaml:"selection"`
	Cohorts   []Cohort  `yaml:"cohorts"`
	Widening  Widening  `yaml:"widening"`
}

// Selection chooses pilot counties and their order of entry.
type Selection struct {
	// Method is "index" (ranked by composite index), "list" (named counties, in cohort order)
	// or "random".
	Method string `yaml:"method"`
	// Weights of the composite index: economic strength, town layout, reform basis.
	StrengthWeight float64 `yaml:"strength_weight"`
	LayoutWeight   float64 `yaml:"layout_weight"`
	BasisWeight    float64 `yaml:"basis_weight"`
}

// Cohort is one wave of pilots: its size and the months (from the start) at which it enters
// steps 1, 2 and 3. A negative step month means the cohort never reaches that step.
type Cohort struct {
	Name string `yaml:"name"`
	// Share of all counties in the province (used when Counties is empty and Method is not
	// "list"); 1 takes every remaining county.
	Share    float64  `yaml:"share"`
	Counties []string `yaml:"counties"`
	Step1    int      `yaml:"step1"`
	Step2    int      `yaml:"step2"`
	Step3    int      `yaml:"step3"`
}

// Widening says when a pilot may move on. By "date" it moves on its cohort's dates; by
// "criterion" the dates are the earliest months and the county must also have run normally
// (no red debt warning and no wage arrears) for NormalMonths consecutive months.
type Widening struct {
	By           string `yaml:"by"`
	NormalMonths int    `yaml:"normal_months"`
}

// Organisation covers organs, staffing, mandates and vertical departments.
type Organisation struct {
	// StreamlineTarget is the fraction of overlapping organs to merge; StreamlinePace the
	// fraction of the remaining gap closed each month once streamlining starts.
	StreamlineTarget float64 `yaml:"streamline_target"`
	StreamlinePace   float64 `yaml:"streamline_pace"`
	StreamlineStart  int     `yaml:"streamline_start"`
	// TownCategories turns on town classification: organ caps, smaller staff quotas and fewer
	// leadership posts for ordinary and small towns.
	TownCategories bool `yaml:"town_categories"`
	// NoPushDown forbids pushing county duties to towns.
	NoPushDown bool `yaml:"no_push_down"`
	// MandateFundedShare is the share of the cost of work asked of towns that the asking level
	// funds (1 = no unfunded mandates).
	MandateFundedShare float64 `yaml:"mandate_funded_share"`
	// VerticalCoordination is how far the tax, market-regulation and land branches coordinate
	// with the county government.
	VerticalCoordination float64 `yaml:"vertical_coordination"`
}

// Decision covers decision-making procedure.
type Decision struct {
	// Participation is the share of major decisions taken with expert review, consultation
	// and hearings.
	Participation float64 `yaml:"participation"`
	// EGovernment is the maturity of e-government, 0 (paper) to 1 (fully online).
	EGovernment float64 `yaml:"egovernment"`
	// Start is the month both take effect; before it decisions are taken on paper with no
	// participation (0 and 0).
	Start int `yaml:"start"`
}

// Approval covers administrative-approval reform.
type Approval struct {
	ItemCut  float64 `yaml:"item_cut"`
	StepCut  float64 `yaml:"step_cut"`
	OneStop  float64 `yaml:"one_stop"`
	Start    int     `yaml:"start"`
	Patience float64 `yaml:"patience_days"`
}

// Finance covers the public-finance rules.
type Finance struct {
	PriorityRule       bool `yaml:"priority_rule"`
	CountyManagedTown  bool `yaml:"county_managed_town_finance"`
	TownManagedVillage bool `yaml:"town_managed_village_finance"`
	// RevenueShock cuts every county's own and shared revenue and the province's transfer
	// pool by this share from RevenueShockMonth on (a fiscal stress test; 0 = none).
	RevenueShock      float64 `yaml:"revenue_shock"`
	RevenueShockMonth int     `yaml:"revenue_shock_month"`
}

// Debt covers the debt rules.
type Debt struct {
	// BorrowLimit is the ceiling on explicit debt as a ratio of annual available revenue.
	BorrowLimit float64 `yaml:"borrow_limit"`
	// NewBorrowQuota is the province's bond quota: a twelfth of this share of annual revenue
	// is released each month, and unused quota carries over up to one year's worth.
	NewBorrowQuota float64 `yaml:"new_borrow_quota"`
	// YellowRatio and RedRatio are the early-warning thresholds on the debt ratio.
	YellowRatio float64 `yaml:"yellow_ratio"`
	RedRatio    float64 `yaml:"red_ratio"`
	// RedStopsBorrowing stops new explicit borrowing at a red warning.
	RedStopsBorrowing bool `yaml:"red_stops_borrowing"`
	// StopNewDebt forbids all new explicit borrowing (the "stop new debt" rule).
	StopNewDebt bool `yaml:"stop_new_debt"`
	// Accountability for new debt, 0 to 1: how hard officials are punished when hidden
	// borrowing or misuse is found; it deters both.
	Accountability float64 `yaml:"accountability"`
	// ResolutionRate is the annual share of explicit debt repaid (old debt resolved gradually).
	ResolutionRate float64 `yaml:"resolution_rate"`
	InterestRate   float64 `yaml:"interest_rate"`
}

// ProvinceRule covers the province's transfer formula and supervision.
type ProvinceRule struct {
	Equalisation float64 `yaml:"equalisation"`
	// TransferShare is general plus earmarked transfers as a share of county GDP in the first
	// year, a proxy for the provincial and central pool.
	TransferShare  float64 `yaml:"transfer_share"`
	EarmarkedShare float64 `yaml:"earmarked_share"`
	Audit          float64 `yaml:"audit"`
	Supervision    float64 `yaml:"supervision"`
}

// PrefRule covers prefecture cities' behaviour toward their counties.
type PrefRule struct {
	KeepShare   float64 `yaml:"keep_share"`
	DelayMonths int     `yaml:"delay_months"`
	RevenueTake float64 `yaml:"revenue_take"`
	Supervision float64 `yaml:"supervision"`
	Capacity    float64 `yaml:"approval_capacity"`
	Support     float64 `yaml:"support"`
	Pushback    float64 `yaml:"pushback"`
}

// Economy holds the behavioural and calibration parameters of growth and spending.
type Economy struct {
	BaseGrowth       float64 `yaml:"base_growth"`
	InvestmentReturn float64 `yaml:"investment_return"`
	Spillover        float64 `yaml:"spillover"`
	MisuseBase       float64 `yaml:"misuse_base"`
	HiddenPropensity float64 `yaml:"hidden_propensity"`
	ShockSD          float64 `yaml:"shock_sd"`
	Heterogeneity    float64 `yaml:"heterogeneity"`
	InstitutionMean  float64 `yaml:"institution_mean"`
	TaxRate          float64 `yaml:"tax_rate"`
}
