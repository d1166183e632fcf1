package sensitivity

import (
	"fmt"
	"math"
	"sort"
)

// streamBootstrap is the second PCG word of the bootstrap generator.
const streamBootstrap uint64 = 0x424f4f542d726f77 // "BOOT-row"

// quantile returns the p-quantile of sorted xs by linear interpolation
// between order statistics (Hyndman & Fan 1996, type 7).
func quantile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := p * float64(n-1)
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// percentileCI returns the equal-tailed percentile interval at level conf
// of the bootstrap replicates xs (Efron & Tibshirani 1993, ch. 13). xs is
// sorted in place. With no replicates both bounds are NaN.
func percentileCI(xs []float64, conf float64) (lo, hi float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	sort.Float64s(xs)
	a := (1 - conf) / 2
	return quantile(xs, a), quantile(xs, 1-a)
}

func checkFinite(y []float64) error {
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("sensitivity: output y[%d] = %v is not finite", i, v)
		}
	}
	return nil
}

func factorName(names []string, i int) string {
	if i < len(names) && names[i] != "" {
		return names[i]
	}
	return fmt.Sprintf("x%d", i+1)
}
