package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/countysim/countysim/batch"
	"github.com/parquet-go/parquet-go"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = mainErr(args, &o, &e)
	return code, o.String(), e.String()
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const quick = "../../scenarios/experiments/quick.yaml"

func TestSweepSameFilesWhateverTheWorkerCount(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if code, _, e := runCLI(t, "sweep", quick, "--out", a, "-j", "1", "-q"); code != 0 {
		t.Fatalf("sweep -j 1: exit %d: %s", code, e)
	}
	if code, _, e := runCLI(t, "sweep", quick, "--out", b, "-j", "2", "-q"); code != 0 {
		t.Fatalf("sweep -j 2: exit %d: %s", code, e)
	}
	for _, f := range []string{"runs.csv", "rows.csv", "points.csv", "runs.parquet", "rows.parquet", "experiment.yaml"} {
		if !bytes.Equal(readFile(t, filepath.Join(a, f)), readFile(t, filepath.Join(b, f))) {
			t.Errorf("%s differs between -j 1 and -j 2", f)
		}
	}
	runs := string(readFile(t, filepath.Join(a, "runs.csv")))
	if n := strings.Count(runs, "\n"); n != 13 {
		t.Fatalf("quick has 12 runs; runs.csv has %d lines", n)
	}
	if strings.Contains(runs, ",failed,") {
		t.Fatalf("a quick run failed:\n%s", runs)
	}
	// A value that is not defined (the pilot group of a run without pilots) is an empty
	// cell, as in every other table, not NaN (which Stata does not read as missing).
	rows := string(readFile(t, filepath.Join(a, "rows.csv")))
	if strings.Contains(rows, "NaN") || !strings.Contains(rows, ",pilot,approval_days,,\n") {
		t.Fatalf("rows.csv: want empty cells for the pilot group of runs without pilots and no NaN:\n%.600s", rows)
	}
}

func TestSweepRefusesToOverwriteAndChecksResume(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := runCLI(t, "sweep", quick, "--out", dir, "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	code, _, e := runCLI(t, "sweep", quick, "--out", dir, "-q")
	if code != 2 || !strings.Contains(e, "already holds a finished sweep") || !strings.Contains(e, "--force") {
		t.Fatalf("a second sweep into the same folder should be refused with status 2, got %d: %s", code, e)
	}
	other := filepath.Join(t.TempDir(), "other.yaml")
	data := strings.Replace(string(readFile(t, quick)), "seed: 42", "seed: 43", 1)
	os.WriteFile(other, []byte(data), 0o644)
	code, _, e = runCLI(t, "sweep", other, "--out", dir, "--resume", "-q")
	if code != 2 || !strings.Contains(e, "holds a different experiment") {
		t.Fatalf("resuming with a different experiment should be refused, got %d: %s", code, e)
	}
}

func TestSweepBadExperimentNamesFileAndLine(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("scenario: baseline\nmetrics: [growth]\nfactors:\n  - {path: devolution.economic, min: 0, max: 1}\ndesign:\n  type: grdi\n"), 0o644)
	code, _, e := runCLI(t, "sweep", bad, "-q")
	if code != 2 || !strings.Contains(e, "bad.yaml:6:3: design.type: bad value \"grdi\" (allowed: grid, lhs, sobol, morris)") {
		t.Fatalf("want status 2 and a file:line message, got %d: %s", code, e)
	}
}

