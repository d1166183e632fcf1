package sensitivity

import (
	"math"
	"testing"

	"github.com/countysim/countysim/scenarios/design"
)

func ishigami(x []float64) float64 {
	const a, b = 7, 0.1
	s := math.Sin(x[1])
	return math.Sin(x[0]) + a*s*s + b*math.Pow(x[2], 4)*math.Sin(x[0])
}

func ishigamiFactors() []design.Factor {
	return []design.Factor{
		design.Continuous("x1", -math.Pi, math.Pi),
		design.Continuous("x2", -math.Pi, math.Pi),
		design.Continuous("x3", -math.Pi, math.Pi),
	}
}

// Analytic Ishigami indices for a = 7, b = 0.1 (Sobol' & Levitan 1999).
var (
	ishigamiS1  = []float64{0.3139, 0.4424, 0.0}
	ishigamiST  = []float64{0.5576, 0.4424, 0.2437}
	ishigamiS13 = 0.2437
)

func evaluate(pts [][]float64, f func([]float64) float64) []float64 {
	y := make([]float64, len(pts))
	for i, p := range pts {
		y[i] = f(p)
	}
	return y
}

const (
	nBase = 1 << 13
	nBoot = 300
	tol   = 0.02
)

type check struct {
	name                 string
	got, lo, hi, want, t float64
}

// accuracy runs the checks and returns how many estimates are within
// tolerance and how many CIs cover the truth.
func accuracy(cs []check) (ok, covered int) {
	for _, c := range cs {
		if math.Abs(c.got-c.want) <= c.t {
			ok++
		}
		if c.lo <= c.want && c.want <= c.hi {
			covered++
		}
	}
	return
}

func sobolChecks(idx []SobolIndex, s1, st []float64, tolS1, tolST float64) []check {
	var cs []check
	for i, ix := range idx {
		cs = append(cs,
			check{ix.Factor + " S1", ix.S1, ix.S1Low, ix.S1High, s1[i], tolS1},
			check{ix.Factor + " ST", ix.ST, ix.STLow, ix.STHigh, st[i], tolST})
	}
	return cs
}

