package sensitivity

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/countysim/countysim/scenarios/design"
)

// ErrZeroVariance is Sobol's error for an output that takes one value on every run of the
// design's A and B matrices: its variance, the indices' denominator, is zero.
var ErrZeroVariance = errors.New("sensitivity: output has zero variance on A and B")

// SobolIndex holds the first-order (S1) and total (ST) Sobol' indices of
// one factor with the bounds of their bootstrap confidence intervals.
type SobolIndex struct {
	Factor string
	S1     float64 // first-order index
	S1Low  float64 // lower bound of the S1 confidence interval
	S1High float64 // upper bound of the S1 confidence interval
	ST     float64 // total index
	STLow  float64 // lower bound of the ST confidence interval
	STHigh float64 // upper bound of the ST confidence interval
}

// SobolPair holds the second-order index S2 of factors I < J with its
// bootstrap confidence interval.
type SobolPair struct {
	I, J             int // factor indices, I < J
	FactorI, FactorJ string
	S2               float64
	S2Low            float64
	S2High           float64
}

// Sobol estimates first-order and total Sobol' indices from outputs y
// computed on a design.Saltelli design with the given layout (y[r] is the
// output of row r of the design's points).
//
// Estimators, with f_A, f_B, f_ABi the outputs on rows of A, B, A_B^(i), and
// m and V the mean and variance of the 2N values of f_A and f_B (centring on m
// makes S1 invariant to a constant added to the output; SALib centres on the
// mean of all rows, to the same effect):
//
//	S1_i = mean_j (f_B(j) - m) (f_ABi(j) - f_A(j)) / V  (Saltelli et al. 2010, Table 2 (b))
//	ST_i = mean_j (f_A(j) - f_ABi(j))^2 / (2V)         (Jansen 1999)
//
// Confidence intervals: nBoot bootstrap replicates resample the N base rows
// j with replacement (all blocks of a row move together), recompute V, S1
// and ST, and report the equal-tailed percentile interval at level conf
// (e.g. 0.95). The resampling draws from rand.New(rand.NewPCG(seed,
// streamBootstrap)). With nBoot = 0 the bounds are NaN. Bootstrap intervals
// assume i.i.d. base rows, so on (randomised) Sobol' points they tend to be
// conservative.
//
// It returns an error if the layout is empty, len(y) != layout.Total(), y
// has non-finite values or zero variance, nBoot < 0, or conf is not in
// (0, 1).
func Sobol(layout design.SaltelliLayout, y []float64, nBoot int, seed uint64, conf float64) ([]SobolIndex, error) {
	if err := checkSobolArgs(layout, y, nBoot, conf); err != nil {
		return nil, err
	}
	n, k := layout.N, layout.K
	rows := make([]int, n)
	for j := range rows {
		rows[j] = j
	}
	s1 := make([]float64, k)
	st := make([]float64, k)
	if !firstTotal(layout, y, rows, s1, st) {
		return nil, ErrZeroVariance
	}
	bs1 := make([][]float64, k)
	bst := make([][]float64, k)
	rng := rand.New(rand.NewPCG(seed, streamBootstrap))
	r1 := make([]float64, k)
	rt := make([]float64, k)
	for b := 0; b < nBoot; b++ {
		for j := range rows {
			rows[j] = rng.IntN(n)
		}
		if !firstTotal(layout, y, rows, r1, rt) {
			continue // degenerate resample: skip it
		}
		for i := 0; i < k; i++ {
			bs1[i] = append(bs1[i], r1[i])
			bst[i] = append(bst[i], rt[i])
		}
	}
	out := make([]SobolIndex, k)
	for i := range out {
		out[i] = SobolIndex{Factor: factorName(layout.Names, i), S1: s1[i], ST: st[i]}
		out[i].S1Low, out[i].S1High = percentileCI(bs1[i], conf)
		out[i].STLow, out[i].STHigh = percentileCI(bst[i], conf)
	}
	return out, nil
}

