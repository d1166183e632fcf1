package sim

// Config is everything a run needs: the world (structure, seed, horizon) and every reform lever.
// Scenario files map onto it one to one through the yaml tags; DefaultConfig gives the values a
// partial scenario inherits. Units: money in million yuan, time in months unless a field says
// days, shares in [0, 1]. Every field is declared once, here: its doc comment is its meaning and
// its tags give its range, unit, Chinese name, source and page lever (see params.go); validation,
// the README and docs/MODEL.md field tables, scenarios show --explain and the page's levers are
// derived from it (go generate ./sim after a change).
type Config struct {
	// Seed drives every random draw of the run.
	Seed uint64 `yaml:"seed" allowed:"a whole number, 0 or more" zh:"随机种子" lever:"run" label:"Random seed" source:"convention"`
	// Months is the horizon, after a 24-month burn-in that is not reported.
	Months int `yaml:"months" range:"1,600" unit:"months" zh:"模拟月数" lever:"run,min=12,step=12" label:"Months to simulate" source:"model-brief section 2: horizons of 10-30 years"`
	// StartYear is the calendar year of month 1 (month index 0); it only labels outputs.
	StartYear int `yaml:"start_year" range:"1950,2100" unit:"year" zh:"起始年份" source:"the year Jiangxi's pilots began (data README)"`

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
	Provinces []ProvinceSpec `yaml:"provinces" allowed:"1 to 64 provinces, at most 5000 counties in all" zh:"省份" source:"admin-units.csv (Henan 2009), as the henan preset"`
}

// ProvinceSpec gives one province's counts. Counties are spread over prefectures and towns over
// counties by the seeded generator (see Initialisation in docs/MODEL.md).
type ProvinceSpec struct {
	// Name labels the province in outputs.
	Name string `yaml:"name" allowed:"a non-empty name" zh:"省名" source:"admin-units.csv (Henan 2009), as the henan preset"`
	// Prefectures is the number of prefecture cities.
	Prefectures int `yaml:"prefectures" range:"1,200" rule:"at most the number of counties" unit:"count" zh:"地级市数" source:"admin-units.csv (Henan 2009), as the henan preset"`
	// Counties is the number of county-level units outside city districts.
	Counties int `yaml:"counties" allowed:"1 to 5000 (0 with a county_list: its length)" unit:"count" zh:"县数" source:"admin-units.csv (Henan 2009): county_level_non_district, as the henan preset"`
	// Towns is the number of towns and townships in those counties.
	Towns int `yaml:"towns" allowed:"3 to 100 per county (0 with a county_list: apportioned)" unit:"count" zh:"乡镇数" source:"admin-units.csv (Henan 2009): 2,361 township-level units times 34,170 / 40,858, as the henan preset"`
	// CountyNames names the first len(CountyNames) counties (the rest are numbered); pilot
	// lists refer to these names.
	CountyNames []string `yaml:"county_names" allowed:"unique non-empty names, at most one per county" zh:"县名"`
	// StrongCounties marks named counties as economically strong (strength drawn from the top
	// decile), as real pilots listed by name were.
	StrongCounties bool `yaml:"strong_named_counties" zh:"具名县为经济强县"`
	// CountyList, when not empty, fixes every county instead of drawing the counties from the
	// counts: Counties must equal len(CountyList) or be 0 (then it is set from the list); each
	// county gets its prefecture, name and code, and the traits given (a zero trait is drawn
	// as for a drawn county; every trait is still drawn in the same order, so the draws of the
	// others do not depend on which are given). A list name takes precedence over CountyNames.
	CountyList []CountySpec `yaml:"county_list" allowed:"a list of counties; counties must be 0 or its length" zh:"县名单" source:"the census-based presets"`
	// PrefectureNames names the prefectures in outputs (optional; len = Prefectures).
	PrefectureNames []string `yaml:"prefecture_names" allowed:"empty or one name per prefecture" zh:"地级市名"`
	// PrefectureCodes gives the prefectures' administrative division codes (optional; len =
	// Prefectures).
	PrefectureCodes []string `yaml:"prefecture_codes" allowed:"empty or one code per prefecture" zh:"地级市行政区划代码"`
}

