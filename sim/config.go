package sim

// Config is everything a run needs: the world (structure, seed, horizon) and every reform lever.
// Scenario files map onto it one to one through the yaml tags; DefaultConfig gives the values a
// partial scenario inherits. Units: money in million yuan, time in months unless a field says
// days, shares in [0, 1].
type Config struct {
	// Seed drives every random draw of the run.
	Seed uint64 `yaml:"seed"`
	// Months is the horizon, after a 24-month burn-in that is not reported.
	Months int `yaml:"months"`
	// StartYear is the calendar year of month 1.
	StartYear int `yaml:"start_year"`

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
	// Provinces lists the provinces simulated (one for a province, 31 for the country).
	Provinces []ProvinceSpec `yaml:"provinces"`
}

// ProvinceSpec gives one province's counts. Counties are spread over prefectures and towns over
// counties by the seeded generator (see Initialisation in docs/MODEL.md).
type ProvinceSpec struct {
	// Name labels the province in outputs.
	Name string `yaml:"name"`
	// Prefectures is the number of prefecture cities.
	Prefectures int `yaml:"prefectures"`
	// Counties is the number of county-level units outside city districts.
	Counties int `yaml:"counties"`
	// Towns is the number of towns and townships in those counties.
	Towns int `yaml:"towns"`
	// CountyNames names the first len(CountyNames) counties (the rest are numbered); pilot
	// lists refer to these names.
	CountyNames []string `yaml:"county_names"`
	// StrongCounties marks named counties as economically strong (strength drawn from the top
	// decile), as real pilots listed by name were.
	StrongCounties bool `yaml:"strong_named_counties"`
	// CountyList, when not empty, fixes every county instead of drawing the counties from the
	// counts: Counties must equal len(CountyList) or be 0 (then it is set from the list); each
	// county gets its prefecture, name and code, and the traits given (a zero trait is drawn
	// as for a drawn county). A list name takes precedence over CountyNames.
	CountyList []CountySpec `yaml:"county_list"`
	// PrefectureNames names the prefectures in outputs (optional; len = Prefectures).
	PrefectureNames []string `yaml:"prefecture_names"`
	// PrefectureCodes gives the prefectures' administrative division codes (optional; len =
	// Prefectures).
	PrefectureCodes []string `yaml:"prefecture_codes"`
}

// CountySpec fixes one county's identity and traits instead of drawing them.
type CountySpec struct {
	Name       string  `yaml:"name"`
	Code       string  `yaml:"code"`       // 2010 administrative division code, "" if none
	Prefecture int     `yaml:"prefecture"` // 0-based index of its prefecture in the province
	Population float64 `yaml:"population"` // residents (persons); 0 = draw
	Urban      float64 `yaml:"urban"`      // urbanisation share 0..1; 0 = draw
	Strength   float64 `yaml:"strength"`   // economic strength (GDP per capita relative to the province's typical county, 1 = typical); 0 = draw
	IQ         float64 `yaml:"iq"`         // institutional quality 0..1; 0 = draw
	Towns      int     `yaml:"towns"`      // towns and townships; 0 = apportion by population
}

// CountyCount is the number of counties the spec builds: len(CountyList) when the list is
// given and Counties is 0, else Counties.
func (p ProvinceSpec) CountyCount() int {
	if p.Counties == 0 && len(p.CountyList) > 0 {
		return len(p.CountyList)
	}
	return p.Counties
}

// Devolution is how far management authority moves down: to counties per domain, and on from
// counties to urbanised towns.
type Devolution struct {
	// Economic is the share of economic authority (market entry, investment, land) above the
	// county that moves to it.
	Economic float64 `yaml:"economic"`
	// Social is the share of social-affairs authority (operating permits) that moves down.
	Social float64 `yaml:"social"`
	// Personnel is the degree of cadre-personnel authority given to counties: more staffing
	// freedom (desk capacity) and more autonomy.
	Personnel float64 `yaml:"personnel"`
	// TownEconomic and TownSocial are the shares of county-held authority delegated to towns
	// whose urbanisation is at least TownUrbanThreshold.
	TownEconomic float64 `yaml:"town_economic"`
	// TownSocial: see TownEconomic.
	TownSocial float64 `yaml:"town_social"`
	// TownUrbanThreshold is the urbanisation a town needs to receive delegated authority.
	TownUrbanThreshold float64 `yaml:"town_urban_threshold"`
	// Start is the month devolution takes effect.
	Start int `yaml:"start"`
}

