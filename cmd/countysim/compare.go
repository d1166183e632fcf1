package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/calibrate"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/results"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// defaultCompareReps is the number of replications `compare` runs of each scenario.
const defaultCompareReps = 20

// seedRule says how replication seeds are derived; it is stored in every ensemble manifest.
// Every scenario of a comparison uses the same seeds (common random numbers), so replication r
// of two scenarios differs only by the scenarios and their difference is paired.
const seedRule = "replication r (r = 0 .. reps-1) of every scenario runs with seed batch.Seed(master_seed, r)"

func cmdCompare(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("compare", "SCENARIO SCENARIO... [flags]", stderr)
	var sf scenarioFlags
	sf.register(fs)
	reps := fs.Int("reps", defaultCompareReps, fmt.Sprintf("replications of each scenario (at most %d); replication r of every scenario uses the same seed", maxReps))
	out := fs.String("out", "", "output folder (default: out/compare-A-vs-B...)")
	jobs := fs.IntP("jobs", "j", runtime.NumCPU(), "runs executed at once (at most the number of cores)")
	quiet := fs.BoolP("quiet", "q", false, "no progress output")
	force := fs.Bool("force", false, "write into --out even if it holds other files, or when the ensembles are projected above the memory cap")
	noPosterior := fs.Bool("no-posterior", false, "hold the parameters fixed at the scenarios' values (default: draw them from the shipped default posterior, or from --posterior)")
	draws := fs.Int("draws", 0, "posterior draws: each is run reps/draws times, so the variance of differences splits into parameter and run-to-run parts (default: one draw per replication)")
	var lf langFlag
	lf.register(fs)
	var stf stateFlags
	stf.register(fs, false)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		return usageText("", "expected at least two scenarios to compare, got %d (built-ins: %s)", fs.NArg(), strings.Join(scenarios.Builtins(), ", "))
	}
	if err := checkReps(*reps, fs.NArg()); err != nil {
		return err
	}
	workers, err := capWorkers(*jobs, stderr)
	if err != nil {
		return err
	}
	if *noPosterior && sf.posterior != "" {
		return usageErr("--no-posterior and --posterior %s contradict each other; give one", sf.posterior)
	}
	if stf.from != "" {
		if sf.posterior != "" || fs.Changed("draws") {
			return usageErr("--posterior and --draws cannot be used with --from: the options continue one saved history with its parameters")
		}
		return compareFrom(fs, &sf, &lf, stf.from, *out, *reps, workers, *quiet, stdout, stderr)
	}
	var ss []*scenarios.Scenario
	seen := map[string]string{}
	for _, arg := range fs.Args() {
		if strings.HasPrefix(arg, "@state") {
			return usageErr("%s names the state of --from; give the state file: countysim compare --from STATE %s", arg, strings.Join(fs.Args(), " "))
		}
		s, err := sf.load(fs, arg)
		if err != nil {
			return err
		}
		if prev, ok := seen[s.Name]; ok {
			return usageText(s.Lang, "scenarios %q and %q are both named %q; compared scenarios need distinct names (give one another name: in its file)", prev, arg, s.Name)
		}
		seen[s.Name] = arg
		ss = append(ss, s)
	}
	fileLang := firstLang(ss...)
	for _, s := range ss[1:] {
		switch {
		case !reflect.DeepEqual(s.Config.World, ss[0].Config.World):
			// Paired runs of two worlds compare two provinces, not two reforms.
			return otherWorlds(s, ss[0], fileLang)
		case s.Config.StartYear != ss[0].Config.StartYear:
			return usageText(fileLang, "scenario %s starts in %d and %s in %d; compared scenarios need the same period (use --set start_year=YEAR)",
				s.Name, s.Config.StartYear, ss[0].Name, ss[0].Config.StartYear)
		case s.Config.Months != ss[0].Config.Months:
			return usageText(fileLang, "scenario %s runs %d months and %s %d months; compared scenarios need the same period (use --months)",
				s.Name, s.Config.Months, ss[0].Name, ss[0].Config.Months)
		}
	}
	if err := checkEnsembleMemory(len(ss)**reps, ss[0].Config.Months, *force); err != nil {
		return err
	}
	post, err := comparePosterior(&sf, *noPosterior, ss, stderr)
	if err != nil {
		return err
	}
	if err := setDraws(post, fs.Changed("draws"), *draws, *reps); err != nil {
		return err
	}
	// The master seed is --seed, else the first scenario's own seed.
	master := ss[0].Config.Seed
	dir := *out
	if dir == "" {
		var names []string
		for _, s := range ss {
			names = append(names, s.Name)
		}
		dir = filepath.Join("out", "compare-"+safeName(strings.Join(names, "-vs-")))
	}
	od, err := claimOut(dir, "compare", *force)
	if err != nil {
		return err
	}
	defer od.discard()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if ctx, err = lf.with(ctx, fileLang); err != nil { // --lang, else the first lang: of the scenarios, else the locale
		return err
	}
	return compare(ctx, ss, od, master, *reps, workers, *quiet, post, stdout, stderr)
}

