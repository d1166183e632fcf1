package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/results"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/serve"
)

// teaching writes a small scenario file (the teaching province, 12 months) named name.
func teaching(t *testing.T, name string) string {
	t.Helper()
	return writeExperiment(t, "s.yaml", "name: "+name+"\npreset: teaching\nmonths: 12\n")
}

func TestNamesCannotLeaveTheOutputFolder(t *testing.T) {
	root := t.TempDir()
	quickText := string(readFile(t, quick))
	t.Chdir(root)
	for _, name := range []string{`"../../victim"`, `"a/b"`, `"..\\evil"`, `"x\e[2J"`} {
		code, _, e := runCLI(t, "run", teaching(t, name), "--no-plots", "-q")
		if code != 2 || !strings.Contains(e, "name: bad value") || strings.ContainsRune(e, 0x1b) {
			t.Errorf("run with name %s: exit %d: %q", name, code, e)
		}
		exp := writeExperiment(t, "e.yaml", "name: "+name+"\n"+strings.SplitN(quickText, "\n", 4)[3])
		for _, args := range [][]string{{"sweep", exp, "-q"}, {"sweep", exp, "--emit", "slurm"}} {
			if code, _, e := runCLI(t, args...); code != 2 || !strings.Contains(e, "name: bad value") {
				t.Errorf("%v with name %s: exit %d: %s", args, name, code, e)
			}
		}
		if code, _, e := runCLI(t, "run", "baseline", "--set", "name="+strings.Trim(name, `"`), "-q"); code != 2 || !strings.Contains(e, "name: bad value") {
			t.Errorf("--set name=%s: exit %d: %s", name, code, e)
		}
	}
	if ents, _ := os.ReadDir(filepath.Dir(root)); slices.ContainsFunc(ents, func(e os.DirEntry) bool { return e.Name() == "victim" }) {
		t.Fatal("a run wrote outside its folder")
	}
}

func TestRunOwnsItsOutputFolder(t *testing.T) {
	s := teaching(t, "small")
	dir := filepath.Join(t.TempDir(), "out")
	// A folder with someone else's file is refused, naming --force; --force keeps the file.
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "thesis.tex"), []byte("mine"), 0o644)
	code, _, e := runCLI(t, "run", s, "--out", dir, "--no-plots", "-q")
	if code != 2 || !strings.Contains(e, "thesis.tex") || !strings.Contains(e, "--force") {
		t.Fatalf("exit %d: %s", code, e)
	}
	if code, _, e := runCLI(t, "run", s, "--out", dir, "--no-plots", "-q", "--force"); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, e)
	}
	if string(readFile(t, filepath.Join(dir, "thesis.tex"))) != "mine" {
		t.Fatal("--force removed a file countysim did not write")
	}
	// An ensemble, then a single run into the same folder: the ensemble's files go, and the
	// manifest lists exactly what the folder holds.
	dir = filepath.Join(t.TempDir(), "out")
	if code, _, e := runCLI(t, "run", s, "--out", dir, "--reps", "2", "-j", "2", "-q"); code != 0 {
		t.Fatalf("--reps: exit %d: %s", code, e)
	}
	if _, err := os.Stat(filepath.Join(dir, results.EnsembleFile)); err != nil {
		t.Fatal(err)
	}
	// A staging folder left by a killed countysim (a process that no longer runs) goes too.
	stale := filepath.Join(filepath.Dir(dir), ".out.partial-999999999-1")
	os.MkdirAll(stale, 0o755)
	os.WriteFile(filepath.Join(stale, ".series.csv.123.tmp"), make([]byte, 1000), 0o644)
	if code, _, e := runCLI(t, "run", s, "--out", dir, "--no-plots", "-q"); code != 0 {
		t.Fatalf("single run: exit %d: %s", code, e)
	}
	if _, err := os.Stat(filepath.Join(dir, results.EnsembleFile)); err == nil {
		t.Error("a single run left the previous ensemble.csv beside its files")
	}
	_, listed, ok := prevManifest(dir)
	got := listDir(t, dir)
	want := append(slices.Clone(listed), manifestFile)
	slices.Sort(want)
	if !ok || !slices.Equal(got, want) {
		t.Errorf("folder holds %v, manifest lists %v", got, listed)
	}
	noLeftovers(t, filepath.Dir(dir))
	// An interrupted run leaves the earlier results as they were and no temporary files.
	before := readFile(t, filepath.Join(dir, "summary.csv"))
	od := claim(t, dir, "run")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sc, _ := (&scenarioFlags{}).load(newFlagSet("run", "", io.Discard), s)
	if _, err := runOne(ctx, sc, nil, od.stage, results.Options{Panel: "yearly"}, true, io.Discard); err == nil {
		t.Fatal("a cancelled run succeeded")
	}
	od.discard()
	if string(readFile(t, filepath.Join(dir, "summary.csv"))) != string(before) {
		t.Error("an interrupted run changed the earlier results")
	}
	noLeftovers(t, filepath.Dir(dir))
}

