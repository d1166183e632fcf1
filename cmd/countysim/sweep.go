package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/provenance"
	"github.com/countysim/countysim/results"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// Files a sweep writes besides the batch's own.
const (
	experimentCopy = "experiment.yaml"
	// baseCopy is the resolved base scenario (after the experiment's set overrides), written
	// out in full: merge loads the experiment with it, so a base given as a relative file
	// path needs no file beside the shard.
	baseCopy = "base.yaml"
)

func metricNames() []string {
	var ns []string
	for _, d := range observe.Defs() {
		ns = append(ns, d.Name)
	}
	return ns
}

// parseShard reads "I/N".
func parseShard(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n || n > scenarios.MaxRuns {
		return 0, 0, usageErr("--shard: bad value %q (allowed: I/N with 0 <= I < N, e.g. 0/4)", s)
	}
	return i, n, nil
}

// sweepIdentity is what a sweep folder records and a resume or merge checks: the experiment
// file, the resolved base scenario, and the countysim version and build (buildID).
func sweepIdentity(exp *scenarios.Experiment, base *scenarios.Scenario) map[string]string {
	return map[string]string{
		"experiment_sha256": exp.Hash(),
		"base_sha256":       scenarios.Hash(base),
		"countysim_version": version(),
		"countysim_build":   buildID(),
	}
}