// PMC is the province-managing-county reform and its pilot path.
type PMC struct {
	// Enabled switches the province-managing-county reform on.
	Enabled bool `yaml:"enabled"`
	// Mode is "three-step" (cohorts move through steps 1, 2, 3 on their dates) or "one-shot"
	// (every selected county jumps to step 3 at its cohort's Step1 month).
	Mode string `yaml:"mode"`
	// Selection chooses the pilots.
	Selection Selection `yaml:"selection"`
	// Cohorts are the waves of pilots, each with its dates for steps 1, 2 and 3.
	Cohorts []Cohort `yaml:"cohorts"`
	// Widening says when pilots move on.
	Widening Widening `yaml:"widening"`
}

// Selection chooses pilot counties and their order of entry.
type Selection struct {
	// Method is "index" (ranked by composite index), "list" (named counties, in cohort order)
	// or "random".
	Method string `yaml:"method"`
	// StrengthWeight weighs economic strength (GDP per capita rank) in the composite index.
	StrengthWeight float64 `yaml:"strength_weight"`
	// LayoutWeight weighs town layout (population share in sizeable urbanised towns).
	LayoutWeight float64 `yaml:"layout_weight"`
	// BasisWeight weighs reform basis (institutional quality and preparation).
	BasisWeight float64 `yaml:"basis_weight"`
}

// Cohort is one wave of pilots: its size and the months (from the start) at which it enters
// steps 1, 2 and 3. A negative step month means the cohort never reaches that step.
type Cohort struct {
	// Name labels the cohort in outputs (cohort:NAME groups).
	Name string `yaml:"name"`
	// Share of all counties in the province (used when Counties is empty and Method is not
	// "list"); 1 takes every remaining county.
	Share float64 `yaml:"share"`
	// Counties names the cohort's counties when the selection method is "list".
	Counties []string `yaml:"counties"`
	// Step1 is the month the province starts managing the cohort's finances (-1: never).
	Step1 int `yaml:"step1"`
	// Step2 is the month the cohort gets prefecture-level authority (-1: never).
	Step2 int `yaml:"step2"`
	// Step3 is the month the cohort leaves its prefecture (-1: never).
	Step3 int `yaml:"step3"`
}

// Widening says when a pilot may move on. By "date" it moves on its cohort's dates; by
// "criterion" the dates are the earliest months and the county must also have run normally
// (no red debt warning and no wage arrears) for NormalMonths consecutive months.
type Widening struct {
	// By is "date" or "criterion".
	By string `yaml:"by"`
	// NormalMonths is the run of normal months the criterion asks for.
	NormalMonths int `yaml:"normal_months"`
}

// Organisation covers organs, staffing, mandates and vertical departments.
type Organisation struct {
	// StreamlineTarget is the fraction of overlapping organs to merge; StreamlinePace the
	// fraction of the remaining gap closed each month once streamlining starts.
	StreamlineTarget float64 `yaml:"streamline_target"`
	StreamlinePace   float64 `yaml:"streamline_pace"`
	// StreamlineStart is the month streamlining starts.
	StreamlineStart int `yaml:"streamline_start"`
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
	// PhaseYears is the years over which both reach their values after Start, linearly
	// (0 = at once): online services and consultation procedures take years to build.
	PhaseYears float64 `yaml:"phase_years"`
}

// Approval covers administrative-approval reform.
type Approval struct {
	// ItemCut is the share of approval items abolished.
	ItemCut float64 `yaml:"item_cut"`
	// StepCut is the share of procedural steps cut from the items left.
	StepCut float64 `yaml:"step_cut"`
	// OneStop is the share of requests handled at a one-stop hall, where items and
	// department sign-offs run in parallel.
	OneStop float64 `yaml:"one_stop"`
	// Start is the month the approval reform takes effect.
	Start int `yaml:"start"`
	// Patience is the investors' patience: the abandonment rate per day of waiting beyond
	// 30 days is 1/Patience.
	Patience float64 `yaml:"patience_days"`
	// PhaseYears is the years over which the cuts and one-stop service above take full
	// effect after Start, linearly (0 = at once).
	PhaseYears float64 `yaml:"phase_years"`
	// MarketEntry, Investment, LandUse and OperatingPermit are cuts for one item class, on
	// top of the cuts above (the shares left multiply), each with its own pace.
	MarketEntry ClassCut `yaml:"market_entry"`
	// Investment: see MarketEntry.
	Investment ClassCut `yaml:"investment"`
	// LandUse: see MarketEntry.
	LandUse ClassCut `yaml:"land_use"`
	// OperatingPermit: see MarketEntry.
	OperatingPermit ClassCut `yaml:"operating_permit"`
	// ExPost is the share of operating-permit control moved from approval before the fact to
	// market-regulation inspection after it: those permits are no longer needed, the market
	// branch inspects instead (a cost), and violations its inspections miss cause disputes
	// (a risk). It follows the operating-permit pace.
	ExPost float64 `yaml:"ex_post"`
}