// CountySpec fixes one county's identity and traits instead of drawing them.
type CountySpec struct {
	// Name is the county's name, unique in the world (empty: numbered).
	Name string `yaml:"name" allowed:"a unique non-empty name, or empty (numbered)" zh:"县名"`
	// Code is the county's 2010 administrative division code, "" if none.
	Code string `yaml:"code" allowed:"text" zh:"行政区划代码"`
	// Prefecture is the 0-based index of the county's prefecture in the province.
	Prefecture int `yaml:"prefecture" allowed:"a prefecture index from 0 to prefectures-1" unit:"index" zh:"所属地级市序号"`
	// Population is the county's residents (0: drawn).
	Population float64 `yaml:"population" range:"0,5e7" allowed:"0 (draw) or a number of residents up to 50 million" unit:"persons" zh:"常住人口"`
	// Urban is the county's urbanisation share (0: drawn).
	Urban float64 `yaml:"urban" range:"0,1" unit:"share" zh:"城镇化率"`
	// Strength is the county's economic strength, its GDP per capita relative to the
	// province's typical county (1 = typical; 0: drawn).
	Strength float64 `yaml:"strength" range:"0,100" unit:"x typical county" zh:"经济实力"`
	// StrengthPartial says Strength is an index from indicators that see only part of the
	// spread of GDP per capita (the census mapping): the build multiplies it by a drawn
	// residual so that the province's log standard deviation of strength is
	// economy.heterogeneity (docs/MODEL.md 5.3). False: Strength is taken as it is.
	StrengthPartial bool `yaml:"strength_partial" zh:"经济实力为部分指标估计"`
	// IQ is the county's institutional quality, 0 to 1 (0: drawn).
	IQ float64 `yaml:"iq" range:"0,1" unit:"index" zh:"制度质量"`
	// Towns is the county's number of towns and townships (0: apportioned by population).
	Towns int `yaml:"towns" range:"minTownsPerCounty,maxTownsPerCounty" zero:"apportion" unit:"count" zh:"乡镇数"`
	// Revenue is the county's own general-budget revenue in the opening year (0: derived). It
	// sets the county's tax base over GDP so that its opening revenue, own and shared taxes
	// less the prefecture's take at the opening tax effort, times 12, equals it.
	Revenue float64 `yaml:"revenue" range:"0,1e7" allowed:"0 (derived) or million yuan a year up to 10 million" unit:"million yuan per year" zh:"一般公共预算收入"`
	// Spending is the county's general-budget spending in the opening year (0: derived). It
	// sets the county's own transfer component so that its opening available revenue, which it
	// spends, equals it; not together with Transfers.
	Spending float64 `yaml:"spending" range:"0,1e7" allowed:"0 (derived) or million yuan a year up to 10 million" rule:"0 when transfers is given" unit:"million yuan per year" zh:"一般公共预算支出"`
	// Debt is the county's explicit government debt at the opening (0: derived); its hidden
	// debt opens at the usual share of it.
	Debt float64 `yaml:"debt" range:"0,1e7" allowed:"0 (derived) or million yuan up to 10 million" unit:"million yuan" zh:"政府显性债务"`
	// Transfers is what the county receives from above in the opening year, after the
	// prefecture's kept share (0: derived). It sets the county's own transfer component, a
	// central transfer outside the province's formula, so that its opening transfers equal it.
	Transfers float64 `yaml:"transfers" range:"0,1e7" allowed:"0 (derived) or million yuan a year up to 10 million" unit:"million yuan per year" zh:"上级转移支付收入"`
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
	Economic float64 `yaml:"economic" range:"0,1" unit:"share" zh:"向县下放经济管理权限" lever:"devolution,step=0.05" label:"Economic powers to counties" source:"none by default (CMC baseline)"`
	// Social is the share of social-affairs authority (operating permits) that moves down.
	Social float64 `yaml:"social" range:"0,1" unit:"share" zh:"向县下放社会管理权限" lever:"devolution,step=0.05" label:"Social-affairs powers to counties" source:"none by default"`
	// Personnel is the degree of cadre-personnel authority given to counties: more staffing
	// freedom (desk capacity) and more autonomy.
	Personnel float64 `yaml:"personnel" range:"0,1" unit:"share" zh:"向县下放人事管理权限" lever:"devolution,step=0.05" label:"Personnel powers to counties" source:"none by default"`
	// TownEconomic is the share of county-held economic authority delegated to towns whose
	// urbanisation is at least TownUrbanThreshold.
	TownEconomic float64 `yaml:"town_economic" range:"0,1" unit:"share" zh:"向强镇下放经济权限" lever:"devolution,step=0.05" label:"Towns: economic powers" source:"none by default"`
	// TownSocial is the share of county-held social-affairs authority delegated to towns whose
	// urbanisation is at least TownUrbanThreshold.
	TownSocial float64 `yaml:"town_social" range:"0,1" unit:"share" zh:"向强镇下放社会权限" lever:"devolution,step=0.05" label:"Towns: social-affairs powers" source:"none by default"`
	// TownUrbanThreshold is the urbanisation a town needs to receive delegated authority.
	TownUrbanThreshold float64 `yaml:"town_urban_threshold" range:"0,1" unit:"share" zh:"强镇放权的城镇化门槛" source:"assumption: a majority-urban town"`
	// Start is the month devolution takes effect.
	Start int `yaml:"start" range:"0,600" unit:"month" zh:"扩权开始月份"`
}

