package did

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// rlsResiduals returns the residuals of least squares of y on unit and period dummies and k
// cell dummies (cell[r] = -1: none), subject to restrictions sum_j rest[e][j] beta_j = r[e],
// built from explicit dense columns and independent of the bootstrap's algebra: each
// restriction (on cells of its own, disjoint from the others') eliminates its first cell j0,
// beta_j0 = (r_e - sum_{j != j0} rest_ej beta_j) / rest_ej0, so that y - r_e/rest_ej0 X_j0 is
// regressed on the other cells' X_j - rest_ej/rest_ej0 X_j0 and the fixed effects.
func rlsResiduals(t *testing.T, unit, period, cell []int, k int, y []float64, rest [][]float64, r []float64) []float64 {
	t.Helper()
	f := newFE(unit, period, nil)
	n := len(y)
	pivot := map[int]int{} // restriction of each eliminated cell
	owner := map[int]int{} // restriction of each restricted cell
	for e, w := range rest {
		first := -1
		for j, x := range w {
			if x != 0 {
				owner[j] = e
				if first < 0 {
					first = j
				}
			}
		}
		pivot[first] = e
	}
	var keep []int
	for j := range k {
		if _, ok := pivot[j]; !ok {
			keep = append(keep, j)
		}
	}
	j0 := make([]int, len(rest))
	for j, e := range pivot {
		j0[e] = j
	}
	q := f.nU + f.nT - 1 + len(keep)
	x := mat.NewDense(n, q, nil)
	yt := make([]float64, n)
	copy(yt, y)
	for row := range n {
		x.Set(row, f.unit[row], 1)
		if f.period[row] > 0 {
			x.Set(row, f.nU+f.period[row]-1, 1)
		}
		c := cell[row]
		if c < 0 {
			continue
		}
		if e, ok := pivot[c]; ok {
			yt[row] -= r[e] / rest[e][c]
			for i, j := range keep {
				if o, ok := owner[j]; ok && o == e {
					x.Set(row, f.nU+f.nT-1+i, -rest[e][j]/rest[e][c])
				}
			}
			continue
		}
		for i, j := range keep {
			if j == c {
				x.Set(row, f.nU+f.nT-1+i, 1)
			}
		}
	}
	var qr mat.QR
	qr.Factorize(x)
	var b mat.Dense
	if err := qr.SolveTo(&b, false, mat.NewDense(n, 1, append([]float64(nil), yt...))); err != nil {
		t.Fatal(err)
	}
	var fit mat.Dense
	fit.Mul(x, &b)
	u := make([]float64, n)
	for row := range n {
		u[row] = yt[row] - fit.At(row, 0)
	}
	return u
}

// saSample returns the regression rows' units, periods and outcomes of sf's sample of p.
func saSample(p Panel, sf *saFit) (unit, period []int, y []float64) {
	for _, r := range sf.rows {
		unit, period, y = append(unit, p.Unit[r]), append(period, p.Period[r]), append(y, p.Y[r])
	}
	return unit, period, y
}

// shares returns the weights of the cells whose relative period in accepts: their rows' shares.
func shares(sf *saFit, in func(e int) bool) []float64 {
	w, n := make([]float64, len(sf.cellRel)), 0
	for j, e := range sf.cellRel {
		if in(e) {
			n += sf.cellCnt[j]
		}
	}
	for j, e := range sf.cellRel {
		if in(e) {
			w[j] = float64(sf.cellCnt[j]) / float64(n)
		}
	}
	return w
}

// testWeights returns draw k's cluster weights: the sample itself (all 1), Rademacher, Webb or
// normal weights; sign reports whether every weight is -1 or +1 (the additions-only path).
func testWeights(rng *rand.Rand, g, k int) (v []float64, sign bool) {
	v = make([]float64, g)
	for h := range v {
		switch k {
		case 0:
			v[h] = 1
		case 1, 2:
			v[h] = float64(2*rng.IntN(2) - 1)
		case 3, 4:
			v[h] = webbPoints[rng.IntN(6)]
		default:
			v[h] = rng.NormFloat64()
		}
	}
	return v, k <= 2
}

