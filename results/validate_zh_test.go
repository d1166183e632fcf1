package results

import (
	"context"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/countysim/countysim/targets"
)

// Names a Chinese text keeps as they are: the tool, estimator and test names, and authors.
var keptNames = map[string]bool{"countysim": true, "baseline": true, "Wald": true, "TWFE": true,
	"Abraham": true, "Gong": true, "Wang": true, "Zhang": true}

var (
	// Code, markup and names made of several parts (scenario, metric, column and file names:
	// eval-henan-path, misused_funds, validation.csv, Sun-Abraham).
	codeSpan   = regexp.MustCompile("(?s)<style>.*?</style>|<code>.*?</code>|`[^`]*`|<[^>]*>|&[#a-z0-9]+;")
	identifier = regexp.MustCompile(`[A-Za-z0-9_]+(?:[-_./:][A-Za-z0-9_]+)+`)
	// Three or more ASCII words in a row: an English phrase.
	englishRun = regexp.MustCompile(`[A-Za-z]+(?:[ ,;:.'()]+[A-Za-z]+){2,}`)
	// An ASCII word of four letters or more: an English word unless it is a kept name.
	englishWord = regexp.MustCompile(`[A-Za-z]{4,}`)
)

// englishFragments returns the English left in s, a text meant to be Chinese: every run of
// three or more ASCII words, and every ASCII word of four letters or more that is not a kept
// name, outside code, markup and identifiers.
func englishFragments(s string) []string {
	s = codeSpan.ReplaceAllString(s, " ")
	s = identifier.ReplaceAllString(s, " ")
	out := englishRun.FindAllString(s, -1)
	for _, w := range englishWord.FindAllString(s, -1) {
		if !keptNames[w] {
			out = append(out, w)
		}
	}
	return out
}

func TestEnglishFragments(t *testing.T) {
	for s, want := range map[string]int{
		"模拟结果（均值 [第5百分位, 第95百分位]）":                                               0,
		"对misused_funds（违规使用资金）：eval-broad-span，`countysim evaluate --validate`": 0,
		"Sun-Abraham ATT（判定规则所用的估计）；Li、Lu和Wang（2016）":                            0,
		"T1：the average growth effect":                                           4, // the run, and three words of four letters or more
		"判定：met clearly":                                                         1, // "clearly"
		"<td>pp per year</td>":                                                   2, // the run, and "year"
	} {
		if got := englishFragments(s); len(got) != want {
			t.Errorf("englishFragments(%q) = %q, want %d", s, got, want)
		}
	}
}

// builtinDescriptions returns the English description of every built-in scenario by name.
func builtinDescriptions(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "scenarios", "builtin", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("built-in scenarios: %v, %d files", err, len(files))
	}
	out := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if d, ok := strings.CutPrefix(line, "description: "); ok {
				out[strings.TrimSuffix(filepath.Base(f), ".yaml")] = strings.TrimSpace(d)
			}
		}
	}
	return out
}

func TestBuiltinDescriptionsHaveChinese(t *testing.T) {
	for name, d := range builtinDescriptions(t) {
		if Chinese.T(d) == d {
			t.Errorf("built-in scenario %s: no Chinese for its description %q (results/lang_zh_scenarios.go)", name, d)
		}
	}
}

