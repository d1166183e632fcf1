package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/countysim/countysim/calibrate"
	"github.com/countysim/countysim/results"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// defaultScenario is what `countysim run` runs with no argument.
const defaultScenario = "pmc-three-step"

// scenarioFlags are the flags every command that loads a scenario shares.
type scenarioFlags struct {
	seed      uint64
	months    int
	sets      []string
	posterior string
}

func (f *scenarioFlags) register(fs *pflag.FlagSet) {
	fs.Uint64Var(&f.seed, "seed", 0, "master seed (default: the scenario's)")
	fs.IntVar(&f.months, "months", 0, "horizon in months (default: the scenario's)")
	fs.StringArrayVar(&f.sets, "set", nil, "override a scenario field, e.g. --set pmc.enabled=false (repeatable)")
	fs.StringVar(&f.posterior, "posterior", "", "posterior.csv of countysim calibrate: replication r draws its parameters from it (the same draws for every scenario)")
}

// loadPosterior reads --posterior, or returns nil when it is not given.
func (f *scenarioFlags) loadPosterior() (*calibrate.Posterior, error) {
	if f.posterior == "" {
		return nil, nil
	}
	p, err := calibrate.LoadPosterior(f.posterior)
	if err != nil {
		return nil, badInput(err)
	}
	return p, nil
}

// posteriorNote is added to the seed rule of ensembles run with a posterior.
func posteriorNote(p *calibrate.Posterior) string {
	if p == nil {
		return ""
	}
	return fmt.Sprintf("; replication r's parameters (%s) are drawn from the posterior %s by weight with calibrate.Posterior.Draw(master_seed, r), the same for every scenario, so bands include parameter uncertainty",
		strings.Join(p.Names, ", "), p.Source)
}

// load resolves a scenario argument and applies the flags, validating the result.
func (f *scenarioFlags) load(fs *pflag.FlagSet, arg string) (*scenarios.Scenario, error) {
	s, err := scenarios.Resolve(arg)
	if err != nil {
		return nil, badInput(err)
	}
	if fs.Changed("seed") {
		s.Config.Seed = f.seed
	}
	if fs.Changed("months") {
		s.Config.Months = f.months
	}
	for _, a := range f.sets {
		if err := scenarios.Set(s, a); err != nil {
			return nil, badInput(err)
		}
	}
	if err := scenarios.Validate(s); err != nil {
		return nil, badInput(err)
	}
	return s, nil
}

// loadArg loads the command's optional scenario argument (the default scenario when there is
// none) and applies the flags.
func (f *scenarioFlags) loadArg(fs *pflag.FlagSet) (*scenarios.Scenario, error) {
	if fs.NArg() > 1 {
		return nil, usageErr("expected at most one scenario, got %d: %v", fs.NArg(), fs.Args())
	}
	arg := defaultScenario
	if fs.NArg() == 1 {
		arg = fs.Arg(0)
	}
	return f.load(fs, arg)
}

func newFlagSet(name, args string, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: countysim %s %s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	fs.BoolP("help", "h", false, "show this help")
	return fs
}

// parseFlags parses a command's flags. After --help it prints the usage and returns errHelp,
// which ends the command with status 0; callers just return any error.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return badInput(err)
	}
	if fs.Lookup("help").Changed {
		fs.Usage()
		return errHelp
	}
	return nil
}

