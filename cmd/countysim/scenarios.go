package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/scenarios"
)

func cmdValidate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("validate", "FILE... [--lang en|zh]", stderr)
	var lf langFlag
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	l, err := lf.resolve("")
	if err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageErr("expected at least one scenario file")
	}
	bad := 0
	var langs []lang.Lang // each file's language, for the summary line
	for _, f := range fs.Args() {
		s, err := scenarios.Load(f)
		if err == nil {
			err = scenarios.Validate(s)
		}
		// Each file's messages are in --lang, else its own lang:, else the locale's.
		fl := l
		if !fs.Changed("lang") {
			fl = errorLang(nil, err)
			if s != nil {
				fl, _ = lf.resolve(s.Lang)
			}
		}
		langs = append(langs, fl)
		if err != nil {
			bad++
			// A file name is printed as what it is (no escape sequence reaches the terminal).
			fmt.Fprintln(stderr, printableLines(sayError(err, fl)))
			continue
		}
		fmt.Fprintln(stdout, scenarios.Printable(fl.F("%s: ok (%s)", f, s.Name)))
	}
	if bad > 0 {
		// Without --lang, the summary is in the files' language when they all have one.
		if !fs.Changed("lang") && len(langs) > 0 && !slices.ContainsFunc(langs, func(x lang.Lang) bool { return x != langs[0] }) {
			l = langs[0]
		}
		return usageErr("%s", l.F("%d of %d files invalid", bad, fs.NArg()))
	}
	return nil
}

func cmdScenarios(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("scenarios", "list [--lang en|zh] | show [--explain] NAME", stderr)
	explain := fs.Bool("explain", false, "show: comment every field with its meaning, what is allowed, its unit and Chinese name")
	var lf langFlag
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	l, err := lf.resolve("")
	if err != nil {
		return err
	}
	if fs.Changed("lang") && fs.Arg(0) != "list" {
		return usageErr("--lang is for scenarios list (scenarios show writes the scenario's YAML, whose keys are English; --explain adds each field's Chinese name)")
	}
	switch {
	case fs.NArg() == 1 && fs.Arg(0) == "list":
		for _, n := range scenarios.Builtins() {
			s, err := scenarios.Builtin(n)
			if err != nil {
				return err
			}
			mark := ""
			if n == defaultScenario {
				mark = l.T(" (default)")
			}
			fmt.Fprintf(stdout, "%-26s %s%s\n", n, l.T(s.Description), mark)
		}
		fmt.Fprintln(stdout, "\n"+l.F("Province presets: %s", strings.Join(scenarios.Presets(), l.Sep())))
		return nil
	case fs.NArg() == 2 && fs.Arg(0) == "show":
		s, err := scenarios.Resolve(fs.Arg(1))
		if err != nil {
			return badInput(err)
		}
		marshal := scenarios.Marshal
		if *explain {
			marshal = scenarios.MarshalExplained
		}
		b, err := marshal(s)
		if err != nil {
			return err
		}
		_, err = stdout.Write(b)
		return err
	}
	return usageErr("usage: countysim scenarios list [--lang en|zh] | countysim scenarios show [--explain] NAME")
}