// shortQuickSweep writes the quick experiment cut to 12 months and runs it uninterrupted, for
// the interrupted sweeps of the tests to be compared with; it returns the experiment file and
// the reference folder.
func shortQuickSweep(t *testing.T) (exp, ref string) {
	t.Helper()
	exp = writeExperiment(t, "q.yaml", strings.Replace(string(readFile(t, quick)), "months: 60", "months: 12", 1))
	ref = filepath.Join(t.TempDir(), "ref")
	if code, _, e := runCLI(t, "sweep", exp, "--out", ref, "-q"); code != 0 {
		t.Fatalf("reference: exit %d: %s", code, e)
	}
	return exp, ref
}

func TestSweepFinishingStepIsRestartable(t *testing.T) {
	exp, ref := shortQuickSweep(t)
	dir := filepath.Join(t.TempDir(), "killed")
	afterSweepTables = func() error { return errKilled }
	code, _, _ := runCLI(t, "sweep", exp, "--out", dir, "-q")
	afterSweepTables = nil
	if code != 1 {
		t.Fatalf("a sweep killed while finishing: exit %d", code)
	}
	if st, _, _ := batch.StateOf(dir); st != batch.Finishing {
		t.Fatalf("state %v, want Finishing", st)
	}
	if code, _, e := runCLI(t, "sweep", exp, "--out", dir, "-q"); code != 2 || !strings.Contains(e, "--resume") {
		t.Fatalf("rerun without --resume: exit %d: %s", code, e)
	}
	// A table damaged in the meantime is found before anything is finished from it.
	damaged := copyDir(t, dir, filepath.Join(t.TempDir(), "damaged"))
	os.Truncate(filepath.Join(damaged, batch.RowsFile), 100)
	if code, _, e := runCLI(t, "sweep", exp, "--out", damaged, "--resume", "-q"); code != 2 || !strings.Contains(e, "changed after it was written") {
		t.Fatalf("resume of a damaged folder: exit %d: %s", code, e)
	}
	code, out, e := runCLI(t, "sweep", exp, "--out", dir, "--resume", "-q")
	if code != 0 || !strings.Contains(out, "12 skipped as already done") {
		t.Fatalf("--resume: exit %d: %s%s", code, out, e)
	}
	for _, f := range []string{"runs.csv", "rows.csv", "points.csv", "runs.parquet", "rows.parquet", "batch.json"} {
		if string(readFile(t, filepath.Join(ref, f))) != string(readFile(t, filepath.Join(dir, f))) {
			t.Errorf("%s differs from an uninterrupted sweep's", f)
		}
	}
	code, out, e = runCLI(t, "sweep", exp, "--out", dir, "--resume", "-q")
	if code != 0 || !strings.Contains(out, "nothing to do") {
		t.Fatalf("--resume on a finished sweep: exit %d: %s%s", code, out, e)
	}
	if _, err := os.Stat(filepath.Join(dir, "spool")); err == nil {
		t.Error("a finished sweep has a spool folder")
	}
}

var errKilled = &exitError{code: 1, err: os.ErrDeadlineExceeded}

