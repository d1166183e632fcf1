package results

import (
	"fmt"
	"strings"
)

// Lang is the language of the words in the outputs: figure titles, axes and legends,
// report.md and report.html, the printed summary, and the name_zh and meaning_zh columns of
// metrics.csv. File names, CSV column names and metric names are the same in every language.
type Lang string

// The supported languages.
const (
	English Lang = "en"
	Chinese Lang = "zh"
)

// Langs lists the supported languages, for error messages and flag help.
var Langs = []Lang{English, Chinese}

// ParseLang reads a language code: "en" or "zh" (also "zh-CN", "zh_CN.UTF-8", "en_GB" and
// the like). The empty string is English.
func ParseLang(s string) (Lang, error) {
	code := strings.ToLower(s)
	if i := strings.IndexAny(code, "_-.@"); i >= 0 {
		code = code[:i]
	}
	switch code {
	case "", "en", "c", "posix":
		return English, nil
	case "zh":
		return Chinese, nil
	}
	return English, fmt.Errorf("language %q: allowed \"en\" (English) or \"zh\" (Chinese)", s)
}

// LangFromEnv returns the language of the locale, read like the C library does: LC_ALL, then
// LC_MESSAGES, then LANG; English when none is set or the locale is neither Chinese nor
// English.
func LangFromEnv(getenv func(string) string) Lang {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := getenv(v); s != "" {
			l, err := ParseLang(s)
			if err != nil {
				return English
			}
			return l
		}
	}
	return English
}

// T translates an English phrase of the outputs into l. Phrases without a translation are
// returned unchanged (a test checks that every phrase the package passes to T has one).
func (l Lang) T(s string) string {
	if l == Chinese {
		if t, ok := zh[s]; ok {
			return t
		}
	}
	return s
}

// F formats args with the translation of the English format string. Chinese formats may
// reorder the arguments with explicit indexes (%[2]s).
func (l Lang) F(format string, args ...any) string { return fmt.Sprintf(l.T(format), args...) }

// MetricName returns a metric's name to show in l: the English metric name (snake_case,
// as in the CSV columns) or its Chinese name.
func (l Lang) MetricName(name string) string {
	if l == Chinese {
		if n, _, ok := MetricNameZh(name); ok {
			return n
		}
	}
	return name
}

// Files of this package with words of their own (the validation report, say) translate them
// with l.T and l.F like the rest; their Chinese may live in their own table merged into zh by
// an init function. TestEveryPhraseHasChinese checks every literal phrase passed to T or F in
// the package, and TestCJKGlyphs that the font subset has its glyphs (else run
// scripts/fontsubset).

// Translate is T for callers outside the package (the validation report, the command line):
// it translates an English phrase into lang ("en" or "zh"), unchanged when no translation is
// known.
func Translate(lang Lang, s string) string { return lang.T(s) }

// sep is the separator of list items in l.
func (l Lang) sep() string {
	if l == Chinese {
		return "、"
	}
	return ", "
}