// worldLabel names a scenario's world for a message: its preset, or its provinces (said in
// the reader's language) and counts, and its counties file.
func worldLabel(s *scenarios.Scenario) scenarios.Text {
	var label scenarios.Text
	if s.Preset != "" {
		label = say("preset %s", s.Preset)
	} else {
		counties := 0
		for i, p := range s.Config.World.Provinces {
			if i == 0 {
				label = say("%v", scenarios.Words(p.Name))
			} else {
				label = say("%v, %v", label, scenarios.Words(p.Name))
			}
			counties += max(p.Counties, len(p.CountyList))
		}
		label = say("%v (%d counties)", label, counties)
	}
	if s.CountiesFile != nil {
		label = say("%v with the counties file %s", label, s.CountiesFile.Path)
	}
	return label
}

// otherWorlds is the error of two compared scenarios a and b whose worlds differ: paired runs
// of two worlds compare two provinces, not two reforms. When one has a counties file and the
// other not, it says so and how to make a no-reform scenario of the same world (--set cannot
// give a scenario a counties file).
func otherWorlds(a, b *scenarios.Scenario, fileLang string) error {
	switch {
	case (a.CountiesFile == nil) != (b.CountiesFile == nil):
		withFile, without := a, b
		if a.CountiesFile == nil {
			withFile, without = b, a
		}
		return usageText(fileLang, "scenario %s simulates %v and %s simulates %v; compared scenarios need the same world, counties file included. "+
			"To compare %s with no reform, copy %s to a new file, give the copy another name: and switch its reform off as baseline does "+
			"(pmc.enabled: false and the devolution, approval and organisation levers at 0: countysim scenarios show baseline), then compare the two files",
			withFile.Name, worldLabel(withFile), without.Name, worldLabel(without), withFile.Name, withFile.Source)
	case worldLabel(a).String() == worldLabel(b).String():
		return usageText(fileLang, "scenarios %s and %s both simulate %v but with other county data (a counties file or county list); compared scenarios need the same world",
			a.Name, b.Name, worldLabel(a))
	}
	return usageText(fileLang, "scenario %s simulates %v and %s simulates %v; compared scenarios need the same world: the same preset or counties file (--set preset=NAME gives every scenario one preset; a scenario of your own counties compares with a no-reform scenario of the same file)",
		a.Name, worldLabel(a), b.Name, worldLabel(b))
}

// defaultPosterior loads the shipped default posterior (a variable so tests can stand in a
// posterior from another model).
var defaultPosterior = calibrate.DefaultPosterior

// comparePosterior returns the posterior compare draws parameters from: --posterior FILE, else
// the shipped default unless --no-posterior. It warns when parameters of the default are not
// fields of the scenario schema (after a model change) and drops them.
func comparePosterior(sf *scenarioFlags, noPosterior bool, ss []*scenarios.Scenario, stderr io.Writer) (*calibrate.Posterior, error) {
	if noPosterior || sf.posterior != "" {
		return sf.loadPosterior()
	}
	post, err := defaultPosterior()
	if err != nil {
		return nil, fmt.Errorf("the shipped default posterior: %w", err)
	}
	post.Given = sf.setPaths()
	if len(post.Missing) > 0 {
		fmt.Fprintf(stderr, "countysim compare: warning: the default posterior (calibrated on model commit %s) has parameters that are not fields of this model's scenarios: %s; they are left out, the others are drawn (recalibrate: docs/MODEL.md, Calibration; or use --no-posterior)\n",
			post.ModelCommit, strings.Join(post.Missing, ", "))
	}
	if len(post.Names) == 0 {
		return nil, badInput(fmt.Errorf("none of the default posterior's parameters is a field of this model's scenarios; use --no-posterior or --posterior FILE"))
	}
	// A draw must be valid for every scenario; check replication 0 now for a clear message.
	for _, s := range ss {
		if _, err := post.Config(s, s.Config.Seed, 0); err != nil {
			return nil, badInput(fmt.Errorf("scenario %s: %w (use --no-posterior or --posterior FILE)", s.Name, err))
		}
	}
	return post, nil
}

