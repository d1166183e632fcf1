package results

// zhEvaluation holds the Chinese of evaluate's event-study figures and printed summary and
// of the validation report's fixed words; init merges it into zh (without replacing an entry
// zh already has).
var zhEvaluation = map[string]string{
	// Event-study figures.
	"Event study: %s, treatment at PMC step %d":                  "事件研究：%s，以省直管县改革第%d步为处理",
	"years since treatment":                                      "距处理的年数",
	"treatment":                                                  "处理开始",
	"pp per year":                                                "百分点/年",
	"million yuan per year":                                      "百万元/年",
	"mean estimate (Sun-Abraham) of %d runs":                     "%d次模拟的平均估计（Sun-Abraham）",
	"band: mean 90% confidence interval":                         "带：90%置信区间的均值",
	"treatment starts":                                           "处理开始",
	"true effect on the treated (against no reform)":             "处理组的真实效应（相对于不改革）",
	"true effect on the treated (against the step switched off)": "处理组的真实效应（相对于关闭该步骤）",
	"triangle: true effect on the treated (against no reform), mean of the runs": "三角形：处理组的真实效应（相对于不改革），各次模拟的均值",
	"%s (pre-trend test fails)": "%s（预趋势检验未通过）",
	"%s (%.0f%%)":               "%s（%.0f%%）",
	"PRE-TREND: the joint pre-trend test rejects at 10%% in more than 20%% of runs for %s; the DiD estimates of these outcomes are not credible (compare with the true effects)": "预趋势警告：%s的联合预趋势检验在超过20%%的模拟中于10%%水平上被拒绝；这些指标的双重差分估计不可信（请与真实效应对照）",

	// evaluate's printed summary.
	"countysim: evaluated %q over %d runs, each paired with %d counterfactual run(s) (treatment at PMC step %d, master seed %d) and wrote %s":               "countysim：已评估%q，共%d次模拟，每次配对%d次反事实模拟（以省直管县改革第%d步为处理，主种子%d），结果写入%s",
	"growth effect (Sun-Abraham ATT): %+.2f pp per year, 5-95%% across runs [%+.2f, %+.2f], significant at 90%% in %.0f%% of runs":                          "增长效应（Sun-Abraham ATT）：每年%+.2f个百分点，各次模拟的5%%-95%%区间为[%+.2f, %+.2f]，%.0f%%的模拟在90%%水平上显著",
	"true growth effect on the treated against %s: %+.2f pp per year [%+.2f, %+.2f]; estimate minus truth %+.2f; spillover on the never-treated %+.2f":      "相对于%s，处理组的真实增长效应：每年%+.2f个百分点[%+.2f, %+.2f]；估计值减真实值%+.2f；对从未处理县的溢出效应%+.2f",
	"pre-trend test on growth rejects at 10%% in %.0f%% of runs":                                                                                            "增长的预趋势检验在%.0f%%的模拟中于10%%水平上被拒绝",
	"countysim: validation over %d runs of each of %d scenarios and their counterfactuals (%d runs in all, master seed %d): %d of %d targets met; wrote %s": "countysim：%[2]d个情景及其反事实各模拟%[1]d次（共%[3]d次，主种子%[4]d）：%[6]d个目标中达成%[5]d个；结果写入%[7]s",
	"read %s (or %s)": "请阅读%s（或%s）",

	// The validation report's fixed words.
	"countysim against the published evidence: validation targets T1-T%d":                                             "countysim与已发表证据的对照：验证目标T1-T%d",
	"countysim %s, %d replications of each of %d built-in scenarios, master seed %d":                                  "countysim %[1]s，%[3]d个内置情景各重复%[2]d次，主种子%[4]d",
	"master seed %d; replication seeds %s (replication r of every scenario and of its counterfactuals uses the r-th)": "主种子%d；各次重复的种子为%s（每个情景及其反事实的第r次重复使用第r个种子）",
	"%d of %d targets met.": "%[2]d个目标中达成%[1]d个。",
	"Target":                "目标",
	"Simulated (mean [5th, 95th percentile])": "模拟值（均值[第5、第95百分位]）",
	"Published":                    "已发表结果",
	"Verdict":                      "结论",
	"Placebo":                      "安慰剂检验",
	"placebo":                      "安慰剂检验",
	"Scenarios":                    "情景",
	"Rule":                         "判定规则",
	"Figure":                       "数值",
	"Mean":                         "均值",
	"90% CI of the mean":           "均值的90%置信区间",
	"5th pct":                      "第5百分位",
	"95th pct":                     "第95百分位",
	"Unit":                         "单位",
	"Runs":                         "模拟次数",
	"How the figures are measured": "数值如何测得",
	"Caveats":                      "注意事项",
	"%d counties":                  "%d个县",
	"To repeat:":                   "复现命令：",
	"met clearly":                  "明确达成",
	"met weakly":                   "勉强达成",
	"not met":                      "未达成",
	"not met (placebo not clean)":  "未达成（安慰剂检验未通过）",
	"clean":                        "通过",
	"not clean":                    "未通过",
	"none":                         "无",
	"Every figure is in validation.csv; manifest.json holds the seeds and the scenarios in full.": "所有数值见validation.csv；manifest.json完整记录了种子和情景。",
}

func init() {
	for k, v := range zhEvaluation {
		if _, ok := zh[k]; !ok {
			zh[k] = v
		}
	}
}
