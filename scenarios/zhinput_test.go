package scenarios

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/countysim/countysim/lang"
)

// TestUndecodableFileKeepsItsLang: a scenario file that cannot be decoded (GBK bytes, a tab
// indent, a syntax error) still carries the language of its top-level lang: line in its
// LoadError, so that its problems are said in it (they were said in English: Lang was set only
// after decoding). A lang: that is not top-level, or not en or zh, asks for nothing.
func TestUndecodableFileKeepsItsLang(t *testing.T) {
	for _, c := range []struct {
		name, data, want string
	}{
		{"gbk", "lang: zh\nname: \xb2\xe2\xca\xd4\n", "zh"}, // 测试 in GBK
		{"gbk, lang later", "name: \xb2\xe2\xca\xd4\r\nlang: \"zh\" # 中文\r\n", "zh"},
		{"tab", "lang: zh\nworld:\n\tpreset: henan\n", "zh"},
		{"syntax", "\ufefflang: en\npmc: [\n", "en"},
		{"quoted", "lang: 'zh'\npmc: [\n", "zh"},
		{"nested", "world:\n  lang: zh\npmc: [\n", ""},
		{"other value", "lang: fr\npmc: [\n", ""},
		{"none", "pmc: [\n", ""},
	} {
		_, err := Parse(c.name+".yaml", []byte(c.data))
		var le *LoadError
		if !errors.As(err, &le) {
			t.Fatalf("%s: %v, want a *LoadError", c.name, err)
		}
		if le.Lang != c.want {
			t.Errorf("%s: Lang %q, want %q (%v)", c.name, le.Lang, c.want, err)
		}
	}
}

// TestUnknownCodeNearestByCode: a county code that names no county of the world is compared
// with the world's codes, not its names: the slips that hide a known code (full-width digits,
// a decimal, a 12-digit statistical code) are named with the county they mean, and another
// code is told that codes are the 2010 census's, whose prefecture its first four digits are,
// and the counties of the nearest codes (same prefecture first). Every code got the three
// counties whose names are nearest to digits, 中牟县, 巩义市 and 荥阳市, before.
func TestUnknownCodeNearestByCode(t *testing.T) {
	w, err := Preset("henan")
	if err != nil {
		t.Fatal(err)
	}
	refs := worldCounties(w)
	for q, want := range map[string]string{
		"４１０２２５":       `unknown county "４１０２２５" in this world; write the code in half-width digits (0-9): 410225 is 兰考县 (410225, Henan)`,
		"410225.0":     `unknown county "410225.0" in this world; write the code without its decimals (a spreadsheet took it for a number; format the column as text): 410225 is 兰考县 (410225, Henan)`,
		"410225000000": `unknown county "410225000000" in this world; write the 6-digit county code: 410225 is 兰考县 (410225, Henan)`,
		"410783": `unknown county "410783" in this world; county codes are the 2010 census's six-digit division codes (a code given since, as to a county that became a city or a district, is not among them: write the county's name instead); ` +
			`codes beginning 4107 are 新乡市's; nearest: 辉县市 (410782, Henan), 卫辉市 (410781, Henan), 长垣县 (410728, Henan)`,
		"４１０２９９": `unknown county "４１０２９９" in this world; write the code in half-width digits (0-9); county codes are the 2010 census's`,
		"430199": `this world's county codes begin with 41`,
	} {
		_, msg := findCounty(refs, w, q)
		if got := msg.String(); !strings.Contains(got, want) || strings.Contains(got, "中牟县") {
			t.Errorf("%s: %q, want %q and no 中牟县", q, got, want)
		}
		if zh := msg.In(lang.Chinese.Message); zh == msg.String() || strings.Contains(zh, "write") {
			t.Errorf("%s: no Chinese: %q", q, zh)
		}
	}
	// A cohort list's code, in a scenario file.
	_, err = Parse("s.yaml", []byte("preset: henan\npmc:\n  selection: {method: list}\n  cohorts:\n    - {counties: [410299], step1: 12, step2: 24, step3: 36}\n"))
	if want := `s.yaml:5:19: pmc.cohorts[0].counties[0]: unknown county "410299" in this world; county codes are the 2010 census's six-digit division codes ` +
		`(a code given since, as to a county that became a city or a district, is not among them: write the county's name instead); codes beginning 4102 are 开封市's; ` +
		`nearest: 兰考县 (410225, Henan), 开封县 (410224, Henan), 尉氏县 (410223, Henan)`; err == nil || err.Error() != want {
		t.Errorf("cohort [410299]: %v\nwant %s", err, want)
	}
	// A name is still compared with names.
	if _, msg := findCounty(refs, w, "兰烤县"); !strings.Contains(msg.String(), "nearest: 兰考县 (410225, Henan)") {
		t.Errorf("兰烤县: %q", msg.String())
	}
}

