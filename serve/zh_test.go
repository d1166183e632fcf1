package serve

import (
	"fmt"
	"go/ast"
	"go/token"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/scenarios"
)

// latinWord finds English left in a Chinese message once its quoted values, field paths
// (dotted or indexed), the command's name and the values true, false and step1-3 are taken
// out.
var (
	latinWord = regexp.MustCompile(`[A-Za-z]{3,}`)
	notProse  = regexp.MustCompile(`"[^"]*"|[A-Za-z_][A-Za-z_0-9]*(\.[A-Za-z_0-9]+|\[\d*\])+|countysim run|\b(true|false|step[123])\b`)
)

// TestRunRejectsBadInputInChinese sends /api/run the settings a Chinese analyst's audit found
// explained badly on the Chinese page (a wrong type, an unknown key, a bad choice) and others:
// each problem says in Chinese (message_zh) the bad value and what is allowed, spaced as the
// page writes Chinese, with no English but values and field paths; its English is unchanged.
func TestRunRejectsBadInputInChinese(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	for _, tc := range []struct {
		name, contentType, body, path string
		zh                            []string // what message_zh says
		en                            string   // what message still says
	}{
		{"a percentage for a number", "application/json", `{"sets":{"debt.interest_rate":"5%"}}`, "debt.interest_rate",
			[]string{`"5%"`, "应为数值", "允许：0 至 0.3 的数"}, `wrong type: expected a number, got text "5%" (allowed: a number from 0 to 0.3)`},
		{"Chinese yes for true", "application/json", `{"sets":{"pmc.enabled":"是"}}`, "pmc.enabled",
			[]string{`"是"`, "应为 true 或 false", "允许：true 或 false"}, `wrong type: expected true or false, got text "是" (allowed: true or false)`},
		{"full-width digits", "application/json", `{"sets":{"debt.interest_rate":"０.１"}}`, "debt.interest_rate",
			[]string{`"０.１"`, "应为数值", "允许：0 至 0.3 的数"}, `wrong type: expected a number, got text "０.１"`},
		{"an unknown key", "application/json", `{"sets":{"foo":"1"}}`, "foo",
			[]string{`未知的键 "foo"`}, `unknown key "foo"`},
		{"a choice not offered", "application/json", `{"sets":{"pmc.selection.method":"foo"}}`, "pmc.selection.method",
			[]string{`取值 "foo" 无效`, `允许："index"、"list" 或 "random"`}, `bad value "foo" (allowed: "index", "list" or "random")`},
		{"a share above 1", "application/json", `{"sets":{"devolution.economic":1.5}}`, "devolution.economic",
			[]string{"取值 1.5 无效", "0 至 1 的数"}, "bad value 1.5 (allowed: a number from 0 to 1)"},
		{"months over the page cap", "application/json", `{"sets":{"months":480}}`, "months",
			[]string{"取值 480 无效", "最多 360 个月", "教学页面", "countysim run"}, "bad value 480 (allowed: at most 360 on the teaching page; use countysim run for longer runs)"},
		{"months over the rules", "application/json", `{"sets":{"months":5000}}`, "months",
			[]string{"取值 5000 无效", "1 至 360 的整数", "教学页面"}, "bad value 5000 (allowed: a whole number from 1 to 360 on the teaching page; use countysim run for longer runs)"},
		{"months left empty", "application/json", `{"sets":{"months":""}}`, "months",
			[]string{"空值", "1 至 360 的整数"}, "wrong type: expected a whole number, got no value (allowed: a whole number from 1 to 360 on the teaching page"},
		{"YAML file with no months", "application/yaml", "name: x\npreset: teaching\nmonths: 0\n", "months",
			[]string{"取值 0 无效", "1 至 360 的整数"}, "bad value 0 (allowed: a whole number from 1 to 360 on the teaching page"},
		{"a step before the one it follows", "application/json", `{"sets":{"pmc.cohorts[0].step1":50,"pmc.cohorts[0].step2":10}}`, "pmc.cohorts[0].step2",
			[]string{"取值 10 无效", "-1（不实行）或不早于 step1（50）的月份"}, "no earlier than step1 (50)"},
		{"a value hidden in the path", "application/json", `{"sets":{"months=300":""}}`, "months=300",
			[]string{"“=”"}, "a field path has no '='"},
		{"too many counties", "application/json", `{"preset":"national"}`, "preset",
			[]string{"1954 个县", "最多 200 个县"}, "1954 counties (allowed: at most 200 on the teaching page"},
		{"an unknown base", "application/json", `{"base":"atlantis"}`, "base",
			[]string{`未知的内置情景 "atlantis"（内置情景：baseline`}, `unknown built-in scenario "atlantis"`},
		{"a county not in the world", "application/json", `{"preset":"henan","sets":{"pmc.selection.method":"list","pmc.cohorts":"[{name: a, share: 0.1, step1: 1, step2: 2, step3: 3, counties: [杭州]}]"}}`, "pmc.cohorts[0].counties[0]",
			[]string{`取值 "杭州" 无效`}, `bad value "杭州"`},
		{"too many settings", "application/json", `{"sets":{` + manySets(maxSets+1) + `}}`, "sets",
			[]string{"501 项设置", "最多 500 项"}, "501 settings (allowed: at most 500)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := post(t, ts.URL+"/api/run", tc.contentType, tc.body)
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400; body %s", res.StatusCode, body)
			}
			found := problemAt(t, body, tc.path)
			if !strings.Contains(found.Message, tc.en) {
				t.Errorf("English message %q, want %q", found.Message, tc.en)
			}
			zh := found.MessageZh
			for _, want := range tc.zh {
				if !strings.Contains(zh, want) {
					t.Errorf("Chinese message %q does not say %q (English: %q)", zh, want, found.Message)
				}
			}
			if w := latinWord.FindString(notProse.ReplaceAllString(zh, "")); w != "" && tc.path != "base" { // the built-ins are listed by name
				t.Errorf("Chinese message %q has English %q", zh, w)
			}
			if want := tc.path + ": " + zh; tc.contentType == "application/json" && found.TextZh != want {
				t.Errorf("Chinese text %q, want %q", found.TextZh, want)
			}
		})
	}
}

