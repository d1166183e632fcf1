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
	"syscall"
	"time"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/calibrate"
	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/provenance"
)

func cmdCalibrate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("calibrate", "CALIBRATION.yaml [flags]", stderr)
	out := fs.String("out", "", "output folder (default: out/CALIBRATION)")
	jobs := fs.IntP("jobs", "j", runtime.NumCPU(), "runs executed at once")
	resume := fs.Bool("resume", false, "finish an interrupted calibration in --out without redoing finished runs")
	shard := fs.String("shard", "", "run only shard I of N (I/N, 0-based) of the next round's proposals into --out (a folder every machine shares), then stop; see --merge")
	merge := fs.Bool("merge", false, "merge the finished shards of the next round in --out, then name the round after it or, when the sampler stops, write the outputs")
	quiet := fs.BoolP("quiet", "q", false, "no progress output")
	force := fs.Bool("force", false, "start a calibration in --out even if it holds other files")
	var lf langFlag
	lf.registerOutputs(fs, "the calibration file's lang")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("expected one calibration file, got %d", fs.NArg())
	}
	workers, err := capWorkers(*jobs, stderr)
	if err != nil {
		return err
	}
	opt := calibrate.Options{Jobs: workers, Resume: *resume, Identity: map[string]string{"countysim_version": version(), "countysim_build": buildID()}}
	switch {
	case *shard != "" && *merge:
		return usageErr("--shard %s and --merge contradict: run the shards, then --merge once they are all finished", *shard)
	case *resume && (*shard != "" || *merge):
		return usageErr("--resume is not needed with --shard or --merge: a shard run again resumes its folder, and --merge continues from the rounds in --out")
	case *shard != "":
		var err error
		if opt.Shard, opt.Shards, err = parseShard(*shard); err != nil {
			return err
		}
		opt.Mode = calibrate.ShardRound
	case *merge:
		opt.Mode = calibrate.MergeRound
	}
	path := fs.Arg(0)
	cal, err := calibrate.Load(path)
	if err != nil {
		return badInput(err)
	}
	l, err := lf.resolve(cal.Lang)
	if err != nil {
		return err
	}
	cal.Lang = string(l) // the report's and plots' language (WriteOutputs)
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", cal.Name)
	}
	opt.Dir = dir
	if err := checkOutPath(dir); err != nil {
		return err
	}
	// A folder it cannot write, or cannot create, is found before any run.
	if err := checkWritable(dir); err != nil {
		return usageErr("--out %s: cannot write into it (%v)", dir, err)
	}
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := checkWritable(filepath.Dir(filepath.Clean(dir))); err != nil {
			return usageErr("--out %s: cannot create it (%v)", dir, err)
		}
	}
	// A calibration starts in a folder of its own: one that holds no calibration yet must be
	// missing or empty (a folder with a calibration is resumed, merged or refused by Execute).
	// Shards are exempt: they share one folder and may start at once, each finding the
	// others' files there before the calibration file.
	if !*resume && !*merge && *shard == "" {
		if _, err := os.Stat(filepath.Join(dir, calibrate.CopyFile)); errors.Is(err, os.ErrNotExist) {
			if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 && !*force {
				names := make([]string, len(ents))
				for i, e := range ents {
					names[i] = e.Name()
				}
				return refuseFolder(dir, names)
			}
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now().UTC()
	prog := newProgress(stderr, *quiet || opt.Mode != calibrate.Whole, cal.Runs(), unitRunsAtMost, l)
	opt.Progress = func(b calibrate.Batch, done, _ int) { prog.set(b.First + done) }
	res, err := calibrate.Execute(ctx, cal, opt)
	prog.done()
	if err != nil {
		var ie *calibrate.InputError
		switch {
		case errors.As(err, &ie):
			return badInput(err)
		case errors.Is(err, batch.ErrBusy):
			return busyErr(err)
		case errors.Is(err, context.Canceled) && *shard != "":
			fmt.Fprintln(stderr, l.F("countysim calibrate: stopped; continue with: countysim calibrate %s --shard %s --out %s", path, *shard, dir))
			return errInterrupted
		case errors.Is(err, context.Canceled):
			fmt.Fprintln(stderr, l.F("countysim calibrate: stopped; continue with: countysim calibrate %s --out %s --resume", path, dir))
			return errInterrupted
		}
		return err
	}
	if res.Pending != nil {
		reportPending(l, stdout, path, dir, res)
		return nil
	}
	if opt.Mode == calibrate.ShardRound {
		fmt.Fprintln(stdout, l.F("countysim calibrate: %q is complete in %s: no round is left to run; its outputs are written by: countysim calibrate %s --merge --out %s", cal.Name, dir, path, dir))
		return nil
	}
	if err := calibrate.WriteOutputs(dir, cal, res); err != nil {
		return err
	}
	if err := writeCalibrationManifest(dir, cal, start, res); err != nil {
		return err
	}
	if m := res.Merged; m != nil {
		fmt.Fprintln(stdout, l.F("countysim calibrate: merged the %d shards of generation %d round %d into %s", m.Shards, m.Gen, m.Round, m.Dir))
	}
	last := res.Trace.Pops[len(res.Trace.Pops)-1]
	fmt.Fprintln(stdout, l.F("countysim calibrate: %q: %d runs, %d generations, final tolerance %.4g (%s); posterior of %d particles written to %s",
		cal.Name, res.Trace.Runs, len(res.Trace.Pops), last.Epsilon, res.Trace.StopIn(l), len(last.Thetas), dir))
	return nil
}

func writeCalibrationManifest(dir string, cal *calibrate.Calibration, start time.Time, res *calibrate.Result) error {
	var files []provenance.File
	for _, name := range []string{calibrate.CopyFile, calibrate.PosteriorFile, "posterior.parquet", calibrate.GenerationsFile,
		calibrate.ReportFile, calibrate.MarginalsPlot, calibrate.PairsPlot} {
		sum, n, err := sha256File(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		files = append(files, provenance.File{Name: name, Bytes: n, SHA256: sum})
	}
	// The calibration manifest is an object of sorted keys that names its command line
	// "command" (as it always has; provenance.Decode reads it).
	man, err := keyedManifest(start, cal.Seed, "run i of the calibration (counted over all generations and rounds) uses batch.Seed(seed, i)", "command", map[string]any{
		"calibration": cal.Name, "calibration_sha256": cal.Hash(), "description": cal.Description,
		"runs": res.Trace.Runs, "generations": len(res.Trace.Pops), "stop": res.Trace.Stop, "files": files,
	})
	if err != nil {
		return err
	}
	return writeJSONFile(filepath.Join(dir, "manifest.json"), man)
}

// reportPending says in l what a sharded invocation did and what comes next.
func reportPending(l lang.Lang, stdout io.Writer, path, dir string, res *calibrate.Result) {
	p := res.Pending
	if m := res.Merged; m != nil {
		fmt.Fprintln(stdout, l.F("countysim calibrate: merged the %d shards of generation %d round %d into %s", m.Shards, m.Gen, m.Round, m.Dir))
	}
	if r := res.Ran; r != nil {
		what := l.T("done")
		if r.AlreadyDone {
			what = l.T("already done, left as it is")
		}
		fmt.Fprintln(stdout, l.F("countysim calibrate: shard %d/%d of generation %d round %d: runs %d-%d of the calibration %s (%d failed) in %s",
			r.Shard, r.Shards, r.Gen, r.Round, r.Batch.First+r.First, r.Batch.First+r.First+r.Count-1, what, r.FailedRuns, r.Dir))
		fmt.Fprintln(stdout, "  "+l.F("when all %d shards are done: countysim calibrate %s --merge --out %s", r.Shards, path, dir))
		return
	}
	fmt.Fprintln(stdout, l.F("countysim calibrate: next: generation %d round %d, %d proposals (runs %d-%d); run its shards: countysim calibrate %s --shard I/N --out %s for I = 0 .. N-1, then --merge again",
		p.Gen, p.Round, p.Proposals, p.Batch.First, p.Batch.First+p.Proposals-1, path, dir))
}
