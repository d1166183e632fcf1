package did

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
)

// SAWild is the wild cluster restricted bootstrap of SunAbrahamTest's two tests.
type SAWild struct {
	// ATT is the test of ATT = 0: its p-value and its interval by test inversion, as TWFEWild's.
	ATT WildTest
	// PreTrend is the joint pre-trend test: the bootstrap p-value of its Wald statistic.
	PreTrend WildWald
}

// WildWald is the wild cluster restricted bootstrap of a joint Wald test.
type WildWald struct {
	// P is (1 + #{b : W*_b >= W}) / (B + 1), W the sample's Wald statistic (SAResult.PreTrend's)
	// and W*_b draw b's, each with its own cluster-robust covariance; NaN when there is nothing
	// to test (no lead in the window) or W is NaN (a singular covariance).
	P       float64
	Draws   int
	Weights WildWeights // the weights drawn (never AutoWeights)
}

// SunAbrahamWild is SunAbrahamTest with the wild cluster restricted (WCR) bootstrap of its ATT
// (options att: its p-value and, with att.Level, its interval by test inversion) and of its
// joint pre-trend test (options pre; pre.Level must be 0: a joint test has no interval). Both
// are TWFEWild's bootstrap (Roodman, MacKinnon, Nielsen and Webb 2019) carried to linear
// combinations of the saturated regression's cell coefficients beta (K of them), with the same
// weights, seeding, p-value and test inversion; each has its own seed.
//
// The ATT is theta = pi'beta (pi the cells' shares of the treated rows at e >= 0). Its null
// theta = theta0 is imposed by restricted least squares, beta_r = beta^ - (theta^ - theta0) kappa
// with kappa = A^-1 pi / (pi'A^-1 pi) (A = X~'X~ the demeaned cells' cross products), whose
// residuals u = e + (theta^ - theta0) X~ kappa are affine in theta0. Bootstrap sample b is y*_b
// = y - u + v_b(g) u, re-estimated as SunAbraham does it: theta*_b - theta0 = sum_g v_g pi'A^-1
// X~_g'u_g, and its standard error is SunAbraham's, the delta method's per-cluster influence
// (the cells' clustered scores and the term of the estimated weights) recomputed on the
// bootstrap sample with the CR1 factor. t*_b = (theta*_b - theta0) / SE*_b is compared with
// the sample's (theta^ - theta0) / SE, and p = (1 + #{|t*_b| >= |t|}) / (B + 1).
//
// The pre-trend test is the Wald test W = eta' V^-1 eta of the lead coefficients eta = R'beta
// (R's columns the leads' cell shares) with V their clustered covariance. The joint null R'beta
// = 0 is imposed by restricted least squares (beta_r = beta^ - A^-1 R (R'A^-1 R)^-1 eta^), and
// each draw's Wald statistic W*_b = eta*_b' V*_b^-1 eta*_b takes V*_b, the cluster-robust
// covariance recomputed on the bootstrap sample, as boottest's wild bootstrap Wald test of
// several restrictions does (Roodman et al. 2019): no cheaper, unstudentised form is used. p =
// (1 + #{W*_b >= W}) / (B + 1). A draw whose V*_b is singular counts as exceeding W
// (conservative; with a handful of clusters or more it does not happen).
//
// Nothing is re-estimated row by row: each cluster's bootstrap influence is v_g a_g + m_g'z +
// f_g, with z = sum_h v_h w_h, w_h = (P~_h'u_h, X~_h'u_h) the cluster's projections of the
// restricted residuals on the unit-demeaned period dummies P~ (T columns) and on the demeaned
// cells (K), and a_g, m_g (T + K numbers) and f_g fixed per cluster (the period effects'
// projection enters through (P~'P~)^+, as in TWFEWild). Clusters with the same cohort and
// observed periods share m_g, so a draw costs O(G r) per aggregate with r such groups (three
// in a balanced panel of two cohorts and controls), at most O(G (T + K)): not a regression. The
// ATT's draw is stored as TWFEWild's five numbers, so its interval costs no further draws.
//
// Few treated clusters per cohort: in this package's Monte Carlo (wildsa_test.go: 60 clusters, 6
// treated, AR(1) errors, no effect, window -3..4, nominal 5%) the clustered ATT and chi-square
// pre-trend tests rejected 10.3% and 18.7% with one cohort of 6, the bootstraps 5.4% and 4.5%
// (1,500 panels); with two cohorts of 3, 10.8% and 20.2% against 6.0% and 6.5% (1,000); with
// three cohorts of 2, each cohort's cells resting on two clusters, 10.2% and 22.2% against 10.0%
// and 11.8% (600): the bootstrap helps the pre-trend test but not the ATT there.
//
// Errors: SunAbrahamTest's, and ErrBadBootstrap for invalid options.
func SunAbrahamWild(p Panel, minRel, maxRel int, att, pre WildOptions) (SAResult, SAWild, error) {
	if err := att.check(); err != nil {
		return SAResult{}, SAWild{}, err
	}
	if err := pre.check(); err != nil {
		return SAResult{}, SAWild{}, err
	}
	if pre.Level != 0 {
		return SAResult{}, SAWild{}, fmt.Errorf("%w: level %v for the pre-trend test (a joint test has no interval: 0)", ErrBadBootstrap, pre.Level)
	}
	ev, a, w, sf, err := sunAbraham(p, minRel, maxRel)
	if err != nil {
		return SAResult{}, SAWild{}, err
	}
	res := SAResult{Event: ev, ATT: a, PreTrend: w}
	s := newSABoot(sf)
	g := sf.fit.g
	wa := att.Weights.resolve(g)
	ab := s.attBoot(a.Coef)
	ab.draw(att.Draws, wa, rand.New(rand.NewPCG(att.Seed[0], att.Seed[1])))
	out := SAWild{ATT: WildTest{P: ab.p(0), CILow: math.NaN(), CIHigh: math.NaN(), Draws: att.Draws, Weights: wa}}
	if att.Level > 0 {
		out.ATT.CILow, out.ATT.CIHigh = ab.interval(1-att.Level, sf.fit.tcrit*a.SE)
	}
	wp := pre.Weights.resolve(g)
	out.PreTrend = WildWald{P: math.NaN(), Draws: pre.Draws, Weights: wp}
	if w.DF > 0 && !math.IsNaN(w.Stat) {
		pb := s.preBoot()
		k := pb.exceed(w.Stat, pre.Draws, wp, rand.New(rand.NewPCG(pre.Seed[0], pre.Seed[1])))
		out.PreTrend.P = float64(1+k) / float64(pre.Draws+1)
	}
	return res, out, nil
}

