package serve

import (
	"strings"
	"sync"
	"unicode"

	"github.com/countysim/countysim/census"
	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/scenarios"
)

// zhTranslator says the words of the server's messages in Chinese, as countysim's commands
// say the errors about input files: lang's messages (the errors about scenario files and
// --set, lang/zh_errors.go), the page's own messages (lang/zh_serve.go), and the census's
// provinces by their Chinese names (scenarios' county errors name a province in English).
func zhTranslator(s string) (string, bool) {
	if t, ok := lang.Chinese.Message(s); ok {
		return t, true
	}
	if lang.Has(s) {
		return lang.Chinese.T(s), true
	}
	if zh, ok := provincesZh()[s]; ok {
		return zh, true
	}
	return s, false
}

// provincesZh maps the census's English province names to their Chinese names.
var provincesZh = sync.OnceValue(func() map[string]string {
	out := map[string]string{}
	if d, err := census.Load(); err == nil {
		for _, p := range d.Provinces {
			out[p.English] = p.Name
		}
	}
	return out
})

// inChinese says t in Chinese as the page writes it, and whether it has a Chinese: a text
// whose words the translator does not know is said in English whole (scenarios.Text.In), and
// then has none.
func inChinese(t scenarios.Text) (string, bool) {
	zh := t.In(zhTranslator)
	if zh == t.String() {
		return "", false
	}
	return pageSpacing(scenarios.Printable(zh)), true
}

// pageSpacing puts a space between Chinese characters and the Latin letters, numbers and
// ASCII signs beside them, as the page writes Chinese throughout (2014 年, docs/GLOSSARY-zh.md)
// where the command line's messages run them together. A double-quoted value is left as it
// is inside, and spaced from the Chinese around it as a whole.
func pageSpacing(s string) string {
	var b strings.Builder
	var prev rune
	quoted, escaped := false, false
	for _, r := range s {
		if !quoted && prev != 0 && (isHan(prev) && isASCIISign(r) || isASCIISign(prev) && isHan(r)) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		switch {
		case escaped:
			escaped = false
		case quoted && r == '\\':
			escaped = true
		case r == '"':
			quoted = !quoted
		}
		prev = r
	}
	return b.String()
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// isASCIISign is a printable ASCII character other than a space.
func isASCIISign(r rune) bool { return r > ' ' && r < 0x7f }
