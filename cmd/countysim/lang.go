package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/countysim/countysim/calibrate"
	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/scenarios"
)

// langFlag is the --lang flag every command that writes words shares: the language of the
// figures, reports and printed summary.
type langFlag struct{ value string }

func (f *langFlag) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.value, "lang", "", `language of figures, reports and the printed summary: "en" or "zh" (default: the scenario or experiment file's lang, else the locale: LC_ALL, LC_MESSAGES, LANG)`)
}

// resolve returns the language: --lang, else fileLang (a scenario or experiment file's
// lang: field, already checked), else the locale's.
func (f *langFlag) resolve(fileLang string) (lang.Lang, error) {
	for _, v := range []string{f.value, fileLang} {
		if v != "" {
			l, err := lang.ParseLang(v)
			if err != nil {
				return lang.English, usageErr("--lang: %v", err)
			}
			return l, nil
		}
	}
	return lang.LangFromEnv(os.Getenv), nil
}

// with resolves the language and puts it into ctx, where the writers read it (langOf).
func (f *langFlag) with(ctx context.Context, fileLang string) (context.Context, error) {
	l, err := f.resolve(fileLang)
	if err != nil {
		return ctx, err
	}
	return context.WithValue(ctx, langKey{}, l), nil
}

type langKey struct{}

// langOf returns the language put into ctx by langFlag.with (English if none).
func langOf(ctx context.Context) lang.Lang {
	if l, ok := ctx.Value(langKey{}).(lang.Lang); ok {
		return l
	}
	return lang.English
}

// counterfactualEnsemble runs, on the same seeds, the no-reform counterfactual of the first
// compared scenario for the report's scorecard, unless baseline is among the compared ones
// (then nil: the report scores against it).
func counterfactualEnsemble(ctx context.Context, ss []*scenarios.Scenario, master uint64, reps, workers int, quiet bool, post *calibrate.Posterior, stderr io.Writer) (*observe.Ensemble, error) {
	for _, s := range ss {
		if s.Name == "baseline" {
			return nil, nil
		}
	}
	base, err := scenarios.Resolve("baseline")
	if err != nil {
		return nil, err
	}
	cf := *ss[0]
	cf.Name, cf.Description = "baseline", base.Description
	cf.Config = observe.NoReform(ss[0].Config, base.Config)
	es, err := runEnsembles(ctx, []*scenarios.Scenario{&cf}, master, reps, workers, quiet, post, stderr)
	if err != nil {
		return nil, fmt.Errorf("no-reform counterfactual: %w", err)
	}
	return es[0], nil
}
