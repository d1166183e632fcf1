package observe

import (
	"math"
	"testing"
)

// TestSummariseLeavesItsInput: the replications stay in order (a scorecard summarised both
// scenarios, which sorted them, before pairing them).
func TestSummariseLeavesItsInput(t *testing.T) {
	xs := []float64{3, math.NaN(), 1, 2}
	s := Summarise(xs)
	if s.N != 3 || s.Mean != 2 || xs[0] != 3 || !math.IsNaN(xs[1]) || xs[2] != 1 || xs[3] != 2 {
		t.Errorf("Summarise: %+v, input now %v", s, xs)
	}
}
