package sensitivity

import (
	"fmt"
	"math"

	"github.com/countysim/countysim/scenarios/design"
)

// MorrisIndex holds the elementary-effects statistics of one factor.
type MorrisIndex struct {
	Factor string
	Mu     float64 // mean elementary effect (Morris 1991)
	MuStar float64 // mean absolute elementary effect (Campolongo et al. 2007)
	Sigma  float64 // standard deviation of the elementary effects (Morris 1991)
}

// Morris computes elementary-effects statistics from outputs y on a
// design.Morris design (y[r] is the output of d.Points[r]).
//
// For trajectory t and step s, with i = d.Factor[t][s], the elementary
// effect is EE = (y(step s+1) - y(step s)) / (+-DeltaUnit), the sign being
// that of d.Delta[t][s] (or, where d.Applied is set, the change the runs
// got, on the same scale): it is measured on the unit hypercube, i.e. per
// full range Max-Min of the factor, as in Morris (1991) and SALib, so the
// statistics are comparable across factors with different units. Per
// factor, over the R trajectories: Mu = mean EE (Morris 1991), MuStar =
// mean |EE| (Campolongo, Cariboni & Saltelli 2007, Environ. Model. Softw.
// 22:1509-1518), Sigma = sample standard deviation of EE with divisor R-1
// (Morris 1991; NaN when R = 1). A large MuStar marks an influential
// factor, a large Sigma relative to MuStar non-linearity or interactions.
//
// It returns an error if y does not match the design or has non-finite
// values.
func Morris(d design.MorrisDesign, y []float64) ([]MorrisIndex, error) {
	k, r := d.K, d.R
	if k < 1 || r < 1 || len(d.Factor) != r || len(d.Delta) != r || !(d.DeltaUnit > 0) {
		return nil, fmt.Errorf("sensitivity: malformed Morris design (K=%d, R=%d)", k, r)
	}
	if len(y) != r*(k+1) || len(d.Points) != len(y) {
		return nil, fmt.Errorf("sensitivity: %d outputs for a Morris design of %d points", len(y), r*(k+1))
	}
	if err := checkFinite(y); err != nil {
		return nil, err
	}
	ee := make([][]float64, k)
	for t := 0; t < r; t++ {
		if len(d.Factor[t]) != k || len(d.Delta[t]) != k {
			return nil, fmt.Errorf("sensitivity: trajectory %d has %d steps, want %d", t, len(d.Factor[t]), k)
		}
		for s, i := range d.Factor[t] {
			if i < 0 || i >= k || d.Delta[t][s] == 0 {
				return nil, fmt.Errorf("sensitivity: trajectory %d step %d: bad factor %d or zero delta", t, s, i)
			}
			step := math.Copysign(d.DeltaUnit, d.Delta[t][s])
			if d.Applied != nil {
				if step = d.Applied[t][s]; step == 0 || math.IsNaN(step) {
					return nil, fmt.Errorf("sensitivity: trajectory %d step %d: factor %d's value does not change", t, s, i)
				}
			}
			dy := y[d.Row(t, s+1)] - y[d.Row(t, s)]
			ee[i] = append(ee[i], dy/step)
		}
	}
	out := make([]MorrisIndex, k)
	for i := range out {
		e := ee[i]
		if len(e) != r {
			return nil, fmt.Errorf("sensitivity: factor %d changed %d times, want %d", i, len(e), r)
		}
		var mu, abs float64
		for _, v := range e {
			mu += v
			abs += math.Abs(v)
		}
		mu /= float64(r)
		abs /= float64(r)
		sigma := math.NaN()
		if r > 1 {
			var ss float64
			for _, v := range e {
				ss += (v - mu) * (v - mu)
			}
			sigma = math.Sqrt(ss / float64(r-1))
		}
		out[i] = MorrisIndex{Factor: factorName(d.Names, i), Mu: mu, MuStar: abs, Sigma: sigma}
	}
	return out, nil
}