// setDraws makes post run reps/draws replications per draw when --draws is given.
func setDraws(post *calibrate.Posterior, given bool, draws, reps int) error {
	if !given {
		return nil
	}
	if post == nil {
		return usageErr("--draws needs a posterior (it is ignored with --no-posterior)")
	}
	if draws < 2 || draws > reps || reps%draws != 0 {
		return usageErr("--draws: bad value %d (allowed: 2 or more, dividing --reps %d, e.g. --reps %d --draws %d)", draws, reps, 4*max(draws, 2), max(draws, 2))
	}
	post.PerDraw = reps / draws
	return nil
}

// unsafeChars are the characters a folder name made of scenario names leaves out: all but
// letters and digits of any script (as scenario names and run's folders have them), '.', '_'
// and '-'.
var unsafeChars = regexp.MustCompile(`[^\p{L}\p{N}._-]+`)

// safeName makes a scenario name usable as a folder name, at most 200 bytes cut at a whole
// character. Names in Chinese keep their characters: where they became "_", two comparisons of
// different options shared one folder and the later replaced the earlier.
func safeName(s string) string {
	n := unsafeChars.ReplaceAllString(s, "_")
	if len(n) > 200 {
		cut := 200
		for cut > 0 && !utf8.RuneStart(n[cut]) {
			cut--
		}
		n = n[:cut]
	}
	return strings.TrimLeft(n, ".-")
}

// compare runs every scenario reps times with the seeds derived from master and writes the
// comparison into od.
func compare(ctx context.Context, ss []*scenarios.Scenario, od *outDir, master uint64, reps, workers int, quiet bool, post *calibrate.Posterior, stdout, stderr io.Writer) error {
	meta := ensembleMeta(master, reps)
	printHeld(ctx, stderr, withPosterior(&meta, post, ss...))
	meta.Lang = langOf(ctx)
	for _, s := range ss {
		idle, err := idleReform(meta.Lang, s)
		if err != nil {
			return err
		}
		if idle != "" {
			fmt.Fprintln(stderr, "countysim: "+meta.Lang.T("warning: ")+idle)
		}
	}
	es, err := runEnsembles(ctx, ss, master, reps, workers, quiet, post, stderr)
	if err != nil {
		return err
	}
	if meta.Counterfactual, err = counterfactualEnsemble(ctx, ss, master, reps, workers, quiet, post, stderr); err != nil {
		return err
	}
	if err := results.WriteComparison(ctx, od.stage, es, meta); err != nil {
		return interrupted(ctx, err)
	}
	if err := od.commit(); err != nil {
		return fmt.Errorf("moving the output into %s: %w", od.shown, err)
	}
	dir := od.shown
	l := langOf(ctx)
	fmt.Fprintln(stdout, l.F("countysim: compared %d scenarios, %d runs each (master seed %d), and wrote %s", len(ss), reps, master, dir))
	fmt.Fprintln(stdout, "  "+l.F("read %s (or %s) first", filepath.Join(dir, results.ReportMarkdownFile), results.ReportHTMLFile))
	return nil
}

// runReps runs scenario s reps times, replication r with seed batch.Seed(s.Config.Seed, r),
// and writes the ensemble (ensemble.csv, fan charts, manifest.json) into dir.
func runReps(ctx context.Context, s *scenarios.Scenario, dir string, reps, workers int, quiet bool, post *calibrate.Posterior, stderr io.Writer) (report, error) {
	master := s.Config.Seed
	meta := ensembleMeta(master, reps)
	printHeld(ctx, stderr, withPosterior(&meta, post, s))
	meta.Lang = langOf(ctx)
	es, err := runEnsembles(ctx, []*scenarios.Scenario{s}, master, reps, workers, quiet, post, stderr)
	if err != nil {
		return report{}, err
	}
	if err := results.WriteEnsemble(ctx, dir, es[0], meta); err != nil {
		return report{}, interrupted(ctx, err)
	}
	return report{summary: "countysim: ran %q %d times (%d months, master seed %d) and wrote %s", summaryArgs: []any{s.Name, reps, s.Config.Months, master}}, nil
}

