package calibrate

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/countysim/countysim/results"
	"github.com/countysim/countysim/scenarios"
)

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPosteriorDrawsByWeightAndSameForEveryOption(t *testing.T) {
	path := writeFile(t, "posterior.csv", "particle,run,weight,economy.tax_rate,province.equalisation,distance\n"+
		"0,5,0.1,0.04,0.2,1\n1,9,0.0,0.05,0.3,1\n2,11,0.3,0.06,0.9,1\n")
	p, err := LoadPosterior(path)
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]int, 3)
	for r := range 4000 {
		counts[p.Index(7, r)]++
	}
	if counts[1] != 0 {
		t.Errorf("a particle of weight 0 was drawn %d times", counts[1])
	}
	if f := float64(counts[2]) / 4000; math.Abs(f-0.75) > 0.03 {
		t.Errorf("particle of weight 0.75 drawn %.3f of the time", f)
	}
	if !reflect.DeepEqual(p.Draw(7, 3), p.Draw(7, 3)) {
		t.Error("the same (seed, replication) gave different draws")
	}
	d := p.Draw(7, 0)
	if len(d) != 2 || !strings.HasPrefix(d[0], "economy.tax_rate=") {
		t.Errorf("draw %v", d)
	}
	s, err := scenarios.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := p.Config(s, 7, 0)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Economy.TaxRate == s.Config.Economy.TaxRate {
		t.Error("Config changed nothing or changed the scenario")
	}
	if err := p.Apply(s, 7, 0); err != nil {
		t.Fatal(err)
	}
	want := p.Values[p.Index(7, 0)]
	if s.Config.Economy.TaxRate != want[0] || s.Config.Province.Equalisation != want[1] || !reflect.DeepEqual(s.Config, cfg) {
		t.Errorf("applied %v, %v; want %v", s.Config.Economy.TaxRate, s.Config.Province.Equalisation, want)
	}
}

func TestBadPosteriors(t *testing.T) {
	cases := []struct{ body, want string }{
		{"a,b\n1,2\n", "p.csv:1: not a posterior table"},
		{"particle,run,weight,economy.tax_rat,distance\n0,0,1,0.05,1\n", `p.csv:1: column "economy.tax_rat" is not a scenario field`},
		{"particle,run,weight,economy.tax_rate,distance\n0,0,x,0.05,1\n", `p.csv:2: weight: bad value "x"`},
		{"particle,run,weight,economy.tax_rate,distance\n0,0,1,0.05,1\n0,0,1,NaN,1\n", `p.csv:3: economy.tax_rate: bad value "NaN"`},
		{"particle,run,weight,economy.tax_rate,distance\n", "no particles"},
		{"particle,run,weight,economy.tax_rate,distance\n0,0,1,0.05,1\n1,1,1,5,1\n", "p.csv:3: economy.tax_rate: bad value 5 (allowed: a number from 0.005 to 0.3)"},
		{"", "p.csv: the file is empty"},
		{"particle,run,weight,economy.tax_rate,distance\n0,0,1,0.05,1\n1,1,1,0.05\n", "p.csv:3: 4 fields, but the header has 5 (allowed: one value per column: particle, run, weight, economy.tax_rate, distance)"},
		{"particle,run,weight,economy.tax_rate,distance\n0,0,1,0.05,1,7\n", "p.csv:2: 6 fields, but the header has 5"},
	}
	for _, tc := range cases {
		_, err := LoadPosterior(writeFile(t, "p.csv", tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.body, err, tc.want)
		}
	}
}

// TestPosteriorKeepsWhatAScenarioSets: a parameter a scenario sets itself (the fiscal placebo's
// keep_share of 0, a --set tax rate) keeps the scenario's value; the others are drawn.
func TestPosteriorKeepsWhatAScenarioSets(t *testing.T) {
	path := writeFile(t, "posterior.csv", "particle,run,weight,economy.tax_rate,prefecture.keep_share,distance\n"+
		"0,5,0.5,0.04,0.2,1\n1,9,0.5,0.05,0.3,1\n")
	p, err := LoadPosterior(path)
	if err != nil {
		t.Fatal(err)
	}
	placebo, err := scenarios.Builtin("eval-placebo-fiscal")
	if err != nil {
		t.Fatal(err)
	}
	if placebo.Config.Prefecture.KeepShare != 0 {
		t.Fatalf("the placebo's keep_share is %g, the test needs 0", placebo.Config.Prefecture.KeepShare)
	}
	if err := scenarios.Set(placebo, "economy.tax_rate=0.2"); err != nil {
		t.Fatal(err)
	}
	held, err := p.Held(placebo)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(held, []string{"economy.tax_rate", "prefecture.keep_share"}) {
		t.Errorf("held %v", held)
	}
	for r := range 4 {
		cfg, err := p.Config(placebo, 7, r)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Prefecture.KeepShare != 0 || cfg.Economy.TaxRate != 0.2 {
			t.Errorf("replication %d: keep_share %g, tax_rate %g: the draws overrode the scenario's own values", r, cfg.Prefecture.KeepShare, cfg.Economy.TaxRate)
		}
	}
	base, err := scenarios.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	if held, err := p.Held(base); err != nil || len(held) != 0 {
		t.Errorf("baseline holds %v (%v): it sets none of them", held, err)
	}
	// A --set holds its parameter even at the default value.
	p.Given = []string{"economy.tax_rate"}
	if held, err := p.Held(base); err != nil || !reflect.DeepEqual(held, []string{"economy.tax_rate"}) {
		t.Errorf("with --set economy.tax_rate, baseline holds %v (%v)", held, err)
	}
	p.Given = nil
	cfg, err := p.Config(base, 7, 0)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Prefecture.KeepShare != 0.2 && cfg.Prefecture.KeepShare != 0.3 {
		t.Errorf("baseline's keep_share %g is not a draw", cfg.Prefecture.KeepShare)
	}
}

// TestDefaultSourceNamedAlike: results names the default posterior as calibrate does (its
// report's caveat on where the default was calibrated depends on it).
func TestDefaultSourceNamedAlike(t *testing.T) {
	if DefaultSource != results.DefaultPosteriorSource {
		t.Errorf("calibrate.DefaultSource %q, results.DefaultPosteriorSource %q", DefaultSource, results.DefaultPosteriorSource)
	}
}
