package did

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// EventStudy returns the Sun and Abraham (2021, J. Econometrics 225(2),
// "Estimating dynamic treatment effects in event studies with heterogeneous
// treatment effects") interaction-weighted (IW) event-study estimates for
// relative periods e = Period - Cohort in [minRel, maxRel]; minRel <= -1 and
// maxRel >= 0 are required. See SunAbraham for the algorithm. The result is
// sorted by Rel and contains Rel = -1 (Coef = SE = 0) plus every relative
// period of the window at which some treated cohort is observed; relative
// periods without data are omitted.
func EventStudy(p Panel, minRel, maxRel int) ([]EventCoef, error) {
	ev, _, err := SunAbraham(p, minRel, maxRel)
	return ev, err
}

// ATT returns the overall average treatment effect on the treated from the
// Sun-Abraham estimator with window [minRel, maxRel]: the average of the
// cohort-specific effects CATT(c,e) over all treated observations with
// 0 <= e <= maxRel, i.e. sum_e n_e*IW(e) / sum_e n_e, where n_e is the number
// of treated observations at e. See SunAbraham for the algorithm and the
// standard error; N and Clusters describe the regression sample.
func ATT(p Panel, minRel, maxRel int) (Estimate, error) {
	_, att, err := SunAbraham(p, minRel, maxRel)
	return att, err
}

// SunAbraham computes both the event-study coefficients (as EventStudy) and
// the overall ATT (as ATT) from a single regression.
//
// Algorithm (Sun and Abraham 2021, Sections 4.1-4.2):
//
//  1. Control cohort. If there are never-treated units (Cohort = 0) they are
//     the controls. Otherwise the last-treated cohort C is the control
//     cohort and all rows with Period >= C are dropped (as in Sun and
//     Abraham), so the remaining cohorts are estimated only for periods
//     before C. With neither never-treated units nor a second cohort the
//     error is ErrNoControls.
//  2. Window. Rows of treated (non-control) units with e outside
//     [minRel, maxRel] are dropped (trimming, not binning), so no
//     out-of-window effect can contaminate the estimates; control units keep
//     all their rows. Treated cohorts with no row at e = -1 are dropped
//     (their level is not identified, e.g. always-treated units).
//  3. Saturated regression. y is regressed on unit and period fixed effects
//     and one dummy per observed cohort x relative-period cell (c,e),
//     e != -1, on the retained rows; the coefficients are CATT(c,e). The
//     fixed effects are absorbed by alternating projections and the small
//     system is solved by Cholesky (see fitCells).
//  4. Interaction weighting. IW(e) = sum_c w(c,e)*CATT(c,e) with w(c,e) =
//     share of cohort c among the treated units observed at e. The ATT is
//     the same aggregation over all cells with 0 <= e <= maxRel, weighted by
//     cell counts.
//
// Standard errors: delta method with unit-clustered influence functions.
// For an aggregate A = sum_j pi_j*CATT_j, pi_j = n_j/n_S, the influence of
// unit g is sum_j pi_j*[(X'X)^-1 X_g'e_g]_j + sum_{rows of g in S}
// (CATT_j - A)/n_S; the second term accounts for the estimated weights as
// in Sun and Abraham's Proposition 6 / eventstudyinteract. The variance is
// CR1 * sum_g influence_g^2 (the CR1 factor is applied to both terms, which
// is slightly conservative for the weight term). 90% CIs use Student-t
// quantiles with G-1 degrees of freedom.
func SunAbraham(p Panel, minRel, maxRel int) ([]EventCoef, Estimate, error) {
	r, err := SunAbrahamTest(p, minRel, maxRel)
	return r.Event, r.ATT, err
}

// Wald is a joint Wald test of several coefficients against zero.
type Wald struct {
	Stat float64 // b' V^-1 b with V the CR1 cluster-robust covariance of b
	DF   int     // number of coefficients tested; 0: nothing to test
	P    float64 // chi-square(DF) upper-tail p-value; NaN when DF = 0 or V is singular
}