// PMC is the province-managing-county reform and its pilot path.
type PMC struct {
	// Enabled switches the province-managing-county reform on.
	Enabled bool `yaml:"enabled" zh:"实行省直管县" lever:"pmc" label:"Province manages county"`
	// Mode is "three-step" (cohorts move through steps 1, 2, 3 on their dates) or "one-shot"
	// (every selected county jumps to step 3 at its cohort's Step1 month).
	Mode PMCMode `yaml:"mode" oneof:"three-step,one-shot" zh:"推进方式" lever:"pmc" label:"Path" source:"model-brief section 1 (three steps)"`
	// Selection chooses the pilots.
	Selection Selection `yaml:"selection"`
	// Cohorts are the waves of pilots, each with its dates for steps 1, 2 and 3.
	Cohorts []Cohort `yaml:"cohorts" allowed:"a list of cohorts" rule:"at least one when pmc.enabled; shares summing to at most 1 unless the method is list" zh:"试点批次" source:"assumption; cohorts entering two years apart echo Jiangxi's 2005, 2007, 2009 waves (model-brief section 6); half the counties are never pilots"`
	// Widening says when pilots move on.
	Widening Widening `yaml:"widening"`
}

// Selection chooses pilot counties and their order of entry.
type Selection struct {
	// Method is "index" (ranked by composite index), "list" (named counties, in cohort order)
	// or "random".
	Method SelectionMethod `yaml:"method" oneof:"index,list,random" zh:"试点选择方法" source:"model-brief section 1 (strong economy, sound town layout, good reform basis)"`
	// StrengthWeight weighs economic strength (GDP per capita rank) in the composite index.
	StrengthWeight float64 `yaml:"strength_weight" range:"0,1" unit:"weight" zh:"经济实力权重" source:"assumption: economic strength first"`
	// LayoutWeight weighs town layout (population share in sizeable urbanised towns).
	LayoutWeight float64 `yaml:"layout_weight" range:"0,1" unit:"weight" zh:"城镇布局权重" source:"assumption"`
	// BasisWeight weighs reform basis (institutional quality and preparation).
	BasisWeight float64 `yaml:"basis_weight" range:"0,1" unit:"weight" zh:"改革基础权重" source:"assumption"`
}

// Cohort is one wave of pilots: its size and the months (from the start) at which it enters
// steps 1, 2 and 3. A negative step month means the cohort never reaches that step.
type Cohort struct {
	// Name labels the cohort in outputs (cohort:NAME groups).
	Name string `yaml:"name" allowed:"text" zh:"批次名称"`
	// Share of all counties in the province (used when Counties is empty and Method is not
	// "list"); 1 takes every remaining county.
	Share float64 `yaml:"share" range:"0,1" unit:"share" zh:"试点县比例" lever:"pmc,step=0.05" label:"Share of counties" source:"assumption; cohorts entering two years apart echo Jiangxi's 2005, 2007, 2009 waves (model-brief section 6); half the counties are never pilots"`
	// Counties names the cohort's counties when the selection method is "list".
	Counties []string `yaml:"counties" allowed:"names listed in world.provinces[].county_names, each in one cohort" zh:"试点县名单"`
	// Step1 is the month the province starts managing the cohort's finances (-1: never).
	Step1 int `yaml:"step1" range:"-1,600" unit:"month" zh:"第一步（月份）" lever:"pmc,step=1" label:"Step 1 (month)" source:"assumption; cohorts entering two years apart echo Jiangxi's 2005, 2007, 2009 waves (model-brief section 6); half the counties are never pilots"`
	// Step2 is the month the cohort gets prefecture-level authority (-1: never).
	Step2 int `yaml:"step2" range:"-1,600" rule:"-1 (never) or no earlier than step1" unit:"month" zh:"第二步（月份）" lever:"pmc,step=1" label:"Step 2 (month)" source:"assumption; cohorts entering two years apart echo Jiangxi's 2005, 2007, 2009 waves (model-brief section 6); half the counties are never pilots"`
	// Step3 is the month the cohort leaves its prefecture (-1: never).
	Step3 int `yaml:"step3" range:"-1,600" rule:"-1 (never) or, in three-step mode, no earlier than step2" unit:"month" zh:"第三步（月份）" lever:"pmc,step=1" label:"Step 3 (month)" source:"assumption; cohorts entering two years apart echo Jiangxi's 2005, 2007, 2009 waves (model-brief section 6); half the counties are never pilots"`
}

