package lang

// zhScenarios translates the descriptions of the built-in scenarios (scenarios/builtin),
// keyed by the English description, so that a report in Chinese describes a built-in scenario
// in Chinese; a description of the user's own is shown as written.
// TestBuiltinDescriptionsHaveChinese fails when a built-in description has no entry here.
var zhScenarios = map[string]string{
	"City-manages-county as it was; no reform of any kind.":                                                     "维持市管县，不进行任何改革。",
	"Devolve every devolvable power to counties and on to urbanised towns; no PMC.":                             "把能下放的权限全部下放到县，并延伸到城镇化程度高的镇；不实行省直管县。",
	"Approval reform only - fewer items and steps, one-stop halls from 2007; nothing else.":                     "只进行审批制度改革：自2007年起减少审批事项和环节，设立一站式服务大厅；不做其他改革。",
	"Hebei (broad span, 136 counties) on the default three-step PMC path; validation T1 and T4.":                "河北（管理幅度宽，136个县），采用默认的省直管县三步走路径；用于验证T1和T4。",
	"County power expansion only - economic, social and personnel authority to counties from 2007; no PMC.":     "只实行扩权强县：自2007年起把经济、社会和人事管理权限下放到县；不实行省直管县。",
	"Revenue and transfers halved from month 60, no new debt, priority rule off; validation T7.":                "自第60个月起收入和转移支付减半，不得新增债务，不按保障顺序支出；用于验证T7。",
	"Revenue and transfers halved from month 60, no new debt, priority rule on; validation T7.":                 "自第60个月起收入和转移支付减半，不得新增债务，按保工资、保运转、保重点的顺序支出；用于验证T7。",
	"Henan's path - fiscal PMC first, then full PMC (steps 2 and 3 together) nine years later.":                 "河南路径：先实行财政省直管，九年后全面省直管（第二、三步同时实行）。",
	"Default three-step PMC path with high institutional quality (mean 0.75); validation T1.":                   "默认的省直管县三步走路径，制度质量高（均值0.75）；用于验证T1。",
	"Default three-step PMC path with low institutional quality (mean 0.35); validation T1.":                    "默认的省直管县三步走路径，制度质量低（均值0.35）；用于验证T1。",
	"Zhejiang (narrow span, 58 counties) on the default three-step PMC path; validation T1 and T4.":             "浙江（管理幅度窄，58个县），采用默认的省直管县三步走路径；用于验证T1和T4。",
	"Placebo for T3 - fiscal PMC (step 1) where prefectures keep, delay and take nothing.":                      "T3的安慰剂：财政省直管（第一步），但地级市原本就不截留、不延迟拨付、不抽取县级收入。",
	"Default three-step PMC path with pilots drawn at random; validation T5 (effects by tercile).":              "默认的省直管县三步走路径，随机抽取试点县；用于验证T5（按三分位组的效应）。",
	"Devolution from month 24 with strong equalisation (0.9), no PMC; validation T5.":                           "自第24个月起扩权强县，省级财力均衡力度强（0.9），不实行省直管县；用于验证T5。",
	"Default three-step PMC path with strong prefecture cities (support 1.5, pushback 0.6); validation T1.":     "默认的省直管县三步走路径，地级市强势（支持力度1.5，反制力度0.6）；用于验证T1。",
	"Devolution from month 24 with weak equalisation (0.1), no PMC; validation T5.":                             "自第24个月起扩权强县，省级财力均衡力度弱（0.1），不实行省直管县；用于验证T5。",
	"Default three-step PMC path with weak prefecture cities (support 0.5, no pushback); validation T1.":        "默认的省直管县三步走路径，地级市弱势（支持力度0.5，不反制）；用于验证T1。",
	"Stop new debt, resolve old debt, hold officials to account, county-managed town finance, funded mandates.": "制止新债、逐步化解旧债、明确责任并严格问责、乡财县管、上级布置任务须配足经费；不实行省直管县。",
	"Henan's ten listed counties, fiscal PMC from 2005 and full PMC from 2014.":                                 "河南的十个县：2005年起财政省直管，2014年起全面省直管。",
	"Jiangxi's fiscal PMC, 21 counties in 2005, 59 in 2007, all 80 in 2009.":                                    "江西财政省直管县：2005年21个县，2007年59个，2009年全部80个。",
	"Every county moves to province-manages-county on the same date, without pilots.":                           "所有县在同一时间实行省直管县，不设试点。",
	"Pilots get fiscal province-manages-county (step 1) and go no further.":                                     "试点县只实行第一步（财政省直管），不再推进。",
	"Pilot counties move to province-manages-county in three steps, cohort by cohort.":                          "试点县分批按三步推进省直管县。",
	"Fewer approval items and steps, one-stop service, e-government, merged organs; no PMC.":                    "减少审批事项和环节，一站式服务，电子政务，合并机构；不实行省直管县。",
	"Zhejiang, every county under fiscal PMC from the start, with widened county powers.":                       "浙江：所有县从一开始就实行财政省直管，并扩大县级权限。",
}

func init() { merge(zhScenarios) }
