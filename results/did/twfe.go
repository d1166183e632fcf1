package did

import "fmt"

// TWFE estimates the static two-way fixed-effects difference-in-differences
// regression
//
//	y_it = a_i + l_t + beta*D_it + e_it,  D_it = 1{Cohort_i > 0 and t >= Cohort_i},
//
// on all rows of p. Algorithm: y and D are two-way demeaned by alternating
// projections (exact within transformation, valid for unbalanced panels;
// Frisch-Waugh-Lovell), then beta = sum(D~ y~)/sum(D~^2). The standard error
// is clustered by unit with the CR1 correction G/(G-1)*(N-1)/(N-K), K = 1 +
// (#periods - 1) (unit effects are nested in the clusters; Cameron and Miller
// 2015). NaiveSE is the conventional i.i.d. standard error with
// s^2 = SSR/(N - #units - (#periods-1) - 1). The 90% CI uses the Student-t
// quantile with G-1 degrees of freedom.
//
// Under staggered adoption with effects that vary over time or across
// cohorts, beta is a non-convex weighted average of cohort-period effects and
// can be far from any average treatment effect (Goodman-Bacon 2021; de
// Chaisemartin and D'Haultfoeuille 2020); use ATT or EventStudy then.
//
// Errors: ErrEmptyPanel, ErrLengthMismatch, ErrInvalidPanel, ErrNoTreated (no
// row with D = 1), ErrNoControls (no row with D = 0, or all units treated in
// the same period), ErrCollinear.
func TWFE(p Panel) (Estimate, error) {
	est, _, _, err := twfe(p)
	return est, err
}

// twfe is TWFE, also returning its regression and fixed-effects index (for the bootstrap).
func twfe(p Panel) (Estimate, *cellFit, *fe, error) {
	if err := validate(p); err != nil {
		return Estimate{}, nil, nil, err
	}
	n := p.Len()
	cell := make([]int, n)
	treatedRows, cohorts, never := 0, map[int]bool{}, false
	for r := range n {
		c := p.Cohort[r]
		if c == NeverTreated {
			never = true
		} else {
			cohorts[c] = true
		}
		cell[r] = -1
		if c != NeverTreated && p.Period[r] >= c {
			cell[r] = 0
			treatedRows++
		}
	}
	switch {
	case treatedRows == 0:
		return Estimate{}, nil, nil, fmt.Errorf("%w: no row has Cohort > 0 and Period >= Cohort", ErrNoTreated)
	case treatedRows == n:
		return Estimate{}, nil, nil, fmt.Errorf("%w: every row is treated", ErrNoControls)
	case !never && len(cohorts) == 1:
		return Estimate{}, nil, nil, fmt.Errorf("%w: all units are treated in the same period and there are no never-treated units", ErrNoControls)
	}
	f := newFE(p.Unit, p.Period, nil)
	fit, err := fitCells(f, p.Y, cell, 1)
	if err != nil {
		return Estimate{}, nil, nil, err
	}
	est := Estimate{
		Coef:     fit.coef[0],
		SE:       fit.se(0),
		NaiveSE:  fit.naiveSE(0),
		N:        fit.n,
		Clusters: fit.g,
	}
	est.CI90Low = est.Coef - fit.tcrit*est.SE
	est.CI90High = est.Coef + fit.tcrit*est.SE
	return est, fit, f, nil
}
