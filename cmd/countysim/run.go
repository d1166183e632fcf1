package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/countysim/countysim/calibrate"
	"github.com/countysim/countysim/observe"
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
	p.Given = f.setPaths()
	return p, nil
}

// setPaths lists the paths --set gives.
func (f *scenarioFlags) setPaths() []string {
	var paths []string
	for _, a := range f.sets {
		if path, _, ok := strings.Cut(a, "="); ok {
			paths = append(paths, strings.TrimSpace(path))
		}
	}
	return paths
}

// withPosterior records in meta how replications drew their parameters and what the bands
// hold: with post, parameter uncertainty and run-to-run noise; without, run-to-run noise only.
//
// It returns, for the terminal, a note for each scenario that sets parameters of the
// posterior itself: they keep the scenario's value (calibrate.Posterior.Held).
func withPosterior(meta *results.EnsembleMeta, post *calibrate.Posterior, ss ...*scenarios.Scenario) (held [][2]string) {
	meta.SeedRule += posteriorNote(post)
	if post == nil {
		meta.Bands = "run-to-run noise only, under the scenario's fixed parameters"
		return
	}
	meta.Posterior = post.Source
	meta.DrawOf = make([]int, len(meta.Seeds))
	d := &results.PosteriorDraws{Names: post.Names}
	for r := range meta.DrawOf {
		meta.DrawOf[r] = post.DrawOf(r)
		i := post.Index(meta.MasterSeed, r)
		d.Draw, d.Particle, d.Values = append(d.Draw, meta.DrawOf[r]), append(d.Particle, i), append(d.Values, post.Values[i])
	}
	meta.Draws = d
	d.KeptBy = make([]string, len(post.Names))
	meta.Bands = fmt.Sprintf("parameter uncertainty (draws of %s) and run-to-run noise combined", post.Source)
	if post.PerDraw > 1 {
		meta.Bands += fmt.Sprintf("; %d runs per draw (replication r uses draw r/%d), so differences.csv splits their variance", post.PerDraw, post.PerDraw)
	}
	for _, s := range ss {
		if names, err := post.Held(s); err == nil && len(names) > 0 {
			meta.Bands += fmt.Sprintf("; %s keeps its own %s (not drawn)", s.Name, strings.Join(names, ", "))
			held = append(held, [2]string{s.Name, strings.Join(names, ", ")})
			for k, name := range post.Names {
				if slices.Contains(names, name) {
					d.KeptBy[k] = strings.TrimSpace(d.KeptBy[k] + " " + s.Name)
				}
			}
		}
	}
	return held
}

// printHeld says on the terminal which scenarios keep their own values of posterior
// parameters (withPosterior).
func printHeld(ctx context.Context, w io.Writer, held [][2]string) {
	for _, h := range held {
		fmt.Fprintln(w, langOf(ctx).F("countysim: note: %s sets %s itself and keeps its value; the posterior's draws of it do not apply to %s", h[0], h[1], h[0]))
	}
}

// posteriorNote is added to the seed rule of ensembles run with a posterior.
func posteriorNote(p *calibrate.Posterior) string {
	if p == nil {
		return ""
	}
	src := p.Source
	if p.SHA256 != "" {
		src += " (sha256 " + p.SHA256 + ")"
	}
	if p.ModelCommit != "" {
		src += " (calibrated on model commit " + p.ModelCommit + ")"
	}
	per := ""
	if p.PerDraw > 1 {
		per = fmt.Sprintf(" (%d replications per draw: replication r uses draw r/%d)", p.PerDraw, p.PerDraw)
	}
	return fmt.Sprintf("; replication r's parameters (%s) are drawn from the posterior %s by weight with calibrate.Posterior.Draw(master_seed, r)%s, the same for every scenario but for a parameter the scenario sets itself (draws.csv's kept_by), so bands include parameter uncertainty; draws.csv lists each replication's draw",
		strings.Join(p.Names, ", "), src, per)
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
	// A problem --set or --months makes is said in the scenario file's language (its lang:)
	// when no --lang is given, as the file's own problems are.
	inFileLang := func(err error) error {
		var le *scenarios.LoadError
		if errors.As(err, &le) && le.Lang == "" {
			le.Lang = s.Lang
		}
		return err
	}
	for _, a := range f.sets {
		if err := scenarios.Set(s, a); err != nil {
			return nil, badInput(inFileLang(err))
		}
	}
	if err := inFileLang(scenarios.Validate(s)); err != nil {
		// A bad value a --set gave is named by its --set, not looked for in the file.
		var le *scenarios.LoadError
		if errors.As(err, &le) {
			for i := range le.Problems {
				p := &le.Problems[i]
				for _, a := range f.sets {
					if path, _, _ := strings.Cut(a, "="); p.File == "" && strings.TrimSpace(path) == p.Path {
						p.File = "--set " + a
					}
				}
			}
		}
		return nil, badInput(err)
	}
	return s, nil
}

