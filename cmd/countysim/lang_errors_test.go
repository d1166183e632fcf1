package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// englishRun finds two English words in a row: a sentence, or a phrase of one. Quoted values
// ("...", “...”) are taken out first; identifiers (pmc.enabled, step1) and lists of names
// (enabled, mode) are not runs.
var (
	englishRun = regexp.MustCompile(`(?:^|[^\w.\[\]-])[A-Za-z]{2,} [A-Za-z]{2,}(?:[^\w.\[\]-]|$)`)
	quoted     = regexp.MustCompile(`"[^"]*"|“[^”]*”`)
)

// englishIn returns the English phrases of a Chinese error message (empty when it has none),
// after the command's prefix (countysim run: ).
func englishIn(msg string) []string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(msg), "\n") {
		if i := strings.Index(line, ": "); strings.HasPrefix(line, "countysim ") && i >= 0 {
			line = line[i+2:]
		}
		if m := englishRun.FindString(quoted.ReplaceAllString(line, `""`)); m != "" {
			out = append(out, m)
		}
	}
	return out
}

func TestEnglishIn(t *testing.T) {
	for msg, want := range map[string]bool{
		"countysim run: s.yaml:4:1: months: 取值0无效（允许：1至600的整数）":                   false,
		`s.yaml:4:1: months: 类型错误：应为整数，这里是文本"twenty years"`:                       false,
		"s.yaml:4:1: pmc: 未知的键\"enabld\"（pmc下允许的键：enabled, mode, selection）":      false,
		"s.yaml:4:1: months: bad value 0 (allowed: a whole number from 1 to 600)": true,
		"s.yaml:4:1: months: 取值0无效（allowed: 1至600）":                               false,
		"s.yaml:4:1: months: 取值0无效（not allowed）":                                  true,
	} {
		if got := len(englishIn(msg)) > 0; got != want {
			t.Errorf("englishIn(%q) = %q, want English found: %v", msg, englishIn(msg), want)
		}
	}
}

