package lang

import (
	"fmt"
	"regexp"
	"strings"
)

// The Chinese of the errors about a user's input files: scenario files, --set overrides and
// counties files (package scenarios' Text and Words). The place of a problem
// (file:line:col: field: ) and the values it quotes are the same in every language; only
// the prose is translated. scenarios' TestEveryErrorHasChinese fails when a message has no
// entry here.

// zhErrors translates the messages, keyed by their English fmt format. A Chinese format may
// reorder or leave out arguments with explicit indexes (%[2]s).
var zhErrors = map[string]string{
	"%s":    "%s",
	"%v":    "%v",
	"%s%v":  "%s%v",
	"%s %q": "%s %q",

	// Reading a file.
	"%s %s: %s %s: %s":               "%[1]s %[2]s：%[5]s",
	"%s %s: %v":                      "%s %s：%v",
	"%s %s: is a folder, not a file": "%s %s：这是文件夹，不是文件",
	"%s %s: larger than %d bytes (allowed: at most %d bytes, 1 MiB)": "%s %s：超过%d字节（允许：最多%d字节，即1 MiB）",
	"the file is not UTF-8 text (byte 0x%02x here); save it as UTF-8 (a file saved on Chinese Windows is often GBK: in Excel choose \"CSV UTF-8\", in Notepad the UTF-8 encoding)": "文件不是UTF-8文本（此处字节为0x%02x）；请另存为UTF-8（中文Windows上保存的文件常为GBK：在Excel中选择“CSV UTF-8”，在记事本中选择UTF-8编码）",
	"unknown built-in scenario %q (built-ins: %s)":                                 "未知的内置情景%q（内置情景：%s）",
	"unknown scenario %q (did you mean %q?): not a built-in (%s) and no such file": "未知的情景%q（是不是%q？）：既不是内置情景（%s），也没有这个文件",
	"unknown scenario %q: not a built-in (%s) and no such file":                    "未知的情景%q：既不是内置情景（%s），也没有这个文件",

	// YAML.
	"YAML syntax: %s": "YAML语法错误：%s",
	"%s (the line is indented with a tab: YAML indents with spaces only)":                   "%s（该行用制表符缩进：YAML只能用空格缩进）",
	"%s (this line has a full-width colon '：'; YAML needs the ASCII colon ':' and a space)": "%s（该行有全角冒号“：”；YAML要求半角冒号“:”后加一个空格）",
	"cannot read YAML: %v": "无法读取YAML：%v",
	"a scenario file holds one YAML document; remove this second one (or the '---' before it)":                                                   "一个情景文件只能有一个YAML文档；请删除这第二个文档（或它前面的“---”）",
	"too many values (more than %d once aliases are expanded)":                                                                                   "值太多（展开别名后超过%d个）",
	"too many values: more than %d once aliases are expanded (allowed: at most %d)":                                                              "值太多：展开别名后超过%d个（允许：最多%d个）",
	"too many values: more than %d once aliases are expanded (allowed: at most %d; write the values out instead of nesting aliases)":             "值太多：展开别名后超过%d个（允许：最多%d个；请直接写出各值，不要嵌套别名）",
	"more problems than %d; fix these first":                                                                                                     "问题超过%d个；请先修正这些",
	"the file is empty (or only ~): it would run the defaults unnoticed; write at least a name and the fields to change, or run the built-in %s": "文件为空（或只有~）：这样会在不知不觉中按默认设置运行；请至少写上name和要修改的字段，或运行内置情景%s",

	// Keys and types.
	"unknown key %q":                 "未知的键%q",
	"%s; did you mean %q?":           "%s；是不是%q？",
	"%s; did you mean %s?":           "%s；是不是%s？",
	"%s; did you mean world.%s?":     "%s；是不是world.%s？",
	"%s or %s":                       "%s或%s",
	"%s (keys allowed here: %s)":     "%s（此处允许的键：%s）",
	"%s (keys allowed under %s: %s)": "%s（%s下允许的键：%s）",
	"duplicate key %q (first at line %d, again at line %d); keep one": "键%q重复（先在第%d行，又在第%d行）；请只保留一个",
	"a key must be a plain name, got %s":                              "键必须是简单的名称，这里是%s",
	"a merge key (<<) takes a mapping or a list of mappings, got %s":  "合并键（<<）的值须为映射或映射的列表，这里是%s",
	"wrong type: expected %s, got %s":                                 "类型错误：应为%s，这里是%s",
	"%s (allowed: %s)":                                                "%s（允许：%s）",
	"expected a mapping of path: value, got %s":                       "应为“路径: 值”的映射，这里是%s",
	"expected a single value, got %s (write each field as a dotted path, such as devolution.social: 0.5, and a list as quoted YAML)":                                                                    "应为单个值，这里是%s（每个字段写成用点连接的路径，如devolution.social: 0.5，列表写成加引号的YAML）",
	"this key names a file that is read only as a plain key of a scenario file's world: (world:, then counties_file: FILE); it cannot be set with --set, from the teaching page or through a merge key": "这个键指定的文件只作为情景文件中world下的普通键读取（world:，下一行counties_file: FILE）；不能用--set、教学页面或合并键设置",

	// What a value is (expected) and what was given (describe).
	"a mapping":                 "映射",
	"a mapping (keys: %s)":      "映射（键：%s）",
	"a list":                    "列表",
	"a list (each %s)":          "列表（每项为%s）",
	"a list of mappings":        "映射的列表",
	"a list of names":           "名称的列表",
	"true or false":             "true或false",
	"text":                      "文本",
	"a whole number":            "整数",
	"a whole number, 0 or more": "大于等于0的整数",
	"a number":                  "数值",
	"no value":                  "空值",
	"nothing":                   "无内容",
	"the number %s":             "数值%s",
	"text %q":                   "文本%q",

	// Values.
	"bad value %v (allowed: %s)":            "取值%v无效（允许：%s）",
	"bad value %q (allowed: %s)":            "取值%q无效（允许：%s）",
	"bad value %s: %s (allowed: %s)":        "取值%s无效：%s（允许：%s）",
	"unknown preset %q (allowed: %s)":       "未知的预设%q（允许：%s）",
	"unknown language %q (allowed: en, zh)": "未知的语言%q（允许：en、zh）",
	"allowed: letters, digits, spaces and . _ - + ( ), not starting with . or -, up to 100 bytes of UTF-8: 100 Latin letters or 33 Chinese characters": "允许：字母、数字、空格和 . _ - + ( )，不以 . 或 - 开头，最多100字节的UTF-8：100个拉丁字母或33个汉字",
	"bad value \"\" (%s)":          "取值\"\"无效（%s）",
	"bad value of %d bytes (%s)":   "取值无效：长%d字节（%s）",
	"bad value %q: not UTF-8 (%s)": "取值%q无效：不是UTF-8（%s）",
	"bad value %q: a slash would put the output outside its folder (%s)":                 "取值%q无效：斜杠会把输出放到其文件夹之外（%s）",
	"bad value %q: a leading . or - makes a hidden file, a parent folder or a flag (%s)": "取值%q无效：以 . 或 - 开头会成为隐藏文件、上级文件夹或命令行选项（%s）",
	"bad value %q: leading or trailing space (%s)":                                       "取值%q无效：开头或结尾有空格（%s）",
	"bad value %q: control or formatting character %U (%s)":                              "取值%q无效：有控制字符或格式字符%U（%s）",
	"bad value %q: character %q (%s)":                                                    "取值%q无效：有字符%q（%s）",

	// --set.
	"cannot read %q: expected path=value, e.g. pmc.enabled=false": "无法读取%q：应写成“路径=值”，例如pmc.enabled=false",
	"cannot read value %q: %s":                                    "无法读取值%q：%s",
	"cannot read path %q: a list index is written [0], [1], ...":  "无法读取路径%q：列表序号应写成[0]、[1]……",
	"%s is %s, not a list, so it takes no [%d]":                   "%s是%s，不是列表，不能用[%d]",
	"no item %d: %s has %d item(s)":                               "没有第%d项：%s有%d项",
	"no item %d: %s has %d item(s) (0 to %d)":                     "没有第%d项：%s有%d项（序号0至%d）",
	"%s is %s, so it has no key %q; set it whole":                 "%s是%s，没有键%q；请整体设置它",

	// Real worlds and counties.
	"preset %q already sets the provinces; with a preset, world.provinces may only restate them (same provinces, prefectures and counties, other county values), as the full form does, but here %s: remove preset to give your own world, or world.provinces to use the preset's": "预设%q已经设定了各省；有预设时，world.provinces只能照样重述（相同的省、地级市和县，县的其他数值可以不同），如完整形式那样，但这里%s：要用自己的世界，请删除preset；要用预设的世界，请删除world.provinces",
	"the file has %d provinces, the preset %d":                                                  "文件有%d个省，预设有%d个",
	"province %d (%s) is named %q":                                                              "world.provinces[%d]（%s）的名称写成了%q",
	"province %d (%s) has %d prefectures, the preset %d":                                        "world.provinces[%d]（%s）有%d个地级市，预设有%d个",
	"province %d (%s) has %d counties, the preset %d":                                           "world.provinces[%d]（%s）有%d个县，预设有%d个",
	"province %d (%s) has other prefecture names or codes":                                      "world.provinces[%d]（%s）的地级市名称或代码与预设不同",
	"province %d (%s) has other county_names or strong_named_counties":                          "world.provinces[%d]（%s）的county_names或strong_named_counties与预设不同",
	"province %d (%s) lists %d counties, the preset %d":                                         "world.provinces[%d]（%s）列出%d个县，预设列出%d个",
	"province %d (%s) county %d is %s (%s, prefecture %d), the preset's %s (%s, prefecture %d)": "world.provinces[%d]（%s）的县%d是%s（%s，地级市%d），预设中是%s（%s，地级市%d）",
	"unknown county %q in this world":                                                           "本世界中没有县%q",
	"ambiguous county %q: it matches %v; write the full name or the code":                       "县名%q有歧义：与%v都匹配；请写全称或代码",
	"%s (%s, %v)": "%s（%s，%v）",
	"%v, %v":      "%v、%v",
	"%s (%s) is a county of %v (%s), not of this world's provinces": "%s（%s）是%v（%s）的县，不在本世界的省份中",
	"%s; %s":          "%s；%s",
	"%s; nearest: %v": "%s；最接近的有：%v",
	"%s; the world names no counties (use a real preset such as henan, or world.provinces[].county_list)": "%s；本世界没有列出县名（请用真实省份的预设，如henan，或world.provinces[].county_list）",

	// Counties files.
	"expected the path of a CSV file (relative to the scenario file)": "应为CSV文件的路径（相对于情景文件）",
	"cannot read the counties file: %s %s: %s":                        "无法读取县数据文件%[2]s：%[3]s",
	"cannot read the counties file: %v":                               "无法读取县数据文件：%v",
	"a scenario sent here may not name a file (this server reads none); give the counties' values in world.provinces[].county_list, or run the scenario with its counties file on your own machine (countysim run FILE)": "发送到这里的情景不能指定文件（本服务器不读取任何文件）；请在world.provinces[].county_list中给出各县的数值，或在自己的计算机上连同县数据文件运行该情景（countysim run FILE）",
	"the world lists no counties to override: use a real preset (such as henan) or world.provinces[].county_list":                                                                                                        "本世界没有列出可覆盖其数值的县：请用真实省份的预设（如henan）或world.provinces[].county_list",
	"the file is empty (allowed: a header row, such as code,name,population, then a row per county)":                                                                                                                     "文件为空（允许：一行表头，如code,name,population，然后每县一行）",
	"cannot read the header row: %s": "无法读取表头行：%s",
	"cannot read the row: %s":        "无法读取该行：%s",
	"column %d (%s): %s":             "第%d列（%s）：%s",
	"column %d: %s":                  "第%d列：%s",
	"a column with no name (allowed: %s; delete the empty columns Excel leaves)": "该列没有列名（允许：%s；请删除Excel留下的空列）",
	"unknown column (allowed: %s)":                                         "未知的列名（允许：%s）",
	"unknown column: the column names are English (write %s; allowed: %s)": "未知的列名：列名须用英文（请写%s；允许：%s）",
	"%s (persons, not 万人)":                                                 "%s（单位为人，不是万人）",
	"%s (a share 0-1)":                                                     "%s（0至1的比例）",
	"%s (million yuan, not 万元)":                                            "%s（单位为百万元，不是万元）",
	"duplicate column":                                                     "列名重复",
	"no code or name column: one is needed to find each county":            "没有code列或name列：需要其中一列来找到每个县",
	"%d fields, the header has %d":                                         "本行有%d个字段，表头有%d个",
	"%d fields, the header has %d (the row separates its fields with full-width commas ，: use ASCII commas ,)": "本行有%d个字段，表头有%d个（本行用全角逗号“，”分隔字段：请改用半角逗号“,”）",
	"name %q does not match code %s (%s)":                                                     "名称%q与代码%s（%s）不符",
	"no code or name: the row names no county":                                                "没有code或name：该行没有指明县",
	"county %s is already given at line %d":                                                   "县%s已在第%d行给出",
	"county %s is named but not listed (world.provinces[%d].county_list has no entry for it)": "县%s有名称但未列入名单（world.provinces[%d].county_list中没有它）",
	"give spending or transfers, not both: the county's opening spending is its revenue plus its transfers, so one fixes the other":                                     "spending和transfers只能给出其一：县的期初支出等于其收入加转移支付，给出一个就确定了另一个",
	"bad value %q: %s yuan per resident (of %s), more than any county has (allowed: million yuan, at most %s yuan per resident; a figure in 万元 is 100 times too large)": "取值%q无效：按常住人口%[3]s人计，每人%[2]s元，超过任何县的实际水平（允许：单位为百万元，每人最多%[4]s元；以万元为单位的数字会大100倍）",
	"%s; a percentage? write the share (%s%% is %g)":                                         "%s；是百分数吗？请写比例（%s%%即%g）",
	"%s; write half-width digits (0-9 and .): the cell has full-width ones":                  "%s；请用半角数字（0-9和.）：该单元格用的是全角数字",
	"%s; write the number without thousands separators":                                      "%s；数字不要加千位分隔符",
	"%s; write a share as a number from 0 to 1 (33%% is 0.33)":                               "%s；比例请写成0至1的数（33%%即0.33）",
	"%s; write the number alone, in the column's unit":                                       "%s；只写数字，单位用该列的单位",
	"a division code of a county of the world":                                               "本世界中某县的行政区划代码",
	"a county name of the world":                                                             "本世界中的县名",
	"persons, from 1,000 to 50 million (a figure in 万人 is 10,000 times too small)":           "单位为人，1,000至50,000,000（以万人为单位的数字会小10,000倍）",
	"a share above 0 up to 1":                                                                "大于0、不超过1的比例",
	"million yuan, above 0":                                                                  "单位为百万元，大于0",
	"a number above 0 up to 100":                                                             "大于0、不超过100的数",
	"a number above 0 up to 1":                                                               "大于0、不超过1的数",
	"a whole number from 3 to 100":                                                           "3至100的整数",
	"million yuan, above 0 up to 10 million; leave the cell empty to keep the derived value": "单位为百万元，大于0、不超过10,000,000；留空则沿用推算值",
}