// saBoot is what every WCR bootstrap of a SunAbraham aggregate needs, whatever its null: the
// period projector and each cluster's rows.
type saBoot struct {
	sf         *saFit
	g, t, k    int
	wd         int       // T + K: the length of w_g and m_g
	pinv       []float64 // (P~'P~)^+, T x T
	invN       []float64 // 1 / rows per cluster
	ainv, coef []float64 // A^-1 (K x K) and beta^
	rowsOf     [][]int   // each cluster's regression rows
	// rep is each cluster's representative: the first cluster with the same cell in every
	// period (the same cohort and observed periods), whose demeaned cells, so whose loadings,
	// are the same (the within projection treats the two alike).
	rep []int
}

func newSABoot(sf *saFit) *saBoot {
	f, fit := sf.f, sf.fit
	s := &saBoot{sf: sf, g: f.nU, t: f.nT, k: len(fit.coef), ainv: fit.ainv, coef: fit.coef}
	s.wd = s.t + s.k
	periods := make([][]int, s.g)
	for r, u := range f.unit {
		periods[u] = append(periods[u], f.period[r])
	}
	s.pinv = periodPinv(periods, s.t)
	s.invN = make([]float64, s.g)
	for u, ps := range periods {
		s.invN[u] = 1 / float64(len(ps))
	}
	s.rowsOf = make([][]int, s.g)
	keys := make([][]byte, s.g)
	for u := range keys {
		keys[u] = make([]byte, 4*s.t) // per period: cell + 2 (0: not observed)
	}
	for r, u := range f.unit {
		s.rowsOf[u] = append(s.rowsOf[u], r)
		binary.LittleEndian.PutUint32(keys[u][4*f.period[r]:], uint32(sf.cell[r]+2))
	}
	s.rep = make([]int, s.g)
	first := map[string]int{}
	for u, key := range keys {
		if r, ok := first[string(key)]; ok {
			s.rep[u] = r
		} else {
			first[string(key)], s.rep[u] = u, u
		}
	}
	return s
}

