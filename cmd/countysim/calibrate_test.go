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
