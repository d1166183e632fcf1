package lang

// zhUncertainty holds the Chinese of the report's section on parameter uncertainty (kept apart
// from zh.go so the phrases of this feature stay together).
var zhUncertainty = map[string]string{
	"Parameter uncertainty": "参数不确定性",
	"Parameter uncertainty is included. Replication r of every option took its parameter values from draw r of %s (the same draw for every option) and its chance events from seed r, so the bands in the figures and the ranges in the table combine uncertainty about the calibrated parameters with run-to-run variation. Parameters not in the posterior keep the scenario's values.": "本报告包含参数不确定性。各方案的第r次模拟从%s中取第r次抽样的参数值（各方案相同），并用第r个随机种子产生随机事件，因此图中的阴影带和表中的区间同时包含已校准参数的不确定性和各次模拟之间的差异。后验中没有的参数保持情景中的取值。",
	"How often each option is best: the share of the paired runs (same seed and parameter draw) in which it has the best final-year value; ties count equally for each tied option. A share says how often an option is ahead, not by how much: 100% can come from a gap too small to matter, so read it with the differences and verdicts above.":                                        "各方案最好的次数比例：在配对模拟（相同随机种子和参数抽样）中，该方案末年数值最好的比例；并列时各并列方案平分。比例只说明某一方案领先的频率，不说明领先多少：100%也可能来自小到无关紧要的差距，请结合上文的差异和判断阅读。",
	"%[1]s is best on %[2]s in %[3]s of the paired runs.": "在%[3]s的配对模拟中，%[1]s在“%[2]s”上最好。",
	"Several runs were made of each parameter draw, so the variance of each paired difference splits into a part due to the parameters (between draws) and run-to-run variation (within draws), by a one-way analysis of variance. The table gives the parameters' share of the variance of the final-year difference from the reference (both parts are in differences.csv).": "每次参数抽样都运行了多次模拟，因此可用单因素方差分析把每个配对差异的方差分解为参数导致的部分（抽样之间）和各次模拟之间的差异（抽样之内）。表中给出末年与参照方案之差的方差中参数所占的比例（两部分均见differences.csv）。",
	"Every run drew its own parameter values, so the variance cannot be split into a part due to the parameters and run-to-run variation; run with --draws D (each draw run reps/D times) to split it.":                                                                                                                                                                        "每次模拟各自抽取参数值，因此无法把方差分解为参数导致的部分和各次模拟之间的差异；使用 --draws D（每次抽样运行 reps/D 次）即可分解。",
	"The ranges combine run-to-run variation with uncertainty about the calibrated parameters, drawn from %s. They do not include uncertainty about the model's other assumptions and parameter values, nor about the calibration targets, which may be larger.":                                                                                                               "区间同时包含各次模拟之间的差异和已校准参数（取自%s）的不确定性；不包括模型其他假设和参数取值的不确定性，亦不包括校准目标本身的不确定性，后者可能更大。",
	// Verdicts on too few runs (assess.Verdict, DescribeDiff).
	"too few runs":      "模拟次数太少",
	"one run: no range": "仅一次模拟，无区间",
	"under %s":          "不到%s",
	"With %d runs no option is called better or worse: a verdict needs at least %d paired runs (with fewer, all pairs can fall on one side of zero by chance too often); run with --reps %d or more.": "只有%d次模拟，不判断任何方案更好或更差：判断至少需要%d次配对模拟（次数更少时，所有配对差异偶然落在零的同一侧的概率过高）；请用 --reps %d 或更多次。",
}

func init() { merge(zhUncertainty) }
