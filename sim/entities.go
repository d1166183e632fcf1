package sim

// Item classes of approval requests. Each class gates something different: market entry gates
// new firms, investment projects gate private investment, land use gates land-hungry
// investment, operating permits gate services.
const (
	MarketEntry = iota
	Investment
	LandUse
	OperatingPermit
	NumClasses
)

// ClassNames names the item classes in outputs.
var ClassNames = [NumClasses]string{"market_entry", "investment", "land_use", "operating_permit"}

// Levels at which an approval can be decided.
const (
	LevelTown = iota
	LevelCounty
	LevelPrefecture
	LevelProvince
	NumLevels
)

// Vertical-management departments with a branch in every county.
const (
	DeptTax = iota
	DeptMarket
	DeptLand
	NumDepts
)

// Warning levels of the debt early-warning system.
const (
	Green = iota
	Yellow
	Red
)

// queue is an aggregated approval desk: applications arrive, up to Capacity are served per
// month, the rest wait as backlog.
type queue struct {
	Backlog  float64
	Capacity float64
	Arrivals float64
	Served   float64
	// Wait is the mean queueing wait in days of the month just served.
	Wait float64
}

// Province is a provincial government: transfer pool and formula, supervision, audit, and its
// direct reports.
type Province struct {
	Name        string
	Prefs       []int
	Counties    []int
	Supervision float64
	Audit       float64
	// Span is the number of direct fiscal reports: prefectures plus counties whose finances
	// the province manages (PMC step >= 1). AdminSpan is prefectures plus step-3 counties.
	Span      float64
	AdminSpan float64
	Attention float64
	// Pool is the monthly transfer budget: what the province's account receives (its share of
	// the tax collected in its counties, ProvTax; central transfers, Central; remittances,
	// Remitted) less the staff it pays (StaffCost).
	Pool  float64
	pool0 float64
	// ProvTax is the province's share of the taxes collected in its counties this month;
	// Central the central government's transfers to it, on an exogenous path (central0
	// growing at centralG a year from the first burn-in month).
	ProvTax, Central   float64
	central0, centralG float64
	// SupCap is its supervision capacity (attention units per month) and StaffCost what the
	// staff it added to supervision and its approval desk beyond the opening ones cost this
	// month (paid out of the transfer pool).
	SupCap, StaffCost float64
	// Establishment is its establishment quota (编制) for supervision staff, in attention
	// units: revised every estabReview months, it caps SupCap's target in between.
	Establishment float64
	// Remitted is what its counties remitted to it this month (added to the pool).
	Remitted                   float64
	sup0, desk0, span0, growth float64
	gdp0                       float64
	Sent                       float64
	desk                       queue
	fidelity                   float64
	logMeanPC                  float64
}

// Prefecture is a prefecture city: its urban core economy and the counties it supervises.
type Prefecture struct {
	Name string
	// Code is its administrative division code ("" when the world is drawn).
	Code     string
	Province int
	Counties []int
	GDP      float64
	Pop      float64
	Growth   float64
	// Revenue is what it drew from its counties' revenue and transfers this month.
	Revenue float64
	// Span is the number of counties still under its fiscal supervision (step 0);
	// AdminSpan those still administratively subordinate (step < 3).
	Span      float64
	AdminSpan float64
	Attention float64
	// Drawn is what it drew from its counties this month: kept transfers, revenue take and
	// retained land quota valued at land price.
	Drawn float64
	// Lost is the GDP share of its original counties that have left it (step 3).
	Lost float64
	// Budget of the prefecture city this month (million yuan): own revenue from its urban
	// core, revenue taken from counties (Revenue holds take plus kept transfers), core
	// spending, support paid to the counties it governs, public investment in the core, and
	// its cash balance. Land is its land-transfer receipts (土地出让金) on the quota it
	// retains from counties before step 3.
	OwnRevenue, Core, Aid, PublicInv, Balance, Land float64
	// PrivateInv is private investment in the core (million yuan per month).
	PrivateInv float64
	// Kp and Kg are the core's private and public capital stocks (million yuan).
	Kp, Kg float64
	// SupCap is its supervision capacity (attention units per month): staff sized to the
	// counties it supervises, reassigned as counties leave (monitor).
	SupCap      float64
	logA, trend float64
	balancePrev float64
	// aidNeed, aidPaid, land and flowIn are this month's support owed to its counties, the
	// share of it paid, its land-transfer receipts and its budget receipts.
	aidNeed, aidPaid, land, flowIn float64
	baseG                          float64
	strength                       float64
	// popTerm is the labour term of output, labour share times log population (population
	// is fixed; cached by initCapital).
	popTerm  float64
	desk     queue
	fidelity float64
}

// Branch is one county's branch of a vertical-management department.
type Branch struct {
	Dept   int
	County int
	// Superior is the level of its line superior: LevelPrefecture or LevelProvince.
	Superior  int
	Alignment float64
	align0    float64
	// Target is the land quota its prefecture retains per year (land branches only).
	Target float64
	Effort float64
	desk   queue
	// Quota is the land quota available (land branches only), in land-use requests.
	Quota float64
}

