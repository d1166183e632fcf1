// Package results turns a simulation run into files: tidy tables, a run manifest and figures.
//
// A Recorder observes a sim.Model after every month (its Observe method is sim.Model.Run's
// callback) and writes, into one directory:
//
//   - series.csv: month (1-based), year (start_year + (month-1)/12), group, metric, value,
//     one row per month, group and metric, streamed to disk as the run goes. A group with no
//     counties in a month has no rows that month.
//   - counties.csv: the county panel, yearly by default (flows summed over the year, stocks at
//     its last month, rates averaged; a trailing partial year covers the months run) or
//     monthly: county_id, county, county_code (2010 division code; empty for a drawn county),
//     province, prefecture_id, prefecture, prefecture_code, pilot (0/1), cohort
//     (name, empty for non-pilots), tercile (strength tercile within the province, 1 weakest),
//     year, month (monthly panel only), pmc_step (at the period's end), then every county
//     metric by name (pilot and pmc_step appear once, as identifier columns).
//   - summary.csv: for every group and KeyMetrics entry, the value in the first year and in
//     the last complete year (yearly as in counties.csv), the change and the change in percent.
//   - metrics.csv: the dictionary of metrics: name, unit, yearly_unit, family, kind,
//     aggregation across counties, level (county or group) and help.
//   - efficiency, cost, fiscal, growth and overview figures (.png, .svg) when Options.Plots is
//     set: pilot, non-pilot and all counties over calendar years, PMC step dates dashed (the realised
//     dates, observe.CohortSteps: later than planned when widening waits for normal running).
//   - manifest.json, written last: the Meta, start and end, counts, files with their SHA-256,
//     and the resolved scenario YAML.
//
// Every file is written under a temporary name in the directory and renamed into place by
// Close, so an interrupted run leaves no half-written file under a final name; Abort removes
// what a failed run wrote.
//
// The groups, their aggregation (Theil and Gini included), tracks, ensembles, the
// county-year panel and the estimators are in package observe; results writes them.
//
// Numbers are written by formatFloat: the shortest decimal that reads back as the same
// float64 (strconv 'g', -1), NaN as an empty field. Identical runs give identical bytes in
// every CSV file; only manifest.json (times) and the figures may differ. The table writer
// takes a typed column schema so that a Parquet writer can reuse the same rows later.
package results
