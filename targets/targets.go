package targets

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/results/did"
	"github.com/countysim/countysim/sim"
)

// Validation holds the simulation against the empirical findings of
// docs/TARGETS.md (T1..T9). Each target runs built-in scenarios over
// replications (every scenario's replication r on the same seed), measures named figures on
// their county-year panels and on their paired counterfactual runs (the true effect), and
// decides by a rule written as a plain function of those figures, so that the rule can be
// read and tested apart from the measuring. A rule grades each clause against the run-to-run
// noise: a figure's 90% confidence interval of the mean across replications (paired
// differences for contrasts) wholly on the right side of a bound meets the clause clearly,
// a mean on the right side with an interval that touches the bound meets it weakly. A target
// with a placebo counts as met only if its placebo is clean. The whole set of targets is the
// table targets below.

// Built-in scenarios the targets run.
const (
	ScnDefault       = "pmc-three-step"
	ScnStep1         = "pmc-step1-only"
	ScnHenanPath     = "eval-henan-path"
	ScnBroad         = "eval-broad-span"
	ScnNarrow        = "eval-narrow-span"
	ScnHighIQ        = "eval-high-iq"
	ScnLowIQ         = "eval-low-iq"
	ScnStrongPref    = "eval-strong-prefecture"
	ScnWeakPref      = "eval-weak-prefecture"
	ScnRandom        = "eval-random-pilots"
	ScnWeakEq        = "eval-weak-equalisation"
	ScnStrongEq      = "eval-strong-equalisation"
	ScnApproval      = "streamline-and-approval"
	ScnBaseline      = "baseline"
	ScnStress        = "eval-fiscal-stress"
	ScnPlaceboFiscal = "eval-placebo-fiscal"
	ScnDevolution    = "eval-devolution-only"
	ScnApprovalOnly  = "eval-approval-only"
)

// T1Settings are the plausible settings of T1: the default and variations of span,
// institutional quality and prefecture strength, all on the default three-step path.
var T1Settings = []string{ScnDefault, ScnBroad, ScnNarrow, ScnHighIQ, ScnLowIQ, ScnStrongPref, ScnWeakPref}

// validationRuns says, for each scenario a target runs, its treatment step and the
// counterfactuals it is paired with. PMC scenarios are treated from step 1 (the programme as a
// whole, against city-managed counties), except Henan's path, whose DiD measures full PMC
// after the fiscal stage as the study did (step 3, paired with the no-reform run and with
// steps 2 and 3 switched off). Scenarios not listed run unpaired at step 1. T5's equalisation
// settings are paired with the same world without devolution (the same seed and equalisation).
var validationRuns = map[string]struct {
	step int
	cfs  []string
}{
	ScnWeakEq:        {1, []string{observe.CFNoDevolution}},
	ScnStrongEq:      {1, []string{observe.CFNoDevolution}},
	ScnHenanPath:     {3, []string{observe.CFNoReform, observe.CFStepOff}},
	ScnStep1:         {1, []string{observe.CFNoReform}},
	ScnRandom:        {1, []string{observe.CFNoReform}},
	ScnPlaceboFiscal: {1, []string{observe.CFNoReform}},
	ScnDevolution:    {1, []string{observe.CFNoDevolution}},
	ScnApprovalOnly:  {1, []string{observe.CFNoApproval}},
	ScnDefault:       {1, []string{observe.CFNoReform}},
	ScnBroad:         {1, []string{observe.CFNoReform}},
	ScnNarrow:        {1, []string{observe.CFNoReform}},
	ScnHighIQ:        {1, []string{observe.CFNoReform}},
	ScnLowIQ:         {1, []string{observe.CFNoReform}},
	ScnStrongPref:    {1, []string{observe.CFNoReform}},
	ScnWeakPref:      {1, []string{observe.CFNoReform}},
}

// counterfactualPanels lists the scenarios whose rules read their counterfactual runs' panels
// (reduced by PanelFor to the same columns as the factual's), not only the true effects: T5's
// equalisation settings, whose Theil index is not a mean over counties, so that its change
// without devolution cannot be had from the county-by-county differences of PairTruth.
var counterfactualPanels = map[string]bool{ScnWeakEq: true, ScnStrongEq: true}

// Strength is how clearly a rule is met.
type Strength int

// Verdict strengths, weakest first.
const (
	NotMet Strength = iota
	MetWeakly
	MetClearly
)

func (s Strength) String() string {
	return [...]string{"not met", "met weakly", "met clearly"}[s]
}

// figs are the measured figures of a target by key.
type figs map[string]TargetFigure

// TargetFigure is one measured figure of a target: its spread across replications and the 90%
// confidence interval of its mean (Lo, Hi; NaN with fewer than two replications).
type TargetFigure struct {
	Key, Label, Unit string
	// LabelZh and UnitZh are Label and Unit in Chinese.
	LabelZh, UnitZh string
	observe.Summary
	Lo, Hi float64
}

// target is one row of the validation table: what the finding is, what runs, what the
// literature reports, the rule and the placebo in words, how the figures are measured, and
// the rule and the placebo as code.
type target struct {
	id        string
	finding   string
	scenarios []string
	published string
	rule      string
	placebo   string // "" when the target has no placebo
	// The finding, published evidence, rule and placebo in Chinese.
	findingZh, publishedZh, ruleZh, placeboZh string
	measure                                   func(d *ValData) ([]TargetFigure, error)
	met                                       func(f figs) Strength
	clean                                     func(f figs) bool // nil when the target has no placebo
	headline                                  []headline        // the figures shown in the summary table
}

// headline is a figure of the summary table: its key and a short label in English and Chinese.
type headline struct{ key, label, labelZh string }

// The clause graders. A NaN figure never meets a clause.

// above grades x > b: clearly if the interval of the mean lies above b, weakly if the mean does.
func above(x TargetFigure, b float64) Strength {
	switch {
	case x.Lo > b:
		return MetClearly
	case x.Mean > b:
		return MetWeakly
	}
	return NotMet
}

// below grades x < b.
func below(x TargetFigure, b float64) Strength {
	switch {
	case x.Hi < b:
		return MetClearly
	case x.Mean < b:
		return MetWeakly
	}
	return NotMet
}

// noRise grades "x does not rise above b": clearly if the interval of the mean lies at or
// below b, weakly if the mean does or the interval covers b (a rise not told apart
// from the run-to-run noise), not met if the interval lies wholly above b.
func noRise(x TargetFigure, b float64) Strength {
	switch {
	case x.Hi <= b:
		return MetClearly
	case x.Mean <= b || x.Lo <= b:
		return MetWeakly
	}
	return NotMet
}

// within grades a <= x <= b.
func within(x TargetFigure, a, b float64) Strength {
	switch {
	case x.Lo >= a && x.Hi <= b:
		return MetClearly
	case x.Mean >= a && x.Mean <= b:
		return MetWeakly
	}
	return NotMet
}

// holds grades a condition without an interval: met clearly or not met.
func holds(ok bool) Strength {
	if ok {
		return MetClearly
	}
	return NotMet
}

// all is the weakest of the clauses' grades: every clause must hold.
func all(gs ...Strength) Strength { return slices.Min(gs) }

// either is the strongest of the grades: one of the alternatives must hold.
func either(gs ...Strength) Strength { return slices.Max(gs) }

// maxRejectShare is the largest share of replications in which a test at 10% may reject (a
// pre-trend test, a placebo's estimate) for the design to count as clean: twice the nominal
// rate, which leaves room for chance over a few replications.
const maxRejectShare = 0.2

