package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"unicode"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/calibrate"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/results"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
	"github.com/countysim/countysim/targets"
)

// defaultEvaluateReps is the number of replications `evaluate` runs.
const defaultEvaluateReps = 20

func cmdEvaluate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("evaluate", "[SCENARIO] [flags]  |  evaluate --validate [--reps N] [--out DIR] [-j N] [--seed S]", stderr)
	var sf scenarioFlags
	sf.register(fs)
	reps := fs.Int("reps", defaultEvaluateReps, fmt.Sprintf("replications (at most %d); replication r runs with seed batch.Seed(master seed, r)", maxReps))
	out := fs.String("out", "", "output folder (default: out/evaluate-SCENARIO, or out/validation with --validate)")
	jobs := fs.IntP("jobs", "j", runtime.NumCPU(), "runs executed at once (at most the number of cores; results are the same whatever the number)")
	force := fs.Bool("force", false, "write into --out even if it holds files evaluate did not write")
	step := fs.Int("treatment-step", 3, "PMC step from which a county counts as treated: 1 (fiscal PMC) or 3 (full PMC)")
	boot := fs.Int("boot-draws", observe.DefaultBootDraws, fmt.Sprintf("wild cluster bootstrap draws for each outcome's twfe and sa_att p-values and intervals and its pre-trend test's p-value (the twfe_wcr, sa_att_wcr and pretrend_wcr rows): 0 (none) or %d to %d", minBootDraws, maxBootDraws))
	validate := fs.Bool("validate", false, "run the validation targets T1-T9 on their built-in scenarios (with their counterfactuals and placebos) and write report.md and report.html")
	quiet := fs.BoolP("quiet", "q", false, "no progress output")
	var lf langFlag
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkReps(*reps, 1); err != nil {
		return err
	}
	workers, err := capWorkers(*jobs, stderr)
	if err != nil {
		return err
	}
	if *step != 1 && *step != 3 {
		return usageText("", "--treatment-step: bad value %d (allowed: 1 or 3)", *step)
	}
	if *boot != 0 && (*boot < minBootDraws || *boot > maxBootDraws) {
		return usageErr("--boot-draws: bad value %d (allowed: 0, no bootstrap, or %d to %d)", *boot, minBootDraws, maxBootDraws)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *validate {
		if ctx, err = lf.with(ctx, ""); err != nil {
			return err
		}
		for _, name := range []string{"treatment-step", "months", "set"} {
			if fs.Changed(name) {
				return usageErr("--%s cannot be used with --validate: each target runs its own built-in scenarios as they are", name)
			}
		}
		if fs.Changed("posterior") {
			return usageErr("--posterior cannot be used with --validate: each target runs its own built-in scenarios as they are")
		}
		if fs.Changed("boot-draws") {
			return usageErr("--boot-draws cannot be used with --validate: the validation's rules do not read the wild cluster bootstrap")
		}
		if fs.NArg() > 0 {
			return usageErr("--validate takes no scenario (each target names its own), got %v", fs.Args())
		}
		master := sim.DefaultConfig().Seed
		if fs.Changed("seed") {
			master = sf.seed
		}
		if err := checkReps(*reps, len(targets.Scenarios())); err != nil {
			return err
		}
		dir := *out
		if dir == "" {
			dir = filepath.Join("out", "validation")
		}
		od, err := claimOut(dir, "evaluate", *force)
		if err != nil {
			return err
		}
		defer od.discard()
		return runValidation(ctx, od, master, *reps, workers, *quiet, stdout, stderr)
	}
	s, err := sf.loadArg(fs)
	if err != nil {
		return err
	}
	if ctx, err = lf.with(ctx, s.Lang); err != nil { // --lang, else the file's lang:, else the locale
		return err
	}
	post, err := sf.loadPosterior()
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("out", "evaluate-"+safeName(s.Name))
	}
	od, err := claimOut(dir, "evaluate", *force)
	if err != nil {
		return err
	}
	defer od.discard()
	return evaluate(ctx, s, od, evalOptions{step: *step, reps: *reps, boot: *boot}, workers, *quiet, post, stdout, stderr)
}

