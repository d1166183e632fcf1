package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/results"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/targets"
)

// tinyReform is a small province on a fast three-step path: full PMC in 2008 and 2009.
const tinyReform = `name: tiny-reform
description: a small province on a fast three-step path
preset: teaching
months: 84
pmc:
  enabled: true
  mode: three-step
  cohorts:
    - {name: early, share: 0.25, step1: 12, step2: 24, step3: 36}
    - {name: late, share: 0.25, step1: 24, step2: 36, step3: 48}
`

func TestEvaluateSameFilesWhateverTheWorkerCount(t *testing.T) {
	scn := filepath.Join(t.TempDir(), "tiny.yaml")
	if err := os.WriteFile(scn, []byte(tinyReform), 0o644); err != nil {
		t.Fatal(err)
	}
	a, b := t.TempDir(), t.TempDir()
	code, out, e := runCLI(t, "evaluate", scn, "--reps", "2", "-j", "1", "--out", a, "-q")
	if code != 0 {
		t.Fatalf("evaluate -j 1: exit %d: %s", code, e)
	}
	if !strings.Contains(out, "growth effect (Sun-Abraham ATT)") {
		t.Errorf("stdout: %s", out)
	}
	if code, _, e := runCLI(t, "evaluate", scn, "--reps", "2", "-j", "2", "--out", b, "-q"); code != 0 {
		t.Fatalf("evaluate -j 2: exit %d: %s", code, e)
	}
	if !strings.Contains(out, "true growth effect on the treated against no_reform") || !strings.Contains(out, "against step_off") {
		t.Errorf("stdout does not report the true effects: %s", out)
	}
	for _, f := range []string{results.EstimatesFile, results.EvalSummaryFile, results.PanelFile, results.PanelParquetFile, results.DictionaryFile} {
		if !bytes.Equal(readFile(t, filepath.Join(a, f)), readFile(t, filepath.Join(b, f))) {
			t.Errorf("%s differs between -j 1 and -j 2", f)
		}
	}
	est := string(readFile(t, filepath.Join(a, results.EstimatesFile)))
	if !strings.HasPrefix(est, "replication,outcome,estimator,rel,coef,se,ci90_low,ci90_high,n,p\n") ||
		!strings.Contains(est, "\n1,growth,sa_event,") || !strings.Contains(est, "\n0,growth,twfe,,") || !strings.Contains(est, "\n1,growth,twfe_wcr,,") ||
		!strings.Contains(est, "\n1,growth,sa_att_wcr,,") || !strings.Contains(est, "\n1,growth,pretrend_wcr,,") {
		t.Errorf("estimates.csv does not hold every replication:\n%.300s", est)
	}
	panel := string(readFile(t, filepath.Join(a, results.PanelFile)))
	if n := strings.Count(panel, "\n"); n != 1+2*20*7 {
		t.Errorf("panel.csv has %d lines, want 1 + 2 runs x 20 counties x 7 years", n)
	}
	if _, err := os.Stat(filepath.Join(a, results.ManifestFile)); err != nil {
		t.Error(err)
	}
}

func TestEvaluateRejectsBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"evaluate", "--treatment-step", "2"}, "--treatment-step: bad value 2 (allowed: 1 or 3)"},
		{[]string{"evaluate", "--reps", "0"}, "--reps: bad value 0 (allowed: 1 to 10000)"},
		{[]string{"evaluate", "--validate", "pmc-three-step"}, "--validate takes no scenario"},
		{[]string{"evaluate", "--validate", "--set", "months=12"}, "--set cannot be used with --validate"},
		{[]string{"evaluate", "--validate", "--treatment-step", "1"}, "--treatment-step cannot be used with --validate"},
		{[]string{"evaluate", "--validate", "--boot-draws", "199"}, "--boot-draws cannot be used with --validate"},
		{[]string{"evaluate", "--boot-draws", "5"}, "--boot-draws: bad value 5 (allowed: 0, no bootstrap, or 99 to 99999)"},
		{[]string{"evaluate", "--boot-draws", "-1"}, "--boot-draws: bad value -1"},
		{[]string{"evaluate", "a", "b"}, "expected at most one scenario, got 2"},
		{[]string{"evaluate", "no-such-scenario"}, `unknown scenario "no-such-scenario"`},
	} {
		if code, _, e := runCLI(t, c.args...); code != 2 || !strings.Contains(e, c.want) {
			t.Errorf("%v: exit %d, want 2 and %q: %s", c.args, code, c.want, e)
		}
	}
	// A scenario without treated counties, or without never-treated controls, is bad input
	// with a message that says which and what to change.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"evaluate", "baseline"}, "no county is treated"},
		{[]string{"evaluate", "pmc-step1-only", "--months", "36"}, "no county reaches PMC step 3"},
		{[]string{"evaluate", "pmc-one-shot"}, "no never-treated county to compare with"},
		// Treated from the first year: every regressor collinear (it ended "evaluated", exit 0).
		{[]string{"evaluate", "eval-henan-path", "--treatment-step", "1", "--set", "preset=teaching"}, "no year before treatment is observed"},
	} {
		code, _, e := runCLI(t, append(c.args, "--reps", "1", "--out", t.TempDir(), "-q")...)
		if code != 2 || !strings.Contains(e, c.want) {
			t.Errorf("%v: exit %d, want 2 and %q: %s", c.args, code, c.want, e)
		}
	}
}

func TestValidationScenariosAreBuiltins(t *testing.T) {
	for _, v := range targets.Scenarios() {
		if _, err := scenarios.Builtin(v.Name); err != nil {
			t.Errorf("%s: %v", v.Name, err)
		}
		if v.TreatmentStep != 1 && v.TreatmentStep != 3 {
			t.Errorf("%s: treatment step %d", v.Name, v.TreatmentStep)
		}
	}
}