// targets is the validation table. Effects are Sun-Abraham ATTs (did.SunAbraham, window
// EventMinRel..EventMaxRel, never-pilots as controls), the heterogeneity-robust DiD; growth
// effects are in percentage points per year, log effects as percentages 100 (e^b - 1). True
// effects come from the paired counterfactual runs. "Mean" is the mean across replications.
var targets = []target{
	{
		id:          "T1",
		finding:     "The average growth effect of PMC is small and contested.",
		scenarios:   append(slices.Clone(T1Settings), ScnRandom),
		published:   "single studies from about -1.8 to +1.7 pp of annual GDP growth; meta-analysis (21 studies, 121 effect sizes): pooled r = 0.05, not significant after correcting for publication bias",
		rule:        "the programme (treated from step 1 of the three-step path, against city-managed counties) in pmc-three-step: mean DiD on growth within [-0.5, +0.5] pp/yr; across the settings (default, broad and narrow span, high and low institutional quality, strong and weak prefectures) the settings' mean effects take both signs, and every setting's 5-95% range lies within [-2, +2] pp/yr; the programme's true effect (against the same pilots and seeds without reform) and the estimator's bias are reported beside it",
		placebo:     fmt.Sprintf("(c) random pilots under the real reform (eval-random-pilots): the growth pre-trend test rejects at 10%% in at most %.0f%% of replications, and the DiD's 90%% interval covers the true effect in at least %.0f%% of them", 100*maxRejectShare, 100*(1-maxRejectShare)),
		measure:     measureT1,
		findingZh:   "省直管县的平均增长效应很小，且存在争议。",
		publishedZh: "单项研究的估计值在年GDP增速-1.8至+1.7个百分点之间；元分析（21项研究、121个效应量）：合并相关系数r = 0.05，校正发表偏倚后不显著",
		ruleZh:      "pmc-three-step中的改革（三步走路径自第一步起计为处理，以市管县为对照）：对增长的双重差分均值在[-0.5, +0.5]百分点/年之内；在各种设定下（默认，管理幅度宽与窄，制度质量高与低，地级市强与弱），各设定的平均效应有正有负，且每种设定的第5至第95百分位区间都在[-2, +2]百分点/年之内；改革的真实效应（相对于相同试点和随机种子下不改革）和估计量的偏差并列给出",
		placeboZh:   fmt.Sprintf("（c）在真实改革下随机抽取试点（eval-random-pilots）：增长的平行趋势检验在10%%显著性水平上拒绝平行趋势假设的重复不超过%.0f%%，且双重差分的90%%置信区间覆盖真实效应的重复至少占%.0f%%", 100*maxRejectShare, 100*(1-maxRejectShare)),
		met:         metT1,
		clean:       cleanT1,
		headline:    []headline{{"att:" + ScnDefault, "default", "默认设定"}, {"true:" + ScnDefault, "true effect", "真实效应"}, {"settings_min", "lowest setting", "最低的设定"}, {"settings_max", "highest setting", "最高的设定"}},
	},
	{
		id:          "T2",
		finding:     "Effects take years and depend on the stage: fiscal PMC alone showed no growth return, full PMC did, and effects strengthen with time since reform.",
		scenarios:   []string{ScnStep1, ScnHenanPath},
		published:   "Henan: no growth return in the fiscal-only stage; full PMC from 2014 about a 7% average annual growth return; effects strengthen with years since reform",
		rule:        fmt.Sprintf("mean DiD of step 1 alone on growth within [-0.3, +0.3] pp/yr; full PMC after the fiscal stage (eval-henan-path: steps 2 and 3 together nine years after step 1, as Henan did in 2014) larger than step 1 alone (paired difference > 0); mean slope of its event-study coefficients over years 0..8 > 0; its pre-trend test (joint Wald, years -4..-2) rejects at 10%% in at most %.0f%% of replications", 100*maxRejectShare),
		placebo:     fmt.Sprintf("(b) a placebo date four years before the real one, on the years before the real treatment only (eval-henan-path, growth): the placebo DiD significant at 90%% in at most %.0f%% of replications", 100*maxRejectShare),
		measure:     measureT2,
		findingZh:   "改革效应需要数年才显现，并取决于所处阶段：仅实行财政省直管没有带来增长回报，全面省直管则有，且效应随改革年数增加而增强。",
		publishedZh: "河南：仅财政省直管阶段没有增长回报；2014年起全面省直管，年均增长回报约7%；效应随改革年数增加而增强",
		ruleZh:      fmt.Sprintf("仅第一步对增长的双重差分均值在[-0.3, +0.3]百分点/年之内；财政省直管之后的全面省直管（eval-henan-path：第一步九年后同时实行第二、三步，与河南2014年的做法相同）大于仅第一步（配对差异 > 0）；其事件研究系数在第0至8年的平均斜率 > 0；其平行趋势检验（联合Wald检验，第-4至-2年）在10%%显著性水平上拒绝平行趋势假设的重复不超过%.0f%%", 100*maxRejectShare),
		placeboZh:   fmt.Sprintf("（b）把处理时间提前四年作为安慰剂，只用真实处理之前的年份（eval-henan-path，增长）：安慰剂双重差分在10%%显著性水平上显著的重复不超过%.0f%%", 100*maxRejectShare),
		met:         metT2,
		clean:       cleanT2,
		headline:    []headline{{"att:step1", "step 1 alone", "仅第一步"}, {"att:full", "full PMC", "全面省直管"}, {"true:full:" + observe.CFStepOff, "true effect of full PMC", "全面省直管的真实效应"}, {"slope", "event-time slope", "事件时间斜率"}, {"pretrend:full", "pre-trend rejections", "拒绝平行趋势假设的重复比例"}},
	},
	{
		id:          "T3",
		finding:     "Fiscal PMC raises county revenue and transfers received.",
		scenarios:   []string{ScnStep1, ScnPlaceboFiscal},
		published:   "fiscal PMC raises pilot counties' transfers received and revenue (Li, Lu and Wang 2016); the prefecture's share falls to zero",
		rule:        fmt.Sprintf("in logs (pilots are chosen for strength, and levels in yuan of strong counties grow faster without reform): mean DiD of step 1 on ln(transfers received) > 0 and on ln(general budget revenue: own taxes and fees plus retained shared taxes) > 0; their pre-trend tests reject at 10%% in at most %.0f%% of replications; transfers kept by prefectures from pilots in their full years at step 1 or beyond are reported, not judged (the model sets them to 0 at step 1: a check of code, not a finding)", 100*maxRejectShare),
		placebo:     fmt.Sprintf("(a) fiscal PMC with no fiscal content (eval-placebo-fiscal: prefectures keep, delay and take nothing): the DiD on ln(transfers received) and on ln(general budget revenue) each significant at 90%% in at most %.0f%% of replications", 100*maxRejectShare),
		measure:     measureT3,
		findingZh:   "财政省直管增加了县级财政收入和县里收到的转移支付。",
		publishedZh: "财政省直管增加了试点县收到的转移支付和财政收入（Li、Lu和Wang，2016）；地级市所占份额降为零",
		ruleZh:      fmt.Sprintf("取对数判定（试点按经济实力选出，而强县以元计的水平值即使不改革也增长更快）：第一步对ln(到位转移支付)的双重差分均值 > 0，对ln(一般公共预算收入，即县级固定收入加共享税分成收入)的双重差分均值 > 0；二者的平行趋势检验在10%%显著性水平上拒绝平行趋势假设的重复不超过%.0f%%；试点县处于第一步及以后的完整年份里地级市截留的转移支付只报告、不作判定（模型在第一步即将其设为0：这是对代码的检查，而非研究发现）", 100*maxRejectShare),
		placeboZh:   fmt.Sprintf("（a）没有财政内容的财政省直管（eval-placebo-fiscal：地级市不截留、不延迟拨付、不抽取收入）：对ln(到位转移支付)和对ln(一般公共预算收入)的双重差分，各自在10%%显著性水平上显著的重复不超过%.0f%%", 100*maxRejectShare),
		met:         metT3,
		clean:       cleanT3,
		headline:    []headline{{"log:transfers", "ln transfers", "ln转移支付"}, {"true:log:transfers", "true", "真实效应"}, {"log:own", "ln revenue", "ln财政收入"}, {"true:log:own", "true", "真实效应"}, {"placebo:log:own", "placebo, ln revenue", "安慰剂，ln财政收入"}},
	},
	{
		id:          "T4",
		finding:     "Flattening weakens monitoring: misuse of funds rises, more so where the province's span is broad.",
		scenarios:   []string{ScnDefault, ScnBroad, ScnNarrow},
		published:   "misuse of funds, land corruption and diverted funds rise after PMC, more in provinces with a broad span of control",
		rule:        "for misused_funds or for hidden_debt: mean DiD of the programme > 0 in pmc-three-step, and the effect relative to the treated counties' pre-treatment level larger in the broad-span province (eval-broad-span, Hebei) than in the narrow one (eval-narrow-span, Zhejiang): the paired difference broad - narrow > 0, judged with its interval",
		measure:     measureT4,
		findingZh:   "层级扁平化削弱了监督：违规使用资金增加，省级管理幅度越宽，增加越多。",
		publishedZh: "省直管县之后，资金违规使用、土地腐败和资金挪用增加，在管理幅度宽的省份更明显",
		ruleZh:      "对misused_funds（违规使用资金）或hidden_debt（隐性债务）：pmc-three-step中改革的双重差分均值 > 0，且相对于处理县处理前水平的效应，在管理幅度宽的省份（eval-broad-span，河北）大于管理幅度窄的省份（eval-narrow-span，浙江）：配对差异（宽减窄）> 0，连同其区间判定",
		met:         metT4,
		headline:    []headline{{"att:misuse", "misused funds", "违规使用资金"}, {"true:misuse", "true", "真实效应"}, {"diff:misuse", "relative, broad - narrow span", "相对效应，管理幅度宽减窄"}, {"att:hidden", "hidden debt", "隐性债务"}, {"diff:hidden", "broad - narrow", "宽减窄"}},
	},
	{
		id:          "T5",
		finding:     "Gains are larger with better institutions and stronger counties; devolution widens inequality unless the province equalises.",
		scenarios:   []string{ScnRandom, ScnWeakEq, ScnStrongEq},
		published:   "larger gains with better institutions and stronger counties; within-province inequality rises after decentralisation unless the province equalises",
		rule:        "with pilots drawn at random, the DiD on growth in the top tercile minus the bottom tercile (paired by replication) > 0, both by institutional quality and by strength (each tercile estimated on its own counties); devolution's effect on inequality, measured as a difference in changes: the change of the Theil index of county GDP per capita from the year before devolution to the final year minus the same change in the same world without devolution (no_devolution: same seed, replication and equalisation), paired by replication, > 0 under weak equalisation (0.1, eval-weak-equalisation) and not a rise under strong equalisation (0.9, eval-strong-equalisation): met clearly if its interval lies at or below 0, weakly if its mean is at or below 0 or its interval covers 0, not met if its interval lies wholly above 0",
		measure:     measureT5,
		findingZh:   "制度质量越好、县域经济越强，收益越大；扩权会扩大县际差距，除非省级加大均衡力度。",
		publishedZh: "制度质量越好、县越强，收益越大；放权之后省内差距扩大，除非省级进行财力均衡",
		ruleZh:      "随机抽取试点时，最高三分位组减最低三分位组对增长的双重差分（按重复配对）> 0，按制度质量和按经济实力分组都如此（每个三分位组只用本组的县估计）；扩权对县际差距的效应按变化之差度量：县人均地区生产总值泰尔指数从扩权前一年到末年的变化，减去同一世界不扩权时（no_devolution：相同随机种子、相同重复、相同均衡力度）的同一变化，按重复配对；该效应在弱均衡（0.1，eval-weak-equalisation）下 > 0，在强均衡（0.9，eval-strong-equalisation）下不上升：其区间全部不高于0为明确达成，均值不高于0或区间覆盖0为勉强达成，区间全部高于0为未达成",
		met:         metT5,
		headline:    []headline{{"diff:iq", "growth, top - bottom IQ tercile", "增长，制度质量最高减最低三分位组"}, {"diff:strength", "top - bottom strength tercile", "经济实力最高减最低三分位组"}, {"dev:weak", "devolution's effect on the Theil change, weak equalisation", "扩权对泰尔指数变化的效应，弱均衡"}, {"dev:strong", "strong", "强均衡"}},
	},
	{
		id:          "T6",
		finding:     "Approval reform cuts waiting.",
		scenarios:   []string{ScnApproval, ScnBaseline},
		published:   "Zhejiang: enterprise investment approvals from about 120 to about 45 days (-62%); starting a business from about 20 to 8.5 working days (-58%)",
		rule:        "streamline-and-approval cuts mean approval days (all requests, mean over counties) from the last year before the reform to the final year by 40-65% (mean across replications); investment-project days and the baseline over the same years are reported beside it",
		measure:     measureT6,
		findingZh:   "审批制度改革缩短了等待时间。",
		publishedZh: "浙江：企业投资项目审批从约120天缩短到约45天（-62%）；企业开办从约20个工作日缩短到8.5个工作日（-58%）",
		ruleZh:      "streamline-and-approval使平均审批天数（全部事项，各县平均）从改革前最后一年到末年减少40%-65%（各次重复的均值）；投资项目审批天数和同期的基准情景并列给出",
		met:         metT6,
		headline:    []headline{{"approval:cut", "approval days cut", "审批天数降幅"}, {"investment:before", "investment days before", "改革前投资项目审批天数"}, {"investment:after", "after", "改革后"}},
	},
	{
		id:          "T7",
		finding:     "County basic fiscal guarantee: wages first, then operations, then priorities.",
		scenarios:   []string{ScnStress},
		published:   "Ministry of Finance 2010 county basic guarantee mechanism: wages first, then operations, then priorities",
		rule:        "under fiscal stress with the priority rule (eval-fiscal-stress), the weakest strength tercile has a larger share of county-months in wage arrears after the shock than the middle and the strongest tercile (paired differences > 0, judged with their intervals); that the rule pays wages first whenever receipts cover them is an identity of the payment code, checked by a unit test, and only reported here",
		measure:     measureT7,
		findingZh:   "县级基本财力保障：先保工资，再保运转，后保重点。",
		publishedZh: "财政部2010年建立县级基本财力保障机制：按保工资、保运转、保重点的顺序保障",
		ruleZh:      "在财政压力下按保障顺序支出（eval-fiscal-stress），冲击之后经济实力最弱的三分位组欠发工资的县·月占比高于中间和最强的三分位组（配对差异 > 0，连同区间判定）；只要收入足以支付工资就先发工资，这是支付代码的恒等关系，由单元测试检验，此处只作报告",
		met:         metT7,
		headline:    []headline{{"arrears:1", "months in arrears, weakest tercile", "欠薪月份占比，最弱三分位组"}, {"arrears:2", "middle", "中间组"}, {"arrears:3", "strongest", "最强组"}},
	},
	{
		id:          "T8",
		finding:     "County power expansion (devolved authority without leaving the prefecture) raised GDP per capita by about 3.3%: an effect on the level, not a permanent rate.",
		scenarios:   []string{ScnDevolution},
		published:   "Gong, Liu and Wu 2021: GDP per capita +3.3% in the expanded-power counties; funds diverted where supervision was weak",
		rule:        "devolution alone (eval-devolution-only): the true effect on ln GDP per capita (against the same seeds without devolution; devolution reaches every county at once, which leaves no DiD controls) averaged over years 5-10 after the start within [0, +8%]; the effect on annual growth fades: years 8-10 at most half of years 1-3 (paired), or below 0.3 pp",
		measure:     measureT8,
		findingZh:   "扩权强县（下放权限但不脱离地级市管理）使人均地区生产总值提高约3.3%：这是对水平的效应，而非持久的增长率效应。",
		publishedZh: "Gong、Liu和Wu（2021）：扩权县人均GDP提高3.3%；监管薄弱之处出现资金挪用",
		ruleZh:      "仅扩权强县（eval-devolution-only）：对ln人均地区生产总值的真实效应（相对于相同随机种子下不扩权；扩权同时覆盖所有县，没有双重差分的对照组）在开始后第5至10年的平均值在[0, +8%]之内；对年增长率的效应逐渐消退：第8至10年至多为第1至3年的一半（配对），或低于0.3个百分点",
		met:         metT8,
		headline:    []headline{{"level", "ln GDP per capita, years 5-10", "ln人均GDP，第5-10年"}, {"growth:early", "growth years 1-3", "增长，第1-3年"}, {"growth:late", "years 8-10", "第8-10年"}},
	},
	{
		id:          "T9",
		finding:     "Approval reform raises productivity by about 1% a year while it is being implemented; Zhejiang's cut took about five years.",
		scenarios:   []string{ScnApprovalOnly},
		published:   "approval centres: TFP +0.95% a year (Zhang et al. 2019); Zhejiang's cut in approval times took about five years (2018-2023)",
		rule:        "the approval reform alone (eval-approval-only), against the same seeds without it: GDP per capita after 10 years at most 10% above the counterfactual; mean true effect on growth over years 1-10 within [0, +1] pp/yr; approval days fall over several years: less than half of the cut reached by year 5 happens in the first reform year",
		measure:     measureT9,
		findingZh:   "审批制度改革在实施期间使生产率每年提高约1%；浙江压缩审批时间用了约五年。",
		publishedZh: "行政审批中心：全要素生产率每年提高0.95%（Zhang等，2019）；浙江压缩审批时间用了约五年（2018-2023年）",
		ruleZh:      "仅审批制度改革（eval-approval-only），相对于相同随机种子下不改革：10年后人均地区生产总值至多比反事实高10%；第1至10年对增长的平均真实效应在[0, +1]百分点/年之内；审批天数在数年中逐步下降：到第5年实现的降幅中，改革第一年实现的不到一半",
		met:         metT9,
		headline:    []headline{{"level10", "GDP per capita, year 10", "人均GDP，第10年"}, {"growth", "growth, years 1-10", "增长，第1-10年"}, {"days:first_share", "share of the 5-year cut in year 1", "第1年占5年降幅的比例"}},
	},
}

