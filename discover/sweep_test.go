package discover

import (
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
	if res.Chosen != 0 || !strings.Contains(md, "Step 0 of the trajectory (the box of highest coverage with density at least 0.8)") ||
		!strings.Contains(md, "the base rate, 0.8") || !strings.Contains(md, "higher --density") || strings.Contains(md, "no region") {
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
