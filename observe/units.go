package observe

import (
	"math"
	"strings"

	"github.com/countysim/countysim/sim"
)

// YearlyUnit is a metric's unit in yearly tables: flows are summed over the year, so "per
// month" becomes "per year".
func YearlyUnit(d sim.MetricDef) string {
	if d.Kind != sim.Flow {
		return d.Unit
	}
	if u, ok := strings.CutSuffix(d.Unit, " per month"); ok {
		return u + " per year"
	}
	return d.Unit + " per year"
}

// finite reports whether v is a number (neither NaN nor infinite).
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
