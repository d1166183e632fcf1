package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/results"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// Files a sweep writes besides the batch tables.
const (
	experimentCopy = "experiment.yaml"
	shardRecord    = "shard.json"
)

// shardInfo is a shard's record of what it holds; merge checks it.
type shardInfo struct {
	Experiment string `json:"experiment"`
	Hash       string `json:"experiment_sha256"`
	Shard      int    `json:"shard"`
	Shards     int    `json:"shards"`
	First      int    `json:"first_run"`
	Count      int    `json:"runs"`
	Total      int    `json:"total_runs"`
	Complete   bool   `json:"complete"`
}

func metricNames() []string {
	var ns []string
	for _, d := range results.Defs() {
		ns = append(ns, d.Name)
	}
	return ns
}

// parseShard reads "I/N".
func parseShard(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, usageErr("--shard: bad value %q (allowed: I/N with 0 <= I < N, e.g. 0/4)", s)
	}
	return i, n, nil
}

// shardRange is shard i of n's contiguous block of runs.
func shardRange(total, i, n int) (first, count int) {
	first = total * i / n
	return first, total*(i+1)/n - first
}

func cmdSweep(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sweep", "EXPERIMENT.yaml [flags]", stderr)
	out := fs.String("out", "", "output folder (default: out/EXPERIMENT, out/EXPERIMENT/shard-I-of-N, or out/EXPERIMENT/slurm or k8s with --emit)")
	jobs := fs.IntP("jobs", "j", runtime.NumCPU(), "runs executed at once")
	resume := fs.Bool("resume", false, "finish an interrupted sweep in --out without redoing finished runs")
	retry := fs.Bool("resume-if-present", false, "resume when --out already holds this sweep, start it otherwise; a finished shard is left as it is (for cluster job retries)")
	shard := fs.String("shard", "", "run only shard I of N (I/N, 0-based) of the experiment's runs")
	emit := fs.String("emit", "", `write cluster job files instead of running: "slurm" or "k8s"`)
	shards := fs.Int("shards", 4, "number of shards for --emit")
	quiet := fs.BoolP("quiet", "q", false, "no progress output")
	emitOpts := registerEmitFlags(fs)
	var lf langFlag
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("expected one experiment file, got %d", fs.NArg())
	}
	if *jobs < 1 {
		return usageErr("--jobs: bad value %d (allowed: 1 or more)", *jobs)
	}
	path := fs.Arg(0)
	exp, err := scenarios.LoadExperiment(path, metricNames())
	if err != nil {
		return badInput(err)
	}
	lang, err := lf.resolve(exp.Lang)
	if err != nil {
		return err
	}
	exp.Lang = string(lang) // the sensitivity charts' language (finishSweep)
	if *emit != "" {
		return emitJobs(exp, path, *emit, *shards, *out, emitOpts, stdout)
	}
	plan, err := exp.Plan()
	if err != nil {
		return badInput(err)
	}
	base, err := exp.Base()
	if err != nil {
		return badInput(err)
	}
	if err := checkGroups(base, exp.Groups); err != nil {
		return badInput(fmt.Errorf("%s: groups: %w", path, err))
	}
	total := plan.Runs()
	first, count := 0, total
	si, sn := 0, 1
	dir := *out
	if *shard != "" {
		if si, sn, err = parseShard(*shard); err != nil {
			return err
		}
		first, count = shardRange(total, si, sn)
		if dir == "" {
			dir = filepath.Join("out", exp.Name, fmt.Sprintf("shard-%d-of-%d", si, sn))
		}
	}
	if dir == "" {
		dir = filepath.Join("out", exp.Name)
	}
	if *retry && !*resume {
		if *shard != "" && shardDone(dir, exp, si, sn) {
			fmt.Fprintf(stdout, "countysim sweep: shard %d/%d of %q is already complete in %s\n", si, sn, exp.Name, dir)
			return nil
		}
		*resume = fileExists(filepath.Join(dir, experimentCopy))
	}
	if err := prepareSweepDir(dir, exp, *resume); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now().UTC()
	prog := newProgress(stderr, *quiet, count, "runs")
	spec := sweepSpec(exp, plan, base, dir, first, count, *jobs, *resume)
	spec.Progress = func(done, _ int) { prog.set(done) }
	res, err := batch.Execute(ctx, spec)
	prog.done()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "countysim sweep: stopped after %d of %d runs; continue with: countysim sweep %s --out %s --resume%s\n",
				res.Done, count, path, dir, shardFlag(*shard))
			return errInterrupted
		}
		return err
	}
	if *shard != "" {
		info := shardInfo{Experiment: exp.Name, Hash: exp.Hash(), Shard: si, Shards: sn, First: first, Count: count, Total: total, Complete: true}
		if err := writeJSONFile(filepath.Join(dir, shardRecord), info); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "countysim sweep: shard %d/%d of %q: runs %d-%d done (%d failed) in %s\n", si, sn, exp.Name, first, first+count-1, res.Failed, dir)
		return nil
	}
	notes, err := finishSweep(dir, exp, plan, start, res)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "countysim sweep: %q: %d runs (%d skipped as already done, %d failed) written to %s\n", exp.Name, total, res.Skipped, res.Failed, dir)
	for _, n := range notes {
		fmt.Fprintf(stdout, "  note: %s\n", n)
	}
	return nil
}

