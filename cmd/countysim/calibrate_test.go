package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/countysim/countysim/calibrate"
	"github.com/countysim/countysim/scenarios"
)

// tinyCalibration writes the shipped example cut down to a few one-year runs.
func tinyCalibration(t *testing.T) string {
	t.Helper()
	s := string(readFile(t, "../../scenarios/calibrations/teaching-structure.yaml"))
	for old, repl := range map[string]string{"months: 24": "months: 12", "population: 200": "population: 5",
		"proposals: 400": "proposals: 10", "max_runs: 2000": "max_runs: 30"} {
		s = strings.Replace(s, old, repl, 1)
	}
	p := filepath.Join(t.TempDir(), "tiny.yaml")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCalibrateCommand(t *testing.T) {
	cal := tinyCalibration(t)
	dir := filepath.Join(t.TempDir(), "out")
	code, o, e := runCLI(t, "calibrate", cal, "--out", dir, "-j", "2", "-q")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	if !strings.Contains(o, "posterior of") {
		t.Errorf("stdout: %s", o)
	}
	for _, f := range []string{"posterior.csv", "posterior.parquet", "generations.csv", "report.md", "posterior-marginals.png", "posterior-pairs.png", "manifest.json", "calibration.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	checkProvenance(t, "calibrate/manifest.json", readFile(t, filepath.Join(dir, "manifest.json")))
	code, _, e = runCLI(t, "calibrate", cal, "--out", dir, "-q")
	if code != 2 || !strings.Contains(e, "already holds a calibration") {
		t.Errorf("second start: exit %d, %s", code, e)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("parameters: [{path: economy.tax_rate, min: 0.03, max: 0.08}]\ntargets: []\nabc: {population: 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, e = runCLI(t, "calibrate", bad, "--out", t.TempDir())
	if code != 2 || !strings.Contains(e, "bad.yaml:3:") || !strings.Contains(e, "abc.population: bad value 1") {
		t.Errorf("bad file: exit %d, %s", code, e)
	}
	code, _, e = runCLI(t, "calibrate", cal, "--out", t.TempDir(), "--resume")
	if code != 2 || !strings.Contains(e, "holds no calibration to resume") {
		t.Errorf("resume of nothing: exit %d, %s", code, e)
	}
	// A calibration starts only in a folder of its own: one holding other files is refused and
	// left as it was, unless --force.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine\n"), 0o644)
	code, _, e = runCLI(t, "calibrate", cal, "--out", other, "-q")
	if code != 2 || !strings.Contains(e, "notes.txt") || !strings.Contains(e, "--force") {
		t.Errorf("start in a folder holding another file: exit %d, %s", code, e)
	}
	if ents, _ := os.ReadDir(other); len(ents) != 1 {
		t.Errorf("the refused folder holds %d entries, want only notes.txt", len(ents))
	}
}

func TestPosteriorFlag(t *testing.T) {
	tmp := t.TempDir()
	one := filepath.Join(tmp, "one.csv")
	if err := os.WriteFile(one, []byte("particle,run,weight,economy.tax_rate,distance\n0,3,1,0.047,0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	small := []string{"--set", "preset=teaching", "--months", "12", "-q", "--reps", "2"}
	// A posterior of one particle is the same as setting its values: the draws go where --set goes.
	a, b := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	if code, _, e := runCLI(t, append([]string{"run", "baseline", "--out", a, "--posterior", one}, small...)...); code != 0 {
		t.Fatalf("run --posterior: exit %d: %s", code, e)
	}
	if code, _, e := runCLI(t, append([]string{"run", "baseline", "--out", b, "--set", "economy.tax_rate=0.047"}, small...)...); code != 0 {
		t.Fatalf("run --set: exit %d: %s", code, e)
	}
	if string(readFile(t, filepath.Join(a, "ensemble.csv"))) != string(readFile(t, filepath.Join(b, "ensemble.csv"))) {
		t.Error("a one-particle posterior and --set of its values gave different ensembles")
	}
	if !strings.Contains(string(readFile(t, filepath.Join(a, "manifest.json"))), "drawn from the posterior") {
		t.Error("the manifest does not say the parameters were drawn from the posterior")
	}
	if !strings.Contains(string(readFile(t, filepath.Join(a, "manifest.json"))), `"bands": "parameter uncertainty (draws of `) {
		t.Error("the manifest of run --reps --posterior does not say the bands include parameter uncertainty")
	}
	c := filepath.Join(tmp, "c")
	if code, _, e := runCLI(t, append([]string{"compare", "baseline", "pmc-three-step", "--out", c, "--posterior", one}, small...)...); code != 0 {
		t.Fatalf("compare --posterior: exit %d: %s", code, e)
	}
	// The record says how to get what an ensemble does not write: one replication's own run.
	if man := string(readFile(t, filepath.Join(a, "manifest.json"))); !strings.Contains(man, `"not_written": [`) || !strings.Contains(man, "run SCENARIO --seed SEED") {
		t.Error("the manifest of run --reps does not say how to get one replication's own outputs")
	}
	// The record names the posterior by its bytes and lists each replication's draw.
	sum := sha256.Sum256(readFile(t, one))
	for _, dir := range []string{a, c} {
		man := string(readFile(t, filepath.Join(dir, "manifest.json")))
		if !strings.Contains(man, "(sha256 "+hex.EncodeToString(sum[:])+")") || !strings.Contains(man, `"name": "draws.csv"`) {
			t.Errorf("%s: the manifest lacks the posterior's sha256 or draws.csv", dir)
		}
		draws := strings.Split(strings.TrimSpace(string(readFile(t, filepath.Join(dir, "draws.csv")))), "\n")
		if len(draws) != 3 || draws[0] != "replication,seed,draw,particle,parameter,value,kept_by" ||
			!strings.HasPrefix(draws[1], "0,") || !strings.HasSuffix(draws[1], ",0,0,economy.tax_rate,0.047,") || !strings.HasSuffix(draws[2], ",1,0,economy.tax_rate,0.047,") {
			t.Errorf("%s: draws.csv %q", dir, draws)
		}
	}
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "baseline", "--posterior", one, "--out", filepath.Join(tmp, "d")}, "--posterior needs --reps 2 or more"},
		{[]string{"run", "baseline", "--reps", "2", "--posterior", filepath.Join(tmp, "nosuch.csv")}, "nosuch.csv"},
		{[]string{"evaluate", "--validate", "--posterior", one}, "--posterior cannot be used with --validate"},
	} {
		code, _, e := runCLI(t, bad.args...)
		if code != 2 || !strings.Contains(e, bad.want) {
			t.Errorf("%v: exit %d, %s; want 2 and %q", bad.args, code, e, bad.want)
		}
	}
}

func TestCompareDefaultPosteriorAndNoPosterior(t *testing.T) {
	tmp := t.TempDir()
	small := []string{"baseline", "pmc-three-step", "--set", "preset=teaching", "--months", "36", "-q", "--reps", "4"}
	// --no-posterior: exactly what compare gives with fixed parameters (as before the default).
	plain := filepath.Join(tmp, "plain")
	if code, _, e := runCLI(t, append([]string{"compare", "--out", plain, "--no-posterior"}, small...)...); code != 0 {
		t.Fatalf("compare --no-posterior: exit %d: %s", code, e)
	}
	var ss []*scenarios.Scenario
	for _, name := range []string{"baseline", "pmc-three-step"} {
		s, err := scenarios.Resolve(name)
		if err != nil {
			t.Fatal(err)
		}
		s.Config.Months = 36
		if err := scenarios.Set(s, "preset=teaching"); err != nil {
			t.Fatal(err)
		}
		if err := scenarios.Validate(s); err != nil {
			t.Fatal(err)
		}
		ss = append(ss, s)
	}
	direct := filepath.Join(tmp, "direct")
	if err := compare(context.Background(), ss, claim(t, direct, "compare"), ss[0].Config.Seed, 4, 2, true, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"ensemble.csv", "differences.csv"} {
		if string(readFile(t, filepath.Join(plain, f))) != string(readFile(t, filepath.Join(direct, f))) {
			t.Errorf("%s of compare --no-posterior differs from a comparison without a posterior", f)
		}
	}
	if _, err := os.Stat(filepath.Join(plain, "ranking.csv")); !os.IsNotExist(err) {
		t.Errorf("compare --no-posterior wrote ranking.csv (%v)", err)
	}
	if md := string(readFile(t, filepath.Join(plain, "report.md"))); strings.Contains(md, "Parameter uncertainty") || !strings.Contains(md, "run-to-run variation only") {
		t.Error("the report of compare --no-posterior mentions parameter uncertainty or lacks the run-to-run caveat")
	}
	if m := string(readFile(t, filepath.Join(plain, "manifest.json"))); !strings.Contains(m, `"bands": "run-to-run noise only`) {
		t.Error("the manifest of compare --no-posterior does not say the bands hold run-to-run noise only")
	}
	// Default: the shipped posterior, split by draw with --draws.
	def := filepath.Join(tmp, "default")
	if code, _, e := runCLI(t, append([]string{"compare", "--out", def, "--draws", "2"}, small...)...); code != 0 {
		t.Fatalf("compare: exit %d: %s", code, e)
	}
	if string(readFile(t, filepath.Join(plain, "ensemble.csv"))) == string(readFile(t, filepath.Join(def, "ensemble.csv"))) {
		t.Error("compare with the default posterior gave the ensembles of fixed parameters")
	}
	m := string(readFile(t, filepath.Join(def, "manifest.json")))
	if !strings.Contains(m, calibrate.DefaultSource) || !strings.Contains(m, "replication r uses draw r/2") {
		t.Errorf("the manifest does not name the default posterior and its draws: %s", m)
	}
	if h := strings.SplitN(string(readFile(t, filepath.Join(def, "differences.csv"))), "\n", 2)[0]; !strings.HasSuffix(h, ",diff_var_parameters,diff_var_noise,parameter_share") {
		t.Errorf("differences.csv header %s", h)
	}
	if md := string(readFile(t, filepath.Join(def, "report.md"))); !strings.Contains(md, "## Parameter uncertainty") || !strings.Contains(md, "of the paired runs") {
		t.Error("the report with the default posterior lacks the parameter-uncertainty section")
	}
	if len(readFile(t, filepath.Join(def, "ranking.csv"))) == 0 {
		t.Error("empty ranking.csv")
	}
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"compare", "baseline", "pmc-three-step", "--no-posterior", "--posterior", "x.csv"}, "--no-posterior and --posterior x.csv contradict"},
		{[]string{"compare", "baseline", "pmc-three-step", "--reps", "6", "--draws", "4"}, "--draws: bad value 4"},
		{[]string{"compare", "baseline", "pmc-three-step", "--draws", "2", "--no-posterior"}, "--draws needs a posterior"},
	} {
		code, _, e := runCLI(t, bad.args...)
		if code != 2 || !strings.Contains(e, bad.want) {
			t.Errorf("%v: exit %d, %s; want 2 and %q", bad.args, code, e, bad.want)
		}
	}
}