// SAResult is the Sun-Abraham event study and ATT with the joint pre-trend test.
type SAResult struct {
	Event []EventCoef
	ATT   Estimate
	// PreTrend tests jointly that every pre-period coefficient (Rel <= -2 in the window) is
	// zero, with the cluster-robust covariance of the interaction-weighted coefficients (the
	// same influence functions as their standard errors): W = b' V^-1 b, asymptotically
	// chi-square with as many degrees of freedom as coefficients.
	PreTrend Wald
}

// SunAbrahamTest is SunAbraham plus the joint pre-trend Wald test, from one regression.
func SunAbrahamTest(p Panel, minRel, maxRel int) (SAResult, error) {
	ev, att, pre, _, err := sunAbraham(p, minRel, maxRel)
	return SAResult{Event: ev, ATT: att, PreTrend: pre}, err
}

// saFit is the saturated regression of SunAbraham, for its bootstrap.
type saFit struct {
	fit  *cellFit
	f    *fe
	rows []int // the panel's rows in the regression, in the regression's order
	cell []int // each regression row's cell (-1: none)
	// Each cell's relative period and number of rows.
	cellRel, cellCnt []int
	attInfl          []float64   // the ATT's per-cluster influence values
	preRel           []int       // the pre-trend test's relative periods (the leads with data)
	preInfl          [][]float64 // their per-cluster influence values
}

// aggregate returns the interaction-weighted average of the cells whose relative period in
// accepts, its per-cluster influence values and the number of treated rows it averages (0:
// none, and no influence).
func (s *saFit) aggregate(in func(e int) bool) (coef float64, infl []float64, nS int) {
	fit := s.fit
	for j, e := range s.cellRel {
		if in(e) {
			nS += s.cellCnt[j]
		}
	}
	if nS == 0 {
		return 0, nil, 0
	}
	for j, e := range s.cellRel {
		if in(e) {
			coef += float64(s.cellCnt[j]) / float64(nS) * fit.coef[j]
		}
	}
	infl = make([]float64, fit.g)
	for j, e := range s.cellRel {
		if !in(e) {
			continue
		}
		pj := float64(s.cellCnt[j]) / float64(nS)
		for g, v := range fit.psi.RawRowView(j) {
			infl[g] += pj * v
		}
	}
	for i, j := range s.cell {
		if j >= 0 && in(s.cellRel[j]) {
			infl[s.f.unit[i]] += (fit.coef[j] - coef) / float64(nS)
		}
	}
	return coef, infl, nS
}