func TestSweepChecksTheResolvedBase(t *testing.T) {
	root := t.TempDir()
	base := filepath.Join(root, "base.yaml")
	os.WriteFile(base, []byte("name: mybase\npreset: teaching\nmonths: 12\n"), 0o644)
	exp := filepath.Join(root, "exp.yaml")
	os.WriteFile(exp, []byte("name: rel\nscenario: base.yaml\nfactors:\n  - {path: devolution.economic, min: 0, max: 1, steps: 2}\ndesign: {type: grid}\nmetrics: [growth]\n"), 0o644)
	d0, d1 := filepath.Join(root, "shard-0-of-2"), filepath.Join(root, "shard-1-of-2")
	if code, _, e := runCLI(t, "sweep", exp, "--shard", "0/2", "--out", d0, "-q"); code != 0 {
		t.Fatalf("shard 0: exit %d: %s", code, e)
	}
	if code, _, e := runCLI(t, "sweep", exp, "--shard", "1/2", "--out", d1, "-q"); code != 0 {
		t.Fatalf("shard 1: exit %d: %s", code, e)
	}
	// merge works with a relative base from another working folder (the base is recorded).
	t.Chdir(t.TempDir())
	if code, _, e := runCLI(t, "merge", d0, d1, "--out", "merged"); code != 0 {
		t.Fatalf("merge with a relative base: exit %d: %s", code, e)
	}
	// The base file changes: resuming, or merging with a shard run on the new base, is refused.
	os.WriteFile(base, []byte("name: mybase\npreset: teaching\nmonths: 24\n"), 0o644)
	if code, _, e := runCLI(t, "sweep", exp, "--shard", "0/2", "--out", d0, "--resume", "-q"); code != 2 || !strings.Contains(e, "base_sha256") {
		t.Fatalf("resume after the base changed: exit %d: %s", code, e)
	}
	os.RemoveAll(d1)
	if code, _, e := runCLI(t, "sweep", exp, "--shard", "1/2", "--out", d1, "-q"); code != 0 {
		t.Fatalf("shard 1 again: exit %d: %s", code, e)
	}
	if code, _, e := runCLI(t, "merge", d0, d1, "--out", "merged2"); code != 2 || !strings.Contains(e, "different bases") {
		t.Fatalf("merge of shards on two bases: exit %d: %s", code, e)
	}
	if _, err := os.Stat("merged2"); err == nil {
		t.Error("a refused merge left a folder")
	}
}

func TestSweepRefusesDesignsThatBreakRules(t *testing.T) {
	exp := writeExperiment(t, "x.yaml", `name: cross
scenario: pmc-three-step
set: {preset: teaching, months: 12, pmc.cohorts: "[{name: c, share: 0.4, step1: 6, step2: 18, step3: 30}]"}
factors:
  - {path: 'pmc.cohorts[0].step1', min: 6, max: 18, steps: 2}
  - {path: 'pmc.cohorts[0].step2', min: 6, max: 18, steps: 2}
design: {type: grid}
metrics: [growth]
`)
	dir := filepath.Join(t.TempDir(), "out")
	code, _, e := runCLI(t, "sweep", exp, "--out", dir, "-q")
	if code != 2 || !strings.Contains(e, "1 of 4 design points break the scenario rules") {
		t.Fatalf("exit %d: %s", code, e)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("a refused sweep created its folder")
	}
}

