package lang

// zhNotes holds the Chinese of notes on what a command's runs can show (kept apart from zh.go
// so that the phrases of this feature stay together).
var zhNotes = map[string]string{
	"scenario %s: its reform does not act within the %d months simulated, so its runs are the same as without it.":                                                                               "情景%s：其改革在模拟的%d个月内没有任何一项开始实施，因此其模拟结果与不改革时相同。",
	"scenario %s: its reform does not act within the %d months simulated (it first acts in month %d), so its runs are the same as without it; simulate at least %d months (--months) to see it.": "情景%s：其改革在模拟的%d个月内没有开始实施（第%d个月才开始），因此其模拟结果与不改革时相同；请至少模拟%d个月（--months）才能看到改革的作用。",
	"warning: ": "警告：",
	"%s: not defined: the run has no whole year.":                                                 "%s：无定义：本次模拟不足一整年。",
	"summary.csv leaves the yearly sums (flows) of %d empty: the run covers %d of its 12 months.": "summary.csv中%d年的全年合计（流量）留空：本次模拟只覆盖该年12个月中的%d个月。",
	"With %d replications a share of replications moves in steps of 1/%d and the intervals are wide: a verdict may turn on one replication. Run `--reps 10` or more (20 is the default) before reporting one.": "只有%d次重复时，重复比例以1/%d为单位变化，区间也很宽：一次重复就可能改变判断。报告结论前请用 `--reps 10` 或更多（默认20）。",
}

func init() { merge(zhNotes) }
