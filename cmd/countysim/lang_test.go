package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunLang(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "run", "pmc-three-step", "--months", "36", "--no-plots", "-q", "--lang", "zh", "--out", filepath.Join(dir, "zh"))
	if code != 0 {
		t.Fatalf("run --lang zh: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"countysim：已运行", "试点县", "与不改革的反事实情景", "随机种子（1）"} {
		if !strings.Contains(out, want) {
			t.Errorf("run --lang zh output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, "run", "pmc-three-step", "--months", "36", "--no-plots", "-q", "--out", filepath.Join(dir, "en"))
	if code != 0 || !strings.Contains(out, "Against the no-reform counterfactual") || strings.Contains(out, "试点县") {
		t.Errorf("run with LANG=en_US: exit %d, output:\n%s", code, out)
	}
	// The locale decides when neither the flag nor the file does.
	t.Setenv("LANG", "zh_CN.UTF-8")
	code, out, _ = runCLI(t, "run", "baseline", "--months", "36", "--no-plots", "-q", "--out", filepath.Join(dir, "locale"))
	if code != 0 || !strings.Contains(out, "本情景没有任何改革") {
		t.Errorf("run baseline with LANG=zh_CN: exit %d, output:\n%s", code, out)
	}
	// A scenario file's lang: field, overridden by the flag.
	t.Setenv("LANG", "")
	file := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(file, []byte("name: s\nlang: zh\nmonths: 36\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, out, _ = runCLI(t, "run", file, "--no-plots", "-q", "--out", filepath.Join(dir, "file")); !strings.Contains(out, "反事实") {
		t.Errorf("scenario with lang: zh printed:\n%s", out)
	}
	if _, out, _ = runCLI(t, "run", file, "--no-plots", "-q", "--lang", "en", "--out", filepath.Join(dir, "file-en")); strings.Contains(out, "反事实") {
		t.Errorf("--lang en over lang: zh printed:\n%s", out)
	}
}

func TestBadLang(t *testing.T) {
	code, _, errOut := runCLI(t, "run", "--lang", "fr", "--no-plots", "-q", "--out", t.TempDir())
	if code != 2 || !strings.Contains(errOut, `"fr"`) || !strings.Contains(errOut, "zh") {
		t.Errorf("--lang fr: exit %d, %q; want 2 and a message naming the bad value and the allowed ones", code, errOut)
	}
	file := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(file, []byte("name: s\nlang: de\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "run", file, "--no-plots", "-q", "--out", t.TempDir())
	if code != 2 || !strings.Contains(errOut, "lang") || !strings.Contains(errOut, `"de"`) {
		t.Errorf("lang: de in a scenario: exit %d, %q", code, errOut)
	}
}

func TestPadColumns(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"not met", 9, "not met  "}, // as %-9s
		{"未达成", 9, "未达成   "},        // three wide characters take six columns
		{"未达成（安慰剂检验未通过）", 27, "未达成（安慰剂检验未通过） "}, // full-width brackets are wide too
		{"met clearly", 4, "met clearly"},
	} {
		if got := padColumns(c.in, c.n); got != c.want {
			t.Errorf("padColumns(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

// TestEvaluateLangFromFile: evaluate, like run and compare, takes a scenario file's lang:
// when --lang does not say otherwise.
func TestEvaluateLangFromFile(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "")
	dir := t.TempDir()
	file := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(file, []byte("name: s\nlang: zh\nmonths: 120\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "evaluate", file, "--reps", "1", "-q", "--out", filepath.Join(dir, "zh"))
	if code != 0 || !strings.Contains(out, "已评估") {
		t.Errorf("evaluate of a scenario with lang: zh: exit %d, %s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "evaluate", file, "--reps", "1", "-q", "--lang", "en", "--out", filepath.Join(dir, "en"))
	if code != 0 || !strings.Contains(out, "evaluated") || strings.Contains(out, "已评估") {
		t.Errorf("evaluate --lang en over lang: zh: exit %d, %s\n%s", code, out, errOut)
	}
}

// TestSummaryLinesInChinese: the lines compare and sweep print when they are done follow
// --lang, as run's do.
func TestSummaryLinesInChinese(t *testing.T) {
	dir := t.TempDir()
	code, out, e := runCLI(t, "sweep", quick, "--lang", "zh", "-q", "--out", filepath.Join(dir, "sweep"))
	if code != 0 || !strings.Contains(out, "countysim sweep：") || !strings.Contains(out, "结果写入") {
		t.Errorf("sweep --lang zh: exit %d, printed %q: %s", code, out, e)
	}
	code, out, e = runCLI(t, "compare", "pmc-three-step", "baseline", "--set", "preset=teaching", "--months", "24", "--reps", "2", "--lang", "zh", "-q", "--out", filepath.Join(dir, "compare"))
	if code != 0 || !strings.Contains(out, "countysim：已比较2个情景") || !strings.Contains(out, "请先阅读") {
		t.Errorf("compare --lang zh: exit %d, printed %q: %s", code, out, e)
	}
}

// TestListsAndJobFilesInChinese: scenarios list and sweep --emit print Chinese under --lang zh.
func TestListsAndJobFilesInChinese(t *testing.T) {
	code, out, e := runCLI(t, "scenarios", "list", "--lang", "zh")
	for _, w := range []string{"baseline                   维持市管县", "（默认）", "省级预设："} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("scenarios list --lang zh: exit %d, no %q in %q: %s", code, w, out, e)
		}
	}
	code, out, e = runCLI(t, "sweep", quick, "--emit", "slurm", "--shards", "2", "--binary", fakeBinary(t), "--lang", "zh", "--out", filepath.Join(t.TempDir(), "slurm"))
	if code != 0 || !strings.Contains(out, "countysim sweep：已为\"quick\"写出Slurm作业") || !strings.Contains(out, "提交：") {
		t.Errorf("sweep --emit slurm --lang zh: exit %d, printed %q: %s", code, out, e)
	}
	code, out, e = runCLI(t, "sweep", quick, "--emit", "k8s", "--shards", "2", "--lang", "zh", "--out", filepath.Join(t.TempDir(), "k8s"))
	if code != 0 || !strings.Contains(out, "写出Kubernetes清单") || !strings.Contains(out, "只需一次") {
		t.Errorf("sweep --emit k8s --lang zh: exit %d, printed %q: %s", code, out, e)
	}
}
