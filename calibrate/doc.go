// Package calibrate fits uncertain scenario parameters to evidence by approximate Bayesian
// computation with sequential Monte Carlo (ABC-SMC; Toni et al. 2009, Beaumont et al. 2009),
// runs the model through the batch engine, and serves the posterior to other commands.
//
// A calibration is declared in a YAML file like an experiment: a base scenario with overrides,
// the parameters with their priors (any numeric scenario field by its path), the targets (a
// structural magnitude computed from one run's county outputs, with its value and tolerance)
// and the sampler's settings. The distance of a run is the sum over targets of
// |statistic - value| / tolerance.
package calibrate
