package scenarios

import (
	"errors"
	"testing"
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
