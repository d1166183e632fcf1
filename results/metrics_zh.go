package results

import "github.com/countysim/countysim/observe"

// metricZh gives every metric of the model and every group metric its Chinese name and
// meaning, keyed by the stable English metric name (sim.Metrics and GroupMetrics). The
// English names stay the column names of every CSV file in every language; metrics.csv adds
// these as name_zh and meaning_zh. A test fails when a metric has no entry here, so a metric
// added to the model needs its Chinese name added too.
var metricZh = map[string][2]string{
	"remitted":                 {"上解收入", "县在源头扣缴、上解省级的收入"},
	"vehicle_debt_service":     {"融资平台债务还本付息", "融资平台（隐性）债务的利息支出，以及展期失败时偿还的本金"},
	"counties_rollover_failed": {"展期失败的县", "融资平台债务无法继续展期的县数"},
	"towns_red":                {"红色预警乡镇", "处于债务红色预警的乡镇数"},
	"village_debt":             {"村级债务", "县内各村的债务余额"},
	"towns_villages_red":       {"村级债务红色预警乡镇", "所辖村级债务处于红色预警的乡镇数"},
	"firms":                    {"市场主体数量", "市场主体存量，期初为1的指数"},
	"approval_days":            {"审批时长（全部事项，平均）", "各类审批事项从申报到办结的平均天数"},
	"investment_days":          {"投资项目审批时长（平均）", "企业投资项目审批的平均天数"},
	"market_entry_days":        {"企业开办时长", "市场主体开办所需的平均天数"},
	"approval_days_p90":        {"审批时长第90百分位", "审批天数的第90百分位（县内混合分布；分组取按申请量加权的县均值）"},
	"within_limit":             {"按时办结率", "在法定时限内办结的申请所占比例"},
	"hops":                     {"上报层级数", "一件申请在县以上需经过的层级数"},
	"backlog":                  {"积压申请", "在县、乡镇和部门窗口等待办理的申请数"},
	"decision_days":            {"重大决策用时", "一项重大公共决策所需的天数"},
	"abandoned_projects":       {"放弃的投资项目", "因等待过久而放弃的投资项目数"},
	"applications":             {"申请件数", "提交的审批申请数"},
	"decided_locally":          {"县乡办结件数", "由县或乡镇自行办结的申请数"},
	"admin_cost":               {"行政成本", "县级政府工资与运转支出之和"},
	"admin_cost_share":         {"行政成本占支出比重", "行政成本占财政总支出的比重"},
	"staff":                    {"财政供养人员", "县乡两级公职人员数"},
	"staff_per_10k":            {"每万人财政供养人员", "每万名常住人口对应的公职人员数"},
	"approval_cost":            {"审批成本", "可归于审批工作的行政成本"},
	"cost_per_approval":        {"单件审批成本", "县乡办结的每件申请的审批成本"},
	"supervisor_attention":     {"监管关注度", "县级财政上级监管部门对每份报告投入的关注"},
	"province_span":            {"省级管理幅度", "省级财政直接管理的单位数（监管负荷）"},
	"own_revenue":              {"本级收入", "县本级税费收入"},
	"shared_revenue":           {"共享税收入", "扣除地级市截留后县分得的共享税"},
	"local_revenue":            {"一般公共预算收入", "本级收入与共享税收入之和"},
	"transfers_received":       {"到位转移支付", "实际到达县级的转移支付"},
	"transfers_kept":           {"地级市截留的转移支付", "被地级市截留的转移支付"},
	"transfer_delay":           {"转移支付滞留时间", "经地级市转拨的转移支付延迟的月数"},
	"transfers_in_transit":     {"在途转移支付", "滞留在地级市转拨环节的转移支付"},
	"self_sufficiency":         {"财政自给率", "本级收入与共享税收入之和占支出的比重"},
	"spending":                 {"财政支出", "预算总支出"},
	"spend_wages":              {"工资支出", "发放的工资，含补发欠薪"},
	"spend_operations":         {"运转支出", "机关运转支出"},
	"spend_livelihood":         {"民生支出", "民生领域支出"},
	"spend_production":         {"生产建设支出", "生产和基础设施支出"},
	"spend_debt_service":       {"还本付息支出", "支付的债务利息和本金"},
	"spend_towns":              {"对乡镇转移支付", "县对乡镇的转移支付"},
	"misused_funds":            {"违规使用资金", "被挪用或违规使用的县级资金"},
	"balance":                  {"库款余额", "现金余额"},
	"explicit_debt":            {"显性债务", "纳入预算管理的账面债务"},
	"hidden_debt":              {"隐性债务", "尚未被发现的预算外债务"},
	"annual_revenue":           {"年度可用财力", "平滑后的年度可用收入（债务率的分母）"},
	"debt_ratio":               {"债务率", "显性债务与年度可用财力之比"},
	"counties_green":           {"绿色（无预警）县数", "未被债务预警的县数"},
	"counties_yellow":          {"黄色预警县数", "处于债务黄色预警的县数"},
	"counties_red":             {"红色预警县数", "处于债务红色预警的县数"},
	"wage_arrears":             {"拖欠工资", "尚未发放的应付工资"},
	"counties_with_arrears":    {"欠发工资县数", "存在拖欠工资的县数"},
	"town_debt":                {"乡镇债务", "县辖乡镇的债务"},
	"borrowing":                {"新增显性举债", "新增的显性借款"},
	"hidden_borrowing":         {"新增隐性举债", "新增的隐性借款"},
	"identified_debt":          {"认定隐性债务", "经审计发现并纳入账面的隐性债务"},
	"gdp":                      {"地区生产总值", "按年率计算的地区生产总值"},
	"population":               {"常住人口", "常住居民人数"},
	"growth":                   {"经济增长率", "按年率计算的地区生产总值增长率"},
	"gdp_per_capita":           {"人均地区生产总值", "每位常住居民的地区生产总值"},
	"investment":               {"民间投资", "已落地的需审批民间投资"},
	"public_investment":        {"公共投资", "已落地的公共生产性投资（预算内和隐性）"},
	"prefecture_growth":        {"所属地级市增长率", "县（原）所属地级市的经济增长率"},
	"fidelity":                 {"政策传导完整度", "省级政策意图传达到县的比例"},
	"detection":                {"查处概率", "本月违规使用资金或隐性债务被发现的概率"},
	"disputes":                 {"基层纠纷", "县辖乡镇发生的纠纷数"},
	"production_bias":          {"生产性支出偏向", "可支配支出中投向生产的比例"},
	"autonomy":                 {"县级自主权", "扩权与省直管县改革步骤带来的县级自主程度"},
	"town_service":             {"乡镇公共服务水平", "县辖乡镇公共服务的平均水平"},
	"town_misused":             {"乡村资金违规使用", "乡镇资金违规使用和村级资金流失"},
	"pmc_step":                 {"省直管县改革步骤", "省直管县改革所处的步骤"},
	"pilot":                    {"试点县数", "试点县的数量"},
	observe.TheilGDPPerCapita:  {"人均GDP泰尔指数", "组内各县人均地区生产总值的人口加权泰尔T指数"},
	observe.GiniGDPPerCapita:   {"人均GDP基尼系数", "组内各县人均地区生产总值的人口加权基尼系数"},
}

// MetricNameZh returns the Chinese name and meaning of a metric; ok is false for a metric
// without a translation.
func MetricNameZh(name string) (nameZh, meaningZh string, ok bool) {
	v, ok := metricZh[name]
	return v[0], v[1], ok
}
