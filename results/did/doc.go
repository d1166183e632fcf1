// Package did implements difference-in-differences estimators for a
// unit-by-period panel in long form (one row per unit and period), such as
// the county-year panels produced by the simulation. It provides the static
// two-way fixed-effects estimator (TWFE), an ordinary "plain" TWFE event study
// with relative-period dummies (PlainEventStudy), and the Sun and Abraham
// (2021) interaction-weighted event-study estimator (EventStudy, ATT,
// SunAbraham), which stays unbiased under staggered adoption with effects
// that differ across cohorts and over time since treatment, where the plain
// TWFE versions do not. Unit and period fixed effects are never built as dummy
// columns: they are absorbed by a within transformation computed by
// alternating projections (demeaning by unit and by period until the largest
// correction is below 1e-10 times the column scale, at most 1000 sweeps),
// which works for unbalanced panels and costs O(rows) per sweep and column.
// The remaining small regression is solved with a Cholesky factorisation of
// X'X (gonum/mat). Standard errors are clustered by unit with the CR1
// small-sample correction G/(G-1)*(N-1)/(N-K), and 90% confidence intervals
// use Student-t quantiles with G-1 degrees of freedom. With few treated
// clusters those tests over-reject; TWFEWild adds the wild cluster restricted
// bootstrap's p-value and its confidence interval by test inversion for the TWFE
// coefficient, and SunAbrahamWild the same for the Sun-Abraham ATT and the
// bootstrap p-value of the joint pre-trend Wald test. All functions are pure (no global state; the bootstrap's only
// randomness comes from the seed it is given) and deterministic: the same input
// yields bit-identical output.
package did
