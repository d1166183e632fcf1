package results

import (
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/image/font/sfnt"

	"github.com/countysim/countysim/sim"
)

var glyphsOut = flag.String("glyphs", "", "write every rune the Chinese outputs use to this file (scripts/fontsubset)")

// phrases returns every English phrase the package translates: the literal first argument
// of each T and F call in its source files, and the words of its tables (figures, panels,
// legends, outcomes, criteria, verdicts).
func phrases(t *testing.T) []string {
	t.Helper()
	set := map[string]bool{}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "T" && sel.Sel.Name != "F") {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				set[s] = true
			}
			return true
		})
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
	for _, c := range Criteria {
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
		if _, ok := zh[s]; !ok && strings.ContainsFunc(s, unicode.IsLetter) {
			t.Errorf("no Chinese for %q", s)
		}
	}
}

func TestEveryMetricHasChinese(t *testing.T) {
	for _, d := range sim.Metrics {
		if n, m, ok := MetricNameZh(d.Name); !ok || n == "" || m == "" {
			t.Errorf("metric %s has no Chinese name and meaning in metricZh (results/metrics_zh.go)", d.Name)
		}
	}
	for _, d := range GroupMetrics {
		if _, _, ok := MetricNameZh(d.Name); !ok {
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
	for _, v := range zh {
		add(v)
	}
	for _, v := range metricZh {
		add(v[0])
		add(v[1])
	}
	for _, c := range Criteria {
		add(c.Zh)
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
		if r == ' ' {
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
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"": English, "en": English, "zh": Chinese, "zh_CN.UTF-8": Chinese, "zh-TW": Chinese, "en_GB.UTF-8": English, "C.UTF-8": English} {
		if got, err := ParseLang(in); err != nil || got != want {
			t.Errorf("ParseLang(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseLang("fr"); err == nil || !strings.Contains(err.Error(), `"fr"`) || !strings.Contains(err.Error(), `"zh"`) {
		t.Errorf("ParseLang(fr) error %v, want one naming the bad value and the allowed ones", err)
	}
	env := map[string]string{"LANG": "zh_CN.UTF-8"}
	if got := LangFromEnv(func(k string) string { return env[k] }); got != Chinese {
		t.Errorf("LANG=zh_CN: %q, want zh", got)
	}
	env["LC_ALL"] = "en_US.UTF-8"
	if got := LangFromEnv(func(k string) string { return env[k] }); got != English {
		t.Errorf("LC_ALL=en_US over LANG=zh_CN: %q, want en", got)
	}
}