// Widening says when a pilot may move on. By "date" it moves on its cohort's dates; by
// "criterion" the dates are the earliest months and the county must also have run normally
// (no red debt warning and no wage arrears) for NormalMonths consecutive months.
type Widening struct {
	// By is "date" (pilots move on their cohort's dates) or "criterion" (the dates are the
	// earliest months, and a pilot must also have run normally for NormalMonths).
	By WideningBy `yaml:"by" oneof:"date,criterion" zh:"推进依据"`
	// NormalMonths is the run of normal months the criterion asks for.
	NormalMonths int `yaml:"normal_months" range:"0,120" unit:"months" zh:"正常运行月数要求" source:"assumption: a year of normal running"`
}

// Organisation covers organs, staffing, mandates and vertical departments.
type Organisation struct {
	// StreamlineTarget is the fraction of overlapping organs to merge.
	StreamlineTarget float64 `yaml:"streamline_target" range:"0,1" unit:"share" zh:"合并职能重叠机构" lever:"organisation,step=0.05" label:"Merge overlapping organs" source:"none by default"`
	// StreamlinePace is the fraction of the remaining gap to StreamlineTarget closed each
	// month once streamlining starts.
	StreamlinePace float64 `yaml:"streamline_pace" range:"0,1" unit:"share per month" zh:"机构精简速度" source:"assumption: half the gap in about 14 months"`
	// StreamlineStart is the month streamlining starts.
	StreamlineStart int `yaml:"streamline_start" range:"0,600" unit:"month" zh:"机构精简开始月份"`
	// TownCategories turns on town classification: organ caps, smaller staff quotas and fewer
	// leadership posts for ordinary and small towns, applied once at build.
	TownCategories bool `yaml:"town_categories" zh:"乡镇分类管理"`
	// NoPushDown forbids pushing county duties to towns.
	NoPushDown bool `yaml:"no_push_down" zh:"禁止向乡镇推卸责任"`
	// MandateFundedShare is the share of the cost of work asked of towns that the asking level
	// funds (1 = no unfunded mandates).
	MandateFundedShare float64 `yaml:"mandate_funded_share" range:"0,1" unit:"share" zh:"委托事项经费保障比例" source:"assumption (7.8)"`
	// VerticalCoordination is how far the tax, market-regulation and land branches coordinate
	// with the county government.
	VerticalCoordination float64 `yaml:"vertical_coordination" range:"0,1" unit:"share" zh:"垂直管理部门协调程度" lever:"organisation,step=0.05" label:"Vertical departments coordinate" source:"assumption (7.4)"`
}

// Decision covers decision-making procedure.
type Decision struct {
	// Participation is the share of major decisions taken with expert review, consultation
	// and hearings.
	Participation float64 `yaml:"participation" range:"0,1" unit:"share" zh:"重大决策公众参与比例" source:"assumption: little participation in the mid-2000s"`
	// EGovernment is the maturity of e-government, 0 (paper) to 1 (fully online).
	EGovernment float64 `yaml:"egovernment" range:"0,1" unit:"index" zh:"电子政务水平" lever:"approval,step=0.05" label:"E-government" source:"assumption: mostly paper in 2005"`
	// Start is the month participation and e-government take effect; before it decisions are
	// taken on paper with no participation (0 and 0).
	Start int `yaml:"start" range:"0,600" unit:"month" zh:"决策改革开始月份"`
	// PhaseYears is the years over which participation and e-government reach their values
	// after Start, linearly (0 = at once): online services and consultation procedures take
	// years to build.
	PhaseYears float64 `yaml:"phase_years" range:"0,30" unit:"years" zh:"决策改革推进年数" source:"assumption: online services and consultation take years to build"`
}

