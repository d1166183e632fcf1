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
	// Name is its name.
	Name string
	// Prefs are the indices of its prefecture cities in Model.Prefs.
	Prefs []int
	// Counties are the indices of its counties in Model.Counties.
	Counties []int
	// Supervision is its supervision capacity at the start (attention units per month, from
	// Config.Province.Supervision).
	Supervision float64
	// Audit is its audit intensity (index, from Config.Province.Audit): a county's monthly
	// detection is 1 - exp(-Audit x its supervisor's Attention).
	Audit float64
	// Span is the number of direct fiscal reports: prefectures plus counties whose finances
	// the province manages (PMC step >= 1). AdminSpan is prefectures plus step-3 counties.
	Span, AdminSpan float64
	// Attention is its supervision capacity per direct report (attention units per report per
	// month): SupCap over Span.
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
	// Sent is the transfers it sent out this month, to counties directly or through their
	// prefecture cities (million yuan).
	Sent      float64
	desk      queue
	fidelity  float64
	logMeanPC float64
}

// Prefecture is a prefecture city: its urban core economy and the counties it supervises.
type Prefecture struct {
	// Name is its name.
	Name string
	// Code is its administrative division code ("" when the world is drawn).
	Code string
	// Province is the index of its province in Model.Provinces.
	Province int
	// Counties are the indices in Model.Counties of the counties it had at the start.
	Counties []int
	// GDP is its urban core's gross domestic product at an annual rate (million yuan per
	// year), Pop the core's residents (persons), Growth the core's GDP growth this month at an
	// annual rate.
	GDP, Pop, Growth float64
	// Revenue is what it drew from its counties' revenue and transfers this month.
	Revenue float64
	// Span is the number of counties still under its fiscal supervision (step 0);
	// AdminSpan those still administratively subordinate (step < 3).
	Span, AdminSpan float64
	// Attention is its supervision capacity per supervised county (attention units per
	// county per month): SupCap over Span (at least 1).
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
	// Dept is its department (DeptTax, DeptMarket or DeptLand).
	Dept int
	// County is the index of the county it serves in Model.Counties.
	County int
	// Superior is the level of its line superior: LevelPrefecture or LevelProvince.
	Superior int
	// Alignment is how far it works with the county government rather than against it
	// (0-1): it sets signing waits, inspections and, for the tax bureau, collection effort.
	Alignment float64
	align0    float64
	// Target is the land quota its prefecture retains per year (land branches only).
	Target float64
	// Effort is the tax bureau's collection effort (multiplier on the tax base; 1 when fully
	// aligned; tax branches only).
	Effort float64
	desk   queue
	// Quota is the land quota available (land branches only), in land-use requests.
	Quota float64
}

// Town is a town or township (乡镇).
type Town struct {
	// County is the index of its county in Model.Counties.
	County int
	// Pop is its resident population (persons).
	Pop float64
	// Urban is its urbanisation rate (share of residents).
	Urban float64
	// Share is its share of the county's town revenue base (weights sum to 1 in a county).
	Share float64
	// Category is its class under town classification (1 large and urbanised, 2 mid-sized, 3
	// small).
	Category int
	// Staff is its public staff (persons) and Leaders its leadership posts (posts).
	Staff, Leaders float64
	// Villages is its number of administrative villages.
	Villages int
	// Delegated is true when the town holds delegated county authority.
	Delegated bool
	// CountyManaged is true when the county manages its finance (乡财县管).
	CountyManaged bool
	// Revenue is its own revenue this month (million yuan per month).
	Revenue float64
	// Mandates are the tasks passed down to it this month, costed (million yuan per month),
	// and Unfunded the part of them no transfer pays for.
	Mandates, Unfunded float64
	// Debt is its debt (million yuan).
	Debt float64
	// Service is its public-service level (index, 1 = meeting the need; up to 1.5).
	Service float64
	// Disputes are the disputes arising in it this month (disputes per month).
	Disputes float64
	// Misused is its funds misused and VillageLeak the village funds lost this month
	// (million yuan per month).
	Misused, VillageLeak float64
	// Balance is its cash balance (million yuan) and Borrowed its borrowing this month
	// (million yuan per month).
	Balance, Borrowed float64
	repaid            float64
	unpaidInterest    float64
	// Organs is its number of organs (offices).
	Organs float64
	// Warning is the town's debt warning (debt over a year's receipts) and VillageWarning
	// that of its villages (village debt over a year's village funds).
	Warning, VillageWarning int
	// VillageDebt is the debt of the town's villages; VillageBorrowed, VillageRepaid and
	// VillageWorks their borrowing, repayment and spending on village works this month.
	VillageDebt, VillageBorrowed, VillageRepaid, VillageWorks float64
}

