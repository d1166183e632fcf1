package observe

import (
	"fmt"

	"github.com/countysim/countysim/sim"
)

// Reads returns the county metrics (indices into sim.Metrics) a track restricted to the
// metrics ks (indices into Defs, as for Track.Only) reads: each county metric, the columns its
// aggregation reads (weight, numerator, denominator), and gdp_per_capita and population for
// the inequality indices (Track.Observe). It is the list for sim.Options.Metrics, so that the model computes no output the
// track does not read. An index out of range is an error.
func Reads(ks []int) ([]int, error) {
	defs := Defs()
	agg, err := NewAggregator(sim.Metrics[:])
	if err != nil {
		return nil, err
	}
	seen := make([]bool, sim.NumMetrics)
	out := []int{}
	add := func(k int) {
		if k >= 0 && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, k := range ks {
		switch {
		case k < 0 || k >= len(defs):
			return nil, fmt.Errorf("track: metric index %d out of range (0 to %d)", k, len(defs)-1)
		case k < sim.NumMetrics:
			add(k)
			r := agg.col[k]
			add(r.weight)
			add(r.num)
			add(r.den)
		default: // the inequality indices of GDP per capita, weighted by population
			add(sim.MGDPPerCap)
			add(sim.MPop)
		}
	}
	return out, nil
}

// PanelReads returns the county metrics (indices into sim.Metrics) a Panel reads: its
// columns' metrics, gdp for growth, the wage bill, receipts and arrears for the arrears
// columns, and the PMC step. It is the list for sim.Options.Metrics of a run that only
// fills a panel.
func PanelReads() []int {
	out := []int{sim.MGDP, sim.MPop, sim.MStep, sim.MWages, sim.MWageArrears, sim.MLocalRevenue, sim.MTransfers}
	for _, c := range PanelColumns() {
		if c.metric >= 0 {
			out = append(out, c.metric)
		}
	}
	return out
}
