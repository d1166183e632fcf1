package testkit

import (
	"math"
	"testing"

	"github.com/countysim/countysim/sim"
)

type counter struct{ n int }

func (c *counter) Observe(*sim.Model) error { c.n++; return nil }

func TestRunWithRecordsEveryMonth(t *testing.T) {
	cfg := Tiny(6)
	c, rec := RunWith(t, cfg, func(*sim.Model) (*counter, error) { return &counter{}, nil })
	if c.n != 6 || len(rec.Steps) != 6 || len(rec.Values) != 6 || len(rec.GDP0) != 20 || len(rec.Values[5]) != 20*sim.NumMetrics {
		t.Errorf("observed %d months, recorded %d steps, %d value rows, %d opening GDPs", c.n, len(rec.Steps), len(rec.Values), len(rec.GDP0))
	}
	if p := Pilot(1); p.Months != 84 || len(p.PMC.Cohorts) != 2 || p.Validate() != nil {
		t.Errorf("Pilot: %d months, %d cohorts, %v", p.Months, len(p.PMC.Cohorts), p.Validate())
	}
	if n := Ningxia(t); len(n.World.Provinces[0].CountyList) != 13 {
		t.Errorf("Ningxia has %d counties, want 13", len(n.World.Provinces[0].CountyList))
	}
}

func TestFirstDiff(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		a, b []float64
		want int
	}{
		{[]float64{1, nan, 3}, []float64{1, nan, 3}, -1},
		{[]float64{1, 0, 3}, []float64{1, math.Copysign(0, -1), 3}, 1}, // -0 is other bits
		{[]float64{1, 2}, []float64{1, 2, 3}, 2},
		{nil, nil, -1},
	} {
		if got := FirstDiff(c.a, c.b); got != c.want {
			t.Errorf("FirstDiff(%v, %v) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
