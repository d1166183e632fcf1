package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/results"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// defaultEvaluateReps is the number of replications `evaluate` runs.
const defaultEvaluateReps = 20

func cmdEvaluate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("evaluate", "[SCENARIO] [flags]  |  evaluate --validate [--reps N] [--out DIR] [-j N] [--seed S]", stderr)
	var sf scenarioFlags
	sf.register(fs)
	reps := fs.Int("reps", defaultEvaluateReps, "replications; replication r runs with seed batch.Seed(master seed, r)")
	out := fs.String("out", "", "output folder (default: out/evaluate-SCENARIO, or out/validation with --validate)")
	jobs := fs.IntP("jobs", "j", runtime.NumCPU(), "runs executed at once (results are the same whatever the number)")
	step := fs.Int("treatment-step", 3, "PMC step from which a county counts as treated: 1 (fiscal PMC) or 3 (full PMC)")
	validate := fs.Bool("validate", false, "run the validation targets T1-T7 on their built-in scenarios and write report.md and report.html")
	quiet := fs.BoolP("quiet", "q", false, "no progress output")
	var lf langFlag
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *reps < 1 {
		return usageErr("--reps: bad value %d (allowed: 1 or more)", *reps)
	}
	if *jobs < 1 {
		return usageErr("--jobs: bad value %d (allowed: 1 or more)", *jobs)
	}
	if *step != 1 && *step != 3 {
		return usageErr("--treatment-step: bad value %d (allowed: 1 or 3)", *step)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, err := lf.with(ctx, "")
	if err != nil {
		return err
	}
	if *validate {
		for _, name := range []string{"treatment-step", "months", "set"} {
			if fs.Changed(name) {
				return usageErr("--%s cannot be used with --validate: each target runs its own built-in scenarios as they are", name)
			}
		}
		if fs.NArg() > 0 {
			return usageErr("--validate takes no scenario (each target names its own), got %v", fs.Args())
		}
		master := sim.DefaultConfig().Seed
		if fs.Changed("seed") {
			master = sf.seed
		}
		dir := *out
		if dir == "" {
			dir = filepath.Join("out", "validation")
		}
		return runValidation(ctx, dir, master, *reps, *jobs, *quiet, stdout, stderr)
	}
	s, err := sf.loadArg(fs)
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", "evaluate-"+safeName(s.Name))
	}
	return evaluate(ctx, s, dir, *step, *reps, *jobs, *quiet, stdout, stderr)
}

// evaluate runs scenario s reps times, estimates the reform's effects in every replication and
// writes the evaluation into dir. The master seed is the scenario's (after --seed).
func evaluate(ctx context.Context, s *scenarios.Scenario, dir string, step, reps, workers int, quiet bool, stdout, stderr io.Writer) error {
	master := s.Config.Seed
	meta := ensembleMeta(master, reps)
	meta.Lang = langOf(ctx)
	rec, err := scenarioRecord(s)
	if err != nil {
		return err
	}
	ev := &results.Evaluation{Scenario: rec, Config: s.Config, TreatmentStep: step,
		Panels: make([]*results.Panel, reps), Estimates: make([][]results.EvalEstimate, reps)}
	notes := make([][]string, reps)
	prog := newProgress(stderr, quiet, reps, "runs")
	err = forEach(ctx, reps, workers, prog, func(ctx context.Context, r int) error {
		seed := batch.Seed(master, r)
		p, err := runPanel(ctx, s.Config, seed, step)
		if err != nil {
			return fmt.Errorf("replication %d (seed %d): %w", r, seed, err)
		}
		est, n, err := results.EstimatePanel(p, r)
		if err != nil {
			return fmt.Errorf("scenario %s: %w", s.Name, err)
		}
		ev.Panels[r], ev.Estimates[r], notes[r] = p, est, n
		return nil
	})
	if err != nil {
		return err
	}
	for _, n := range notes {
		ev.Notes = append(ev.Notes, n...)
	}
	if err := results.WriteEvaluation(ctx, dir, ev, meta); err != nil {
		return interrupted(ctx, err)
	}
	fmt.Fprintf(stdout, "countysim: evaluated %q over %d runs (treatment at PMC step %d, master seed %d) and wrote %s\n",
		s.Name, reps, step, master, dir)
	for _, row := range results.SummariseEstimates(flatten(ev.Estimates)) {
		if row.Estimator == results.EstSAATT && row.Outcome == "growth" {
			fmt.Fprintf(stdout, "  - growth effect (Sun-Abraham ATT): %+.2f pp per year, 5-95%% across runs [%+.2f, %+.2f], significant at 90%% in %.0f%% of runs\n",
				100*row.Mean, 100*row.P5, 100*row.P95, 100*row.ShareSignificant)
		}
	}
	return nil
}