func cmdRun(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", "[SCENARIO] [flags]", stderr)
	var sf scenarioFlags
	sf.register(fs)
	out := fs.String("out", "", "output folder (default: out/SCENARIO)")
	panel := fs.String("panel", "yearly", `county panel frequency: "yearly" or "monthly"`)
	noPlots := fs.Bool("no-plots", false, "skip the plots")
	groups := fs.StringSlice("groups", nil, `limit series.csv and summary.csv to these groups: names or prefixes ending in "*", e.g. --groups "step:*,cohort:*" (province, pilot and non-pilot are always kept)`)
	quiet := fs.BoolP("quiet", "q", false, "no progress output")
	reps := fs.Int("reps", 1, "replications; above 1 writes ensemble.csv (mean, 5th, 50th, 95th percentiles) and fan charts")
	jobs := fs.IntP("jobs", "j", runtime.NumCPU(), "replications executed at once (with --reps)")
	var lf langFlag
	lf.register(fs)
	var stf stateFlags
	stf.register(fs, true)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *reps < 1 {
		return usageErr("--reps: bad value %d (allowed: 1 or more)", *reps)
	}
	if *jobs < 1 {
		return usageErr("--jobs: bad value %d (allowed: 1 or more)", *jobs)
	}
	if *panel != "yearly" && *panel != "monthly" {
		return usageErr("--panel: bad value %q (allowed: yearly, monthly)", *panel)
	}
	s, rs, err := stf.loadRun(fs, &sf, *reps)
	if err != nil {
		return err
	}
	post, err := sf.loadPosterior()
	if err != nil {
		return err
	}
	if post != nil && *reps < 2 {
		return usageErr("--posterior needs --reps 2 or more (replication r draws its parameters from the posterior)")
	}
	dir := *out
	if dir == "" {
		dir = rs.defaultDir(s)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if ctx, err = lf.with(ctx, s.Lang); err != nil {
		return err
	}
	if *reps > 1 {
		return runReps(ctx, s, dir, *reps, *jobs, *quiet, post, stdout, stderr)
	}
	return runOne(ctx, s, rs, dir, results.Options{Panel: *panel, Plots: !*noPlots, Formats: []string{"png", "svg"}, Groups: *groups, Lang: langOf(ctx)}, *quiet, stdout, stderr)
}

// runOne runs s once into dir; rs (nil for a plain run) continues a saved state or saves one.
func runOne(ctx context.Context, s *scenarios.Scenario, rs *runState, dir string, opts results.Options, quiet bool, stdout, stderr io.Writer) error {
	yamlText, err := scenarios.Marshal(s)
	if err != nil {
		return err
	}
	m, err := rs.model(s)
	if err != nil {
		return err
	}
	meta := results.Meta{
		Tool:         "countysim",
		Version:      version(),
		Commit:       commit(),
		GoVersion:    goVersion(),
		Scenario:     s.Name,
		ScenarioHash: scenarios.Hash(s),
		ScenarioYAML: yamlText,
		Seed:         s.Config.Seed,
		Args:         os.Args,
		Start:        time.Now().UTC(),
	}
	rec, err := results.NewRecorder(dir, m, meta, opts)
	if err != nil {
		return err
	}
	track, err := results.NewEnsembleTrack(m)
	if err != nil {
		return err
	}
	prog := newProgress(stderr, quiet, s.Config.Months, "months")
	// A run continued from a saved state replays the saved months into the observers first.
	both := func(m *sim.Model) error {
		if err := track.Observe(m); err != nil {
			return err
		}
		return rec.Observe(m)
	}
	if err := rs.start(m, both); err != nil {
		rec.Abort()
		return err
	}
	err = m.Run(func(m *sim.Model) error {
		if ctx.Err() != nil {
			return errInterrupted
		}
		prog.set(m.Month())
		if err := rs.observe(s, m, dir); err != nil {
			return err
		}
		return both(m)
	})
	prog.done()
	if err != nil {
		rec.Abort()
		return err
	}
	if err := rec.Close(); err != nil {
		rec.Abort()
		return err
	}
	fmt.Fprintf(stdout, "countysim: ran %q (%d counties, %d towns, %d months, seed %d) and wrote %s\n",
		s.Name, len(m.Counties), len(m.Towns), s.Config.Months, s.Config.Seed, dir)
	for _, h := range rec.Highlights() {
		fmt.Fprintf(stdout, "  - %s\n", h)
	}
	rs.report(stdout)
	return printCounterfactual(ctx, s, track, opts.Lang, stdout)
}

// printCounterfactual runs the scenario's no-reform counterfactual on the same world and seed
// and prints how the run differs from it.
func printCounterfactual(ctx context.Context, s *scenarios.Scenario, track *results.Track, lang results.Lang, stdout io.Writer) error {
	base, err := scenarios.Resolve("baseline")
	if err != nil {
		return err
	}
	if results.IsNoReform(s.Config, base.Config) {
		fmt.Fprintf(stdout, "  %s\n", results.Translate(lang, "This scenario has no reform: it is its own no-reform counterfactual."))
		return nil
	}
	cf, err := runReplication(ctx, results.NoReform(s.Config, base.Config), s.Config.Seed)
	if err != nil {
		return interrupted(ctx, fmt.Errorf("no-reform counterfactual: %w", err))
	}
	final := s.Config.StartYear + max(s.Config.Months/12-1, 0)
	for i, line := range results.AgainstCounterfactual(lang, track, cf, s.Config.Seed, final) {
		if i == 0 {
			fmt.Fprintf(stdout, "  %s\n", line)
		} else {
			fmt.Fprintf(stdout, "  - %s\n", line)
		}
	}
	return nil
}
