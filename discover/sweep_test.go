package discover

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sweepOf wraps a PRIM problem as a loaded sweep whose outcome m is 1 where Y holds, else 0,
// with the condition m > 0.5.
func sweepOf(d *Data) *Sweep {
	sw := &Sweep{Cond: Condition{Metric: "m", Op: ">", Value: 0.5, Text: "m > 0.5"}, Group: "province", Stat: "final", Data: d, Runs: d.N()}
	for _, y := range d.Y {
		v := 0.0
		if y {
			v = 1
		}
		sw.Outcome = append(sw.Outcome, v)
	}
	return sw
}

// report runs Discover and returns its report.md, in English or in w's language.
func report(t *testing.T, sw *Sweep, minDensity float64, box int, w Words) (*Result, string) {
	t.Helper()
	res, err := Discover(sw, Options{Alpha: 0.05, MinMass: 0.05}, minDensity, box)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := res.Write(dir, w); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	return res, string(md)
}

// TestReportSaysHowTheBoxWasChosen: a box given with --box is said to be, where the report
// claimed the rule of --density had chosen it; a base rate that already meets the threshold
// is said to, where the report claimed that no region concentrates the condition.
func TestReportSaysHowTheBoxWasChosen(t *testing.T) {
	// As the audit's /tmp/syn/hi, the condition holds where x1 < 0.85, but with 5% of the
	// labels flipped, so that every peel loses some runs with the condition and the whole
	// sweep, of density 0.8 or more, is the box of highest coverage.
	rng := rand.New(rand.NewPCG(5, 5))
	d := &Data{Dims: []Dim{{Name: "x1"}, {Name: "x2"}}}
	for range 400 {
		x1 := rng.Float64()
		d.Dims[0].Values = append(d.Dims[0].Values, x1)
		d.Dims[1].Values = append(d.Dims[1].Values, rng.Float64())
		d.Y = append(d.Y, (x1 < 0.85) != (rng.Float64() < 0.05))
	}
	sw := sweepOf(d)
	res, md := report(t, sw, 0.8, -1, Words{})
	if res.Chosen != 0 || !strings.Contains(md, "Step 0 of the trajectory (the box of highest coverage with density at least 0.8, the densest of those tied on coverage)") ||
		!strings.Contains(md, "the base rate, 0.8") || !strings.Contains(md, "higher --density") || strings.Contains(md, "no region") ||
		!strings.Contains(md, "Coverage, density and quasi-p are in-sample figures") {
		t.Errorf("base rate above the threshold, step %d chosen:\n%s", res.Chosen, md)
	}
	if len(res.Traj) < 3 || res.Traj[1].Stats.Density <= res.Traj[0].Stats.Density {
		t.Fatalf("the trajectory does not concentrate the condition: %+v", res.Traj)
	}
	for _, c := range []struct {
		box     int
		density float64
	}{{2, 0.8}, {2, 0.99}, {0, 0.99}} {
		res, md := report(t, sw, c.density, c.box, Words{})
		want := "(chosen by --box " + string(rune('0'+c.box)) + ")"
		if res.Chosen != c.box || !strings.Contains(md, want) || strings.Contains(md, "highest coverage") || strings.Contains(md, "densest") {
			t.Errorf("--box %d --density %g: want %q in\n%s", c.box, c.density, want, md)
		}
		if c.box == 0 && c.density > 0.85 && !strings.Contains(md, "step 0 is the whole sweep") {
			t.Errorf("--box 0 --density %g:\n%s", c.density, md)
		}
	}
	// A condition no peel concentrates (the trajectory stops at once) is still said so.
	d = &Data{Dims: []Dim{{Name: "x", Values: []float64{1, 2, 3, 4}}}, Y: []bool{true, false, false, true}}
	if res, md := report(t, sweepOf(d), 0.8, -1, Words{}); len(res.Traj) != 1 || !strings.Contains(md, "no box reached density 0.8") ||
		!strings.Contains(md, "no region of the factors concentrates the condition") {
		t.Errorf("no peel raises the density (%d steps):\n%s", len(res.Traj), md)
	}
}