func cmdSweep(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sweep", "EXPERIMENT.yaml [flags]", stderr)
	out := fs.String("out", "", "output folder (default: out/EXPERIMENT, out/EXPERIMENT/shard-I-of-N, or out/EXPERIMENT/slurm or k8s with --emit)")
	jobs := fs.IntP("jobs", "j", runtime.NumCPU(), "runs executed at once (at most the number of cores)")
	resume := fs.Bool("resume", false, "finish an interrupted sweep in --out without redoing finished runs (on a finished sweep: nothing to do)")
	retry := fs.Bool("resume-if-present", false, "resume when --out already holds this sweep, start it otherwise; a finished sweep is left as it is (for cluster job retries)")
	shard := fs.String("shard", "", "run only shard I of N (I/N, 0-based) of the experiment's runs")
	emit := fs.String("emit", "", `write cluster job files instead of running: "slurm" or "k8s"`)
	shards := fs.Int("shards", 4, "number of shards for --emit")
	quiet := fs.BoolP("quiet", "q", false, "no progress output")
	force := fs.Bool("force", false, "write into --out even if it holds other files or a finished sweep (which is replaced)")
	emitOpts := registerEmitFlags(fs)
	var lf langFlag
	lf.register(fs)
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole command to this file (for docs/BENCHMARKS.md)")
	_ = fs.MarkHidden("cpuprofile")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		stopProfile, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	if fs.NArg() != 1 {
		return usageErr("expected one experiment file, got %d", fs.NArg())
	}
	workers, err := capWorkers(*jobs, stderr)
	if err != nil {
		return err
	}
	path := fs.Arg(0)
	exp, err := loadSweepExperiment(path)
	if err != nil {
		return badInput(err)
	}
	lang, err := lf.resolve(exp.Lang)
	if err != nil {
		return err
	}
	exp.Lang = string(lang) // the sensitivity charts' language (finishSweep)
	if fs.Changed("shards") && *emit == "" {
		return usageErr("--shards is for --emit (the job files' shard count); to run one shard here use --shard I/N")
	}
	if *emit != "" {
		// The job files run every shard, and each task resumes its own: these flags would be
		// ignored, and the jobs not be what was asked.
		for _, f := range []string{"shard", "resume", "resume-if-present"} {
			if fs.Changed(f) {
				return usageErr("--%s is not for --emit (the job files run every shard, and each task resumes its own shard; --shards sets their number); run without --emit to run or resume one shard here", f)
			}
		}
		if *emit == "slurm" { // Kubernetes jobs run the image's countysim, not this file
			warnGoRun(emitOpts, stderr)
		}
		return emitJobs(exp, path, *emit, *shards, *out, *force, emitOpts, lang, stdout, stderr)
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
	if err := plan.Check(base); err != nil {
		return badInput(fmt.Errorf("%s: %w", path, err))
	}
	total := plan.Runs()
	first, count := 0, total
	si, sn := 0, 0
	dir := *out
	if *shard != "" {
		if si, sn, err = parseShard(*shard); err != nil {
			return err
		}
		if sn > total {
			return usageErr("--shard %s: %d shards for %d runs (allowed: at most one shard per run)", *shard, sn, total)
		}
		first, count = batch.ShardRange(total, si, sn)
		if dir == "" {
			dir = filepath.Join("out", exp.Name, fmt.Sprintf("shard-%d-of-%d", si, sn))
		}
	}
	if dir == "" {
		dir = filepath.Join("out", exp.Name)
	}
	if err := checkOutPath(dir); err != nil {
		return err
	}
	// One command on the folder at a time, from the first check to the manifest.
	_, statErr := os.Stat(dir)
	made := errors.Is(statErr, os.ErrNotExist)
	unlock, err := lockFolder(dir)
	if err != nil {
		return err
	}
	defer unlock()
	// A start killed before it committed a run left a journal and nothing to resume: it is
	// cleared, and this command starts the sweep (also with --resume).
	stale, err := batch.ClearStaleStart(dir)
	if err != nil {
		return badInput(fmt.Errorf("--out %s: %w", dir, err))
	}
	state, rec, err := batch.StateOf(dir)
	if err != nil {
		// An unreadable record (damaged, or of an older countysim) holds nothing this
		// countysim can resume: --force replaces the folder's sweep.
		if !*force || *resume {
			return badInput(fmt.Errorf("--out %s: %w; choose another --out, or add --force to replace the sweep it holds", dir, err))
		}
		if err := removeSweep(dir); err != nil {
			return err
		}
		state = batch.NoBatch
	}
	what := lang.T("sweep")
	if *shard != "" {
		what = lang.F("shard %s", *shard)
	}
	if state != batch.NoBatch && (*resume || *retry) {
		if data, err := os.ReadFile(filepath.Join(dir, experimentCopy)); err != nil || string(data) != string(exp.Data) {
			return usageErr("--resume: %s holds a different experiment than %s (the files differ); resume with the same file or choose another --out", dir, exp.Source)
		}
		want := batch.Record{Identity: sweepIdentity(exp, base), Total: rec.Total, RunHeader: rec.RunHeader, RowHeader: rec.RowHeader, RowsPerRun: rec.RowsPerRun}
		if d := batch.Differences(rec, want); len(d) > 0 {
			return usageErr("--resume: %s was run against another base scenario or countysim build (now %s); its runs and new ones would mix two models or output formats; resume with the same base and the same countysim build or choose another --out",
				dir, strings.Join(d, "; "))
		}
	}
	if *retry && !*resume {
		if state == batch.Finished {
			// A finished folder gives the status of the run that finished it: a shard whose
			// runs failed exits 1 on every retry too, so that a cluster does not report it done.
			fmt.Fprintln(stdout, lang.F("countysim sweep: %s of %q is already complete in %s (%d failed)", what, exp.Name, dir, rec.Failed))
			return failedRuns(batch.Result{Done: rec.Count, Failed: rec.Failed, Skipped: rec.Count, Total: rec.Count}, dir)
		}
		*resume = state != batch.NoBatch
	}
	switch state {
	case batch.NoBatch:
		// A start killed before its journal left the experiment's copy (and the base's), and
		// no run: --resume starts it again, as it does one killed before its first run.
		copied, err := os.ReadFile(filepath.Join(dir, experimentCopy))
		switch {
		case *resume && !stale && err == nil && string(copied) != string(exp.Data):
			unlock()
			return usageErr("--resume: %s holds the start of a different experiment than %s (the files differ); resume with the same file or choose another --out", dir, exp.Source)
		case *resume && !stale && err != nil:
			if unlock(); made {
				os.Remove(dir) // made by lockFolder only
			}
			return usageErr("--resume: %s holds no sweep to resume; run without --resume to start it", dir)
		}
		*resume = false
		if err := prepareSweepDir(dir, exp, base, *force); err != nil {
			return err
		}
	case batch.Interrupted, batch.Finishing:
		switch {
		case *resume:
			// The base scenario's copy is restored (its hash is in the record, checked above):
			// a finished folder holds the base it was run on.
			if err := writeBaseCopy(dir, base); err != nil {
				return err
			}
		case !*force:
			return usageErr("%s already holds an interrupted sweep; continue it with --resume, start it again with --force, or choose another --out", dir)
		default:
			if err := removeSweep(dir); err != nil {
				return err
			}
			if err := prepareSweepDir(dir, exp, base, *force); err != nil {
				return err
			}
		}
	case batch.Finished:
		switch {
		case *resume:
			failed, err := batch.Verify(dir)
			if err != nil {
				return badInput(fmt.Errorf("--resume: %w; run the sweep again in a new folder (or here with --force)", err))
			}
			fmt.Fprintln(stdout, lang.F("countysim sweep: %s of %q is already complete in %s (%d failed); nothing to do", what, exp.Name, dir, failed))
			return failedRuns(batch.Result{Done: rec.Count, Failed: failed, Skipped: rec.Count, Total: rec.Count}, dir)
		case !*force:
			return usageErr("%s already holds a finished sweep; --resume leaves it as it is, --force replaces it, or choose another --out", dir)
		}
		if err := removeSweep(dir); err != nil {
			return err
		}
		if err := prepareSweepDir(dir, exp, base, *force); err != nil {
			return err
		}
	}
	removeTemp(dir) // left by a kill in an earlier finishing step
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now().UTC()
	prog := newProgress(stderr, *quiet, count, unitRuns, lang)
	spec := sweepSpec(exp, plan, base, dir, first, count, workers, *resume)
	spec.Total, spec.Shard, spec.Shards = total, si, sn
	spec.Progress = func(done, _ int) { prog.set(done) }
	res, err := batch.Execute(ctx, spec)
	prog.done()
	switch {
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, lang.F("countysim sweep: stopped after %d of %d runs; continue with: countysim sweep %s --out %s --resume%s",
			res.Done, count, path, dir, shardFlag(*shard)))
		return errInterrupted
	case errors.Is(err, batch.ErrMismatch):
		return badInput(fmt.Errorf("--resume: %w; resume with the same experiment, base scenario and countysim build, or choose another --out", err))
	case errors.Is(err, batch.ErrDamaged):
		return badInput(fmt.Errorf("--resume: %w", err))
	case errors.Is(err, batch.ErrBusy):
		return busyErr(err)
	case errors.Is(err, os.ErrPermission):
		return badInput(err)
	case err != nil:
		return err
	}
	if *shard != "" {
		if err := batch.Finish(dir); err != nil {
			return err
		}
		fmt.Fprintln(stdout, lang.F("countysim sweep: shard %d/%d of %q: runs %d-%d done (%d failed) in %s", si, sn, exp.Name, first, first+count-1, res.Failed, dir))
		return failedRuns(res, dir)
	}
	notes, err := finishSweep(ctx, dir, exp, plan, start, res)
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, lang.F("countysim sweep: stopped in the finishing step, every run done; continue with: countysim sweep %s --out %s --resume", path, dir))
		return errInterrupted
	}
	if err != nil {
		return err
	}
	if err := batch.Finish(dir); err != nil {
		return err
	}
	fmt.Fprintln(stdout, lang.F("countysim sweep: %q: %d runs (%d skipped as already done, %d failed) written to %s", exp.Name, total, res.Skipped, res.Failed, dir))
	for _, n := range notes {
		fmt.Fprintln(stdout, "  "+lang.F("note: %s", n.Text))
	}
	return failedRuns(res, dir)
}