func sunAbraham(p Panel, minRel, maxRel int) ([]EventCoef, Estimate, Wald, *saFit, error) {
	if err := validate(p); err != nil {
		return nil, Estimate{}, Wald{}, nil, err
	}
	if err := checkWindow(minRel, maxRel); err != nil {
		return nil, Estimate{}, Wald{}, nil, err
	}
	n := p.Len()
	cohortSet, never := cohorts(p)
	if len(cohortSet) == 0 {
		return nil, Estimate{}, Wald{}, nil, fmt.Errorf("%w: every unit has Cohort = 0", ErrNoTreated)
	}
	control, cutoff := NeverTreated, math.MaxInt
	if !never {
		if len(cohortSet) == 1 {
			return nil, Estimate{}, Wald{}, nil, fmt.Errorf("%w: no never-treated units and a single treatment cohort", ErrNoControls)
		}
		control = cohortSet[len(cohortSet)-1]
		cutoff = control
	}

	// Retained rows; reference-period rows per cohort.
	hasRef := map[int]bool{}
	rows := make([]int, 0, n)
	for r := range n {
		c := p.Cohort[r]
		if p.Period[r] >= cutoff {
			continue
		}
		if c != control {
			e := p.Period[r] - c
			if e < minRel || e > maxRel {
				continue
			}
			if e == -1 {
				hasRef[c] = true
			}
		}
		rows = append(rows, r)
	}
	var kept []int // treated cohorts in the regression, sorted
	for _, c := range cohortSet {
		if c != control && hasRef[c] {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		return nil, Estimate{}, Wald{}, nil, fmt.Errorf("%w: no treated cohort is observed at the reference period e = -1", ErrNoTreated)
	}
	rows = slices.DeleteFunc(rows, func(r int) bool {
		c := p.Cohort[r]
		return c != control && !hasRef[c]
	})
	nControl := 0
	for _, r := range rows {
		if p.Cohort[r] == control {
			nControl++
		}
	}
	if nControl == 0 {
		return nil, Estimate{}, Wald{}, nil, fmt.Errorf("%w: no control rows before period %d", ErrNoControls, cutoff)
	}

	// Cells (c,e), e != -1, numbered in (cohort, e) order.
	w := maxRel - minRel + 1
	ci := make(map[int]int, len(kept))
	for i, c := range kept {
		ci[c] = i
	}
	key := func(r int) int { // -1 for control and reference rows
		c := p.Cohort[r]
		if c == control {
			return -1
		}
		e := p.Period[r] - c
		if e == -1 {
			return -1
		}
		return ci[c]*w + e - minRel
	}
	cnt := make([]int, len(kept)*w)
	refCount := 0
	for _, r := range rows {
		if k := key(r); k >= 0 {
			cnt[k]++
		} else if p.Cohort[r] != control {
			refCount++
		}
	}
	id := make([]int, len(cnt))
	var cellRel, cellCnt []int
	for k, m := range cnt {
		id[k] = -1
		if m > 0 {
			id[k] = len(cellRel)
			cellRel = append(cellRel, k%w+minRel)
			cellCnt = append(cellCnt, m)
		}
	}
	nr := len(rows)
	y, cell := make([]float64, nr), make([]int, nr)
	for i, r := range rows {
		y[i] = p.Y[r]
		cell[i] = -1
		if k := key(r); k >= 0 {
			cell[i] = id[k]
		}
	}
	f := newFE(p.Unit, p.Period, rows)
	fit, err := fitCells(f, y, cell, len(cellRel))
	if err != nil {
		return nil, Estimate{}, Wald{}, nil, err
	}
	sf := &saFit{fit: fit, f: f, rows: rows, cell: cell, cellRel: cellRel, cellCnt: cellCnt}

	var out []EventCoef
	var preCoef []float64
	for e := minRel; e <= maxRel; e++ {
		if e == -1 {
			out = append(out, EventCoef{Rel: -1, N: refCount})
			continue
		}
		coef, infl, nS := sf.aggregate(func(x int) bool { return x == e })
		if nS == 0 {
			continue
		}
		se := fit.seOf(infl)
		if e <= -2 {
			preCoef, sf.preInfl = append(preCoef, coef), append(sf.preInfl, infl)
			sf.preRel = append(sf.preRel, e)
		}
		out = append(out, EventCoef{
			Rel: e, Coef: coef, SE: se, N: nS,
			CI90Low: coef - fit.tcrit*se, CI90High: coef + fit.tcrit*se,
		})
	}
	coef, infl, nS := sf.aggregate(func(x int) bool { return x >= 0 })
	if nS == 0 {
		return nil, Estimate{}, Wald{}, nil, fmt.Errorf("%w: no treated observation with e >= 0 in the estimation sample", ErrNoTreated)
	}
	sf.attInfl = infl
	se := fit.seOf(infl)
	att := Estimate{
		Coef: coef, SE: se, N: fit.n, Clusters: fit.g,
		CI90Low: coef - fit.tcrit*se, CI90High: coef + fit.tcrit*se,
	}
	return out, att, waldTest(preCoef, sf.preInfl, fit.cr1), sf, nil
}

// waldTest returns the joint Wald test that the coefficients b are zero, given each
// coefficient's per-cluster influence values: V = cr1 * sum_g infl_g infl_g', W = b' V^-1 b
// (solved by Cholesky), p = P(chi2(len b) > W).
func waldTest(b []float64, infl [][]float64, cr1 float64) Wald {
	k := len(b)
	w := Wald{DF: k, Stat: math.NaN(), P: math.NaN()}
	if k == 0 {
		return w
	}
	v := mat.NewSymDense(k, nil)
	for i := range k {
		for j := i; j < k; j++ {
			s := 0.0
			for g, x := range infl[i] {
				s += x * infl[j][g]
			}
			v.SetSym(i, j, cr1*s)
		}
	}
	var ch mat.Cholesky
	if ok := ch.Factorize(v); !ok || ch.Cond() > maxCond {
		return w
	}
	var x mat.VecDense
	bv := mat.NewVecDense(k, slices.Clone(b))
	if err := ch.SolveVecTo(&x, bv); err != nil {
		return w
	}
	w.Stat = mat.Dot(bv, &x)
	w.P = distuv.ChiSquared{K: float64(k)}.Survival(w.Stat)
	return w
}

// PlainEventStudy estimates the conventional ("plain") dynamic TWFE event
// study
//
//	y_it = a_i + l_t + sum_{e != -1} b_e * 1{t - Cohort_i = e} + u_it
//
// on all rows, with relative-period dummies for e in [minRel, maxRel]
// (minRel <= -1 and maxRel >= 0 required) and the endpoints binned: treated
// observations with e < minRel are assigned to the minRel dummy and those
// with e > maxRel to the maxRel dummy. Never-treated units have no dummies.
// Fixed effects are absorbed by alternating projections, the dummies'
// coefficients solved by Cholesky, SEs clustered by unit (CR1), 90% CIs use
// t(G-1). Relative periods without observations are omitted; Rel = -1 is
// reported with Coef = SE = 0.
//
// This estimator is provided for comparison: when treatment effects differ
// across cohorts, each b_e is contaminated by effects from other relative
// periods (Sun and Abraham 2021, Proposition 3), so it is biased under
// heterogeneous staggered adoption. Use EventStudy instead.
func PlainEventStudy(p Panel, minRel, maxRel int) ([]EventCoef, error) {
	if err := validate(p); err != nil {
		return nil, err
	}
	if err := checkWindow(minRel, maxRel); err != nil {
		return nil, err
	}
	cohortSet, never := cohorts(p)
	if len(cohortSet) == 0 {
		return nil, fmt.Errorf("%w: every unit has Cohort = 0", ErrNoTreated)
	}
	if !never && len(cohortSet) == 1 {
		return nil, fmt.Errorf("%w: no never-treated units and a single treatment cohort", ErrNoControls)
	}
	n, w := p.Len(), maxRel-minRel+1
	raw := make([]int, n)
	cnt := make([]int, w)
	for r := range n {
		raw[r] = -1
		if c := p.Cohort[r]; c != NeverTreated {
			e := min(max(p.Period[r]-c, minRel), maxRel)
			raw[r] = e - minRel
			cnt[e-minRel]++
		}
	}
	id := make([]int, w)
	var rels, counts []int
	for k, m := range cnt {
		id[k] = -1
		if e := k + minRel; e != -1 && m > 0 {
			id[k] = len(rels)
			rels = append(rels, e)
			counts = append(counts, m)
		}
	}
	if len(rels) == 0 {
		return nil, fmt.Errorf("%w: no treated observation away from e = -1", ErrNoTreated)
	}
	cell := make([]int, n)
	for r, k := range raw {
		cell[r] = -1
		if k >= 0 {
			cell[r] = id[k]
		}
	}
	f := newFE(p.Unit, p.Period, nil)
	fit, err := fitCells(f, p.Y, cell, len(rels))
	if err != nil {
		return nil, err
	}
	var out []EventCoef
	j := 0
	for e := minRel; e <= maxRel; e++ {
		if e == -1 {
			out = append(out, EventCoef{Rel: -1, N: cnt[-1-minRel]})
			continue
		}
		if j < len(rels) && rels[j] == e {
			coef, se := fit.coef[j], fit.se(j)
			out = append(out, EventCoef{
				Rel: e, Coef: coef, SE: se, N: counts[j],
				CI90Low: coef - fit.tcrit*se, CI90High: coef + fit.tcrit*se,
			})
			j++
		}
	}
	return out, nil
}

// checkWindow requires the window to contain the reference period -1 and at
// least one post period.
func checkWindow(minRel, maxRel int) error {
	if minRel > -1 || maxRel < 0 {
		return fmt.Errorf("%w: need minRel <= -1 and maxRel >= 0, got [%d, %d]", ErrBadWindow, minRel, maxRel)
	}
	return nil
}

// cohorts returns the sorted distinct treatment cohorts and whether
// never-treated units exist.
func cohorts(p Panel) ([]int, bool) {
	var cs []int
	never := false
	for _, c := range p.Cohort {
		if c == NeverTreated {
			never = true
		} else {
			cs = append(cs, c)
		}
	}
	slices.Sort(cs)
	return slices.Compact(cs), never
}
