package sensitivity

import (
	"math"
	"testing"

	"github.com/countysim/countysim/scenarios/design"
)

// y = 10 x1 + 2 x2 + 0 x3 + 2 x4 + x1 x2 with x4 in [0, 2]: per unit of
// range the effects are x1: 10 + x2 in [10, 11], x4: 4 (linear), x2:
// 2 + x1 in [2, 3], x3: 0.
func morrisTestFunc(x []float64) float64 {
	return 10*x[0] + 2*x[1] + 0*x[2] + 2*x[3] + x[0]*x[1]
}

func TestMorrisRanking(t *testing.T) {
	fs := []design.Factor{
		design.Continuous("x1", 0, 1),
		design.Continuous("x2", 0, 1),
		design.Continuous("x3", 0, 1),
		design.Continuous("x4", 0, 2),
	}
	d := design.Morris(fs, 30, 4, 9)
	idx, err := Morris(d, evaluate(d.Points, morrisTestFunc))
	if err != nil {
		t.Fatal(err)
	}
	for _, ix := range idx {
		t.Logf("%s mu %.4f mu* %.4f sigma %.4f", ix.Factor, ix.Mu, ix.MuStar, ix.Sigma)
	}
	const eps = 1e-9
	x1, x2, x3, x4 := idx[0], idx[1], idx[2], idx[3]
	if x3.MuStar > eps || math.Abs(x3.Mu) > eps || x3.Sigma > eps {
		t.Errorf("inert factor x3: %+v", x3)
	}
	if math.Abs(x4.Mu-4) > eps || math.Abs(x4.MuStar-4) > eps || x4.Sigma > eps {
		t.Errorf("linear factor x4: %+v, want mu = mu* = 4, sigma = 0", x4)
	}
	if x1.MuStar < 10 || x1.MuStar > 11 || x2.MuStar < 2 || x2.MuStar > 3 {
		t.Errorf("mu* out of analytic range: x1 %v (10..11), x2 %v (2..3)", x1.MuStar, x2.MuStar)
	}
	if !(x1.MuStar > x4.MuStar && x4.MuStar > x2.MuStar && x2.MuStar > x3.MuStar) {
		t.Errorf("mu* ranking wrong: %v %v %v %v", x1.MuStar, x2.MuStar, x3.MuStar, x4.MuStar)
	}
	if !(x1.Sigma > 0.05 && x2.Sigma > 0.05) {
		t.Errorf("interacting factors should have sigma > 0: %v %v", x1.Sigma, x2.Sigma)
	}
}

// A non-monotonic effect has mu near 0 but mu* clearly positive.
func TestMorrisNonMonotonic(t *testing.T) {
	fs := []design.Factor{design.Continuous("a", -1, 1), design.Continuous("b", -1, 1)}
	d := design.Morris(fs, 200, 4, 3)
	idx, err := Morris(d, evaluate(d.Points, func(x []float64) float64 { return x[0]*x[0] + x[1] }))
	if err != nil {
		t.Fatal(err)
	}
	a := idx[0]
	if math.Abs(a.Mu) > 0.2*a.MuStar || a.MuStar < 1 {
		t.Errorf("x^2 on [-1,1]: %+v", a)
	}
}

func TestMorrisErrors(t *testing.T) {
	d := design.Morris([]design.Factor{design.Continuous("a", 0, 1)}, 3, 4, 1)
	if _, err := Morris(d, make([]float64, 5)); err == nil {
		t.Error("short y accepted")
	}
	y := make([]float64, 6)
	y[2] = math.Inf(1)
	if _, err := Morris(d, y); err == nil {
		t.Error("Inf accepted")
	}
	one := design.Morris([]design.Factor{design.Continuous("a", 0, 1)}, 1, 4, 1)
	idx, err := Morris(one, []float64{0, 1})
	if err != nil || !math.IsNaN(idx[0].Sigma) {
		t.Errorf("R=1: %v %+v", err, idx)
	}
}
