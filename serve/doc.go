// Package serve is the interactive teaching page of countysim: one web page, embedded in the
// binary, on which a class picks a province preset and a built-in scenario, moves the main
// reform levers, and watches the reform unfold month by month, one setting or two side by side.
//
// The server holds no state beyond the runs it is streaming. POST /api/run checks a scenario
// by the same rules as scenario files (scenarios.Parse, Set and Validate, plus the page's own
// caps on months and counties) and answers 400 with every problem, or 201 with a run id.
// A problem ({"errors": [...]}, for every refused request) names the field (path) and, in a
// YAML body, the line; its message and text (the field and the message) are in English and,
// where the server has a translation, in Chinese as the page writes it (message_zh, text_zh:
// the Chinese of lang/zh_errors.go and lang/zh_serve.go, with the bad value and what is
// allowed, spaced from the Chinese around them), so that the page shows either language
// without asking again.
// GET /api/run/{id}/months builds the model, steps it to its horizon and streams one NDJSON
// record per month as fast as the model goes; the page paces the animation itself. The model
// lives only while its stream runs. A created run that nobody streams expires. The page names
// the panel a run is for (?panel=TAB-A): a newer run of the same panel replaces the older one
// (stopping its stream); no other run is ever dropped to make room (the server answers 429).
//
// Stream records, one JSON object a line:
//
//	{"t":"meta", ...}   run, scenario, months, start_year, metrics, groups, prefectures,
//	                    county_names, county_pref, pilot ("0"/"1" per county), cohorts
//	{"t":"month", "month":1, "year":2005, "v":[[...],[...],[...]], "cv":[[...],...], "step":"0123...", "warn":"0012...", "cohort_steps":[[12,24,36],...]}
//	{"t":"end"} or {"t":"error", "message":"..."}
//
// v holds, per group (province, pilot, non-pilot), the value of each metric in meta.metrics
// (null when the group is empty); step and warn hold one digit per county: its PMC step
// (0-3) and debt warning (0 green, 1 yellow, 2 red). cv holds the county values the page
// charts for a chosen county. cohort_steps (only with PMC on) holds, per cohort, the months its
// first county entered steps 1-3 so far (-1: not yet; sim.Model.CohortStepAt): the realised
// dates the page marks, later than the planned ones in meta.cohorts when widening waits.
//
// Other routes: GET /api/presets and /api/scenarios (what the page offers: the built-in
// scenarios but the validation runs, eval-*, which a request may still name), GET /api/levers
// (the controls, with their ranges and labels in both languages, all from the fields' declaration
// in sim: see sim.Params), GET or POST /api/scenario.yaml (the scenario in the full form of
// scenarios.Marshal, which `countysim run FILE` reads back). No request touches the file
// system.
package serve