// saAgg is one aggregate theta = pi'beta of the cells (the ATT or one lead), with the parts of
// its clusters' bootstrap influence that do not depend on the null.
type saAgg struct {
	pi, nu []float64 // the cells' weights (K) and A^-1 pi
	xi     []float64 // per row: x~_r'nu
	om     []float64 // G x K: omega_g, the share of the aggregate's rows that are g's, by cell
	o      []float64 // per cluster: sum of omega_g
	// m is G x (T+K): m_g = (-(P~'P~)^+ P~_g'xi_g, A^-1 (omega_g - o_g pi - X~_g'xi_g)), the
	// influence's loadings on z = (P~'(v∘u), X~'(v∘u)).
	m []float64
}

// agg returns the aggregate of the cells whose relative period in accepts, as saFit.aggregate.
func (s *saBoot) agg(in func(e int) bool) *saAgg {
	sf, k, t, wd := s.sf, s.k, s.t, s.wd
	x, unit, period := sf.fit.x, sf.f.unit, sf.f.period
	a := &saAgg{pi: make([]float64, k), nu: make([]float64, k), xi: make([]float64, len(unit)),
		om: make([]float64, s.g*k), o: make([]float64, s.g), m: make([]float64, s.g*wd)}
	nS := 0
	for j, e := range sf.cellRel {
		if in(e) {
			nS += sf.cellCnt[j]
		}
	}
	for j, e := range sf.cellRel {
		if in(e) {
			a.pi[j] = float64(sf.cellCnt[j]) / float64(nS)
		}
	}
	matVec(a.nu, s.ainv, a.pi)
	for j, c := range a.nu {
		floats.AddScaled(a.xi, c, x[j])
	}
	for r, j := range sf.cell {
		if j >= 0 && in(sf.cellRel[j]) {
			a.om[unit[r]*k+j] += 1 / float64(nS)
			a.o[unit[r]] += 1 / float64(nS)
		}
	}
	// Each representative's loadings from P~_g'xi_g (the T-vector of xi at g's periods less
	// g's mean) and X~_g'xi_g; the other clusters take their representative's.
	px, xx, tmp := make([]float64, t), make([]float64, k), make([]float64, k)
	for u, rep := range s.rep {
		m := a.m[u*wd : (u+1)*wd]
		if rep != u {
			copy(m, a.m[rep*wd:(rep+1)*wd])
			continue
		}
		mean := 0.0
		for _, r := range s.rowsOf[u] {
			mean += a.xi[r]
		}
		mean *= s.invN[u]
		clear(px)
		clear(xx)
		for _, r := range s.rowsOf[u] {
			px[period[r]] = a.xi[r] - mean
			for j := range k {
				xx[j] += x[j][r] * a.xi[r]
			}
		}
		matVec(m[:t], s.pinv, px)
		floats.Scale(-1, m[:t])
		for j := range k {
			tmp[j] = a.om[u*k+j] - a.o[u]*a.pi[j] - xx[j]
		}
		matVec(m[t:], s.ainv, tmp)
	}
	return a
}

// project writes each cluster's w_g = (P~_g'u_g, X~_g'u_g) of the per-row vector u into dst
// (G rows of stride numbers, from column off; the X~ part is added to what is there).
func (s *saBoot) project(u []float64, dst []float64, stride, off int) {
	unit, period, x := s.sf.f.unit, s.sf.f.period, s.sf.fit.x
	mean := make([]float64, s.g)
	for r, g := range unit {
		mean[g] += u[r]
	}
	for g := range mean {
		mean[g] *= s.invN[g]
	}
	for r, g := range unit {
		dst[g*stride+off+period[r]] = u[r] - mean[g]
	}
	for j := range s.k {
		c := off + s.t + j
		for r, g := range unit {
			dst[g*stride+c] += x[j][r] * u[r]
		}
	}
}