// Approval covers administrative-approval reform.
type Approval struct {
	// ItemCut is the share of approval items abolished.
	ItemCut float64 `yaml:"item_cut" range:"0,0.9" unit:"share" zh:"取消审批事项比例" lever:"approval,step=0.05" label:"Approval items abolished" source:"none by default"`
	// StepCut is the share of procedural steps cut from the items left.
	StepCut float64 `yaml:"step_cut" range:"0,0.9" unit:"share" zh:"精简审批环节比例" lever:"approval,step=0.05" label:"Approval steps cut" source:"none by default"`
	// OneStop is the share of requests handled at a one-stop hall, where items and
	// department sign-offs run in parallel.
	OneStop float64 `yaml:"one_stop" range:"0,1" unit:"share" zh:"一站式服务（行政服务中心）" lever:"approval,step=0.05" label:"One-stop service hall" source:"none by default"`
	// Start is the month the approval reform takes effect.
	Start int `yaml:"start" range:"0,600" unit:"month" zh:"审批改革开始月份"`
	// Patience is the investors' patience: the abandonment rate per day of waiting beyond
	// 30 days is 1/Patience.
	Patience float64 `yaml:"patience_days" range:"10,5000" unit:"days" zh:"投资者耐心" source:"assumption (7.5)"`
	// PhaseYears is the years over which ItemCut, StepCut and OneStop take full effect after
	// Start, linearly (0 = at once).
	PhaseYears float64 `yaml:"phase_years" range:"0,30" unit:"years" zh:"审批改革推进年数" source:"assumption: Zhejiang's cut took about five years (2018-2023)"`
	// MarketEntry is the reform of market-entry items, on top of the cuts above (the shares
	// left multiply), with its own pace.
	MarketEntry ClassCut `yaml:"market_entry"`
	// Investment is the reform of investment items, on top of the cuts above, with its own
	// pace.
	Investment ClassCut `yaml:"investment"`
	// LandUse is the reform of land-use items, on top of the cuts above, with its own pace.
	LandUse ClassCut `yaml:"land_use"`
	// OperatingPermit is the reform of operating-permit items, on top of the cuts above,
	// with its own pace.
	OperatingPermit ClassCut `yaml:"operating_permit"`
	// ExPost is the share of operating-permit control moved from approval before the fact to
	// market-regulation inspection after it. Operating-permit requests still arrive and are
	// routed as before, but each needs that share fewer of its permits (the items left times
	// 1 - ExPost, at least one item kept); the market branch inspects a sample of the
	// requests moved (a cost), and violations its inspections miss cause disputes (a risk).
	// It follows the operating-permit pace.
	ExPost float64 `yaml:"ex_post" range:"0,1" unit:"share" zh:"事前审批改事后监管比例" source:"none by default"`
}

// ClassCut is the reform of one item class: items abolished, steps cut, and the years over
// which both take full effect after approval.start.
type ClassCut struct {
	// ItemCut is the share of the class's items abolished.
	ItemCut float64 `yaml:"item_cut" range:"0,1" unit:"share" zh:"本类取消事项比例" source:"none by default"`
	// StepCut is the share of procedural steps cut from the class's items left.
	StepCut float64 `yaml:"step_cut" range:"0,1" unit:"share" zh:"本类精简环节比例" source:"none by default"`
	// PhaseYears is the class's pace: years to full effect (0 = at once).
	PhaseYears float64 `yaml:"phase_years" range:"0,30" unit:"years" zh:"本类推进年数" source:"none by default"`
}

