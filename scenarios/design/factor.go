package design

import (
	"fmt"
	"math"
)

// Factor is one input dimension of an experiment.
//
// Levels are the discrete values used by Grid. Min and Max bound the
// continuous designs (LatinHypercube, Saltelli, Morris), which map the unit
// interval linearly onto [Min, Max].
//
// A categorical factor with n categories is represented by the indices of
// its categories: Levels = {0, 1, ..., n-1}, Min = 0, Max = n (see
// Categorical). Grid then enumerates the indices directly, and a value x
// drawn by a continuous design is turned into a category by
// Factor.Category, i.e. floor(x) clamped to [0, n-1], so every category
// receives an equal share of the range.
type Factor struct {
	Name   string
	Levels []float64 // values enumerated by Grid
	Min    float64   // lower bound for continuous designs
	Max    float64   // upper bound for continuous designs
}

// Continuous returns a factor ranging over [min, max] whose grid levels are
// the two end points.
func Continuous(name string, min, max float64) Factor {
	return Factor{Name: name, Levels: []float64{min, max}, Min: min, Max: max}
}

// Categorical returns a factor with n categories encoded as indices:
// Levels = {0, ..., n-1}, Min = 0, Max = n.
func Categorical(name string, n int) Factor {
	if n < 1 {
		panic(fmt.Sprintf("design: categorical factor %q needs at least one category", name))
	}
	lv := make([]float64, n)
	for i := range lv {
		lv[i] = float64(i)
	}
	return Factor{Name: name, Levels: lv, Min: 0, Max: float64(n)}
}

// Scale maps u in [0, 1] linearly to Min + u*(Max-Min).
func (f Factor) Scale(u float64) float64 { return f.Min + u*(f.Max-f.Min) }

// Category maps a value x produced by a continuous design to an index into
// f.Levels: the range [Min, Max] is cut into len(Levels) equal bins and x
// falls in bin floor((x-Min)/(Max-Min)*len(Levels)), clamped to
// [0, len(Levels)-1]. For a factor built by Categorical this is floor(x).
// It panics if f has no levels.
func (f Factor) Category(x float64) int {
	n := len(f.Levels)
	if n == 0 {
		panic(fmt.Sprintf("design: factor %q has no levels", f.Name))
	}
	if !(f.Max > f.Min) {
		return 0
	}
	i := int(math.Floor((x - f.Min) / (f.Max - f.Min) * float64(n)))
	return min(max(i, 0), n-1)
}

// Names returns the factor names in order.
func Names(factors []Factor) []string {
	out := make([]string, len(factors))
	for i, f := range factors {
		out[i] = f.Name
	}
	return out
}

// checkBounds panics unless every factor has finite bounds with
// Min <= Max (Min < Max when strict is set).
func checkBounds(factors []Factor, strict bool) {
	for i, f := range factors {
		if math.IsNaN(f.Min) || math.IsNaN(f.Max) || math.IsInf(f.Min, 0) || math.IsInf(f.Max, 0) {
			panic(fmt.Sprintf("design: factor %d (%q) has non-finite bounds [%v, %v]", i, f.Name, f.Min, f.Max))
		}
		if f.Min > f.Max || (strict && f.Min == f.Max) {
			panic(fmt.Sprintf("design: factor %d (%q) has invalid bounds [%v, %v]", i, f.Name, f.Min, f.Max))
		}
	}
}

// Seed streams: the second PCG word used by each randomised design.
const (
	streamLHS      uint64 = 0x4c48532d6d636b61 // "LHS-mcka"
	streamSaltelli uint64 = 0x53414c542d736f62 // "SALT-sob"
	streamMorris   uint64 = 0x4d4f525249532d39 // "MORRIS-9"
)
