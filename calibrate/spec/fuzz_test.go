package spec

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/countysim/countysim/scenarios"
)

// FuzzParseCalibration checks that Parse never panics, that every rejection is a
// *scenarios.LoadError whose problems all name the file, a line and a message, and that an
// accepted calibration has parameters and targets. Seeds: the shipped calibrations.
func FuzzParseCalibration(f *testing.F) {
	files, _ := filepath.Glob("../../scenarios/calibrations/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("name: x\nscenario: baseline\nparameters: [{path: economy.tax_rate, min: 1, max: 0}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.yaml", data)
		if err == nil {
			if c == nil || len(c.Parameters) == 0 || len(c.Targets) == 0 {
				t.Fatalf("accepted a calibration without parameters or targets: %+v", c)
			}
			return
		}
		var le *scenarios.LoadError
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
