package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/countysim/countysim/batch"
)

const shipped = "../scenarios/calibrations/teaching-structure.yaml"

// tiny returns the shipped calibration cut down to a few short runs.
func tiny(t *testing.T) *Calibration {
	t.Helper()
	c, err := Parse(filepath.Join("..", "scenarios", "calibrations", "tiny.yaml"), []byte(tinyText(t, 2, 60)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// tinyText is the shipped calibration's text cut down to runs of 12 months, 6 particles and
// 12 proposals a round, over generations generations and at most maxRuns runs.
func tinyText(t *testing.T, generations, maxRuns int) string {
	t.Helper()
	data, err := os.ReadFile(shipped)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), "months: 24", "months: 12", 1)
	s = strings.Replace(s, "population: 200", "population: 6", 1)
	s = strings.Replace(s, "proposals: 400", "proposals: 12", 1)
	s = strings.Replace(s, "generations: 6", fmt.Sprintf("generations: %d", generations), 1)
	return strings.Replace(s, "max_runs: 2000", fmt.Sprintf("max_runs: %d", maxRuns), 1)
}

func TestShippedCalibrationLoads(t *testing.T) {
	c, err := Load(shipped)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Parameters) != 4 || len(c.Targets) != 4 || c.Runs() != 2000 {
		t.Errorf("parameters %d, targets %d, runs %d", len(c.Parameters), len(c.Targets), c.Runs())
	}
}

func TestCalibrationRunsSameBytesAnyWorkersAndResumes(t *testing.T) {
	c := tiny(t)
	read := func(dir string) map[string]string {
		out := map[string]string{}
		for _, f := range []string{PosteriorFile, GenerationsFile, ReportFile} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			out[f] = string(b)
		}
		return out
	}
	run := func(dir string, jobs int, resume bool) {
		res, err := Execute(context.Background(), c, Options{Dir: dir, Jobs: jobs, Resume: resume})
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteOutputs(dir, c, res); err != nil {
			t.Fatal(err)
		}
	}
	a, b := t.TempDir(), t.TempDir()
	run(a, 1, false)
	run(b, 3, false)
	ra, rb := read(a), read(b)
	for f := range ra {
		if ra[f] != rb[f] {
			t.Errorf("%s differs between 1 and 3 workers", f)
		}
	}
	if !strings.Contains(ra[ReportFile], "Which targets constrain which parameters") {
		t.Error("report has no target-parameter section")
	}
	for _, f := range []string{"posterior.parquet", MarginalsPlot, PairsPlot} {
		if _, err := os.Stat(filepath.Join(a, f)); err != nil {
			t.Error(err)
		}
	}
	// A second start in the same folder is refused; --resume of a finished calibration redoes
	// nothing and gives the same files; a lost last round is redone to the same bytes.
	if _, err := Execute(context.Background(), c, Options{Dir: a, Jobs: 2}); err == nil || !strings.Contains(err.Error(), "already holds a calibration") {
		t.Errorf("restart in a used folder: %v", err)
	}
	ents, _ := filepath.Glob(filepath.Join(a, "gen-*"))
	if len(ents) < 2 {
		t.Fatalf("rounds %v", ents)
	}
	if err := os.RemoveAll(ents[len(ents)-1]); err != nil {
		t.Fatal(err)
	}
	run(a, 2, true)
	if rr := read(a); rr[PosteriorFile] != ra[PosteriorFile] {
		t.Error("resumed calibration gave a different posterior")
	}
	// Interrupted in the middle of a round of generation 1, then resumed: the same files.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	i := t.TempDir()
	_, err := Execute(ctx, c, Options{Dir: i, Jobs: 2, Progress: func(b Batch, done, _ int) {
		if b.Gen == 1 && done == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted calibration returned %v", err)
	}
	if _, err := os.Stat(filepath.Join(i, "gen-01-round-00", ".journal")); err != nil {
		t.Fatalf("the interrupted round left no journal to resume from: %v", err)
	}
	// Another countysim version does not finish the interrupted round (exit 2, not a mix).
	_, err = Execute(context.Background(), c, Options{Dir: i, Jobs: 1, Resume: true, Identity: map[string]string{"countysim_version": "other"}})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), `gen-00-round-00 was run for countysim_version "", not "other"`) {
		t.Errorf("resume by another version: %v", err)
	}
	run(i, 1, true)
	if ri := read(i); ri[PosteriorFile] != ra[PosteriorFile] || ri[GenerationsFile] != ra[GenerationsFile] {
		t.Error("a calibration interrupted and resumed gave different files")
	}
}