// withY returns p with the outcome of the regression rows of sf set to y (in their order).
func withY(p Panel, sf *saFit, y []float64) Panel {
	q := p
	q.Y = append([]float64(nil), p.Y...)
	for i, r := range sf.rows {
		q.Y[r] = y[i]
	}
	return q
}

// TestSAWildDrawIsTheReestimatedRegression holds the Sun-Abraham bootstrap's shortcut to its
// definition, on a staggered panel with treated rows trimmed outside the window, balanced (the
// clusters fall in four groups of equal loadings: the grouped sums) and unbalanced (nearly
// every cluster its own: the per-cluster path): for a null and weights v, the restricted
// residuals u come from restricted least squares with dense dummies (rlsResiduals), y* = y - u
// + v∘u is re-estimated by SunAbrahamTest, and its ATT, the ATT's clustered SE (with the
// estimated weights' term) and the pre-trend Wald statistic must be the shortcut's, for the ATT
// at three nulls and for the joint pre-trend null.
func TestSAWildDrawIsTheReestimatedRegression(t *testing.T) {
	for _, drop := range []float64{0, 0.3} {
		p, _ := dgp{units: 40, first: 1, T: 11, cohorts: []int{4, 6, 8}, neverShare: 0.4,
			effect: func(c, e int) float64 { return 0.5 + 0.2*float64(e) - 0.1*float64(c) }, sigma: 1, rho: 0.4, dropShare: drop, seed: 23}.gen()
		saDrawIsReestimated(t, p, drop == 0)
	}
}

func saDrawIsReestimated(t *testing.T, p Panel, grouped bool) {
	const minRel, maxRel = -3, 4
	_, att, pre, sf, err := sunAbraham(p, minRel, maxRel)
	if err != nil {
		t.Fatal(err)
	}
	if len(sf.preRel) != 2 || pre.DF != 2 {
		t.Fatalf("leads %v (DF %d), want -3 and -2", sf.preRel, pre.DF)
	}
	s := newSABoot(sf)
	unit, period, y := saSample(p, sf)
	k := len(sf.cellRel)
	rng := rand.New(rand.NewPCG(8, 9))
	ab := s.attBoot(att.Coef)
	if ab.sums.grouped != grouped || s.preBoot().sums.grouped != grouped || grouped && ab.sums.r != 4 {
		t.Fatalf("grouped sums %v (%d groups), want %v", ab.sums.grouped, ab.sums.r, grouped)
	}
	z, sq := make([]float64, ab.sums.stride), make([]float64, 4)
	piATT := shares(sf, func(e int) bool { return e >= 0 })
	for _, theta0 := range []float64{att.Coef, 0, att.Coef + 0.7} {
		u := rlsResiduals(t, unit, period, sf.cell, k, y, [][]float64{piATT}, []float64{theta0})
		for d := range 6 {
			v, sign := testWeights(rng, sf.fit.g, d)
			ys := make([]float64, len(y))
			for i := range y {
				ys[i] = y[i] + (v[sf.f.unit[i]]-1)*u[i]
			}
			star, err := SunAbrahamTest(withY(p, sf, ys), minRel, maxRel)
			if err != nil {
				t.Fatal(err)
			}
			for _, sg := range []bool{false, sign} {
				n0, n1, q00, q01, q11 := ab.stats(v, sg, z, sq)
				x := theta0 - att.Coef
				coef := theta0 + n0 - x*n1
				se := math.Sqrt(sf.fit.cr1 * (q00 + 2*x*q01 + x*x*q11))
				if math.Abs(coef-star.ATT.Coef) > 1e-9*(1+math.Abs(star.ATT.Coef)) || math.Abs(se-star.ATT.SE) > 1e-8*star.ATT.SE {
					t.Errorf("theta0 %g, draw %d (signs %v): shortcut ATT* %.12g SE* %.12g, re-estimated %.12g %.12g", theta0, d, sg, coef, se, star.ATT.Coef, star.ATT.SE)
				}
				if d == 0 && theta0 == att.Coef && (math.Abs(coef-att.Coef) > 1e-9 || math.Abs(se-att.SE) > 1e-9*att.SE) {
					t.Errorf("v = 1 at the estimate gives %g (SE %g), not the sample's %g (SE %g)", coef, se, att.Coef, att.SE)
				}
			}
		}
	}
	pb := s.preBoot()
	var rest [][]float64
	for _, e := range sf.preRel {
		rest = append(rest, shares(sf, func(x int) bool { return x == e }))
	}
	u := rlsResiduals(t, unit, period, sf.cell, k, y, rest, make([]float64, len(rest)))
	zp, scratch := make([]float64, pb.sums.stride), make([]float64, 6)
	for d := range 6 {
		v, sign := testWeights(rng, sf.fit.g, d)
		ys := make([]float64, len(y))
		for i := range y {
			ys[i] = y[i] + (v[sf.f.unit[i]]-1)*u[i]
		}
		star, err := SunAbrahamTest(withY(p, sf, ys), minRel, maxRel)
		if err != nil {
			t.Fatal(err)
		}
		for _, sg := range []bool{false, sign} {
			w := pb.wald(v, sg, zp, scratch)
			if math.Abs(w-star.PreTrend.Stat) > 1e-7*star.PreTrend.Stat {
				t.Errorf("pre-trend draw %d (signs %v): shortcut W* %.12g, re-estimated %.12g", d, sg, w, star.PreTrend.Stat)
			}
		}
	}
	// The reference's restricted fit y - u has leads 0: the null it imposes is the test's.
	ys := make([]float64, len(y))
	for i := range y {
		ys[i] = y[i] - u[i]
	}
	fitted, err := SunAbrahamTest(withY(p, sf, ys), minRel, maxRel)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range fitted.Event {
		if c.Rel <= -2 && math.Abs(c.Coef) > 1e-9 {
			t.Errorf("restricted fit: lead %d is %g, want 0", c.Rel, c.Coef)
		}
	}
}