// zhValidateCommand holds the words of countysim validate, translated with T and F.
var zhValidateCommand = map[string]string{
	"%s: ok (%s)":            "%s: 无误（%s）",
	"%d of %d files invalid": "%[2]d个文件中有%[1]d个无效",
}

func init() { merge(zhValidateCommand) }

// zhWords translates English words made outside the messages' formats (scenarios.Words):
// what sim allows, the values sim describes in words, the YAML parser's complaints, the
// system's reasons and the kinds of file. A key stands for every text that differs from it
// only in its numbers and double-quoted values, written %s in the key (Words).
var zhWords = map[string]string{
	// Kinds of file.
	"scenario":    "情景文件",
	"experiment":  "实验文件",
	"calibration": "校准文件",

	// The system's reasons.
	"no such file or directory": "文件或文件夹不存在",
	"permission denied":         "没有访问权限",
	"is a directory":            "这是文件夹，不是文件",
	"not a directory":           "路径中有一项不是文件夹",

	// The YAML parser.
	"did not find expected key":                                    "未找到应有的键（常见原因：缩进没有对齐）",
	"did not find expected ',' or ']'":                             "未找到应有的“,”或“]”",
	"did not find expected ',' or '}'":                             "未找到应有的“,”或“}”",
	"did not find expected node content":                           "未找到应有的内容",
	"did not find expected '-' indicator":                          "未找到应有的“-”标记",
	"did not find expected <document start>":                       "未找到应有的文档开头",
	"could not find expected ':'":                                  "未找到应有的“:”",
	"found character that cannot start any token":                  "有不能作为任何记号开头的字符",
	"found a tab character that violates indentation":              "有违反缩进规则的制表符",
	"found a tab character where an indentation space is expected": "应为缩进空格处有制表符",
	"mapping values are not allowed in this context":               "此处不允许出现映射值（常见原因：冒号后缺空格或缩进不对）",
	"block sequence entries are not allowed in this context":       "此处不允许出现列表项",
	"found unexpected end of stream":                               "文件意外结束（常见原因：引号没有配对）",
	"found unknown escape character":                               "有未知的转义字符",
	"found undefined tag handle":                                   "有未定义的标签",
	"control characters are not allowed":                           "不允许有控制字符",

	// The CSV reader.
	`extraneous or missing " in quoted-field`: `加引号的字段中多了或少了引号"`,
	`bare " in non-quoted-field`:              `未加引号的字段中有引号"（字段中有引号时，整个字段须加引号，其中的引号写两遍）`,

	// What sim allows (sim.Param.AllowedText, Config.Validate, CheckOpening) and its values.
	"a whole number, 0 or more":    "大于等于0的整数",
	"a whole number from %s to %s": "%s至%s的整数",
	"a number from %s to %s":       "%s至%s的数",
	"true or false":                "true或false",
	"text":                         "文本",
	"1 to 64 provinces, at most 5000 counties in all":         "1至64个省，总计最多5000个县",
	"at least one province":                                   "至少一个省",
	"at most %s provinces":                                    "最多%s个省",
	"at most %s counties in all":                              "总计最多%s个县",
	"a non-empty name":                                        "非空的名称",
	"at most the number of counties":                          "不超过县的个数",
	"at most the number of counties (%s)":                     "不超过县的个数（%s）",
	"1 to 5000 (0 with a county_list: its length)":            "1至5000（有county_list时为0：取其长度）",
	"0 or the length of county_list (%s)":                     "0或county_list的长度（%s）",
	"3 to 100 per county (0 with a county_list: apportioned)": "每县3至100个（有county_list时为0：按县分配）",
	"from %s to %s per county (%s to %s)":                     "每县%s至%s个（共%s至%s个）",
	"0 or, with the towns the county list fixes (%s) and %s for each of the %s others, at least %s (exactly %s when every county fixes its towns)": "0，或不少于%[4]s（县名单已定的乡镇%[1]s个，加上其余%[3]s个县每县%[2]s个；每个县都定了乡镇数时恰为%[5]s）",
	"unique non-empty names, at most one per county":      "不重复的非空名称，每县至多一个",
	"at most counties (%s) names":                         "名称个数不超过counties（%s）",
	"a unique non-empty county name":                      "不重复的非空县名",
	"a list of counties":                                  "县的列表",
	"counties must be 0 or its length":                    "counties须为0或其长度",
	"a unique non-empty name, or empty (numbered)":        "不重复的非空名称，或留空（自动编号）",
	"a prefecture index from 0 to prefectures-1":          "0至prefectures-1的地级市序号",
	"a prefecture index from %s to %s":                    "%s至%s的地级市序号",
	"0 (draw) or a number of residents up to 50 million":  "0（随机生成）或不超过50,000,000的常住人口数",
	"%s (apportion) or a whole number from %s to %s":      "%s（按县分配）或%s至%s的整数",
	"0 (derived) or million yuan a year up to 10 million": "0（取推算值）或以百万元/年计的金额，不超过10,000,000",
	"0 (derived) or million yuan up to 10 million":        "0（取推算值）或以百万元计的金额，不超过10,000,000",
	"0 when transfers is given":                           "给出transfers时为0",
	"0 when transfers is given (opening spending is revenue plus transfers, so one fixes the other)": "给出transfers时为0（期初支出等于收入加转移支付，给出一个就确定了另一个）",
	"empty or one name per prefecture":                                                       "留空，或每个地级市一个名称",
	"empty or one code per prefecture":                                                       "留空，或每个地级市一个代码",
	"empty or one name per prefecture (%s)":                                                  "留空，或每个地级市一个名称（共%s个）",
	"empty or one code per prefecture (%s)":                                                  "留空，或每个地级市一个代码（共%s个）",
	"a list of cohorts":                                                                      "批次的列表",
	"at least one when pmc.enabled":                                                          "pmc.enabled为true时至少一个",
	"at least one cohort when pmc.enabled is true":                                           "pmc.enabled为true时至少一个批次",
	"shares summing to at most %s unless the method is list":                                 "除非method为list，各批次份额之和不超过%s",
	"shares summing to at most %s":                                                           "份额之和不超过%s",
	"shares summing to %s":                                                                   "份额之和为%s",
	"names listed in world.provinces[].county_names, each in one cohort":                     "world.provinces[].county_names中列出的名称，每个只属于一个批次",
	"a name listed in world.provinces[].county_names":                                        "world.provinces[].county_names中列出的名称",
	"at least one county when pmc.selection.method is %s (a cohort with none has no pilots)": "pmc.selection.method为%s时至少一个县（没有县的批次就没有试点县）",
	"no list unless pmc.selection.method is %s":                                              "只有pmc.selection.method为%s时才列出县",
	"%s (never) or no earlier than step1":                                                    "%s（不实行）或不早于step1",
	"%s (never) or, in three-step mode, no earlier than step2":                               "%s（不实行），或在三步走模式下不早于step2",
	"%s (never) or a month no earlier than step1 (%s)":                                       "%s（不实行）或不早于step1（%s）的月份",
	"%s (never) or a month no earlier than step2 (%s)":                                       "%s（不实行）或不早于step2（%s）的月份",
	"at least debt.yellow_ratio":                                                             "不低于debt.yellow_ratio",
	"at least debt.yellow_ratio (%s)":                                                        "不低于debt.yellow_ratio（%s）",
	"at most %s minus capital_share, so labour keeps a tenth of output":                      "不超过%s减去capital_share，使劳动至少保留产出的十分之一",
	"at most %s so that labour keeps a tenth of output (capital_share is %s)":                "不超过%s，使劳动至少保留产出的十分之一（capital_share为%s）",
}

