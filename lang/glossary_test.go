package lang

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// avoided are Chinese terms docs/GLOSSARY-zh.md rules out, with the term it prescribes: one
// term per concept in every Chinese output.
var avoided = []struct {
	re      *regexp.Regexp
	instead string
}{
	{regexp.MustCompile(`本级和共享收入|本级税费`), "县级固定收入 + 共享税分成收入 (own revenue is not 本级收入)"},
	{regexp.MustCompile(`行政审批改革`), "审批制度改革"},
	{regexp.MustCompile(`检验被拒绝`), "拒绝平行趋势假设 (the hypothesis is rejected, not the test)"},
	{regexp.MustCompile(`违规用款`), "违规使用资金"},
	{regexp.MustCompile(`隐性举债每月被发现`), "隐性债务 (what an audit finds is the debt)"},
	{regexp.MustCompile(`永不`), "不实行 (a step's month -1)"},
	{regexp.MustCompile(`未改革`), "市管县 (a county not yet at step 1)"},
	{regexp.MustCompile(`溢出(?:[^效]|$)`), "溢出效应"},
	{regexp.MustCompile(`[。，；！？] `), "no space after full-width punctuation"},
}

// TestGlossaryTerms reads every Chinese word of the tables and of the project's Go and
// JavaScript sources outside comments and tests (the page's zh table, targets' findings, the
// parameters' zh tags) and fails for a term the glossary rules out.
func TestGlossaryTerms(t *testing.T) {
	check := func(where, s string) {
		for _, a := range avoided {
			if m := a.re.FindString(s); m != "" {
				t.Errorf("%s: %q in %q; the glossary says %s", where, m, s, a.instead)
			}
		}
	}
	for _, w := range ChineseWords() {
		check("lang's tables", w)
	}
	n := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != ".." && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasSuffix(path, "_test.go") || !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".js") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		for i, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			check(path+":"+strconv.Itoa(i+1), line)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Errorf("read %d source files, want the project's", n)
	}
	// The check finds what it is for.
	for _, bad := range []string{"本级和共享收入 ÷ 支出", "对从未处理县的溢出%+.2f", "模拟2次。 这是模拟推演", "-1（永不）"} {
		found := false
		for _, a := range avoided {
			found = found || a.re.MatchString(bad)
		}
		if !found {
			t.Errorf("%q is not caught", bad)
		}
	}
}