func TestCompareWarnsWhenDefaultPosteriorParametersAreGone(t *testing.T) {
	old := defaultPosterior
	t.Cleanup(func() { defaultPosterior = old })
	defaultPosterior = func() (*calibrate.Posterior, error) {
		p, err := old()
		if err != nil {
			return nil, err
		}
		p.Missing = []string{"economy.retired_field"} // as a lenient load after a model change lists it
		return p, nil
	}
	out := filepath.Join(t.TempDir(), "c")
	code, _, e := runCLI(t, "compare", "baseline", "pmc-three-step", "--set", "preset=teaching", "--months", "12", "-q", "--reps", "2", "--out", out)
	if code != 0 || !strings.Contains(e, "warning: the default posterior (calibrated on model commit ") || !strings.Contains(e, "economy.retired_field") {
		t.Errorf("exit %d, stderr %q; want 0 and a warning naming the missing parameter", code, e)
	}
	defaultPosterior = func() (*calibrate.Posterior, error) {
		p, err := old()
		if err != nil {
			return nil, err
		}
		p.Missing, p.Names = append(p.Missing, p.Names...), nil
		return p, nil
	}
	code, _, e = runCLI(t, "compare", "baseline", "pmc-three-step", "--set", "preset=teaching", "--months", "12", "-q", "--reps", "2", "--out", out+"2")
	if code != 2 || !strings.Contains(e, "none of the default posterior's parameters") {
		t.Errorf("exit %d, stderr %q; want 2 and that no parameter is left", code, e)
	}
}