func shardFlag(s string) string {
	if s == "" {
		return ""
	}
	return " --shard " + s
}

// checkGroups builds the base scenario once to check that every group exists.
func checkGroups(base *scenarios.Scenario, groups []string) error {
	cfg := base.Config
	cfg.Months = 1
	m, err := sim.New(cfg)
	if err != nil {
		return err
	}
	_, err = results.NewTrack(m, groups)
	return err
}

// prepareSweepDir creates dir and records the experiment in it, or, when resuming, checks
// that dir holds the same experiment.
func prepareSweepDir(dir string, exp *scenarios.Experiment, resume bool) error {
	saved := filepath.Join(dir, experimentCopy)
	if resume {
		data, err := os.ReadFile(saved)
		if err != nil {
			return badInput(fmt.Errorf("--resume: %s holds no sweep to resume (%v)", dir, err))
		}
		if string(data) != string(exp.Data) {
			return badInput(fmt.Errorf("--resume: %s holds a different experiment than %s (the files differ); resume with the same file or choose another --out", dir, exp.Source))
		}
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, batch.RunsFile)); err == nil {
		return badInput(fmt.Errorf("%s already holds a sweep; use --resume to finish it or choose another --out", dir))
	}
	return os.WriteFile(saved, exp.Data, 0o644)
}

// sweepSpec turns an experiment plan into a batch: run id = point*reps + replication, and
// replication r of every point uses seed batch.Seed(experiment seed, r), so points are compared
// on common random numbers.
func sweepSpec(exp *scenarios.Experiment, plan *scenarios.Plan, base *scenarios.Scenario, dir string, first, count, jobs int, resume bool) batch.Spec {
	reps := plan.Reps
	header := append([]string{"point", "replication", "seed"}, plan.Names...)
	return batch.Spec{
		Dir: dir, First: first, Count: count, Workers: jobs, Resume: resume,
		RunHeader: header,
		RowHeader: results.SweepRowHeader,
		Describe: func(id int) []string {
			pt, rep := id/reps, id%reps
			d := []string{strconv.Itoa(pt), strconv.Itoa(rep), strconv.FormatUint(batch.Seed(exp.Seed, rep), 10)}
			return append(d, plan.Values[pt]...)
		},
		Exec: func(ctx context.Context, id int) ([][]string, error) {
			pt, rep := id/reps, id%reps
			s, err := plan.Scenario(base, pt)
			if err != nil {
				return nil, err
			}
			s.Config.Seed = batch.Seed(exp.Seed, rep)
			return sweepRun(ctx, s.Config, exp.Groups, exp.Metrics)
		},
	}
}