// ClassCut is the reform of one item class: items abolished, steps cut, and the years over
// which both take full effect after approval.start.
type ClassCut struct {
	// ItemCut is the share of the class's items abolished.
	ItemCut float64 `yaml:"item_cut"`
	// StepCut is the share of procedural steps cut from the class's items left.
	StepCut float64 `yaml:"step_cut"`
	// PhaseYears is the class's pace: years to full effect (0 = at once).
	PhaseYears float64 `yaml:"phase_years"`
}

// Finance covers the public-finance rules.
type Finance struct {
	// PriorityRule pays wages first, then operations, then mandatory items, then priorities
	// (保工资、保运转、保重点); off, every item is cut pro rata when cash is short.
	PriorityRule bool `yaml:"priority_rule"`
	// CountyManagedTown puts town finance under the county (乡财县管): no town borrowing,
	// less town misuse, slower town responses, more county administrative load.
	CountyManagedTown bool `yaml:"county_managed_town_finance"`
	// TownManagedVillage puts village funds under the town (村财镇管): fewer leaks.
	TownManagedVillage bool `yaml:"town_managed_village_finance"`
	// RevenueShock cuts every county's own and shared revenue and the province's transfer
	// pool by this share from RevenueShockMonth on (a fiscal stress test; 0 = none).
	RevenueShock float64 `yaml:"revenue_shock"`
	// RevenueShockMonth is the month the shock starts.
	RevenueShockMonth int `yaml:"revenue_shock_month"`
}

// Debt covers the debt rules.
type Debt struct {
	// BorrowLimit is the ceiling on explicit debt as a ratio of annual available revenue.
	BorrowLimit float64 `yaml:"borrow_limit"`
	// NewBorrowQuota is the province's bond quota: a twelfth of this share of annual revenue
	// is released each month, and unused quota carries over up to one year's worth.
	NewBorrowQuota float64 `yaml:"new_borrow_quota"`
	// YellowRatio is the debt ratio (explicit debt over annual revenue) of a yellow warning,
	// which halves borrowing room.
	YellowRatio float64 `yaml:"yellow_ratio"`
	// RedRatio is the debt ratio of a red warning, which raises audit attention and, with
	// RedStopsBorrowing, stops new borrowing.
	RedRatio float64 `yaml:"red_ratio"`
	// RedStopsBorrowing stops new explicit borrowing at a red warning.
	RedStopsBorrowing bool `yaml:"red_stops_borrowing"`
	// StopNewDebt forbids all new explicit borrowing by counties and all new borrowing by
	// towns and villages (the "stop new debt" rule); hidden borrowing is deterred only by
	// detection and accountability.
	StopNewDebt bool `yaml:"stop_new_debt"`
	// Accountability for new debt, 0 to 1: how hard officials are punished when hidden
	// borrowing or misuse is found; it deters both.
	Accountability float64 `yaml:"accountability"`
	// ResolutionRate is the annual share of explicit debt repaid (old debt resolved gradually).
	ResolutionRate float64 `yaml:"resolution_rate"`
	// InterestRate is the annual interest on explicit debt (vehicle debt pays 2 points more,
	// and more again when the county's total debt ratio is high).
	InterestRate float64 `yaml:"interest_rate"`
	// RolloverLimit is the total debt ratio (explicit plus hidden over annual revenue) past
	// which maturing vehicle debt no longer rolls over and must be repaid from the budget.
	RolloverLimit float64 `yaml:"rollover_limit"`
	// AuditRate is the annual share of hidden vehicle debt a debt audit recognises and takes
	// onto the books (摸清旧债; 0 = no audit).
	AuditRate float64 `yaml:"audit_rate"`
	// TownResolution is the annual share of town debt repaid out of town surpluses (the
	// schedule of the town class of old debt).
	TownResolution float64 `yaml:"town_resolution"`
	// VillageResolution is the annual share of village debt repaid out of village funds (the
	// schedule of the village class).
	VillageResolution float64 `yaml:"village_resolution"`
}

