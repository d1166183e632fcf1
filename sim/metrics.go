package sim

import "math"

// Agg says how a metric combines across counties in a group.
type Agg int

const (
	// Sum adds county values (money flows and stocks, counts).
	Sum Agg = iota
	// Mean averages county values with equal weight.
	Mean
	// Weighted averages county values weighted by the metric named in Weight.
	Weighted
	// Ratio divides the group sums of Num and Den and multiplies by Scale.
	Ratio
)

// Kind says how a metric combines across the months of a year.
type Kind int

const (
	// Flow values are summed over the year.
	Flow Kind = iota
	// Stock values are taken at the year's last month.
	Stock
	// Rate values are averaged over the year.
	Rate
)

// MetricDef declares one per-county output (the model's reporters).
type MetricDef struct {
	Name   string
	Unit   string
	Family string // efficiency, cost, fiscal, economy, governance, reform
	Agg    Agg
	Kind   Kind
	Weight string
	Num    string
	Den    string
	Scale  float64
	Help   string
}

// Metric indices into a county's row of values.
const (
	MApprovalDays = iota
	MInvestmentDays
	MMarketEntryDays
	MApprovalP90
	MWithinLimit
	MHops
	MBacklog
	MDecisionDays
	MAbandoned
	MApplications
	MDecided
	MAdminCost
	MAdminShare
	MStaff
	MStaffPer10k
	MApprovalCost
	MCostPerApproval
	MSupervisorAttention
	MProvinceSpan
	MOwnRevenue
	MSharedRevenue
	MLocalRevenue
	MTransfers
	MTransfersKept
	MRemitted
	MTransferDelay
	MInTransit
	MSelfSufficiency
	MSpending
	MWages
	MOperations
	MLivelihood
	MProduction
	MDebtService
	MTownTransfers
	MMisused
	MBalance
	MExplicitDebt
	MHiddenDebt
	MAnnualRevenue
	MDebtRatio
	MWarnGreen
	MWarnYellow
	MWarnRed
	MWageArrears
	MArrearsCounty
	MTownDebt
	MBorrowing
	MHiddenBorrowing
	MIdentifiedDebt
	MHiddenService
	MRolloverFailed
	MTownsRed
	MVillageDebt
	MVillagesRed
	MGDP
	MPop
	MGrowth
	MGDPPerCap
	MInvestment
	MPublicInvestment
	MPrefGrowth
	MFirms
	MFidelity
	MDetection
	MDisputes
	MBias
	MAutonomy
	MTownService
	MTownMisused
	MStep
	MPilot
	NumMetrics
)