// metT1 decides T1.
func metT1(f figs) Strength {
	lo, hi := math.Inf(1), math.Inf(-1)
	ranges := true
	for _, s := range T1Settings {
		x, ok := f["att:"+s]
		ranges = ranges && ok && x.P5 >= -2 && x.P95 <= 2
		lo, hi = min(lo, x.Mean), max(hi, x.Mean)
	}
	return all(within(f["att:"+ScnDefault], -0.5, 0.5), holds(ranges), holds(lo < 0 && hi > 0))
}

// cleanT1 decides T1's placebo.
func cleanT1(f figs) bool {
	return f["placebo:random:pretrend"].Mean <= maxRejectShare && f["placebo:random:coverage"].Mean >= 1-maxRejectShare
}

// metT2 decides T2.
func metT2(f figs) Strength {
	return all(within(f["att:step1"], -0.3, 0.3), above(f["diff:full-step1"], 0), above(f["slope"], 0),
		holds(f["pretrend:full"].Mean <= maxRejectShare))
}

// cleanT2 decides T2's placebo.
func cleanT2(f figs) bool { return f["placebo:date"].Mean <= maxRejectShare }

// metT3 decides T3. The transfers prefectures keep from pilots at step 1 ("kept") are
// reported, not judged: the model sets them to 0 there (sim/fiscal.go), so the clause could
// not fail.
func metT3(f figs) Strength {
	return all(above(f["log:transfers"], 0), above(f["log:own"], 0),
		holds(f["pretrend:log:transfers"].Mean <= maxRejectShare && f["pretrend:log:own"].Mean <= maxRejectShare))
}

// cleanT3 decides T3's placebo.
func cleanT3(f figs) bool {
	return f["placebo:log:transfers:significant"].Mean <= maxRejectShare && f["placebo:log:own:significant"].Mean <= maxRejectShare
}

// metT4 decides T4.
func metT4(f figs) Strength {
	rises := func(o string) Strength { return all(above(f["att:"+o], 0), above(f["diff:"+o], 0)) }
	return either(rises("misuse"), rises("hidden"))
}

// metT5 decides T5: the tercile contrasts, and devolution's effect on the Theil index (with
// minus without devolution, measureT5Theil) rising under weak equalisation and not rising
// under strong.
func metT5(f figs) Strength {
	return all(above(f["diff:iq"], 0), above(f["diff:strength"], 0), above(f["dev:weak"], 0), noRise(f["dev:strong"], 0))
}

// metT6 decides T6.
func metT6(f figs) Strength { return within(f["approval:cut"], 40, 65) }

// metT7 decides T7.
func metT7(f figs) Strength { return all(above(f["diff:1-2"], 0), above(f["diff:1-3"], 0)) }

// metT8 decides T8.
func metT8(f figs) Strength {
	return all(within(f["level"], 0, 8), either(below(f["fade"], 0), below(f["growth:late"], 0.3)))
}

// metT9 decides T9.
func metT9(f figs) Strength {
	return all(below(f["level10"], 10), within(f["growth"], 0, 1), below(f["days:first_share"], 0.5))
}

// Scenario is a built-in scenario the validation runs, with the treatment step its
// panels use and the counterfactuals it is paired with (CounterfactualByName names).
// CounterfactualPanels is true when the rules read the counterfactual runs' panels too
// (Input.CFPanels), not only their true effects.
type Scenario struct {
	Name                 string
	TreatmentStep        int
	Counterfactuals      []string
	CounterfactualPanels bool
}

// Scenarios returns every scenario the targets run, in order of first use.
func Scenarios() []Scenario {
	var out []Scenario
	for _, t := range targets {
		for _, s := range t.scenarios {
			if !slices.ContainsFunc(out, func(v Scenario) bool { return v.Name == s }) {
				v := Scenario{Name: s, TreatmentStep: 1, CounterfactualPanels: counterfactualPanels[s]}
				if r, ok := validationRuns[s]; ok {
					v.TreatmentStep, v.Counterfactuals = r.step, r.cfs
				}
				out = append(out, v)
			}
		}
	}
	return out
}

