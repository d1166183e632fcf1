// Package sensitivity analyses model outputs computed on the experiment
// designs of package scenarios/design: variance-based Sobol' indices
// (first-order, total and, optionally, second-order) with percentile
// bootstrap confidence intervals for Saltelli designs, and Morris
// elementary-effects screening statistics (mu, mu*, sigma) for Morris
// trajectories. Outputs are passed as one float64 per design row, in the
// design's row order. Everything is deterministic given the bootstrap seed,
// which feeds rand.New(rand.NewPCG(seed, streamBootstrap)). The estimators
// are validated in the tests against analytic indices of the Ishigami and
// Sobol' G test functions.
package sensitivity