func TestBadCalibrations(t *testing.T) {
	const params = "parameters: [{path: economy.tax_rate, min: 0.03, max: 0.08}]\n"
	const targets = "targets:\n  - {name: a, metric: growth, stat: mean, months: [0, 11], value: 1, tolerance: 1}\n"
	cases := []struct{ yaml, want string }{
		{params + targets + "extra: 1\n", `x.yaml:4:1: extra: unknown key "extra"`},
		{params + targets + "set:\n  devolution.social: 5\n", "x.yaml:5:22: set.devolution.social: bad value 5 (allowed: a number from 0 to 1)"},
		{params + targets + "seeed: 1\n", `(did you mean "seed"?)`},
		{"parameters: [{path: economy.tax_rat, min: 0.03, max: 0.08}]\n" + targets, `x.yaml:1:21: parameters[0].path: cannot set economy.tax_rat: economy.tax_rat: unknown key "tax_rat"; did you mean "tax_rate"?`},
		{"parameters: [{path: months, min: 1, max: 8}]\n" + targets, "months cannot be calibrated"},
		{"parameters: [{path: economy.tax_rate, min: 0.1, max: 0.08}]\n" + targets, "x.yaml:1:14: parameters[0]: a prior needs finite min and max with min < max (got min 0.1, max 0.08)"},
		{"parameters: [{path: economy.tax_rate, prior: normal, mean: 5, sd: 0.01, min: 0.03, max: 0.08}]\n" + targets, "x.yaml:1:14: parameters[0]: a normal prior with mean 5 and sd 0.01 puts 0 of its mass in [0.03, 0.08]"},
		{"parameters: [{path: economy.tax_rate, min: 0.03, max: 0.8}]\n" + targets, "value 0.8 is not allowed"},
		{"parameters: [{path: economy.tax_rate, prior: beta, min: 0.03, max: 0.08}]\n" + targets, `bad value "beta" (allowed: uniform, normal)`},
		{"parameters: [{path: economy.tax_rate, prior: normal, mean: 0.05, min: 0.03, max: 0.08}]\n" + targets, "normal prior needs mean and sd"},
		{"parameters: [{path: 'pmc.cohorts[0].step1', min: 1, max: 30}]\n" + targets, "(allowed: a real-valued scenario field)"},
		{params + "targets:\n  - {name: a, metric: self_sufficency, stat: mean, months: [0, 11], value: 1, tolerance: 1}\n", `x.yaml:3:23: targets[0].metric: unknown metric "self_sufficency" (did you mean "self_sufficiency"?)`},
		{params + "targets:\n  - {name: a, metric: growth, stat: p100, months: [0, 11], value: 1, tolerance: 1}\n", `targets[0].stat: bad value "p100"`},
		{params + "targets:\n  - {name: a, metric: growth, stat: mean, months: [0, 500], value: 1, tolerance: 1}\n", "months: bad value [0 500]"},
		{params + "targets:\n  - {name: a, metric: growth, stat: mean, months: [0, 1], value: 1, tolerance: 0}\n", "tolerance: bad or missing"},
		{params + "targets:\n  - {name: a, metric: growth, stat: mean, months: [0, 1], value: x, tolerance: 1}\n", `x.yaml:3:66: targets[0].value: bad value "x" (allowed: a number)`},
		{params + targets + "abc: {population: 10, proposals: 5}\n", "abc.proposals: bad value 5"},
		{params + targets + "abc: {quantile: 1}\n", "abc.quantile: bad value 1"},
		{params + targets + "abc: {max_runs: 1e300}\n", `abc.max_runs: bad value "1e300": too large (allowed: a whole number from abc.proposals to 10000000)`},
		{params + targets + "abc: {max_runs: 99999999999999999999999}\n", `abc.max_runs: bad value "99999999999999999999999": too large (allowed: a whole number from abc.proposals to 10000000)`},
		{params + targets + "abc: {max_runs: 2500.5}\n", `abc.max_runs: bad value "2500.5" (allowed: a whole number from abc.proposals to 10000000)`},
		{params + targets + "abc: {population: 2.5}\n", `abc.population: bad value "2.5" (allowed: a whole number from 2 to 1000000)`},
		{params + targets + "seed: 18446744073709551616\n", `seed: bad value "18446744073709551616": too large (allowed: a whole number from 0 to 18446744073709551615)`},
		{params + targets + "abc: {proposals: 9223372036854775807, max_runs: 1}\n", "abc.max_runs: bad value 1 (allowed: 200 to 10000000, and at least abc.proposals)"},
		{params + targets + "abc: {population: 100000000}\n", "abc.population: bad value 100000000 (allowed: 2 to 1000000)"},
		{params + targets + "scenario: nosuch\n", "x.yaml:4:11: scenario:"},
		{"parameters: {path: x}\n" + targets, "x.yaml:1:13: parameters: expected a list, got a mapping"},
		{params, "targets: no targets"},
		{params + "targets:\n  - {name: a, metric: growth, stat: mean, months: [0, 1], value: 1, tolerance: 1, relative: true}\n", "targets[0].relative: relative needs from"},
	}
	for _, tc := range cases {
		_, err := Parse("x.yaml", []byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q:\n got %v\nwant %q", tc.yaml, err, tc.want)
		}
	}
	if _, err := Parse("x.yaml", []byte(params+targets)); err != nil {
		t.Errorf("valid file refused: %v", err)
	}
	// Invalid proposals are reported alone: max_runs' range is not made empty by them (it was
	// "allowed: proposals 9223372036854775807 to 10000000").
	if _, err := Parse("x.yaml", []byte(params+targets+"abc: {proposals: 9223372036854775807, max_runs: 2000}\n")); err == nil || strings.Contains(err.Error(), "abc.max_runs") {
		t.Errorf("proposals 2^63-1: %v; want its own problem only", err)
	}
	// An invalid population is reported alone: the proposals' range is not made empty by it.
	if _, err := Parse("x.yaml", []byte(params+targets+"abc: {population: 100000000}\n")); err == nil || strings.Contains(err.Error(), "abc.proposals") {
		t.Errorf("population 1e8: %v; want its own problem only", err)
	}
}