func TestCalibrateShardsAndMerge(t *testing.T) {
	cal := tinyCalibration(t)
	whole := filepath.Join(t.TempDir(), "whole")
	if code, _, e := runCLI(t, "calibrate", cal, "--out", whole, "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	dir := filepath.Join(t.TempDir(), "sharded")
	for cycle := 0; ; cycle++ {
		if cycle == 20 {
			t.Fatal("the sharded calibration did not finish in 20 rounds")
		}
		for _, sh := range []string{"0/2", "1/2"} {
			code, o, e := runCLI(t, "calibrate", cal, "--shard", sh, "--out", dir, "-q")
			if code != 0 || !strings.Contains(o, "shard "+sh+" of generation") || !strings.Contains(o, "--merge --out "+dir) {
				t.Fatalf("--shard %s: exit %d: %s%s", sh, code, o, e)
			}
		}
		code, o, e := runCLI(t, "calibrate", cal, "--merge", "--out", dir, "-q")
		if code != 0 || !strings.Contains(o, "merged the 2 shards of generation") {
			t.Fatalf("--merge: exit %d: %s%s", code, o, e)
		}
		if strings.Contains(o, "posterior of") {
			break
		}
		if !strings.Contains(o, "next: generation") {
			t.Fatalf("--merge names no next round: %s", o)
		}
	}
	if string(readFile(t, filepath.Join(whole, "posterior.csv"))) != string(readFile(t, filepath.Join(dir, "posterior.csv"))) {
		t.Error("posterior.csv of the sharded calibration differs from the unsharded one's")
	}
	if code, o, _ := runCLI(t, "calibrate", cal, "--shard", "0/2", "--out", dir, "-q"); code != 0 || !strings.Contains(o, "no round is left to run") {
		t.Errorf("a shard of a complete calibration: exit %d: %s", code, o)
	}
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"--shard", "2/2"}, "--shard: bad value \"2/2\" (allowed: I/N with 0 <= I < N, e.g. 0/4)"},
		{[]string{"--shard", "x"}, "--shard: bad value \"x\""},
		{[]string{"--shard", "-1/2"}, "--shard: bad value \"-1/2\""},
		{[]string{"--shard", "0/11"}, "11 shards for the 10 runs of generation 0 round 0 (allowed: at most one shard per run"},
		{[]string{"--shard", "0/2", "--merge"}, "--shard 0/2 and --merge contradict"},
		{[]string{"--shard", "0/2", "--resume"}, "--resume is not needed with --shard or --merge"},
		{[]string{"--merge"}, "holds no calibration"},
	} {
		code, _, e := runCLI(t, append([]string{"calibrate", cal, "--out", filepath.Join(t.TempDir(), "x"), "-q"}, bad.args...)...)
		if code != 2 || !strings.Contains(e, bad.want) {
			t.Errorf("%v: exit %d, %s; want 2 and %q", bad.args, code, e, bad.want)
		}
	}
	// A shard of another calibration file is refused on merge.
	other := filepath.Join(t.TempDir(), "other.yaml")
	if err := os.WriteFile(other, []byte(strings.Replace(string(readFile(t, cal)), "seed: 2026", "seed: 5", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	if code, _, e := runCLI(t, "calibrate", cal, "--shard", "0/2", "--out", a, "-q"); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := runCLI(t, "calibrate", other, "--shard", "1/2", "--out", b, "-q"); code != 0 {
		t.Fatal(e)
	}
	if err := os.Rename(filepath.Join(b, "gen-00-round-00", "shard-1-of-2"), filepath.Join(a, "gen-00-round-00", "shard-1-of-2")); err != nil {
		t.Fatal(err)
	}
	code, _, e := runCLI(t, "calibrate", cal, "--merge", "--out", a, "-q")
	if code != 2 || !strings.Contains(e, "shard-1-of-2: a shard of another calibration") {
		t.Errorf("merge with a shard of another calibration: exit %d, %s", code, e)
	}
	code, _, e = runCLI(t, "merge", filepath.Join(a, "gen-00-round-00", "shard-0-of-2"), filepath.Join(a, "gen-00-round-00", "shard-1-of-2"), "--out", filepath.Join(t.TempDir(), "m"))
	if code != 2 || !strings.Contains(e, "a shard of a calibration round, not of a sweep; merge a round's shards with: countysim calibrate FILE --merge --out "+a) {
		t.Errorf("countysim merge of calibration shards: exit %d, %s", code, e)
	}
	code, _, e = runCLI(t, "calibrate", other, "--merge", "--out", a, "-q")
	if code != 2 || !strings.Contains(e, "holds a different calibration than "+other) {
		t.Errorf("merge with another calibration file: exit %d, %s", code, e)
	}
}

// TestCalibrateRefusesEndlessFilesAndFileFolders: a calibration file is read as scenario files
// are (at most 1 MiB: an endless device is refused, not read until memory runs out), and an
// --out that is a file, or under one, is bad input.
func TestCalibrateRefusesEndlessFilesAndFileFolders(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(big, bytes.Repeat([]byte("# padding\n"), 110_000), 0o644); err != nil {
		t.Fatal(err)
	}
	afile := filepath.Join(t.TempDir(), "afile")
	os.WriteFile(afile, nil, 0o644)
	cal := filepath.Join("..", "..", "scenarios", "calibrations", "teaching-structure.yaml")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{big, "--out", t.TempDir()}, "larger than 1048576 bytes"},
		{[]string{cal, "--out", afile}, "--out " + afile + " is a file, not a folder"},
		{[]string{cal, "--out", filepath.Join(afile, "sub"), "--shard", "0/2"}, ": " + afile + " is a file, not a folder"},
	} {
		code, _, e := runCLI(t, append([]string{"calibrate"}, tc.args...)...)
		if code != 2 || !strings.Contains(e, tc.want) {
			t.Errorf("calibrate %v: exit %d, %q; want exit 2 and %q", tc.args, code, e, tc.want)
		}
	}
}

