package lang

// zhValidation holds the Chinese of the validation report's design notes, figures and
// punctuation (the targets' own words are in targets/targets.go beside their English);
// TestValidationReportChinese fails when an English fragment is left in the Chinese report.
var zhValidation = map[string]string{
	".":     "。",
	" (%s)": "（%s）",
	"n/a":   "无数据",

	// How the figures are measured.
	"units: counties; periods: calendar years (every simulated year; the burn-in is not observed)": "单位：县；时期：日历年（每个模拟年份；预热期不观测）",
	"treatment: a county is treated from the first year whose last month finds it at the treatment step: step 1 for every PMC scenario (the programme as a whole against city-managed counties), step 3 for eval-henan-path (full PMC after the fiscal stage, as the Henan study measured it); never-pilots are the controls, pilots that never reach the step are left out":                                                                                                      "处理：某县在某年最后一个月已处于处理步骤，则自最早的这样一年起计为受处理；各省直管县情景的处理步骤为第一步（整个改革相对于市管县），eval-henan-path为第三步（财政省直管之后的全面省直管，与河南研究的测量方式一致）；从未试点的县为对照组，始终未到达该步骤的试点县不纳入估计",
	"DiD: the Sun and Abraham (2021) ATT over years since treatment 0..%d (window %d..%d), robust to staggered adoption with effects that change over time; the static TWFE DiD is reported beside it for T1":                                                                                                                                                                                                                                                                     "双重差分：Sun和Abraham（2021）的平均处理效应（ATT），取处理后第0至%d年（事件窗口为第%d至%d年），在分批实施、效应随时间变化时仍然稳健；T1还并列给出静态双向固定效应（TWFE）双重差分",
	"true effect: every paired scenario is run again on the same seeds with the reform switched off (observe/counterfactual.go: PMC step dates set to never with the same pilots; devolution levers at 0; approval cuts at 0); the runs are identical until the reform starts (a unit test checks this), so the difference is the reform's effect. The true ATT averages it over the treated counties' years 0..8 since treatment, the spillover over the never-treated controls": "真实效应：每个配对情景都在相同随机种子下关闭改革再运行一次（observe/counterfactual.go：试点县不变，省直管县各步骤均不实行；扩权各项取0；审批削减取0）；改革开始之前两次运行完全相同（有单元测试检验），因此二者之差就是改革的效应。真实ATT是它在处理县处理后第0至8年的平均值，溢出效应是它在从未处理的对照县上的平均值",
	"pre-trend test: a joint Wald test that the event-study coefficients of years %d..-2 are all 0, with their county-clustered covariance (chi-square); a figure 'pre-trend rejections' is the share of replications rejecting at 10%%":                                                                                                                                                                                                                                          "平行趋势检验：用按县聚类的协方差，联合Wald检验第%d至-2年的事件研究系数是否全为0（卡方分布）；“拒绝平行趋势假设的重复比例”是在10%%显著性水平上拒绝原假设的重复所占比例",
	"placebos: (a) fiscal PMC with no fiscal content (eval-placebo-fiscal), (b) treatment dated four years early on the years before the real treatment, (c) pilots drawn at random (eval-random-pilots); a target with a placebo is met only if its placebo is clean":                                                                                                                                                                                                            "安慰剂检验：（a）没有财政内容的财政省直管（eval-placebo-fiscal）；（b）把处理时间提前四年，只用真实处理之前的年份；（c）随机抽取试点县（eval-random-pilots）。设有安慰剂检验的目标，只有安慰剂检验通过才算达成",
	"verdict strength: each clause of a rule is judged with the 90% confidence interval of the mean across replications (mean -+ t sd/sqrt(n); for contrasts the difference paired by replication): interval wholly on the right side of the bound = met clearly; mean on the right side but interval touching the bound = met weakly; otherwise not met. A target is as strong as its weakest clause":                                                                            "判定强度：规则的每一条都用各次重复均值的90%置信区间判断（均值 ± t × 标准差 / √n；比较两者时用按重复配对的差值）：区间完全落在界限的正确一侧为明确达成；均值在正确一侧、但区间触及界限为勉强达成；否则为未达成。一个目标的判定取其最弱一条的判定",
	"relative effects: the ATT in percent of the treated counties' mean outcome in the year before their treatment; log effects as 100 (e^b - 1) percent":                                                                                                                                                                                                                                                                                                                         "相对效应：ATT占处理县处理前一年结果均值的百分比；对数效应换算为100 × (e^b − 1)%",
	"growth: ln(GDP at the year's end / GDP at the previous year's end), in percentage points per year":                    "增长：ln（年末GDP ÷ 上年末GDP），单位为百分点/年",
	"spread: mean, 5th and 95th percentiles across replications (replication r of every scenario runs with the same seed)": "离散范围：各次重复的均值、第5和第95百分位（每个情景的第r次重复使用同一个随机种子）",

	// Figures.
	"Sun-Abraham ATT (the rule's estimate)":          "Sun-Abraham ATT（判定规则所用的估计）",
	"Static TWFE DiD":                                "静态双向固定效应（TWFE）双重差分",
	"dotted: bounds ±0.5 (default), ±2 (settings)":   "点线：界限±0.5（默认设定）、±2（各设定）",
	"point: mean of %d runs, bar: 5-95%%":            "点：%d次模拟的均值，竖线：5%%-95%%区间",
	"Full PMC after the fiscal stage (%s)":           "财政省直管之后的全面省直管（%s）",
	"Step 1 alone (%s)":                              "仅第一步（%s）",
	"ln transfers received":                          "ln到位转移支付",
	"ln general budget revenue":                      "ln一般公共预算收入",
	"Placebo (a): ln transfers received":             "安慰剂（a）：ln到位转移支付",
	"Placebo (a): ln general budget revenue":         "安慰剂（a）：ln一般公共预算收入",
	"Misused funds, %s":                              "违规使用资金，%s",
	"Hidden debt, %s":                                "隐性债务，%s",
	"Misused funds, broad span (%s)":                 "违规使用资金，管理幅度宽（%s）",
	"Misused funds, narrow span (%s)":                "违规使用资金，管理幅度窄（%s）",
	"iq %d":                                          "制度质量%d",
	"strength %d":                                    "经济实力%d",
	"Growth effect of the programme by tercile (%s)": "分三分位组的改革增长效应（%s）",
	"Theil index of county GDP per capita":           "县人均GDP的泰尔指数",
	"Theil T":                                        "泰尔T指数",
	"devolution":                                     "扩权",
	"dashed: the same world without devolution":      "虚线：同一世界不扩权",
	"reform": "改革",
	"shock":  "冲击",
	"Approval days, all requests (county mean)":                     "审批天数，全部事项（各县平均）",
	"Investment-project approval days (county mean)":                "投资项目审批天数（各县平均）",
	"County-months in arrears by strength tercile (%s)":             "分经济实力三分位组的欠薪县·月占比（%s）",
	"% of county-months":                                            "占县·月数比重（%）",
	"weakest tercile":                                               "最弱三分位组",
	"middle tercile":                                                "中间三分位组",
	"strongest tercile":                                             "最强三分位组",
	"GDP per capita, true effect":                                   "人均GDP，真实效应",
	"Growth, true effect":                                           "增长，真实效应",
	"true effect, mean over counties: mean of %d runs, band 5-95%%": "真实效应（各县平均）：%d次模拟的均值，带：5%%-95%%区间",
}

func init() { merge(zhValidation) }