func TestSweepSobolWritesSensitivity(t *testing.T) {
	exp := filepath.Join(t.TempDir(), "s.yaml")
	os.WriteFile(exp, []byte(`name: s
scenario: baseline
set: {preset: teaching, months: 24}
factors:
  - {path: approval.item_cut, min: 0, max: 0.6}
  - {path: devolution.economic, min: 0, max: 1}
design: {type: sobol, samples: 8, second_order: true}
metrics: [approval_days, growth, counties_red]
groups: [province]
`), 0o644)
	dir := t.TempDir()
	code, out, e := runCLI(t, "sweep", exp, "--out", dir, "-q", "--lang", "zh")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	// A metric that takes one value in every run has no indices: the terminal says so in the
	// sweep's language, and the manifest (English) keeps the note.
	const en = "sensitivity of counties_red (province) skipped: it takes the same value in every run of the design"
	if man := string(readFile(t, filepath.Join(dir, "manifest.json"))); !strings.Contains(man, `"notes": [`) || !strings.Contains(man, en) {
		t.Errorf("the manifest lacks the note %q:\n%s", en, man)
	}
	if !strings.Contains(out, "敏感性") || strings.Contains(out, en) {
		t.Errorf("the terminal note is not in Chinese:\n%s", out)
	}
	sens := string(readFile(t, filepath.Join(dir, "sensitivity.csv")))
	if !strings.Contains(sens, "province,approval_days,sobol,approval.item_cut,S1,") || !strings.Contains(sens, ",ST,") {
		t.Fatalf("sensitivity.csv lacks Sobol indices:\n%s", sens)
	}
	// second_order pays for the pairs' indices: they are reported.
	if !strings.Contains(sens, "province,approval_days,sobol,approval.item_cut:devolution.economic,S2,") {
		t.Errorf("sensitivity.csv lacks the second-order index of the design's pair:\n%s", sens)
	}
	// How the intervals were made is in the manifest.
	if man := string(readFile(t, filepath.Join(dir, "manifest.json"))); !strings.Contains(man, "Sobol intervals: 90% percentile bootstrap over the 8 base samples (500 resamples)") {
		t.Errorf("the manifest does not say how the intervals were made:\n%s", man)
	}
	if _, err := os.Stat(filepath.Join(dir, "sensitivity-approval_days.png")); err != nil {
		t.Fatal("no sensitivity chart for approval_days")
	}
}

