package calibrate

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestDefaultPosteriorLoadsAndDrawsDeterministically(t *testing.T) {
	rec, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.ModelCommit) != 40 || rec.Runs <= 0 || len(rec.Targets) == 0 {
		t.Fatalf("record %+v: want a 40-hex model commit, runs and targets", rec)
	}
	cal, err := Load(filepath.Join("..", rec.CalibrationFile))
	if err != nil {
		t.Fatalf("the default's calibration file: %v", err)
	}
	p, err := DefaultPosterior()
	if err != nil {
		t.Fatal(err)
	}
	if p.ModelCommit != rec.ModelCommit {
		t.Errorf("model commit %q, record says %q", p.ModelCommit, rec.ModelCommit)
	}
	if len(p.Missing) != 0 {
		t.Errorf("parameters %v of the default posterior are not scenario fields; recalibrate (docs/MODEL.md, Calibration)", p.Missing)
	}
	var want []string
	for _, p := range cal.Parameters {
		want = append(want, p.Path)
	}
	if !slices.Equal(p.Names, want) || len(p.Values) != rec.Particles {
		t.Fatalf("names %v, %d particles; want %v and %d", p.Names, len(p.Values), want, rec.Particles)
	}
	q, err := DefaultPosterior()
	if err != nil {
		t.Fatal(err)
	}
	distinct := map[string]bool{}
	for r := range 50 {
		a, b := p.Draw(2026, r), q.Draw(2026, r)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("replication %d: draws %v and %v from two loads", r, a, b)
		}
		distinct[strings.Join(a, ",")] = true
	}
	if len(distinct) < 10 {
		t.Errorf("50 replications drew only %d distinct parameter vectors", len(distinct))
	}
}

func TestLenientLoadDropsParametersTheSchemaLacks(t *testing.T) {
	body := "particle,run,weight,economy.tax_rate,economy.no_such_field,distance\n0,1,1,0.05,3,0.1\n"
	if _, err := LoadPosterior(writeFile(t, "posterior.csv", body)); err == nil || !strings.Contains(err.Error(), `"economy.no_such_field" is not a scenario field`) {
		t.Fatalf("strict load: error %v", err)
	}
	p, err := readPosterior("x.csv", strings.NewReader(body), true)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Missing, []string{"economy.no_such_field"}) || !slices.Equal(p.Names, []string{"economy.tax_rate"}) {
		t.Fatalf("missing %v, names %v", p.Missing, p.Names)
	}
	if d := p.Draw(1, 0); !slices.Equal(d, []string{"economy.tax_rate=0.05"}) {
		t.Errorf("draw %v", d)
	}
}