// The bounds of --boot-draws (besides 0): fewer than 99 draws cannot tell p-values near 0.05
// apart; 99,999 draws take about a third of a second per outcome and replication.
const (
	minBootDraws = 99
	maxBootDraws = 99999
)

// evalOptions are evaluate's settings: the treatment step, the replications and the wild
// bootstrap's draws (0: none).
type evalOptions struct{ step, reps, boot int }

// evaluate runs scenario s reps times, each replication also without the reform (its
// counterfactuals, same seed), estimates the reform's effects in every replication beside the
// true effects, and writes the evaluation into od (moved into place only when it succeeded). The master seed is the scenario's (after
// --seed). Counterfactual panels are reduced to their true effects as soon as they are run.
func evaluate(ctx context.Context, s *scenarios.Scenario, od *outDir, opt evalOptions, workers int, quiet bool, post *calibrate.Posterior, stdout, stderr io.Writer) error {
	step, reps := opt.step, opt.reps
	if err := observe.CheckConfigEvaluable(s.Config, step); err != nil {
		return notEvaluable(s, step, err)
	}
	master := s.Config.Seed
	meta := ensembleMeta(master, reps)
	printHeld(ctx, stderr, withPosterior(&meta, post, s)) // the seed rule and the manifest's bands line, as compare's
	meta.Lang = langOf(ctx)
	rec, err := scenarioRecord(s)
	if err != nil {
		return err
	}
	cfs := observe.PMCCounterfactuals(s.Config, step)
	ev := &results.Evaluation{Scenario: rec, Config: s.Config, TreatmentStep: step, Counterfactuals: cfs,
		Panels: make([]*observe.Panel, reps), Estimates: make([][]observe.EvalEstimate, reps), BootDraws: opt.boot}
	skipped := make([][]observe.Skipped, reps)
	prog := newProgress(stderr, quiet, reps, unitReplications, langOf(ctx))
	err = forEach(ctx, reps, workers, prog, func(ctx context.Context, r int) error {
		seed := batch.Seed(master, r)
		cfg := s.Config
		if post != nil {
			var err error
			if cfg, err = post.Config(s, master, r); err != nil {
				return fmt.Errorf("replication %d: %w", r, err)
			}
		}
		p, qs, err := runPanels(ctx, cfg, seed, step, cfs)
		if err != nil {
			return fmt.Errorf("replication %d (seed %d)%s: %w", r, seed, whichRun(err, cfs), err)
		}
		if err := observe.CheckEvaluable(p); err != nil {
			return notEvaluable(s, step, err)
		}
		var truths []*observe.Truth
		for i, cf := range cfs {
			t, err := observe.PairTruth(cf.Name, p, qs[i])
			if err != nil {
				return fmt.Errorf("replication %d (seed %d): %w", r, seed, err)
			}
			truths = append(truths, t)
		}
		// The bootstrap's weights come from the run's seed: the same bytes whatever -j.
		est, sk, err := observe.EstimatePanel(p, r, observe.Bootstrap{Draws: opt.boot, Seed: seed}, truths...)
		if err != nil {
			return notEvaluable(s, step, err)
		}
		ev.Panels[r], ev.Estimates[r], skipped[r] = p, est, sk
		return nil
	})
	if err != nil {
		return err
	}
	var allSkipped []observe.Skipped
	for _, sk := range skipped {
		allSkipped = append(allSkipped, sk...)
	}
	skips := observe.SummariseSkips(allSkipped, reps)
	for _, k := range skips {
		ev.Notes = append(ev.Notes, k.Note()) // the manifest's notes stay in English
	}
	if k := ev.Panels[0].PartialMonths(); k > 0 {
		last := s.Config.Months
		partial := fmt.Sprintf("panel.csv and the estimates leave out months %d-%d, past the last whole year: a year's flows and growth must be a whole year's (--months a multiple of 12 uses every month)", last-k+1, last)
		ev.Notes = append(ev.Notes, partial) // the manifest's notes stay in English
	}
	treated, cohort := ev.Panels[0].Treated(), smallestCohort(ev.Panels[0])
	if treated < fewTreatedClusters {
		// Cluster-robust tests take their degrees of freedom from all the counties, and with
		// few treated ones they over-reject (Cameron and Miller 2015; MacKinnon and Webb 2017).
		ev.Notes = append(ev.Notes, fewTreated(results.English, treated, cohort, opt.boot)) // the manifest's notes stay in English
	}
	sum := observe.SummariseEstimates(flatten(ev.Estimates))
	failed := results.PreTrendFailures(sum)
	if n := results.PreTrendNote(results.English, failed); n != "" {
		ev.Notes = append(ev.Notes, n) // the manifest's notes stay in English
	}
	if err := results.WriteEvaluation(ctx, od.stage, ev, meta); err != nil {
		return interrupted(ctx, err)
	}
	if err := od.commit(); err != nil {
		return fmt.Errorf("moving the output into %s: %w", od.shown, err)
	}
	dir := od.shown
	l := langOf(ctx)
	fmt.Fprintln(stdout, l.F("countysim: evaluated %q over %d runs, each paired with %d counterfactual run(s) (treatment at PMC step %d, master seed %d) and wrote %s",
		s.Name, reps, len(cfs), step, master, dir))
	get := func(est string) (observe.EvalSummary, bool) {
		for _, row := range sum {
			if row.Outcome == "growth" && row.Estimator == est && !row.HasRel {
				return row, true
			}
		}
		return observe.EvalSummary{}, false
	}
	if tw, ok := get(observe.EstTWFE); ok {
		if wcr, ok := get(observe.EstTWFEWCR); ok {
			fmt.Fprintln(stdout, "  - "+l.F("growth effect (TWFE): %+.2f pp per year, significant at 90%% in %.0f%% of runs by its clustered interval, in %.0f%% by the wild cluster bootstrap (twfe_wcr)",
				100*tw.Mean, 100*tw.ShareSignificant, 100*wcr.ShareSignificant))
		}
	}
	if row, ok := get(observe.EstSAATT); ok {
		if wcr, ok := get(observe.EstSAATTWCR); ok {
			fmt.Fprintln(stdout, "  - "+l.F("growth effect (Sun-Abraham ATT): %+.2f pp per year, 5-95%% across runs [%+.2f, %+.2f], significant at 90%% in %.0f%% of runs by its clustered interval, in %.0f%% by the wild cluster bootstrap (sa_att_wcr)",
				100*row.Mean, 100*row.P5, 100*row.P95, 100*row.ShareSignificant, 100*wcr.ShareSignificant))
		} else {
			fmt.Fprintln(stdout, "  - "+l.F("growth effect (Sun-Abraham ATT): %+.2f pp per year, 5-95%% across runs [%+.2f, %+.2f], significant at 90%% in %.0f%% of runs",
				100*row.Mean, 100*row.P5, 100*row.P95, 100*row.ShareSignificant))
		}
	}
	for _, cf := range cfs {
		if t, ok := get(observe.EstTrueATT + cf.Name); ok {
			sp, _ := get(observe.EstSpillover + cf.Name)
			if b, ok := get(observe.EstSAATTBias + cf.Name); ok {
				fmt.Fprintln(stdout, "  - "+l.F("true growth effect on the treated against %s: %+.2f pp per year [%+.2f, %+.2f]; estimate minus truth %+.2f; spillover on the never-treated %+.2f",
					l.T(cf.Name), 100*t.Mean, 100*t.P5, 100*t.P95, 100*b.Mean, 100*sp.Mean))
			} else {
				fmt.Fprintln(stdout, "  - "+l.F("true growth effect on the treated against %s (the whole path, earlier steps included: not what the estimators measure past step 1): %+.2f pp per year [%+.2f, %+.2f]; spillover on the never-treated %+.2f",
					l.T(cf.Name), 100*t.Mean, 100*t.P5, 100*t.P95, 100*sp.Mean))
			}
		}
	}
	if row, ok := get(observe.EstPreTrend); ok {
		if wcr, ok := get(observe.EstPreTrendWCR); ok && wcr.Reps > 0 {
			fmt.Fprintln(stdout, "  - "+l.F("pre-trend test on growth rejects at 10%% in %.0f%% of runs by the wild cluster bootstrap (pretrend_wcr), in %.0f%% by the clustered Wald test (pretrend_wald)", 100*wcr.ShareSignificant, 100*row.ShareSignificant))
		} else {
			fmt.Fprintln(stdout, "  - "+l.F("pre-trend test on growth rejects at 10%% in %.0f%% of runs", 100*row.ShareSignificant))
		}
	}
	if treated < fewTreatedClusters {
		fmt.Fprintf(stdout, "  - %s\n", fewTreated(l, treated, cohort, opt.boot))
	}
	var never []string
	for _, k := range skips {
		if k.Skipped >= k.Reps {
			never = append(never, l.MetricName(k.Outcome))
			continue
		}
		fmt.Fprintln(stdout, "  - "+l.F("%s: estimated in %d of %d runs only (not in the others: %s); its rows in summary.csv are over those runs, a selected subset (marked in the note column)",
			l.MetricName(k.Outcome), k.Reps-k.Skipped, k.Reps, skipWhy(l, k)))
	}
	if len(never) > 0 {
		fmt.Fprintln(stdout, "  - "+l.F("not estimated in any run: %s (the manifest's notes say why)", strings.Join(never, l.Sep())))
	}
	if n := results.PreTrendNote(l, failed); n != "" {
		fmt.Fprintf(stdout, "  - %s\n", n)
	}
	if k := ev.Panels[0].PartialMonths(); k > 0 {
		fmt.Fprintln(stdout, l.F("The panel and the estimates leave out months %d-%d, past the last whole year (--months a multiple of 12 uses every month).", s.Config.Months-k+1, s.Config.Months))
	}
	return nil
}