// loadArg loads the command's optional scenario argument (the default scenario when there is
// none) and applies the flags.
func (f *scenarioFlags) loadArg(fs *pflag.FlagSet) (*scenarios.Scenario, error) {
	if fs.NArg() > 1 {
		return nil, usageText("", "expected at most one scenario, got %d: %v", fs.NArg(), fs.Args())
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
		w := stderr
		if h := fs.Lookup("help"); h != nil && h.Changed {
			w = helpOut
		}
		fmt.Fprintf(w, "Usage: countysim %s %s\n", name, args)
		h := commandHelp[name]
		if h.description != "" {
			fmt.Fprintf(w, "\n%s\n", h.description)
		}
		fmt.Fprintf(w, "\nFlags:\n%s", fs.FlagUsages())
		if len(h.examples) > 0 {
			fmt.Fprintf(w, "\nExamples:\n")
			for _, e := range h.examples {
				fmt.Fprintf(w, "  %s\n", e)
			}
		}
	}
	fs.BoolP("help", "h", false, "show this help")
	return fs
}

// parseFlags parses a command's flags. After --help it prints the usage and returns errHelp,
// which ends the command with status 0; callers just return any error.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		// A mistyped long flag gets the nearest one, as a mistyped key of a file does.
		if name, ok := strings.CutPrefix(err.Error(), "unknown flag: --"); ok {
			var names []string
			fs.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
			if n := scenarios.Nearest(name, names); n != "" {
				return usageErr("%v (did you mean --%s?)", err, n)
			}
		}
		return badInput(err)
	}
	if fs.Lookup("help").Changed {
		fs.Usage()
		return errHelp
	}
	// An empty --out (an unset shell variable, say) is not the default folder.
	if f := fs.Lookup("out"); f != nil && f.Changed && strings.TrimSpace(f.Value.String()) == "" {
		return usageErr("--out: empty (allowed: a folder path; leave --out out for the default)")
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
	groups := fs.StringSlice("groups", nil, `groups of series.csv and summary.csv: names or prefixes ending in "*", e.g. --groups "step:*,cohort:*" (province, pilot and non-pilot are always kept), or "all"; default: every group but prefecture:* (ask with --groups all or --groups "prefecture:*")`)
	formats := fs.StringSlice("formats", []string{"svg"}, `figure formats of a single run: "svg" and/or "png" (PNG costs most of a run's time: ask with --formats svg,png); --reps writes its fan charts in both`)
	quiet := fs.BoolP("quiet", "q", false, "no progress output")
	reps := fs.Int("reps", 1, fmt.Sprintf("replications (at most %d); above 1 writes ensemble.csv (mean, 5th, 50th, 95th percentiles) and fan charts", maxReps))
	jobs := fs.IntP("jobs", "j", runtime.NumCPU(), "replications executed at once (with --reps; at most the number of cores)")
	force := fs.Bool("force", false, "write into --out even if it holds other files, or when the output is projected above the size cap")
	var lf langFlag
	lf.register(fs)
	var stf stateFlags
	stf.register(fs, true)
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole command to this file (for docs/BENCHMARKS.md)")
	_ = fs.MarkHidden("cpuprofile")
	memProfile := fs.String("memprofile", "", "write a profile of the command's allocations to this file (for docs/BENCHMARKS.md)")
	_ = fs.MarkHidden("memprofile")
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
	if *memProfile != "" {
		stopProfile, err := startAllocProfile(*memProfile)
		if err != nil {
			return err
		}
		defer stopProfile()
	}
	if err := checkReps(*reps, 1); err != nil {
		return err
	}
	workers, err := capWorkers(*jobs, stderr)
	if err != nil {
		return err
	}
	if *panel != "yearly" && *panel != "monthly" {
		return usageErr("--panel: bad value %q (allowed: yearly, monthly)", *panel)
	}
	if *reps > 1 && fs.Changed("panel") {
		return usageErr("--panel is for a single run: --reps %d writes the ensemble (ensemble.csv), no county panel", *reps)
	}
	if fs.Changed("save-at") && stf.saveAt == 0 {
		return usageErr("--save-at: bad value 0 (allowed: a month from 1 to the horizon)")
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
	if err := checkGroupPatterns(s, *groups); err != nil {
		return err
	}
	if err := checkFormats(*formats); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if ctx, err = lf.with(ctx, s.Lang); err != nil {
		return err
	}
	opts := runOptions(*panel, !*noPlots, *formats, *groups)
	opts.Lang = langOf(ctx)
	if *reps == 1 {
		if err := checkOutputSize(projectRunBytes(s, opts), *force, stderr); err != nil {
			return err
		}
	} else if err := checkEnsembleMemory(*reps, s.Config.Months, *force); err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = rs.defaultDir(s)
	}
	if rs != nil && rs.from != nil && within(rs.from.path, dir) {
		// The folder is replaced whole: the state would be deleted with it.
		return usageErr("--from %s is inside the output folder %s, which this run replaces: copy the state elsewhere or give another --out", rs.from.path, dir)
	}
	od, err := claimOut(dir, "run", *force)
	if err != nil {
		return err
	}
	defer od.discard()
	var rep report
	if *reps > 1 {
		rep, err = runReps(ctx, s, od.stage, *reps, workers, *quiet, post, stderr)
	} else {
		rep, err = runOne(ctx, s, rs, od.stage, opts, *quiet, stderr)
	}
	if err != nil {
		return err
	}
	if err := od.commit(); err != nil {
		return fmt.Errorf("moving the output into %s: %w", dir, err)
	}
	fmt.Fprintln(stdout, langOf(ctx).F(rep.summary, append(rep.summaryArgs, dir)...))
	for _, h := range rep.highlights {
		fmt.Fprintf(stdout, "  - %s\n", h)
	}
	for _, line := range rep.after {
		fmt.Fprintf(stdout, "  %s\n", line)
	}
	for _, line := range rep.notes {
		fmt.Fprintln(stdout, line)
	}
	rs.report(langOf(ctx), stdout, dir)
	return nil
}