func TestLimitsAndExitCodes(t *testing.T) {
	t.Chdir(t.TempDir())
	s := teaching(t, "small")
	os.WriteFile("afile", nil, 0o644)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"run", s, "--reps", "9223372036854775807"}, 2, "--reps: bad value 9223372036854775807 (allowed: 1 to 10000)"},
		{[]string{"compare", s, "baseline", "--reps", "1000000000000"}, 2, "--reps: bad value"},
		{[]string{"run", s, "-j", "0"}, 2, "--jobs: bad value 0"},
		{[]string{"validate", "/dev/zero"}, 2, "larger than 1048576 bytes"},
		{[]string{"run", s, "--groups", "nosuch:*"}, 2, `--groups: "nosuch:*" matches no group`},
		{[]string{"run", s, "--out", "afile"}, 2, "--out afile is a file"},
		{[]string{"serve", "--addr", "nonsense"}, 2, "--addr: bad value"},
		{[]string{"run", writeExperiment(t, "e.yaml", "~\n")}, 2, "the file is empty"},
		{[]string{"help", "nosuch"}, 2, "unknown command"},
		{[]string{"compare", "baseline", "pmc-three-step", "--months", "600", "--reps", "10000"}, 2, "above the 8.0 GB cap"},
	} {
		code, _, e := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(e, tc.want) {
			t.Errorf("%v: exit %d, want %d with %q: %s", tc.args, code, tc.code, tc.want, e)
		}
	}
	// The projected output: a warning with the figure, a refusal above the cap unless --force.
	var w strings.Builder
	if err := checkOutputSize(25<<30, false, &w); err == nil || !strings.Contains(err.Error(), "about 25.0 GB, above the 20.0 GB cap") || !strings.Contains(err.Error(), "--force") {
		t.Errorf("25 GB: %v", err)
	}
	if err := checkOutputSize(25<<30, true, &w); err != nil || !strings.Contains(w.String(), "projected at about 25.0 GB") {
		t.Errorf("25 GB with --force: %v, %q", err, w.String())
	}
	national := loadScenario(t, "baseline", "preset=national", "months=600")
	if b := projectRunBytes(national, results.Options{Panel: "monthly"}); b < warnOutputBytes {
		t.Errorf("a national monthly run of 50 years is projected at only %s", humanBytes(b))
	}
	// More workers than cores: a warning, and the run goes on.
	code, _, e := runCLI(t, "run", s, "--reps", "2", "-j", "100000", "-q", "--out", "reps")
	if code != 0 || !strings.Contains(e, "--jobs 100000 is more than the") {
		t.Errorf("-j 100000: exit %d: %s", code, e)
	}
	// A panic is an internal error with status 1, never bad input.
	extraCommands = []command{{"boom", "", func([]string, io.Writer, io.Writer) error { panic("index out of range") }}}
	defer func() { extraCommands = nil }()
	code, _, e = runCLI(t, "boom")
	if code != 1 || !strings.Contains(e, "internal error") {
		t.Errorf("panic: exit %d: %s", code, e)
	}
}

func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"help", "run"}, {"run", "--help"}} {
		code, out, _ := runCLI(t, args...)
		if code != 0 || !strings.Contains(out, "Usage: countysim run") || !strings.Contains(out, "Runs one scenario") ||
			!strings.Contains(out, "Examples:") || !strings.Contains(out, "--reps") {
			t.Errorf("%v: exit %d:\n%s", args, code, out)
		}
	}
	code, out, _ := runCLI(t, "--version")
	if code != 0 || !strings.HasPrefix(out, "countysim "+version()) {
		t.Errorf("--version: exit %d: %s", code, out)
	}
	code, out, _ = runCLI(t, "help")
	if code != 0 || !strings.Contains(out, "countysim help COMMAND") {
		t.Errorf("help: exit %d: %s", code, out)
	}
}

func TestEscapesInMessages(t *testing.T) {
	f := writeExperiment(t, "esc.yaml", "\"pm\\e[2Jc\": 1\n")
	code, _, e := runCLI(t, "validate", f)
	if code != 2 || strings.ContainsRune(e, 0x1b) || !strings.Contains(e, `pm\x1b[2Jc`) {
		t.Errorf("exit %d: %q", code, e)
	}
}