// TestErrorsInChinese: in Chinese (--lang zh, or a Chinese locale) the errors about a
// scenario file, a --set and a counties file say in Chinese what is wrong, with the same
// file, line, field and value as in English, and no English sentence; in English they are
// what they were, word for word; bad input exits 2 in both.
func TestErrorsInChinese(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	scenario := func(name, csv string) string {
		write(name+".csv", csv)
		return write(name+".yaml", "preset: henan\nworld:\n  counties_file: "+name+".csv\n")
	}
	at := func(name string) string { return filepath.Join(dir, name) }
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		name string
		args []string
		// en is the English message, as before Chinese messages were added; zh are the
		// parts of the Chinese one: place, field, value and the words that say what is wrong.
		en string
		zh []string
	}{
		{"unknown field", []string{"validate", write("typo.yaml", "name: t\npmc:\n  enabld: true\n")},
			at("typo.yaml") + `:3:3: pmc.enabld: unknown key "enabld"; did you mean "enabled"? (keys allowed under pmc: enabled, mode, selection, cohorts, widening)`,
			[]string{at("typo.yaml") + ":3:3: pmc.enabld: ", `未知的键"enabld"`, `是不是"enabled"？`, "pmc下允许的键：enabled, mode"}},
		{"bad type", []string{"validate", write("type.yaml", "name: t\nmonths: twenty years\n")},
			at("type.yaml") + `:2:1: months: wrong type: expected a whole number, got text "twenty years" (allowed: a whole number from 1 to 600)`,
			[]string{at("type.yaml") + ":2:1: months: ", "类型错误", `文本"twenty years"`, "1至600的整数"}},
		{"out of range", []string{"run", write("range.yaml", "name: t\ndevolution:\n  social: 1.4\n"), "--out", out},
			at("range.yaml") + `:3:3: devolution.social: bad value 1.4 (allowed: a number from 0 to 1)`,
			[]string{at("range.yaml") + ":3:3: devolution.social: ", "取值1.4无效", "允许：0至1的数"}},
		{"choice", []string{"validate", write("mode.yaml", "name: t\npmc:\n  mode: fast\n")},
			at("mode.yaml") + `:3:3: pmc.mode: bad value "fast" (allowed: "three-step" or "one-shot")`,
			[]string{at("mode.yaml") + ":3:3: pmc.mode: ", `取值"fast"无效`, `"three-step"或"one-shot"`}},
		{"cross-field rule", []string{"validate", write("step.yaml", "name: t\npmc:\n  cohorts:\n    - {share: 0.2, step1: 48, step2: 30, step3: 60}\n")},
			at("step.yaml") + `:4:31: pmc.cohorts[0].step2: bad value 30 (allowed: -1 (never) or a month no earlier than step1 (48))`,
			[]string{at("step.yaml") + ":4:31: pmc.cohorts[0].step2: ", "取值30无效", "-1（不实行）或不早于step1（48）的月份"}},
		{"bad --set path", []string{"run", "baseline", "--set", "pmc.cohorts[9].step1=1", "--out", out},
			`pmc.cohorts[9]: no item 9: pmc.cohorts has 2 item(s) (0 to 1)`,
			[]string{"pmc.cohorts[9]: ", "没有第9项", "pmc.cohorts有2项（序号0至1）"}},
		{"bad --set value", []string{"run", "baseline", "--set", "months=0", "--out", out},
			`--set months=0: months: bad value 0 (allowed: a whole number from 1 to 600)`,
			[]string{"--set months=0: months: ", "取值0无效", "1至600的整数"}},
		{"unit slip", []string{"validate", scenario("units", "code,name,population,gdp\n410225,兰考县,418789,780000\n")},
			at("units.csv") + `:2: world.counties_file: column 4 (gdp): bad value "780000": 1,862,513 yuan per resident (of 418,789), more than any county has (allowed: million yuan, at most 800,000 yuan per resident; a figure in 万元 is 100 times too large)`,
			[]string{at("units.csv") + ":2: world.counties_file: ", "第4列（gdp）", `取值"780000"无效`, "每人1,862,513元", "418,789人", "每人最多800,000元", "以万元为单位的数字会大100倍"}},
		{"full-width digits", []string{"validate", scenario("wide", "name,population\n滑县,１３１７８５\n")},
			at("wide.csv") + `:2: world.counties_file: column 2 (population): bad value "１３１７８５" (allowed: persons, from 1,000 to 50 million (a figure in 万人 is 10,000 times too small)); write half-width digits (0-9 and .): the cell has full-width ones`,
			[]string{at("wide.csv") + ":2: world.counties_file: ", "第2列（population）", `取值"１３１７８５"无效`, "请用半角数字"}},
		{"Chinese column", []string{"validate", scenario("zhcol", "name,人口\n兰考,418789\n")},
			at("zhcol.csv") + `:1: world.counties_file: column 2 (人口): unknown column: the column names are English (write population (persons, not 万人); allowed: code, debt, gdp, iq, name, population, revenue, spending, strength, towns, transfers, urban)`,
			[]string{at("zhcol.csv") + ":1: world.counties_file: ", "第2列（人口）", "列名须用英文", "请写population（单位为人，不是万人）"}},
		{"missing column", []string{"validate", scenario("nocol", "population\n418789\n")},
			at("nocol.csv") + `:1: world.counties_file: no code or name column: one is needed to find each county`,
			[]string{at("nocol.csv") + ":1: world.counties_file: ", "没有code列或name列"}},
		{"missing file", []string{"run", at("none.yaml"), "--out", out},
			"scenario " + at("none.yaml") + ": open " + at("none.yaml") + ": no such file or directory",
			[]string{"情景文件 " + at("none.yaml") + "：文件或文件夹不存在"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, en := runCLI(t, tc.args...)
			if code != 2 || !strings.Contains(en, tc.en) {
				t.Errorf("English: exit %d, %q; want 2 and %q", code, en, tc.en)
			}
			code, _, zh := runCLI(t, append(tc.args, "--lang", "zh")...)
			if code != 2 {
				t.Errorf("--lang zh: exit %d, want 2", code)
			}
			for _, want := range tc.zh {
				if !strings.Contains(zh, want) {
					t.Errorf("--lang zh: %q lacks %q", zh, want)
				}
			}
			if e := englishIn(zh); len(e) > 0 {
				t.Errorf("--lang zh: %q says %q in English", zh, e)
			}
			// The locale too.
			t.Setenv("LANG", "zh_CN.UTF-8")
			defer t.Setenv("LANG", "en_US.UTF-8")
			if _, _, loc := runCLI(t, tc.args...); loc != zh {
				t.Errorf("LANG=zh_CN: %q, want as --lang zh: %q", loc, zh)
			}
		})
	}
}

