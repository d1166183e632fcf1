package scenarios

import (
	"testing"

	"github.com/countysim/countysim/census"
)

// BenchmarkNationalFromData is what building the national world from the data adds to a run,
// once parsed: every real province (31 province presets and national) from the census.
func BenchmarkNationalFromData(b *testing.B) {
	d := census.MustLoad()
	der := d.Derive()
	for b.Loop() {
		if _, err := newRealWorlds(d, der); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseNationalScenario loads a scenario with preset national (a fresh copy of its
// 1,954 counties) and hashes it, as run does for its manifest.
func BenchmarkParseNationalScenario(b *testing.B) {
	src := []byte("preset: national\n")
	for b.Loop() {
		s, err := Parse("n.yaml", src)
		if err != nil {
			b.Fatal(err)
		}
		Hash(s)
	}
}