// oneValue matches the reason observe.FitDID gives for an outcome that does not vary.
var oneValue = regexp.MustCompile(`^it takes one value \((.*)\) in every county-year$`)

// skipWhy is k.Why in l: each reason translated, with its count of runs when there are several.
func skipWhy(l results.Lang, k observe.SkipSummary) string {
	tr := func(r string) string {
		if m := oneValue.FindStringSubmatch(r); m != nil {
			return l.F("it takes one value (%s) in every county-year", m[1])
		}
		if t := l.T(r); t != r || l != results.Chinese {
			return t
		}
		// A reason the estimator gives in its own words (a panel with no comparison, collinear
		// regressors): said as a quotation, so that no sentence mixes two languages.
		return l.F("the estimator failed: %q", r)
	}
	if len(k.Reasons) == 1 {
		return tr(k.Reasons[0])
	}
	var parts []string
	for i, r := range k.Reasons {
		parts = append(parts, l.F("%s in %d", tr(r), k.Counts[i]))
	}
	sep := "; "
	if l == results.Chinese {
		sep = "；"
	}
	return strings.Join(parts, sep)
}

// fewTreatedClusters is the number of treated counties below which evaluate warns that its
// cluster-robust tests over-reject (assumption, from the audit's simulation: 15-17% at a
// nominal 10% with 10 treated of 109 counties).
const fewTreatedClusters = 20