// infSums is the draws' machinery shared by the ATT's and the pre-trend test's bootstraps: E
// aggregates whose bootstrap influences are in_eg = v_g a_eg + m_eg'z_e + f_eg, z_e = sum_h v_h
// w_eh, with the numerators sum_g v_g a_eg; a draw yields the numerators and the sums of products
// S_ij = sum_g in_ig in_jg.
//
// Clusters with the same cohort and the same observed periods have the same loadings m_eg (their
// demeaned cells are the same), so a panel has few distinct rows of loadings, often three (the
// controls and two cohorts). With r < T+K distinct rows (groups), m_e'z_e takes r values, y_e =
// B_e z_e = sum_h v_h B_e w_eh (B_e the distinct rows), and, as in TWFEWild, S_ij expands into
// sums over the clusters of v_g times fixed numbers and fixed quadratic terms:
//
//	S_ij = P_ij + F_ij + L_ij + sum_t [n_t y_it y_jt + y_it (A_jt + Fg_jt) + y_jt (A_it + Fg_it)]
//
// with P_ij = sum v_g^2 a_ig a_jg (fixed for signs), F_ij = sum f_ig f_jg, L_ij = sum v_g (a_ig
// f_jg + a_jg f_ig), A_it = sum over group t of v_g a_ig, Fg_it = sum over group t of f_ig and
// n_t its clusters: a draw is 2Er + E(E+1)/2 dot products of v with fixed G-vectors, O(G E r).
// With T+K groups or more, each cluster's influence is computed from z_e (E(T+K) + E dot
// products and G E dot products of T+K numbers), O(G E (T+K)) a draw.
type infSums struct {
	g, e, r int
	grouped bool
	stride  int
	cols    []float64 // stride x G: column c of the clusters' rows; a draw's z_c = v'cols_c
	num     []float64 // scratch: E numerators
	// Grouped: rows (B_1 w_1g, .., B_E w_Eg, a_1g at g's group, .., a_Eg at g's group, the
	// pairs' a_ig f_jg + a_jg f_ig); pp, ff (E x E) and nt, fg (r, E x r) the fixed sums; aa (G x
	// E) the a_eg for the v^2 sums of other weights.
	pp, ff, nt, fg, aa []float64
	// Not grouped: rows (w_1g, .., w_Eg, a_1g, .., a_Eg); c the loadings (E, G x (T+K)); af (G x
	// 2E) the a_eg and f_eg; in scratch (E).
	c      [][]float64
	af, in []float64
}

// newInfSums prepares the draws of E aggregates from their clusters' w_eg (ws[e], G rows of wd
// numbers), loadings m_eg (ms[e], alike), numerator shares a_eg and fixed parts f_eg (per
// cluster). The clusters are grouped by the bits of all their loadings together.
func newInfSums(ws, ms, a, f [][]float64, g, wd int) *infSums {
	ne := len(ms)
	b := &infSums{g: g, e: ne, num: make([]float64, ne)}
	group := make([]int, g)
	var reps []int
	seen := map[string]int{}
	var key []byte
	for h := range g {
		key = key[:0]
		for _, m := range ms {
			for _, x := range m[h*wd : (h+1)*wd] {
				key = binary.LittleEndian.AppendUint64(key, math.Float64bits(x))
			}
		}
		id, ok := seen[string(key)]
		if !ok {
			id = len(reps)
			seen[string(key)] = id
			reps = append(reps, h)
		}
		group[h] = id
	}
	if len(reps) >= wd {
		b.r, b.stride = wd, ne*wd+ne
		rows := make([]float64, g*b.stride)
		b.af, b.in, b.c = make([]float64, g*2*ne), make([]float64, ne), ms
		for h := range g {
			row := rows[h*b.stride : (h+1)*b.stride]
			for e := range ne {
				copy(row[e*wd:(e+1)*wd], ws[e][h*wd:(h+1)*wd])
				row[ne*wd+e] = a[e][h]
				b.af[h*2*ne+e], b.af[h*2*ne+ne+e] = a[e][h], f[e][h]
			}
		}
		b.cols = transpose(rows, g, b.stride)
		return b
	}
	r := len(reps)
	b.grouped, b.r, b.stride = true, r, 2*ne*r+ne*(ne+1)/2
	rows := make([]float64, g*b.stride)
	b.aa = make([]float64, g*ne)
	b.pp, b.ff, b.nt, b.fg = make([]float64, ne*ne), make([]float64, ne*ne), make([]float64, r), make([]float64, ne*r)
	for h, t := range group {
		row := rows[h*b.stride : (h+1)*b.stride]
		for e, m := range ms {
			w := ws[e][h*wd : (h+1)*wd]
			for i, rep := range reps {
				row[e*r+i] = floats.Dot(m[rep*wd:(rep+1)*wd], w)
			}
			row[ne*r+e*r+t] = a[e][h]
			b.fg[e*r+t] += f[e][h]
			b.aa[h*ne+e] = a[e][h]
		}
		p := 2 * ne * r
		for i := range ne {
			for j := i; j < ne; j++ {
				row[p] = a[i][h]*f[j][h] + a[j][h]*f[i][h]
				b.pp[i*ne+j] += a[i][h] * a[j][h]
				b.ff[i*ne+j] += f[i][h] * f[j][h]
				p++
			}
		}
		b.nt[t]++
	}
	b.cols = transpose(rows, g, b.stride)
	return b
}

