package lang

import "fmt"

// zhInput holds the Chinese of more errors about a user's input, keyed by their English fmt
// format like zhErrors (into which init merges it): the usage errors of compare, evaluate and
// run that a user meets in normal use (cmd/countysim's usageText: the scenarios compared, what
// evaluate can estimate, --reps, --groups, --out), and the counties file's and county codes'
// messages added with them (package scenarios). Kept apart from zh_errors.go so that these
// phrases stay together.
var zhInput = map[string]string{
	// compare: the scenarios compared.
	"expected at least two scenarios to compare, got %d (built-ins: %s)":                                                 "比较至少需要两个情景，这里给了%d个（内置情景：%s）",
	"scenarios %q and %q are both named %q; compared scenarios need distinct names (give one another name: in its file)": "情景%q和%q的名称都是%q；参与比较的情景须各有不同的名称（请在其中一个情景文件中把name:改为别的名称）",
	"preset %s":                    "预设%s",
	"%v (%d counties)":             "%v（%d个县）",
	"%v with the counties file %s": "%v及县数据文件%s",
	"scenario %s simulates %v and %s simulates %v; compared scenarios need the same world, counties file included. " +
		"To compare %s with no reform, copy %s to a new file, give the copy another name: and switch its reform off as baseline does " +
		"(pmc.enabled: false and the devolution, approval and organisation levers at 0: countysim scenarios show baseline), then compare the two files": "情景%s模拟的是%v，情景%s模拟的是%v；参与比较的情景须模拟同一个世界，县数据文件也须相同。" +
		"要将%s与不改革的情景比较，请把%s复制为一个新文件，在副本中改用别的name:，并像baseline那样关闭改革（pmc.enabled: false，扩权（devolution）、审批（approval）和机构精简（organisation）各项参数设为0：见“countysim scenarios show baseline”），然后比较这两个文件",
	"scenarios %s and %s both simulate %v but with other county data (a counties file or county list); compared scenarios need the same world":                                                                                                                        "情景%s和%s都模拟%v，但县数据不同（县数据文件或县名单）；参与比较的情景须模拟同一个世界",
	"scenario %s simulates %v and %s simulates %v; compared scenarios need the same world: the same preset or counties file (--set preset=NAME gives every scenario one preset; a scenario of your own counties compares with a no-reform scenario of the same file)": "情景%s模拟的是%v，情景%s模拟的是%v；参与比较的情景须模拟同一个世界：相同的预设或县数据文件（--set preset=NAME让每个情景都用同一个预设；用自己县数据的情景，应与同一县数据文件上不改革的情景比较）",
	"scenario %s starts in %d and %s in %d; compared scenarios need the same period (use --set start_year=YEAR)":                                                                                                                                                      "情景%s从%d年开始，情景%s从%d年开始；参与比较的情景须模拟同一时期（请用--set start_year=年份）",
	"scenario %s runs %d months and %s %d months; compared scenarios need the same period (use --months)":                                                                                                                                                             "情景%s模拟%d个月，情景%s模拟%d个月；参与比较的情景须模拟同一时期（请用--months）",

	// evaluate: what it can estimate.
	"--treatment-step: bad value %d (allowed: 1 or 3)": "--treatment-step：取值%d无效（允许：1或3）",
	"scenario %s: no county is treated: no county reaches PMC step %d within the horizon's whole years (pmc.enabled false, or no cohort's step%d date before the last whole year of months ends); " +
		"evaluate a scenario whose pilots reach step %d (e.g. pmc-three-step), set pmc.cohorts dates, or lower --treatment-step": "情景%s：没有处理县：在模拟期的各整年内，没有县到达省直管县改革第%d步（pmc.enabled为false，或没有批次的step%d月份早于最后一个整年的结束）；" +
		"请评估试点县会到达第%d步的情景（如pmc-three-step），设定pmc.cohorts的各步月份，或降低--treatment-step",
	"scenario %s: every treated county reaches PMC step %d in the panel's first year, so no year before treatment is observed and nothing can be estimated; " +
		"evaluate a later step (--treatment-step), or a scenario whose cohorts reach step %d after the first year (pmc.cohorts dates of 12 or more)": "情景%s：所有处理县都在面板的第一年到达省直管县改革第%d步，观测不到处理前的年份，无法估计；" +
		"请评估更晚的步骤（--treatment-step），或各批次在第一年之后才到达第%d步的情景（pmc.cohorts的月份为12或更大）",
	"scenario %s: no never-treated county to compare with: every county is a pilot (pmc.cohorts shares sum to 1); " +
		"a DiD needs counties that stay city-managed: lower the cohorts' shares so they sum to less than 1 (e.g. pmc-three-step)": "情景%s：没有从未试点的县可作对照：每个县都是试点县（pmc.cohorts的份额之和为1）；" +
		"双重差分需要始终维持市管县的县：请降低各批次的份额，使其和小于1（如pmc-three-step）",

	// run, and the limits every command shares.
	"expected at most one scenario, got %d: %v":                                                                                                                                           "最多只能给一个情景，这里给了%d个：%v",
	"--reps: bad value %d (allowed: 1 to %d)":                                                                                                                                             "--reps：取值%d无效（允许：1至%d）",
	"--reps %d for %d scenarios is %d runs (allowed: at most %d runs per command)":                                                                                                        "--reps %d、%d个情景，共%d次模拟（允许：每条命令最多%d次模拟）",
	"%d runs of %d months would hold about %s of series in memory, above the %s cap; use fewer --reps or --months, or add --force":                                                        "%d次模拟、每次%d个月，序列约占%s内存，超过上限%s；请减少--reps或--months，或加上--force",
	"the output is projected at about %s, above the %s cap; shorten --months, use --panel yearly or --groups, or add --force":                                                             "预计输出约%s，超过上限%s；请缩短--months，使用--panel yearly或--groups，或加上--force",
	"--groups: %q matches no group of %s (groups: %s; a prefix ends in *, e.g. step:*)":                                                                                                   "--groups：%q与情景%s的任何分组都不匹配（分组：%s；前缀以*结尾，如step:*）",
	"--out %s holds files this command did not write (%s); choose another --out, or add --force to write into it anyway (files of the same names are replaced, others kept)":              "--out %s中有不是本命令写入的文件（%s）；请换一个--out，或加上--force仍写入该文件夹（同名文件会被替换，其他文件保留）",
	"--out %s holds files this command did not write (%s, and %d more); choose another --out, or add --force to write into it anyway (files of the same names are replaced, others kept)": "--out %s中有不是本命令写入的文件（%s等，另有%d个）；请换一个--out，或加上--force仍写入该文件夹（同名文件会被替换，其他文件保留）",
	"--out %s is a file, not a folder":     "--out %s是文件，不是文件夹",
	"--out %s: %s is a file, not a folder": "--out %s：%s是文件，不是文件夹",
}