// smallestCohort returns the number of treated counties of p's smallest cohort among those the
// Sun-Abraham estimates can use (treated after the panel's first year); 0 when there is none.
func smallestCohort(p *observe.Panel) int {
	n := map[int]int{}
	for i := range p.Counties {
		if y := p.FirstTreatedYear(i); y > p.Year(0) {
			n[y]++
		}
	}
	least := 0
	for _, k := range n {
		if least == 0 || k < least {
			least = k
		}
	}
	return least
}

// fewTreated is the note, in l, that evaluate's clustered tests over-reject with treated
// treated counties (cohort of them in the smallest cohort), and what to read instead: the wild
// cluster bootstraps' twfe_wcr, sa_att_wcr and pretrend_wcr (boot draws; 0: turned off),
// themselves unreliable with 3 or fewer treated counties, and the Sun-Abraham ones with 2 or
// fewer in a cohort.
func fewTreated(l results.Lang, treated, cohort, boot int) string {
	sep := "; "
	if l == results.Chinese {
		sep = "；"
	}
	var then string
	switch {
	case boot == 0:
		then = l.T(fewTreatedNoBoot)
	case treated <= 3:
		then = l.T(fewTreatedBootFails)
	default:
		then = l.T(fewTreatedReadBoot)
		if cohort > 0 && cohort <= 2 {
			then += sep + l.F(fewTreatedSmallCohort, cohort)
		}
	}
	return l.F(fewTreatedNote, treated) + sep + then
}