// report is what runOne and runReps say about what they ran, printed once the output is in
// place: a summary line, highlights, and lines printed after them (the comparison with the
// no-reform counterfactual).
type report struct {
	// summary is the summary line's English format, its last verb the output folder, and
	// summaryArgs its other arguments (printed in the output's language).
	summary     string
	summaryArgs []any
	highlights  []string
	after       []string
	// notes are printed last, on lines of their own (what the yearly panel left out).
	notes []string
}

// runOne runs s once into dir; rs (nil for a plain run) continues a saved state or saves one.
func runOne(ctx context.Context, s *scenarios.Scenario, rs *runState, dir string, opts results.Options, quiet bool, stderr io.Writer) (report, error) {
	yamlText, err := scenarios.Marshal(s)
	if err != nil {
		return report{}, err
	}
	m, err := rs.model(s)
	if err != nil {
		return report{}, err
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
		Args:         invocation,
		Start:        time.Now().UTC(),
		CountyData:   countyData(s),
	}
	if rs != nil && rs.from != nil {
		meta.From = &results.StateRef{Path: rs.from.path, SHA256: rs.from.sha256, Month: rs.from.header.Month}
	}
	rec, err := results.NewRecorder(dir, m, meta, opts)
	if err != nil {
		return report{}, err
	}
	track, err := newProvinceTrack(m)
	if err != nil {
		return report{}, err
	}
	// The no-reform counterfactual runs beside the run (its own model, same seed: the same
	// bytes whatever the timing), forked off it where the reform starts; it is waited for
	// before runOne returns.
	cfCtx, cancelCF := context.WithCancel(ctx)
	cf, err := startCounterfactual(cfCtx, s, rs == nil || rs.from == nil)
	if err != nil {
		cancelCF()
		rec.Abort()
		return report{}, err
	}
	defer func() {
		cancelCF()
		<-cf.done
	}()
	prog := newProgress(stderr, quiet, s.Config.Months, unitMonths, langOf(ctx))
	// A run continued from a saved state replays the saved months into the observers first.
	both := func(m *sim.Model) error {
		if err := track.Observe(m); err != nil {
			return err
		}
		return rec.Observe(m)
	}
	if err := rs.start(m, both); err != nil {
		rec.Abort()
		return report{}, err
	}
	cf.handOver(m, track)
	err = m.Run(func(m *sim.Model) error {
		if ctx.Err() != nil {
			return errInterrupted
		}
		prog.set(m.Month())
		if err := rs.observe(s, m, dir); err != nil {
			return err
		}
		if err := both(m); err != nil {
			return err
		}
		cf.handOver(m, track)
		return nil
	})
	prog.done()
	if err == nil && rs != nil && rs.saved != "" {
		err = rec.Include(filepath.Base(rs.saved)) // the saved state is the run's output too
	}
	if err != nil {
		rec.Abort()
		return report{}, err
	}
	if err := rec.Close(); err != nil {
		rec.Abort()
		return report{}, err
	}
	after, err := againstCounterfactual(ctx, s, track, cf, opts.Lang)
	if err != nil {
		return report{}, err
	}
	if rs == nil || rs.from == nil {
		idle, err := idleReform(opts.Lang, s)
		if err != nil {
			return report{}, err
		}
		if idle != "" {
			after = append(after, "- "+idle)
		}
	}
	if rs != nil && rs.from != nil && !cf.own {
		// The counterfactual of a continued run runs from month 1 under the branch's settings
		// with no reform: it does not share the saved history, which holds the reform's months.
		after = append(after, "- "+opts.Lang.T("This run continues a saved state: its counterfactual runs from month 1 with this run's settings and no reform, so it does not share the saved months (which already hold the reform); compare --from STATE compares options that continue one history."))
	}
	var notes []string
	if m := s.Config.Months; m < 12 {
		notes = append(notes, opts.Lang.F("summary.csv leaves the yearly sums (flows) of %d empty: the run covers %d of its 12 months.", s.Config.StartYear, m))
	}
	for _, p := range rec.PartialYears() {
		notes = append(notes, opts.Lang.F("counties.csv leaves out %d: the run covers %d of its 12 months (months %d-%d); --panel monthly writes every month.", p.Year, p.Months, p.First, p.Last))
	}
	return report{
		summary:     "countysim: ran %q (%d counties, %d towns, %d months, seed %d) and wrote %s",
		summaryArgs: []any{s.Name, len(m.Counties), len(m.Towns), s.Config.Months, s.Config.Seed},
		highlights:  rec.Highlights(),
		after:       after,
		notes:       notes,
	}, nil
}

