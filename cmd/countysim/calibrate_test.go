package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	c := filepath.Join(tmp, "c")
	if code, _, e := runCLI(t, append([]string{"compare", "baseline", "pmc-three-step", "--out", c, "--posterior", one}, small...)...); code != 0 {
		t.Fatalf("compare --posterior: exit %d: %s", code, e)
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