// sums computes draw v's numerators (returned, b's scratch) and S (s, E x E, upper triangle);
// sign: every v_g is -1 or +1 (then sum_g v_g^2 a_ig a_jg is fixed); z is scratch of length
// stride.
func (b *infSums) sums(v []float64, sign bool, z, s []float64) []float64 {
	for c := range z {
		z[c] = floats.Dot(v, b.cols[c*b.g:(c+1)*b.g]) // sum_g v_g rows_g, column by column
	}
	ne, r := b.e, b.r
	if !b.grouped {
		for i := range ne {
			b.num[i] = z[ne*r+i]
		}
		clear(s)
		in := b.in
		for g, vg := range v {
			af := b.af[g*2*ne : (g+1)*2*ne]
			for i := range ne {
				in[i] = vg*af[i] + floats.Dot(b.c[i][g*r:(g+1)*r], z[i*r:(i+1)*r]) + af[ne+i]
			}
			for i, x := range in {
				for j := i; j < ne; j++ {
					s[i*ne+j] += x * in[j]
				}
			}
		}
		return b.num
	}
	for i := range ne {
		b.num[i] = floats.Sum(z[ne*r+i*r : ne*r+(i+1)*r])
	}
	copy(s, b.pp)
	if !sign {
		clear(s)
		for g, vg := range v {
			aa := b.aa[g*ne : (g+1)*ne]
			for i, x := range aa {
				for j := i; j < ne; j++ {
					s[i*ne+j] += vg * vg * x * aa[j]
				}
			}
		}
	}
	p := 2 * ne * r
	for i := range ne {
		yi, ai, fi := z[i*r:(i+1)*r], z[ne*r+i*r:ne*r+(i+1)*r], b.fg[i*r:(i+1)*r]
		for j := i; j < ne; j++ {
			yj, aj, fj := z[j*r:(j+1)*r], z[ne*r+j*r:ne*r+(j+1)*r], b.fg[j*r:(j+1)*r]
			x := s[i*ne+j] + b.ff[i*ne+j] + z[p]
			for t, n := range b.nt {
				x += n*yi[t]*yj[t] + yi[t]*(aj[t]+fj[t]) + yj[t]*(ai[t]+fi[t])
			}
			s[i*ne+j] = x
			p++
		}
	}
	return b.num
}

// saATTBoot is the WCR bootstrap of the ATT, as infSums of two aggregates: with lambda = theta^
// - theta0 the restricted residuals are u = e + lambda zeta, so each cluster's w_g = w0_g +
// lambda w1_g, its numerator share a_g = nu'X~_g'u_g = a0_g + lambda a1_g and its influence's
// fixed part f_g = omega_g'(beta_r - theta0) = f0_g + lambda f1_g, the loadings the same: the
// influence is in0_g + lambda in1_g.
type saATTBoot struct {
	wildDraws
	sums *infSums
}