// TestCompareSaysWhatAScenarioKeeps: compare with the default posterior says, on the terminal
// and in the manifest's bands line, which parameters a scenario or --set fixes itself (they
// keep their value; calibrate's TestPosteriorKeepsWhatAScenarioSets checks the runs' configs).
func TestCompareSaysWhatAScenarioKeeps(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cmp")
	code, _, e := runCLI(t, "compare", "baseline", "eval-placebo-fiscal", "--set", "preset=teaching", "--set", "economy.tax_rate=0.07", "--months", "24", "-q", "--reps", "2", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, e)
	}
	for _, want := range []string{
		"note: baseline sets economy.tax_rate itself and keeps its value",
		"note: eval-placebo-fiscal sets economy.tax_rate, prefecture.keep_share itself and keeps its value",
	} {
		if !strings.Contains(e, want) {
			t.Errorf("the terminal lacks %q:\n%s", want, e)
		}
	}
	if man := string(readFile(t, filepath.Join(out, "manifest.json"))); !strings.Contains(man, "eval-placebo-fiscal keeps its own economy.tax_rate, prefecture.keep_share (not drawn)") {
		t.Errorf("the manifest's bands line does not say what the placebo keeps:\n%s", man)
	}
	draws := string(readFile(t, filepath.Join(out, "draws.csv")))
	if !strings.Contains(draws, ",economy.tax_rate,") || !strings.Contains(draws, ",baseline eval-placebo-fiscal\n") || !strings.Contains(draws, ",eval-placebo-fiscal\n") {
		t.Errorf("draws.csv does not say who keeps what (kept_by):\n%s", draws)
	}
}

