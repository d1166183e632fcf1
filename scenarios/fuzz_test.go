package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
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