func TestEvaluateOwnsItsOutputFolder(t *testing.T) {
	scn := filepath.Join(t.TempDir(), "tiny.yaml")
	if err := os.WriteFile(scn, []byte(tinyReform), 0o644); err != nil {
		t.Fatal(err)
	}
	// Limits: --reps and --jobs are checked before any work starts.
	if code, _, e := runCLI(t, "evaluate", scn, "--reps", "10001", "-q"); code != 2 || !strings.Contains(e, "allowed: 1 to 10000") {
		t.Errorf("--reps 10001: exit %d: %s", code, e)
	}
	if code, _, e := runCLI(t, "evaluate", "--validate", "--reps", "10001", "-q"); code != 2 || !strings.Contains(e, "allowed: 1 to 10000") {
		t.Errorf("--validate --reps 10001: exit %d: %s", code, e)
	}
	if code, _, e := runCLI(t, "evaluate", scn, "-j", "0", "-q"); code != 2 || !strings.Contains(e, "--jobs: bad value 0") {
		t.Errorf("-j 0: exit %d: %s", code, e)
	}
	dir := filepath.Join(t.TempDir(), "out")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "thesis.tex"), []byte("mine"), 0o644)
	code, _, e := runCLI(t, "evaluate", scn, "--reps", "1", "--out", dir, "-q")
	if code != 2 || !strings.Contains(e, "thesis.tex") || !strings.Contains(e, "--force") {
		t.Fatalf("foreign folder: exit %d: %s", code, e)
	}
	noLeftovers(t, filepath.Dir(dir))
	if code, _, e := runCLI(t, "evaluate", scn, "--reps", "1", "--out", dir, "-q", "--force", "-j", "100000"); code != 0 || !strings.Contains(e, "using") {
		t.Fatalf("--force -j 100000: exit %d: %s", code, e)
	}
	if string(readFile(t, filepath.Join(dir, "thesis.tex"))) != "mine" {
		t.Fatal("--force removed a file countysim did not write")
	}
	// Into a folder holding only an earlier evaluation: replaced entirely, the manifest
	// records the command line as typed (not the binary's path) and lists what the folder holds.
	dir = filepath.Join(t.TempDir(), "out")
	for range 2 {
		if code, _, e := runCLI(t, "evaluate", scn, "--reps", "1", "--out", dir, "-q"); code != 0 {
			t.Fatalf("exit %d: %s", code, e)
		}
	}
	kind, listed, ok := prevManifest(dir)
	want := append(slices.Clone(listed), manifestFile)
	slices.Sort(want)
	if got := listDir(t, dir); !ok || kind != "evaluate" || !slices.Equal(got, want) {
		t.Errorf("folder holds %v, manifest (%s) lists %v", got, kind, listed)
	}
	if m := string(readFile(t, filepath.Join(dir, manifestFile))); !strings.Contains(m, `"args": [`+"\n"+`    "countysim",`+"\n"+`    "evaluate",`) {
		t.Errorf("manifest args are not the invocation:\n%.400s", m)
	}
	if m := string(readFile(t, filepath.Join(dir, manifestFile))); !strings.Contains(m, `"bands": "run-to-run noise only, under the scenario's fixed parameters"`) {
		t.Errorf("the manifest of evaluate does not say what its bands hold:\n%.600s", m)
	}
	// With --posterior the bands line says they include parameter uncertainty.
	post := filepath.Join(t.TempDir(), "post.csv")
	if err := os.WriteFile(post, []byte("particle,run,weight,economy.tax_rate,distance\n0,3,1,0.047,0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pdir := filepath.Join(t.TempDir(), "post")
	if code, _, e := runCLI(t, "evaluate", scn, "--reps", "1", "--out", pdir, "-q", "--posterior", post); code != 0 {
		t.Fatalf("evaluate --posterior: exit %d: %s", code, e)
	}
	if m := string(readFile(t, filepath.Join(pdir, manifestFile))); !strings.Contains(m, `"bands": "parameter uncertainty (draws of `+post+`) and run-to-run noise combined"`) {
		t.Errorf("the manifest of evaluate --posterior does not say its bands include parameter uncertainty:\n%.600s", m)
	}
	noLeftovers(t, filepath.Dir(dir))
	// A failed evaluation (no county treated) leaves the earlier results as they were.
	before := readFile(t, filepath.Join(dir, results.EstimatesFile))
	if code, _, _ := runCLI(t, "evaluate", scn, "--reps", "1", "--out", dir, "-q", "--treatment-step", "3", "--months", "12"); code != 2 {
		t.Fatalf("an evaluation without treated counties: exit %d", code)
	}
	if !bytes.Equal(before, readFile(t, filepath.Join(dir, results.EstimatesFile))) {
		t.Error("a failed evaluation changed the earlier results")
	}
	noLeftovers(t, filepath.Dir(dir))
}

// TestEvaluateWarnsOfFewTreatedCounties: with few treated counties the cluster-robust tests
// over-reject; the terminal and the manifest say so and point to the wild cluster bootstraps'
// twfe_wcr, sa_att_wcr and pretrend_wcr rows (or say that --boot-draws 0 turned them off, and
// then there are none); the terminal gives the growth pre-trend test's rejections by the
// bootstrap beside the clustered test's, and the PRE-TREND warning says it reads the bootstrap
// (without it, the clustered test as before).
func TestEvaluateWarnsOfFewTreatedCounties(t *testing.T) {
	for _, c := range []struct {
		boot, want, pre, warn string
		rows                  bool
	}{
		{"999", "read the wild cluster bootstraps instead", "by the wild cluster bootstrap (pretrend_wcr), in ", "PRE-TREND: the wild cluster bootstrap of the joint pre-trend test (pretrend_wcr) rejects", true},
		{"0", "--boot-draws 0 turned off the wild cluster bootstraps", "pre-trend test on growth rejects at 10% in ", "PRE-TREND: the joint pre-trend test rejects", false},
	} {
		out := filepath.Join(t.TempDir(), "ev")
		code, stdout, e := runCLI(t, "evaluate", "pmc-three-step", "--set", "preset=teaching", "--months", "120", "--reps", "2", "--boot-draws", c.boot, "-q", "--out", out)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, e)
		}
		if !strings.Contains(stdout, "treated counties: cluster-robust tests over-reject") || !strings.Contains(stdout, c.want) {
			t.Errorf("--boot-draws %s: the terminal does not warn, or not with %q:\n%s", c.boot, c.want, stdout)
		}
		man := string(readFile(t, filepath.Join(out, "manifest.json")))
		if !strings.Contains(man, "treated counties: cluster-robust tests over-reject") || !strings.Contains(man, c.want) {
			t.Errorf("--boot-draws %s: the manifest does not warn, or not with %q:\n%s", c.boot, c.want, man)
		}
		if !strings.Contains(stdout, c.pre) || !strings.Contains(stdout, c.warn) || !strings.Contains(man, c.warn) {
			t.Errorf("--boot-draws %s: the terminal or the manifest does not give the pre-trend test as %q and %q:\n%s", c.boot, c.pre, c.warn, stdout)
		}
		est := string(readFile(t, filepath.Join(out, results.EstimatesFile)))
		for _, e := range []string{"twfe_wcr", "sa_att_wcr", "pretrend_wcr"} {
			if strings.Contains(est, ",growth,"+e+",,") != c.rows {
				t.Errorf("--boot-draws %s: %s rows in estimates.csv: %v, want %v", c.boot, e, !c.rows, c.rows)
			}
		}
		if c.rows {
			checkSkipsReported(t, out, stdout)
		}
	}
}