func TestEmitWarnsUnderGoRun(t *testing.T) {
	// The test binary lives in go's temporary build folder, as a go run build does.
	var b strings.Builder
	warnGoRun(&emitOptions{}, &b)
	if exe, _ := os.Executable(); strings.Contains(exe, "go-build") && !strings.Contains(b.String(), "go install ./cmd/countysim") {
		t.Errorf("no warning for %s: %q", exe, b.String())
	}
	for exe, want := range map[string]bool{"/tmp/go-build2046/b001/exe/countysim": true, "/tmp/countysim": false, "/usr/local/bin/countysim": false} {
		if got := goRunBuild(exe); got != want {
			t.Errorf("goRunBuild(%q) = %v, want %v", exe, got, want)
		}
	}
	b.Reset()
	warnGoRun(&emitOptions{binary: "/usr/local/bin/countysim"}, &b)
	if b.Len() != 0 {
		t.Errorf("warned with --binary: %q", b.String())
	}
	// Kubernetes jobs run the image's countysim, whatever built this one.
	if exe, _ := os.Executable(); strings.Contains(exe, "go-build") {
		code, _, e := runCLI(t, "sweep", quick, "--emit", "k8s", "--shards", "2", "--out", filepath.Join(t.TempDir(), "k8s"))
		if code != 0 || strings.Contains(e, "go run's temporary build") {
			t.Errorf("sweep --emit k8s: exit %d, warned: %q", code, e)
		}
	}
}

func loadScenario(t *testing.T, arg string, sets ...string) *scenarios.Scenario {
	t.Helper()
	sf := scenarioFlags{sets: sets}
	s, err := sf.load(newFlagSet("run", "", io.Discard), arg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFailedRunsExitOne(t *testing.T) {
	if err := failedRuns(batch.Result{Done: 12, Total: 12}, "d"); err != nil {
		t.Fatalf("no failures: %v", err)
	}
	err := failedRuns(batch.Result{Done: 12, Failed: 3, Total: 12}, "d")
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 1 || !strings.Contains(err.Error(), "3 of 12 runs failed") || !strings.Contains(err.Error(), filepath.Join("d", "runs.csv")) {
		t.Fatalf("got %v", err)
	}
}

// TestSeedsAboveTwoToThe53SurviveInManifests: a seed that a double cannot hold is written
// as a string in manifest.json (run and run --reps), so R, Stata and JavaScript read it exactly.
func TestSeedsAboveTwoToThe53SurviveInManifests(t *testing.T) {
	s := teaching(t, "big-seed")
	for _, extra := range [][]string{nil, {"--reps", "2"}} {
		dir := filepath.Join(t.TempDir(), "out")
		args := append([]string{"run", s, "--seed", "18446744073709551615", "--out", dir, "--no-plots", "-q"}, extra...)
		if code, _, e := runCLI(t, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, code, e)
		}
		m := string(readFile(t, filepath.Join(dir, manifestFile)))
		if !strings.Contains(m, `seed": "18446744073709551615"`) {
			t.Errorf("%v: the seed is not a string in the manifest:\n%.600s", extra, m)
		}
	}
}

// TestEmptyOutIsRefused: an empty --out (an unset shell variable) is bad input, not the
// default folder.
func TestEmptyOutIsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--out", "", "--months", "12", "-q"},
		{"sweep", quick, "--out=", "-q"},
		{"evaluate", "--out", " ", "-q"},
	} {
		if code, _, e := runCLI(t, args...); code != 2 || !strings.Contains(e, "--out: empty") {
			t.Errorf("%v: exit %d, %s", args, code, e)
		}
	}
}

// TestSetErrorsNameTheirSet: a bad value a --set gave is reported with that --set, so that the
// user does not look for it in the scenario file.
func TestSetErrorsNameTheirSet(t *testing.T) {
	code, _, e := runCLI(t, "run", "baseline", "--set", "devolution.economic=2", "--months", "12", "-q", "--out", t.TempDir())
	if code != 2 || !strings.Contains(e, "--set devolution.economic=2: devolution.economic: bad value 2 (allowed: a number from 0 to 1)") {
		t.Errorf("exit %d: %s", code, e)
	}
}

// TestOptionsThatWouldBeIgnoredAreRefused: an option the command would not act on is bad input
// naming the option, not silently dropped.
func TestOptionsThatWouldBeIgnoredAreRefused(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--reps", "2", "--panel", "monthly", "--months", "12", "-q"}, "--panel is for a single run"},
		{[]string{"run", "--save-at", "0", "--months", "12", "-q"}, "--save-at: bad value 0 (allowed: a month from 1"},
		{[]string{"run", "--reps", "2", "--save-at", "3", "--months", "12", "-q"}, "--save-at runs one replication, not --reps 2"},
		{[]string{"sweep", quick, "--shards", "3", "-q"}, "--shards is for --emit"},
	} {
		if code, _, e := runCLI(t, append(c.args, "--out", t.TempDir())...); code != 2 || !strings.Contains(e, c.want) {
			t.Errorf("%v: exit %d, %s; want 2 and %q", c.args, code, e, c.want)
		}
	}
}