// wordsPatterns translate words that quote a name or a path: the Chinese is a
// regexp.Expand template.
var wordsPatterns = []struct {
	re *regexp.Regexp
	zh string
}{
	{regexp.MustCompile(`^unknown anchor '(.*)' referenced$`), "引用了未定义的锚点'${1}'"},
	{regexp.MustCompile(`^a county not already listed \(it is at (.+)\)$`), "尚未列出的县（它已列在${1}）"},
	{regexp.MustCompile(`^at least (\S+) million yuan for county (.+), its opening revenue less the prefecture's take and the remittance, plus the prefecture's support \(the county spends at least that; give its revenue too to change it\)$`),
		"不低于${1}百万元（${2}的期初收入减去地级市抽取和上解、再加地级市支持之后的数额：该县的支出至少为此数；要改变它，请同时给出该县的收入）"},
}

var (
	// wordsValue is a number or a double-quoted value in words, a %s of a zhWords key, or an
	// identifier, which stays as it is (step1 and prefectures-1 hold no number).
	wordsValue = regexp.MustCompile(`[A-Za-z_][\w.\[\]-]*|"[^"]*"|-?\d+(?:\.\d+)?(?:e[-+]?\d+)?`)
	// csvError is the CSV reader's message of a row it cannot read.
	csvError = regexp.MustCompile(`^(?:record on line \d+; )?parse error on line (\d+), column (\d+): (.*)$`)
	// choices is a list of quoted choices: "a", "b" or "c".
	choices = regexp.MustCompile(`^"[^"]*"(?:, "[^"]*")* or "[^"]*"$`)
	// yamlLine is a YAML parser's message with the line it was found at.
	yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// Words returns the Chinese of English words made outside the messages' formats
// (scenarios.Words), and whether it has one: exactly, by their numbers and quoted values
// (zhWords), by a pattern (a quoted name, a path), as a list of choices, or part by part
// between "; ".
func (l Lang) Words(s string) (string, bool) {
	if l != Chinese {
		return s, false
	}
	if t, ok := zhWords[s]; ok {
		return t, true
	}
	var vals []any
	key := wordsValue.ReplaceAllStringFunc(s, func(v string) string {
		if c := v[0]; c == '_' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' {
			return v
		}
		vals = append(vals, v)
		return "%s"
	})
	if t, ok := zhWords[key]; ok && len(vals) > 0 {
		return fmt.Sprintf(t, vals...), true
	}
	for _, p := range wordsPatterns {
		if m := p.re.FindStringSubmatchIndex(s); m != nil {
			return string(p.re.ExpandString(nil, p.zh, s, m)), true
		}
	}
	if choices.MatchString(s) {
		i := strings.LastIndex(s, " or ")
		return strings.ReplaceAll(s[:i], ", ", "、") + "或" + s[i+len(" or "):], true
	}
	if m := yamlLine.FindStringSubmatch(s); m != nil {
		if t, ok := l.Words(m[2]); ok {
			return "第" + m[1] + "行：" + t, true
		}
	}
	if m := csvError.FindStringSubmatch(s); m != nil {
		if t, ok := l.Words(m[3]); ok {
			return "第" + m[1] + "行第" + m[2] + "列：" + t, true
		}
	}
	if parts := strings.Split(s, "; "); len(parts) > 1 {
		for i, p := range parts {
			t, ok := l.Words(p)
			if !ok {
				return s, false
			}
			parts[i] = t
		}
		return strings.Join(parts, "；"), true
	}
	return s, false
}

// Error returns the Chinese of an error message's English format, and whether it has one.
func (l Lang) Error(format string) (string, bool) {
	if l != Chinese {
		return format, false
	}
	s, ok := zhErrors[format]
	return s, ok
}

// Message translates for an error message (scenarios.Translator): a message's format, else
// words.
func (l Lang) Message(s string) (string, bool) {
	if t, ok := l.Error(s); ok {
		return t, true
	}
	return l.Words(s)
}