// Finance covers the public-finance rules.
type Finance struct {
	// PriorityRule pays wages first, then operations, then mandatory items, then priorities
	// (保工资、保运转、保重点); off, every item is cut pro rata when cash is short.
	PriorityRule bool `yaml:"priority_rule" zh:"保工资、保运转、保重点" source:"Ministry of Finance 2010" lever:"fiscal" label:"Wages, operations, priorities first (保工资、保运转、保重点)"`
	// CountyManagedTown puts town finance under the county (乡财县管): no town borrowing,
	// less town misuse, slower town responses, more county administrative load; applied once at
	// build.
	CountyManagedTown bool `yaml:"county_managed_town_finance" zh:"乡财县管" lever:"fiscal" label:"County manages town finance (乡财县管)"`
	// TownManagedVillage puts village funds under the town (村财镇管): fewer leaks.
	TownManagedVillage bool `yaml:"town_managed_village_finance" zh:"村财镇管" lever:"fiscal" label:"Town manages village finance (村财镇管)"`
	// RevenueShock cuts every county's tax base (own, shared and the province's share) and the
	// central transfers to the province by this share from RevenueShockMonth on (a fiscal
	// stress test; 0 = none).
	RevenueShock float64 `yaml:"revenue_shock" range:"0,0.9" unit:"share" zh:"财政收入冲击" source:"none by default"`
	// RevenueShockMonth is the month the shock starts.
	RevenueShockMonth int `yaml:"revenue_shock_month" range:"0,600" unit:"month" zh:"收入冲击开始月份"`
}

// Debt covers the debt rules.
type Debt struct {
	// BorrowLimit is the ceiling on explicit debt as a ratio of annual available revenue.
	BorrowLimit float64 `yaml:"borrow_limit" range:"0,10" unit:"x annual revenue" zh:"显性债务上限" source:"assumption (7.9)"`
	// NewBorrowQuota is the province's bond quota: a twelfth of this share of annual revenue
	// is released each month, and unused quota carries over up to one year's worth.
	NewBorrowQuota float64 `yaml:"new_borrow_quota" range:"0,1" unit:"share of annual revenue per year" zh:"新增债券额度" source:"assumption (7.9)"`
	// YellowRatio is the debt ratio (explicit debt over annual revenue) of a yellow warning,
	// which halves borrowing room.
	YellowRatio float64 `yaml:"yellow_ratio" range:"0,10" unit:"x annual revenue" zh:"黄色预警债务率" source:"assumption"`
	// RedRatio is the debt ratio of a red warning, which raises audit attention and, with
	// RedStopsBorrowing, stops new borrowing.
	RedRatio float64 `yaml:"red_ratio" range:"0,10" rule:"at least debt.yellow_ratio" unit:"x annual revenue" zh:"红色预警债务率" source:"assumption"`
	// RedStopsBorrowing stops new explicit borrowing at a red warning.
	RedStopsBorrowing bool `yaml:"red_stops_borrowing" zh:"红色预警停止举债" lever:"fiscal" label:"Red warning stops borrowing" source:"assumption"`
	// StopNewDebt forbids all new explicit borrowing by counties and all new borrowing by
	// towns and villages (the "stop new debt" rule); hidden borrowing is deterred only by
	// detection and accountability.
	StopNewDebt bool `yaml:"stop_new_debt" zh:"制止新债" lever:"fiscal" label:"Stop all new debt" source:"none by default"`
	// Accountability for new debt, 0 to 1: how hard officials are punished when hidden
	// borrowing or misuse is found; it deters both.
	Accountability float64 `yaml:"accountability" range:"0,1" unit:"index" zh:"举债问责力度" lever:"fiscal,step=0.05" label:"Accountability for hidden debt" source:"assumption"`
	// ResolutionRate is the annual share of explicit debt repaid (old debt resolved gradually).
	ResolutionRate float64 `yaml:"resolution_rate" range:"0,1" unit:"share per year" zh:"显性债务年化解比例" source:"assumption"`
	// InterestRate is the annual interest on explicit debt (vehicle debt pays 2 points more,
	// and more again when the county's total debt ratio is high).
	InterestRate float64 `yaml:"interest_rate" range:"0,0.3" unit:"per year" zh:"显性债务年利率" source:"assumption"`
	// RolloverLimit is the total debt ratio (explicit plus hidden over annual revenue) past
	// which maturing vehicle debt no longer rolls over and must be repaid from the budget.
	RolloverLimit float64 `yaml:"rollover_limit" range:"0,20" unit:"x annual revenue" zh:"融资平台债务展期上限" source:"assumption (7.9)"`
	// AuditRate is the annual share of hidden vehicle debt a debt audit recognises and takes
	// onto the books (摸清旧债; 0 = no audit).
	AuditRate float64 `yaml:"audit_rate" range:"0,1" unit:"share per year" zh:"隐性债务审计认定比例" source:"none by default"`
	// TownResolution is the annual share of town debt repaid out of town surpluses (the
	// schedule of the town class of old debt).
	TownResolution float64 `yaml:"town_resolution" range:"0,1" unit:"share per year" zh:"乡镇债务年化解比例" source:"assumption (v1's constant)"`
	// VillageResolution is the annual share of village debt repaid out of village funds (the
	// schedule of the village class).
	VillageResolution float64 `yaml:"village_resolution" range:"0,1" unit:"share per year" zh:"村级债务年化解比例" source:"assumption"`
}