// newProvinceTrack tracks what the comparison with the counterfactual reads and nothing
// more: the province group (results.AgainstCounterfactual uses group 0), not the ensemble
// track's three (pilot and non-pilot share the province's counties), and only the compared
// metrics (results.CounterfactualMetrics), not every metric and both inequality indices.
func newProvinceTrack(m *sim.Model) (*observe.Track, error) {
	t, err := observe.NewTrack(m, []string{"province"})
	if err != nil {
		return nil, err
	}
	if err := t.Only(results.CounterfactualMetrics()); err != nil {
		return nil, err
	}
	return t, nil
}

// counterfactual is the no-reform counterfactual of a run, computed in its own goroutine.
// A new run's counterfactual is the same run until the reform starts (sim.BranchPoint), so it
// is forked off the run there (model and track: handOver) rather than run again from the
// start; a run continued from a saved state, or one whose no-reform config differs from the
// first month, has its counterfactual run from the start beside it.
type counterfactual struct {
	own   bool          // the scenario has no reform: it is its own counterfactual
	done  chan struct{} // closed when track and err are set
	track *observe.Track
	err   error

	cfg    sim.Config
	opt    sim.Options
	at     int              // the month to fork at, -1 when the counterfactual runs from the start
	fork   chan forkedModel // the fork, handed over by the run at month at (nil: no fork)
	handed bool             // the fork was handed over (read and set by the run's goroutine)
}

// forkedModel is a run's model and track forked at the counterfactual's branch point.
type forkedModel struct {
	m     *sim.Model
	track *observe.Track
	err   error
}

// startCounterfactual starts the scenario's no-reform counterfactual on the same world and
// seed (nothing to run when the scenario has no reform). fresh says the run starts from the
// first month (not from a saved state), so that the counterfactual can be forked off it.
func startCounterfactual(ctx context.Context, s *scenarios.Scenario, fresh bool) (*counterfactual, error) {
	base, err := scenarios.Resolve("baseline")
	if err != nil {
		return nil, err
	}
	c := &counterfactual{done: make(chan struct{}), at: -1}
	if observe.IsNoReform(s.Config, base.Config) {
		c.own = true
		close(c.done)
		return c, nil
	}
	c.cfg = observe.NoReform(s.Config, base.Config)
	// The counterfactual's model computes only what its track reads (sim.Options, the same
	// values as a full run, for about a fifth less).
	reads, err := observe.Reads(results.CounterfactualMetrics())
	if err != nil {
		return nil, err
	}
	c.opt = sim.Options{Metrics: reads}
	// The province track reads no pilot mark, so the fork may switch PMC off (the no-reform
	// counterfactual does) from the pilots' first step (TestRunForksItsCounterfactual).
	if at, ok := sim.UnmarkedBranchPoint(s.Config, c.cfg); ok && fresh {
		c.at, c.fork = at, make(chan forkedModel, 1)
		fork := c.fork
		go func() {
			defer close(c.done)
			defer func() { // as observe.RunWith: a panic in the model is the run's error
				if p := recover(); p != nil {
					c.err = fmt.Errorf("panic: %v", p)
				}
			}()
			select {
			case f := <-fork:
				if c.err = f.err; c.err == nil {
					c.track, c.err = f.track, observe.Continue(ctx, f.m, f.track)
				}
			case <-ctx.Done():
				c.err = ctx.Err()
			}
		}()
		return c, nil
	}
	go func() {
		defer close(c.done)
		c.track, c.err = observe.RunWith(ctx, c.cfg, s.Config.Seed, c.opt, newProvinceTrack)
	}()
	return c, nil
}

