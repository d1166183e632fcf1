// Package observe is what is observed of a simulation run and what is estimated from it, with
// no files, figures or translation (those are in results).
//
// An Observer watches a sim.Model after every month; Run builds a config with a seed,
// attaches an observer and runs it to its horizon, and Replicate does so for one replication
// of an ensemble. The observers here are:
//
//   - Track: chosen groups' values of every metric (Defs: the county metrics of sim.Metrics,
//     then GroupMetrics) by month, with yearly and horizon views. NewEnsembleTrack records the
//     EnsembleGroups, and an Ensemble is one scenario's tracks by replication.
//   - Panel: the county-year panel of a run with its treatment (a PMC step), the input of
//     the evaluation's estimators.
//   - CountyOutcomes: what a map shows of each county.
//
// Groups lists a model's groups (province, pilot, non-pilot, step:K, cohort:NAME,
// prefecture:NAME, tercile:K); each county metric combines across a group's counties by its
// sim.Agg (Aggregator), and the group metrics, population-weighted Theil and Gini indices of
// county GDP per capita (Theil, Gini), are computed from county GDP and population.
//
// Estimation: EstimatePanel fits a static two-way fixed-effects DiD and the Sun and Abraham
// (2021) event study and ATT with its joint pre-trend test (results/did) on a panel (with, when
// asked, the wild cluster restricted bootstrap tests of the TWFE coefficient, the ATT and the
// pre-trend test, seeded by the run's seed), and returns the outcomes it could not estimate
// (SummariseSkips counts them over replications); counterfactual configs (PMCOff, PMCStepOff,
// DevolutionOff, ApprovalOff, NoReform) run on the same seed give the true effects
// (PairTruth) the estimates are held against. Summarise and Quantile describe a sample of
// replication values.
package observe