// TestValidateLang: validate takes --lang like the other commands, and a scenario file's
// lang: decides for its own messages when there is no --lang.
func TestValidateLang(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "")
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(good, []byte("name: good\nmonths: 12\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("name: bad\nlang: zh\nmonths: 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, e := runCLI(t, "validate", "--lang", "zh", good, bad)
	if code != 2 || out != good+": 无误（good）\n" || !strings.Contains(e, bad+":3:1: months: 取值0无效") || !strings.Contains(e, "2个文件中有1个无效") {
		t.Errorf("validate --lang zh: exit %d, stdout %q, stderr %q", code, out, e)
	}
	code, out, e = runCLI(t, "validate", good, bad)
	if code != 2 || out != good+": ok (good)\n" || !strings.Contains(e, bad+":3:1: months: 取值0无效") || !strings.Contains(e, "1 of 2 files invalid") {
		t.Errorf("validate, a file with lang: zh: exit %d, stdout %q, stderr %q", code, out, e)
	}
	// The files all in Chinese: the summary line too.
	if code, _, e := runCLI(t, "validate", bad); code != 2 || !strings.Contains(e, "1个文件中有1个无效") {
		t.Errorf("validate, only a file with lang: zh: exit %d, stderr %q", code, e)
	}
	code, _, e = runCLI(t, "validate", "--lang", "en", bad)
	if code != 2 || !strings.Contains(e, bad+":3:1: months: bad value 0 (allowed: a whole number from 1 to 600)") {
		t.Errorf("validate --lang en over lang: zh: exit %d, stderr %q", code, e)
	}
	if code, _, e := runCLI(t, "validate", "--lang", "fr", good); code != 2 || !strings.Contains(e, `"fr"`) {
		t.Errorf("validate --lang fr: exit %d, stderr %q", code, e)
	}
	var help strings.Builder
	helpOut = &help
	defer func() { helpOut = os.Stdout }()
	if code := mainErr([]string{"validate", "--help"}, &help, &help); code != 0 || !strings.Contains(help.String(), "--lang") {
		t.Errorf("validate --help: exit %d, %q lacks --lang", code, help.String())
	}
}

// TestSetErrorsInTheFilesLang: a problem --set or --months makes with a scenario file that
// asks for Chinese (lang: zh) is said in Chinese when no --lang is given, as the file's own
// problems are (it was said in English), and --lang en still decides.
func TestSetErrorsInTheFilesLang(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "")
	f := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(f, []byte("name: s\nlang: zh\nmonths: 36\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--set", "months=abc"}, {"--months", "5000"}, {"--set", "pmc.cohorts[0].step2=1"}} {
		code, _, e := runCLI(t, append([]string{"run", f, "-q", "--out", filepath.Join(t.TempDir(), "o")}, args...)...)
		if code != 2 || len(englishIn(e)) > 0 || !strings.Contains(e, "：") {
			t.Errorf("%v with lang: zh: exit %d, English %q in %q", args, code, englishIn(e), e)
		}
	}
	if code, _, e := runCLI(t, "run", f, "-q", "--lang", "en", "--set", "months=abc"); code != 2 || !strings.Contains(e, `wrong type: expected a whole number, got text "abc"`) {
		t.Errorf("--lang en over lang: zh: exit %d, %q", code, e)
	}
}

// TestExperimentBaseErrorsInChinese: the problems of an experiment's base scenario and of its
// set: are said in Chinese under --lang zh, each at its place (they were flattened to English).
func TestExperimentBaseErrorsInChinese(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("s1.yaml", "name: s1\nmonths: 36\npmc:\n  cohorts:\n    - {name: c1, step1: 12, step2: 5, step3: 40}\n")
	rest := "factors:\n  - {path: devolution.economic, min: 0, max: 1}\ndesign: {type: lhs, samples: 4}\nmetrics: [growth]\n"
	for _, c := range []struct{ file, want string }{
		{write("exp.yaml", "name: e1\nscenario: s1.yaml\n"+rest), "pmc.cohorts[0].step2: 取值5无效"},
		{write("exp2.yaml", "name: e2\nscenario: pmc-three-step\nset: {months: abc}\n"+rest), `set.months: months: 类型错误：应为整数，这里是文本"abc"`},
	} {
		code, _, e := runCLI(t, "sweep", c.file, "--lang", "zh", "-q", "--out", filepath.Join(dir, "o"))
		if code != 2 || !strings.Contains(e, c.want) || len(englishIn(e)) > 0 {
			t.Errorf("%s --lang zh: exit %d, English %q in %q; want %q", filepath.Base(c.file), code, englishIn(e), e, c.want)
		}
	}
}

// TestValidatePrintsNamesAsTheyAre: a file name with a terminal escape is printed escaped by
// validate, as by every other command (it reached the terminal raw).
func TestValidatePrintsNamesAsTheyAre(t *testing.T) {
	_, _, e := runCLI(t, "validate", "no\x1b[31mfile.yaml")
	if strings.Contains(e, "\x1b") || !strings.Contains(e, `no\x1b[31mfile.yaml`) {
		t.Errorf("validate of a missing file with an escape in its name: %q", e)
	}
}

// TestCountyPlacesInChinese: a counties file naming a county of another province, or a name
// near some of the world's, is told in Chinese with the provinces' Chinese names (they were
// the census's English names inside the Chinese sentence), and in English as before.
func TestCountyPlacesInChinese(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(f, []byte("name: s\npreset: henan\nworld:\n  counties_file: c.csv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "c.csv"), []byte("name,population\n昆山市,1650000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, e := runCLI(t, "validate", "--lang", "zh", f)
	if code != 2 || !strings.Contains(e, "昆山市（320583）是江苏省（苏州市）的县") || !strings.Contains(e, "鲁山县（410423，河南省）、") || len(englishIn(e)) > 0 {
		t.Errorf("zh: exit %d, English %q in %q", code, englishIn(e), e)
	}
	code, _, e = runCLI(t, "validate", "--lang", "en", f)
	if code != 2 || !strings.Contains(e, "昆山市 (320583) is a county of Jiangsu (苏州市), not of this world's provinces; nearest: 鲁山县 (410423, Henan), ") {
		t.Errorf("en: exit %d, %q", code, e)
	}
}