// handOver forks the run's model m and track for the counterfactual when m is at its branch
// point (after the month observed; before the first Step for a branch point of 0).
func (c *counterfactual) handOver(m *sim.Model, track *observe.Track) {
	if c.fork == nil || c.handed || m.Month() != c.at {
		return
	}
	var f forkedModel
	if f.m, f.err = m.Fork(c.cfg, c.opt); f.err == nil {
		f.track, f.err = track.Clone()
	}
	c.fork <- f
	c.handed = true
}

// againstCounterfactual waits for the counterfactual and returns the lines that say how the
// run differs from it.
func againstCounterfactual(ctx context.Context, s *scenarios.Scenario, track *observe.Track, c *counterfactual, lang results.Lang) ([]string, error) {
	<-c.done
	if c.own {
		return []string{lang.T("This scenario has no reform: it is its own no-reform counterfactual.")}, nil
	}
	if c.err != nil {
		return nil, interrupted(ctx, fmt.Errorf("no-reform counterfactual: %w", c.err))
	}
	cf := c.track
	final := s.Config.StartYear + max(s.Config.Months/12-1, 0)
	var out []string
	base, err := scenarios.Resolve("baseline")
	if err != nil {
		return nil, err
	}
	same := reflect.DeepEqual(s.Config.World, base.Config.World)
	for i, line := range results.AgainstCounterfactual(lang, track, cf, s.Config.Seed, final, same) {
		if i > 0 {
			line = "- " + line
		}
		out = append(out, line)
	}
	return out, nil
}

// startCPUProfile starts a CPU profile into path and returns the function that stops it and
// closes the file.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, badInput(fmt.Errorf("--cpuprofile: %w", err))
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// startAllocProfile samples allocations from now on (one in 4 KiB) and returns the function
// that writes them to path as pprof's allocs profile (go tool pprof -sample_index=alloc_space).
func startAllocProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, badInput(fmt.Errorf("--memprofile: %w", err))
	}
	runtime.MemProfileRate = 4096
	return func() {
		runtime.GC() // the profile reports allocations up to the last collection
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			fmt.Fprintf(os.Stderr, "countysim: --memprofile: %v\n", err)
		}
		f.Close()
	}, nil
}

// runOptions are the recorder options of `run`: the figure formats and groups asked for, and
// in the manifest what the defaults leave out and how to ask for it. Without --groups every
// group but prefecture:* is written; --groups all writes every group.
func runOptions(panel string, plots bool, formats, groups []string) results.Options {
	o := results.Options{Panel: panel, Plots: plots, Formats: formats, Groups: groups}
	switch {
	case len(groups) == 0:
		o.Groups = results.DefaultGroups
		o.NotWritten = append(o.NotWritten, results.NotWritten{
			What: "per-prefecture groups (prefecture:NAME) in series.csv and summary.csv",
			Ask:  `--groups all, or --groups "prefecture:*" for these alone`,
		})
	case slices.Contains(groups, "all"):
		o.Groups = nil
	}
	switch {
	case !plots:
		o.NotWritten = append(o.NotWritten, results.NotWritten{What: "figures and the map (--no-plots)", Ask: "run without --no-plots"})
	case !slices.Contains(formats, "png"):
		o.NotWritten = append(o.NotWritten, results.NotWritten{What: "PNG figures", Ask: "--formats svg,png"})
	}
	return o
}

// checkFormats checks --formats.
func checkFormats(formats []string) error {
	if len(formats) == 0 {
		return usageErr(`--formats: empty (allowed: svg, png; --no-plots writes no figure)`)
	}
	for _, f := range formats {
		if f != "png" && f != "svg" {
			return usageErr("--formats: bad value %q (allowed: svg, png)", f)
		}
	}
	return nil
}
