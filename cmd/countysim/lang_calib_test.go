package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/results"
)

// calibPhrases returns every literal phrase the calibrate and discover packages and their
// commands pass to T, F (results.Lang's or discover.Words') or Trace.stopWith.
func calibPhrases(t *testing.T) []string {
	t.Helper()
	out := testkit.CallPhrases(t, []string{"../../calibrate/*.go", "../../discover/*.go", "calibrate.go", "discover.go"}, "T", "F", "stopWith")
	if len(out) < 40 {
		t.Fatalf("found only %d phrases: the scan is broken", len(out))
	}
	return out
}

func TestCalibrateAndDiscoverPhrasesHaveChinese(t *testing.T) {
	for _, s := range calibPhrases(t) {
		if results.Chinese.T(s) == s && strings.ContainsFunc(s, unicode.IsLetter) {
			t.Errorf("no Chinese for %q", s)
		}
	}
}

func TestCalibrateAndDiscoverLang(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")
	cal := tinyCalibration(t)
	tmp := t.TempDir()
	zhDir := filepath.Join(tmp, "zh")
	code, o, e := runCLI(t, "calibrate", cal, "--out", zhDir, "-q", "--lang", "zh")
	if code != 0 {
		t.Fatalf("calibrate --lang zh: exit %d: %s", code, e)
	}
	if !strings.Contains(o, "个粒子的后验已写入") || strings.Contains(o, "posterior of") {
		t.Errorf("calibrate --lang zh printed:\n%s", o)
	}
	md := string(readFile(t, filepath.Join(zhDir, "report.md")))
	for _, want := range []string{"# 参数校准：", "## 容差序列", "停止原因：", "## 哪些目标约束哪些参数", "在各县的均值"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md in Chinese lacks %q", want)
		}
	}
	if strings.Contains(md, "%!") || strings.Contains(md, "Tolerance schedule") || strings.Contains(md, "generations done") {
		t.Errorf("report.md in Chinese has a bad format or English left:\n%s", md)
	}
	// The file's lang: field, overridden by --lang; the locale when neither says.
	file := filepath.Join(tmp, "zh.yaml")
	if err := os.WriteFile(file, append(readFile(t, cal), []byte("lang: zh\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, o, _ = runCLI(t, "calibrate", file, "--out", filepath.Join(tmp, "file"), "-q"); !strings.Contains(o, "后验已写入") {
		t.Errorf("calibration with lang: zh printed:\n%s", o)
	}
	if _, o, _ = runCLI(t, "calibrate", file, "--out", filepath.Join(tmp, "file-en"), "-q", "--lang", "en"); !strings.Contains(o, "posterior of") {
		t.Errorf("--lang en over lang: zh printed:\n%s", o)
	}
	if md := string(readFile(t, filepath.Join(tmp, "file-en", "report.md"))); !strings.Contains(md, "## Tolerance schedule") {
		t.Error("--lang en over lang: zh wrote a report not in English")
	}
	bad := filepath.Join(tmp, "de.yaml")
	if err := os.WriteFile(bad, append(readFile(t, cal), []byte("lang: de\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, e := runCLI(t, "calibrate", bad, "--out", filepath.Join(tmp, "de"), "-q"); code != 2 || !strings.Contains(e, `lang: unknown language "de" (allowed: en, zh)`) {
		t.Errorf("lang: de: exit %d, %s", code, e)
	}
	if code, _, e := runCLI(t, "calibrate", cal, "--out", filepath.Join(tmp, "fr"), "-q", "--lang", "fr"); code != 2 || !strings.Contains(e, `"fr"`) {
		t.Errorf("--lang fr: exit %d, %s", code, e)
	}
	// discover: the locale's language, and --lang.
	sw := filepath.Join(tmp, "sweep")
	if code, _, e := runCLI(t, "sweep", quick, "--out", sw, "-q", "--lang", "en"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, e)
	}
	where := "approval_days < " + medianOf(t, sw, "approval_days")
	t.Setenv("LANG", "zh_CN.UTF-8")
	code, o, e = runCLI(t, "discover", sw, "--where", where, "--alpha", "0.1", "--min-mass", "0.2", "--out", filepath.Join(tmp, "d-zh"))
	if code != 0 || !strings.Contains(o, "次运行中的6次成立") {
		t.Errorf("discover with LANG=zh_CN: exit %d: %s%s", code, o, e)
	}
	md = string(readFile(t, filepath.Join(tmp, "d-zh", "report.md")))
	if !strings.Contains(md, "# 情景发现：") || !strings.Contains(md, "## 选定的框") || strings.Contains(md, "%!") || strings.Contains(md, "Chosen box") {
		t.Errorf("discover report in Chinese:\n%s", md)
	}
	code, _, e = runCLI(t, "discover", sw, "--where", where, "--alpha", "0.1", "--min-mass", "0.2", "--box", "0", "--out", filepath.Join(tmp, "d-zh-box"))
	if md := string(readFile(t, filepath.Join(tmp, "d-zh-box", "report.md"))); code != 0 || !strings.Contains(md, "（由--box 0指定）") || !strings.Contains(md, "第0步即整个扫描") {
		t.Errorf("discover --box 0 with LANG=zh_CN: exit %d: %s\n%s", code, e, md)
	}
	code, o, _ = runCLI(t, "discover", sw, "--where", where, "--alpha", "0.1", "--min-mass", "0.2", "--out", filepath.Join(tmp, "d-en"), "--lang", "en")
	if code != 0 || !strings.Contains(o, "holds in 6 of 12 runs") || !strings.Contains(string(readFile(t, filepath.Join(tmp, "d-en", "report.md"))), "## Chosen box") {
		t.Errorf("discover --lang en: exit %d: %s", code, o)
	}
}
