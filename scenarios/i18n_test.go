package scenarios

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/sim"
)

// messageFiles are the files whose messages are said in Chinese too (experiment.go's own
// messages are English only).
var messageFiles = []string{"counties.go", "countiesfile.go", "decode.go", "errors.go", "scenario.go", "set.go"}

// formats returns every literal message format of messageFiles: the first argument of text
// and errorf, the third of the decoder's add and of the counties file's bad.
func formats(t *testing.T) []string {
	t.Helper()
	set := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range messageFiles {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn string
			switch e := call.Fun.(type) {
			case *ast.Ident:
				fn = e.Name
			case *ast.SelectorExpr:
				fn = e.Sel.Name
			}
			at, ok := map[string]int{"text": 0, "errorf": 0, "add": 2, "bad": 2}[fn]
			if !ok || len(call.Args) <= at {
				return true
			}
			if s, ok := testkit.Literal(call.Args[at]); ok {
				set[s] = true
			} else if id, ok := call.Args[at].(*ast.Ident); (fn == "text" || fn == "errorf") && (!ok || id.Name != "format") {
				// The helpers that pass their own format parameter on are not messages.
				t.Errorf("%s: %s called with a format that is not a literal", fset.Position(call.Pos()), fn)
			}
			return true
		})
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

var verb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// verbs returns the verbs of a format by the argument each formats, without flags or
// indexes ("%q", "%d", ...), in argument order.
func verbs(format string) []string {
	var out []string
	next := 0
	for _, m := range verb.FindAllStringSubmatch(format, -1) {
		v := m[0]
		if strings.HasSuffix(v, "%") {
			continue
		}
		i := next
		if m[1] != "" {
			i, _ = strconv.Atoi(strings.Trim(m[1], "[]"))
			i--
		}
		for len(out) <= i {
			out = append(out, "")
		}
		out[i] = "%" + v[len(v)-1:]
		next = i + 1
	}
	return out
}

// TestEveryErrorHasChinese: every message format of the scenario and counties-file errors has
// a Chinese translation (lang/zh_errors.go) that formats the same arguments with the same
// verbs, and says no English sentence.
func TestEveryErrorHasChinese(t *testing.T) {
	fs := formats(t)
	if len(fs) < 100 {
		t.Fatalf("found only %d formats; the walk of the source is broken", len(fs))
	}
	for _, f := range fs {
		zh, ok := lang.Chinese.Error(f)
		if !ok {
			t.Errorf("no Chinese for the message %q", f)
			continue
		}
		if !sameVerbs(f, zh) {
			t.Errorf("the Chinese of %q is %q: verbs %v, want %v", f, zh, verbs(zh), verbs(f))
		}
	}
}

// sameVerbs reports whether the translation zh formats the arguments of the format en with the
// same verbs: every one of them, or with explicit indexes some of them (fmt does not complain
// of unused arguments then).
func sameVerbs(en, zh string) bool {
	e, z := verbs(en), verbs(zh)
	if !strings.Contains(zh, "%[") {
		return slices.Equal(e, z)
	}
	if len(z) > len(e) {
		return false
	}
	for i, v := range z {
		if v != "" && v != e[i] {
			return false
		}
	}
	return true
}

// TestEveryAllowedHasChinese: what every parameter allows, in sim's words (quoted in the
// messages of wrong types and bad values), has Chinese.
func TestEveryAllowedHasChinese(t *testing.T) {
	for _, p := range sim.Params() {
		for _, s := range []string{p.AllowedText(), p.Allowed} {
			if s == "" {
				continue
			}
			if zh, ok := lang.Chinese.Words(s); !ok || zh == s {
				t.Errorf("%s: no Chinese for what it allows, %q", p.Path, s)
			}
		}
	}
}

// TestProblemTextIsMsg: every problem of the bad scenario files carries its message as a Text
// whose English is Msg, word for word, and whose Chinese differs from it.
func TestProblemTextIsMsg(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) < 20 {
		t.Fatalf("testdata/bad: %d files, %v", len(files), err)
	}
	for _, f := range files {
		_, err := Load(f)
		var le *LoadError
		if !errors.As(err, &le) {
			t.Fatalf("%s: %v, want a *LoadError", f, err)
		}
		for _, p := range le.Problems {
			if p.Text.Format == "" || p.Text.String() != p.Msg {
				t.Errorf("%s: Text %q says %q, Msg %q", f, p.Text.Format, p.Text.String(), p.Msg)
			}
			if zh := p.In(lang.Chinese.Message); zh == p.String() {
				t.Errorf("%s: %q has no Chinese", f, zh)
			}
		}
	}
}

// TestRangeMessagesInChinese: the messages of a quoted number and of a whole number beyond
// its type (a factor's max: "1", a seed of 2^64, months of 10^20) are one line, name the
// field, the value and what is allowed, in English and in Chinese; the quoted max used to
// print the yaml package's "cannot unmarshal !!str" with a literal \x0a, and the seed "expected
// a whole number, 0 or more (allowed: a whole number, 0 or more)".
func TestRangeMessagesInChinese(t *testing.T) {
	metrics := []string{"growth"}
	for _, c := range []struct{ yaml, en, zh string }{
		{"scenario: baseline\nmetrics: [growth]\nfactors:\n  - {path: devolution.economic, min: 0, max: \"1\"}\ndesign: {type: grid}\n",
			`x.yaml:4:41: factors[0].max: wrong type: expected a number, got text "1" (allowed: a number, written without quotes)`,
			`x.yaml:4:41: factors[0].max: 类型错误：应为数值，这里是文本"1"（允许：数值，不加引号）`},
		{"scenario: baseline\nmetrics: [growth]\nseed: 18446744073709551616\nfactors:\n  - {path: months, min: 1, max: 9}\ndesign: {type: grid}\n",
			"x.yaml:3:1: seed: bad value the number 18446744073709551616: too large (allowed: a whole number from 0 to 18446744073709551615)",
			"x.yaml:3:1: seed: 取值数值18446744073709551616过大（允许：0至18446744073709551615的整数）"},
	} {
		_, err := ParseExperiment("x.yaml", []byte(c.yaml), metrics)
		var le *LoadError
		if !errors.As(err, &le) {
			t.Fatalf("not a LoadError: %v", err)
		}
		if got := le.Error(); got != c.en {
			t.Errorf("English:\n  %s\nwant\n  %s", got, c.en)
		}
		if got := le.In(lang.Chinese.Message); got != c.zh {
			t.Errorf("Chinese:\n  %s\nwant\n  %s", got, c.zh)
		}
	}
	_, err := Parse("s.yaml", []byte("months: 99999999999999999999\n"))
	if err == nil || err.Error() != "s.yaml:1:1: months: bad value the number 99999999999999999999: too large (allowed: a whole number from 1 to 600)" {
		t.Errorf("months of 10^20: %v", err)
	}
}
