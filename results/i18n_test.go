package results

import (
	"context"
	"flag"
	"fmt"
	"golang.org/x/text/encoding/simplifiedchinese"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/image/font/sfnt"

	"github.com/countysim/countysim/assess"
	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/results/sensitivity"
	"github.com/countysim/countysim/sim"
	"github.com/countysim/countysim/targets"
)

var glyphsOut = flag.String("glyphs", "", "write every rune the Chinese outputs use to this file (scripts/fontsubset)")

// phrases returns every English phrase the package translates: the literal first argument
// of each T and F call in its source files, and the words of its tables (figures, panels,
// legends, outcomes, criteria, verdicts).
func phrases(t *testing.T) []string {
	t.Helper()
	set := map[string]bool{}
	for _, s := range testkit.CallPhrases(t, []string{"*.go", "../assess/*.go"}, "T", "F") { // assess: the words of verdicts and differences
		set[s] = true
	}
	// Template words: {{t "..."}}.
	for _, tmpl := range []string{markdownReport.Tree.Root.String(), htmlReport.Tree.Root.String()} {
		for _, part := range strings.Split(tmpl, `{{t "`)[1:] {
			end := strings.Index(part, `"}}`)
			s, err := strconv.Unquote(`"` + part[:end] + `"`)
			if err != nil {
				t.Fatal(err)
			}
			set[s] = true
		}
	}
	add := func(ss ...string) {
		for _, s := range ss {
			if s != "" {
				set[s] = true
			}
		}
	}
	for _, f := range figures {
		add(f.title)
		for _, p := range f.panels {
			add(p.title, p.unit)
		}
	}
	add(plotLabels...)
	for _, o := range KeyOutcomes {
		add(o.Label, o.Unit, o.DiffUnit, o.Up, o.Down)
	}
	for _, c := range assess.Criteria {
		for _, o := range c.Outcomes {
			add(o.Label, o.Unit, o.DiffUnit, o.Up, o.Down)
		}
	}
	for _, h := range highlights {
		add(h.pilot, h.county)
	}
	add("better", "worse", "about the same", "no difference", "mixed")
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

func TestEveryPhraseHasChinese(t *testing.T) {
	for _, s := range phrases(t) {
		if !lang.Has(s) && strings.ContainsFunc(s, unicode.IsLetter) {
			t.Errorf("no Chinese for %q", s)
		}
	}
}

func TestEveryMetricHasChinese(t *testing.T) {
	for _, d := range sim.Metrics {
		if n, m, ok := lang.MetricNameZh(d.Name); !ok || n == "" || m == "" {
			t.Errorf("metric %s has no Chinese name and meaning in metricZh (lang/metrics_zh.go)", d.Name)
		}
	}
	for _, d := range observe.GroupMetrics {
		if _, _, ok := lang.MetricNameZh(d.Name); !ok {
			t.Errorf("group metric %s has no Chinese name in metricZh", d.Name)
		}
	}
}

// chineseRunes returns every rune of the Chinese words, with printable ASCII and the
// punctuation numbers and lists need.
func chineseRunes(t *testing.T) []rune {
	set := map[rune]bool{}
	for r := rune(0x20); r < 0x7f; r++ {
		set[r] = true
	}
	for _, r := range "，。、；：（）“”‘’—…·％×≈≤≥±°" {
		set[r] = true
	}
	add := func(s string) {
		for _, r := range s {
			set[r] = true
		}
	}
	for _, v := range lang.ChineseWords() {
		add(v)
	}
	for _, c := range assess.Criteria {
		add(c.Zh)
	}
	for _, v := range settingZh {
		add(v)
	}
	for _, v := range targets.UnitZh {
		add(v)
	}
	add("万元亿元第步")
	out := make([]rune, 0, len(set))
	for r := range set {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// TestCJKGlyphs fails when a Chinese word uses a glyph the embedded font subset lacks (run
// scripts/fontsubset then). With -glyphs FILE it writes the runes for the subsetter.
func TestCJKGlyphs(t *testing.T) {
	runes := chineseRunes(t)
	if *glyphsOut != "" {
		if err := os.WriteFile(*glyphsOut, []byte(string(runes)), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := sfnt.Parse(cjkTTF)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	var missing []rune
	for _, r := range runes {
		if r == ' ' || unicode.IsControl(r) { // line breaks of multi-line phrases are not drawn
			continue
		}
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		t.Errorf("the CJK font subset lacks %d glyphs the Chinese words use: %q; run scripts/fontsubset", len(missing), string(missing))
	}
	if len(cjkTTF) > 1<<20 {
		t.Errorf("the font subset is %d bytes; a subset should stay well under 1 MB", len(cjkTTF))
	}
	// The wide font that draws PNG figures has those glyphs too, every hanzi of GB 2312 (the
	// names users give: 方案甲 and 方案乙 were both drawn "方案") and every character of the
	// counties' and prefectures' names.
	wide, err := sfnt.Parse(cjkWideTTF)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]rune("方案甲乙丙兰考巩义新蔡鄢陵濮阳"), runes...)
	names, err := os.ReadFile("../data/census-2010-counties.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range string(names) {
		if unicode.Is(unicode.Han, r) {
			want = append(want, r)
		}
	}
	gb := simplifiedchinese.GB18030.NewDecoder() // GB 2312's two-byte rows decode the same
	for b1 := 0xB0; b1 <= 0xF7; b1++ {
		for b2 := 0xA1; b2 <= 0xFE; b2++ {
			if s, err := gb.Bytes([]byte{byte(b1), byte(b2)}); err == nil && !(b1 == 0xD7 && b2 > 0xF9) {
				want = append(want, []rune(string(s))...)
			}
		}
	}
	missing = missing[:0]
	for _, r := range want {
		if r == ' ' || unicode.IsControl(r) {
			continue
		}
		if i, err := wide.GlyphIndex(&buf, r); err != nil || i == 0 {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		t.Errorf("the wide CJK font lacks %d glyphs: %q; run scripts/fontsubset", len(missing), string(missing))
	}
	if len(cjkWideTTF) > 2<<20 {
		t.Errorf("the wide font is %d bytes; it should stay under 2 MB", len(cjkWideTTF))
	}
}

func TestChineseRun(t *testing.T) {
	cfg := tinyConfig(24)
	dirEn, recEn := record(t, cfg, Options{Plots: true, Formats: []string{"png"}})
	dirZh, recZh := record(t, cfg, Options{Plots: true, Formats: []string{"png"}, Lang: Chinese})
	// metrics.csv: the same English columns and names, plus the Chinese name and meaning.
	en, zhRows := readCSV(t, filepath.Join(dirEn, MetricsFile)), readCSV(t, filepath.Join(dirZh, MetricsFile))
	if !slices.Equal(en[0], zhRows[0]) || !slices.Contains(en[0], "name_zh") || !slices.Contains(en[0], "meaning_zh") {
		t.Errorf("metrics.csv header en %v, zh %v: want the same, with name_zh and meaning_zh", en[0], zhRows[0])
	}
	col := slices.Index(zhRows[0], "name_zh")
	for _, r := range zhRows[1:] {
		if r[col] == "" || !strings.ContainsFunc(r[col], func(c rune) bool { return unicode.Is(unicode.Han, c) }) {
			t.Errorf("metric %s: name_zh %q is not Chinese", r[0], r[col])
		}
	}
	// The printed summary speaks the recorder's language, with the same numbers.
	hEn, hZh := recEn.Highlights(), recZh.Highlights()
	if len(hEn) != len(hZh) || len(hZh) == 0 {
		t.Fatalf("%d English and %d Chinese highlights", len(hEn), len(hZh))
	}
	if !strings.Contains(hZh[0], "试点县") || strings.Contains(hZh[0], "pilot") {
		t.Errorf("Chinese highlight %q", hZh[0])
	}
	// The figures differ only by their words: both written, not the same bytes.
	a, err := os.ReadFile(filepath.Join(dirEn, "fiscal.png"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dirZh, "fiscal.png"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 10000 || slices.Equal(a, b) {
		t.Errorf("Chinese fiscal.png is %d bytes and equal to the English one: %v", len(b), slices.Equal(a, b))
	}
}

func TestConstantPanelsLeftOut(t *testing.T) {
	flat := panel{title: "Counties under red debt warning", value: func(plotPoint) float64 { return 0 }}
	moving := panel{title: "GDP growth", value: func(p plotPoint) float64 { return float64(p.month) }}
	f := figure{name: "x", title: "Growth", cols: 2, panels: []panel{flat, moving}}
	pts := []plotPoint{{month: 1}, {month: 2}}
	constant := func(pn panel) bool { return pn.value(pts[0]) == pn.value(pts[1]) }
	got := withoutConstant(f, Chinese, constant)
	if len(got.panels) != 1 || got.panels[0].title != "GDP growth" {
		t.Errorf("panels %v, want only the moving one", got.panels)
	}
	if !strings.Contains(got.note, "债务红色预警县占比") {
		t.Errorf("note %q does not name the constant outcome in Chinese", got.note)
	}
	if all := withoutConstant(figure{panels: []panel{flat}}, English, constant); len(all.panels) != 1 || all.note == "" {
		t.Errorf("an all-constant figure: %d panels, note %q; want the panel kept and a note", len(all.panels), all.note)
	}
}

func TestNoReform(t *testing.T) {
	base := sim.DefaultConfig()
	base.PMC.Enabled = false
	cfg := sim.DefaultConfig()
	cfg.PMC.Enabled = true
	cfg.Seed, cfg.Months = 99, 37
	cf := observe.NoReform(cfg, base)
	if cf.PMC.Enabled || cf.Seed != 99 || cf.Months != 37 {
		t.Errorf("counterfactual: PMC %v, seed %d, months %d; want no PMC on the run's seed and horizon", cf.PMC.Enabled, cf.Seed, cf.Months)
	}
	if observe.IsNoReform(cfg, base) || !observe.IsNoReform(cf, base) {
		t.Error("IsNoReform does not tell the reform from its counterfactual")
	}
}

func TestChineseComparisonReport(t *testing.T) {
	t.Parallel() // renders figures, the slow part
	dir := filepath.Join(t.TempDir(), "cmp")
	es := []*observe.Ensemble{handEnsemble("baseline", 24, 5, 10), handEnsemble("reform", 24, 5, 12)}
	meta := EnsembleMeta{Tool: "countysim", Version: "test", MasterSeed: 5, Seeds: []uint64{1, 2, 3, 4, 5}, Lang: Chinese}
	if err := WriteComparison(context.Background(), dir, es, meta); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, ReportMarkdownFile))
	if err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(dir, ReportHTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"## 如何解读", "## 注意事项", "评分卡", "决策科学", "监督有力", "越低越好", "不是预测", "显性债务（年末）", "隐性债务（年末）"} {
		if !strings.Contains(string(md), s) {
			t.Errorf("Chinese report.md lacks %q", s)
		}
	}
	if !strings.Contains(string(html), `<html lang="zh-CN">`) {
		t.Error("report.html is not marked Chinese")
	}
	// Sentences joined in Chinese take no space after the full stop (the byline and the
	// introduction, the files and the note on CSV tables).
	for name, text := range map[string]string{"report.md": string(md), "report.html": string(html)} {
		for _, m := range regexp.MustCompile(`.{0,12}[。，；] .{0,12}`).FindAllString(text, -1) {
			t.Errorf("Chinese %s has a space after full-width punctuation: %q", name, m)
		}
	}
	// Outside names (scenarios, files, metric columns), no English words are left.
	words := regexp.MustCompile(`[A-Za-z]{4,}`)
	allowed := map[string]bool{"baseline": true, "reform": true, "countysim": true, "test": true, "made": true,
		"hand": true, "Hand": true, "horizon": true, "measure": true, "manifest": true, "json": true, "ensemble": true, "differences": true,
		"efficiency": true, "cost": true, "fiscal": true, "growth": true, "reps": true, "MODEL": true, "docs": true,
		"Excel": true, "Windows": true} // product names, as Chinese users write them
	for _, w := range words.FindAllString(string(md), -1) {
		if !allowed[w] {
			t.Errorf("Chinese report.md has the English word %q", w)
		}
	}
	// The hand ensembles differ by 2 in every metric, the same in every pair: better or worse
	// where 2 is material, about the same where not.
	if !strings.Contains(string(md), "**更差**") || !strings.Contains(string(md), "**更好**") {
		t.Error("Chinese report has no verdicts in Chinese")
	}
}

// TestGroupLabel: groups of counties in words under Chinese, as the tables name them in English.
func TestGroupLabel(t *testing.T) {
	for name, want := range map[string]string{
		"province": "全部县", "province:Henan": "河南省", "province:Teaching": "教学省", "province:Province-08": "省份08",
		"pilot": "试点县", "non-pilot": "非试点县", "step:2": "处于省直管县改革第2步的县", "tercile:1": "经济实力三分位第1组",
		"cohort:c1": "试点批次c1", "prefecture:郑州市": "郑州市", "step:x": "step:x", "other": "other",
	} {
		if got := GroupLabel(lang.Chinese, name); got != want {
			t.Errorf("GroupLabel(zh, %q) = %q, want %q", name, got, want)
		}
		if got := GroupLabel(lang.English, name); got != name {
			t.Errorf("GroupLabel(en, %q) = %q, want the name", name, got)
		}
	}
	if got := skippedNote(lang.Chinese, "growth", "pilot", fmt.Errorf("sobol: %w", sensitivity.ErrZeroVariance)); got != "经济增长率（试点县）的敏感性分析已跳过：它在设计的每次模拟中取值相同" {
		t.Errorf("skippedNote(zh, zero variance) = %q", got)
	}
	if got := skippedNote(lang.English, "growth", "pilot", sensitivity.ErrZeroVariance); got != "sensitivity of growth (pilot) skipped: it takes the same value in every run of the design" {
		t.Errorf("skippedNote(en, zero variance) = %q", got)
	}
	if got := skippedNote(lang.English, "growth", "pilot", fmt.Errorf("boom")); got != "sensitivity of growth (pilot) skipped: boom" {
		t.Errorf("skippedNote(en, another error) = %q", got)
	}
}

// TestDescribeChangedScenarios: a built-in's description followed by the changes made to it
// (compare --from's @state+FIELD=VALUE, the teaching page) keeps its Chinese, the changes
// introduced in Chinese words and written as given.
func TestDescribeChangedScenarios(t *testing.T) {
	base := "Pilot counties move to province-manages-county in three steps, cohort by cohort."
	zh := lang.Chinese.T(base)
	if zh == base {
		t.Fatalf("%q has no Chinese; the test needs a built-in's description", base)
	}
	for desc, want := range map[string]string{
		base: zh,
		base + " Changed from the saved state at month 10: approval.item_cut=0.6, approval.start=12.": zh + "自保存状态的第10月起改变：approval.item_cut=0.6, approval.start=12。",
		base + " Changed on the teaching page: months=24.":                                            zh + "在教学页面上改变：months=24。",
		"Changed on the teaching page: months=24.":                                                    "在教学页面上改变：months=24。",
	} {
		if got := describeIn(lang.Chinese, desc); got != want {
			t.Errorf("describeIn(zh, %q) = %q, want %q", desc, got, want)
		}
		if got := describeIn(lang.English, desc); got != desc {
			t.Errorf("describeIn(en, %q) = %q, want it as it is", desc, got)
		}
	}
}