// loadWithCounties loads a henan scenario whose counties file holds csv, and returns its
// error's message in English and in Chinese ("" when it loads).
func loadWithCounties(t *testing.T, csv string) (en, zh string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "c.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(f, []byte("preset: henan\nworld:\n  counties_file: c.csv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(f)
	var le *LoadError
	if err == nil {
		return "", ""
	}
	if !errors.As(err, &le) {
		t.Fatalf("%v, want a *LoadError", err)
	}
	return le.Error(), le.In(lang.Chinese.Message)
}

// TestCountiesFileInputMessages: the counties file's messages an analyst met without help. A
// spending below what revenue brings names the least spending in million yuan, rounded up to
// a figure that passes (it was "at least 920.878" with no unit); a file with a header and no
// county is refused (it passed, running the census-derived world unnoticed); the README's own
// Chinese column names, with or without a unit, name their column; a full-width sign and
// spaces between thousands get a hint.
func TestCountiesFileInputMessages(t *testing.T) {
	en, zh := loadWithCounties(t, "code,revenue,spending\n410225,2100,1\n")
	m := regexp.MustCompile(`column 3 \(spending\): bad value 1 \(allowed: at least (\d+) million yuan for county 兰考县, `).FindStringSubmatch(en)
	if m == nil {
		t.Fatalf("low spending: %q", en)
	}
	if !strings.Contains(zh, "不低于"+m[1]+"百万元（兰考县的期初收入") {
		t.Errorf("low spending in Chinese: %q", zh)
	}
	least, _ := strconv.Atoi(m[1])
	if en, _ := loadWithCounties(t, fmt.Sprintf("code,revenue,spending\n410225,2100,%d\n", least)); en != "" {
		t.Errorf("the least spending named, %d, is refused: %s", least, en)
	}
	if en, _ := loadWithCounties(t, fmt.Sprintf("code,revenue,spending\n410225,2100,%d\n", least-1)); en == "" {
		t.Errorf("a spending below the least named, %d, passes", least-1)
	}
	for _, csv := range []string{"code,name,population\n", "code,name,population\n,,\n\n"} {
		en, zh := loadWithCounties(t, csv)
		if !strings.Contains(en, "c.csv:1: world.counties_file: no county: the file has a header row but no row of a county") || !strings.Contains(zh, "没有县：文件只有表头行") {
			t.Errorf("%q: %q / %q", csv, en, zh)
		}
	}
	for header, want := range map[string]string{
		"一般预算收入":     "write revenue (million yuan, not 万元)",
		"一般预算支出":     "write spending (million yuan, not 万元)",
		"县级固定收入":     "write revenue (general-budget revenue, 一般预算收入: the county's own revenue, 县级固定收入, plus its share of the shared taxes",
		"显性债务":       "write debt (million yuan, not 万元)",
		"政府显性债务":     "write debt (million yuan, not 万元)",
		"上级转移支付收入":   "write transfers (million yuan, not 万元)",
		"人口（万人）":     "write population (persons, not 万人)",
		"一般预算收入(万元)": "write revenue (million yuan, not 万元)",
	} {
		en, zh := loadWithCounties(t, "code,"+header+"\n410225,3\n")
		if !strings.Contains(en, "column 2 ("+header+"): unknown column: the column names are English ("+want) || !strings.Contains(zh, "列名须用英文（请写") {
			t.Errorf("%s: %q / %q; want %q", header, en, zh, want)
		}
	}
	for cell, want := range map[string]string{
		"－0.3":         "write half-width characters: the cell has a full-width sign (－ or ＋)",
		"650 000":      "write the number without thousands separators",
		"650\u00a0000": "write the number without thousands separators",
		"650　000":      "write the number without thousands separators",
	} {
		en, zh := loadWithCounties(t, "code,population\n410225,"+cell+"\n")
		if !strings.HasSuffix(en, "; "+want) || strings.Contains(zh, "write") {
			t.Errorf("%q: %q / %q; want the hint %q", cell, en, zh, want)
		}
	}
}