// TestStateOptionNeedsFrom: @state without --from says what it needs.
func TestStateOptionNeedsFrom(t *testing.T) {
	if code, _, e := runCLI(t, "compare", "@state", "baseline", "--reps", "2", "--out", t.TempDir()); code != 2 || !strings.Contains(e, "@state names the state of --from") {
		t.Errorf("exit %d: %s", code, e)
	}
}

// TestSweepCtrlCInItsFinishingStep checks that Ctrl-C in a sweep's finishing step stops it at
// the next file (exit 130, the resume command named) rather than being ignored, and that
// --resume then gives the files of an uninterrupted sweep.
func TestSweepCtrlCInItsFinishingStep(t *testing.T) {
	exp, ref := shortQuickSweep(t)
	dir := filepath.Join(t.TempDir(), "stopped")
	afterSweepTables = func() error {
		syscall.Kill(os.Getpid(), syscall.SIGINT)
		time.Sleep(200 * time.Millisecond) // the signal is delivered to the sweep's context
		return nil
	}
	code, _, e := runCLI(t, "sweep", exp, "--out", dir, "-q")
	afterSweepTables = nil
	if code != 130 || !strings.Contains(e, "stopped in the finishing step") || !strings.Contains(e, "--resume") {
		t.Fatalf("Ctrl-C while finishing: exit %d: %s", code, e)
	}
	if code, _, e := runCLI(t, "sweep", exp, "--out", dir, "--resume", "-q"); code != 0 {
		t.Fatalf("--resume: exit %d: %s", code, e)
	}
	for _, f := range []string{"runs.csv", "rows.csv", "points.csv", "runs.parquet", "rows.parquet"} {
		if string(readFile(t, filepath.Join(ref, f))) != string(readFile(t, filepath.Join(dir, f))) {
			t.Errorf("%s differs from an uninterrupted sweep's", f)
		}
	}
}

// TestMergeCtrlC checks that Ctrl-C during a merge stops it (exit 130) and leaves neither the
// merged folder nor its staging folder.
func TestMergeCtrlC(t *testing.T) {
	root := t.TempDir()
	shards := sweepShards(t, quick, filepath.Join(root, "quick"), 2)
	out := filepath.Join(root, "merged")
	afterSweepTables = func() error {
		syscall.Kill(os.Getpid(), syscall.SIGINT)
		time.Sleep(200 * time.Millisecond)
		return nil
	}
	code, _, e := runCLI(t, append([]string{"merge"}, append(shards, "--out", out)...)...)
	afterSweepTables = nil
	if code != 130 || !strings.Contains(e, "nothing was written") {
		t.Fatalf("Ctrl-C during merge: exit %d: %s", code, e)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the merged folder exists after Ctrl-C (%v)", err)
	}
	noLeftovers(t, root)
}

// TestReadOnlyOutIsRefusedFirst checks that a sweep or a merge into a folder it cannot write
// is refused before any work (exit 2, naming --out), not after it with a raw error.
func TestReadOnlyOutIsRefusedFirst(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only folders")
	}
	root := t.TempDir()
	shards := sweepShards(t, quick, filepath.Join(root, "sh"), 2)
	ro := filepath.Join(root, "sh")
	os.Chmod(ro, 0o555)
	defer os.Chmod(ro, 0o755)
	code, _, e := runCLI(t, append([]string{"merge"}, append(shards, "--out", ro)...)...)
	if code != 2 || !strings.Contains(e, "--out "+ro+": cannot write into it") {
		t.Errorf("merge into a read-only folder: exit %d: %s", code, e)
	}
	code, _, e = runCLI(t, "sweep", quick, "--out", ro, "-q")
	if code != 2 || !strings.Contains(e, "--out "+ro+": cannot write into it") {
		t.Errorf("sweep into a read-only folder: exit %d: %s", code, e)
	}
}

