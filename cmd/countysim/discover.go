package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/discover"
	"github.com/countysim/countysim/results"
)

func cmdDiscover(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("discover", `SWEEP_DIR --where "METRIC OP VALUE" [flags]`, stderr)
	where := fs.String("where", "", `the outcome of interest, e.g. "growth < 0" or "hidden_debt/annual_revenue > 0.3"`)
	group := fs.String("group", "province", "the group whose metric is tested (one of the sweep's groups)")
	stat := fs.String("stat", "final", `the metric's value: "final" (last year) or "horizon" (whole run)`)
	out := fs.String("out", "", "output folder (default: SWEEP_DIR/discover)")
	alpha := fs.Float64("alpha", 0.05, "share of the box's runs peeled at a time (0 < alpha < 0.5)")
	minMass := fs.Float64("min-mass", 0.05, "peeling stops before the box holds less than this share of the runs (0 < m < 1)")
	density := fs.Float64("density", 0.8, "the chosen box: highest coverage with at least this density (0 to 1)")
	box := fs.Int("box", -1, "choose this step of the peeling trajectory instead")
	force := fs.Bool("force", false, "write into --out even if it holds other files")
	var lf langFlag
	lf.registerOutputs(fs, "the lang of the sweep's experiment")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("expected one sweep folder, got %d", fs.NArg())
	}
	if *where == "" {
		return usageErr(`--where is required (e.g. --where "growth < 0")`)
	}
	if !(*alpha > 0 && *alpha < 0.5) {
		return usageErr("--alpha: bad value %g (allowed: above 0 and below 0.5)", *alpha)
	}
	if !(*minMass > 0 && *minMass < 1) {
		return usageErr("--min-mass: bad value %g (allowed: above 0 and below 1)", *minMass)
	}
	if *box < -1 {
		return usageErr("--box: bad value %d (allowed: a step of the peeling trajectory, 0 or more; leave it out to choose by --density)", *box)
	}
	if !(*density >= 0 && *density <= 1) {
		return usageErr("--density: bad value %g (allowed: 0 to 1)", *density)
	}
	cond, err := discover.ParseCondition(*where)
	if err != nil {
		return badInput(err)
	}
	dir := fs.Arg(0)
	if err := checkFinishedSweep(dir); err != nil {
		return err
	}
	l, err := lf.resolve(sweepLang(dir))
	if err != nil {
		return err
	}
	sw, err := discover.LoadSweep(dir, cond, *group, *stat)
	if err != nil {
		return badInput(err)
	}
	res, err := discover.Discover(sw, discover.Options{Alpha: *alpha, MinMass: *minMass}, *density, *box)
	if err != nil {
		return badInput(err)
	}
	if *out == "" {
		*out = filepath.Join(dir, "discover")
	}
	// The folder is discover's own, as every command's (a fresh one, or one holding only a
	// previous discovery, replaced whole), written aside and moved into place.
	start := time.Now()
	od, err := claimOut(*out, "discover", *force)
	if err != nil {
		return err
	}
	defer od.discard()
	if err := res.Write(od.stage, discover.Words{Translate: l.T, Metric: l.MetricName, Group: func(g string) string { return results.GroupLabel(l, g) }, Font: results.PlotFont(l)}); err != nil {
		return err
	}
	if err := writeDiscoverManifest(od.stage, start, dir, cond.Text, *group, *stat); err != nil {
		return err
	}
	if err := od.commit(); err != nil {
		return fmt.Errorf("moving the output into %s: %w", *out, err)
	}
	s := res.Pasted.Stats
	fmt.Fprintln(stdout, l.F("countysim discover: %q holds in %d of %d runs; chosen box: step %d, after pasting coverage %.3f, density %.3f (in-sample), %d factor(s) restricted; written to %s",
		cond.Text, countTrue(sw.Data.Y), sw.Data.N(), res.Chosen, s.Coverage, s.Density, len(res.Pasted.Restricted), *out))
	return nil
}

// sweepLang is the lang: field of the experiment a sweep folder records ("" when it has none
// or the copy cannot be read: discover then falls back to the locale).
func sweepLang(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, experimentCopy))
	if err != nil {
		return ""
	}
	var e struct {
		Lang string `yaml:"lang"`
	}
	if yaml.Unmarshal(data, &e) != nil || (e.Lang != "en" && e.Lang != "zh") {
		return ""
	}
	return e.Lang
}

func countTrue(ys []bool) int {
	n := 0
	for _, y := range ys {
		if y {
			n++
		}
	}
	return n
}

// writeDiscoverManifest lists the discovery's files in dir's manifest.json, with the sweep it
// read and the outcome it looked for.
func writeDiscoverManifest(dir string, start time.Time, sweep, where, group, stat string) error {
	files, err := folderFiles(dir)
	if err != nil {
		return err
	}
	man, err := keyedManifest(start, 0, "", "", map[string]any{
		"sweep": sweep, "where": where, "group": group, "stat": stat, "files": files,
	})
	if err != nil {
		return err
	}
	delete(man, "seed") // no random numbers: PRIM is deterministic given the sweep
	delete(man, "seed_rule")
	return writeJSONFile(filepath.Join(dir, manifestFile), man)
}

// checkFinishedSweep refuses, as bad input, a folder that is not a whole, finished sweep as
// sweep or merge leave it: no batch record, an interrupted sweep (its discovery would sit
// beside the complete results once resumed), one shard of several, or tables changed since
// they were written (batch.Verify: sizes, checksums, runs in order, rows per run).
func checkFinishedSweep(dir string) error {
	st, rec, err := batch.StateOf(dir)
	if err != nil {
		return badInput(fmt.Errorf("%s: %w", dir, err))
	}
	switch {
	case st == batch.NoBatch:
		return usageErr("%s is not a finished sweep folder (no %s): give the folder countysim sweep or merge wrote", dir, batch.RecordFile)
	case rec.Shards > 1 && st != batch.Finished:
		return usageErr("%s holds shard %d of %d, unfinished: finish it with countysim sweep %s --shard %d/%d --out %s --resume, merge the shards (countysim merge SHARD_DIRS... --out DIR), then discover in the merged folder",
			dir, rec.Shard, rec.Shards, filepath.Join(dir, experimentCopy), rec.Shard, rec.Shards, dir)
	case rec.Shards > 1:
		return usageErr("%s holds shard %d of %d (runs %d-%d of %d): merge the shards first (countysim merge SHARD_DIRS... --out DIR), then discover in the merged folder",
			dir, rec.Shard, rec.Shards, rec.First, rec.First+rec.Count-1, rec.Total)
	case st != batch.Finished:
		return usageErr("%s holds an unfinished sweep: finish it with countysim sweep %s --out %s --resume, then discover", dir, filepath.Join(dir, experimentCopy), dir)
	}
	if _, err := batch.Verify(dir); err != nil {
		return badInput(fmt.Errorf("%w; run the sweep again (or discover in an untouched copy)", err))
	}
	return nil
}
