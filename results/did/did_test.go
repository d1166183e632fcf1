package did

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// dgp describes a synthetic panel y_it = a_i + l_t + effect(c_i, t-c_i) + u_it
// with AR(1) errors u_it = rho*u_i,t-1 + sigma*eps_it.
type dgp struct {
	units      int
	first, T   int     // periods first .. first+T-1
	cohorts    []int   // treatment cohorts (period values) assigned round-robin
	neverShare float64 // share of never-treated units
	effect     func(c, e int) float64
	rho, sigma float64
	dropShare  float64 // share of rows dropped at random (unbalanced panel)
	seed       uint64
}

// gen returns the panel and the true treatment effect of every row.
func (d dgp) gen() (Panel, []float64) {
	rng := rand.New(rand.NewPCG(d.seed, 0x5eed))
	var p Panel
	var tau []float64
	nNever := int(math.Round(d.neverShare * float64(d.units)))
	for i := range d.units {
		c := NeverTreated
		if i >= nNever {
			c = d.cohorts[(i-nNever)%len(d.cohorts)]
		}
		// Unit effect correlated with cohort (selection on levels).
		a := rng.NormFloat64() + 0.05*float64(c%100)
		u := rng.NormFloat64() * d.sigma / math.Sqrt(max(1-d.rho*d.rho, 1e-12))
		for t := d.first; t < d.first+d.T; t++ {
			if t > d.first {
				u = d.rho*u + d.sigma*rng.NormFloat64()
			}
			drop := d.dropShare > 0 && rng.Float64() < d.dropShare
			if drop {
				continue
			}
			lt := 0.3*float64(t-d.first) + math.Sin(float64(t))
			eff := 0.0
			if c != NeverTreated && t >= c && d.effect != nil {
				eff = d.effect(c, t-c)
			}
			p.Unit = append(p.Unit, 1000+7*i)
			p.Period = append(p.Period, t)
			p.Cohort = append(p.Cohort, c)
			p.Y = append(p.Y, a+lt+eff+u)
			tau = append(tau, eff)
		}
	}
	return p, tau
}

func constEffect(b float64) func(c, e int) float64 {
	return func(c, e int) float64 { return b }
}