func manySets(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`"k%d":1`, i)
	}
	return strings.Join(parts, ",")
}

// TestPageSpacing: Chinese is spaced from the Latin letters, numbers and signs beside it, a
// quoted value spaced as a whole and left as it is inside; full-width punctuation takes no space.
func TestPageSpacing(t *testing.T) {
	for in, want := range map[string]string{
		`类型错误：应为数值，这里是文本"5%"（允许：0至0.3的数）`: `类型错误：应为数值，这里是文本 "5%"（允许：0 至 0.3 的数）`,
		`取值"是 否"无效`:                         `取值 "是 否" 无效`,
		`取值"a\"是"无效`:                        `取值 "a\"是" 无效`,
		`pmc.selection.method为"list"时至少一个县`: `pmc.selection.method 为 "list" 时至少一个县`,
		`取值[]无效`:                            `取值 [] 无效`,
		`“=”`:                               `“=”`,
		`1954个县`:                            `1954 个县`,
	} {
		if got := pageSpacing(in); got != want {
			t.Errorf("pageSpacing(%q) = %q, want %q", in, got, want)
		}
		if got := pageSpacing(want); got != want {
			t.Errorf("pageSpacing(%q) = %q, want it unchanged", want, got)
		}
	}
}

// TestEveryMessageHasChinese reads the messages the server makes itself (the literal formats
// passed to say, badRequest and limits' add in this package) and fails for one the page cannot say in
// Chinese: its Chinese belongs in lang/zh_serve.go.
func TestEveryMessageHasChinese(t *testing.T) {
	n := 0
	testkit.EachCall(t, []string{"*.go"}, func(pos token.Position, call *ast.CallExpr) {
		id, ok := call.Fun.(*ast.Ident)
		if !ok || len(call.Args) == 0 || !slices.Contains([]string{"say", "badRequest", "add"}, id.Name) {
			return
		}
		arg := call.Args[0]
		if id.Name == "add" && len(call.Args) > 1 {
			arg = call.Args[1] // limits' add(path, format, ...)
		}
		if a, ok := arg.(*ast.Ident); ok && a.Name == "format" {
			return // a helper passing its caller's format on
		}
		format, ok := testkit.Literal(arg)
		if !ok {
			t.Errorf("%s: %s takes a literal format", pos, id.Name)
			return
		}
		n++
		if format == "%v" {
			return // another error's words, said as they are
		}
		if _, ok := zhTranslator(format); !ok {
			t.Errorf("%s: %q has no Chinese (add it to lang/zh_serve.go)", pos, format)
		}
	})
	if n < 20 {
		t.Errorf("found %d messages, want the server's (the scan is broken)", n)
	}
}

// TestChineseIsWhole: a text whose words have no Chinese has none (the page then says a whole
// Chinese sentence of its own) rather than a "Chinese" that is English; one that has is said
// with its parts in Chinese too.
func TestChineseIsWhole(t *testing.T) {
	if zh, ok := inChinese(say("%v", "json: cannot unmarshal")); ok {
		t.Errorf("an English error said in Chinese as %q", zh)
	}
	if zh, ok := inChinese(say("no such format %d", 3)); ok {
		t.Errorf("an unknown format said in Chinese as %q", zh)
	}
	known := scenarios.Text{Format: "%s (allowed: %s)", Args: []any{say("unknown key %q", "x"), scenarios.Words("true or false")}}
	if zh, ok := inChinese(known); !ok || zh != `未知的键 "x"（允许：true 或 false）` {
		t.Errorf("a known text said %q, %v", zh, ok)
	}
}