// What to read with few treated counties: the measured rejection rates are results/did's Monte
// Carlos (TestWildRejectsAtItsLevelWithFewTreated, TestSAWildRejectsAtItsLevelWithFewTreated
// and the did package's docs of TWFEWild and SunAbrahamWild).
const (
	fewTreatedReadBoot    = "read the wild cluster bootstraps instead, which reject near their level with a handful of treated clusters: twfe_wcr for twfe, sa_att_wcr for sa_att, pretrend_wcr for the pre-trend test (the PRE-TREND warning reads it; sa_event has none) (results/did's Monte Carlos, 6 treated of 60 at 5%: twfe 5.1% by the bootstrap, 11.4% clustered; in one cohort sa_att 5.4% against 10.3%, the pre-trend test 4.5% against 18.7%)"
	fewTreatedSmallCohort = "but a cohort has only %d treated counties, and with 2 or fewer per cohort sa_att_wcr and pretrend_wcr over-reject too (results/did's Monte Carlo, 6 treated in 3 cohorts of 2 at 5%%: sa_att 10.0%% by the bootstrap as by the clustered test, the pre-trend test 11.8%% against 22.2%%)"
	fewTreatedBootFails   = "the wild cluster bootstraps (twfe_wcr, sa_att_wcr, pretrend_wcr) are no remedy with 3 or fewer treated counties: twfe_wcr then rejects too rarely (MacKinnon and Webb 2018; results/did's Monte Carlo at 5%: 0-0.3%), so no test here is reliable"
	fewTreatedNoBoot      = "--boot-draws 0 turned off the wild cluster bootstraps (twfe_wcr, sa_att_wcr, pretrend_wcr) that correct this for twfe, sa_att and the pre-trend test"
)

// fewTreatedNote says evaluate's tests over-reject with few treated counties.
const fewTreatedNote = "only %d treated counties: cluster-robust tests over-reject with few treated clusters (an audit's simulation, 109 counties, nominal 10%%: TWFE 15%%, sa_att 17%%, the pre-trend test 24%% with 10 treated; 19%%, 22%%, 49%% with 5), so the share_significant of the clustered tests (twfe, sa_att, sa_event, pretrend_wald) overstates"

// notEvaluable turns a panel without treated or control counties into bad input (exit 2) that
// says what to change; other errors pass through.
func notEvaluable(s *scenarios.Scenario, step int, err error) error {
	name := s.Name
	switch {
	case errors.Is(err, observe.ErrNoTreatedCounties):
		return usageText(s.Lang, "scenario %s: no county is treated: no county reaches PMC step %d within the horizon's whole years (pmc.enabled false, or no cohort's step%d date before the last whole year of months ends); "+
			"evaluate a scenario whose pilots reach step %d (e.g. pmc-three-step), set pmc.cohorts dates, or lower --treatment-step", name, step, step, step)
	case errors.Is(err, observe.ErrNoPreTreatmentYear):
		return usageText(s.Lang, "scenario %s: every treated county reaches PMC step %d in the panel's first year, so no year before treatment is observed and nothing can be estimated; "+
			"evaluate a later step (--treatment-step), or a scenario whose cohorts reach step %d after the first year (pmc.cohorts dates of 12 or more)", name, step, step)
	case errors.Is(err, observe.ErrNoControlCounties):
		return usageText(s.Lang, "scenario %s: no never-treated county to compare with: every county is a pilot (pmc.cohorts shares sum to 1); "+
			"a DiD needs counties that stay city-managed: lower the cohorts' shares so they sum to less than 1 (e.g. pmc-three-step)", name)
	}
	return err
}