// checkSkipsReported holds an evaluation in out (its terminal output stdout) to its skipped
// outcomes: each that the manifest's notes say was not estimated in K of N replications is
// named in the terminal with N-K of N, and its summary.csv rows say they are over N-K of N
// replications only; the run must have at least one.
func checkSkipsReported(t *testing.T, out, stdout string) {
	t.Helper()
	var man struct{ Notes []string }
	if err := json.Unmarshal(readFile(t, filepath.Join(out, "manifest.json")), &man); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(readFile(t, filepath.Join(out, results.EvalSummaryFile)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	note, repsCol := slices.Index(recs[0], "note"), slices.Index(recs[0], "reps")
	re := regexp.MustCompile(`^(\S+): not estimated in (\d+) of (\d+) replications \(`)
	partial := 0
	for _, n := range man.Notes {
		m := re.FindStringSubmatch(n)
		if m == nil {
			continue
		}
		partial++
		k, _ := strconv.Atoi(m[2])
		reps, _ := strconv.Atoi(m[3])
		if want := fmt.Sprintf("%s: estimated in %d of %d runs only", m[1], reps-k, reps); !strings.Contains(stdout, want) {
			t.Errorf("the terminal does not say %q:\n%s", want, stdout)
		}
		rows := 0
		for _, r := range recs[1:] {
			if r[0] != m[1] {
				continue
			}
			rows++
			// Over the N-K replications that estimated it (or fewer: a test that could not be
			// computed in one of them), and marked.
			if n, _ := strconv.Atoi(r[repsCol]); n > reps-k || !strings.Contains(r[note], fmt.Sprintf("of %d replications", reps)) && !strings.Contains(r[note], fmt.Sprintf("of the %d replications", reps)) {
				t.Errorf("summary.csv row %v: reps %s, note %q; want at most %d and a note", r[:3], r[repsCol], r[note], reps-k)
			}
			if want := fmt.Sprintf("over %d of %d replications only", reps-k, reps); r[1] == "twfe" && !strings.HasPrefix(r[note], want) {
				t.Errorf("summary.csv row %v: note %q, want it to start %q", r[:3], r[note], want)
			}
		}
		if rows == 0 {
			t.Errorf("%s: no rows in summary.csv", m[1])
		}
	}
	if partial == 0 {
		t.Errorf("no outcome skipped in some replications only: the check checked nothing (notes %v)", man.Notes)
	}
	for _, r := range recs[1:] {
		if r[0] == "growth" && r[note] != "" {
			t.Errorf("growth, estimated in every replication, has a note: %v", r)
		}
	}
}

// TestSkipWhyInChinese: the reasons an outcome was not estimated are Chinese under --lang zh,
// the value of an outcome that does not vary kept; in English they are observe's own.
func TestSkipWhyInChinese(t *testing.T) {
	k := observe.SkipSummary{Outcome: "ln_x", Skipped: 3, Reps: 4,
		Reasons: []string{"it takes one value (0) in every county-year", observe.ReasonNonPositive}, Counts: []int{2, 1}}
	if got, want := skipWhy(results.Chinese, k), "每个县-年都取同一个值（0）（2次）；部分县-年的值为0或负数，无法取对数（1次）"; got != want {
		t.Errorf("Chinese: %q, want %q", got, want)
	}
	if got := skipWhy(results.English, k); got != k.Why() {
		t.Errorf("English: %q, want observe's %q", got, k.Why())
	}
	// An estimator's own reason, which has no translation, is quoted in a Chinese sentence.
	k = observe.SkipSummary{Outcome: "x", Skipped: 1, Reps: 1, Reasons: []string{"did: regressors are collinear with the fixed effects: regressor 0 has no variation left"}, Counts: []int{1}}
	if got, want := skipWhy(results.Chinese, k), `估计失败（估计程序的说明："did: regressors are collinear with the fixed effects: regressor 0 has no variation left"）`; got != want {
		t.Errorf("Chinese, the estimator's reason: %q, want %q", got, want)
	}
	if got := skipWhy(results.English, k); got != k.Reasons[0] {
		t.Errorf("English, the estimator's reason: %q", got)
	}
}

// TestFewTreatedNoteNamesTheBootstraps: the few-treated note says which tests to read: the
// three bootstraps; none reliable with 3 or fewer treated counties; the Sun-Abraham ones not with
// 2 or fewer in a cohort; nothing to read with --boot-draws 0; in Chinese alike.
func TestFewTreatedNoteNamesTheBootstraps(t *testing.T) {
	for _, c := range []struct {
		treated, cohort, boot int
		want, not             string
	}{
		{10, 5, 999, "twfe_wcr for twfe, sa_att_wcr for sa_att, pretrend_wcr for the pre-trend test", "but a cohort"},
		{10, 2, 999, "but a cohort has only 2 treated counties, and with 2 or fewer per cohort sa_att_wcr and pretrend_wcr over-reject too", "no remedy"},
		{3, 1, 999, "the wild cluster bootstraps (twfe_wcr, sa_att_wcr, pretrend_wcr) are no remedy with 3 or fewer treated counties", "but a cohort"},
		{10, 1, 0, "--boot-draws 0 turned off the wild cluster bootstraps (twfe_wcr, sa_att_wcr, pretrend_wcr)", "read the wild"},
	} {
		n := fewTreated(results.English, c.treated, c.cohort, c.boot)
		if !strings.HasPrefix(n, fmt.Sprintf("only %d treated counties", c.treated)) || !strings.Contains(n, c.want) || strings.Contains(n, c.not) {
			t.Errorf("%d treated, smallest cohort %d, %d draws: %q; want %q and not %q", c.treated, c.cohort, c.boot, n, c.want, c.not)
		}
		zh := fewTreated(results.Chinese, c.treated, c.cohort, c.boot)
		if strings.Contains(zh, "treated") || strings.Contains(zh, "bootstrap") || !strings.Contains(zh, fmt.Sprintf("处理县只有%d个", c.treated)) {
			t.Errorf("Chinese note with English left in it: %q", zh)
		}
	}
	// A run whose late cohort has 2 treated counties of 8 (smallestCohort).
	scn := filepath.Join(t.TempDir(), "small.yaml")
	small := strings.NewReplacer("share: 0.25, step1: 12", "share: 0.3, step1: 12", "share: 0.25, step1: 24", "share: 0.1, step1: 24").Replace(tinyReform)
	if err := os.WriteFile(scn, []byte(small), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, e := runCLI(t, "evaluate", scn, "--reps", "1", "-q", "--out", filepath.Join(t.TempDir(), "ev"))
	if code != 0 || !strings.Contains(stdout, "only 8 treated counties") || !strings.Contains(stdout, "but a cohort has only 2 treated counties") {
		t.Errorf("exit %d (%s); a cohort of 2 not said:\n%s", code, e, stdout)
	}
}