// zhInputCounties holds the Chinese of the counties file's and county codes' messages
// (package scenarios), merged into zhErrors like zhInput.
var zhInputCounties = map[string]string{
	// County codes.
	"%s; write the code in half-width digits (0-9): %s is %v":                                                           "%s；代码请用半角数字（0-9）：%s是%v",
	"%s; write the code without its decimals (a spreadsheet took it for a number; format the column as text): %s is %v": "%s；代码不要带小数（电子表格把它当成了数值；请把该列设为文本格式）：%s是%v",
	"%s; write the 6-digit county code: %s is %v":                                                                       "%s；请写6位的县级代码：%s是%v",
	"%s; write the code in half-width digits (0-9)":                                                                     "%s；代码请用半角数字（0-9）",
	"%s; write the code without its decimals (a spreadsheet took it for a number; format the column as text)":           "%s；代码不要带小数（电子表格把它当成了数值；请把该列设为文本格式）",
	"%s; county codes are the 2010 census's six-digit division codes (a code given since, as to a county that became a city or a district, is not among them: write the county's name instead)": "%s；县的代码是2010年人口普查的6位行政区划代码（此后新设的代码，如撤县设市、撤县设区后的代码，不在其中：请改写县名）",
	"%s; codes beginning %s are %s's":             "%s；以%s开头的代码属于%s",
	"%s; this world's county codes begin with %s": "%s；本世界的县级代码以%s开头",

	// Counties files.
	"%s; write half-width characters: the cell has a full-width sign (－ or ＋)":                                                                         "%s；请用半角字符：该单元格有全角的正负号（－或＋）",
	"no county: the file has a header row but no row of a county (allowed: a header row, then a row per county, at least one; blank rows are skipped)": "没有县：文件只有表头行，没有任何县的数据行（允许：一行表头，然后每县一行，至少一行；空行会被跳过）",
	"%s (general-budget revenue, 一般预算收入: the county's own revenue, 县级固定收入, plus its share of the shared taxes; million yuan, not 万元)":                  "%s（即一般预算收入，为县级固定收入与共享税分成收入之和；单位为百万元，不是万元）",
}

func init() {
	for _, table := range []map[string]string{zhInput, zhInputCounties} {
		for k, v := range table {
			if old, ok := zhErrors[k]; ok && old != v {
				panic(fmt.Sprintf("lang: error %q is translated both %q and %q", k, old, v))
			}
			zhErrors[k] = v
		}
	}
}