func flatten(est [][]results.EvalEstimate) []results.EvalEstimate {
	var out []results.EvalEstimate
	for _, e := range est {
		out = append(out, e...)
	}
	return out
}

// runValidation runs every scenario the validation targets need, reps times each with the
// seeds derived from master, and writes the validation report into dir.
func runValidation(ctx context.Context, dir string, master uint64, reps, workers int, quiet bool, stdout, stderr io.Writer) error {
	meta := ensembleMeta(master, reps)
	meta.Lang = langOf(ctx)
	need := results.ValidationScenarios()
	in := &results.ValidationInput{}
	var ss []*scenarios.Scenario
	for _, v := range need {
		s, err := scenarios.Builtin(v.Name)
		if err != nil {
			return err
		}
		rec, err := scenarioRecord(s)
		if err != nil {
			return err
		}
		ss = append(ss, s)
		in.Scenarios = append(in.Scenarios, rec)
		in.Configs = append(in.Configs, s.Config)
		in.Panels = append(in.Panels, make([]*results.Panel, reps))
	}
	total := len(need) * reps
	prog := newProgress(stderr, quiet, total, "runs")
	err := forEach(ctx, total, workers, prog, func(ctx context.Context, j int) error {
		k, r := j/reps, j%reps
		seed := batch.Seed(master, r)
		p, err := runPanel(ctx, ss[k].Config, seed, need[k].TreatmentStep)
		if err != nil {
			return fmt.Errorf("scenario %s, replication %d (seed %d): %w", ss[k].Name, r, seed, err)
		}
		in.Panels[k][r] = p
		return nil
	})
	if err != nil {
		return err
	}
	res, err := results.WriteValidation(ctx, dir, in, meta)
	if err != nil {
		return interrupted(ctx, err)
	}
	met := 0
	for _, t := range res {
		if t.Met {
			met++
		}
	}
	fmt.Fprintf(stdout, "countysim: validation over %d runs of each of %d scenarios (master seed %d): %d of %d targets met; wrote %s\n",
		reps, len(need), master, met, len(res), dir)
	for _, t := range res {
		fmt.Fprintf(stdout, "  %s %-7s %s\n", t.ID, t.Verdict(), t.Headline)
	}
	fmt.Fprintf(stdout, "  read %s (or %s)\n", filepath.Join(dir, results.ReportMarkdownFile), results.ReportHTMLFile)
	return nil
}

func scenarioRecord(s *scenarios.Scenario) (results.ScenarioRecord, error) {
	y, err := scenarios.Marshal(s)
	if err != nil {
		return results.ScenarioRecord{}, err
	}
	c, t := 0, 0
	for _, p := range s.Config.World.Provinces {
		c += p.Counties
		t += p.Towns
	}
	return results.ScenarioRecord{Name: s.Name, Description: s.Description, Hash: scenarios.Hash(s),
		Counties: c, Towns: t, YAML: string(y)}, nil
}

// runPanel runs cfg with seed and returns its county-year panel.
func runPanel(ctx context.Context, cfg sim.Config, seed uint64, step int) (*results.Panel, error) {
	return runObserved(ctx, cfg, seed, func(m *sim.Model) (*results.Panel, error) { return results.NewPanel(m, step) })
}

// forEach runs task(i) for i = 0 .. n-1 on workers goroutines. Each task must write only its
// own slots, so the results are the same whatever the number of workers. The first failure
// stops the others and is returned; an interrupt (ctx done) returns errInterrupted.
func forEach(ctx context.Context, n, workers int, prog *progress, task func(ctx context.Context, i int) error) error {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs, done := make(chan int), make(chan error)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for i := range jobs {
				done <- task(runCtx, i)
			}
		})
	}
	go func() {
		defer close(jobs)
		for i := range n {
			select {
			case jobs <- i:
			case <-runCtx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(done)
	}()
	var failed error
	for err := range done {
		switch {
		case err == nil:
			prog.add()
		case failed == nil && runCtx.Err() == nil:
			failed = err
			cancel()
		}
	}
	prog.done()
	if ctx.Err() != nil {
		return errInterrupted
	}
	return failed
}