// TestSweepResumesAfterKill9 runs a sweep in a child process, kills it with SIGKILL once some
// runs are committed, resumes it here and checks the files against an uninterrupted sweep.
func TestSweepResumesAfterKill9(t *testing.T) {
	if args := os.Getenv("COUNTYSIM_CHILD_ARGS"); args != "" {
		os.Exit(mainErr(strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
	}
	exp := filepath.Join(t.TempDir(), "kill.yaml")
	data := strings.Replace(string(readFile(t, quick)), "replications: 2", "replications: 12", 1)
	os.WriteFile(exp, []byte(data), 0o644)
	ref := t.TempDir()
	if code, _, e := runCLI(t, "sweep", exp, "--out", ref, "-j", "2", "-q"); code != 0 {
		t.Fatalf("reference sweep: %d %s", code, e)
	}
	dir := filepath.Join(t.TempDir(), "killed")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSweepResumesAfterKill9$")
	cmd.Env = append(os.Environ(), "COUNTYSIM_CHILD_ARGS="+strings.Join([]string{"sweep", exp, "--out", dir, "-j", "2", "-q"}, "\x1f"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(filepath.Join(dir, "runs.csv"))
		if bytes.Count(b, []byte("\n")) > 20 {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	if st, _, _ := batch.StateOf(dir); st == batch.Finished || st == batch.NoBatch {
		t.Skip("the child finished before it was killed, or was killed before its first run")
	}
	code, out, e := runCLI(t, "sweep", exp, "--out", dir, "--resume", "-j", "2", "-q")
	if code != 0 {
		t.Fatalf("resume: %d %s", code, e)
	}
	if !strings.Contains(out, "skipped as already done") {
		t.Fatalf("resume did not report skipped runs: %s", out)
	}
	for _, f := range []string{"runs.csv", "rows.csv", "points.csv", "runs.parquet", "rows.parquet"} {
		if !bytes.Equal(readFile(t, filepath.Join(ref, f)), readFile(t, filepath.Join(dir, f))) {
			t.Errorf("%s after kill -9 and --resume differs from an uninterrupted sweep", f)
		}
	}
}

// TestSweepFactorNamesAndTypes checks that a factor's name names its columns in every table
// (runs, points, sensitivity, Parquet), and that numeric levels are numbers in Parquet, as a
// range's values are, not text.
func TestSweepFactorNamesAndTypes(t *testing.T) {
	exp := filepath.Join(t.TempDir(), "n.yaml")
	os.WriteFile(exp, []byte(`name: n
scenario: baseline
set: {preset: teaching, months: 24}
factors:
  - {path: devolution.economic, name: econ, min: 0, max: 1}
  - {path: approval.start, name: approval_start, levels: [0, 12]}
design: {type: morris, samples: 2, levels: 4}
metrics: [approval_days]
groups: [province]
`), 0o644)
	dir := t.TempDir()
	if code, _, e := runCLI(t, "sweep", exp, "--out", dir, "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	for f, want := range map[string]string{
		"runs.csv":        "run_id,point,replication,seed,econ,approval_start,status,error\n",
		"points.csv":      "point,econ,approval_start,group,metric,",
		"sensitivity.csv": "group,metric,method,factor,index,value,low_90,high_90\nprovince,approval_days,morris,econ,mu_star,",
	} {
		if got := string(readFile(t, filepath.Join(dir, f))); !strings.HasPrefix(got, want) {
			t.Errorf("%s starts %.120q, want %q", f, got, want)
		}
	}
	type rec struct {
		Econ  *float64 `parquet:"econ"`
		Start *float64 `parquet:"approval_start"`
	}
	rows, err := parquet.ReadFile[rec](filepath.Join(dir, "runs.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 || rows[0].Econ == nil || rows[0].Start == nil || (*rows[0].Start != 0 && *rows[0].Start != 12) {
		t.Fatalf("runs.parquet read back as %d rows, first %+v", len(rows), rows[0])
	}
}

// TestSweepRefusesAnotherBuild checks that a sweep started by another build of countysim (the
// same version string, another model or output format) is not continued or merged by this one.
func TestSweepRefusesAnotherBuild(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := runCLI(t, "sweep", quick, "--out", dir, "--shard", "0/2", "-q"); code != 0 {
		t.Fatalf("shard 0/2: exit %d: %s", code, e)
	}
	rec := filepath.Join(dir, "batch.json")
	b := readFile(t, rec)
	if !bytes.Contains(b, []byte(buildID())) {
		t.Fatalf("batch.json does not name the build %q:\n%s", buildID(), b)
	}
	os.WriteFile(rec, bytes.ReplaceAll(b, []byte(buildID()), []byte("commit 0123456789abcdef")), 0o644)
	code, _, e := runCLI(t, "sweep", quick, "--out", dir, "--shard", "0/2", "--resume", "-q")
	if code != 2 || !strings.Contains(e, "countysim_build") || !strings.Contains(e, `not "commit 0123456789abcdef"`) {
		t.Fatalf("resume of another build's shard: exit %d: %s; want 2 naming countysim_build", code, e)
	}
}

// TestSweepAfterAKillAtItsStart checks that a sweep killed before it committed a run (a journal
// still empty, with or without its record) is started again by --resume, --resume-if-present
// or a plain run, giving the files of an uninterrupted sweep, rather than refused as damaged.
func TestSweepAfterAKillAtItsStart(t *testing.T) {
	ref := t.TempDir()
	if code, _, e := runCLI(t, "sweep", quick, "--out", ref, "-q"); code != 0 {
		t.Fatalf("reference sweep: exit %d: %s", code, e)
	}
	rec := readFile(t, filepath.Join(ref, "batch.json"))
	for _, c := range []struct {
		name   string
		record bool
		flag   string
		bare   bool // killed before its journal: only experiment.yaml and base.yaml
	}{
		{"killed before its journal, --resume", false, "--resume", true},
		{"killed before its journal, --resume-if-present", false, "--resume-if-present", true},
		{"killed before its journal, plain run", false, "", true},
		{"killed before its record, --resume", false, "--resume", false},
		{"killed before its record, plain run", false, "", false},
		{"killed before its first entry, --resume", true, "--resume", false},
		{"killed before its first entry, --resume-if-present", true, "--resume-if-present", false},
		{"killed before its first entry, plain run", true, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range []string{"experiment.yaml", "base.yaml"} {
				os.WriteFile(filepath.Join(dir, f), readFile(t, filepath.Join(ref, f)), 0o644)
			}
			if !c.bare {
				os.WriteFile(filepath.Join(dir, ".journal"), nil, 0o644)
				os.Mkdir(filepath.Join(dir, "spool"), 0o755)
				os.WriteFile(filepath.Join(dir, ".batch.json.123.tmp"), []byte("{"), 0o644)
			}
			if c.record {
				os.WriteFile(filepath.Join(dir, "batch.json"), bytes.Replace(rec, []byte(`"complete": true`), []byte(`"complete": false`), 1), 0o644)
				os.WriteFile(filepath.Join(dir, "runs.csv"), []byte("run_id,point\n"), 0o644)
			}
			args := []string{"sweep", quick, "--out", dir, "-q"}
			if c.flag != "" {
				args = append(args, c.flag)
			}
			if code, _, e := runCLI(t, args...); code != 0 {
				t.Fatalf("exit %d: %s", code, e)
			}
			for _, f := range []string{"runs.csv", "rows.csv", "points.csv", "batch.json"} {
				if !bytes.Equal(readFile(t, filepath.Join(dir, f)), readFile(t, filepath.Join(ref, f))) {
					t.Errorf("%s differs from an uninterrupted sweep's", f)
				}
			}
		})
	}
	// Such a start of another experiment is not resumed: --resume says so.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "experiment.yaml"), bytes.Replace(readFile(t, quick), []byte("seed: 42"), []byte("seed: 43"), 1), 0o644)
	os.WriteFile(filepath.Join(dir, "base.yaml"), readFile(t, filepath.Join(ref, "base.yaml")), 0o644)
	if code, _, e := runCLI(t, "sweep", quick, "--out", dir, "-q", "--resume"); code != 2 || !strings.Contains(e, "holds the start of a different experiment than") {
		t.Errorf("--resume of another experiment's start: exit %d, %q; want 2, a different experiment", code, e)
	}
}

// TestSweepHoldsItsFolder checks that a second command on a sweep's folder while the first
// holds it is refused at once, whatever its flags, with exit status 75 (exitBusy): a busy
// folder is temporary, and a cluster retries it, where bad input (2) is not retried.
func TestSweepHoldsItsFolder(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lockFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	for _, flags := range [][]string{nil, {"--resume"}, {"--force"}, {"--resume-if-present"}} {
		code, _, e := runCLI(t, append([]string{"sweep", quick, "--out", dir, "-q"}, flags...)...)
		if code != exitBusy || !strings.Contains(e, "another countysim is writing this folder now") {
			t.Errorf("%v while another holds the folder: exit %d: %s", flags, code, e)
		}
	}
}

// TestSweepUnreadableRecord checks that a sweep folder whose batch.json cannot be read
// (damaged, or of an older format) is refused with advice, and replaced with --force.
func TestSweepUnreadableRecord(t *testing.T) {
	for _, rec := range []string{"{", `{"format": 1}`} {
		dir := t.TempDir()
		if code, _, e := runCLI(t, "sweep", quick, "--out", dir, "-q"); code != 0 {
			t.Fatalf("sweep: exit %d: %s", code, e)
		}
		os.WriteFile(filepath.Join(dir, "batch.json"), []byte(rec), 0o644)
		code, _, e := runCLI(t, "sweep", quick, "--out", dir, "-q", "--resume")
		if code != 2 || !strings.Contains(e, "add --force to replace the sweep it holds") {
			t.Errorf("batch.json %q, --resume: exit %d: %s", rec, code, e)
		}
		if code, _, e := runCLI(t, "sweep", quick, "--out", dir, "-q", "--force"); code != 0 {
			t.Errorf("batch.json %q, --force: exit %d: %s", rec, code, e)
		}
	}
}

// TestFinishedSweepKeepsItsFailedStatus checks that a finished folder some of whose runs
// failed gives exit status 1 again when the command is repeated (--resume-if-present, a
// cluster's retry; --resume), as the run that finished it did: a retried Kubernetes pod or a
// resubmitted Slurm task must not report such a shard as done.
func TestFinishedSweepKeepsItsFailedStatus(t *testing.T) {
	t.Cleanup(func() { failRun = nil })
	for _, shard := range []string{"0/3", ""} {
		dir := filepath.Join(t.TempDir(), "out")
		args := []string{"sweep", quick, "--out", dir, "-q"}
		if shard != "" {
			args = append(args, "--shard", shard)
		}
		failRun = func(id int) error {
			if id == 1 {
				return errors.New("a model error")
			}
			return nil
		}
		code, _, e := runCLI(t, append(args, "--resume-if-present")...)
		if code != 1 || !strings.Contains(e, "1 of ") {
			t.Fatalf("%v: the first run: exit %d, want 1: %s", args, code, e)
		}
		failRun = nil
		for _, again := range []string{"--resume-if-present", "--resume"} {
			code, out, e := runCLI(t, append(args, again)...)
			if code != 1 || !strings.Contains(out, "already complete") || !strings.Contains(e, "1 of ") {
				t.Errorf("%v %s on the finished folder: exit %d, want 1 as the run that finished it: %s%s", args, again, code, out, e)
			}
		}
	}
}

// TestPrintedCommandsWithARelativeBase: the commands countysim prints to finish a sweep
// (discover on an unfinished one) or to run a missing shard again (merge) name the folder's
// copy of the experiment, which names its base scenario as the original did: a relative file,
// not beside the copy. They work as printed: the copy is loaded with the base.yaml the sweep
// wrote beside it, and the resume and merge find the sums they recorded.
func TestPrintedCommandsWithARelativeBase(t *testing.T) {
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "myscen.yaml"), []byte("name: myscen\n"), 0o644)
	exp := filepath.Join(src, "q.yaml")
	os.WriteFile(exp, []byte(strings.Replace(string(readFile(t, quick)), "scenario: pmc-three-step", "scenario: myscen.yaml", 1)), 0o644)
	runPrinted := func(what, msg string, re *regexp.Regexp) {
		t.Helper()
		m := re.FindStringSubmatch(msg)
		if m == nil {
			t.Fatalf("%s printed no command matching %s:\n%s", what, re, msg)
		}
		if code, _, e := runCLI(t, append(strings.Fields(m[1]), "-q")...); code != 0 {
			t.Errorf("%s's command %q: exit %d: %s", what, m[1], code, e)
		}
	}
	// A sweep killed in its finishing step; discover says how to finish it.
	dir := filepath.Join(t.TempDir(), "o")
	afterSweepTables = func() error { return errors.New("killed") }
	code, _, e := runCLI(t, "sweep", exp, "--out", dir, "-q")
	afterSweepTables = nil
	if code == 0 {
		t.Fatalf("the sweep killed in its finishing step exited 0: %s", e)
	}
	_, _, e = runCLI(t, "discover", dir, "--where", "approval_days < 40")
	runPrinted("discover", e, regexp.MustCompile(`finish it with countysim (sweep \S+ --out \S+ --resume)`))
	if code, _, e := runCLI(t, "discover", dir, "--where", "approval_days < 40"); code != 0 {
		t.Errorf("discover after the printed command: exit %d: %s", code, e)
	}
	// A shard missing; merge says how to run it.
	m := t.TempDir()
	if code, _, e := runCLI(t, "sweep", exp, "--shard", "0/2", "--out", filepath.Join(m, "shard-0-of-2"), "-q"); code != 0 {
		t.Fatalf("shard 0: exit %d: %s", code, e)
	}
	shards := []string{filepath.Join(m, "shard-0-of-2"), filepath.Join(m, "shard-1-of-2")}
	_, _, e = runCLI(t, append([]string{"merge", "--out", filepath.Join(m, "merged")}, shards...)...)
	runPrinted("merge", e, regexp.MustCompile(`resubmit shard 1: countysim (sweep [^\n(]*\S)`))
	if code, _, e := runCLI(t, append([]string{"merge", "--out", filepath.Join(m, "merged")}, shards...)...); code != 0 {
		t.Errorf("merge after the printed command: exit %d: %s", code, e)
	}
}