func flatten(est [][]observe.EvalEstimate) []observe.EvalEstimate {
	var out []observe.EvalEstimate
	for _, e := range est {
		out = append(out, e...)
	}
	return out
}

// runValidation runs every scenario the validation targets need, reps times each with the
// seeds derived from master, each paired scenario also with its counterfactuals on the same
// seeds (reduced to their true effects at once, and the factual panel to the columns the rules
// read, so memory holds a few columns per factual run; the counterfactual panels are kept,
// reduced the same way, only for the scenarios marked CounterfactualPanels),
// and writes the validation report into od (moved into place only when it succeeded).
func runValidation(ctx context.Context, od *outDir, master uint64, reps, workers int, quiet bool, stdout, stderr io.Writer) error {
	meta := ensembleMeta(master, reps)
	meta.Lang = langOf(ctx)
	need := targets.Scenarios()
	in := &targets.Input{}
	var ss []*scenarios.Scenario
	var cfs [][]observe.Counterfactual
	runs := 0
	for _, v := range need {
		s, err := scenarios.Builtin(v.Name)
		if err != nil {
			return err
		}
		rec, err := scenarioRecord(s)
		if err != nil {
			return err
		}
		var cs []observe.Counterfactual
		for _, name := range v.Counterfactuals {
			c, err := observe.CounterfactualByName(name, v.TreatmentStep)
			if err != nil {
				return err
			}
			cs = append(cs, c)
		}
		ss, cfs = append(ss, s), append(cfs, cs)
		in.Scenarios = append(in.Scenarios, rec)
		in.Configs = append(in.Configs, s.Config)
		in.Panels = append(in.Panels, make([]*observe.Panel, reps))
		in.Truths = append(in.Truths, make([][]*observe.Truth, reps))
		var cfPanels [][]*observe.Panel
		if v.CounterfactualPanels {
			cfPanels = make([][]*observe.Panel, reps)
		}
		in.CFPanels = append(in.CFPanels, cfPanels)
		runs += reps * (1 + len(cs))
	}
	prog := newProgress(stderr, quiet, len(need)*reps, unitScenarioReps, langOf(ctx))
	err := forEach(ctx, len(need)*reps, workers, prog, func(ctx context.Context, j int) error {
		k, r := j/reps, j%reps
		seed := batch.Seed(master, r)
		p, qs, err := runPanels(ctx, ss[k].Config, seed, need[k].TreatmentStep, cfs[k])
		if err != nil {
			return fmt.Errorf("scenario %s, replication %d (seed %d)%s: %w", ss[k].Name, r, seed, whichRun(err, cfs[k]), err)
		}
		var truths []*observe.Truth
		var cfSmall []*observe.Panel
		for i, cf := range cfs[k] {
			t, err := observe.PairTruth(cf.Name, p, qs[i])
			if err != nil {
				return fmt.Errorf("scenario %s, replication %d (seed %d): %w", ss[k].Name, r, seed, err)
			}
			truths = append(truths, t)
			if need[k].CounterfactualPanels {
				q, err := targets.PanelFor(ss[k].Name, qs[i])
				if err != nil {
					return err
				}
				cfSmall = append(cfSmall, q)
			}
		}
		if need[k].CounterfactualPanels {
			in.CFPanels[k][r] = cfSmall
		}
		// Hold only what the rules read: the panel reduced to its validation columns.
		small, err := targets.PanelFor(ss[k].Name, p)
		if err != nil {
			return err
		}
		in.Panels[k][r], in.Truths[k][r] = small, truths
		return nil
	})
	if err != nil {
		return err
	}
	res, err := results.WriteValidation(ctx, od.stage, in, meta)
	if err != nil {
		return interrupted(ctx, err)
	}
	if err := od.commit(); err != nil {
		return fmt.Errorf("moving the output into %s: %w", od.shown, err)
	}
	dir := od.shown
	met := 0
	for _, t := range res {
		if t.Met {
			met++
		}
	}
	l := langOf(ctx)
	fmt.Fprintln(stdout, l.F("countysim: validation over %d runs of each of %d scenarios and their counterfactuals (%d runs in all, master seed %d): %d of %d targets met; wrote %s",
		reps, len(need), runs, master, met, len(res), dir))
	for _, t := range res {
		headline := t.Headline
		if l == results.Chinese {
			headline = t.Zh.Headline
		}
		fmt.Fprintf(stdout, "  %s %s %s %s %s\n", t.ID, padColumns(l.T(t.Verdict()), 27), l.T("placebo"), padColumns(l.T(t.PlaceboVerdict()), 9), headline)
	}
	fmt.Fprintln(stdout, "  "+l.F("read %s (or %s)", filepath.Join(dir, results.ReportMarkdownFile), results.ReportHTMLFile))
	return nil
}