// Metrics declares every per-county output in index order.
var Metrics = [NumMetrics]MetricDef{
	MApprovalDays:        {Name: "approval_days", Unit: "days", Family: "efficiency", Agg: Weighted, Kind: Rate, Weight: "applications", Help: "mean days from filing to decision, all item classes"},
	MInvestmentDays:      {Name: "investment_days", Unit: "days", Family: "efficiency", Agg: Mean, Kind: Rate, Help: "mean days for an enterprise investment project approval"},
	MMarketEntryDays:     {Name: "market_entry_days", Unit: "days", Family: "efficiency", Agg: Mean, Kind: Rate, Help: "mean days to start a business (market entry)"},
	MApprovalP90:         {Name: "approval_days_p90", Unit: "days", Family: "efficiency", Agg: Weighted, Kind: Rate, Weight: "applications", Help: "90th percentile of approval days (county mixture; groups: request-weighted mean of county values)"},
	MWithinLimit:         {Name: "within_limit", Unit: "share", Family: "efficiency", Agg: Weighted, Kind: Rate, Weight: "applications", Help: "share of requests decided within the statutory limit"},
	MHops:                {Name: "hops", Unit: "hops per request", Family: "efficiency", Agg: Weighted, Kind: Rate, Weight: "applications", Help: "levels a request travels above the county"},
	MBacklog:             {Name: "backlog", Unit: "requests", Family: "efficiency", Agg: Sum, Kind: Stock, Help: "requests waiting at county, town and department desks"},
	MDecisionDays:        {Name: "decision_days", Unit: "days", Family: "efficiency", Agg: Mean, Kind: Rate, Help: "days for a major public decision"},
	MAbandoned:           {Name: "abandoned_projects", Unit: "projects per month", Family: "efficiency", Agg: Sum, Kind: Flow, Help: "investment projects abandoned for waiting too long"},
	MApplications:        {Name: "applications", Unit: "requests per month", Family: "efficiency", Agg: Sum, Kind: Flow, Help: "approval requests filed"},
	MDecided:             {Name: "decided_locally", Unit: "requests per month", Family: "efficiency", Agg: Sum, Kind: Flow, Help: "requests decided by the county or its towns"},
	MAdminCost:           {Name: "admin_cost", Unit: "million yuan per month", Family: "cost", Agg: Sum, Kind: Flow, Help: "wages plus operations of the county government"},
	MAdminShare:          {Name: "admin_cost_share", Unit: "share", Family: "cost", Agg: Ratio, Kind: Rate, Num: "admin_cost", Den: "spending", Scale: 1, Help: "administrative cost over total spending"},
	MStaff:               {Name: "staff", Unit: "persons", Family: "cost", Agg: Sum, Kind: Stock, Help: "county and town public staff"},
	MStaffPer10k:         {Name: "staff_per_10k", Unit: "staff per 10,000 residents", Family: "cost", Agg: Ratio, Kind: Rate, Num: "staff", Den: "population", Scale: 1e4, Help: "public staff per 10,000 residents"},
	MApprovalCost:        {Name: "approval_cost", Unit: "million yuan per month", Family: "cost", Agg: Sum, Kind: Flow, Help: "administrative cost attributable to approvals"},
	MCostPerApproval:     {Name: "cost_per_approval", Unit: "thousand yuan", Family: "cost", Agg: Ratio, Kind: Rate, Num: "approval_cost", Den: "decided_locally", Scale: 1000, Help: "approval cost per request decided locally"},
	MSupervisorAttention: {Name: "supervisor_attention", Unit: "attention units per report", Family: "cost", Agg: Mean, Kind: Rate, Help: "attention the county's fiscal supervisor gives each report"},
	MProvinceSpan:        {Name: "province_span", Unit: "direct reports", Family: "cost", Agg: Mean, Kind: Rate, Help: "province's fiscal span of control (supervision load)"},
	MOwnRevenue:          {Name: "own_revenue", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "own tax and fee revenue"},
	MSharedRevenue:       {Name: "shared_revenue", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "county's part of shared taxes after any prefecture take"},
	MLocalRevenue:        {Name: "local_revenue", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "own plus shared revenue (general budget revenue)"},
	MTransfers:           {Name: "transfers_received", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "transfers that reached the county"},
	MTransfersKept:       {Name: "transfers_kept", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "transfers kept by the prefecture"},
	MRemitted:            {Name: "remitted", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "revenue remitted to the province (上解), withheld at source"},
	MTransferDelay:       {Name: "transfer_delay", Unit: "months", Family: "fiscal", Agg: Mean, Kind: Rate, Help: "delay of transfers passing through the prefecture"},
	MInTransit:           {Name: "transfers_in_transit", Unit: "million yuan", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "transfers held in the prefecture pipeline"},
	MSelfSufficiency:     {Name: "self_sufficiency", Unit: "share", Family: "fiscal", Agg: Ratio, Kind: Rate, Num: "local_revenue", Den: "spending", Scale: 1, Help: "own plus shared revenue over spending"},
	MSpending:            {Name: "spending", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "total budget spending"},
	MWages:               {Name: "spend_wages", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "wages paid, including arrears paid"},
	MOperations:          {Name: "spend_operations", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "operations"},
	MLivelihood:          {Name: "spend_livelihood", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "livelihood spending"},
	MProduction:          {Name: "spend_production", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "production and infrastructure spending"},
	MDebtService:         {Name: "spend_debt_service", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "interest and principal paid, explicit and vehicle debt"},
	MTownTransfers:       {Name: "spend_towns", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "transfers to towns"},
	MMisused:             {Name: "misused_funds", Unit: "million yuan per month", Family: "governance", Agg: Sum, Kind: Flow, Help: "county funds misused"},
	MBalance:             {Name: "balance", Unit: "million yuan", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "cash balance"},
	MExplicitDebt:        {Name: "explicit_debt", Unit: "million yuan", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "debt on the books"},
	MHiddenDebt:          {Name: "hidden_debt", Unit: "million yuan", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "off-budget debt not yet found"},
	MAnnualRevenue:       {Name: "annual_revenue", Unit: "million yuan per year", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "smoothed annual revenue available (denominator of the debt ratio)"},
	MDebtRatio:           {Name: "debt_ratio", Unit: "ratio", Family: "fiscal", Agg: Ratio, Kind: Rate, Num: "explicit_debt", Den: "annual_revenue", Scale: 1, Help: "explicit debt over annual revenue"},
	MWarnGreen:           {Name: "counties_green", Unit: "counties", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "counties with no debt warning"},
	MWarnYellow:          {Name: "counties_yellow", Unit: "counties", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "counties under a yellow warning"},
	MWarnRed:             {Name: "counties_red", Unit: "counties", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "counties under a red warning"},
	MWageArrears:         {Name: "wage_arrears", Unit: "million yuan", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "unpaid wages owed"},
	MArrearsCounty:       {Name: "counties_with_arrears", Unit: "counties", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "counties owing wages"},
	MTownDebt:            {Name: "town_debt", Unit: "million yuan", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "debt of the county's towns"},
	MBorrowing:           {Name: "borrowing", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "new explicit borrowing"},
	MHiddenBorrowing:     {Name: "hidden_borrowing", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "new hidden borrowing"},
	MIdentifiedDebt:      {Name: "identified_debt", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "hidden debt found by audit (detection or a debt audit) and taken onto the books"},
	MHiddenService:       {Name: "vehicle_debt_service", Unit: "million yuan per month", Family: "fiscal", Agg: Sum, Kind: Flow, Help: "financing-vehicle interest paid and vehicle debt repaid when rollover failed"},
	MRolloverFailed:      {Name: "counties_rollover_failed", Unit: "counties", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "counties whose vehicle debt no longer rolls over"},
	MTownsRed:            {Name: "towns_red", Unit: "towns", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "towns under a red debt warning"},
	MVillageDebt:         {Name: "village_debt", Unit: "million yuan", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "debt of the county's villages"},
	MVillagesRed:         {Name: "towns_villages_red", Unit: "towns", Family: "fiscal", Agg: Sum, Kind: Stock, Help: "towns whose villages are under a red debt warning"},
	MGDP:                 {Name: "gdp", Unit: "million yuan per year", Family: "economy", Agg: Sum, Kind: Stock, Help: "GDP at an annual rate"},
	MPop:                 {Name: "population", Unit: "persons", Family: "economy", Agg: Sum, Kind: Stock, Help: "residents"},
	MGrowth:              {Name: "growth", Unit: "annual rate", Family: "economy", Agg: Weighted, Kind: Rate, Weight: "gdp", Help: "GDP growth at an annual rate"},
	MGDPPerCap:           {Name: "gdp_per_capita", Unit: "yuan", Family: "economy", Agg: Ratio, Kind: Stock, Num: "gdp", Den: "population", Scale: 1e6, Help: "GDP per resident"},
	MInvestment:          {Name: "investment", Unit: "million yuan per month", Family: "economy", Agg: Sum, Kind: Flow, Help: "realised approval-gated private investment"},
	MPublicInvestment:    {Name: "public_investment", Unit: "million yuan per month", Family: "economy", Agg: Sum, Kind: Flow, Help: "realised public production investment (budget and hidden)"},
	MFirms:               {Name: "firms", Unit: "index, opening = 1", Family: "economy", Agg: Mean, Kind: Stock, Help: "stock of firms relative to the county's opening one"},
	MPrefGrowth:          {Name: "prefecture_growth", Unit: "annual rate", Family: "economy", Agg: Mean, Kind: Rate, Help: "growth of the county's (original) prefecture city"},
	MFidelity:            {Name: "fidelity", Unit: "share", Family: "governance", Agg: Mean, Kind: Rate, Help: "share of the province's intent that reaches the county"},
	MDetection:           {Name: "detection", Unit: "probability per month", Family: "governance", Agg: Mean, Kind: Rate, Help: "chance that misuse or hidden debt is found this month"},
	MDisputes:            {Name: "disputes", Unit: "disputes per month", Family: "governance", Agg: Sum, Kind: Flow, Help: "disputes in the county's towns"},
	MBias:                {Name: "production_bias", Unit: "share", Family: "governance", Agg: Mean, Kind: Rate, Help: "share of discretionary spending going to production"},
	MAutonomy:            {Name: "autonomy", Unit: "index 0-1", Family: "governance", Agg: Mean, Kind: Rate, Help: "county discretion from authority held, direct finance and looser supervision"},
	MTownService:         {Name: "town_service", Unit: "index", Family: "governance", Agg: Mean, Kind: Rate, Help: "mean public-service level of the county's towns"},
	MTownMisused:         {Name: "town_misused", Unit: "million yuan per month", Family: "governance", Agg: Sum, Kind: Flow, Help: "town funds misused and village funds leaked"},
	MStep:                {Name: "pmc_step", Unit: "step 0-3", Family: "reform", Agg: Mean, Kind: Stock, Help: "PMC step"},
	MPilot:               {Name: "pilot", Unit: "counties", Family: "reform", Agg: Sum, Kind: Stock, Help: "pilot counties"},
}