// failedRuns is the exit of a sweep some of whose runs failed: status 1, pointing to the
// errors in runs.csv.
func failedRuns(res batch.Result, dir string) error {
	if res.Failed == 0 {
		return nil
	}
	return &exitError{code: 1, err: fmt.Errorf("%d of %d runs failed; their errors are in %s (status, error); the other runs' results are written",
		res.Failed, res.Total, filepath.Join(dir, batch.RunsFile))}
}

// warnGoRun warns when the job files would name go run's temporary build of this program,
// which is gone once go run ends.
func warnGoRun(o *emitOptions, stderr io.Writer) {
	if o.binary != "" {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return
	}
	if goRunBuild(exe) {
		fmt.Fprintf(stderr, "countysim sweep: warning: this program is go run's temporary build (%s), which is removed when go run ends; "+
			"install countysim (go install ./cmd/countysim) and emit again, or pass --binary PATH\n", exe)
	}
}

// goRunBuild reports whether exe is in go's temporary build folder (TMPDIR/go-build.../exe/),
// where go run puts the program it runs; a program merely installed under the temporary folder
// is not.
func goRunBuild(exe string) bool {
	return strings.Contains(exe, string(filepath.Separator)+"go-build")
}

func shardFlag(s string) string {
	if s == "" {
		return ""
	}
	return " --shard " + s
}