func TestTWFERecoversConstantEffect(t *testing.T) {
	p, _ := dgp{units: 400, first: 2001, T: 12, cohorts: []int{2004, 2007, 2010},
		neverShare: 0.3, effect: constEffect(2), sigma: 1, seed: 1}.gen()
	est, err := TWFE(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("TWFE %+v", est)
	if !(est.SE > 0) || est.SE > 0.2 {
		t.Errorf("SE = %g, want positive and small", est.SE)
	}
	if d := math.Abs(est.Coef - 2); d > 3*est.SE || d > 0.15 {
		t.Errorf("coef = %g, want 2 within 3 SE (%g)", est.Coef, est.SE)
	}
	if !(est.CI90Low < est.Coef && est.Coef < est.CI90High) {
		t.Errorf("CI [%g,%g] does not bracket coef %g", est.CI90Low, est.CI90High, est.Coef)
	}
	if est.N != len(p.Y) || est.Clusters != 400 {
		t.Errorf("N=%d Clusters=%d, want %d 400", est.N, est.Clusters, len(p.Y))
	}
	// Constant effects: the IW event study and ATT also recover 2.
	ev, att, err := SunAbraham(p, -3, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 7 {
		t.Fatalf("%d event-time coefficients, want 7 (-3 to 3)", len(ev))
	}
	for _, c := range ev {
		want := 0.0
		if c.Rel >= 0 {
			want = 2
		}
		if c.Rel != -1 && !(c.SE > 0 && c.SE < 0.5) {
			t.Errorf("IW(%d): standard error %g, want a positive, small one", c.Rel, c.SE)
		}
		if math.Abs(c.Coef-want) > 4*c.SE+1e-12 {
			t.Errorf("IW(%d) = %g ± %g, want %g", c.Rel, c.Coef, c.SE, want)
		}
	}
	if math.Abs(att.Coef-2) > 4*att.SE || !(att.SE > 0) {
		t.Errorf("ATT = %g ± %g, want 2", att.Coef, att.SE)
	}
}

func TestTWFEZeroEffect(t *testing.T) {
	p, _ := dgp{units: 300, first: 1, T: 10, cohorts: []int{4, 6, 8},
		neverShare: 0.4, sigma: 1, seed: 2}.gen()
	est, err := TWFE(p)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(est.Coef) > 3*est.SE || math.Abs(est.Coef) > 0.15 {
		t.Errorf("coef = %g ± %g, want 0", est.Coef, est.SE)
	}
	att, err := ATT(p, -3, 3)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(att.Coef) > 3*att.SE || !(att.SE > 0 && att.SE < 0.3) {
		t.Errorf("ATT = %g ± %g, want 0 with a small standard error", att.Coef, att.SE)
	}
}

// TestTWFECoverage checks that the 90% CI covers the true effect in roughly
// 90% of replications.
func TestTWFECoverage(t *testing.T) {
	const reps = 200
	cover, coverSA := 0, 0
	for s := range reps {
		p, _ := dgp{units: 60, first: 1, T: 8, cohorts: []int{3, 5, 7}, neverShare: 0.3,
			effect: constEffect(1), sigma: 1, rho: 0.5, seed: uint64(100 + s)}.gen()
		est, err := TWFE(p)
		if err != nil {
			t.Fatal(err)
		}
		if est.CI90Low <= 1 && 1 <= est.CI90High {
			cover++
		}
		att, err := ATT(p, -2, 2)
		if err != nil {
			t.Fatal(err)
		}
		if att.CI90Low <= 1 && 1 <= att.CI90High {
			coverSA++
		}
	}
	for name, c := range map[string]int{"TWFE": cover, "SA ATT": coverSA} {
		rate := float64(c) / reps
		t.Logf("%s 90%% CI coverage %.3f", name, rate)
		if rate < 0.83 || rate > 0.97 {
			t.Errorf("%s coverage %.3f outside [0.83, 0.97]", name, rate)
		}
	}
}

// TestClusteredSE: with persistent treatment and AR(1) errors (rho = 0.8) the
// unit-clustered SE must exceed the naive i.i.d. SE clearly; with i.i.d.
// errors the two must be close.
func TestClusteredSE(t *testing.T) {
	base := dgp{units: 200, first: 1, T: 20, cohorts: []int{11}, neverShare: 0.5,
		effect: constEffect(1), sigma: 1, seed: 3}
	ar := base
	ar.rho = 0.8
	p, _ := ar.gen()
	est, err := TWFE(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("AR(1) 0.8: SE=%.4f naive=%.4f ratio=%.2f", est.SE, est.NaiveSE, est.SE/est.NaiveSE)
	if !(est.SE > 1.5*est.NaiveSE) {
		t.Errorf("clustered SE %g not clearly larger than naive SE %g under AR(1) errors", est.SE, est.NaiveSE)
	}
	p, _ = base.gen()
	est, err = TWFE(p)
	if err != nil {
		t.Fatal(err)
	}
	r := est.SE / est.NaiveSE
	t.Logf("iid: SE=%.4f naive=%.4f ratio=%.2f", est.SE, est.NaiveSE, r)
	if r < 0.75 || r > 1.3 {
		t.Errorf("iid errors: clustered/naive SE ratio %g, want about 1", r)
	}
}

// denseOLS fits y on [cell dummies, all unit dummies, period dummies except
// the first] with explicit dense matrices and returns the cell coefficients
// and their CR1 unit-clustered SEs, for cross-checking fitCells.
func denseOLS(t *testing.T, unit, period []int, y []float64, cell []int, k int) (coef, se []float64) {
	t.Helper()
	f := newFE(unit, period, nil)
	n := len(y)
	q := k + f.nU + f.nT - 1
	x := mat.NewDense(n, q, nil)
	for r := range n {
		if cell[r] >= 0 {
			x.Set(r, cell[r], 1)
		}
		x.Set(r, k+f.unit[r], 1)
		if f.period[r] > 0 {
			x.Set(r, k+f.nU+f.period[r]-1, 1)
		}
	}
	yv := mat.NewVecDense(n, y)
	var b mat.VecDense
	if err := b.SolveVec(x, yv); err != nil {
		t.Fatal(err)
	}
	var fitted, e mat.VecDense
	fitted.MulVec(x, &b)
	e.SubVec(yv, &fitted)
	var xtx, inv mat.Dense
	xtx.Mul(x.T(), x)
	if err := inv.Inverse(&xtx); err != nil {
		t.Fatal(err)
	}
	meat := mat.NewDense(q, q, nil)
	for g := range f.nU {
		s := mat.NewVecDense(q, nil)
		for r := range n {
			if f.unit[r] == g {
				s.AddScaledVec(s, e.AtVec(r), x.RowView(r))
			}
		}
		var o mat.Dense
		o.Outer(1, s, s)
		meat.Add(meat, &o)
	}
	var v, tmp mat.Dense
	tmp.Mul(&inv, meat)
	v.Mul(&tmp, &inv)
	cr1 := float64(f.nU) / float64(f.nU-1) * float64(n-1) / float64(n-(k+f.nT-1))
	for j := range k {
		coef = append(coef, b.AtVec(j))
		se = append(se, math.Sqrt(cr1*v.At(j, j)))
	}
	return coef, se
}

// TestFitCellsMatchesDenseOLS cross-checks the alternating-projections
// within estimator against an explicit dummy-variable regression on an
// unbalanced panel.
func TestFitCellsMatchesDenseOLS(t *testing.T) {
	p, _ := dgp{units: 30, first: 1, T: 8, cohorts: []int{3, 5}, neverShare: 0.3,
		effect: func(c, e int) float64 { return float64(c + e) }, sigma: 1, rho: 0.3,
		dropShare: 0.2, seed: 4}.gen()
	rng := rand.New(rand.NewPCG(9, 9))
	const k = 3
	cell := make([]int, len(p.Y))
	for r := range cell {
		cell[r] = rng.IntN(k+1) - 1
	}
	f := newFE(p.Unit, p.Period, nil)
	fit, err := fitCells(f, p.Y, cell, k)
	if err != nil {
		t.Fatal(err)
	}
	dc, dse := denseOLS(t, p.Unit, p.Period, p.Y, cell, k)
	for j := range k {
		if math.Abs(fit.coef[j]-dc[j]) > 1e-8 || math.Abs(fit.se(j)-dse[j]) > 1e-8 {
			t.Errorf("cell %d: within (%g, %g) vs dense (%g, %g)", j, fit.coef[j], fit.se(j), dc[j], dse[j])
		}
	}
	// TWFE is the K = 1 case.
	est, err := TWFE(p)
	if err != nil {
		t.Fatal(err)
	}
	d := make([]int, len(p.Y))
	for r := range d {
		d[r] = -1
		if p.Cohort[r] > 0 && p.Period[r] >= p.Cohort[r] {
			d[r] = 0
		}
	}
	dc, dse = denseOLS(t, p.Unit, p.Period, p.Y, d, 1)
	if math.Abs(est.Coef-dc[0]) > 1e-8 || math.Abs(est.SE-dse[0]) > 1e-8 {
		t.Errorf("TWFE (%g, %g) vs dense (%g, %g)", est.Coef, est.SE, dc[0], dse[0])
	}
}

// TestSunAbrahamClosedForm: in a balanced panel with never-treated controls,
// CATT(c,e) = [ybar(c,c+e) - ybar(c,c-1)] - [ybar(0,c+e) - ybar(0,c-1)] and
// IW(e) is the cohort-share weighted average of those.
func TestSunAbrahamClosedForm(t *testing.T) {
	p, _ := dgp{units: 50, first: 1, T: 10, cohorts: []int{4, 6, 8}, neverShare: 0.3,
		effect: func(c, e int) float64 { return float64(c) * float64(1+e) }, sigma: 1, seed: 5}.gen()
	mean := func(c, t int) (float64, int) {
		s, m := 0.0, 0
		for r := range p.Y {
			if p.Cohort[r] == c && p.Period[r] == t {
				s += p.Y[r]
				m++
			}
		}
		return s / float64(m), m
	}
	ev, err := EventStudy(p, -3, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range ev {
		want, tot := 0.0, 0
		for _, coh := range []int{4, 6, 8} {
			tt := coh + c.Rel
			if tt < 1 || tt > 10 {
				continue
			}
			a, m := mean(coh, tt)
			b, _ := mean(coh, coh-1)
			a0, _ := mean(0, tt)
			b0, _ := mean(0, coh-1)
			want += float64(m) * ((a - b) - (a0 - b0))
			tot += m
		}
		want /= float64(tot)
		if math.Abs(c.Coef-want) > 1e-8 || c.N != tot {
			t.Errorf("IW(%d) = %.10g (N=%d), closed form %.10g (N=%d)", c.Rel, c.Coef, c.N, want, tot)
		}
	}
}

// trueIW returns the cohort-weighted true effect at each relative period
// among treated rows accepted by keep, and the average over post rows.
func trueIW(p Panel, tau []float64, minRel, maxRel int, keep func(r int) bool) (map[int]float64, float64) {
	sum, cnt := map[int]float64{}, map[int]int{}
	post, npost := 0.0, 0
	for r := range p.Y {
		c := p.Cohort[r]
		if c == NeverTreated || !keep(r) {
			continue
		}
		e := p.Period[r] - c
		if e < minRel || e > maxRel {
			continue
		}
		sum[e] += tau[r]
		cnt[e]++
		if e >= 0 {
			post += tau[r]
			npost++
		}
	}
	out := map[int]float64{}
	for e, s := range sum {
		out[e] = s / float64(cnt[e])
	}
	return out, post / float64(npost)
}

// TestStaggeredHeterogeneous: cohorts with effects growing in event time and
// differing by cohort. Plain TWFE and the plain event study are biased; the
// Sun-Abraham estimator recovers the true cohort-weighted ATT(e) and shows
// no pre-trend.
func TestStaggeredHeterogeneous(t *testing.T) {
	factor := map[int]float64{2005: 3, 2009: 2, 2012: 1}
	p, tau := dgp{units: 600, first: 2001, T: 16, cohorts: []int{2005, 2009, 2012}, neverShare: 0.25,
		effect: func(c, e int) float64 { return factor[c] * float64(1+e) }, sigma: 1, rho: 0.5, seed: 6}.gen()
	const lo, hi = -4, 4
	truth, trueATT := trueIW(p, tau, lo, hi, func(int) bool { return true })

	ev, att, err := SunAbraham(p, lo, hi)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != hi-lo+1 {
		t.Fatalf("got %d event coefficients, want %d", len(ev), hi-lo+1)
	}
	for _, c := range ev {
		want := truth[c.Rel]
		t.Logf("SA e=%+d coef=%7.3f se=%.3f true=%7.3f N=%d", c.Rel, c.Coef, c.SE, want, c.N)
		if c.Rel == -1 {
			if c.Coef != 0 || c.SE != 0 {
				t.Errorf("reference period not normalised: %+v", c)
			}
			continue
		}
		if !(c.SE > 0) || math.Abs(c.Coef-want) > 4*c.SE || math.Abs(c.Coef-want) > 0.5 {
			t.Errorf("SA IW(%d) = %g ± %g, true %g", c.Rel, c.Coef, c.SE, want)
		}
		if !(c.CI90Low < c.Coef && c.Coef < c.CI90High) {
			t.Errorf("SA CI at %d does not bracket coefficient", c.Rel)
		}
	}
	t.Logf("SA ATT %.3f ± %.3f, true %.3f", att.Coef, att.SE, trueATT)
	if math.Abs(att.Coef-trueATT) > 4*att.SE {
		t.Errorf("SA ATT = %g ± %g, true %g", att.Coef, att.SE, trueATT)
	}

	// Plain TWFE event study: some coefficient is clearly off.
	plain, err := PlainEventStudy(p, lo, hi)
	if err != nil {
		t.Fatal(err)
	}
	worst, worstZ := 0.0, 0.0
	for _, c := range plain {
		d := math.Abs(c.Coef - truth[c.Rel])
		t.Logf("plain e=%+d coef=%7.3f se=%.3f true=%7.3f", c.Rel, c.Coef, c.SE, truth[c.Rel])
		if c.Rel != -1 && d > worst {
			worst, worstZ = d, d/c.SE
		}
	}
	if worst < 1 || worstZ < 5 {
		t.Errorf("plain event study not clearly biased: max |bias| %g (%g SE)", worst, worstZ)
	}

	// Static TWFE versus the true ATT over all treated observations.
	_, allATT := trueIW(p, tau, -100, 100, func(int) bool { return true })
	est, err := TWFE(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("TWFE %.3f ± %.3f, true overall ATT %.3f", est.Coef, est.SE, allATT)
	if d := math.Abs(est.Coef - allATT); d < 2 || d < 5*est.SE {
		t.Errorf("TWFE %g not clearly biased relative to true ATT %g", est.Coef, allATT)
	}
}

// TestSunAbrahamLastCohortControl: without never-treated units, the
// last-treated cohort is the control and periods from its adoption on are
// dropped.
func TestSunAbrahamLastCohortControl(t *testing.T) {
	factor := map[int]float64{2005: 3, 2008: 2, 2012: 1}
	p, tau := dgp{units: 600, first: 2001, T: 14, cohorts: []int{2005, 2008, 2012},
		effect: func(c, e int) float64 { return factor[c] * float64(1+e) }, sigma: 1, seed: 7}.gen()
	truth, _ := trueIW(p, tau, -3, 3, func(r int) bool { return p.Period[r] < 2012 && p.Cohort[r] != 2012 })
	ev, err := EventStudy(p, -3, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 7 {
		t.Fatalf("%d event-time coefficients, want 7 (-3 to 3)", len(ev))
	}
	for _, c := range ev {
		if c.Rel == -1 {
			continue
		}
		want, ok := truth[c.Rel]
		if !ok || !(c.SE > 0 && c.SE < 0.5) {
			t.Errorf("IW(%d): true effect known %v, standard error %g; want both", c.Rel, ok, c.SE)
		}
		if math.Abs(c.Coef-want) > 4*c.SE {
			t.Errorf("IW(%d) = %g ± %g, true %g", c.Rel, c.Coef, c.SE, want)
		}
	}
}

func TestErrors(t *testing.T) {
	good, _ := dgp{units: 20, first: 1, T: 6, cohorts: []int{3, 4}, neverShare: 0.5,
		effect: constEffect(1), sigma: 1, seed: 8}.gen()
	allSame := Panel{Unit: []int{1, 1, 2, 2}, Period: []int{1, 2, 1, 2}, Cohort: []int{2, 2, 2, 2}, Y: []float64{1, 2, 3, 4}}
	noTreat := Panel{Unit: []int{1, 1, 2, 2}, Period: []int{1, 2, 1, 2}, Cohort: []int{0, 0, 0, 0}, Y: []float64{1, 2, 3, 4}}
	bad := good
	bad.Y = good.Y[:len(good.Y)-1]
	dup := Panel{Unit: []int{1, 1, 2, 2}, Period: []int{1, 1, 1, 2}, Cohort: []int{0, 0, 2, 2}, Y: []float64{1, 2, 3, 4}}
	incons := Panel{Unit: []int{1, 1, 2, 2}, Period: []int{1, 2, 1, 2}, Cohort: []int{0, 2, 2, 2}, Y: []float64{1, 2, 3, 4}}
	nan := Panel{Unit: []int{1, 1, 2, 2}, Period: []int{1, 2, 1, 2}, Cohort: []int{0, 0, 2, 2}, Y: []float64{1, math.NaN(), 3, 4}}

	type fn func(Panel) error
	ests := map[string]fn{
		"TWFE":  func(p Panel) error { _, err := TWFE(p); return err },
		"SA":    func(p Panel) error { _, err := EventStudy(p, -2, 2); return err },
		"ATT":   func(p Panel) error { _, err := ATT(p, -2, 2); return err },
		"Plain": func(p Panel) error { _, err := PlainEventStudy(p, -2, 2); return err },
	}
	cases := []struct {
		name string
		p    Panel
		want error
	}{
		{"empty", Panel{}, ErrEmptyPanel},
		{"mismatch", bad, ErrLengthMismatch},
		{"no treated", noTreat, ErrNoTreated},
		{"no controls", allSame, ErrNoControls},
		{"duplicate", dup, ErrInvalidPanel},
		{"inconsistent cohort", incons, ErrInvalidPanel},
		{"nan", nan, ErrInvalidPanel},
	}
	for _, c := range cases {
		for name, f := range ests {
			err := f(c.p)
			if !errors.Is(err, c.want) {
				t.Errorf("%s/%s: err = %v, want %v", c.name, name, err, c.want)
			} else if err.Error() == "" {
				t.Errorf("%s/%s: empty message", c.name, name)
			}
		}
	}
	if _, err := EventStudy(good, 0, 2); !errors.Is(err, ErrBadWindow) {
		t.Errorf("window without e=-1: err = %v", err)
	}
	if _, err := PlainEventStudy(good, -3, -2); !errors.Is(err, ErrBadWindow) {
		t.Errorf("window without post period: err = %v", err)
	}
	t.Logf("example messages: %v | %v", TWFEErr(bad), TWFEErr(allSame))
}

func TWFEErr(p Panel) error { _, err := TWFE(p); return err }

func TestDeterminismAndRowOrder(t *testing.T) {
	factor := map[int]float64{4: 2, 7: 1}
	p, _ := dgp{units: 120, first: 1, T: 10, cohorts: []int{4, 7}, neverShare: 0.3,
		effect: func(c, e int) float64 { return factor[c] * float64(1+e) }, sigma: 1, rho: 0.5,
		dropShare: 0.1, seed: 10}.gen()
	run := func(p Panel) (Estimate, []EventCoef, Estimate, []EventCoef) {
		tw, err := TWFE(p)
		if err != nil {
			t.Fatal(err)
		}
		ev, att, err := SunAbraham(p, -3, 3)
		if err != nil {
			t.Fatal(err)
		}
		pl, err := PlainEventStudy(p, -3, 3)
		if err != nil {
			t.Fatal(err)
		}
		return tw, ev, att, pl
	}
	a1, b1, c1, d1 := run(p)
	a2, b2, c2, d2 := run(p)
	if !reflect.DeepEqual(a1, a2) || !reflect.DeepEqual(b1, b2) || !reflect.DeepEqual(c1, c2) || !reflect.DeepEqual(d1, d2) {
		t.Error("repeated calls differ")
	}
	// Shuffled rows: same estimates up to rounding.
	q := Panel{}
	for _, r := range rand.New(rand.NewPCG(11, 11)).Perm(len(p.Y)) {
		q.Unit = append(q.Unit, p.Unit[r])
		q.Period = append(q.Period, p.Period[r])
		q.Cohort = append(q.Cohort, p.Cohort[r])
		q.Y = append(q.Y, p.Y[r])
	}
	a3, b3, c3, _ := run(q)
	close := func(x, y float64) bool { return math.Abs(x-y) <= 1e-8*(1+math.Abs(x)) }
	if !close(a1.Coef, a3.Coef) || !close(a1.SE, a3.SE) || !close(c1.Coef, c3.Coef) || !close(c1.SE, c3.SE) {
		t.Errorf("row order changes estimates: %+v vs %+v; %+v vs %+v", a1, a3, c1, c3)
	}
	for i := range b1 {
		if b1[i].Rel != b3[i].Rel || !close(b1[i].Coef, b3[i].Coef) || !close(b1[i].SE, b3[i].SE) {
			t.Errorf("row order changes IW(%d)", b1[i].Rel)
		}
	}
}

func BenchmarkSunAbraham2000x30(b *testing.B) {
	p, _ := dgp{units: 2000, first: 1, T: 30, cohorts: []int{6, 9, 12, 15, 18, 21, 24, 27}, neverShare: 0.3,
		effect: func(c, e int) float64 { return float64(1 + e) }, sigma: 1, rho: 0.5, dropShare: 0.05, seed: 12}.gen()
	for b.Loop() {
		if _, _, err := SunAbraham(p, -5, 5); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTWFE2000x30(b *testing.B) {
	p, _ := dgp{units: 2000, first: 1, T: 30, cohorts: []int{6, 9, 12, 15, 18, 21, 24, 27}, neverShare: 0.3,
		effect: constEffect(1), sigma: 1, rho: 0.5, dropShare: 0.05, seed: 12}.gen()
	for b.Loop() {
		if _, err := TWFE(p); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPreTrendWald holds the joint pre-trend test to panels with and without a differential
// trend of the treated units: without one it rejects at 10% about as often as it should; with
// one (treated units drift apart before treatment) it rejects every time.
func TestPreTrendWald(t *testing.T) {
	rejects, trendRejects, runs := 0, 0, 40
	for s := range runs {
		d := dgp{units: 120, first: 2000, T: 12, cohorts: []int{2006, 2008}, neverShare: 0.4,
			effect: constEffect(1), rho: 0.3, sigma: 1, seed: uint64(100 + s)}
		p, _ := d.gen()
		r, err := SunAbrahamTest(p, -4, 3)
		if err != nil {
			t.Fatal(err)
		}
		if r.PreTrend.DF != 3 || !(r.PreTrend.P >= 0 && r.PreTrend.P <= 1) {
			t.Fatalf("seed %d: pre-trend test %+v, want 3 degrees of freedom (rel -4..-2) and a p-value", s, r.PreTrend)
		}
		if r.PreTrend.P < 0.1 {
			rejects++
		}
		for i := range p.Y { // treated units drift up by 0.5 a period
			if p.Cohort[i] != NeverTreated {
				p.Y[i] += 0.5 * float64(p.Period[i]-d.first)
			}
		}
		if r, _ = SunAbrahamTest(p, -4, 3); r.PreTrend.P < 0.01 {
			trendRejects++
		}
	}
	if share := float64(rejects) / float64(runs); share > 0.25 {
		t.Errorf("no pre-trend: rejected at 10%% in %.0f%% of panels", 100*share)
	}
	if trendRejects != runs {
		t.Errorf("differential trend: rejected at 1%% in %d of %d panels", trendRejects, runs)
	}
	// No pre-period in the window: nothing to test.
	d := dgp{units: 40, first: 2000, T: 8, cohorts: []int{2001}, neverShare: 0.5, effect: constEffect(1), sigma: 1, seed: 1}
	p, _ := d.gen()
	if r, err := SunAbrahamTest(p, -4, 3); err != nil || r.PreTrend.DF != 0 || !math.IsNaN(r.PreTrend.P) {
		t.Errorf("no pre-period: %+v, %v", r.PreTrend, err)
	}
}
