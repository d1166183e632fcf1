package observe

import (
	"math"

	"github.com/countysim/countysim/sim"
)

// CountyOutcomes holds what the map shows of each county of one run (index = county ID).
// Its Observe method collects it month by month.
type CountyOutcomes struct {
	Code, PrefCode []string
	Step, Warning  []int
	// Hidden is the county's hidden debt against the warning lines (HiddenLevel), for the map.
	Hidden []int
	// First and Last are means over the first and last 12 months of the run (fewer in a
	// shorter run); Mean over the whole run.
	GrowthFirst, GrowthLast, GrowthMean []float64
	ApprovalFirst, ApprovalLast         []float64

	months, month         int
	yellowRatio, redRatio float64
}

// NewCountyOutcomes prepares the collection for model m.
func NewCountyOutcomes(m *sim.Model) *CountyOutcomes {
	n := len(m.Counties)
	o := &CountyOutcomes{
		Code: make([]string, n), PrefCode: make([]string, n), Step: make([]int, n), Warning: make([]int, n),
		GrowthFirst: make([]float64, n), GrowthLast: make([]float64, n), GrowthMean: make([]float64, n),
		ApprovalFirst: make([]float64, n), ApprovalLast: make([]float64, n), Hidden: make([]int, n),
		months: m.Config().Months, yellowRatio: m.Config().Debt.YellowRatio, redRatio: m.Config().Debt.RedRatio,
	}
	for i, c := range m.Counties {
		o.Code[i], o.PrefCode[i] = c.Code, m.Prefs[c.Pref].Code
	}
	return o
}

// HasCodes reports whether every county has a division code (a map can be drawn).
func (o *CountyOutcomes) HasCodes() bool {
	if o == nil || len(o.Code) == 0 {
		return false
	}
	for _, c := range o.Code {
		if c == "" {
			return false
		}
	}
	return true
}

// span is the length of the first and last periods the changes compare.
func (o *CountyOutcomes) span() int { return max(1, min(12, o.months/2)) }

// Observe records the month m has just simulated.
func (o *CountyOutcomes) Observe(m *sim.Model) error {
	o.month = m.Month()
	v := m.Values()
	span := o.span()
	first, last := o.month <= span, o.month > o.months-span
	for i := range o.Step {
		row := v[i*sim.NumMetrics : (i+1)*sim.NumMetrics]
		o.Step[i] = int(row[sim.MStep])
		switch {
		case row[sim.MWarnRed] > 0:
			o.Warning[i] = 2
		case row[sim.MWarnYellow] > 0:
			o.Warning[i] = 1
		default:
			o.Warning[i] = 0
		}
		o.Hidden[i] = HiddenLevel(row[sim.MHiddenDebt], row[sim.MAnnualRevenue], o.yellowRatio, o.redRatio)
		g, a := row[sim.MGrowth], row[sim.MApprovalDays]
		o.GrowthMean[i] += g / float64(o.months)
		if first {
			o.GrowthFirst[i] += g / float64(span)
			o.ApprovalFirst[i] += a / float64(span)
		}
		if last {
			o.GrowthLast[i] += g / float64(span)
			o.ApprovalLast[i] += a / float64(span)
		}
	}
	return nil
}

// HiddenLevel places hidden debt h against the debt warning's lines, as a share of annual
// revenue rev: 0 none, 1 below the yellow line, 2 at or above it, 3 at or above the red line
// (any hidden debt of a county without revenue is past every line).
func HiddenLevel(h, rev, yellow, red float64) int {
	if !(h > 0) {
		return 0
	}
	r := math.Inf(1)
	if rev > 0 {
		r = h / rev
	}
	switch {
	case r >= red:
		return 3
	case r >= yellow:
		return 2
	}
	return 1
}