// Town is a town or township (乡镇).
type Town struct {
	County   int
	Pop      float64
	Urban    float64
	Share    float64
	Category int
	Staff    float64
	Leaders  float64
	Villages int
	// Delegated is true when the town holds delegated county authority.
	Delegated bool
	// CountyManaged is true when the county manages its finance (乡财县管).
	CountyManaged  bool
	Revenue        float64
	Mandates       float64
	Unfunded       float64
	Debt           float64
	Service        float64
	Disputes       float64
	Misused        float64
	VillageLeak    float64
	Balance        float64
	Borrowed       float64
	repaid         float64
	unpaidInterest float64
	Organs         float64
	// Warning is the town's debt warning (debt over a year's receipts) and VillageWarning
	// that of its villages (village debt over a year's village funds).
	Warning, VillageWarning int
	// VillageDebt is the debt of the town's villages; VillageBorrowed, VillageRepaid and
	// VillageWorks their borrowing, repayment and spending on village works this month.
	VillageDebt, VillageBorrowed, VillageRepaid, VillageWorks float64
}

// County is a county-level unit outside city districts.
type County struct {
	ID   int
	Name string
	// Code is its administrative division code ("" when the world is drawn).
	Code     string
	Province int
	Pref     int
	Towns    [2]int // [first, last) into Model.Towns

	Pop      float64
	GDP      float64 // annualised, million yuan
	fid0     float64
	Growth   float64 // annual rate, this month
	gBase    float64
	Strength float64
	IQ       float64
	Urban    float64
	Layout   float64
	Basis    float64
	Tie      float64
	Index    float64
	Tercile  int
	shockAR  float64

	Organs    float64
	organs0   float64
	Overlap   float64
	overlap0  float64
	Staff     float64
	Leaders   float64
	Merging   float64
	Autonomy  float64
	Bias      float64
	bias0     float64
	Fidelity  float64
	Detection float64
	Fear      float64

	Auth      [NumClasses][NumLevels]float64
	Step      int
	Cohort    int // -1: not a pilot
	Pilot     bool
	NormalRun int
	// StepMonth is the month the county's cohort is scheduled to enter each step (-1:
	// never); StepAt the month it actually entered it (-1: not yet), which differs from
	// StepMonth when widening waits for normal running. Month 0 is the first reported month.
	StepMonth  [4]int
	StepAt     [4]int
	desk       queue
	townDesk   queue
	Branches   [NumDepts]int
	appDays    [NumClasses]float64
	appHops    [NumClasses]float64
	appWithin  [NumClasses]float64
	appP90     float64
	apps       [NumClasses]float64
	pipeline   [maxDelay + 1]float64
	pipeHead   int
	TransitAmt float64

	// Monthly flows (million yuan).
	Own, Shared, Transfers, Kept, Borrow, HiddenBorrow     float64
	Wages, Ops, Livelihood, Production                     float64
	TownTransfers, Misused, Interest, Principal, Arrears   float64
	ArrearsPaid, Abandoned, Investment, PublicInv, Revenue float64
	Balance, Explicit, Hidden, DebtRatio, Disputes         float64
	Warning                                                int
	annualAvail                                            float64
	decisionDays, delayMonths, transition                  float64
	wageRate, transferGeneral, transferEarmarked           float64
	flowIn, flowOut, explicitPrev, balancePrev             float64
	transitPrev, unpaidInterest, Identified, quotaLeft     float64
	townShare, townDebt, townService, townLeak             float64
	townWageUnits, townFixed, townPop, townOwed            float64
	townStaff                                              float64
	devolved                                               bool
	climate, selfSuff                                      float64
	step3Month                                             int
	// aidNeed is the support due from the prefecture this month (prefBudget); provTax the
	// province's share of the taxes collected in the county this month (revenue).
	aidNeed, provTax float64
	// taken is the prefecture's take of the county's shared revenue this month; review the
	// smoothed share of its money under the prefecture's budget review while at step 0
	// (transfer), frozen from step 1 on (autonomy).
	taken, review float64
	hiddenPrev    float64
	// Aid is the prefecture's support paid to the county this month (million yuan); Land its
	// land-transfer receipts on the quota its prefecture retained before step 3 (after step 3).
	Aid, Land float64
	// Remit is the revenue it remitted to the province this month (上解, million yuan).
	Remit float64
	// settle is the transfer stock in the prefecture's pipeline when the province took over
	// the county's finances, paid out evenly over settleMonths (no double payment).
	settle            float64
	kPriv, kPub, logA float64
	wage0, det0       float64
	// popTerm (labour share times log population) is cached by initCapital: population is
	// fixed.
	popTerm float64
	// decisionArg and decisionExp memoise exp(decisionArg), the decision-time discount of
	// public investment (spend).
	decisionArg, decisionExp float64
	taxRate                  float64
	// transferAdj is the county's own transfer component at the opening (monthly, million
	// yuan), set from a given opening spending or transfers (world.go, countyTransfers); 0
	// for a county whose transfers all come from the formula.
	transferAdj float64
	// HiddenRate is the annual rate on vehicle debt this month, HiddenInt the vehicle
	// interest the county paid, Forced the vehicle debt it repaid because rollover failed
	// (RolloverFailed), and Audited the vehicle debt a debt audit recognised (million yuan).
	HiddenRate, HiddenInt, Forced, Audited float64
	RolloverFailed                         bool
	hiddenUnpaid                           float64
	townsRed, villagesRed, villageDebt     float64
	// Firms is the county's stock of firms relative to its opening one.
	Firms               float64
	entry0, inspections float64
}

const maxDelay = 12