// validationColumns lists, by scenario, the panel columns the measurements and figures of the
// validation read (logs are taken of these columns). PanelFor keeps only these, so that
// a validation holds a few columns of each replication's panel instead of all of them; a
// column read and not listed here stops the validation with a message naming it (PanelColumn),
// and TestValidationPanelsKeepTheOutputs checks that the report is the same byte for byte.
var validationColumns = map[string][]string{
	ScnDefault:       {"growth", "misused_funds", "hidden_debt"},
	ScnBroad:         {"growth", "misused_funds", "hidden_debt"},
	ScnNarrow:        {"growth", "misused_funds", "hidden_debt"},
	ScnHighIQ:        {"growth"},
	ScnLowIQ:         {"growth"},
	ScnStrongPref:    {"growth"},
	ScnWeakPref:      {"growth"},
	ScnRandom:        {"growth"},
	ScnHenanPath:     {"growth"},
	ScnStep1:         {"growth", "transfers_received", "local_revenue", "transfers_kept"},
	ScnPlaceboFiscal: {"transfers_received", "local_revenue"},
	ScnWeakEq:        {"gdp_per_capita", "population"},
	ScnStrongEq:      {"gdp_per_capita", "population"},
	ScnApproval:      {"approval_days", "investment_days"},
	ScnBaseline:      {"approval_days", "investment_days"},
	ScnStress:        {"arrears_months", "arrears_covered_months"},
	ScnDevolution:    {},
	ScnApprovalOnly:  {"approval_days"},
}

// PanelFor returns the part of a complete panel of scenario that the validation reads:
// its counties, steps and the columns of validationColumns, in a panel of its own (p is left
// as it is). Call it once the replication's true effects have been taken from p, and hold the
// result instead of p: the validation's outputs are the same, its memory a fraction.
func PanelFor(scenario string, p *observe.Panel) (*observe.Panel, error) {
	names, ok := validationColumns[scenario]
	if !ok {
		return nil, fmt.Errorf("results: %s is not a validation scenario", scenario)
	}
	if !p.Complete() {
		observed, months := p.Progress()
		return nil, fmt.Errorf("results: validation panel of %s: the run is not complete (month %d of %d)", scenario, observed, months)
	}
	var ks []int
	for _, name := range names {
		k := p.Column(name)
		if k < 0 {
			return nil, fmt.Errorf("results: validation panel of %s: no column %q", scenario, name)
		}
		ks = append(ks, k)
	}
	return p.Keep(ks), nil
}

// PanelColumn returns the index of the named column of p; a column the panel does not hold (one
// PanelFor dropped) is a defect of validationColumns and stops the validation.
func PanelColumn(p *observe.Panel, name string) int {
	k := p.Column(name)
	if k < 0 {
		panic(fmt.Sprintf("results: the validation reads panel column %q, which its panel does not hold: add it to validationColumns", name))
	}
	return k
}

// onPanel returns o with its column index looked up in p's columns (a validation panel holds
// only some of PanelColumns).
func onPanel(o observe.EvalOutcome, p *observe.Panel) observe.EvalOutcome {
	o.Column = PanelColumn(p, observe.PanelColumns()[o.Column].Name)
	return o
}

// Input is what the validation measures: for every Scenarios entry, in
// that order, its record, its config, its panels by replication (replication r of every
// scenario run with the same seed) and, by replication, the true effects against each of its
// counterfactuals in order (PairTruth). The counterfactual panels themselves are kept only
// for the scenarios marked CounterfactualPanels: CFPanels[k][r][j] is the panel of scenario
// k's counterfactual j in replication r (reduced by PanelFor), and CFPanels[k] is nil for
// the other scenarios (CFPanels may be nil when no scenario is marked).
type Input struct {
	Scenarios []observe.ScenarioRecord
	Configs   []sim.Config
	Panels    [][]*observe.Panel
	Truths    [][][]*observe.Truth
	CFPanels  [][][]*observe.Panel
}

// TargetResult is a target held against the simulation.
type TargetResult struct {
	ID, Finding, Published, Rule, Placebo string
	Scenarios                             []string
	Figures                               []TargetFigure
	Headline                              string // the headline figures, mean [p5, p95]
	Strength                              Strength
	// PlaceboClean is nil for a target without a placebo.
	PlaceboClean *bool
	// Met is Strength above NotMet with a clean placebo (or none).
	Met bool
	// Problem explains a target that could not be measured (then Met is false).
	Problem string
	// Zh holds the target's words in Chinese.
	Zh ZhText
}

// ZhText is a target's finding, published evidence, rule, placebo, headline figures and
// problem in Chinese (TargetResult's fields of the same names are the English).
type ZhText struct {
	Finding, Published, Rule, Placebo, Headline, Problem string
}

// problem is a target that cannot be measured, explained in English (Error) and Chinese.
type problem struct{ en, zh string }

func (p problem) Error() string { return p.en }

// Verdict is "met clearly", "met weakly" or "not met", with the placebo's failure named.
func (t TargetResult) Verdict() string {
	if t.Strength > NotMet && t.PlaceboClean != nil && !*t.PlaceboClean {
		return "not met (placebo not clean)"
	}
	return t.Strength.String()
}

// PlaceboVerdict is "clean", "not clean" or "none".
func (t TargetResult) PlaceboVerdict() string {
	switch {
	case t.PlaceboClean == nil:
		return "none"
	case *t.PlaceboClean:
		return "clean"
	}
	return "not clean"
}

// Check measures every target on in and decides it.
func Check(in *Input) ([]TargetResult, error) {
	d, err := NewValData(in)
	if err != nil {
		return nil, err
	}
	var out []TargetResult
	for _, t := range targets {
		out = append(out, decide(t, d))
	}
	return out, nil
}

// decide measures and decides one target.
func decide(t target, d *ValData) TargetResult {
	r := TargetResult{ID: t.id, Finding: t.finding, Published: t.published, Rule: t.rule, Placebo: t.placebo, Scenarios: t.scenarios,
		Zh: ZhText{Finding: t.findingZh, Published: t.publishedZh, Rule: t.ruleZh, Placebo: t.placeboZh}}
	fs, err := t.measure(d)
	if err != nil {
		r.Problem, r.Zh.Problem = err.Error(), err.Error()
		if p, ok := err.(problem); ok {
			r.Zh.Problem = p.zh
		}
	}
	r.Figures = fs
	f := figs{}
	for _, x := range fs {
		f[x.Key] = x
	}
	if err == nil {
		r.Strength = t.met(f)
	}
	if t.clean != nil {
		c := err == nil && t.clean(f)
		r.PlaceboClean = &c
	}
	r.Met = r.Strength > NotMet && (r.PlaceboClean == nil || *r.PlaceboClean)
	var hl, hlZh []string
	for _, h := range t.headline {
		if x, ok := f[h.key]; ok {
			hl = append(hl, h.label+" "+spreadText(x.Summary, x.Unit))
			hlZh = append(hlZh, h.labelZh+" "+spreadTextZh(x.Summary, x.UnitZh))
		}
	}
	r.Headline = strings.Join(hl, "; ")
	r.Zh.Headline = strings.Join(hlZh, "；")
	return r
}

// spreadText writes a summary as "mean [p5, p95] unit", or "n/a" when undefined.
func spreadText(s observe.Summary, unit string) string {
	if s.N == 0 || math.IsNaN(s.Mean) {
		return "n/a"
	}
	u := ""
	if unit != "" {
		u = " " + unit
	}
	if s.N == 1 || s.P5 == s.P95 {
		return FmtNum(s.Mean) + u
	}
	return fmt.Sprintf("%s [%s, %s]%s", FmtNum(s.Mean), FmtNum(s.P5), FmtNum(s.P95), u)
}

// spreadTextZh is spreadText in Chinese: "无数据" when undefined, the unit without a space
// (none for a share).
func spreadTextZh(s observe.Summary, unit string) string {
	if s.N == 0 || math.IsNaN(s.Mean) {
		return "无数据"
	}
	if unit == UnitZh["share"] { // a share is a plain number
		unit = ""
	}
	if s.N == 1 || s.P5 == s.P95 {
		return FmtNum(s.Mean) + unit
	}
	return fmt.Sprintf("%s [%s, %s]%s", FmtNum(s.Mean), FmtNum(s.P5), FmtNum(s.P95), unit)
}

// FmtNum writes a figure with three significant digits (whole numbers from 100): 38.2, not
// 38.16, whose last digit a few replications do not fix.
func FmtNum(v float64) string {
	switch a := math.Abs(v); {
	case v == 0:
		return "0"
	case a >= 99.95:
		return fmt.Sprintf("%.0f", v)
	case a >= 9.995:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	case a >= 0.01:
		return fmt.Sprintf("%.3f", v)
	}
	return fmt.Sprintf("%.2g", v)
}

// UnitZh gives every unit of the figures its Chinese (TestEveryFigureHasChinese checks that
// none is missing).
var UnitZh = map[string]string{
	PpYear:                                  "百分点/年",
	"pp per year, per year since treatment": "（百分点/年）/年",
	"share":                                 "比例",
	"%":                                     "%",
	"index (0-1)":                           "指数（0-1）",
	"x typical county":                      "典型县的倍数",
	"million yuan per year":                 "百万元/年",
	"million yuan":                          "百万元",
	"percentage points":                     "百分点",
	"Theil T":                               "泰尔T指数",
	"days":                                  "天",
	"county-months":                         "县·月",
}

