package did

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// maxCond is the largest acceptable condition number of the demeaned X'X.
const maxCond = 1e12

// cellFit is the result of a regression of y on unit and period fixed
// effects plus K mutually exclusive dummy regressors ("cells").
type cellFit struct {
	coef     []float64   // K coefficients
	x        [][]float64 // the K demeaned regressors, then the demeaned y (N each)
	e        []float64   // residuals of the within regression (N)
	psi      *mat.Dense  // K x G: column g is the influence of cluster g, (X'X)^-1 X_g'e_g
	ainv     []float64   // (X'X)^-1 (demeaned X), K x K row-major
	ainvDiag []float64   // its diagonal
	ssr      float64     // residual sum of squares
	n, g     int         // observations, clusters (units)
	cr1      float64     // CR1 factor G/(G-1) * (N-1)/(N-K)
	iidDOF   int         // N - #units - (#periods-1) - K
	tcrit    float64     // t(0.95; G-1)
}

// fitCells regresses y on unit and period fixed effects and K dummy
// regressors, where row r has dummy cell[r] equal to one (cell[r] = -1: no
// dummy, the omitted/reference category). Algorithm (Frisch-Waugh-Lovell):
// the K dummy columns and y are two-way demeaned by alternating projections;
// X'X is formed as X'(MX) = sum over the rows of each cell of the demeaned
// columns (exact because the within projector M is symmetric and idempotent,
// and O(N*K) instead of O(N*K^2)); the normal equations are solved by
// Cholesky. The per-cluster scores X_g'(My - MX b) give the cluster-robust
// sandwich; unit fixed effects are nested in the unit clusters and are not
// counted in K for the CR1 factor, period effects are.
func fitCells(f *fe, y []float64, cell []int, k int) (*cellFit, error) {
	n := len(y)
	if f.nU < 2 {
		return nil, fmt.Errorf("%w: need at least 2 units (clusters), have %d", ErrInvalidPanel, f.nU)
	}
	kdof := k + f.nT - 1
	if n-kdof <= 0 {
		return nil, fmt.Errorf("%w: %d observations for %d parameters", ErrInvalidPanel, n, kdof)
	}
	back := make([]float64, n*(k+1))
	cols := make([][]float64, k+1)
	for j := range cols {
		cols[j] = back[j*n : (j+1)*n : (j+1)*n]
	}
	for r, c := range cell {
		if c >= 0 {
			cols[c][r] = 1
		}
	}
	copy(cols[k], y)
	f.demeanAll(cols)
	yt := cols[k]

	// X'X = X'(MX) and X'My.
	raw := make([]float64, k*k)
	b := make([]float64, k)
	for j := range k {
		col := cols[j]
		for r, c := range cell {
			if c >= 0 {
				raw[c*k+j] += col[r]
			}
		}
	}
	for r, c := range cell {
		if c >= 0 {
			b[c] += yt[r]
		}
	}
	cnt := make([]float64, k)
	for _, c := range cell {
		if c >= 0 {
			cnt[c]++
		}
	}
	for j := range k {
		// A dummy whose variation is (almost) entirely explained by the
		// fixed effects has a vanishing demeaned sum of squares.
		if !(raw[j*k+j] > 1e-9*cnt[j]) {
			return nil, fmt.Errorf("%w: regressor %d has no variation left after removing unit and period effects", ErrCollinear, j)
		}
	}
	xtx := mat.NewSymDense(k, nil)
	for i := range k {
		for j := i; j < k; j++ {
			xtx.SetSym(i, j, 0.5*(raw[i*k+j]+raw[j*k+i]))
		}
	}
	var ch mat.Cholesky
	if ok := ch.Factorize(xtx); !ok || ch.Cond() > maxCond {
		return nil, fmt.Errorf("%w: X'X of the %d demeaned regressors is singular or ill-conditioned", ErrCollinear, k)
	}
	var beta mat.VecDense
	if err := ch.SolveVecTo(&beta, mat.NewVecDense(k, b)); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCollinear, err)
	}
	coef := make([]float64, k)
	for j := range k {
		coef[j] = beta.AtVec(j)
	}

	// Residuals of the within regression.
	e := make([]float64, n)
	copy(e, yt)
	for j := range k {
		bj, col := coef[j], cols[j]
		for r := range e {
			e[r] -= bj * col[r]
		}
	}
	ssr := 0.0
	for _, v := range e {
		ssr += v * v
	}

	// Cluster scores S (K x G) and influences psi = (X'X)^-1 S.
	g := f.nU
	s := mat.NewDense(k, g, nil)
	for j := range k {
		row, col := s.RawRowView(j), cols[j]
		for r, u := range f.unit {
			row[u] += col[r] * e[r]
		}
	}
	psi := mat.NewDense(k, g, nil)
	if err := ch.SolveTo(psi, s); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCollinear, err)
	}
	var inv mat.SymDense
	if err := ch.InverseTo(&inv); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCollinear, err)
	}
	ainv, ainvDiag := make([]float64, k*k), make([]float64, k)
	for i := range k {
		for j := range k {
			ainv[i*k+j] = inv.At(i, j)
		}
		ainvDiag[i] = inv.At(i, i)
	}
	return &cellFit{
		coef:     coef,
		x:        cols,
		e:        e,
		psi:      psi,
		ainv:     ainv,
		ainvDiag: ainvDiag,
		ssr:      ssr,
		n:        n,
		g:        g,
		cr1:      float64(g) / float64(g-1) * float64(n-1) / float64(n-kdof),
		iidDOF:   n - f.nU - (f.nT - 1) - k,
		tcrit:    tQuantile95(g - 1),
	}, nil
}

// se returns the CR1 cluster-robust standard error of coefficient j.
func (c *cellFit) se(j int) float64 {
	return c.seOf(c.psi.RawRowView(j))
}

// seOf returns the CR1 standard error of a statistic with per-cluster
// influence values psi: sqrt(cr1 * sum psi_g^2).
func (c *cellFit) seOf(psi []float64) float64 {
	v := 0.0
	for _, x := range psi {
		v += x * x
	}
	return math.Sqrt(c.cr1 * v)
}

// naiveSE returns the conventional homoskedastic standard error of
// coefficient j, with the fixed effects counted in the degrees of freedom.
func (c *cellFit) naiveSE(j int) float64 {
	if c.iidDOF <= 0 {
		return math.NaN()
	}
	return math.Sqrt(c.ssr / float64(c.iidDOF) * c.ainvDiag[j])
}

// tQuantile95 is the 0.95 quantile of Student's t with df degrees of freedom
// (the two-sided 90% critical value).
func tQuantile95(df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.95)
}