// interrupted turns an error caused by an interrupt into errInterrupted.
func interrupted(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return errInterrupted
	}
	return err
}

func ensembleMeta(master uint64, reps int) results.EnsembleMeta {
	seeds := make([]uint64, reps)
	for r := range seeds {
		seeds[r] = batch.Seed(master, r)
	}
	return results.EnsembleMeta{
		Tool: "countysim", Version: version(), Commit: commit(), GoVersion: goVersion(), Args: invocation,
		MasterSeed: master, SeedRule: seedRule, Seeds: seeds, Start: time.Now().UTC(),
		NotWritten: []results.NotWritten{{
			What: "each replication's own outputs (counties.csv, series.csv, figures)",
			Ask:  "run SCENARIO --seed SEED, SEED replication r's entry of seeds (with a posterior, also --set each PARAMETER=VALUE of its rows in draws.csv)",
		}},
	}
}

// runEnsembles runs reps replications of every scenario on workers goroutines, replication r
// with seed batch.Seed(master, r) whatever the scenario. Each run's track goes into its own
// slot, so the ensembles are the same whatever the number of workers. The first failed run
// stops the others and its error names the scenario and replication; an interrupt (ctx done)
// returns errInterrupted. With a posterior (else nil), replication r of every scenario also
// takes its parameters from the posterior's draw r.
func runEnsembles(ctx context.Context, ss []*scenarios.Scenario, master uint64, reps, workers int, quiet bool, post *calibrate.Posterior, stderr io.Writer) ([]*observe.Ensemble, error) {
	es := make([]*observe.Ensemble, len(ss))
	for i, s := range ss {
		yamlText, err := scenarios.Marshal(s)
		if err != nil {
			return nil, err
		}
		es[i] = &observe.Ensemble{Name: s.Name, Description: s.Description, Preset: s.Preset,
			Hash: scenarios.Hash(s), YAML: yamlText, Config: s.Config, Tracks: make([]*observe.Track, reps), CountyData: countyData(s)}
	}
	total := len(ss) * reps
	prog := newProgress(stderr, quiet, total, unitRuns, langOf(ctx))
	err := forEach(ctx, total, workers, prog, func(ctx context.Context, j int) error {
		s, r := ss[j/reps], j%reps
		cfg := s.Config
		if post != nil {
			var err error
			if cfg, err = post.Config(s, master, r); err != nil {
				return fmt.Errorf("scenario %s, replication %d: %w", s.Name, r, err)
			}
		}
		var tr *observe.Track
		var err error
		if r == 0 {
			// The first replication also keeps its county outcomes, for the map.
			var tm *trackAndMap
			if tm, err = observe.Run(ctx, cfg, batch.Seed(master, r), newTrackAndMap); err == nil {
				tr, es[j/reps].Map = tm.Track, tm.outcomes
			}
		} else {
			tr, err = observe.Replicate(ctx, cfg, batch.Seed(master, r))
		}
		if err != nil {
			return fmt.Errorf("scenario %s, replication %d (seed %d): %w", s.Name, r, batch.Seed(master, r), err)
		}
		es[j/reps].Tracks[r] = tr
		return nil
	})
	if err != nil {
		return nil, err
	}
	return es, nil
}

// trackAndMap observes a run for its ensemble track and its county outcomes (the map).
type trackAndMap struct {
	*observe.Track
	outcomes *observe.CountyOutcomes
}

func newTrackAndMap(m *sim.Model) (*trackAndMap, error) {
	tr, err := observe.NewEnsembleTrack(m)
	if err != nil {
		return nil, err
	}
	return &trackAndMap{Track: tr, outcomes: observe.NewCountyOutcomes(m)}, nil
}

// Observe records the month for both.
func (t *trackAndMap) Observe(m *sim.Model) error {
	if err := t.Track.Observe(m); err != nil {
		return err
	}
	return t.outcomes.Observe(m)
}
