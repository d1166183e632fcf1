package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFiles writes name-text pairs into a new temporary folder and returns its path.
func writeFiles(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for i := 0; i+1 < len(files); i += 2 {
		if err := os.WriteFile(filepath.Join(dir, files[i]), []byte(files[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// englishLocale sets an English locale, so that only --lang or a file's lang: asks for Chinese.
func englishLocale(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")
}

// TestUndecodableFileInItsLang: a scenario file whose first line is lang: zh but which cannot
// be decoded (saved as GBK, indented with a tab, a YAML syntax error) is told in Chinese by
// validate and run, the summary line too, with exit 2 (it was told in English).
func TestUndecodableFileInItsLang(t *testing.T) {
	englishLocale(t)
	dir := writeFiles(t,
		"gbk.yaml", "lang: zh\nname: \xb2\xe2\xca\xd4\npreset: henan\n", // 测试 in GBK
		"tab.yaml", "lang: zh\nworld:\n\tpreset: henan\n",
		"syntax.yaml", "lang: zh\npmc: [\n")
	for file, want := range map[string]string{
		"gbk.yaml":    ":2:7: 文件不是UTF-8文本（此处字节为0xb2）",
		"tab.yaml":    ":3: YAML语法错误：有不能作为任何记号开头的字符（该行用制表符缩进",
		"syntax.yaml": ":3: YAML语法错误：未找到应有的内容",
	} {
		f := filepath.Join(dir, file)
		code, _, e := runCLI(t, "validate", f)
		if code != 2 || !strings.Contains(e, f+want) || !strings.Contains(e, "1个文件中有1个无效") || len(englishIn(e)) > 0 {
			t.Errorf("validate %s: exit %d, English %q in %q; want 2 and %q", file, code, englishIn(e), e, want)
		}
		code, _, e = runCLI(t, "run", f, "-q", "--out", filepath.Join(dir, "out"))
		if code != 2 || !strings.Contains(e, f+want) || len(englishIn(e)) > 0 {
			t.Errorf("run %s: exit %d, English %q in %q", file, code, englishIn(e), e)
		}
		// --lang still decides.
		if code, _, e := runCLI(t, "validate", "--lang", "en", f); code != 2 || !strings.Contains(e, "1 of 1 files invalid") {
			t.Errorf("validate --lang en %s: exit %d, %q", file, code, e)
		}
	}
}