// TestLoadSweepRatio: a ratio is IEEE division (h/0 is +-Inf and compares as such, 0/0 no
// value); a missing numerator or denominator is missing, never 0; the report counts the runs
// left out for each reason. The audit's /tmp/syn/ratio dropped the runs with e = 0 as
// "failed, or no value".
func TestLoadSweepRatio(t *testing.T) {
	dir := t.TempDir()
	// run: h, e ("-": no row), status
	runs := []struct{ h, e, status string }{
		{"1", "100", "ok"},  // 0.01: holds
		{"0", "100", "ok"},  // 0
		{"1", "0", "ok"},    // +Inf: holds
		{"-1", "0", "ok"},   // -Inf
		{"0", "0", "ok"},    // 0/0: undefined
		{"1", "-", "ok"},    // no denominator: no value (it was read as 0: +Inf)
		{"-", "100", "ok"},  // no numerator
		{"", "100", "ok"},   // empty numerator
		{"NaN", "5", "ok"},  // NaN numerator
		{"1", "1", "fail"},  // failed
		{"0.2", "10", "ok"}, // 0.02: holds
		{"0", "10", "ok"},   // 0
	}
	rs := "run_id,point,replication,seed,x,status,error\n"
	rows := "run_id,group,metric,final,horizon\n"
	for i, r := range runs {
		rs += fmt.Sprintf("%d,%d,0,1,%d,%s,\n", i, i, i, r.status)
		if r.status != "ok" {
			continue
		}
		for _, m := range []struct{ name, v string }{{"h", r.h}, {"e", r.e}} {
			if m.v != "-" {
				rows += fmt.Sprintf("%d,province,%s,%s,%s\n", i, m.name, m.v, m.v)
			}
		}
	}
	os.WriteFile(filepath.Join(dir, "runs.csv"), []byte(rs), 0o644)
	os.WriteFile(filepath.Join(dir, "rows.csv"), []byte(rows), 0o644)
	c, err := ParseCondition("h/e > 0.005")
	if err != nil {
		t.Fatal(err)
	}
	sw, err := LoadSweep(dir, c, "province", "final")
	if err != nil {
		t.Fatal(err)
	}
	var xs []float64
	var ys []bool
	for i, y := range sw.Data.Y {
		xs = append(xs, sw.Data.Dims[0].Values[i])
		ys = append(ys, y)
	}
	if fmt.Sprint(xs) != "[0 1 2 3 10 11]" || fmt.Sprint(ys) != "[true false true false true false]" || fmt.Sprint(sw.Outcome) != "[0.01 0 +Inf -Inf 0.02 0]" {
		t.Errorf("runs %v, condition %v, ratios %v; want runs [0 1 2 3 10 11], [true false true false true false], [0.01 0 +Inf -Inf 0.02 0]", xs, ys, sw.Outcome)
	}
	if sw.Runs != 12 || sw.Failed != 1 || sw.NoValue != 4 || sw.Undefined != 1 || sw.ZeroDenominator != 2 || sw.Skipped != 6 {
		t.Errorf("runs %d, failed %d, no value %d, undefined %d, zero denominator %d, skipped %d; want 12, 1, 4, 1, 2, 6",
			sw.Runs, sw.Failed, sw.NoValue, sw.Undefined, sw.ZeroDenominator, sw.Skipped)
	}
	res, err := Discover(sw, Options{Alpha: 0.1, MinMass: 0.1}, 0.8, -1)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := res.Write(out, Words{}); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(out, ReportFile))
	for _, want := range []string{"over 6 of the sweep's 12 runs", "Runs left out: 1 failed, 4 without a value of h or of e, 1 whose ratio is undefined (0/0).",
		"2 runs have e = 0 and a nonzero h: their ratio is infinite"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
}
