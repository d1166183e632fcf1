package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/countysim/countysim/sim"
)

// FuzzParse checks that Parse never panics and that every rejection is a *LoadError whose
// problems all have a line and a message. Seeds: the built-ins and the bad corpus.
func FuzzParse(f *testing.F) {
	for _, name := range Builtins() {
		data, err := builtinFS.ReadFile("builtin/" + name + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	bad, _ := filepath.Glob("testdata/bad/*.yaml")
	for _, file := range bad {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err == nil {
			if s == nil {
				t.Fatal("nil scenario and nil error")
			}
			if err := Validate(s); err != nil {
				t.Fatalf("accepted a scenario that does not validate: %v", err)
			}
			return
		}
		var le *LoadError
		if !errors.As(err, &le) || len(le.Problems) == 0 {
			t.Fatalf("got %T %v, want a *LoadError with problems", err, err)
		}
		for _, p := range le.Problems {
			if p.Line < 1 || p.Msg == "" || p.File != "fuzz.yaml" {
				t.Fatalf("problem without a place or a message: %+v", p)
			}
		}
	})
}

// FuzzParseExperiment checks that ParseExperiment never panics, that every rejection is a
// *LoadError whose problems have a line and a message, and that an accepted experiment has a
// safe name and a plan within MaxRuns. Seeds: the shipped experiments and a few bad ones. The
// plan is built only for small designs, so that each input stays fast.
func FuzzParseExperiment(f *testing.F) {
	for _, name := range BuiltinExperiments() {
		data, err := experimentFS.ReadFile("experiments/" + name + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("name: ../x\nfactors: [{path: seed, min: 1, max: 2}]\ndesign: {type: grid}\nmetrics: [growth]\n"))
	f.Add([]byte("a: &a [1, 1, 1]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"))
	f.Add([]byte("factors: [{path: 'pmc.cohorts[0].step1', levels: [1, 2]}]\ndesign: {type: morris, samples: 3, levels: 4}\nmetrics: [growth]\n"))
	f.Add([]byte("~\n"))
	metrics := metricNames()
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := ParseExperiment("fuzz.yaml", data, metrics)
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) || len(le.Problems) == 0 {
				t.Fatalf("got %T %v, want a *LoadError with problems", err, err)
			}
			for _, p := range le.Problems {
				if p.Line < 1 || p.Msg == "" || p.File != "fuzz.yaml" {
					t.Fatalf("problem without a place or a message: %+v", p)
				}
			}
			return
		}
		if err := CheckName(e.Name); err != nil {
			t.Fatalf("accepted name %q: %v", e.Name, err)
		}
		if n := e.size(); n > MaxRuns || n < 1 {
			t.Fatalf("accepted a design of %d runs", n)
		}
		if e.size() <= 1000 {
			p, err := e.Plan()
			if err != nil {
				t.Fatal(err)
			}
			if p.Runs() != e.size() {
				t.Fatalf("declared %d runs, built %d", e.size(), p.Runs())
			}
		}
	})
}

// FuzzCountiesFile checks that a county CSV never panics the loader, that every problem it
// reports names the file, a line from 1 and a message, and that a file it accepts gives a
// world the model either builds or refuses with an error (never a panic). Seeds: the test
// fixtures.
func FuzzCountiesFile(f *testing.F) {
	files, _ := filepath.Glob("testdata/counties/*.csv")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	base, err := Preset("henan")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		w := base
		w.Provinces = slices.Clone(base.Provinces)
		for i := range w.Provinces {
			w.Provinces[i].CountyList = slices.Clone(base.Provinces[i].CountyList)
		}
		ps, _, _ := applyCountiesFile(&w, "own.csv", data)
		for _, p := range ps {
			if p.File != "own.csv" || p.Line < 1 || p.Msg == "" {
				t.Fatalf("problem without a place or a message: %+v", p)
			}
		}
		if len(ps) > 0 {
			return
		}
		cfg := sim.DefaultConfig()
		cfg.World, cfg.Months = w, 1
		_ = sim.CheckOpening(cfg)
	})
}