// County is a county-level unit outside city districts (县、县级市). Its state is split into
// embedded parts by concern, in an order that keeps the fields where they were (the memory
// layout and the saved-state format depend on it; TestCountyLayout checks both): its traits,
// its organisation, its place in the reform, its approval desks, the month's budget and its
// debt. Fields of the parts are used as fields of the County (c.Pop, c.Step, c.Explicit).
type County struct {
	// ID is its index in Model.Counties.
	ID int
	// Name is its name (Chinese for a real county).
	Name string
	// Code is its administrative division code ("" when the world is drawn).
	Code string
	// Province is the index of its province in Model.Provinces.
	Province int
	// Pref is the index of its (original) prefecture city in Model.Prefs; it stays the same
	// after the county leaves the prefecture at step 3.
	Pref int
	// Towns is its range [first, last) in Model.Towns.
	Towns [2]int

	CountyTraits
	CountyOrganisation
	CountyReform
	countyApprovals
	CountyBudget

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

	CountyDebt

	// Firms is the county's stock of firms relative to its opening one (index, opening = 1).
	Firms               float64
	entry0, inspections float64
}

// CountyTraits are a county's people, economy and the traits that rank it.
type CountyTraits struct {
	// Pop is its resident population (persons; fixed over a run).
	Pop float64
	// GDP is its gross domestic product at an annual rate (million yuan per year).
	GDP  float64
	fid0 float64
	// Growth is its GDP growth this month, at an annual rate.
	Growth float64
	gBase  float64
	// Strength is its economic strength: GDP per capita relative to the province's typical
	// county (1 = typical).
	Strength float64
	// IQ is the quality of its institutions (index, about 0.2 to 1), which raises the return on
	// public investment and lowers misuse.
	IQ float64
	// Urban is its urbanisation rate (share of residents in towns).
	Urban float64
	// Layout is the share of its residents living in large urbanised towns (a pilot-selection
	// criterion, share).
	Layout float64
	// Basis is its reform basis (index 0-1), a pilot-selection criterion.
	Basis float64
	// Tie is its economic tie to the prefecture city (0.3 weak to 1 full), which scales the
	// spillover from the city's growth.
	Tie float64
	// Index is its composite pilot-selection index (weighted within-province percentile
	// ranks of strength, layout and basis; 0 when pilots are drawn at random).
	Index float64
	// Tercile is its strength tercile within its province (0 weakest, 2 strongest).
	Tercile int
	shockAR float64
}

// CountyOrganisation is a county government's organisation: its organs and staff, the
// streamlining under way, and how it governs (discretion, spending bias, supervision felt).
type CountyOrganisation struct {
	// Organs is its number of government organs (党政机构).
	Organs  float64
	organs0 float64
	// Overlap is the share of its organs whose functions overlap another's.
	Overlap  float64
	overlap0 float64
	// Staff is its public staff (persons) and Leaders its leadership posts (posts).
	Staff, Leaders float64
	// Merging is the number of organs being merged this month (streamlining), which slows
	// the county's approval desk.
	Merging float64
	// Autonomy is its discretion from authority held, direct finance and looser supervision
	// (index 0-1).
	Autonomy float64
	// Bias is the share of its discretionary spending that goes to production.
	Bias  float64
	bias0 float64
	// Fidelity is the share of the province's intent that reaches it through the chain.
	Fidelity float64
	// Detection is the probability this month that misuse or hidden debt is found.
	Detection float64
	// Fear is the deterrence left by past findings (probability points, at most fearMax),
	// decaying every month.
	Fear float64
}

// CountyReform is a county's place in the province-managing-county reform.
type CountyReform struct {
	// Auth[k][l] is the share of approval requests of class k decided at level l (each row
	// sums to 1).
	Auth [NumClasses][NumLevels]float64
	// Step is its PMC step (0 none, 1 finance, 2 powers, 3 governance).
	Step int
	// Cohort is the index of its pilot cohort in Config.PMC.Cohorts (-1: not a pilot).
	Cohort int
	// Pilot is true for a county selected into a cohort.
	Pilot bool
	// NormalRun is its run of normal months (no red debt warning, no wage arrears), which
	// widening by criterion asks for before a step.
	NormalRun int
	// StepMonth is the month the county's cohort is scheduled to enter each step (-1:
	// never; PMC.Planned); StepAt the month it actually entered it (-1: not yet), which differs
	// from StepMonth when widening waits for normal running. Month 0 is the first reported
	// month.
	StepMonth, StepAt [4]int
}