// ProvinceRule covers the province's transfer formula and supervision.
type ProvinceRule struct {
	// Equalisation is the weight of fiscal gaps (against population) in general transfers.
	Equalisation float64 `yaml:"equalisation" range:"0,1" unit:"weight" zh:"转移支付均等化权重" source:"assumption"`
	// TransferShare is general plus earmarked transfers as a share of county GDP at the start;
	// it sets the opening central transfers to the province (this pool less the province's
	// own tax share), which then grow on an exogenous path at economy.base_growth.
	TransferShare float64 `yaml:"transfer_share" range:"0,0.5" unit:"share of GDP" zh:"转移支付占GDP比例" source:"henan-structure calibration, posterior mean (v4; docs/MODEL.md Calibration)"`
	// EarmarkedShare is the share of transfers that are earmarked, allocated by project
	// capacity (GDP times institutional quality).
	EarmarkedShare float64 `yaml:"earmarked_share" range:"0,1" unit:"share" zh:"专项转移支付比例" source:"assumption"`
	// Audit is audit intensity: detection = 1 - exp(-audit x attention per report).
	Audit float64 `yaml:"audit" range:"0,1" unit:"index" zh:"审计强度" source:"set with the supervision capacities (7.3, Calibration)"`
	// Supervision is the province's supervision capacity (attention units per month) shared
	// over its direct fiscal reports, for the opening span.
	Supervision float64 `yaml:"supervision" range:"0.1,10000" unit:"attention units per month" zh:"省级监督能力" source:"set with province.audit (7.3, Calibration)"`
	// Remittance is the share of a county's own and shared revenue above its standard need
	// that it remits to the province (上解), which adds it to the transfer pool.
	Remittance float64 `yaml:"remittance" range:"0,1" unit:"share" zh:"超收上解比例" source:"assumption, range 0-1 (7.6)"`
	// StaffResponse is the share of the extra supervision and approval staff a wider span
	// (or a larger approval load than the economy's growth brings) would need that the
	// province hires, at a cost paid out of its transfer pool; the rest of the load dilutes
	// attention and lengthens its queues (0 = fixed staff, 1 = fully staffed).
	StaffResponse float64 `yaml:"staff_response" range:"0,1" unit:"share" zh:"省级按需增编比例" source:"assumption, range 0-1"`
}

// PrefRule covers prefecture cities' behaviour toward their counties.
type PrefRule struct {
	// KeepShare is the share of transfers passing through that the prefecture keeps (市刮县).
	KeepShare float64 `yaml:"keep_share" range:"0,0.5" unit:"share" zh:"地级市截留比例（市刮县）" source:"assumption"`
	// DelayMonths is how long the prefecture holds the rest.
	DelayMonths int `yaml:"delay_months" range:"0,maxDelay" unit:"months" zh:"地级市拨付延迟" source:"assumption"`
	// RevenueTake is the share of a county's shared revenue the prefecture takes.
	RevenueTake float64 `yaml:"revenue_take" range:"0,0.5" unit:"share" zh:"地级市分享县级收入比例" source:"assumption"`
	// Supervision is the supervision capacity (attention units per month) of a prefecture
	// supervising 6 counties; a prefecture's staff is sized to the counties it supervises and
	// is reassigned (over about a year) as counties move to the province's supervision.
	Supervision float64 `yaml:"supervision" range:"0.1,1000" unit:"attention units per month" zh:"地级市监督能力" source:"set with province.audit (7.3, Calibration)"`
	// Capacity scales the prefecture's approval desk relative to the load it is staffed for.
	Capacity float64 `yaml:"approval_capacity" range:"0.1,10" unit:"x staffed load" zh:"地级市审批能力" source:"assumption"`
	// Support is the prefecture's support to counties it still governs (市带县), 1 = normal:
	// it scales the money (projects and subsidies) the prefecture pays them out of its budget.
	Support float64 `yaml:"support" range:"0,2" unit:"x normal" zh:"市带县支持力度" source:"assumption"`
	// Pushback is how hard a prefecture turns against counties that left it: it cuts the
	// support it still pays them for committed projects and its bureaus' alignment with them.
	Pushback float64 `yaml:"pushback" range:"0,1" unit:"index" zh:"地级市反制力度" source:"assumption"`
}