// attBoot prepares the ATT's bootstrap; theta is the estimate.
func (s *saBoot) attBoot(theta float64) *saATTBoot {
	a := s.agg(func(e int) bool { return e >= 0 })
	wd, k := s.wd, s.k
	b := &saATTBoot{}
	b.coef, b.origin, b.atot = theta, theta, 1
	for _, x := range s.sf.attInfl {
		b.shat2 += x * x
	}
	d := floats.Dot(a.pi, a.nu) // pi'A^-1 pi; kappa = nu/d, zeta_r = x~_r'kappa = xi_r/d
	zeta := make([]float64, len(a.xi))
	for r, x := range a.xi {
		zeta[r] = x / d
	}
	w0, w1 := make([]float64, s.g*wd), make([]float64, s.g*wd)
	s.project(s.sf.fit.e, w0, wd, 0)
	s.project(zeta, w1, wd, 0)
	a0, a1, f0, f1 := make([]float64, s.g), make([]float64, s.g), make([]float64, s.g), make([]float64, s.g)
	for g := range s.g {
		a0[g] = floats.Dot(a.nu, w0[g*wd+s.t:(g+1)*wd])
		a1[g] = floats.Dot(a.nu, w1[g*wd+s.t:(g+1)*wd])
		om := a.om[g*k : (g+1)*k]
		f0[g] = floats.Dot(om, s.coef) - a.o[g]*theta
		f1[g] = a.o[g] - floats.Dot(om, a.nu)/d
	}
	b.sums = newInfSums([][]float64{w0, w1}, [][]float64{a.m, a.m}, [][]float64{a0, a1}, [][]float64{f0, f1}, s.g, wd)
	return b
}

// draw runs n draws with weights w from rng and stores each as five numbers (wildDraws).
func (b *saATTBoot) draw(n int, w WildWeights, rng *rand.Rand) {
	b.alloc(n)
	v, z, sq := make([]float64, b.sums.g), make([]float64, b.sums.stride), make([]float64, 4)
	for i := range n {
		drawWeights(v, w, rng)
		b.n0[i], b.n1[i], b.q00[i], b.q01[i], b.q11[i] = b.stats(v, w != Webb, z, sq)
	}
}

// stats returns the draw with cluster weights v (sign: every v_g is -1 or +1; z and sq are
// scratch of lengths stride and 4) as wildDraws' five numbers: with x = theta0 - theta^,
// theta* - theta0 = n0 - x n1 and the squared bootstrap influences sum to q00 + 2x q01 + x^2 q11.
func (b *saATTBoot) stats(v []float64, sign bool, z, sq []float64) (n0, n1, q00, q01, q11 float64) {
	num := b.sums.sums(v, sign, z, sq)
	// In lambda = -x: theta* - theta0 = num0 + lambda num1, Q = sq00 + 2 lambda sq01 +
	// lambda^2 sq11.
	return num[0], num[1], sq[0], -sq[1], sq[3]
}

// saPreBoot is the WCR bootstrap of the joint pre-trend test, as infSums of its leads.
type saPreBoot struct {
	sums *infSums
	cr1  float64
}

// preBoot prepares the pre-trend test's bootstrap (the leads of saFit.preRel, at least one).
func (s *saBoot) preBoot() *saPreBoot {
	sf := s.sf
	q, wd, k := len(sf.preRel), s.wd, s.k
	var leads []*saAgg
	for _, e := range sf.preRel {
		leads = append(leads, s.agg(func(x int) bool { return x == e }))
	}
	// Restricted least squares: beta_r = beta^ - A^-1 R c, c = (R'A^-1 R)^-1 R'beta^.
	rar, eta := make([]float64, q*q), make([]float64, q)
	for i, a := range leads {
		eta[i] = floats.Dot(a.pi, s.coef)
		for j, c := range leads {
			rar[i*q+j] = floats.Dot(a.pi, c.nu)
		}
	}
	c := solveSym(rar, eta, q)
	betaR := append([]float64(nil), s.coef...)
	u := append([]float64(nil), sf.fit.e...)
	for i, a := range leads {
		floats.AddScaled(betaR, -c[i], a.nu)
		floats.AddScaled(u, c[i], a.xi)
	}
	w := make([]float64, s.g*wd)
	s.project(u, w, wd, 0)
	var ws, ms, as, fs [][]float64
	for _, a := range leads {
		av, fv := make([]float64, s.g), make([]float64, s.g)
		thr := floats.Dot(a.pi, betaR) // 0 but for rounding
		for g := range s.g {
			av[g] = floats.Dot(a.nu, w[g*wd+s.t:(g+1)*wd])
			fv[g] = floats.Dot(a.om[g*k:(g+1)*k], betaR) - a.o[g]*thr
		}
		ws, ms, as, fs = append(ws, w), append(ms, a.m), append(as, av), append(fs, fv)
	}
	return &saPreBoot{sums: newInfSums(ws, ms, as, fs, s.g, wd), cr1: sf.fit.cr1}
}