// tfig returns a TargetFigure of the per-replication values xs (NaN values left out): their
// spread and the 90% confidence interval of their mean, mean -+ t(0.95; n-1) sd / sqrt(n);
// label is in English, labelZh in Chinese.
func tfig(key, label, labelZh, unit string, xs []float64) TargetFigure {
	f := TargetFigure{Key: key, Label: label, Unit: unit, LabelZh: labelZh, UnitZh: UnitZh[unit], Lo: math.NaN(), Hi: math.NaN()}
	ys := slices.DeleteFunc(slices.Clone(xs), math.IsNaN)
	f.Summary = observe.Summarise(slices.Clone(ys))
	if n := len(ys); n >= 2 {
		ss := 0.0
		for _, y := range ys {
			ss += (y - f.Mean) * (y - f.Mean)
		}
		half := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.95) * math.Sqrt(ss/float64(n-1)/float64(n))
		f.Lo, f.Hi = f.Mean-half, f.Mean+half
	}
	return f
}

// diff returns a - b replication by replication (paired: replication r of every scenario runs
// on the same seed).
func diff(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for r := range a {
		out[r] = a[r] - b[r]
	}
	return out
}

// scaled returns k x for each x.
func scaled(xs []float64, k float64) []float64 {
	out := make([]float64, len(xs))
	for r, x := range xs {
		out[r] = k * x
	}
	return out
}

// pct turns log effects into percentages, 100 (e^x - 1).
func pct(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for r, x := range xs {
		out[r] = 100 * math.Expm1(x)
	}
	return out
}

// ValData gives the measurements access to the panels and truths by scenario and caches
// estimates.
type ValData struct {
	In   *Input
	idx  map[string]int
	CFs  map[string][]string // counterfactual names by scenario
	fits map[string][]RepFit
}

// RepFit is one replication's fit of an outcome, with the treated counties' mean outcome in
// the year before treatment (the base of relative effects); ok is false if it failed.
type RepFit struct {
	observe.OutcomeFit
	OK      bool
	PreMean float64
}

// NewValData indexes the validation input in by scenario, with each scenario's
// counterfactual names.
func NewValData(in *Input) (*ValData, error) {
	need := Scenarios()
	if len(in.Scenarios) != len(need) || len(in.Configs) != len(need) || len(in.Panels) != len(need) || len(in.Truths) != len(need) {
		return nil, fmt.Errorf("results: validation input holds %d scenarios, the targets need %d", len(in.Panels), len(need))
	}
	d := &ValData{In: in, idx: map[string]int{}, CFs: map[string][]string{}, fits: map[string][]RepFit{}}
	reps := len(in.Panels[0])
	for k, v := range need {
		if in.Scenarios[k].Name != v.Name {
			return nil, fmt.Errorf("results: validation scenario %d is %q, want %q", k, in.Scenarios[k].Name, v.Name)
		}
		if len(in.Panels[k]) != reps || reps == 0 || len(in.Truths[k]) != reps {
			return nil, fmt.Errorf("results: scenario %s has %d replications and %d truths, want %d (at least 1)", v.Name, len(in.Panels[k]), len(in.Truths[k]), reps)
		}
		for r, p := range in.Panels[k] {
			if p == nil || !p.Complete() || p.TreatmentStep != v.TreatmentStep {
				return nil, fmt.Errorf("results: scenario %s, replication %d: missing, incomplete or wrong treatment step", v.Name, r)
			}
			if len(in.Truths[k][r]) != len(v.Counterfactuals) {
				return nil, fmt.Errorf("results: scenario %s, replication %d: %d true effects, want one per counterfactual %v", v.Name, r, len(in.Truths[k][r]), v.Counterfactuals)
			}
			if !v.CounterfactualPanels {
				continue
			}
			if len(in.CFPanels) != len(need) || len(in.CFPanels[k]) != reps || len(in.CFPanels[k][r]) != len(v.Counterfactuals) {
				return nil, fmt.Errorf("results: scenario %s, replication %d: the counterfactual panels are missing, want one per counterfactual %v", v.Name, r, v.Counterfactuals)
			}
			for j, q := range in.CFPanels[k][r] {
				if q == nil || !q.Complete() || q.TreatmentStep != v.TreatmentStep || len(q.Counties) != len(p.Counties) || q.Years != p.Years || q.StartYear != p.StartYear {
					return nil, fmt.Errorf("results: scenario %s, replication %d: counterfactual %s: panel missing, incomplete, or not the factual's twin (treatment step, counties, years)", v.Name, r, v.Counterfactuals[j])
				}
			}
		}
		d.idx[v.Name] = k
		d.CFs[v.Name] = v.Counterfactuals
	}
	return d, nil
}

func (d *ValData) Panels(scenario string) []*observe.Panel { return d.In.Panels[d.idx[scenario]] }

func (d *ValData) Config(scenario string) sim.Config { return d.In.Configs[d.idx[scenario]] }

// PerPair returns f of every replication's factual panel of scenario and its counterfactual
// cf's panel (Input.CFPanels); NaN for every replication if the scenario does not keep the
// panels of cf.
func (d *ValData) PerPair(scenario, cf string, f func(factual, counterfactual *observe.Panel) float64) []float64 {
	k := d.idx[scenario]
	j := slices.Index(d.CFs[scenario], cf)
	ps := d.Panels(scenario)
	xs := make([]float64, len(ps))
	for r, p := range ps {
		xs[r] = math.NaN()
		if j >= 0 && k < len(d.In.CFPanels) && r < len(d.In.CFPanels[k]) && j < len(d.In.CFPanels[k][r]) && d.In.CFPanels[k][r][j] != nil {
			xs[r] = f(p, d.In.CFPanels[k][r][j])
		}
	}
	return xs
}

// truths returns, by replication, the true effects on outcome in scenario against cf (nil
// entries if the scenario is not paired with cf).
func (d *ValData) Truths(scenario, cf, outcome string) []*observe.OutcomeTruth {
	k := d.idx[scenario]
	j := slices.Index(d.CFs[scenario], cf)
	out := make([]*observe.OutcomeTruth, len(d.In.Truths[k]))
	if j < 0 {
		return out
	}
	for r, ts := range d.In.Truths[k] {
		out[r] = ts[j].Outcome(outcome)
	}
	return out
}

// trueATT returns the true ATT on outcome in scenario against cf by replication, times scale.
func (d *ValData) TrueATT(scenario, cf, outcome string, scale float64) []float64 {
	ts := d.Truths(scenario, cf, outcome)
	out := make([]float64, len(ts))
	for r, t := range ts {
		out[r] = math.NaN()
		if t != nil {
			out[r] = scale * t.ATT
		}
	}
	return out
}

// trueByYears returns, by replication, the mean over reform years from..to (1 = the first
// year wholly after the reform date month start) of the true effect on outcome averaged over
// every county, against cf; NaN where the horizon ends before year to.
func (d *ValData) TrueByYears(scenario, cf, outcome string, start, from, to int) []float64 {
	ts := d.Truths(scenario, cf, outcome)
	out := make([]float64, len(ts))
	y0 := firstReformYear(start)
	for r, t := range ts {
		out[r] = math.NaN()
		if t == nil || y0+to-1 >= len(t.ByYear) {
			continue
		}
		s := 0.0
		for k := from; k <= to; k++ {
			s += t.ByYear[y0+k-1]
		}
		out[r] = s / float64(to-from+1)
	}
	return out
}

// firstReformYear returns the index of the first year wholly at or after month start (months
// counted from 1; the reform acts from month start on).
func firstReformYear(start int) int { return (start + 11) / 12 }

// Subsample selects the counties of a panel an estimate uses; the zero value takes all.
type Subsample struct {
	name string
	keep func(p *observe.Panel, i int) bool
}

func TercileSample(kind string, t int) Subsample {
	return Subsample{name: kind + ":" + fmt.Sprint(t), keep: func(p *observe.Panel, i int) bool {
		if kind == "iq" {
			return p.Counties[i].IQTercile == t
		}
		return p.Counties[i].Tercile == t
	}}
}

// fit returns every replication's fit of outcome (an EvalOutcomes name, ln_ for logs) in
// scenario over the Subsample.
func (d *ValData) Fit(scenario, outcome string, sub Subsample) []RepFit {
	key := fmt.Sprintf("%s|%s|%s", scenario, outcome, sub.name)
	if f, ok := d.fits[key]; ok {
		return f
	}
	o, _ := observe.EvalOutcomeByName(outcome)
	ps := d.Panels(scenario)
	out := make([]RepFit, len(ps))
	for r, p := range ps {
		var keep func(int) bool
		if sub.keep != nil {
			keep = func(i int) bool { return sub.keep(p, i) }
		}
		po := onPanel(o, p)
		dp, ok := p.OutcomePanel(po, keep)
		var f observe.OutcomeFit
		var err error
		if ok {
			f, err = observe.FitDID(dp)
		}
		out[r] = RepFit{OutcomeFit: f, OK: ok && err == nil, PreMean: preTreatmentMean(p, po.Column, keep)}
	}
	d.fits[key] = out
	return out
}

// Vals returns v of every replication's fit (NaN where the fit failed or v is not finite).
func Vals(fs []RepFit, v func(RepFit) float64) []float64 {
	xs := make([]float64, len(fs))
	for r, f := range fs {
		xs[r] = math.NaN()
		if f.OK {
			if x := v(f); finite(x) {
				xs[r] = x
			}
		}
	}
	return xs
}

// att returns the Sun-Abraham ATT of outcome by replication, times scale.
func (d *ValData) Att(scenario, outcome string, sub Subsample, scale float64) []float64 {
	return Vals(d.Fit(scenario, outcome, sub), func(f RepFit) float64 { return scale * f.ATT.Coef })
}

// relATT returns the ATT in percent of the treated counties' pre-treatment mean.
func (d *ValData) RelATT(scenario, outcome string) []float64 {
	return Vals(d.Fit(scenario, outcome, Subsample{}), func(f RepFit) float64 { return 100 * f.ATT.Coef / f.PreMean })
}

