// Package targets is the check of the simulation against the published empirical findings
// T1-T9 of docs/TARGETS.md (`countysim evaluate --validate`): the built-in scenarios it runs
// (Scenarios), the figures it measures on their county-year panels and true
// effects, and the rules that decide each target (Check). It writes nothing: the report,
// figures and manifest are results.WriteValidation. docs/VALIDATION.md explains the rules.
package targets