// loadSweepExperiment loads an experiment file. A sweep folder's own copy (experiment.yaml
// with the base.yaml the sweep wrote beside it) is loaded with that base, as merge loads a
// shard's: the copy names its base scenario as the original file did, and a relative path
// would be read beside the copy, where there is no such file. The commands countysim prints to
// resume a sweep or run a shard again name the copy, and the copy and its base have the
// sha256 sums the folder's record holds.
func loadSweepExperiment(path string) (*scenarios.Experiment, error) {
	base, err := folderBase(path)
	if err != nil {
		return nil, err
	}
	return scenarios.LoadExperimentWithBase(path, metricNames(), base)
}

// folderBase is the base scenario a sweep folder recorded beside its experiment copy when path
// is such a copy: named experiment.yaml, with a base.yaml beside it in the full form a sweep
// writes (its bytes are those of the scenario it holds written out again, which a hand-written
// scenario's are not). Otherwise it is nil, and the experiment resolves its own base.
func folderBase(path string) (*scenarios.Scenario, error) {
	if filepath.Base(path) != experimentCopy {
		return nil, nil
	}
	file := filepath.Join(filepath.Dir(path), baseCopy)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, nil
	}
	base, err := scenarios.Load(file)
	if err != nil {
		return nil, nil
	}
	if full, err := scenarios.Marshal(base); err != nil || string(full) != string(data) {
		return nil, nil
	}
	return base, nil
}

// checkGroups builds the base scenario once to check that every group exists.
func checkGroups(base *scenarios.Scenario, groups []string) error {
	cfg := base.Config
	cfg.Months = 1
	m, err := sim.New(cfg)
	if err != nil {
		return err
	}
	_, err = observe.NewTrack(m, groups)
	return err
}

// prepareSweepDir makes dir a new sweep's folder, with the experiment and the resolved base
// in it. The folder must be fresh, or hold only a previous sweep's manifest and files, or
// --force is needed.
func prepareSweepDir(dir string, exp *scenarios.Experiment, base *scenarios.Scenario, force bool) error {
	foreign, _, _, err := foreignFiles(dir, "sweep", experimentCopy, baseCopy)
	if err != nil {
		return usageErr("--out %s: %v", dir, err)
	}
	if len(foreign) > 0 && !force {
		return refuseFolder(dir, foreign)
	}
	if err := removeSweep(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return usageErr("--out %s: %v", dir, err)
	}
	if err := writeBaseCopy(dir, base); err != nil {
		return err
	}
	return batch.WriteFileAtomic(filepath.Join(dir, experimentCopy), exp.Data)
}

// writeBaseCopy writes the resolved base scenario into dir as baseCopy.
func writeBaseCopy(dir string, base *scenarios.Scenario) error {
	baseYAML, err := scenarios.Marshal(base)
	if err != nil {
		return err
	}
	return batch.WriteFileAtomic(filepath.Join(dir, baseCopy), baseYAML)
}