// padColumns pads s with spaces to n columns of a terminal, a Chinese character taking two.
func padColumns(s string, n int) string {
	w := 0
	for _, r := range s {
		w++
		if unicode.Is(unicode.Han, r) || (r >= 0xff00 && r <= 0xffef) || (r >= 0x3000 && r <= 0x303f) {
			w++
		}
	}
	return s + strings.Repeat(" ", max(n-w, 0))
}

func scenarioRecord(s *scenarios.Scenario) (observe.ScenarioRecord, error) {
	y, err := scenarios.Marshal(s)
	if err != nil {
		return observe.ScenarioRecord{}, err
	}
	c, t := 0, 0
	for _, p := range s.Config.World.Provinces {
		c += p.Counties
		t += p.Towns
	}
	return observe.ScenarioRecord{Name: s.Name, Description: s.Description, Hash: scenarios.Hash(s),
		Counties: c, Towns: t, YAML: string(y), CountyData: countyData(s)}, nil
}

// countyData is the record of the counties file s took county values from (nil: none).
func countyData(s *scenarios.Scenario) *observe.CountyData {
	if f := s.CountiesFile; f != nil {
		return &observe.CountyData{Path: f.Path, SHA256: f.SHA256, Given: f.Given, Counties: f.Counties}
	}
	return nil
}

// runPanels runs cfg with seed, then its counterfactuals cfs on the same seed, and returns
// their county-year panels. Each counterfactual is the same run as cfg's until its reform
// starts, so it is forked off cfg's run there (observe.RunForked: the same panels as runs
// from the start, for fewer months).
func runPanels(ctx context.Context, cfg sim.Config, seed uint64, step int, cfs []observe.Counterfactual) (*observe.Panel, []*observe.Panel, error) {
	cs := make([]sim.Config, len(cfs))
	for i, cf := range cfs {
		cs[i] = cf.Apply(cfg)
	}
	return observe.RunForked(ctx, cfg, seed, sim.Options{Metrics: observe.PanelReads()},
		func(m *sim.Model) (*observe.Panel, error) { return observe.NewPanel(m, step) }, cs)
}

// whichRun names the counterfactual run err comes from (", counterfactual NAME"), or ""
// for the factual run.
func whichRun(err error, cfs []observe.Counterfactual) string {
	var fe *observe.ForkedRunError
	if errors.As(err, &fe) && fe.Index < len(cfs) {
		return ", counterfactual " + cfs[fe.Index].Name
	}
	return ""
}

// forEach runs task(i) for i = 0 .. n-1 on batch.ForEach (the one worker pool) with workers
// goroutines, counting each task done in prog. Each task must write only its own slots, so
// the results are the same whatever the number of workers. The first failure stops the others
// and is returned; an interrupt (ctx done) returns errInterrupted.
func forEach(ctx context.Context, n, workers int, prog *progress, task func(ctx context.Context, i int) error) error {
	err := batch.ForEach(ctx, n, workers, func(ctx context.Context, i int) error {
		if err := task(ctx, i); err != nil {
			return err
		}
		prog.add()
		return nil
	})
	prog.done()
	if ctx.Err() != nil {
		return errInterrupted
	}
	return err
}
