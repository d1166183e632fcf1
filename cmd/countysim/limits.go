package main

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/results"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// Limits every command states in its help and checks before any work starts.
const (
	// maxReps caps --reps of run and compare (replications per scenario); a run's ensemble
	// is kept in memory until it is written.
	maxReps = 10_000
	// maxRunsPerCommand caps the runs one command executes: a comparison's scenarios times
	// replications, a sweep's points times replications (scenarios.MaxRuns).
	maxRunsPerCommand = scenarios.MaxRuns
	// warnOutputBytes is the projected output above which a run warns, with the figure.
	warnOutputBytes = 1 << 30
	// maxOutputBytes is the projected output above which a run is refused unless --force.
	maxOutputBytes = 20 << 30
	// maxEnsembleBytes caps the memory an ensemble's tracks are projected to take (every
	// replication's monthly series stay in memory until the summary is written).
	maxEnsembleBytes = 8 << 30
)

// checkEnsembleMemory refuses, unless force, ensembles whose tracks are projected above
// maxEnsembleBytes: runs times months times the plotted groups (3) and metrics, 8 bytes each.
func checkEnsembleMemory(runs, months int, force bool) error {
	b := int64(runs) * int64(months) * 3 * int64(len(observe.Defs())) * 8
	if b > maxEnsembleBytes && !force {
		return usageText("", "%d runs of %d months would hold about %s of series in memory, above the %s cap; use fewer --reps or --months, or add --force", runs, months, humanBytes(b), humanBytes(maxEnsembleBytes))
	}
	return nil
}

// checkReps checks --reps for a command running n scenarios.
func checkReps(reps, n int) error {
	if reps < 1 || reps > maxReps {
		return usageText("", "--reps: bad value %d (allowed: 1 to %d)", reps, maxReps)
	}
	if reps*n > maxRunsPerCommand {
		return usageText("", "--reps %d for %d scenarios is %d runs (allowed: at most %d runs per command)", reps, n, reps*n, maxRunsPerCommand)
	}
	return nil
}

// capWorkers checks --jobs and caps it at the number of cores, with a warning: more workers
// than cores only add memory.
func capWorkers(jobs int, stderr io.Writer) (int, error) {
	if jobs < 1 {
		return 0, usageErr("--jobs: bad value %d (allowed: 1 to the number of cores, %d here)", jobs, runtime.NumCPU())
	}
	if n := runtime.NumCPU(); jobs > n {
		fmt.Fprintf(stderr, "countysim: warning: --jobs %d is more than the %d cores here; using %d\n", jobs, n, n)
		return n, nil
	}
	return jobs, nil
}

// projectRunBytes estimates what one run writes, from the world's size, the horizon and the
// options: the county panel dominates (a row per county and period, about 60 columns), then
// the series (a row per group and month for every metric) and the town table.
func projectRunBytes(s *scenarios.Scenario, opts results.Options) int64 {
	counties, towns, prefs := 0, 0, 0
	for _, p := range s.Config.World.Provinces {
		counties += p.Counties
		towns += p.Towns
		prefs += p.Prefectures
	}
	months := int64(s.Config.Months)
	periods := (months + 11) / 12
	if opts.Panel == "monthly" {
		periods = months
	}
	groups := int64(10 + len(s.Config.PMC.Cohorts) + prefs + len(s.Config.World.Provinces))
	switch {
	case slices.Equal(opts.Groups, results.DefaultGroups):
		groups -= int64(prefs)
	case len(opts.Groups) > 0:
		groups = int64(3 + 4*len(opts.Groups))
	}
	const panelRow, seriesRow, townRow = 1100, 3000, 200 // bytes, measured on the teaching and national presets
	b := int64(counties)*periods*panelRow + groups*months*seriesRow + int64(towns)*((months+11)/12)*townRow
	if opts.Plots {
		b += 4 << 20
	}
	return b
}

// checkOutputSize warns when a command is projected to write more than warnOutputBytes and
// refuses above maxOutputBytes unless force.
func checkOutputSize(projected int64, force bool, stderr io.Writer) error {
	switch {
	case projected > maxOutputBytes && !force:
		return usageText("", "the output is projected at about %s, above the %s cap; shorten --months, use --panel yearly or --groups, or add --force", humanBytes(projected), humanBytes(maxOutputBytes))
	case projected > warnOutputBytes:
		fmt.Fprintf(stderr, "countysim: warning: the output is projected at about %s\n", humanBytes(projected))
	}
	return nil
}

func humanBytes(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.0f MB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%d KB", b>>10)
}

// checkGroupPatterns checks every --groups entry against the groups the scenario's model
// has: a name, or a prefix ending in "*" that matches at least one group.
func checkGroupPatterns(s *scenarios.Scenario, patterns []string) error {
	if len(patterns) == 0 {
		return nil
	}
	if slices.Contains(patterns, "all") {
		if len(patterns) > 1 {
			return usageErr(`--groups: "all" cannot be combined with other groups (got %s)`, strings.Join(patterns, ","))
		}
		return nil
	}
	cfg := s.Config
	cfg.Months = 1
	m, err := sim.New(cfg)
	if err != nil {
		return badInput(err)
	}
	var names []string
	for _, g := range observe.Groups(m) {
		names = append(names, g.Name)
	}
	for _, p := range patterns {
		found := false
		for _, n := range names {
			if n == p || strings.HasSuffix(p, "*") && strings.HasPrefix(n, strings.TrimSuffix(p, "*")) {
				found = true
				break
			}
		}
		if !found {
			shown := names
			if len(shown) > 12 {
				shown = append(shown[:12:12], "...")
			}
			return usageText(s.Lang, "--groups: %q matches no group of %s (groups: %s; a prefix ends in *, e.g. step:*)", p, s.Name, strings.Join(shown, ", "))
		}
	}
	return nil
}
