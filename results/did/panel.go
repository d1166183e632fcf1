package did

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// NeverTreated is the Cohort value of units that are never treated.
const NeverTreated = 0

// Panel is a balanced or unbalanced unit-by-period panel in long form.
//
// Periods are integers (e.g. years) and are assumed to be consecutive
// wherever event time e = Period - Cohort is interpreted. Each (Unit,
// Period) pair may appear at most once, and Cohort must be constant within a
// unit.
type Panel struct {
	Unit   []int     // unit id per row (e.g. county id)
	Period []int     // period per row (e.g. year)
	Cohort []int     // first treated period of the unit; 0 (NeverTreated) = never treated
	Y      []float64 // outcome per row
}

// Len returns the number of rows of the panel.
func (p Panel) Len() int { return len(p.Unit) }

// Estimate is a scalar estimate with its unit-clustered inference.
type Estimate struct {
	Coef     float64 // point estimate
	SE       float64 // standard error clustered by unit (CR1)
	NaiveSE  float64 // conventional i.i.d. OLS standard error (TWFE only; 0 elsewhere)
	N        int     // observations in the estimation sample
	Clusters int     // number of units (clusters) in the estimation sample
	CI90Low  float64 // lower end of the 90% CI: Coef - t(0.95; Clusters-1)*SE
	CI90High float64 // upper end of the 90% CI: Coef + t(0.95; Clusters-1)*SE
}

// EventCoef is one event-study coefficient at relative period Rel = Period -
// Cohort. The reference period Rel = -1 is normalised to zero and reported
// with Coef = SE = 0.
type EventCoef struct {
	Rel      int     // relative period (event time)
	Coef     float64 // estimated effect at Rel, relative to Rel = -1
	SE       float64 // standard error clustered by unit
	CI90Low  float64 // Coef - t(0.95; Clusters-1)*SE
	CI90High float64 // Coef + t(0.95; Clusters-1)*SE
	N        int     // treated observations at Rel in the estimation sample
}

// Errors returned by the estimators. They are wrapped with context, so test
// them with errors.Is.
var (
	ErrEmptyPanel     = errors.New("did: empty panel")
	ErrLengthMismatch = errors.New("did: panel slices have different lengths")
	ErrInvalidPanel   = errors.New("did: invalid panel")
	ErrNoTreated      = errors.New("did: no treated units/observations")
	ErrNoControls     = errors.New("did: no control (untreated comparison) observations")
	ErrBadWindow      = errors.New("did: invalid event window")
	ErrCollinear      = errors.New("did: regressors are collinear with the fixed effects")
)

// Convergence settings of the alternating-projections within transformation.
const (
	demeanTol     = 1e-10
	demeanMaxIter = 1000
)

// validate checks lengths, finiteness, cohort consistency and uniqueness of
// (unit, period) pairs.
func validate(p Panel) error {
	n := len(p.Unit)
	if n == 0 && len(p.Period) == 0 && len(p.Cohort) == 0 && len(p.Y) == 0 {
		return ErrEmptyPanel
	}
	if len(p.Period) != n || len(p.Cohort) != n || len(p.Y) != n {
		return fmt.Errorf("%w: len(Unit)=%d len(Period)=%d len(Cohort)=%d len(Y)=%d",
			ErrLengthMismatch, n, len(p.Period), len(p.Cohort), len(p.Y))
	}
	cohortOf := make(map[int]int)
	for r := range n {
		if y := p.Y[r]; math.IsNaN(y) || math.IsInf(y, 0) {
			return fmt.Errorf("%w: non-finite Y at row %d", ErrInvalidPanel, r)
		}
		if p.Cohort[r] < 0 {
			return fmt.Errorf("%w: negative Cohort %d at row %d", ErrInvalidPanel, p.Cohort[r], r)
		}
		if c, ok := cohortOf[p.Unit[r]]; !ok {
			cohortOf[p.Unit[r]] = p.Cohort[r]
		} else if c != p.Cohort[r] {
			return fmt.Errorf("%w: unit %d has cohorts %d and %d", ErrInvalidPanel, p.Unit[r], c, p.Cohort[r])
		}
	}
	f := newFE(p.Unit, p.Period, nil)
	seen := make([]bool, f.nU*f.nT)
	for r := range n {
		k := f.unit[r]*f.nT + f.period[r]
		if seen[k] {
			return fmt.Errorf("%w: duplicate row for unit %d period %d", ErrInvalidPanel, p.Unit[r], p.Period[r])
		}
		seen[k] = true
	}
	return nil
}

// fe indexes the rows of an estimation sample by dense unit and period ids.
type fe struct {
	unit, period []int     // dense ids per row
	nU, nT       int       // number of distinct units / periods
	invU, invT   []float64 // 1 / (rows per unit), 1 / (rows per period)
}

// newFE builds the dense index of the rows listed in rows (all rows if rows
// is nil). Dense ids follow the sorted order of the original ids, so the
// result does not depend on row order.
func newFE(unit, period []int, rows []int) *fe {
	get := func(src []int) []int {
		if rows == nil {
			return src
		}
		out := make([]int, len(rows))
		for i, r := range rows {
			out[i] = src[r]
		}
		return out
	}
	f := &fe{}
	f.unit, f.nU = denseIDs(get(unit))
	f.period, f.nT = denseIDs(get(period))
	f.invU = inverseCounts(f.unit, f.nU)
	f.invT = inverseCounts(f.period, f.nT)
	return f
}

// denseIDs maps ids to 0..k-1 in sorted order of the distinct values.
func denseIDs(ids []int) ([]int, int) {
	vals := slices.Clone(ids)
	slices.Sort(vals)
	vals = slices.Compact(vals)
	pos := make(map[int]int, len(vals))
	for i, v := range vals {
		pos[v] = i
	}
	out := make([]int, len(ids))
	for r, v := range ids {
		out[r] = pos[v]
	}
	return out, len(vals)
}

func inverseCounts(ids []int, k int) []float64 {
	c := make([]float64, k)
	for _, id := range ids {
		c[id]++
	}
	for i := range c {
		c[i] = 1 / c[i]
	}
	return c
}