// TestCalibrateRestartsAnUnfinishedStart: a calibration killed in its first moments left an
// empty calibration.yaml (an older countysim wrote it in place), which a plain start, --force
// and --resume used to refuse as "already holds a calibration" or "a different calibration",
// so the folder could not be used again. Such a copy with no round beside it holds nothing:
// each of them starts the calibration. With a round beside it the folder is not taken as new.
func TestCalibrateRestartsAnUnfinishedStart(t *testing.T) {
	cal := tinyCalibration(t)
	for _, extra := range [][]string{nil, {"--force"}, {"--resume"}} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "calibration.yaml"), nil, 0o644)
		code, _, e := runCLI(t, append([]string{"calibrate", cal, "--out", dir, "-j", "2", "-q"}, extra...)...)
		if code != 0 {
			t.Errorf("%v after an empty calibration.yaml: exit %d: %s", extra, code, e)
			continue
		}
		if !bytes.Equal(readFile(t, filepath.Join(dir, "calibration.yaml")), readFile(t, cal)) {
			t.Errorf("%v: calibration.yaml is not the calibration's copy", extra)
		}
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "calibration.yaml"), nil, 0o644)
	os.Mkdir(filepath.Join(dir, "gen-00-round-00"), 0o755)
	if code, _, e := runCLI(t, "calibrate", cal, "--out", dir, "-q"); code != 2 || !strings.Contains(e, "already holds a calibration") {
		t.Errorf("an empty copy beside a round: exit %d, %s; want 2, already holds a calibration", code, e)
	}
}