// TestValidationReportChinese renders the validation report in Chinese, with the built-in
// scenarios' descriptions, and fails on any English phrase or word left in report.md or
// report.html outside code, markup and names.
func TestValidationReportChinese(t *testing.T) {
	in := tinyValidationInput(t)
	desc := builtinDescriptions(t)
	for k := range in.Scenarios {
		in.Scenarios[k].Description = desc[in.Scenarios[k].Name]
	}
	dir := filepath.Join(t.TempDir(), "val-zh")
	if _, err := WriteValidation(context.Background(), dir, in, EnsembleMeta{Tool: "countysim", Version: "v0", Seeds: []uint64{10, 11},
		Args: []string{"countysim", "evaluate", "--validate", "--lang", "zh"}, Lang: Chinese}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{ReportMarkdownFile, ReportHTMLFile} {
		text := string(readTestFile(t, filepath.Join(dir, name)))
		if name == ReportHTMLFile {
			text = regexp.MustCompile(`src="data:[^"]*"`).ReplaceAllString(text, "")
		}
		for _, f := range englishFragments(text) {
			t.Errorf("Chinese %s has English: %q", name, f)
		}
		if !strings.Contains(text, "扩权强县") || !strings.Contains(text, "保工资") {
			t.Errorf("Chinese %s lacks the findings of T8 and T7 in Chinese", name)
		}
	}
}

// textCanvas records the text drawn on it and nothing else.
type textCanvas struct {
	w, h  vg.Length
	texts []string
}

func (c *textCanvas) Size() (vg.Length, vg.Length)        { return c.w, c.h }
func (c *textCanvas) SetLineWidth(vg.Length)              {}
func (c *textCanvas) SetLineDash([]vg.Length, vg.Length)  {}
func (c *textCanvas) SetColor(color.Color)                {}
func (c *textCanvas) Rotate(float64)                      {}
func (c *textCanvas) Translate(vg.Point)                  {}
func (c *textCanvas) Scale(float64, float64)              {}
func (c *textCanvas) Push()                               {}
func (c *textCanvas) Pop()                                {}
func (c *textCanvas) Stroke(vg.Path)                      {}
func (c *textCanvas) Fill(vg.Path)                        {}
func (c *textCanvas) DrawImage(vg.Rectangle, image.Image) {}
func (c *textCanvas) FillString(_ font.Face, _ vg.Point, s string) {
	c.texts = append(c.texts, s)
}

// TestValidationFiguresChinese draws every validation figure in Chinese on a canvas that
// records its text, and fails on any English left in titles, axes, ticks, legends and marks;
// the headlines of the printed summary and the figures' labels and units are checked too.
func TestValidationFiguresChinese(t *testing.T) {
	in := tinyValidationInput(t)
	vd, err := targets.NewValData(in)
	if err != nil {
		t.Fatal(err)
	}
	specs := validationSpecs(valReport{ValData: vd}, Chinese)
	if len(specs) != 9 {
		t.Fatalf("%d figures", len(specs))
	}
	for _, s := range specs {
		f, paint := s.layout(Chinese)
		w, h := f.size(Chinese)
		c := &textCanvas{w: w, h: h}
		paint(draw.New(c))
		if len(c.texts) < 10 {
			t.Errorf("%s: only %d texts drawn: %q", s.id, len(c.texts), c.texts)
		}
		for _, text := range c.texts {
			for _, frag := range englishFragments(text) {
				t.Errorf("figure %s: %q has English %q", s.id, text, frag)
			}
		}
	}
	res, err := targets.Check(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		for _, frag := range englishFragments(r.Zh.Headline) {
			t.Errorf("%s: the Chinese headline %q has English %q", r.ID, r.Zh.Headline, frag)
		}
		for _, f := range r.Figures {
			if f.LabelZh == "" || (f.Unit != "" && f.UnitZh == "") {
				t.Errorf("%s, figure %s: Chinese label %q, unit %q (of %q)", r.ID, f.Key, f.LabelZh, f.UnitZh, f.Unit)
			}
		}
	}
}

// TestEverySettingHasChinese: every T1 setting has a Chinese axis label (a missing one fell
// back to an empty label).
func TestEverySettingHasChinese(t *testing.T) {
	for _, s := range targets.T1Settings {
		if settingZh[s] == "" {
			t.Errorf("setting %s has no Chinese label", s)
		}
		if settingLabel(Chinese, s) == "" || settingLabel(English, s) == "" {
			t.Errorf("setting %s: empty label", s)
		}
	}
}