// SobolSecondOrder estimates second-order Sobol' indices S2_ij for all
// pairs i < j from outputs on a design.Saltelli design built with
// secondOrder = true, using Saltelli (2002, eq. 12) as implemented by
// SALib:
//
//	V_ij = mean_r ((f_BAi(r)-m)(f_ABj(r)-m) - (f_A(r)-m)(f_B(r)-m)) / V
//	S2_ij = V_ij - S1_i - S1_j
//
// with S1 as in Sobol. Pairs are ordered (0,1), (0,2), ..., (K-2,K-1).
// Bootstrap intervals are computed as in Sobol.
func SobolSecondOrder(layout design.SaltelliLayout, y []float64, nBoot int, seed uint64, conf float64) ([]SobolPair, error) {
	if !layout.SecondOrder {
		return nil, errors.New("sensitivity: second-order indices need a layout with SecondOrder")
	}
	if err := checkSobolArgs(layout, y, nBoot, conf); err != nil {
		return nil, err
	}
	n, k := layout.N, layout.K
	npair := k * (k - 1) / 2
	rows := make([]int, n)
	for j := range rows {
		rows[j] = j
	}
	s2 := make([]float64, npair)
	if !secondOrder(layout, y, rows, s2) {
		return nil, ErrZeroVariance
	}
	boot := make([][]float64, npair)
	rng := rand.New(rand.NewPCG(seed, streamBootstrap))
	r2 := make([]float64, npair)
	for b := 0; b < nBoot; b++ {
		for j := range rows {
			rows[j] = rng.IntN(n)
		}
		if !secondOrder(layout, y, rows, r2) {
			continue
		}
		for p := range r2 {
			boot[p] = append(boot[p], r2[p])
		}
	}
	out := make([]SobolPair, 0, npair)
	p := 0
	for i := 0; i < k; i++ {
		for j := i + 1; j < k; j++ {
			sp := SobolPair{I: i, J: j, FactorI: factorName(layout.Names, i), FactorJ: factorName(layout.Names, j), S2: s2[p]}
			sp.S2Low, sp.S2High = percentileCI(boot[p], conf)
			out = append(out, sp)
			p++
		}
	}
	return out, nil
}

func checkSobolArgs(layout design.SaltelliLayout, y []float64, nBoot int, conf float64) error {
	if layout.N < 1 || layout.K < 1 {
		return fmt.Errorf("sensitivity: empty Saltelli layout (N=%d, K=%d)", layout.N, layout.K)
	}
	if len(y) != layout.Total() {
		return fmt.Errorf("sensitivity: %d outputs for a design of %d points", len(y), layout.Total())
	}
	if nBoot < 0 {
		return fmt.Errorf("sensitivity: negative bootstrap count %d", nBoot)
	}
	if !(conf > 0 && conf < 1) {
		return fmt.Errorf("sensitivity: confidence level %v not in (0,1)", conf)
	}
	return checkFinite(y)
}

// meanVariance returns the mean and the population variance of f_A and f_B over rows.
func meanVariance(l design.SaltelliLayout, y []float64, rows []int) (mean, v float64) {
	var sum float64
	for _, j := range rows {
		sum += y[l.A(j)] + y[l.B(j)]
	}
	m := sum / float64(2*len(rows))
	var ss float64
	for _, j := range rows {
		da, db := y[l.A(j)]-m, y[l.B(j)]-m
		ss += da*da + db*db
	}
	return m, ss / float64(2*len(rows))
}

// firstTotal fills s1 and st over the given base rows; false if V == 0. The outputs are
// centred on the mean of f_A and f_B over the rows first (SALib centres on all rows): S1's product f_B
// (f_ABi - f_A) is not invariant to a constant added to the output, and uncentred its error
// grows with the square of the mean over the spread.
func firstTotal(l design.SaltelliLayout, y []float64, rows []int, s1, st []float64) bool {
	m, v := meanVariance(l, y, rows)
	if v == 0 {
		return false
	}
	nf := float64(len(rows))
	for i := 0; i < l.K; i++ {
		var a1, at float64
		for _, j := range rows {
			fa, fb, fab := y[l.A(j)], y[l.B(j)], y[l.AB(i, j)]
			a1 += (fb - m) * (fab - fa)
			d := fa - fab
			at += d * d
		}
		s1[i] = a1 / nf / v
		st[i] = at / nf / (2 * v)
	}
	return true
}

// secondOrder fills s2 (pairs i<j in order) over the base rows.
func secondOrder(l design.SaltelliLayout, y []float64, rows []int, s2 []float64) bool {
	s1 := make([]float64, l.K)
	st := make([]float64, l.K)
	if !firstTotal(l, y, rows, s1, st) {
		return false
	}
	m, v := meanVariance(l, y, rows) // centred as in firstTotal
	nf := float64(len(rows))
	p := 0
	for i := 0; i < l.K; i++ {
		for k := i + 1; k < l.K; k++ {
			var acc float64
			for _, j := range rows {
				acc += (y[l.BA(i, j)]-m)*(y[l.AB(k, j)]-m) - (y[l.A(j)]-m)*(y[l.B(j)]-m)
			}
			s2[p] = acc/nf/v - s1[i] - s1[k]
			p++
		}
	}
	return true
}