// ProvinceRule covers the province's transfer formula and supervision.
type ProvinceRule struct {
	// Equalisation is the weight of fiscal gaps (against population) in general transfers.
	Equalisation float64 `yaml:"equalisation"`
	// TransferShare is general plus earmarked transfers as a share of county GDP in the first
	// year, a proxy for the provincial and central pool.
	TransferShare float64 `yaml:"transfer_share"`
	// EarmarkedShare is the share of transfers that are earmarked, allocated by project
	// capacity (GDP times institutional quality).
	EarmarkedShare float64 `yaml:"earmarked_share"`
	// Audit is audit intensity: detection = 1 - exp(-audit x attention per report).
	Audit float64 `yaml:"audit"`
	// Supervision is the province's supervision capacity (attention units per month) shared
	// over its direct fiscal reports, for the opening span.
	Supervision float64 `yaml:"supervision"`
	// Remittance is the share of a county's own and shared revenue above its standard need
	// that it remits to the province (上解), which adds it to the transfer pool.
	Remittance float64 `yaml:"remittance"`
	// StaffResponse is the share of the extra supervision and approval staff a wider span
	// (or a larger approval load than the economy's growth brings) would need that the
	// province hires, at a cost paid out of its transfer pool; the rest of the load dilutes
	// attention and lengthens its queues (0 = fixed staff, 1 = fully staffed).
	StaffResponse float64 `yaml:"staff_response"`
}

// PrefRule covers prefecture cities' behaviour toward their counties.
type PrefRule struct {
	// KeepShare is the share of transfers passing through that the prefecture keeps (市刮县).
	KeepShare float64 `yaml:"keep_share"`
	// DelayMonths is how long the prefecture holds the rest.
	DelayMonths int `yaml:"delay_months"`
	// RevenueTake is the share of a county's shared revenue the prefecture takes.
	RevenueTake float64 `yaml:"revenue_take"`
	// Supervision is the supervision capacity (attention units per month) of a prefecture
	// supervising 6 counties; a prefecture's staff is sized to the counties it supervises and
	// is reassigned (over about a year) as counties move to the province's supervision.
	Supervision float64 `yaml:"supervision"`
	// Capacity scales the prefecture's approval desk relative to the load it is staffed for.
	Capacity float64 `yaml:"approval_capacity"`
	// Support is the prefecture's support to counties it still governs (市带县), 1 = normal:
	// it scales the support the prefecture pays them out of its budget and its spillover.
	Support float64 `yaml:"support"`
	// Pushback is how hard a prefecture turns against counties that left it: it cuts their
	// residual support and its bureaus' alignment with them.
	Pushback float64 `yaml:"pushback"`
}

// Economy holds the behavioural and calibration parameters of growth and spending.
type Economy struct {
	// BaseGrowth is a county's annual trend growth at strength 1 (TFP grows at BaseGrowth
	// times the labour share, so output grows at BaseGrowth when investment rates are steady).
	BaseGrowth float64 `yaml:"base_growth"`
	// CapitalShare is the output elasticity of private capital (Cobb-Douglas; the rest of
	// output goes to public capital and labour).
	CapitalShare float64 `yaml:"capital_share"`
	// PublicCapitalShare is the output elasticity of public capital (roads, networks, parks
	// built by public production investment).
	PublicCapitalShare float64 `yaml:"public_capital_share"`
	// Depreciation is the annual depreciation rate of private and public capital.
	Depreciation float64 `yaml:"depreciation"`
	// Spillover is the growth a county draws from its prefecture city's economy and support.
	Spillover float64 `yaml:"spillover"`
	// MisuseBase is the misuse rate of discretionary funds with no deterrence.
	MisuseBase float64 `yaml:"misuse_base"`
	// HiddenPropensity is the readiness to borrow off budget what the budget cannot fund.
	HiddenPropensity float64 `yaml:"hidden_propensity"`
	// Convergence is the annual rate at which a county's growth closes its gap in log GDP per
	// capita to the province mean (conditional beta-convergence).
	Convergence float64 `yaml:"convergence"`
	// ShockSD is the standard deviation of county growth shocks (annual rate).
	ShockSD float64 `yaml:"shock_sd"`
	// Heterogeneity is the spread (log standard deviation) of county economic strength.
	Heterogeneity float64 `yaml:"heterogeneity"`
	// InstitutionMean is the mean institutional quality of counties (0 to 1).
	InstitutionMean float64 `yaml:"institution_mean"`
	// TaxRate is the mean county tax base as a share of GDP.
	TaxRate float64 `yaml:"tax_rate"`
	// TaxSpread is the spread (log standard deviation) of counties' tax base over GDP beyond
	// what their strength explains (industrial structure, tax exemptions of farming).
	TaxSpread float64 `yaml:"tax_spread"`
}
