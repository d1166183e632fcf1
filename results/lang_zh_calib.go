package results

// zhCalib holds the Chinese of the phrases added with the per-aim ranking of compare and the
// Chinese outputs of calibrate and discover (kept apart from lang_zh.go, lang_zh_eval.go and
// lang_zh_uncertainty.go so the phrases of these features stay together).
var zhCalib = map[string]string{
	"How often each option is best on each of the five aims: in each paired run the options are ranked on each outcome that measures the aim (final year, all counties; 1 = best, ties share their average rank), and the option with the lowest sum of ranks is best on the aim, each outcome weighing the same; ties count equally for each tied option.": "各方案在五项目标上最好的次数比例：在每次配对模拟中，先按衡量该目标的每个指标（末年，全部县）给各方案排名（1 = 最好，并列取平均名次），名次之和最小的方案即为该目标上最好的方案，各指标权重相同；并列时各并列方案平分。",
}

func init() {
	for k, v := range zhCalib {
		zh[k] = v
	}
}