// MetricIndex returns the index of the named metric, or -1.
func MetricIndex(name string) int {
	for i, d := range Metrics {
		if d.Name == name {
			return i
		}
	}
	return -1
}

// approvalCostShare is the share of administrative cost spent on approvals (assumption, range
// 0.05-0.12: the approval offices and the time other offices give to sign-offs).
const approvalCostShare = 0.08

// owingTolerance is the wage arrears (million yuan) below which a county counts as owing no
// wages: rounding left by paying arrears back in full (numerical guard).
const owingTolerance = 1e-9

// Values returns the per-county outcome values of the month just simulated: a row of
// NumMetrics values per county, in county order. The slice is reused by the next Step.
func (m *Model) Values() []float64 { return m.values }

// observe fills each county's row of values.
func (m *Model) observe() {
	for i := range m.Counties {
		c := &m.Counties[i]
		v := m.values[i*NumMetrics : (i+1)*NumMetrics]
		apps := 0.0
		var days, within, hops float64
		for k := 0; k < NumClasses; k++ {
			apps += c.apps[k]
			days += c.apps[k] * c.appDays[k]
			within += c.apps[k] * c.appWithin[k]
			hops += c.apps[k] * c.appHops[k]
		}
		decided := 0.0
		for k := 0; k < NumClasses; k++ {
			decided += c.apps[k] * (c.Auth[k][LevelTown] + c.Auth[k][LevelCounty])
		}
		v[MApprovalDays] = days / apps
		v[MInvestmentDays] = c.appDays[Investment]
		v[MMarketEntryDays] = c.appDays[MarketEntry]
		v[MApprovalP90] = c.appP90
		if m.skipP90 {
			v[MApprovalP90] = math.NaN()
		}
		v[MWithinLimit] = within / apps
		if m.skipWithin {
			v[MWithinLimit] = math.NaN()
		}
		v[MHops] = hops / apps
		backlog := c.desk.Backlog + c.townDesk.Backlog
		for d := 0; d < NumDepts; d++ {
			backlog += m.Branches[c.Branches[d]].desk.Backlog
		}
		v[MBacklog] = backlog
		v[MDecisionDays] = c.decisionDays
		v[MAbandoned] = c.Abandoned
		v[MApplications] = apps
		v[MDecided] = decided
		admin := c.Wages + c.ArrearsPaid + c.Ops
		v[MAdminCost] = admin
		v[MSpending] = c.flowOut
		v[MAdminShare] = ratio(admin, c.flowOut)
		staff := c.Staff + c.Leaders + c.townStaff
		v[MStaff] = staff
		v[MPop] = c.Pop
		v[MStaffPer10k] = Metrics[MStaffPer10k].Scale * staff / c.Pop
		v[MApprovalCost] = approvalCostShare * admin
		v[MCostPerApproval] = Metrics[MCostPerApproval].Scale * ratio(approvalCostShare*admin, decided)
		if c.Step >= 1 {
			v[MSupervisorAttention] = m.Provinces[c.Province].Attention
		} else {
			v[MSupervisorAttention] = m.Prefs[c.Pref].Attention
		}
		v[MProvinceSpan] = m.Provinces[c.Province].Span
		v[MOwnRevenue] = c.Own
		v[MSharedRevenue] = c.Shared
		v[MLocalRevenue] = c.Own + c.Shared
		v[MTransfers] = c.Transfers
		v[MTransfersKept] = c.Kept
		v[MRemitted] = c.Remit
		v[MTransferDelay] = c.delayMonths
		v[MInTransit] = c.TransitAmt
		v[MSelfSufficiency] = ratio(c.Own+c.Shared, c.flowOut)
		v[MWages] = c.Wages + c.ArrearsPaid
		v[MOperations] = c.Ops
		v[MLivelihood] = c.Livelihood
		v[MProduction] = c.Production
		v[MDebtService] = c.Interest + c.Principal + c.HiddenInt + c.Forced
		v[MTownTransfers] = c.TownTransfers
		v[MMisused] = c.Misused
		v[MBalance] = c.Balance
		v[MExplicitDebt] = c.Explicit
		v[MHiddenDebt] = c.Hidden
		v[MAnnualRevenue] = c.annualAvail
		v[MDebtRatio] = c.DebtRatio
		v[MWarnGreen] = indicator(c.Warning == Green)
		v[MWarnYellow] = indicator(c.Warning == Yellow)
		v[MWarnRed] = indicator(c.Warning == Red)
		v[MWageArrears] = c.Arrears
		v[MArrearsCounty] = indicator(c.Arrears > owingTolerance)
		v[MTownDebt] = c.townDebt
		v[MTownService] = c.townService
		v[MTownMisused] = c.townLeak
		v[MBorrowing] = c.Borrow
		v[MHiddenBorrowing] = c.HiddenBorrow
		v[MIdentifiedDebt] = c.Identified + c.Audited
		v[MHiddenService] = c.HiddenInt + c.Forced
		v[MRolloverFailed] = indicator(c.RolloverFailed)
		v[MTownsRed] = c.townsRed
		v[MVillageDebt] = c.villageDebt
		v[MVillagesRed] = c.villagesRed
		v[MGDP] = c.GDP
		v[MGrowth] = c.Growth
		v[MGDPPerCap] = Metrics[MGDPPerCap].Scale * c.GDP / c.Pop
		v[MInvestment] = c.Investment
		v[MPublicInvestment] = c.PublicInv
		v[MPrefGrowth] = m.Prefs[c.Pref].Growth
		v[MFirms] = c.Firms
		v[MFidelity] = c.Fidelity
		v[MDetection] = c.Detection
		v[MDisputes] = c.Disputes
		v[MBias] = c.Bias
		v[MAutonomy] = c.Autonomy
		v[MStep] = float64(c.Step)
		v[MPilot] = indicator(c.Pilot)
	}
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func indicator(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
