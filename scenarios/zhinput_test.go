package scenarios

import (
	"errors"
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
