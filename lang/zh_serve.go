package lang

// zhServe holds the Chinese of the teaching page server's own messages (package serve): the
// page's caps on a run, the form of a request, and why a request is refused. The errors about
// a setting's value are the scenario files' (zh_errors.go); serve says both in Chinese for the
// page (problem.MessageZh), and its TestEveryMessageHasChinese fails for a message without an
// entry here.
var zhServe = map[string]string{
	// The page's caps.
	"a whole number from %s to %d on the teaching page; use countysim run for longer runs":        "%s至%d的整数，这是教学页面的上限；更长的模拟请用countysim run",
	"bad value %d (allowed: at most %d on the teaching page; use countysim run for longer runs)":  "取值%d无效（允许：最多%d个月，这是教学页面的上限；更长的模拟请用countysim run）",
	"%d counties (allowed: at most %d on the teaching page; use countysim run for bigger worlds)": "%d个县（允许：最多%d个县，这是教学页面的上限；县更多的情景请用countysim run）",
	"%d settings (allowed: at most %d)": "%d项设置（允许：最多%d项）",

	// The form of a request.
	"a field path has no '=' (write the value as the value, not in the path)": "字段路径中不能有“=”（取值请写在值里，不要写在路径中）",
	"cannot read value: %v":      "无法读取取值：%v",
	"request body over %d bytes": "请求超过%d字节",
	"reading the request: %v":    "无法读取请求：%v",
	`(expected {"base": NAME, "preset": NAME, "sets": {"path": value}})`:           `（应为{"base": NAME, "preset": NAME, "sets": {"path": value}}）`,
	"reading the JSON request: %v %s":                                              "无法读取JSON请求：%v %s",
	"reading the JSON request: %.20q is not an object %s":                          "无法读取JSON请求：%.20q不是对象%s",
	"reading the JSON request: more after the object (a request is one object) %s": "无法读取JSON请求：对象之后还有内容（一个请求只能是一个对象）%s",
	"lang: bad value %q (allowed: %s)":                                             "lang: 取值%q无效（允许：%s）",
	"from: bad value %q (allowed: a month from 1 to %d)":                           "from: 取值%q无效（允许：1至%d的月份）",

	// Refusals.
	"Host %q is not this server's name (allowed: %s); open the page at http://localhost:PORT/": "Host %q不是本服务器的名称（允许：%s）；请打开http://localhost:PORT/",
	"cross-origin request refused":                                                      "拒绝跨源请求",
	"the server is shutting down":                                                       "服务器正在关闭",
	"this run is already streaming":                                                     "该模拟已在传送中",
	"you already have %d runs, the limit per browser; try again when one ends":          "你已有%d个模拟，这是每个浏览器的上限；请等其中一个结束后再试",
	"the server is already holding %d runs, its limit; try again in a moment":           "服务器已有%d个模拟，达到上限；请稍后再试",
	"your address already has %d runs waiting for their streams; try again in a moment": "你的地址已有%d个模拟在等待传送；请稍后再试",
	"your address already holds %d runs; try again when one ends":                       "你的地址已有%d个模拟；请等其中一个结束后再试",
	"a setting from this address is already being scored; wait for its scorecard":       "来自这个地址的一个设置正在评分；请等它的评分卡完成",
	"the server is already scoring other settings; try again in a moment":               "服务器正在为其他设置评分；请稍后再试",
	"scoring took longer than %s; try a smaller province or a shorter run":              "评分用时超过%s；请换一个较小的省份或缩短模拟时长",
}

func init() { merge(zhServe) }