func BenchmarkSunAbrahamWild109x20(b *testing.B) {
	p, _ := dgp{units: 109, first: 1, T: 20, cohorts: []int{10, 12}, neverShare: 0.5,
		effect: constEffect(1), sigma: 1, rho: 0.5, seed: 12}.gen()
	o := WildOptions{Draws: 999, Level: 0.9}
	for b.Loop() {
		if _, _, err := SunAbrahamWild(p, -4, 8, o, WildOptions{Draws: 999, Seed: [2]uint64{1, 1}}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSAWildPValueAndInterval: the ATT's p-value is (1 + count)/(B + 1), 1 at the estimate;
// its interval holds the estimate, its ends are where p crosses 1 - level, and 0 lies outside
// it exactly when p(0) <= 1 - level; the pre-trend p-value is (1 + count)/(B + 1) of the draws'
// Wald statistics at or above the sample's, and a clear pre-trend is rejected, none mostly not;
// the estimates are SunAbrahamTest's, and the same seeds give the same result.
func TestSAWildPValueAndInterval(t *testing.T) {
	for _, c := range []struct {
		units      int
		eff, trend float64 // effect after treatment; a trend of the treated before it
	}{{50, 0, 0}, {50, 0.4, 0}, {50, 1.5, 2}, {24, 0.3, 0}, {24, 1.5, 2}, {12, 1.5, 0}} {
		eff, trend := c.eff, c.trend
		p, _ := dgp{units: c.units, first: 1, T: 10, cohorts: []int{5, 7}, neverShare: 0.6,
			effect: constEffect(eff), sigma: 1, rho: 0.3, seed: 33}.gen()
		for r := range p.Y { // the treated drift apart before treatment: a pre-trend
			if c, e := p.Cohort[r], p.Period[r]-p.Cohort[r]; c != NeverTreated && e < 0 {
				p.Y[r] += trend * float64(e)
			}
		}
		att := WildOptions{Draws: 999, Seed: [2]uint64{3, 4}, Level: 0.9}
		pre := WildOptions{Draws: 999, Seed: [2]uint64{5, 6}}
		r, w, err := SunAbrahamWild(p, -3, 3, att, pre)
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := SunAbrahamTest(p, -3, 3)
		if fmt.Sprint(r) != fmt.Sprint(plain) {
			t.Errorf("SunAbrahamWild's estimates %+v differ from SunAbrahamTest's %+v", r, plain)
		}
		t.Logf("%d clusters, effect %g, pre-trend %g: ATT %.4f CRVE CI [%.4f, %.4f]; WCR p %.4f CI [%.4f, %.4f] (%v); pre-trend W %.2f chi2 p %.4f WCR p %.4f",
			c.units, eff, trend, r.ATT.Coef, r.ATT.CI90Low, r.ATT.CI90High, w.ATT.P, w.ATT.CILow, w.ATT.CIHigh, w.ATT.Weights, r.PreTrend.Stat, r.PreTrend.P, w.PreTrend.P)
		want := Rademacher
		if c.units < WebbBelow {
			want = Webb
		}
		if w.ATT.Draws != 999 || w.PreTrend.Draws != 999 || w.ATT.Weights != want || w.PreTrend.Weights != want {
			t.Errorf("draws %d, %d, weights %v, %v; want 999 and %v", w.ATT.Draws, w.PreTrend.Draws, w.ATT.Weights, w.PreTrend.Weights, want)
		}
		for _, pv := range []float64{w.ATT.P, w.PreTrend.P} {
			if k := pv * 1000; math.Abs(k-math.Round(k)) > 1e-9 || pv < 0.001 || pv > 1 {
				t.Errorf("p = %v is not (1 + count)/1000", pv)
			}
		}
		if math.IsInf(w.ATT.CILow, 0) || math.IsInf(w.ATT.CIHigh, 0) || !(w.ATT.CILow < r.ATT.Coef && r.ATT.Coef < w.ATT.CIHigh) {
			t.Fatalf("interval [%g, %g] is unbounded or does not hold the estimate %g", w.ATT.CILow, w.ATT.CIHigh, r.ATT.Coef)
		}
		if (w.ATT.P <= 0.1) != (w.ATT.CILow > 0 || w.ATT.CIHigh < 0) {
			t.Errorf("p(0) = %g but the 90%% interval is [%g, %g]", w.ATT.P, w.ATT.CILow, w.ATT.CIHigh)
		}
		if trend > 0 && w.PreTrend.P > 0.01 || eff > 1 && w.ATT.P > 0.01 {
			t.Errorf("a clear effect (%g) or pre-trend (%g) not rejected: ATT p %g, pre-trend p %g", eff, trend, w.ATT.P, w.PreTrend.P)
		}
		// The p-value function behind the interval: 1 at the estimate, p(0) as reported, and
		// the interval's ends where it crosses 0.1.
		_, _, _, sf, _ := sunAbraham(p, -3, 3)
		s := newSABoot(sf)
		b := s.attBoot(r.ATT.Coef)
		b.draw(att.Draws, want, rand.New(rand.NewPCG(3, 4)))
		if b.p(0) != w.ATT.P || b.p(r.ATT.Coef) != 1 {
			t.Errorf("p(0) = %g (reported %g), p(estimate) = %g, want 1", b.p(0), w.ATT.P, b.p(r.ATT.Coef))
		}
		// p(theta0) is the share of the draws' |t*| at or above |t|, each draw's t* from its
		// ATT* and SE* (held to re-estimation by TestSAWildDrawIsTheReestimatedRegression).
		rng := rand.New(rand.NewPCG(3, 4))
		v, z, sq := make([]float64, sf.fit.g), make([]float64, b.sums.stride), make([]float64, 4)
		var draws [][5]float64
		for range att.Draws {
			drawWeights(v, want, rng)
			n0, n1, q00, q01, q11 := b.stats(v, want != Webb, z, sq)
			draws = append(draws, [5]float64{n0, n1, q00, q01, q11})
		}
		for _, theta0 := range []float64{0, w.ATT.CILow, r.ATT.Coef + 0.3, -1} {
			x, k := theta0-r.ATT.Coef, 0
			tabs := math.Abs(r.ATT.Coef-theta0) / r.ATT.SE
			for _, d := range draws {
				se := math.Sqrt(sf.fit.cr1 * (d[2] + 2*x*d[3] + x*x*d[4]))
				if math.Abs(d[0]-x*d[1])/se >= tabs {
					k++
				}
			}
			if got := float64(1+k) / 1000; math.Abs(got-b.p(theta0)) > 0.0015 {
				t.Errorf("p(%g) = %g, counted from the draws' t*: %g", theta0, b.p(theta0), got)
			}
		}
		eps := 1e-6 * (w.ATT.CIHigh - w.ATT.CILow)
		for _, end := range []float64{w.ATT.CILow, w.ATT.CIHigh} {
			dir := math.Copysign(1, end-r.ATT.Coef)
			if in, out := b.p(end-dir*eps), b.p(end+dir*eps); !(in > 0.1 && out <= 0.1) {
				t.Errorf("end %g: p just inside %g, just outside %g; want > 0.1 and <= 0.1", end, in, out)
			}
		}
		// The pre-trend p-value counts the draws at or above the sample's statistic.
		pb := s.preBoot()
		rng = rand.New(rand.NewPCG(5, 6))
		z, scratch := make([]float64, pb.sums.stride), make([]float64, 12)
		k := 0
		for range pre.Draws {
			drawWeights(v, want, rng)
			if pb.wald(v, want != Webb, z, scratch) >= r.PreTrend.Stat {
				k++
			}
		}
		if got := float64(1+k) / 1000; got != w.PreTrend.P {
			t.Errorf("pre-trend p %g, recounted %g", w.PreTrend.P, got)
		}
		if _, again, _ := SunAbrahamWild(p, -3, 3, att, pre); !reflect.DeepEqual(again, w) {
			t.Errorf("same seeds, different result: %+v vs %+v", again, w)
		}
	}
}

// TestSAWildSameWhateverTheRowOrder: the weights go to clusters in the order of their ids, so
// shuffling the rows leaves the draws, hence the tests, as they were; other seeds, other draws.
func TestSAWildSameWhateverTheRowOrder(t *testing.T) {
	p, _ := dgp{units: 30, first: 1, T: 9, cohorts: []int{4, 6}, neverShare: 0.5,
		effect: constEffect(0.3), sigma: 1, dropShare: 0.05, seed: 43}.gen()
	att, pre := WildOptions{Draws: 199, Seed: [2]uint64{7, 7}, Level: 0.9}, WildOptions{Draws: 199, Seed: [2]uint64{9, 9}}
	_, a, err := SunAbrahamWild(p, -3, 3, att, pre)
	if err != nil {
		t.Fatal(err)
	}
	q := Panel{}
	for _, r := range rand.New(rand.NewPCG(3, 3)).Perm(p.Len()) {
		q.Unit, q.Period = append(q.Unit, p.Unit[r]), append(q.Period, p.Period[r])
		q.Cohort, q.Y = append(q.Cohort, p.Cohort[r]), append(q.Y, p.Y[r])
	}
	_, b, err := SunAbrahamWild(q, -3, 3, att, pre)
	if err != nil {
		t.Fatal(err)
	}
	if a.ATT.P != b.ATT.P || a.PreTrend.P != b.PreTrend.P || math.Abs(a.ATT.CILow-b.ATT.CILow) > 1e-8 || math.Abs(a.ATT.CIHigh-b.ATT.CIHigh) > 1e-8 {
		t.Errorf("row order changes the tests: %+v vs %+v", a, b)
	}
	att.Seed, pre.Seed = [2]uint64{8, 7}, [2]uint64{8, 9}
	if _, c, _ := SunAbrahamWild(p, -3, 3, att, pre); c.ATT.CILow == a.ATT.CILow || c.PreTrend == a.PreTrend && c.ATT.P == a.ATT.P {
		t.Errorf("other seeds give the same draws: %+v", c)
	}
}

// TestSAWildWeightsAndErrors: Webb's weights below WebbBelow clusters; bad options (an
// interval asked of the pre-trend test among them) and bad panels are errors; a window without
// leads has no pre-trend test, and its bootstrap p-value is NaN.
func TestSAWildWeightsAndErrors(t *testing.T) {
	o := WildOptions{Draws: 99}
	for units, want := range map[int]WildWeights{WebbBelow - 1: Webb, WebbBelow: Rademacher} {
		p, _ := dgp{units: units, first: 1, T: 7, cohorts: []int{4}, neverShare: 0.5, sigma: 1, seed: 53}.gen()
		_, w, err := SunAbrahamWild(p, -2, 2, o, o)
		if err != nil || w.ATT.Weights != want || w.PreTrend.Weights != want || !math.IsNaN(w.ATT.CILow) {
			t.Errorf("%d clusters: weights %v %v, interval [%v, %v], err %v; want %v and no interval", units, w.ATT.Weights, w.PreTrend.Weights, w.ATT.CILow, w.ATT.CIHigh, err, want)
		}
	}
	p, _ := dgp{units: 20, first: 1, T: 7, cohorts: []int{4}, neverShare: 0.5, sigma: 1, seed: 54}.gen()
	for _, c := range [][2]WildOptions{{{Draws: 0}, o}, {o, {Draws: 0}}, {{Draws: 9, Level: 1}, o}, {o, {Draws: 9, Level: 0.9}}, {{Draws: 9, Weights: 7}, o}} {
		if _, _, err := SunAbrahamWild(p, -2, 2, c[0], c[1]); !errors.Is(err, ErrBadBootstrap) {
			t.Errorf("%+v: err %v, want ErrBadBootstrap", c, err)
		}
	}
	if r, w, err := SunAbrahamWild(p, -1, 2, o, o); err != nil || r.PreTrend.DF != 0 || !math.IsNaN(w.PreTrend.P) || math.IsNaN(w.ATT.P) {
		t.Errorf("no lead: DF %d, p %v (ATT p %v), err %v; want DF 0 and NaN", r.PreTrend.DF, w.PreTrend.P, w.ATT.P, err)
	}
	q := p
	q.Cohort = make([]int, p.Len())
	if _, _, err := SunAbrahamWild(q, -2, 2, o, o); !errors.Is(err, ErrNoTreated) {
		t.Errorf("no treated unit: err %v", err)
	}
	if _, _, err := SunAbrahamWild(p, 0, 2, o, o); !errors.Is(err, ErrBadWindow) {
		t.Errorf("bad window: err %v", err)
	}
}

// saRejections runs reps synthetic panels with no effect and no pre-trend, 60 clusters of which
// treated are treated, in cohorts (AR(1) errors, window -3..4), and returns the shares in which
// the clustered tests (the ATT's t(G-1) test and the pre-trend test's chi-square) and their WCR
// bootstraps (399 draws) reject at 5%.
func saRejections(t *testing.T, reps, treated int, cohorts []int) (attCR, attWCR, preCR, preWCR float64) {
	t.Helper()
	var n [4]int
	for s := range reps {
		p, _ := dgp{units: 60, first: 1, T: 10, cohorts: cohorts, neverShare: float64(60-treated) / 60,
			rho: 0.5, sigma: 1, seed: uint64(5000 + s)}.gen()
		o := WildOptions{Draws: 399, Seed: [2]uint64{uint64(s), 7}}
		r, w, err := SunAbrahamWild(p, -3, 4, o, WildOptions{Draws: 399, Seed: [2]uint64{uint64(s), 8}})
		if err != nil {
			t.Fatal(err)
		}
		tc := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(r.ATT.Clusters - 1)}.Quantile(0.975)
		for i, rej := range []bool{math.Abs(r.ATT.Coef/r.ATT.SE) > tc, w.ATT.P <= 0.05, r.PreTrend.P < 0.05, w.PreTrend.P <= 0.05} {
			if rej {
				n[i]++
			}
		}
	}
	f := func(i int) float64 { return float64(n[i]) / float64(reps) }
	return f(0), f(1), f(2), f(3)
}

// TestSAWildRejectsAtItsLevelWithFewTreated is the Monte Carlo the Sun-Abraham bootstraps are
// for: 6 treated clusters of 60, no effect and no pre-trend. In one cohort, the clustered ATT
// test and the chi-square pre-trend test reject at 5% far more often than 5%, their WCR
// bootstraps about 5% of the time: 600 panels (1,500 without -short), the bounds about 3 Monte
// Carlo standard errors around 5% (0.9 points at 600 panels). Without -short, also the two
// cases the docs state: in two cohorts of 3 (1,000 panels) the bootstraps still reject somewhat
// more than 5%, far less than the clustered tests; in three cohorts of 2 (600 panels) each
// cohort's cells rest on two clusters, and the bootstraps over-reject about as much as the
// clustered ATT test.
func TestSAWildRejectsAtItsLevelWithFewTreated(t *testing.T) {
	reps := 1500
	if testing.Short() {
		reps = 600
	}
	attCR, attWCR, preCR, preWCR := saRejections(t, reps, 6, []int{6})
	t.Logf("%d panels, 6 treated of 60 in 1 cohort, nominal 5%%: ATT clustered %.1f%%, WCR %.1f%%; pre-trend chi-square %.1f%%, WCR %.1f%%", reps, 100*attCR, 100*attWCR, 100*preCR, 100*preWCR)
	if attCR < 0.08 || preCR < 0.1 {
		t.Errorf("the clustered tests reject %.1f%% (ATT) and %.1f%% (pre-trend): the premise (over-rejection with few treated clusters) does not hold", 100*attCR, 100*preCR)
	}
	if attWCR < 0.025 || attWCR > 0.075 || preWCR < 0.025 || preWCR > 0.075 {
		t.Errorf("the WCR bootstraps reject %.1f%% (ATT) and %.1f%% (pre-trend) at 5%%, want 2.5%%-7.5%%", 100*attWCR, 100*preWCR)
	}
	if testing.Short() {
		return
	}
	attCR, attWCR, preCR, preWCR = saRejections(t, 1000, 6, []int{5, 7})
	t.Logf("1000 panels, 6 treated of 60 in 2 cohorts, nominal 5%%: ATT clustered %.1f%%, WCR %.1f%%; pre-trend chi-square %.1f%%, WCR %.1f%%", 100*attCR, 100*attWCR, 100*preCR, 100*preWCR)
	if attWCR < 0.025 || attWCR > 0.09 || preWCR < 0.025 || preWCR > 0.09 || attWCR > attCR-0.02 || preWCR > preCR/2 {
		t.Errorf("2 cohorts of 3: the WCR bootstraps reject %.1f%% (ATT) and %.1f%% (pre-trend), the clustered tests %.1f%% and %.1f%%; want 2.5%%-9%% and well below the clustered tests", 100*attWCR, 100*preWCR, 100*attCR, 100*preCR)
	}
	attCR, attWCR, preCR, preWCR = saRejections(t, 600, 6, []int{4, 6, 8})
	t.Logf("600 panels, 6 treated of 60 in 3 cohorts, nominal 5%%: ATT clustered %.1f%%, WCR %.1f%%; pre-trend chi-square %.1f%%, WCR %.1f%%", 100*attCR, 100*attWCR, 100*preCR, 100*preWCR)
	if attWCR < 0.075 || preWCR < 0.075 {
		t.Errorf("3 cohorts of 2: the WCR bootstraps reject %.1f%% (ATT) and %.1f%% (pre-trend); the docs say they over-reject (above 7.5%%)", 100*attWCR, 100*preWCR)
	}
}