// preTrend returns, by replication, 1 if the pre-trend test of outcome rejects at
// PreTrendAlpha and 0 if not (NaN without a test): its mean is the share rejecting.
func (d *ValData) PreTrend(scenario, outcome string) []float64 {
	return Vals(d.Fit(scenario, outcome, Subsample{}), func(f RepFit) float64 {
		if math.IsNaN(f.PreTrend.P) {
			return math.NaN()
		}
		return indicator(f.PreTrend.P < observe.PreTrendAlpha)
	})
}

// significant returns, by replication, 1 if the ATT's 90% CI excludes 0.
func significant(fs []RepFit) []float64 {
	return Vals(fs, func(f RepFit) float64 { return indicator(f.ATT.CI90Low > 0 || f.ATT.CI90High < 0) })
}

func indicator(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// placeboDate returns, by replication, the fit of the placebo-date design on outcome: every
// treated county's cohort moved shift years earlier, its rows from the real treatment year on
// dropped, and the controls' rows from the last real treatment year on dropped, so the
// placebo's post-period is made of untreated years only. A replication where no placebo
// cohort has its year before treatment in the panel has no fit.
func (d *ValData) PlaceboDate(scenario, outcome string, shift int) []RepFit {
	key := fmt.Sprintf("placebo-date|%s|%s|%d", scenario, outcome, shift)
	if f, ok := d.fits[key]; ok {
		return f
	}
	o, _ := observe.EvalOutcomeByName(outcome)
	ps := d.Panels(scenario)
	out := make([]RepFit, len(ps))
	for r, p := range ps {
		o := onPanel(o, p)
		var dp did.Panel
		last := 0
		for i := range p.Counties {
			last = max(last, p.FirstTreatedYear(i))
		}
		ok := true
		for i, c := range p.Counties {
			first := p.FirstTreatedYear(i)
			if first == 0 && !p.IsControl(i) {
				continue
			}
			end, cohort := last, 0
			if first > 0 {
				end, cohort = first, first-shift
			}
			for y := range p.Years {
				if p.Year(y) >= end {
					break
				}
				v := o.Value(p, i, y)
				ok = ok && finite(v)
				dp.Unit, dp.Period, dp.Cohort, dp.Y = append(dp.Unit, c.ID), append(dp.Period, p.Year(y)), append(dp.Cohort, cohort), append(dp.Y, v)
			}
		}
		var f observe.OutcomeFit
		var err error
		if ok {
			f, err = observe.FitDID(dp)
		}
		out[r] = RepFit{OutcomeFit: f, OK: ok && err == nil}
	}
	d.fits[key] = out
	return out
}

// preTreatmentMean returns the mean of column k over the treated counties (accepted by keep)
// in the year before their first treated year, when that year is in the panel.
func preTreatmentMean(p *observe.Panel, k int, keep func(int) bool) float64 {
	s, n := 0.0, 0
	for i := range p.Counties {
		if keep != nil && !keep(i) {
			continue
		}
		if first := p.FirstTreatedYear(i); first > p.StartYear {
			s += p.Value(i, first-1-p.StartYear, k)
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// perRep returns f of every replication's panel of a scenario.
func (d *ValData) PerRep(scenario string, f func(p *observe.Panel) float64) []float64 {
	ps := d.Panels(scenario)
	xs := make([]float64, len(ps))
	for r, p := range ps {
		xs[r] = f(p)
	}
	return xs
}

const PpYear = "pp per year"

func measureT1(d *ValData) ([]TargetFigure, error) {
	var out []TargetFigure
	lo, hi := TargetFigure{Summary: observe.Summary{Mean: math.Inf(1)}}, TargetFigure{Summary: observe.Summary{Mean: math.Inf(-1)}}
	for _, s := range T1Settings {
		x := tfig("att:"+s, "growth effect of the programme (treated from step 1), "+s, "改革对增长的效应（自第一步起计为处理），"+s, PpYear, d.Att(s, "growth", Subsample{}, 100))
		out = append(out, x)
		if x.Mean < lo.Mean {
			lo = x
		}
		if x.Mean > hi.Mean {
			hi = x
		}
	}
	lo.Key, lo.Label, hi.Key, hi.Label = "settings_min", "lowest setting mean ("+lo.Label+")", "settings_max", "highest setting mean ("+hi.Label+")"
	lo.LabelZh, hi.LabelZh = "各设定均值中最低者（"+lo.LabelZh+"）", "各设定均值中最高者（"+hi.LabelZh+"）"
	est := d.Att(ScnDefault, "growth", Subsample{}, 100)
	tru := d.TrueATT(ScnDefault, observe.CFNoReform, "growth", 100)
	rest := d.Att(ScnRandom, "growth", Subsample{}, 100)
	rtru := d.TrueATT(ScnRandom, observe.CFNoReform, "growth", 100)
	coverage := Vals(d.Fit(ScnRandom, "growth", Subsample{}), func(f RepFit) float64 { return 0 })
	for r, f := range d.Fit(ScnRandom, "growth", Subsample{}) {
		if f.OK && finite(rtru[r]) {
			coverage[r] = indicator(100*f.ATT.CI90Low <= rtru[r] && rtru[r] <= 100*f.ATT.CI90High)
		}
	}
	spill := make([]float64, len(tru))
	for r, t := range d.Truths(ScnDefault, observe.CFNoReform, "growth") {
		spill[r] = math.NaN()
		if t != nil {
			spill[r] = 100 * t.Spillover
		}
	}
	out = append(out,
		tfig("twfe:"+ScnDefault, "static TWFE DiD on growth, "+ScnDefault, "对增长的静态双向固定效应（TWFE）双重差分，"+ScnDefault, PpYear, Vals(d.Fit(ScnDefault, "growth", Subsample{}), func(f RepFit) float64 { return 100 * f.TWFE.Coef })),
		tfig("true:"+ScnDefault, "true growth effect on the treated against no reform (same pilots and seeds), "+ScnDefault, "处理组相对于不改革的真实增长效应（相同试点和随机种子），"+ScnDefault, PpYear, tru),
		tfig("bias:"+ScnDefault, "DiD minus the true effect, "+ScnDefault, "双重差分减真实效应，"+ScnDefault, PpYear, diff(est, tru)),
		tfig("spillover:"+ScnDefault, "true growth effect on the never-treated controls, "+ScnDefault, "对从未处理的对照县的真实增长效应，"+ScnDefault, PpYear, spill),
		tfig("pretrend:"+ScnDefault, "share of replications whose growth pre-trend test rejects at 10%, "+ScnDefault, "增长的平行趋势检验在10%显著性水平上拒绝平行趋势假设的重复比例，"+ScnDefault, "share", d.PreTrend(ScnDefault, "growth")),
		tfig("selection:"+ScnDefault, "selection: treated minus never-treated counties' mean strength (GDP per capita relative to the typical county), "+ScnDefault, "选择性：处理县减从未处理县的平均经济实力（人均GDP相对典型县的倍数），"+ScnDefault, "x typical county", d.PerRep(ScnDefault, strengthGap)),
		tfig("selection:"+ScnRandom, "selection: the same with random pilots ("+ScnRandom+")", "选择性：随机抽取试点时的同一指标（"+ScnRandom+"）", "x typical county", d.PerRep(ScnRandom, strengthGap)),
		lo, hi,
		tfig("placebo:random:att", "placebo (c): DiD on growth with random pilots ("+ScnRandom+")", "安慰剂（c）：随机抽取试点时对增长的双重差分（"+ScnRandom+"）", PpYear, rest),
		tfig("placebo:random:true", "placebo (c): true effect with random pilots", "安慰剂（c）：随机抽取试点时的真实效应", PpYear, rtru),
		tfig("placebo:random:pretrend", "placebo (c): share of replications whose growth pre-trend test rejects at 10%", "安慰剂（c）：增长的平行趋势检验在10%显著性水平上拒绝平行趋势假设的重复比例", "share", d.PreTrend(ScnRandom, "growth")),
		tfig("placebo:random:coverage", "placebo (c): share of replications whose 90% CI covers the true effect", "安慰剂（c）：90%置信区间覆盖真实效应的重复比例", "share", coverage),
	)
	return out, nil
}

// strengthGap returns the treated counties' mean strength minus the never-treated counties'.
func strengthGap(p *observe.Panel) float64 {
	tr, co := observe.PreMeans(p, observe.EvalOutcome{}, func(i, _ int) float64 { return p.Counties[i].Strength })
	return tr - co
}

func measureT2(d *ValData) ([]TargetFigure, error) {
	full := d.Fit(ScnHenanPath, "growth", Subsample{})
	slope := Vals(full, func(f RepFit) float64 {
		var rels []int
		var coefs []float64
		for _, c := range f.Event {
			rels = append(rels, c.Rel)
			coefs = append(coefs, 100*c.Coef)
		}
		return slopeOverPost(rels, coefs)
	})
	step1 := d.Att(ScnStep1, "growth", Subsample{}, 100)
	fullATT := d.Att(ScnHenanPath, "growth", Subsample{}, 100)
	placebo := d.PlaceboDate(ScnHenanPath, "growth", 4)
	return []TargetFigure{
		tfig("att:step1", "growth effect of step 1 alone ("+ScnStep1+")", "仅第一步对增长的效应（"+ScnStep1+"）", PpYear, step1),
		tfig("true:step1", "true growth effect of step 1 alone against no reform", "仅第一步相对于不改革的真实增长效应", PpYear, d.TrueATT(ScnStep1, observe.CFNoReform, "growth", 100)),
		tfig("att:full", "growth effect of full PMC after the fiscal stage ("+ScnHenanPath+")", "财政省直管之后全面省直管对增长的效应（"+ScnHenanPath+"）", PpYear, fullATT),
		tfig("true:full:"+observe.CFStepOff, "true growth effect of full PMC against the fiscal stage alone (steps 2 and 3 switched off)", "全面省直管相对于仅财政省直管的真实增长效应（关闭第二、三步）", PpYear, d.TrueATT(ScnHenanPath, observe.CFStepOff, "growth", 100)),
		tfig("true:full:"+observe.CFNoReform, "true growth effect of the whole path against no reform", "整条路径相对于不改革的真实增长效应", PpYear, d.TrueATT(ScnHenanPath, observe.CFNoReform, "growth", 100)),
		tfig("diff:full-step1", "full PMC minus step 1 alone, paired by replication", "全面省直管减仅第一步，按重复配对", PpYear, diff(fullATT, step1)),
		tfig("slope", "slope of full-PMC event coefficients over years 0..8", "全面省直管事件研究系数在第0至8年的斜率", "pp per year, per year since treatment", slope),
		tfig("pretrend:full", "share of replications whose full-PMC growth pre-trend test rejects at 10%", "全面省直管增长的平行趋势检验在10%显著性水平上拒绝平行趋势假设的重复比例", "share", d.PreTrend(ScnHenanPath, "growth")),
		tfig("placebo:date:att", "placebo (b): DiD on growth with treatment four years early, pre-reform years only", "安慰剂（b）：处理时间提前四年、只用改革前年份时对增长的双重差分", PpYear, Vals(placebo, func(f RepFit) float64 { return 100 * f.ATT.Coef })),
		tfig("placebo:date", "placebo (b): share of replications whose placebo DiD is significant at 90%", "安慰剂（b）：安慰剂双重差分在10%显著性水平上显著的重复比例", "share", significant(placebo)),
	}, nil
}

func measureT3(d *ValData) ([]TargetFigure, error) {
	kept := d.PerRep(ScnStep1, func(p *observe.Panel) float64 {
		k := PanelColumn(p, "transfers_kept")
		s := 0.0
		for i, c := range p.Counties {
			first := p.FirstTreatedYear(i)
			if !c.Pilot || first == 0 {
				continue
			}
			for y := first + 1 - p.StartYear; y < p.Years; y++ {
				s += p.Value(i, y, k)
			}
		}
		return s
	})
	money := "million yuan per year"
	var out []TargetFigure
	for _, o := range []struct{ key, name, label, zh string }{
		{"transfers", "transfers_received", "transfers received", "到位转移支付"},
		{"own", "local_revenue", "general budget revenue (own taxes and fees plus retained shared taxes)", "一般公共预算收入（县级固定收入加共享税分成收入）"},
	} {
		ln := observe.LogPrefix + o.name
		out = append(out,
			tfig("log:"+o.key, "effect of step 1 on ln("+o.label+"), as a percentage", "第一步对ln("+o.zh+")的效应（百分比）", "%", pct(d.Att(ScnStep1, ln, Subsample{}, 1))),
			tfig("true:log:"+o.key, "true effect on ln("+o.label+") against no reform, as a percentage", "相对于不改革对ln("+o.zh+")的真实效应（百分比）", "%", pct(d.TrueATT(ScnStep1, observe.CFNoReform, ln, 1))),
			tfig("pretrend:log:"+o.key, "share of replications whose pre-trend test on ln("+o.label+") rejects at 10%", "ln("+o.zh+")的平行趋势检验在10%显著性水平上拒绝平行趋势假设的重复比例", "share", d.PreTrend(ScnStep1, ln)),
			tfig("att:"+o.key, "for reference: effect on "+o.label+" in levels", "仅供参考：对"+o.zh+"水平值的效应", money, d.Att(ScnStep1, o.name, Subsample{}, 1)),
			tfig("pretrend:"+o.key, "for reference: share of replications whose pre-trend test in levels rejects at 10%", "仅供参考：水平值的平行趋势检验在10%显著性水平上拒绝平行趋势假设的重复比例", "share", d.PreTrend(ScnStep1, o.name)),
			tfig("placebo:log:"+o.key, "placebo (a): effect on ln("+o.label+") of fiscal PMC with no fiscal content ("+ScnPlaceboFiscal+"), as a percentage", "安慰剂（a）：没有财政内容的财政省直管（"+ScnPlaceboFiscal+"）对ln("+o.zh+")的效应（百分比）", "%", pct(d.Att(ScnPlaceboFiscal, ln, Subsample{}, 1))),
			tfig("placebo:true:log:"+o.key, "placebo (a): its true effect against no reform, as a percentage", "安慰剂（a）：其相对于不改革的真实效应（百分比）", "%", pct(d.TrueATT(ScnPlaceboFiscal, observe.CFNoReform, ln, 1))),
			tfig("placebo:log:"+o.key+":significant", "placebo (a): share of replications significant at 90%", "安慰剂（a）：在10%显著性水平上显著的重复比例", "share", significant(d.Fit(ScnPlaceboFiscal, ln, Subsample{}))),
		)
	}
	out = append(out, tfig("kept", "transfers kept by prefectures from pilots after their first treated year", "首个处理年之后地级市截留试点县的转移支付", "million yuan", kept))
	return out, nil
}

func measureT4(d *ValData) ([]TargetFigure, error) {
	var out []TargetFigure
	for _, o := range []struct{ key, name, zh, unit string }{
		{"misuse", "misused_funds", "违规使用资金", "million yuan per year"},
		{"hidden", "hidden_debt", "隐性债务", "million yuan"},
	} {
		broad, narrow := d.RelATT(ScnBroad, o.name), d.RelATT(ScnNarrow, o.name)
		out = append(out,
			tfig("att:"+o.key, "effect of the programme on "+o.name+" ("+ScnDefault+")", "改革对"+o.zh+"的效应（"+ScnDefault+"）", o.unit, d.Att(ScnDefault, o.name, Subsample{}, 1)),
			tfig("true:"+o.key, "true effect on "+o.name+" against no reform", "相对于不改革对"+o.zh+"的真实效应", o.unit, d.TrueATT(ScnDefault, observe.CFNoReform, o.name, 1)),
			tfig("pretrend:"+o.key, "share of replications whose pre-trend test on "+o.name+" rejects at 10%", o.zh+"的平行趋势检验在10%显著性水平上拒绝平行趋势假设的重复比例", "share", d.PreTrend(ScnDefault, o.name)),
			tfig("rel:"+o.key+":broad", "relative effect on "+o.name+", broad span ("+ScnBroad+")", "对"+o.zh+"的相对效应，管理幅度宽（"+ScnBroad+"）", "%", broad),
			tfig("rel:"+o.key+":narrow", "relative effect on "+o.name+", narrow span ("+ScnNarrow+")", "对"+o.zh+"的相对效应，管理幅度窄（"+ScnNarrow+"）", "%", narrow),
			tfig("diff:"+o.key, "broad minus narrow span, paired by replication", "管理幅度宽减窄，按重复配对", "percentage points", diff(broad, narrow)),
		)
	}
	return out, nil
}

// TheilYear returns the population-weighted Theil index of county GDP per capita in year
// index y of p.
func TheilYear(p *observe.Panel, y int) float64 {
	kY, kW := PanelColumn(p, "gdp_per_capita"), PanelColumn(p, "population")
	ys, ws := make([]float64, len(p.Counties)), make([]float64, len(p.Counties))
	for i := range p.Counties {
		ys[i], ws[i] = p.Value(i, y, kY), p.Value(i, y, kW)
	}
	return observe.Theil(ys, ws)
}

// preReformYear returns the year index of the last year that ends before a reform dated month
// start, clamped to the panel.
func preReformYear(start int) int { return max(start/12-1, 0) }

func measureT5(d *ValData) ([]TargetFigure, error) {
	var out []TargetFigure
	for _, kind := range []string{"iq", "strength"} {
		name := map[string]string{"iq": "institutional-quality", "strength": "strength"}[kind]
		nameZh := map[string]string{"iq": "制度质量", "strength": "经济实力"}[kind]
		var by [4][]float64
		for t := 1; t <= 3; t++ {
			by[t] = d.Att(ScnRandom, "growth", TercileSample(kind, t), 100)
			out = append(out, tfig(fmt.Sprintf("att:%s:%d", kind, t), fmt.Sprintf("growth effect of the programme, %s tercile %d (%s)", name, t, ScnRandom), fmt.Sprintf("改革对增长的效应，%s第%d三分位组（%s）", nameZh, t, ScnRandom), PpYear, by[t]))
		}
		out = append(out, tfig("diff:"+kind, "top minus bottom "+name+" tercile, paired by replication", nameZh+"最高减最低三分位组，按重复配对", PpYear, diff(by[3], by[1])))
	}
	return append(out, measureT5Theil(d)...), nil
}

// theilChange returns the change of the Theil index of p from year index y0 to the final year.
func theilChange(p *observe.Panel, y0 int) float64 {
	return TheilYear(p, p.Years-1) - TheilYear(p, y0)
}

// measureT5Theil measures devolution's effect on inequality under weak and strong
// equalisation as a difference in changes: the change of the Theil index from the year before
// devolution to the final year in the run with devolution minus the change in the same world
// without it (its no_devolution counterfactual: the same seed, replication and equalisation),
// replication by replication. Both runs share every month before devolution, so the
// equalisation's own pull on inequality, present in both, cancels.
func measureT5Theil(d *ValData) []TargetFigure {
	var out []TargetFigure
	eff := map[string][]float64{}
	for _, s := range []struct{ key, zh, scenario string }{{"weak", "弱", ScnWeakEq}, {"strong", "强", ScnStrongEq}} {
		y0 := preReformYear(d.Config(s.scenario).Devolution.Start)
		with := d.PerRep(s.scenario, func(p *observe.Panel) float64 { return theilChange(p, y0) })
		without := d.PerPair(s.scenario, observe.CFNoDevolution, func(_, q *observe.Panel) float64 { return theilChange(q, y0) })
		eff[s.key] = diff(with, without)
		out = append(out,
			tfig("theil0:"+s.key, "Theil index before devolution, "+s.key+" equalisation ("+s.scenario+")", "扩权前的泰尔指数，"+s.zh+"均衡（"+s.scenario+"）", "Theil T", d.PerRep(s.scenario, func(p *observe.Panel) float64 { return TheilYear(p, y0) })),
			tfig("dtheil:"+s.key, "change of the Theil index to the final year with devolution, "+s.key+" equalisation", "扩权时泰尔指数至末年的变化，"+s.zh+"均衡", "Theil T", with),
			tfig("dtheil:nodev:"+s.key, "the same change without devolution (same seed and equalisation, "+observe.CFNoDevolution+"), "+s.key+" equalisation", "不扩权时的同一变化（相同随机种子和均衡力度，"+observe.CFNoDevolution+"），"+s.zh+"均衡", "Theil T", without),
			tfig("dev:"+s.key, "devolution's effect on the Theil change: with minus without devolution, paired by replication, "+s.key+" equalisation", "扩权对泰尔指数变化的效应：扩权减不扩权，按重复配对，"+s.zh+"均衡", "Theil T", eff[s.key]),
		)
	}
	return append(out, tfig("diff:dev", "devolution's effect, weak minus strong equalisation, paired by replication", "扩权的效应，弱均衡减强均衡，按重复配对", "Theil T", diff(eff["weak"], eff["strong"])))
}

// MeanOver returns the mean of column k over all counties of p in year index y.
func MeanOver(p *observe.Panel, y, k int) float64 {
	s := 0.0
	for i := range p.Counties {
		s += p.Value(i, y, k)
	}
	return s / float64(len(p.Counties))
}

func measureT6(d *ValData) ([]TargetFigure, error) {
	y0 := preReformYear(d.Config(ScnApproval).Approval.Start)
	var out []TargetFigure
	for _, o := range []struct{ key, name, label, zh string }{
		{"approval", "approval_days", "approval days, all requests", "审批天数（全部事项）"},
		{"investment", "investment_days", "investment-project approval days", "投资项目审批天数"},
	} {
		at := func(final bool) func(p *observe.Panel) float64 {
			return func(p *observe.Panel) float64 {
				y := y0
				if final {
					y = p.Years - 1
				}
				return MeanOver(p, y, PanelColumn(p, o.name))
			}
		}
		cut := func(scenario string) []float64 {
			return d.PerRep(scenario, func(p *observe.Panel) float64 { return 100 * (1 - at(true)(p)/at(false)(p)) })
		}
		out = append(out,
			tfig(o.key+":before", o.label+", last year before the reform ("+ScnApproval+")", o.zh+"，改革前最后一年（"+ScnApproval+"）", "days", d.PerRep(ScnApproval, at(false))),
			tfig(o.key+":after", o.label+", final year ("+ScnApproval+")", o.zh+"，末年（"+ScnApproval+"）", "days", d.PerRep(ScnApproval, at(true))),
			tfig(o.key+":cut", "cut in "+o.label, o.zh+"降幅", "%", cut(ScnApproval)),
			tfig(o.key+":baseline_cut", "cut in "+o.label+" over the same years, "+ScnBaseline, "同期"+o.zh+"降幅，"+ScnBaseline, "%", cut(ScnBaseline)),
		)
	}
	return out, nil
}

// coveredArrears returns the county-months of p with wage arrears while receipts covered the
// wage obligation.
func coveredArrears(p *observe.Panel) float64 {
	k := PanelColumn(p, "arrears_covered_months")
	s := 0.0
	for i := range p.Counties {
		for y := range p.Years {
			s += p.Value(i, y, k)
		}
	}
	return s
}

// arrearsShare returns the percentage of county-months in arrears of strength tercile t from
// year index y0 on.
func arrearsShare(p *observe.Panel, t, y0 int) float64 {
	k := PanelColumn(p, "arrears_months")
	s, months := 0.0, 0.0
	for i, c := range p.Counties {
		if c.Tercile != t {
			continue
		}
		for y := y0; y < p.Years; y++ {
			s += p.Value(i, y, k)
			months += float64(min(12, p.Months()-12*y))
		}
	}
	if months == 0 {
		return math.NaN()
	}
	return 100 * s / months
}

func measureT7(d *ValData) ([]TargetFigure, error) {
	y0 := d.Config(ScnStress).Finance.RevenueShockMonth / 12
	var by [4][]float64
	var out []TargetFigure
	for t := 1; t <= 3; t++ {
		by[t] = d.PerRep(ScnStress, func(p *observe.Panel) float64 { return arrearsShare(p, t, y0) })
		out = append(out, tfig(fmt.Sprintf("arrears:%d", t), fmt.Sprintf("county-months in arrears after the shock, strength tercile %d (%s)", t, ScnStress), fmt.Sprintf("冲击后欠发工资的县·月占比，经济实力第%d三分位组（%s）", t, ScnStress), "%", by[t]))
	}
	return append(out,
		tfig("diff:1-2", "weakest minus middle tercile, paired by replication", "最弱减中间三分位组，按重复配对", "percentage points", diff(by[1], by[2])),
		tfig("diff:1-3", "weakest minus strongest tercile, paired by replication", "最弱减最强三分位组，按重复配对", "percentage points", diff(by[1], by[3])),
		tfig("covered", "for reference: county-months with arrears while receipts cover wages (0 by the payment code's identity, see the unit test)", "仅供参考：收入足以支付工资却仍欠薪的县·月数（按支付代码的恒等关系应为0，见单元测试）", "county-months", d.PerRep(ScnStress, coveredArrears)),
	), nil
}

func measureT8(d *ValData) ([]TargetFigure, error) {
	start := d.Config(ScnDevolution).Devolution.Start
	t := func(outcome string, from, to int) []float64 {
		return d.TrueByYears(ScnDevolution, observe.CFNoDevolution, outcome, start, from, to)
	}
	early, late := scaled(t("growth", 1, 3), 100), scaled(t("growth", 8, 10), 100)
	level := tfig("level", "true effect on ln GDP per capita, mean of years 5-10 after the start, as a percentage", "对ln人均GDP的真实效应，开始后第5-10年的均值（百分比）", "%", pct(t(observe.LogPrefix+"gdp_per_capita", 5, 10)))
	if level.N == 0 {
		return []TargetFigure{level}, problem{fmt.Sprintf("the horizon ends before year 10 after the devolution (month %d)", start), fmt.Sprintf("模拟期在扩权后第10年之前就结束了（扩权始于第%d月）", start)}
	}
	return []TargetFigure{
		level,
		tfig("growth:early", "true effect on growth, years 1-3", "对增长的真实效应，第1-3年", PpYear, early),
		tfig("growth:late", "true effect on growth, years 8-10", "对增长的真实效应，第8-10年", PpYear, late),
		tfig("fade", "years 8-10 minus half of years 1-3, paired by replication", "第8-10年减第1-3年的一半，按重复配对", PpYear, diff(late, scaled(early, 0.5))),
		tfig("misuse", "for reference: true effect on misused funds, years 5-10", "仅供参考：对违规使用资金的真实效应，第5-10年", "million yuan per year", t("misused_funds", 5, 10)),
	}, nil
}

func measureT9(d *ValData) ([]TargetFigure, error) {
	start := d.Config(ScnApprovalOnly).Approval.Start
	t := func(outcome string, from, to int) []float64 {
		return d.TrueByYears(ScnApprovalOnly, observe.CFNoApproval, outcome, start, from, to)
	}
	level := tfig("level10", "true effect on GDP per capita in year 10 after the start", "开始后第10年对人均GDP的真实效应", "%", pct(t(observe.LogPrefix+"gdp_per_capita", 10, 10)))
	if level.N == 0 {
		return []TargetFigure{level}, problem{fmt.Sprintf("the horizon ends before year 10 after the approval reform (month %d)", start), fmt.Sprintf("模拟期在审批制度改革后第10年之前就结束了（改革始于第%d月）", start)}
	}
	y0 := firstReformYear(start)
	days := func(k int) func(p *observe.Panel) float64 {
		return func(p *observe.Panel) float64 { return MeanOver(p, y0+k-1, PanelColumn(p, "approval_days")) }
	}
	pre, y1, y5 := d.PerRep(ScnApprovalOnly, days(0)), d.PerRep(ScnApprovalOnly, days(1)), d.PerRep(ScnApprovalOnly, days(5))
	share := make([]float64, len(pre))
	cut5 := make([]float64, len(pre))
	for r := range pre {
		share[r] = (pre[r] - y1[r]) / (pre[r] - y5[r])
		cut5[r] = 100 * (1 - y5[r]/pre[r])
	}
	return []TargetFigure{
		level,
		tfig("growth", "true effect on growth, mean of years 1-10", "对增长的真实效应，第1-10年均值", PpYear, scaled(t("growth", 1, 10), 100)),
		tfig("days:before", "approval days, year before the reform", "审批天数，改革前一年", "days", pre),
		tfig("days:cut5", "cut in approval days by reform year 5", "至改革第5年审批天数的降幅", "%", cut5),
		tfig("days:first_share", "share of the cut by year 5 reached in the first reform year", "第5年降幅中在改革第一年实现的比例", "share", share),
	}, nil
}

// slopeOverPost returns the least-squares slope of the coefficients on rel over rel >= 0.
func slopeOverPost(rels []int, coefs []float64) float64 {
	var xs, ys []float64
	for i, r := range rels {
		if r >= 0 && finite(coefs[i]) {
			xs = append(xs, float64(r))
			ys = append(ys, coefs[i])
		}
	}
	if len(xs) < 2 {
		return math.NaN()
	}
	mx, my := mean(xs), mean(ys)
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	if sxx == 0 {
		return math.NaN()
	}
	return sxy / sxx
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// finite reports whether v is a number (neither NaN nor infinite).
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
