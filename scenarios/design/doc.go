// Package design builds experiment designs over k factors for the
// county-governance simulation: full factorial grids, Latin hypercube
// samples, Saltelli cross-sampled Sobol' designs for variance-based
// sensitivity analysis, and Morris one-at-a-time trajectories for
// elementary-effects screening. Every design is a plain function of plain
// data ([]Factor in, [][]float64 out, one row per model run and one column
// per factor in the order the factors were given), and every randomised
// design is deterministic given its seed: each function draws from its own
// generator rand.New(rand.NewPCG(seed, stream)), where seed is the caller's
// uint64 and stream is a fixed per-function constant (streamLHS,
// streamSaltelli, streamMorris), so the same seed always reproduces the same
// design and the same seed used for two different designs does not yield
// correlated draws. The analysis of model outputs computed on these designs
// lives in package results/sensitivity.
package design