// TestCalibrateReadOnlyOutIsRefusedFirst is TestReadOnlyOutIsRefusedFirst for calibrate, into a
// read-only folder and into a folder it would have to create in one.
func TestCalibrateReadOnlyOutIsRefusedFirst(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only folders")
	}
	ro := t.TempDir()
	os.Chmod(ro, 0o555)
	defer os.Chmod(ro, 0o755)
	cal := filepath.Join("..", "..", "scenarios", "calibrations", "teaching-structure.yaml")
	for _, out := range []string{ro, filepath.Join(ro, "c")} {
		code, _, e := runCLI(t, "calibrate", cal, "--out", out, "-q")
		if code != 2 || !strings.Contains(e, "--out "+out+": cannot") {
			t.Errorf("calibrate --out %s: exit %d: %s", out, code, e)
		}
	}
}

// TestSweepResumeRestoresItsBaseCopy checks that --resume writes back the base scenario's copy
// an interrupted sweep lost, so that the finished folder holds the base it was run on.
func TestSweepResumeRestoresItsBaseCopy(t *testing.T) {
	exp, ref := shortQuickSweep(t)
	dir := filepath.Join(t.TempDir(), "killed")
	afterSweepTables = func() error { return errKilled }
	runCLI(t, "sweep", exp, "--out", dir, "-q")
	afterSweepTables = nil
	os.Remove(filepath.Join(dir, "base.yaml"))
	if code, _, e := runCLI(t, "sweep", exp, "--out", dir, "--resume", "-q"); code != 0 {
		t.Fatalf("--resume: exit %d: %s", code, e)
	}
	if string(readFile(t, filepath.Join(dir, "base.yaml"))) != string(readFile(t, filepath.Join(ref, "base.yaml"))) {
		t.Error("the resumed sweep's base.yaml is not the base it was run on")
	}
}

// TestMistypedFlagSuggestsOne: a mistyped long flag is refused (exit 2) naming the nearest
// flag of the command, as a mistyped key of a file is; a flag like none is refused as it is.
func TestMistypedFlagSuggestsOne(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--rep", "3"}, "unknown flag: --rep (did you mean --reps?)"},
		{[]string{"sweep", "x.yaml", "--resum"}, "unknown flag: --resum (did you mean --resume?)"},
		{[]string{"run", "--zzzzzz"}, "unknown flag: --zzzzzz\n"},
	} {
		code, _, e := runCLI(t, c.args...)
		if code != 2 || !strings.Contains(e, c.want) {
			t.Errorf("%v: exit %d, %q; want %q", c.args, code, e, c.want)
		}
	}
}

// TestServeOffLoopbackAnswersOnlyToItsNames: listening where other machines reach it, the
// page answers to this machine's addresses and names and those given with --allow-host, not
// to any Host (a web site resolving its own name to the machine, DNS rebinding, drove it).
func TestServeOffLoopbackAnswersOnlyToItsNames(t *testing.T) {
	hosts := reachableHosts(&net.TCPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 8080}, []string{" Teacher.LAN "})
	for _, want := range []string{"127.0.0.1", "localhost", "192.0.2.7", "teacher.lan"} {
		if !slices.Contains(hosts, want) {
			t.Errorf("hosts %v lack %s", hosts, want)
		}
	}
	if slices.Contains(hosts, "") || slices.Contains(hosts, "attacker.example") {
		t.Errorf("hosts %v", hosts)
	}
	s := serve.New(serve.Options{Hosts: hosts})
	defer s.Close()
	for host, want := range map[string]int{"attacker.example:8080": http.StatusMisdirectedRequest, "teacher.lan:8080": http.StatusOK, "192.0.2.7:8080": http.StatusOK} {
		req := httptest.NewRequest("GET", "/api/presets", nil)
		req.Host = host
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("Host %s: status %d, want %d", host, rec.Code, want)
		}
	}
}
