package results

import (
	"github.com/countysim/countysim/assess"
	"github.com/countysim/countysim/lang"
)

// Lang is the language of the words in the outputs (package lang owns the languages and their
// words).
type Lang = lang.Lang

// The supported languages.
const (
	English = lang.English
	Chinese = lang.Chinese
)

// Outcome is a key outcome of a comparison (package assess owns the outcomes and verdicts).
type Outcome = assess.Outcome

// KeyOutcomes are the outcomes of differences.csv and the report, in order (assess.KeyOutcomes).
var KeyOutcomes = assess.KeyOutcomes
