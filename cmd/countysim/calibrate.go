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

	"github.com/countysim/countysim/calibrate"
	"github.com/countysim/countysim/provenance"
)

func cmdCalibrate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("calibrate", "CALIBRATION.yaml [flags]", stderr)
	out := fs.String("out", "", "output folder (default: out/CALIBRATION)")
	jobs := fs.IntP("jobs", "j", runtime.NumCPU(), "runs executed at once")
	resume := fs.Bool("resume", false, "finish an interrupted calibration in --out without redoing finished runs")
	quiet := fs.BoolP("quiet", "q", false, "no progress output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("expected one calibration file, got %d", fs.NArg())
	}
	if *jobs < 1 {
		return usageErr("--jobs: bad value %d (allowed: 1 or more)", *jobs)
	}
	path := fs.Arg(0)
	cal, err := calibrate.Load(path)
	if err != nil {
		return badInput(err)
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", cal.Name)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now().UTC()
	prog := newProgress(stderr, *quiet, cal.Runs(), "runs (at most)")
	res, err := calibrate.Execute(ctx, cal, calibrate.Options{Dir: dir, Jobs: *jobs, Resume: *resume,
		Progress: func(b calibrate.Batch, done, _ int) { prog.set(b.First + done) }})
	prog.done()
	if err != nil {
		var ie *calibrate.InputError
		switch {
		case errors.As(err, &ie):
			return badInput(err)
		case errors.Is(err, context.Canceled):
			fmt.Fprintf(stderr, "countysim calibrate: stopped; continue with: countysim calibrate %s --out %s --resume\n", path, dir)
			return errInterrupted
		}
		return err
	}
	if err := calibrate.WriteOutputs(dir, cal, res); err != nil {
		return err
	}
	if err := writeCalibrationManifest(dir, cal, start, res); err != nil {
		return err
	}
	last := res.Trace.Pops[len(res.Trace.Pops)-1]
	fmt.Fprintf(stdout, "countysim calibrate: %q: %d runs, %d generations, final tolerance %.4g (%s); posterior of %d particles written to %s\n",
		cal.Name, res.Trace.Runs, len(res.Trace.Pops), last.Epsilon, res.Trace.Stop, len(last.Thetas), dir)
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
	// The calibration manifest is an object of sorted keys, its times to the second, without a
	// duration, and names its command line "command" (as it always has; provenance.Decode
	// reads it).
	p := provenance.New(version(), commit(), goVersion(), invocation, start.UTC().Truncate(time.Second), time.Now().UTC().Truncate(time.Second))
	p.Seed, p.SeedRule = provenance.SeedOf(cal.Seed), "run i of the calibration (counted over all generations and rounds) uses batch.Seed(seed, i)"
	man, err := p.Fields()
	if err != nil {
		return err
	}
	man["command"] = man["args"]
	delete(man, "args")
	delete(man, "duration_seconds")
	for k, v := range map[string]any{
		"calibration": cal.Name, "calibration_sha256": cal.Hash(), "description": cal.Description,
		"runs": res.Trace.Runs, "generations": len(res.Trace.Pops), "stop": res.Trace.Stop, "files": files,
	} {
		man[k] = v
	}
	return writeJSONFile(filepath.Join(dir, "manifest.json"), man)
}