// removeSweep removes a previous sweep's files from dir: those its manifest lists, the
// manifest, and the batch's own.
func removeSweep(dir string) error {
	if _, files, ok := prevManifest(dir); ok {
		for _, f := range files {
			_ = os.Remove(filepath.Join(dir, f))
		}
	}
	return batch.Remove(dir, manifestFile)
}

// failRun, when set (by tests), is called before each sweep run; an error it returns fails
// that run as a model error would.
var failRun func(id int) error

// sweepSpec turns an experiment plan into a batch: run id = point*reps + replication, and
// replication r of every point uses seed batch.Seed(experiment seed, r), so points are compared
// on common random numbers.
func sweepSpec(exp *scenarios.Experiment, plan *scenarios.Plan, base *scenarios.Scenario, dir string, first, count, jobs int, resume bool) batch.Spec {
	reps := plan.Reps
	header := append([]string{"point", "replication", "seed"}, plan.Columns...)
	return batch.Spec{
		Dir: dir, First: first, Count: count, Workers: jobs, Resume: resume,
		Identity:   sweepIdentity(exp, base),
		RunHeader:  header,
		RowHeader:  results.SweepRowHeader,
		RowsPerRun: len(exp.Groups) * len(exp.Metrics),
		Describe: func(id int) []string {
			pt, rep := id/reps, id%reps
			d := []string{strconv.Itoa(pt), strconv.Itoa(rep), strconv.FormatUint(batch.Seed(exp.Seed, rep), 10)}
			return append(d, plan.Values[pt]...)
		},
		Exec: func(ctx context.Context, id int) ([][]string, error) {
			if failRun != nil {
				if err := failRun(id); err != nil {
					return nil, err
				}
			}
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
	// Only the metrics the experiment reports are computed, by the model (sim.Options) and by
	// the track (Only): the same values as a full run.
	ks := make([]int, len(metrics))
	for i, mname := range metrics {
		if ks[i] = observe.DefIndex(mname); ks[i] < 0 {
			return nil, fmt.Errorf("sweep: metric %q is not a tracked metric", mname)
		}
	}
	reads, err := observe.Reads(ks)
	if err != nil {
		return nil, err
	}
	m, err := sim.NewWith(cfg, sim.Options{Metrics: reads})
	if err != nil {
		return nil, err
	}
	tr, err := observe.NewTrack(m, groups)
	if err != nil {
		return nil, err
	}
	if err := tr.Only(ks); err != nil {
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
			k := observe.DefIndex(mname)
			rows = append(rows, []string{gname, mname, fmtCell(tr.FinalYear(g, k)), fmtCell(tr.Horizon(g, k))})
		}
	}
	return rows, nil
}

// allNumbers reports whether every level is a number (levels of an integer or real field:
// a double column in Parquet, as a range's).
func allNumbers(levels []string) bool {
	for _, l := range levels {
		if _, err := strconv.ParseFloat(l, 64); err != nil {
			return false
		}
	}
	return true
}

// allBool reports whether every level is a YAML boolean as Go reads it (true, false).
func allBool(levels []string) bool {
	for _, l := range levels {
		if l != "true" && l != "false" {
			return false
		}
	}
	return true
}

// fmtCell writes a value of rows.csv: the shortest decimal that reads back as v, and an empty
// cell for a value that is not defined (NaN: a group with no county), as every other table
// writes a missing value.
func fmtCell(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// afterSweepTables, when set (by tests), is called in the finishing step after the Parquet
// tables are written; an error it returns stands for a kill at that point.
var afterSweepTables func() error

// finishSweep turns a complete sweep folder into its final form: Parquet copies of the
// tables, per-point summaries, sensitivity indices and charts, and the manifest.
//
// It stops with ctx.Err() at the next file when ctx is cancelled (Ctrl-C, SIGTERM): the
// folder stays a batch in its finishing step, which --resume finishes.
func finishSweep(ctx context.Context, dir string, exp *scenarios.Experiment, plan *scenarios.Plan, start time.Time, res batch.Result) ([]results.SweepNote, error) {
	runTypes := map[string]results.ColumnType{"run_id": results.Int64Column, "point": results.Int64Column, "replication": results.Int64Column}
	for _, f := range exp.Factors {
		switch {
		case len(f.Levels) == 0 || allNumbers(f.Levels):
			runTypes[f.Column()] = results.DoubleColumn
		case allBool(f.Levels):
			runTypes[f.Column()] = results.BoolColumn
		} // other levels stay text ("three-step", ...)
	}
	rowTypes := map[string]results.ColumnType{"run_id": results.Int64Column, "final": results.DoubleColumn, "horizon": results.DoubleColumn}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := results.CSVToParquet(filepath.Join(dir, batch.RunsFile), filepath.Join(dir, "runs.parquet"), runTypes); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := results.CSVToParquet(filepath.Join(dir, batch.RowsFile), filepath.Join(dir, "rows.parquet"), rowTypes); err != nil {
		return nil, err
	}
	if afterSweepTables != nil {
		if err := afterSweepTables(); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	notes, err := results.AnalyseSweep(dir, results.SweepPlan{
		Names: plan.Columns, Values: plan.Values, Reps: plan.Reps,
		Groups: exp.Groups, Metrics: exp.Metrics,
		Saltelli: plan.Saltelli, Morris: plan.Morris, Seed: exp.Seed, Lang: results.Lang(exp.Lang),
	})
	if err != nil {
		return notes, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return notes, writeSweepManifest(dir, exp, plan, start, res, notes)
}

func writeSweepManifest(dir string, exp *scenarios.Experiment, plan *scenarios.Plan, start time.Time, res batch.Result, notes []results.SweepNote) error {
	files, err := folderFiles(dir)
	if err != nil {
		return err
	}
	en := []string{} // the manifest's notes stay in English
	for _, n := range notes {
		en = append(en, n.English)
	}
	// The sweep manifest is an object of sorted keys (as it always was).
	man, err := keyedManifest(start, exp.Seed, "replication r of every point uses batch.Seed(seed, r) (SplitMix64 of seed + golden-ratio increment x (r+1))", "", map[string]any{
		"experiment": exp.Name, "experiment_sha256": exp.Hash(), "description": exp.Description,
		"design": exp.Design.Type, "points": len(plan.Points), "replications": plan.Reps, "runs": plan.Runs(),
		"failed_runs": res.Failed, "files": files, "notes": en,
	})
	if err != nil {
		return err
	}
	return writeJSONFile(filepath.Join(dir, manifestFile), man)
}

// folderFiles lists the files of dir for its manifest, with their sizes and SHA-256 (not
// folders, hidden files or the manifest itself).
func folderFiles(dir string) ([]provenance.File, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []provenance.File
	for _, e := range ents {
		if e.IsDir() || e.Name() == manifestFile || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		sum, n, err := sha256File(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files = append(files, provenance.File{Name: e.Name(), Bytes: n, SHA256: sum})
	}
	return files, nil
}

// keyedManifest is a manifest as an object of sorted keys (sweep, calibrate): the provenance
// of a command that started at start, its times to the second and without a duration, its
// command line under argsKey ("" keeps "args"), and the command's own keys, which may not
// reuse a provenance key.
func keyedManifest(start time.Time, seed uint64, seedRule, argsKey string, own map[string]any) (map[string]any, error) {
	p := provenance.New(version(), commit(), goVersion(), invocation, start.UTC().Truncate(time.Second), time.Now().UTC().Truncate(time.Second))
	p.Seed, p.SeedRule = provenance.SeedOf(seed), seedRule
	man, err := p.Fields()
	if err != nil {
		return nil, err
	}
	delete(man, "duration_seconds")
	if argsKey != "" {
		man[argsKey] = man["args"]
		delete(man, "args")
	}
	for k, v := range own {
		if _, ok := man[k]; ok {
			return nil, fmt.Errorf("manifest: key %q is both provenance and the command's own", k)
		}
		man[k] = v
	}
	return man, nil
}
