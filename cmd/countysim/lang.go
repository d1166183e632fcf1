package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/countysim/countysim/calibrate"
	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/results"
	"github.com/countysim/countysim/scenarios"
)

// langFlag is the --lang flag every command that writes words shares: the language of the
// figures, reports and printed summary, and of the errors about input files (errorLang).
type langFlag struct{ value string }

func (f *langFlag) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.value, "lang", "", `language of figures, reports, the printed summary and the errors about scenario and counties files: "en" or "zh" (default: the scenario or experiment file's lang, else the locale: LC_ALL, LC_MESSAGES, LANG)`)
}

// registerOutputs is register for a command that reads no scenario or counties file of its
// own (merge, discover, calibrate): the flag sets the language of its outputs only.
func (f *langFlag) registerOutputs(fs *pflag.FlagSet, from string) {
	fs.StringVar(&f.value, "lang", "", `language of figures, reports and the printed summary: "en" or "zh" (default: `+from+`, else the locale: LC_ALL, LC_MESSAGES, LANG)`)
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

// errorLang is the language of a command's error about its input: the command line's --lang,
// else the lang: of the scenario file the error is about (a *scenarios.LoadError's, an
// inputErr's), else the locale's. A --lang that is
// not a language (its own error) leaves the locale's.
func errorLang(args []string, err error) lang.Lang {
	for i, a := range args {
		if a == "--" {
			break
		}
		v, ok := strings.CutPrefix(a, "--lang=")
		if !ok && a == "--lang" && i+1 < len(args) {
			v, ok = args[i+1], true
		}
		if ok {
			if l, err := lang.ParseLang(v); err == nil && v != "" {
				return l
			}
			return lang.LangFromEnv(os.Getenv)
		}
	}
	var le *scenarios.LoadError
	if errors.As(err, &le) && le.Lang != "" {
		if l, err := lang.ParseLang(le.Lang); err == nil {
			return l
		}
	}
	var ie *inputErr
	if errors.As(err, &ie) && ie.fileLang != "" {
		if l, err := lang.ParseLang(ie.fileLang); err == nil {
			return l
		}
	}
	return lang.LangFromEnv(os.Getenv)
}

// sayError returns err's message in l: the part that is an error about an input file
// (package scenarios' *LoadError or *Error) said in l, the rest as it is. In English it is
// err.Error().
func sayError(err error, l lang.Lang) string {
	s := err.Error()
	if l == lang.English {
		return s
	}
	var t interface {
		error
		In(scenarios.Translator) string
	}
	if errors.As(err, &t) {
		return strings.Replace(s, t.Error(), t.In(inputTranslator(l)), 1)
	}
	return s
}

// inputTranslator says the words of input-file errors in l: lang's messages, and the
// provinces' English names (Words in scenarios' county errors) as results shows them.
func inputTranslator(l lang.Lang) scenarios.Translator {
	return func(s string) (string, bool) {
		if t, ok := l.Message(s); ok {
			return t, true
		}
		if zh := results.ProvinceLabel(l, s); zh != s {
			return zh, true
		}
		return s, false
	}
}