// sweepRun runs one configuration and returns its rows: per group and metric, the final-year
// value and the horizon value.
func sweepRun(ctx context.Context, cfg sim.Config, groups, metrics []string) ([][]string, error) {
	m, err := sim.New(cfg)
	if err != nil {
		return nil, err
	}
	tr, err := results.NewTrack(m, groups)
	if err != nil {
		return nil, err
	}
	err = m.Run(func(m *sim.Model) error {
		if m.Month()%12 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		return tr.Observe(m)
	})
	if err != nil {
		return nil, err
	}
	rows := make([][]string, 0, len(groups)*len(metrics))
	for g, gname := range groups {
		for _, mname := range metrics {
			k := results.DefIndex(mname)
			rows = append(rows, []string{gname, mname, fmtG(tr.FinalYear(g, k)), fmtG(tr.Horizon(g, k))})
		}
	}
	return rows, nil
}

func fmtG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// finishSweep turns a complete sweep folder into its final form: Parquet copies of the
// tables, per-point summaries, sensitivity indices and charts, and the manifest.
func finishSweep(dir string, exp *scenarios.Experiment, plan *scenarios.Plan, start time.Time, res batch.Result) ([]string, error) {
	runTypes := map[string]results.ColumnType{"run_id": results.Int64Column, "point": results.Int64Column, "replication": results.Int64Column}
	for _, n := range plan.Names {
		runTypes[n] = results.DoubleColumn
	}
	for _, f := range exp.Factors {
		if len(f.Levels) > 0 {
			delete(runTypes, f.Path) // levels stay text (true/false, "three-step", ...)
		}
	}
	rowTypes := map[string]results.ColumnType{"run_id": results.Int64Column, "final": results.DoubleColumn, "horizon": results.DoubleColumn}
	if err := results.CSVToParquet(filepath.Join(dir, batch.RunsFile), filepath.Join(dir, "runs.parquet"), runTypes); err != nil {
		return nil, err
	}
	if err := results.CSVToParquet(filepath.Join(dir, batch.RowsFile), filepath.Join(dir, "rows.parquet"), rowTypes); err != nil {
		return nil, err
	}
	notes, err := results.AnalyseSweep(dir, results.SweepPlan{
		Names: plan.Names, Values: plan.Values, Reps: plan.Reps,
		Groups: exp.Groups, Metrics: exp.Metrics,
		Saltelli: plan.Saltelli, Morris: plan.Morris, Seed: exp.Seed, Lang: results.Lang(exp.Lang),
	})
	if err != nil {
		return notes, err
	}
	return notes, writeSweepManifest(dir, exp, plan, start, res)
}

func writeSweepManifest(dir string, exp *scenarios.Experiment, plan *scenarios.Plan, start time.Time, res batch.Result) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	type file struct {
		Name   string `json:"name"`
		Bytes  int64  `json:"bytes"`
		SHA256 string `json:"sha256"`
	}
	var files []file
	for _, e := range ents {
		if e.IsDir() || e.Name() == "manifest.json" {
			continue
		}
		sum, n, err := sha256File(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		files = append(files, file{e.Name(), n, sum})
	}
	man := map[string]any{
		"tool": "countysim", "version": version(), "commit": commit(), "go_version": goVersion(),
		"command":    os.Args,
		"experiment": exp.Name, "experiment_sha256": exp.Hash(), "description": exp.Description,
		"design": exp.Design.Type, "points": len(plan.Points), "replications": plan.Reps, "runs": plan.Runs(),
		"failed_runs": res.Failed, "seed": exp.Seed,
		"seed_rule": "replication r of every point uses batch.Seed(seed, r) (SplitMix64 of seed + golden-ratio increment x (r+1))",
		"start":     start.Format(time.RFC3339), "end": time.Now().UTC().Format(time.RFC3339),
		"files": files,
	}
	return writeJSONFile(filepath.Join(dir, "manifest.json"), man)
}
