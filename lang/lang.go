// Package lang holds the languages of the outputs and their words: the English phrases of
// figures, reports and the page with their Chinese (tables zh, zhEvaluation, zhUncertainty),
// the Chinese names of the metrics, and the formatting of numbers. It imports nothing of the
// project, so every floor above the model may translate (results, assess, serve, cmd).
package lang

import (
	"fmt"
	"math"
	"strconv"
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
// The log of a metric (ln_NAME, an outcome of evaluate) is ln(中文名) in Chinese.
func (l Lang) MetricName(name string) string {
	if l == Chinese {
		if n, _, ok := MetricNameZh(name); ok {
			return n
		}
		if base, ok := strings.CutPrefix(name, "ln_"); ok {
			if n, _, ok := MetricNameZh(base); ok {
				return "ln(" + n + ")"
			}
		}
	}
	return name
}

// Packages with words of their own (results' validation report, say) translate them with l.T
// and l.F like the rest; their Chinese lives here, in zh or in a table of its own merged into zh
// by an init function. results' TestEveryPhraseHasChinese checks every literal phrase passed to
// T or F in results and assess, and TestCJKGlyphs that the font subset has its glyphs (else run
// scripts/fontsubset).

// Has reports whether s has a Chinese translation.
func Has(s string) bool { _, ok := zh[s]; return ok }

// ChineseWords returns every Chinese word of the tables: translations (error messages too),
// metric names and meanings (for the font subset), in no particular order.
func ChineseWords() []string {
	out := make([]string, 0, len(zh)+2*len(metricZh)+len(zhErrors)+len(zhWords)+len(wordsPatterns))
	for _, v := range zh {
		out = append(out, v)
	}
	for _, v := range zhErrors {
		out = append(out, v)
	}
	for _, v := range zhWords {
		out = append(out, v)
	}
	for _, p := range wordsPatterns {
		out = append(out, p.zh)
	}
	for _, v := range metricZh {
		out = append(out, v[0], v[1])
	}
	return out
}

// Sep is the separator of list items in l.
func (l Lang) Sep() string {
	if l == Chinese {
		return "、"
	}
	return ", "
}

// Space is what goes between two sentences in l: a space in English, nothing in Chinese,
// whose full-width stop 。 takes no space after it.
func (l Lang) Space() string {
	if l == Chinese {
		return ""
	}
	return " "
}

// Decimals returns the number of decimals that show v (> 0) to sig significant figures, and
// none for numbers with at least sig digits before the point.
func Decimals(v float64, sig int) int {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return max(0, sig-1-int(math.Floor(math.Log10(v))))
}

// Thousands formats v with dec decimals and commas between groups of thousands.
func Thousands(v float64, dec int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', dec, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// merge adds a feature's table of Chinese phrases to the one table T reads. A phrase two
// tables translate differently is a programming error, caught when the package loads (every
// test of every package that uses lang fails), never settled by the order of the files.
func merge(table map[string]string) {
	for k, v := range table {
		if old, ok := zh[k]; ok && old != v {
			panic(fmt.Sprintf("lang: %q is translated both %q and %q", k, old, v))
		}
		zh[k] = v
	}
}