// countyApprovals are a county's approval desks (its own, its towns') and the month's
// approval outcomes by item class.
type countyApprovals struct {
	desk     queue
	townDesk queue
	// Branches are the indices in Model.Branches of its branches of the vertical-management
	// departments, by department (DeptTax, DeptMarket, DeptLand).
	Branches  [NumDepts]int
	appDays   [NumClasses]float64
	appHops   [NumClasses]float64
	appWithin [NumClasses]float64
	appP90    float64
	apps      [NumClasses]float64
}

// CountyBudget is a county's budget of the month: transfers in the prefecture's pipeline,
// revenue, spending, borrowing and the debt stocks and warning its accounts book, with the
// working values the fiscal mechanisms carry from month to month. Flows are million yuan per
// month, stocks million yuan.
type CountyBudget struct {
	pipeline [maxDelay + 1]float64
	pipeHead int
	// TransitAmt is the transfers held in the prefecture's pipeline on their way to the
	// county (million yuan).
	TransitAmt float64

	// Own is its own tax and fee revenue and Shared its part of the shared taxes after the
	// prefecture's take; Transfers are the transfers that reached it and Kept those its
	// prefecture kept back; Borrow its new explicit and HiddenBorrow its new hidden (vehicle)
	// borrowing (million yuan per month).
	Own, Shared, Transfers, Kept, Borrow, HiddenBorrow float64
	// Wages (paid this month, arrears paid apart), Ops (operations), Livelihood and
	// Production are its spending by use (million yuan per month).
	Wages, Ops, Livelihood, Production float64
	// TownTransfers is what it passed to its towns, Misused its funds misused, Interest and
	// Principal its explicit debt service, and Arrears the wages it owes (a stock, million
	// yuan).
	TownTransfers, Misused, Interest, Principal, Arrears float64
	// ArrearsPaid is the wage arrears it paid this month, Abandoned the investment projects
	// abandoned while waiting for approval (projects per month), Investment the private and
	// PublicInv the public production investment realised this month, Revenue its budget
	// receipts (million yuan per month unless stated).
	ArrearsPaid, Abandoned, Investment, PublicInv, Revenue float64
	// Balance is its cash balance, Explicit its debt on the books and Hidden its off-budget
	// (vehicle) debt not yet found (million yuan); DebtRatio explicit debt over annual
	// revenue (ratio); Disputes the disputes in its towns this month (disputes per month).
	Balance, Explicit, Hidden, DebtRatio, Disputes float64
	// Warning is its debt warning (Green, Yellow or Red).
	Warning                               int
	annualAvail                           float64
	decisionDays, delayMonths, transition float64
	wageRate, transferGeneral             float64
	transferEarmarked                     float64
	flowIn, flowOut, explicitPrev         float64
	balancePrev                           float64
	transitPrev, unpaidInterest           float64
	// Identified is the hidden debt found this month and taken onto the books (million
	// yuan).
	Identified                        float64
	quotaLeft                         float64
	townShare, townDebt, townService  float64
	townLeak                          float64
	townWageUnits, townFixed, townPop float64
	townOwed                          float64
	townStaff                         float64
	devolved                          bool
	climate, selfSuff                 float64
	step3Month                        int
	// aidNeed is the support due from the prefecture this month (prefBudget); provTax the
	// province's share of the taxes collected in the county this month (revenue).
	aidNeed, provTax float64
	// taken is the prefecture's take of the county's shared revenue this month; review the
	// smoothed share of its money under the prefecture's budget review while at step 0
	// (transfer), frozen from step 1 on (autonomy).
	taken, review float64
	hiddenPrev    float64
	// Aid is the prefecture's support paid to the county this month (million yuan); Land its
	// land-transfer receipts on the quota its prefecture retained before step 3 (after step 3;
	// million yuan).
	Aid, Land float64
	// Remit is the revenue it remitted to the province this month (上解, million yuan).
	Remit float64
	// settle is the monthly payment that settles the transfer stock in the prefecture's
	// pipeline when the province took over the county's finances: the stock over
	// settleMonths (no double payment).
	settle float64
}

// CountyDebt is a county's financing-vehicle (hidden) debt service this month and the debt
// of its towns and villages.
type CountyDebt struct {
	// HiddenRate is the annual rate on vehicle debt this month, HiddenInt the vehicle
	// interest the county paid, Forced the vehicle debt it repaid because rollover failed
	// (RolloverFailed), and Audited the vehicle debt a debt audit recognised (million yuan).
	HiddenRate, HiddenInt, Forced, Audited float64
	// RolloverFailed is true when its vehicle debt no longer rolls over.
	RolloverFailed                     bool
	hiddenUnpaid                       float64
	townsRed, villagesRed, villageDebt float64
}

const maxDelay = 12
