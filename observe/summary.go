package observe

import (
	"math"
	"slices"
)

// Summary describes a sample of replication values: how many were defined (not NaN), their
// mean, and their 5th, 50th and 95th percentiles (Quantile).
type Summary struct {
	N                  int
	Mean, P5, P50, P95 float64
}

// Summarise returns the Summary of xs, ignoring NaN values (a group that was empty in a run);
// every statistic is NaN when no value is defined. xs is left as it is: replications stay
// in order, to be paired with another scenario's (a scorecard sorted both before pairing).
func Summarise(xs []float64) Summary { return SummariseInPlace(slices.Clone(xs)) }

// SummariseInPlace is Summarise for a buffer the caller is done with: it sorts xs in place
// and moves its NaN values out, so xs no longer holds the replications in order.
func SummariseInPlace(xs []float64) Summary {
	xs = slices.DeleteFunc(xs, math.IsNaN)
	if len(xs) == 0 {
		nan := math.NaN()
		return Summary{Mean: nan, P5: nan, P50: nan, P95: nan}
	}
	slices.Sort(xs)
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return Summary{
		N:    len(xs),
		Mean: s / float64(len(xs)),
		P5:   Quantile(xs, 0.05),
		P50:  Quantile(xs, 0.50),
		P95:  Quantile(xs, 0.95),
	}
}

// Quantile returns the p-quantile (0 <= p <= 1) of the ascending values in sorted by linear
// interpolation between order statistics: with h = (n-1)p,
//
//	Q(p) = x[floor(h)] + (h - floor(h)) (x[floor(h)+1] - x[floor(h)])
//
// on 0-based x. This is definition 7 of Hyndman and Fan (1996, Sample quantiles in
// statistical packages, The American Statistician 50(4)), the default of R's quantile and of
// numpy.percentile; it gives the minimum at p = 0 and the maximum at p = 1. NaN for no values.
func Quantile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return sorted[n-1]
	}
	if lo < 0 {
		return sorted[0]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}
