package main

import (
	"github.com/countysim/countysim/scenarios"
)

// inputErr is an error about what a user gave a command (the scenarios compared, what a
// scenario allows evaluate to estimate, a flag a user sets in normal use) whose message is a
// scenarios.Text: said in the reader's language where countysim prints it (sayError), its
// Chinese in lang/zh_input.go (TestEveryUsageTextHasChinese). fileLang is the lang: of the
// scenario file the error is about ("": none or unknown): it decides when no --lang is given,
// as it does for the file's own problems (errorLang).
type inputErr struct {
	text     scenarios.Text
	fileLang string
}

func (e *inputErr) Error() string { return e.text.String() }

// In says the error with tr (nil: English).
func (e *inputErr) In(tr scenarios.Translator) string { return e.text.In(tr) }

// usageText is usageErr for a message said in the reader's language: bad input (exit 2) whose
// message is the format with args (an argument that is a scenarios.Text or scenarios.Words is
// said in the reader's language too), about a scenario file asking for fileLang ("": none).
func usageText(fileLang, format string, args ...any) error {
	return &exitError{code: 2, err: &inputErr{text: say(format, args...), fileLang: fileLang}}
}

// say makes a scenarios.Text: a part of a usageText message.
func say(format string, args ...any) scenarios.Text {
	return scenarios.Text{Format: format, Args: args}
}

// firstLang is the first lang: the scenarios give ("" when none gives one): the language of
// errors about several scenarios at once.
func firstLang(ss ...*scenarios.Scenario) string {
	for _, s := range ss {
		if s != nil && s.Lang != "" {
			return s.Lang
		}
	}
	return ""
}