func TestOddInputsGiveErrorsNotPanics(t *testing.T) {
	for _, in := range []string{"", "[]", "a: [", "parameters: [1, 2]", "targets: [{months: x}]", "set: {a: [1]}", "abc: 3", "seed: -1", "parameters: [{min: .inf, max: .nan}]", "x: &a [*a]",
		"a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nparameters: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"} {
		if _, err := Parse("odd.yaml", []byte(in)); err == nil {
			t.Errorf("%q was accepted", in)
		}
	}
}

func TestRelativeTargetSeesTheApprovalReform(t *testing.T) {
	const file = `scenario: streamline-and-approval
set: {preset: teaching, months: 48}
parameters: [{path: economy.tax_rate, min: 0.03, max: 0.08}]
targets:
  - {name: cut, metric: approval_days, stat: mean, from: [12, 23], months: [36, 47], relative: true, value: -0.525, tolerance: 0.125}
  - {name: drift, metric: approval_days, stat: mean, from: [12, 23], months: [36, 47], value: 0, tolerance: 1}
  - {name: level, metric: approval_days, stat: mean, months: [12, 23], value: 0, tolerance: 1}
`
	c, err := Parse("t6.yaml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	base, err := c.Base()
	if err != nil {
		t.Fatal(err)
	}
	ev, err := newEvaluator(c)
	if err != nil {
		t.Fatal(err)
	}
	st, err := ev.run(context.Background(), base.Config)
	if err != nil {
		t.Fatal(err)
	}
	// The reform starts at month 24: approvals must be faster after it.
	if !(st[0] < 0 && st[1] < 0) {
		t.Errorf("relative change %g, change %g days: want both negative", st[0], st[1])
	}
	if math.Abs(st[0]-st[1]/st[2]) > 1e-12 {
		t.Errorf("relative change %g is not change %g over level %g", st[0], st[1], st[2])
	}
	t.Logf("approval days %.1f before, change %.1f (%.1f%%)", st[2], st[1], 100*st[0])
}

// TestCalibrationRefusesAnEditedBase checks that a calibration on a scenario file is not
// continued after the file changed: the rounds run on the old base and the new would mix two
// models.
func TestCalibrationRefusesAnEditedBase(t *testing.T) {
	dir := t.TempDir()
	s := regexp.MustCompile(`(?m)^scenario: .*$`).ReplaceAllString(tinyText(t, 1, 24), "scenario: base.yaml")
	base := filepath.Join(dir, "base.yaml")
	if err := os.WriteFile(base, []byte("name: base\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Parse(filepath.Join(dir, "cal.yaml"), []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if _, err := Execute(context.Background(), c, Options{Dir: out, Jobs: 2}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(base, []byte("name: base\neconomy:\n  tax_spread: 1.2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Execute(context.Background(), c, Options{Dir: out, Jobs: 2, Resume: true})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "base_sha256") {
		t.Fatalf("resume after the base file changed: %v; want an input error naming base_sha256", err)
	}
}

// TestCalibrationResumeWhileAnotherWrites checks that a resume of a round another process is
// writing is refused with batch.ErrBusy (the command's exit 75, a busy folder), not run alongside it.
func TestCalibrationResumeWhileAnotherWrites(t *testing.T) {
	c := tiny(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	_, err := Execute(ctx, c, Options{Dir: dir, Jobs: 1, Progress: func(b Batch, done, _ int) {
		if done == 2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted calibration returned %v", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "gen-00-round-00", ".journal"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(context.Background(), c, Options{Dir: dir, Jobs: 1, Resume: true}); !errors.Is(err, batch.ErrBusy) {
		t.Fatalf("resume while another holds the round: %v; want batch.ErrBusy", err)
	}
}
