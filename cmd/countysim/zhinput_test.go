package main

import (
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/lang"
)

// writeFiles writes name-text pairs into a new temporary folder and returns its path.
func writeFiles(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for i := 0; i+1 < len(files); i += 2 {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, files[i])), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, files[i]), []byte(files[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// englishLocale sets an English locale, so that only --lang or a file's lang: asks for Chinese.
func englishLocale(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")
}

// TestUndecodableFileInItsLang: a scenario file whose first line is lang: zh but which cannot
// be decoded (saved as GBK, indented with a tab, a YAML syntax error) is told in Chinese by
// validate and run, the summary line too, with exit 2 (it was told in English).
func TestUndecodableFileInItsLang(t *testing.T) {
	englishLocale(t)
	dir := writeFiles(t,
		"gbk.yaml", "lang: zh\nname: \xb2\xe2\xca\xd4\npreset: henan\n", // 测试 in GBK
		"tab.yaml", "lang: zh\nworld:\n\tpreset: henan\n",
		"syntax.yaml", "lang: zh\npmc: [\n")
	for file, want := range map[string]string{
		"gbk.yaml":    ":2:7: 文件不是UTF-8文本（此处字节为0xb2）",
		"tab.yaml":    ":3: YAML语法错误：有不能作为任何记号开头的字符（该行用制表符缩进",
		"syntax.yaml": ":3: YAML语法错误：未找到应有的内容",
	} {
		f := filepath.Join(dir, file)
		code, _, e := runCLI(t, "validate", f)
		if code != 2 || !strings.Contains(e, f+want) || !strings.Contains(e, "1个文件中有1个无效") || len(englishIn(e)) > 0 {
			t.Errorf("validate %s: exit %d, English %q in %q; want 2 and %q", file, code, englishIn(e), e, want)
		}
		code, _, e = runCLI(t, "run", f, "-q", "--out", filepath.Join(dir, "out"))
		if code != 2 || !strings.Contains(e, f+want) || len(englishIn(e)) > 0 {
			t.Errorf("run %s: exit %d, English %q in %q", file, code, englishIn(e), e)
		}
		// --lang still decides.
		if code, _, e := runCLI(t, "validate", "--lang", "en", f); code != 2 || !strings.Contains(e, "1 of 1 files invalid") {
			t.Errorf("validate --lang en %s: exit %d, %q", file, code, e)
		}
	}
}

// TestUsageErrorsInChinese: the usage errors of compare, evaluate and run that a user meets in
// normal use are said in Chinese under --lang zh, or when a scenario file asks for it (lang:
// zh) and no --lang is given; they were English. A counties file that makes two worlds differ
// is named, with how to make a no-reform scenario of the same world. Exit 2 throughout, and
// English under --lang en.
func TestUsageErrorsInChinese(t *testing.T) {
	englishLocale(t)
	dir := writeFiles(t,
		"my.csv", "code,name,population\n410225,兰考县,418789\n410122,中牟县,\n410181,巩义市,\n",
		"my.yaml", "lang: zh\nname: my\npreset: henan\nworld:\n  counties_file: my.csv\n",
		"ev.yaml", "lang: zh\nname: ev\n",
		"short.yaml", "lang: zh\nname: short\nmonths: 36\n",
		"out/x.txt", "")
	at := func(name string) string { return filepath.Join(dir, name) }
	out := at("o")
	for _, c := range []struct {
		name string
		args []string
		en   string   // in the English message (--lang en)
		zh   []string // in the Chinese one
	}{
		{"counties file", []string{"compare", "baseline", at("my.yaml"), "--reps", "2", "--out", out},
			"scenario my simulates preset henan with the counties file my.csv and baseline simulates Henan (109 counties); compared scenarios need the same world, counties file included. To compare my with no reform, copy " + at("my.yaml"),
			[]string{"情景my模拟的是预设henan及县数据文件my.csv，情景baseline模拟的是河南省（109个县）", "县数据文件也须相同", "请把" + at("my.yaml") + "复制为一个新文件", "pmc.enabled: false"}},
		{"period", []string{"compare", "baseline", at("short.yaml"), "--reps", "2", "--out", out},
			"scenario short runs 36 months and baseline 240 months; compared scenarios need the same period (use --months)",
			[]string{"情景short模拟36个月，情景baseline模拟240个月", "须模拟同一时期"}},
		{"one scenario", []string{"compare", at("my.yaml")},
			"expected at least two scenarios to compare, got 1",
			[]string{"比较至少需要两个情景，这里给了1个"}},
		{"nothing treated", []string{"evaluate", at("ev.yaml"), "--months", "24", "--reps", "2", "--out", out},
			"scenario ev: no county is treated: no county reaches PMC step 3",
			[]string{"情景ev：没有处理县", "省直管县改革第3步", "--treatment-step"}},
		{"two scenarios", []string{"run", at("ev.yaml"), at("my.yaml")},
			"expected at most one scenario, got 2",
			[]string{"最多只能给一个情景，这里给了2个"}},
		{"reps", []string{"run", at("ev.yaml"), "--reps", "0"},
			"--reps: bad value 0 (allowed: 1 to",
			[]string{"--reps：取值0无效（允许：1至"}},
		{"groups", []string{"run", at("ev.yaml"), "--groups", "nosuch", "--out", out},
			`--groups: "nosuch" matches no group of ev`,
			[]string{`--groups："nosuch"与情景ev的任何分组都不匹配`}},
		{"out", []string{"run", at("ev.yaml"), "--months", "12", "--out", at("out")},
			"--out " + at("out") + " holds files this command did not write (x.txt)",
			[]string{"--out " + at("out") + "中有不是本命令写入的文件（x.txt）"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, e := runCLI(t, append(c.args, "-q", "--lang", "en")...)
			if code != 2 || !strings.Contains(e, c.en) {
				t.Errorf("--lang en: exit %d, %q; want 2 and %q", code, e, c.en)
			}
			code, _, zh := runCLI(t, append(c.args, "-q", "--lang", "zh")...)
			if code != 2 || len(englishIn(zh)) > 0 {
				t.Errorf("--lang zh: exit %d, English %q in %q", code, englishIn(zh), zh)
			}
			for _, w := range c.zh {
				if !strings.Contains(zh, w) {
					t.Errorf("--lang zh: %q lacks %q", zh, w)
				}
			}
			// A scenario file's lang: zh decides without --lang (not for an error about no
			// file, which follows the locale).
			if c.name != "one scenario" && c.name != "two scenarios" && c.name != "reps" && c.name != "out" {
				if code, _, e := runCLI(t, append(c.args, "-q")...); code != 2 || e != zh {
					t.Errorf("lang: zh without --lang: exit %d, %q; want %q", code, e, zh)
				}
			}
		})
	}
}

// TestEveryUsageTextHasChinese: every literal format passed to usageText (its second
// argument) or say (its first) has a Chinese translation (lang/zh_input.go) that formats the
// same verbs in the same order, and says no English sentence.
func TestEveryUsageTextHasChinese(t *testing.T) {
	verb := regexp.MustCompile(`%[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)
	verbs := func(s string) string {
		var out []string
		for _, v := range verb.FindAllString(s, -1) {
			out = append(out, v[len(v)-1:])
		}
		return strings.Join(out, "")
	}
	n := 0
	testkit.EachCall(t, []string{"*.go"}, func(pos token.Position, call *ast.CallExpr) {
		id, ok := call.Fun.(*ast.Ident)
		if !ok {
			return
		}
		i, ok := map[string]int{"usageText": 1, "say": 0}[id.Name]
		if !ok || len(call.Args) <= i {
			return
		}
		format, ok := testkit.Literal(call.Args[i])
		if !ok {
			if a, isIdent := call.Args[i].(*ast.Ident); !isIdent || a.Name != "format" {
				t.Errorf("%s: %s called with a format that is not a literal", pos, id.Name)
			}
			return
		}
		n++
		zh, ok := lang.Chinese.Error(format)
		switch {
		case !ok:
			t.Errorf("%s: no Chinese for %q", pos, format)
		case verbs(zh) != verbs(format):
			t.Errorf("%s: the Chinese of %q is %q: verbs %q, want %q", pos, format, zh, verbs(zh), verbs(format))
		case len(englishIn(zh)) > 0:
			t.Errorf("%s: the Chinese of %q says %q in English", pos, format, englishIn(zh))
		}
	})
	if n < 20 {
		t.Errorf("found only %d formats; the walk of the source is broken", n)
	}
}

// TestCountyInputInChinese: a preset's province restated under another name is called by its
// Chinese name in Chinese (it was 省份0（Henan）), and a county code's slip names the county
// it means with its province's Chinese name.
func TestCountyInputInChinese(t *testing.T) {
	englishLocale(t)
	dir := writeFiles(t,
		"pv.yaml", "lang: zh\npreset: henan\nworld:\n  provinces:\n    - name: Hunan\n",
		"c.yaml", "lang: zh\npreset: henan\nworld:\n  counties_file: c.csv\n",
		"c.csv", "code,population\n４１０２２５,418789\n")
	code, _, e := runCLI(t, "validate", filepath.Join(dir, "pv.yaml"))
	if code != 2 || !strings.Contains(e, `但这里world.provinces[0]（河南省）的名称写成了"Hunan"`) || strings.Contains(e, "Henan") {
		t.Errorf("province: exit %d, %q", code, e)
	}
	code, _, e = runCLI(t, "validate", filepath.Join(dir, "c.yaml"))
	if code != 2 || !strings.Contains(e, `第1列（code）：本世界中没有县"４１０２２５"；代码请用半角数字（0-9）：410225是兰考县（410225，河南省）`) || len(englishIn(e)) > 0 {
		t.Errorf("code: exit %d, %q", code, e)
	}
}

// TestExperimentErrorsInItsLang: an experiment file with lang: zh is told its syntax, keys
// and set: problems in Chinese without --lang, decoded or not (they were in the locale's
// language), and --lang en still decides.
func TestExperimentErrorsInItsLang(t *testing.T) {
	englishLocale(t)
	rest := "factors:\n  - {path: devolution.economic, min: 0, max: 1}\ndesign: {type: lhs, samples: 4}\nmetrics: [growth]\n"
	dir := writeFiles(t,
		"syntax.yaml", "lang: zh\nname: e\nscenario: pmc-three-step\nfactors: [\n",
		"key.yaml", "lang: zh\nname: e\nscenario: pmc-three-step\nfactorz: 1\n",
		"set.yaml", "lang: zh\nname: e\nscenario: pmc-three-step\nset: {months: abc}\n"+rest)
	for file, want := range map[string]string{
		"syntax.yaml": ":5: YAML语法错误：未找到应有的内容",
		"key.yaml":    `:4:1: factorz: 未知的键"factorz"`,
		"set.yaml":    `:4:7: set.months: months: 类型错误：应为整数，这里是文本"abc"`,
	} {
		f := filepath.Join(dir, file)
		code, _, e := runCLI(t, "sweep", f, "-q", "--out", filepath.Join(dir, "o"))
		if code != 2 || !strings.Contains(e, f+want) || len(englishIn(e)) > 0 {
			t.Errorf("sweep %s: exit %d, English %q in %q; want %q", file, code, englishIn(e), e, want)
		}
		if code, _, e := runCLI(t, "sweep", f, "-q", "--lang", "en", "--out", filepath.Join(dir, "o")); code != 2 || len(englishIn(e)) == 0 {
			t.Errorf("sweep --lang en %s: exit %d, %q", file, code, e)
		}
	}
}
