// Package scenarios says what to run: the YAML scenario format, its strict loading and
// validation, the built-in scenarios and the province presets.
//
// A scenario file is partial: it names the fields it changes and inherits the rest, starting
// from sim.DefaultConfig, then the world of its preset (a province with real 2009 counts, the
// whole country, or a small teaching province), then its own fields on top. Every key and type
// is checked by walking the YAML tree alongside sim.Config's yaml tags, so a new field in
// sim.Config is accepted without a change here; ranges and cross-field rules come from
// sim.Config.Validate. All problems are reported at once, each with its file, line, field path,
// bad value and what is allowed. Marshal writes the full form of a scenario (every field, the
// defaults included), which loads back to the same config, and Hash fingerprints it for run
// manifests. Set applies command-line overrides such as pmc.cohorts[0].step1=12.
package scenarios