// exceed runs n draws with weights w from rng and counts those whose Wald statistic is at
// least stat.
func (b *saPreBoot) exceed(stat float64, n int, w WildWeights, rng *rand.Rand) int {
	q := b.sums.e
	v, z, scratch := make([]float64, b.sums.g), make([]float64, b.sums.stride), make([]float64, q*q+q)
	c := 0
	for range n {
		drawWeights(v, w, rng)
		if b.wald(v, w != Webb, z, scratch) >= stat {
			c++
		}
	}
	return c
}

// wald returns the Wald statistic of the draw with cluster weights v (sign: every v_g is -1 or
// +1; z and scratch are scratch space of lengths stride and q^2 + q): eta*' V*^-1 eta*, V* =
// CR1 sum_g infl*_g infl*_g'; +Inf when V* is singular.
func (b *saPreBoot) wald(v []float64, sign bool, z, scratch []float64) float64 {
	q := b.sums.e
	vm, eta := scratch[:q*q], scratch[q*q:q*q+q]
	copy(eta, b.sums.sums(v, sign, z, vm))
	w, ok := cholQuad(vm, eta, q)
	if !ok {
		return math.Inf(1)
	}
	return w / b.cr1
}

// transpose returns the n x stride matrix rows (row-major) transposed.
func transpose(rows []float64, n, stride int) []float64 {
	t := make([]float64, len(rows))
	for g := range n {
		for c, x := range rows[g*stride : (g+1)*stride] {
			t[c*n+g] = x
		}
	}
	return t
}

// matVec sets dst = a x, a square (len(x) x len(x), row-major).
func matVec(dst, a, x []float64) {
	n := len(x)
	for i := range n {
		dst[i] = floats.Dot(a[i*n:(i+1)*n], x)
	}
}

// cholQuad returns b'A^-1 b for the symmetric q x q matrix A given by its upper triangle in a
// (row-major; a and b are overwritten), by Cholesky; ok is false when A is not positive
// definite to working precision (a pivot at most 1e-12 times the largest diagonal element).
func cholQuad(a, b []float64, q int) (float64, bool) {
	top := 0.0
	for i := range q {
		top = math.Max(top, a[i*q+i])
	}
	if !(top > 0) {
		return 0, false
	}
	// A = U'U with U upper triangular, in place; then y = U'^-1 b and b'A^-1 b = y'y.
	for i := range q {
		d := a[i*q+i]
		for p := range i {
			d -= a[p*q+i] * a[p*q+i]
		}
		if !(d > 1e-12*top) {
			return 0, false
		}
		d = math.Sqrt(d)
		a[i*q+i] = d
		for j := i + 1; j < q; j++ {
			x := a[i*q+j]
			for p := range i {
				x -= a[p*q+i] * a[p*q+j]
			}
			a[i*q+j] = x / d
		}
	}
	quad := 0.0
	for i := range q {
		x := b[i]
		for p := range i {
			x -= a[p*q+i] * b[p]
		}
		b[i] = x / a[i*q+i]
		quad += b[i] * b[i]
	}
	return quad, true
}

// solveSym returns the solution of A c = b for the symmetric positive definite q x q matrix A
// (row-major, full), by Gaussian elimination without pivoting on copies.
func solveSym(a, b []float64, q int) []float64 {
	m := append([]float64(nil), a...)
	c := append([]float64(nil), b...)
	for i := range q {
		for r := i + 1; r < q; r++ {
			f := m[r*q+i] / m[i*q+i]
			for j := i; j < q; j++ {
				m[r*q+j] -= f * m[i*q+j]
			}
			c[r] -= f * c[i]
		}
	}
	for i := q - 1; i >= 0; i-- {
		x := c[i]
		for j := i + 1; j < q; j++ {
			x -= m[i*q+j] * c[j]
		}
		c[i] = x / m[i*q+i]
	}
	return c
}