// Economy holds the behavioural and calibration parameters of growth and spending.
type Economy struct {
	// BaseGrowth is the counties' mean annual trend growth, whatever their strength (TFP grows
	// at BaseGrowth times the labour share, so output grows at BaseGrowth when investment rates
	// are steady).
	BaseGrowth float64 `yaml:"base_growth" range:"-0.2,0.3" unit:"per year" zh:"基准增长率" source:"assumption"`
	// CapitalShare is the output elasticity of private capital (Cobb-Douglas; the rest of
	// output goes to public capital and labour).
	CapitalShare float64 `yaml:"capital_share" range:"0.05,0.8" unit:"elasticity" zh:"私人资本产出弹性" source:"Bai, Hsieh and Qian 2006"`
	// PublicCapitalShare is the output elasticity of public capital (roads, networks, parks
	// built by public production investment).
	PublicCapitalShare float64 `yaml:"public_capital_share" range:"0,0.3" rule:"at most 0.9 minus capital_share, so labour keeps a tenth of output" unit:"elasticity" zh:"公共资本产出弹性" source:"Bom and Ligthart 2014"`
	// Depreciation is the annual depreciation rate of private and public capital.
	Depreciation float64 `yaml:"depreciation" range:"0.01,0.3" unit:"per year" zh:"折旧率" source:"Zhang, Wu and Zhang 2004"`
	// Spillover is the market-access elasticity of a county's output with respect to its
	// prefecture core's output relative to the core's trend, at full tie (times the county's
	// tie): the core's market pull, whoever administers the county.
	Spillover float64 `yaml:"spillover" range:"0,0.5" unit:"elasticity" zh:"地级市溢出效应" source:"assumption, range 0-0.25 (7.10)"`
	// MisuseBase is the misuse rate of discretionary funds with no deterrence.
	MisuseBase float64 `yaml:"misuse_base" range:"0,1" unit:"share" zh:"资金挪用基准率" source:"assumption"`
	// HiddenPropensity is the readiness to borrow off budget what the budget cannot fund.
	HiddenPropensity float64 `yaml:"hidden_propensity" range:"0,1" unit:"index" zh:"隐性举债倾向" source:"assumption"`
	// Convergence is the annual rate at which a county's growth closes its gap in log GDP per
	// capita to the province mean (conditional beta-convergence).
	Convergence float64 `yaml:"convergence" range:"0,0.2" unit:"per year" zh:"收敛速度" source:"assumption (7.10, Calibration)"`
	// ShockSD is the standard deviation of the shock to a county's TFP growth (an annual
	// rate): the shock is a monthly AR(1) with persistence 0.8 whose stationary standard
	// deviation is ShockSD; a prefecture core's shock is drawn afresh each month with half of
	// it.
	ShockSD float64 `yaml:"shock_sd" range:"0,0.2" unit:"per year" zh:"增长冲击标准差" source:"assumption"`
	// Heterogeneity is the spread (log standard deviation) of county economic strength within a
	// province; a county list's partial index (the census) is widened to it by a drawn residual.
	Heterogeneity float64 `yaml:"heterogeneity" range:"0,2" unit:"log SD" zh:"县域经济实力离散度" source:"henan-structure calibration, posterior mean (v4; docs/MODEL.md Calibration)"`
	// InstitutionMean is the mean institutional quality of counties (0 to 1).
	InstitutionMean float64 `yaml:"institution_mean" range:"0.05,0.95" unit:"index" zh:"平均制度质量" source:"assumption"`
	// TaxRate is the mean county tax base as a share of GDP.
	TaxRate float64 `yaml:"tax_rate" range:"0.005,0.3" unit:"share of GDP" zh:"税基占GDP比例" source:"henan-structure calibration, posterior mean (v4; docs/MODEL.md Calibration)"`
	// TaxSpread is the spread (log standard deviation) of counties' tax base over GDP beyond
	// what their strength explains (industrial structure, tax exemptions of farming).
	TaxSpread float64 `yaml:"tax_spread" range:"0,1.5" unit:"log SD" zh:"税基离散度" source:"henan-structure calibration, posterior mean (v4; docs/MODEL.md Calibration)"`
}
