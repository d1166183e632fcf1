package lang

// zhEvaluation holds the Chinese of evaluate's event-study figures and printed summary and
// of the validation report's fixed words; init merges it into zh (without replacing an entry
// zh already has).
var zhEvaluation = map[string]string{
	// Event-study figures.
	"Event study: %s, treatment at PMC step %d":                  "事件研究：%s，以省直管县改革第%d步为处理",
	"years since treatment":                                      "相对处理时点的年数",
	"treatment":                                                  "处理开始",
	"pp per year":                                                "百分点/年",
	"million yuan per year":                                      "百万元/年",
	"mean estimate (Sun-Abraham) of %d runs":                     "%d次模拟的平均估计（Sun-Abraham）",
	"band: mean 90% confidence interval":                         "带：90%置信区间（各次模拟平均）",
	"treatment starts":                                           "处理开始",
	"true effect on the treated (against no reform)":             "处理组的真实效应（相对于不改革）",
	"true effect on the treated (against the step switched off)": "处理组的真实效应（相对于关闭该步骤）",
	"triangle: true effect on the treated (against no reform), mean of the runs": "三角形：处理组的真实效应（相对于不改革），各次模拟的均值",
	"%s (pre-trend test fails)": "%s（平行趋势检验未通过）",
	"%s (%.0f%%)":               "%s（%.0f%%）",
	"PRE-TREND: the joint pre-trend test rejects at 10%% in more than 20%% of runs for %s; the DiD estimates of these outcomes are not credible (compare with the true effects)": "平行趋势警告：%s的联合平行趋势检验在超过20%%的模拟中于10%%水平上被拒绝；这些指标的双重差分估计不可信（请与真实效应对照）",

	// evaluate's printed summary.
	"countysim: evaluated %q over %d runs, each paired with %d counterfactual run(s) (treatment at PMC step %d, master seed %d) and wrote %s":               "countysim：已评估%q，共%d次模拟，每次配对%d次反事实模拟（以省直管县改革第%d步为处理，主种子%d），结果写入%s",
	"growth effect (Sun-Abraham ATT): %+.2f pp per year, 5-95%% across runs [%+.2f, %+.2f], significant at 90%% in %.0f%% of runs":                          "增长效应（Sun-Abraham ATT）：每年%+.2f个百分点，各次模拟的5%%-95%%区间为[%+.2f, %+.2f]，%.0f%%的模拟在90%%水平上显著",
	"true growth effect on the treated against %s: %+.2f pp per year [%+.2f, %+.2f]; estimate minus truth %+.2f; spillover on the never-treated %+.2f":      "相对于%s，处理组的真实增长效应：每年%+.2f个百分点[%+.2f, %+.2f]；估计值减真实值%+.2f；对从未处理县的溢出效应%+.2f",
	"pre-trend test on growth rejects at 10%% in %.0f%% of runs":                                                                                            "增长的平行趋势检验在%.0f%%的模拟中于10%%水平上被拒绝",
	"countysim: validation over %d runs of each of %d scenarios and their counterfactuals (%d runs in all, master seed %d): %d of %d targets met; wrote %s": "countysim：%[2]d个情景及其反事实各模拟%[1]d次（共%[3]d次，主种子%[4]d）：%[6]d个目标中达成%[5]d个；结果写入%[7]s",
	"read %s (or %s)": "请阅读%s（或%s）",

	// The validation report's fixed words.
	"countysim against the published evidence: validation targets T1-T%d":                                             "countysim与已发表实证研究的对照：验证目标T1-T%d",
	"countysim %s, %d replications of each of %d built-in scenarios, master seed %d":                                  "countysim %[1]s，%[3]d个内置情景各重复%[2]d次，主种子%[4]d",
	"master seed %d; replication seeds %s (replication r of every scenario and of its counterfactuals uses the r-th)": "主种子%d；各次重复的种子为%s（每个情景及其反事实的第r次重复使用第r个种子）",
	"%d of %d targets met.": "%[2]d个目标中达成%[1]d个。",
	"Target":                "目标",
	"Simulated (mean [5th, 95th percentile])": "模拟结果（均值 [第5至第95百分位区间]）",
	"Published":                    "已发表结果",
	"Verdict":                      "判定",
	"Placebo":                      "安慰剂检验",
	"placebo":                      "安慰剂检验",
	"Scenarios":                    "情景",
	"Rule":                         "判定规则",
	"Figure":                       "测量指标",
	"Mean":                         "均值",
	"90% CI of the mean":           "均值的90%置信区间",
	"5th pct":                      "第5百分位",
	"95th pct":                     "第95百分位",
	"Unit":                         "单位",
	"Runs":                         "重复次数",
	"How the figures are measured": "测量方法",
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
	"Every figure is in validation.csv; manifest.json holds the seeds and the scenarios in full.": "所有测量值见validation.csv；manifest.json完整记录了随机种子和情景。",
	// The validation report's caveats and figure titles.
	"Every verdict is decided by the rule shown, applied to the numbers shown; the rules are the table `targets` in targets/targets.go. A target that is not met says where the model's mechanisms and the literature part, not that the measurement failed.":                                 "每项判定都由所列规则作用于所列数值得出；规则见targets/targets.go中的`targets`表。未达成的目标说明模型机制与文献在何处分歧，而不是测量失败。",
	"The spread is across %d replications: the model's own chance events. It does not cover uncertainty in the model's assumptions or parameters.":                                                                                                                                            "离散范围来自%d次重复模拟，即模型自身的随机事件；不包括模型假设或参数的不确定性。",
	"The simulated DiD is measured on every county of a stylised province with never-pilots as controls; the studies it is held against used real, noisier panels with other designs, so only signs and rough magnitudes are comparable.":                                                     "模拟的双重差分在一个经过简化的虚拟省份的全部县上测量，以从未试点的县为对照；用来对照的研究使用的是真实的、噪声更大的面板数据和其他研究设计，因此只有符号和大致量级可以比较。",
	"T4 compares effects relative to the treated counties' pre-treatment level, because the two provinces' counties differ in size.":                                                                                                                                                          "T4比较的是相对于处理县处理前水平的效应，因为两个省的县规模不同。",
	"Pilots are chosen from the strongest counties, whose revenue, spending and debt grow faster in yuan even without reform; level DiDs then pick up that trend (their pre-trend tests say so). T3 is judged in logs; the levels are shown for reference.":                                   "试点从最强的县中选出，这些县的收入、支出和债务即使不改革，以元计也增长更快；水平值的双重差分因此会捕捉到这一趋势（其平行趋势检验已表明这一点）。T3按对数判定，水平值仅供参考。",
	"Under Henan's path (treatment = step 3) the pilots' pre-treatment years are already at step 1, so the DiD measures what full PMC adds to the fiscal stage; its true effect against the fiscal stage alone (step_off) is the matching truth, the one against no reform the whole path's.": "在河南的路径下（处理为第三步），试点县处理前的年份已处于第一步，因此双重差分衡量的是全面省直管在财政省直管基础上增加的效应；与之对应的真实效应是相对于仅财政省直管（step_off）的效应，相对于不改革的真实效应则是整条路径的效应。",
	"Devolution and approval reform reach every county at once, which leaves no DiD controls: T8 and T9 are judged on the true effect against the same seeds without the reform, the answer a study can only approximate.":                                                                    "扩权强县和审批制度改革同时覆盖所有县，没有双重差分的对照组：T8和T9按相同随机种子下不改革的真实效应判定，而这正是实证研究只能近似求得的答案。",
	"A DiD with never-treated controls estimates the effect on the treated minus the spillover on the controls; the spillover is shown beside the true effect where it is measured.":                                                                                                          "以从未处理县为对照的双重差分估计的是处理组效应减去对照组所受的溢出效应；凡测得溢出效应之处，都与真实效应并列给出。",
	"T1: growth effect of the programme across settings, estimate and true effect": "T1：各种设定下改革对增长的效应，估计值与真实效应",
	"T2: event studies of growth, estimates and true effects":                      "T2：增长的事件研究，估计值与真实效应",
	"T3: event studies of fiscal PMC (step 1) in logs, and the placebo":            "T3：财政省直管县（第一步）的对数事件研究及安慰剂检验",
	"T4: event studies of misused funds and hidden debt under the programme":       "T4：改革下违规使用资金与隐性债务的事件研究",
	"T5: effects by tercile and inequality after devolution":                       "T5：分三分位组的效应与扩权后的县际差距",
	"T6: approval times under approval reform and in the baseline":                 "T6：审批制度改革与基准情景下的审批时长",
	"T7: wage arrears under fiscal stress":                                         "T7：财政压力下的欠发工资",
	"T8: true effects of devolution alone (against the same seeds without it)":     "T8：仅扩权强县的真实效应（相对于相同随机种子下不扩权）",
	"T9: the approval reform alone: true effects and approval days":                "T9：仅审批制度改革：真实效应与审批天数",
}

func init() {
	for k, v := range zhEvaluation {
		if _, ok := zh[k]; !ok {
			zh[k] = v
		}
	}
}