func TestSobolIshigami(t *testing.T) {
	pts, l := design.Saltelli(ishigamiFactors(), nBase, 42, false)
	y := evaluate(pts, ishigami)
	idx, err := Sobol(l, y, nBoot, 1, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	cs := sobolChecks(idx, ishigamiS1, ishigamiST, tol, tol)
	for _, c := range cs {
		t.Logf("%-6s est %.4f  CI [%.4f, %.4f]  true %.4f  err %+.4f", c.name, c.got, c.lo, c.hi, c.want, c.got-c.want)
		if math.Abs(c.got-c.want) > c.t {
			t.Errorf("%s = %.4f, want %.4f +- %.2f", c.name, c.got, c.want, c.t)
		}
		if !(c.lo <= c.got && c.got <= c.hi) || !(c.hi-c.lo < 0.2) {
			t.Errorf("%s: implausible CI [%.4f, %.4f] around %.4f", c.name, c.lo, c.hi, c.got)
		}
	}
	if _, covered := accuracy(cs); covered < len(cs)-1 {
		t.Errorf("only %d of %d bootstrap CIs contain the true index", covered, len(cs))
	}
	// Determinism of the bootstrap.
	again, _ := Sobol(l, y, nBoot, 1, 0.95)
	for i := range idx {
		if idx[i] != again[i] {
			t.Fatalf("not deterministic: %+v vs %+v", idx[i], again[i])
		}
	}
}

// A mis-wired analysis (A and B blocks swapped) must fail the same checks:
// the tolerances discriminate.
func TestSobolIshigamiNegativeControl(t *testing.T) {
	pts, l := design.Saltelli(ishigamiFactors(), nBase, 42, false)
	y := evaluate(pts, ishigami)
	swapped := append([]float64(nil), y...)
	copy(swapped[:l.N], y[l.N:2*l.N])
	copy(swapped[l.N:2*l.N], y[:l.N])
	idx, err := Sobol(l, swapped, 0, 1, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := accuracy(sobolChecks(idx, ishigamiS1, ishigamiST, tol, tol)); ok == 6 {
		t.Fatalf("swapped A/B still passes all checks: %+v", idx)
	}
}

func TestSobolSecondOrderIshigami(t *testing.T) {
	pts, l := design.Saltelli(ishigamiFactors(), nBase, 42, true)
	y := evaluate(pts, ishigami)
	first, err := Sobol(l, y, 0, 1, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	for i, ix := range first {
		if math.Abs(ix.S1-ishigamiS1[i]) > tol || math.Abs(ix.ST-ishigamiST[i]) > tol {
			t.Errorf("second-order layout: %+v", ix)
		}
	}
	pairs, err := SobolSecondOrder(l, y, 200, 1, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	want := map[[2]int]float64{{0, 1}: 0, {0, 2}: ishigamiS13, {1, 2}: 0}
	for _, p := range pairs {
		w := want[[2]int{p.I, p.J}]
		t.Logf("S2(%s,%s) est %.4f CI [%.4f, %.4f] true %.4f", p.FactorI, p.FactorJ, p.S2, p.S2Low, p.S2High, w)
		if math.Abs(p.S2-w) > 0.05 {
			t.Errorf("S2(%d,%d) = %.4f, want %.4f", p.I, p.J, p.S2, w)
		}
	}
	if len(pairs) != 3 {
		t.Fatalf("%d pairs", len(pairs))
	}
}

// Sobol' G function: y = prod_i (|4x_i - 2| + a_i) / (1 + a_i) on [0,1]^k.
func gFunc(a []float64) func([]float64) float64 {
	return func(x []float64) float64 {
		y := 1.0
		for i, ai := range a {
			y *= (math.Abs(4*x[i]-2) + ai) / (1 + ai)
		}
		return y
	}
}

// gTrue returns the analytic S1 and ST of the G function.
func gTrue(a []float64) (s1, st []float64) {
	vi := make([]float64, len(a))
	prod := 1.0
	for i, ai := range a {
		vi[i] = 1 / (3 * (1 + ai) * (1 + ai))
		prod *= 1 + vi[i]
	}
	v := prod - 1
	for i := range a {
		s1 = append(s1, vi[i]/v)
		st = append(st, vi[i]*prod/(1+vi[i])/v)
	}
	return
}

func TestSobolGFunction(t *testing.T) {
	a := []float64{0, 1, 4.5, 9, 99, 99, 99, 99}
	fs := make([]design.Factor, len(a))
	for i := range fs {
		fs[i] = design.Continuous("", 0, 1)
	}
	pts, l := design.Saltelli(fs, nBase, 7, false)
	idx, err := Sobol(l, evaluate(pts, gFunc(a)), nBoot, 3, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	s1, st := gTrue(a)
	cs := sobolChecks(idx, s1, st, tol, tol)
	for _, c := range cs {
		t.Logf("%-6s est %.4f  CI [%.4f, %.4f]  true %.4f  err %+.4f", c.name, c.got, c.lo, c.hi, c.want, c.got-c.want)
		if math.Abs(c.got-c.want) > c.t {
			t.Errorf("%s = %.4f, want %.4f +- %.2f", c.name, c.got, c.want, c.t)
		}
	}
	if _, covered := accuracy(cs); covered < len(cs)-2 {
		t.Errorf("only %d of %d bootstrap CIs contain the true index", covered, len(cs))
	}
	// Total effects are estimated precisely even when small: within 10%
	// relative error for every factor with ST > 1e-3.
	for i, ix := range idx {
		if st[i] > 1e-3 && math.Abs(ix.ST-st[i]) > 0.1*st[i] {
			t.Errorf("%s ST = %.5f, want %.5f within 10%%", ix.Factor, ix.ST, st[i])
		}
	}
	// Ranking of total effects follows a.
	for i := 1; i < 4; i++ {
		if !(idx[i-1].ST > idx[i].ST) {
			t.Errorf("ST not decreasing in a: %v then %v", idx[i-1].ST, idx[i].ST)
		}
	}
	if idx[0].Factor != "x1" {
		t.Errorf("default name %q", idx[0].Factor)
	}
}

func TestSobolErrors(t *testing.T) {
	_, l := design.Saltelli(ishigamiFactors(), 8, 1, false)
	good := make([]float64, l.Total())
	for i := range good {
		good[i] = float64(i % 7)
	}
	constant := make([]float64, l.Total())
	nan := append([]float64(nil), good...)
	nan[3] = math.NaN()
	for name, tc := range map[string]struct {
		y     []float64
		boot  int
		conf  float64
		order bool
	}{
		"short":    {good[1:], 10, 0.9, false},
		"nan":      {nan, 10, 0.9, false},
		"constant": {constant, 10, 0.9, false},
		"boot":     {good, -1, 0.9, false},
		"conf":     {good, 10, 1, false},
		"order":    {good, 10, 0.9, true},
	} {
		var err error
		if tc.order {
			_, err = SobolSecondOrder(l, tc.y, tc.boot, 1, tc.conf)
		} else {
			_, err = Sobol(l, tc.y, tc.boot, 1, tc.conf)
		}
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	idx, err := Sobol(l, good, 0, 1, 0.9)
	if err != nil || !math.IsNaN(idx[0].S1Low) {
		t.Errorf("nBoot=0: %v %+v", err, idx)
	}
}

// TestSobolShiftInvariant: adding a constant to the output changes no index (a model output
// such as growth has a mean many times its spread across a design), and on a linear model
// with a large mean the first-order indices are near their analytic values. The uncentred
// estimator moved S1 with c (at c = 1000 it gave -0.42, 7.77 and 2.00 here).
func TestSobolShiftInvariant(t *testing.T) {
	fs := []design.Factor{design.Continuous("x1", 0, 1), design.Continuous("x2", 0, 1), design.Continuous("x3", 0, 1)}
	pts, lay := design.Saltelli(fs, 256, 7, true)
	lin := func(c float64) []float64 {
		return evaluate(pts, func(x []float64) float64 { return c + x[0] + 2*x[1] + 3*x[2] })
	}
	// S1_i = a_i^2 / sum a^2 for independent uniform factors; no interactions.
	want := []float64{1.0 / 14, 4.0 / 14, 9.0 / 14}
	base, err := Sobol(lay, lin(0), 100, 1, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	pairs0, err := SobolSecondOrder(lay, lin(0), 100, 1, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []float64{30, 1000} {
		idx, err := Sobol(lay, lin(c), 100, 1, 0.9)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range idx {
			if math.Abs(s.S1-base[i].S1) > 1e-6 || math.Abs(s.ST-base[i].ST) > 1e-6 {
				t.Errorf("c = %g, %s: S1 %.6f ST %.6f, at c = 0 S1 %.6f ST %.6f", c, s.Factor, s.S1, s.ST, base[i].S1, base[i].ST)
			}
			if math.Abs(s.S1-want[i]) > 0.05 {
				t.Errorf("c = %g, %s: S1 = %.4f, analytic %.4f", c, s.Factor, s.S1, want[i])
			}
		}
		pairs, err := SobolSecondOrder(lay, lin(c), 100, 1, 0.9)
		if err != nil {
			t.Fatal(err)
		}
		for p, s := range pairs {
			if math.Abs(s.S2-pairs0[p].S2) > 1e-6 || math.Abs(s.S2) > 0.05 {
				t.Errorf("c = %g, S2(%s, %s) = %.6f (c = 0: %.6f; analytic 0)", c, s.FactorI, s.FactorJ, s.S2, pairs0[p].S2)
			}
		}
	}
}
