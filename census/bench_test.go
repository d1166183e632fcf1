package census

import (
	"testing"

	"github.com/countysim/countysim/data"
)

// BenchmarkParseAndDerive is the cost of reading the embedded census and deriving every
// county's inputs from scratch (a run pays it once, on first use).
func BenchmarkParseAndDerive(b *testing.B) {
	raw, err := data.FS.ReadFile("census-2010-counties.csv")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		d, err := parse("x", raw)
		if err != nil {
			b.Fatal(err)
		}
		derive(d)
	}
}

// BenchmarkParseOutlines is the cost of reading the embedded outlines (only a map pays it).
func BenchmarkParseOutlines(b *testing.B) {
	raw, err := data.FS.ReadFile("prefectures-2020-outlines.csv")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := parseOutlines("x", raw); err != nil {
			b.Fatal(err)
		}
	}
}
