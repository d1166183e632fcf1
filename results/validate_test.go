package results

import (
	"bytes"
	"context"
	"encoding/csv"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/countysim/countysim/sim"
)

// sp is a hand-made summary: mean, 5th and 95th percentiles over 10 runs.
func sp(mean, p5, p95 float64) Summary { return Summary{N: 10, Mean: mean, P5: p5, P95: p95} }

// with returns a copy of f with the given figures replaced.
func with(f figs, kv ...any) figs {
	g := maps.Clone(f)
	for i := 0; i < len(kv); i += 2 {
		g[kv[i].(string)] = kv[i+1].(Summary)
	}
	return g
}

// TestValidationRules holds every rule of the targets table to hand-made figures: one set that
// meets it and, for each clause, a change that breaks it.
func TestValidationRules(t *testing.T) {
	t1 := figs{}
	for k, s := range t1Settings {
		t1["att:"+s] = sp(-0.3+0.1*float64(k), -1, 1) // means from -0.3 to +0.3
	}
	t2 := figs{"att:step1": sp(0.1, -0.2, 0.4), "att:full": sp(0.8, 0.2, 1.4), "slope": sp(0.05, 0.01, 0.1), "pre_significant": sp(0.1, 0, 0.33)}
	t3 := figs{"att:transfers": sp(100, 50, 150), "att:own": sp(20, 5, 40), "kept": sp(0, 0, 0)}
	t4 := figs{"att:misuse": sp(5, 2, 8), "rel:misuse:broad": sp(30, 20, 40), "rel:misuse:narrow": sp(10, 5, 15),
		"att:hidden": sp(-1, -2, 0), "rel:hidden:broad": sp(-1, -2, 0), "rel:hidden:narrow": sp(1, 0, 2)}
	t5 := figs{"att:iq:1": sp(-0.2, -0.5, 0.1), "att:iq:3": sp(0.3, 0, 0.6), "att:strength:1": sp(-0.1, -0.4, 0.2),
		"att:strength:3": sp(0.2, -0.1, 0.5), "dtheil:weak": sp(0.02, 0.01, 0.03), "dtheil:strong": sp(-0.01, -0.02, 0)}
	t6 := figs{"approval:cut": sp(55, 50, 60)}
	t7 := figs{"covered:on": sp(0, 0, 0), "covered:default": sp(0, 0, 0), "covered:off": sp(120, 40, 200),
		"arrears:1": sp(8, 2, 14), "arrears:2": sp(3, 0, 6), "arrears:3": sp(1, 0, 2)}

	cases := []struct {
		name string
		met  func(figs) bool
		f    figs
		want bool
	}{
		{"T1 met", metT1, t1, true},
		{"T1 default too large", metT1, with(t1, "att:"+scnDefault, sp(-0.7, -1, -0.4)), false},
		{"T1 one sign only", metT1, with(t1, "att:"+scnHighIQ, sp(-0.01, -1, 1), "att:"+scnStrongPref, sp(-0.1, -1, 1), "att:"+scnWeakPref, sp(-0.05, -1, 1), "att:"+scnLowIQ, sp(-0.2, -1, 1)), false},
		{"T1 a setting beyond 2 pp", metT1, with(t1, "att:"+scnBroad, sp(1.5, 0.5, 2.5)), false},
		{"T1 a setting not measured", metT1, with(t1, "att:"+scnNarrow, Summarise(nil)), false},
		{"T2 met", metT2, t2, true},
		{"T2 step 1 effect too large", metT2, with(t2, "att:step1", sp(-0.4, -0.6, -0.2)), false},
		{"T2 full PMC not larger", metT2, with(t2, "att:full", sp(0.05, -0.2, 0.3)), false},
		{"T2 effects fade", metT2, with(t2, "slope", sp(-0.02, -0.05, 0.01)), false},
		{"T2 pre-trend", metT2, with(t2, "pre_significant", sp(0.5, 0.33, 0.67)), false},
		{"T3 met", metT3, t3, true},
		{"T3 transfers fall", metT3, with(t3, "att:transfers", sp(-5, -10, 0)), false},
		{"T3 own revenue falls", metT3, with(t3, "att:own", sp(-1, -3, 1)), false},
		{"T3 prefectures still keep some", metT3, with(t3, "kept", sp(0.5, 0, 2)), false},
		{"T4 met by misuse", metT4, t4, true},
		{"T4 met by hidden debt alone", metT4, with(t4, "att:misuse", sp(-1, -2, 0), "att:hidden", sp(3, 1, 5), "rel:hidden:broad", sp(9, 5, 12), "rel:hidden:narrow", sp(4, 2, 6)), true},
		{"T4 misuse falls", metT4, with(t4, "att:misuse", sp(-1, -2, 0)), false},
		{"T4 narrow span rises more", metT4, with(t4, "rel:misuse:broad", sp(5, 2, 8)), false},
		{"T5 met", metT5, t5, true},
		{"T5 institutions do not help", metT5, with(t5, "att:iq:3", sp(-0.3, -0.6, 0)), false},
		{"T5 strength does not help", metT5, with(t5, "att:strength:3", sp(-0.1, -0.4, 0.2)), false},
		{"T5 inequality flat under weak equalisation", metT5, with(t5, "dtheil:weak", sp(-0.001, -0.01, 0.01)), false},
		{"T5 inequality rises under strong equalisation", metT5, with(t5, "dtheil:strong", sp(0.01, 0.005, 0.02)), false},
		{"T5 strong equalisation no better than weak", metT5, with(t5, "dtheil:strong", sp(0.03, -0.01, 0.05)), false},
		{"T6 met", metT6, t6, true},
		{"T6 cut too small", metT6, with(t6, "approval:cut", sp(30, 25, 35)), false},
		{"T6 cut too large", metT6, with(t6, "approval:cut", sp(70, 65, 75)), false},
		{"T7 met", metT7, t7, true},
		{"T7 arrears while covered with the rule", metT7, with(t7, "covered:on", sp(0.1, 0, 1)), false},
		{"T7 arrears while covered in the default", metT7, with(t7, "covered:default", sp(0.2, 0, 2)), false},
		{"T7 no such arrears without the rule", metT7, with(t7, "covered:off", sp(0, 0, 0)), false},
		{"T7 strongest in arrears first", metT7, with(t7, "arrears:3", sp(9, 3, 15)), false},
	}
	for _, c := range cases {
		if got := c.met(c.f); got != c.want {
			t.Errorf("%s: met = %v, want %v", c.name, got, c.want)
		}
	}
}

// tinyValidationInput runs every validation scenario as a variation of the small pilot
// province, two replications each.
func tinyValidationInput(t *testing.T) *ValidationInput {
	t.Helper()
	in := &ValidationInput{}
	for _, v := range ValidationScenarios() {
		cfg := pilotConfig(1)
		switch v.Name {
		case scnStep1:
			for k := range cfg.PMC.Cohorts {
				cfg.PMC.Cohorts[k].Step2, cfg.PMC.Cohorts[k].Step3 = -1, -1
			}
		case scnRandom:
			cfg.PMC.Selection.Method = "random"
		case scnWeakEq, scnStrongEq:
			cfg.PMC.Enabled = false
			cfg.Devolution = sim.Devolution{Economic: 1, Social: 1, Personnel: 1, TownUrbanThreshold: 0.5, Start: 24}
			cfg.Province.Equalisation = map[string]float64{scnWeakEq: 0.1, scnStrongEq: 0.9}[v.Name]
		case scnApproval:
			cfg.PMC.Enabled = false
			cfg.Approval = sim.Approval{ItemCut: 0.5, StepCut: 0.4, OneStop: 0.8, Start: 24, Patience: 400}
		case scnBaseline:
			cfg.PMC.Enabled = false
		case scnStress, scnStressOff:
			cfg.PMC.Enabled = false
			cfg.Finance.RevenueShock, cfg.Finance.RevenueShockMonth = 0.5, 36
			cfg.Finance.PriorityRule = v.Name == scnStress
			cfg.Debt.StopNewDebt = true
		}
		in.Scenarios = append(in.Scenarios, ScenarioRecord{Name: v.Name, Counties: 24})
		in.Configs = append(in.Configs, cfg)
		var ps []*Panel
		for r := range 2 {
			c := cfg
			c.Seed = uint64(10 + r)
			p, _ := runTiny(t, c, v.TreatmentStep)
			ps = append(ps, p)
		}
		in.Panels = append(in.Panels, ps)
	}
	return in
}

func TestWriteValidation(t *testing.T) {
	in := tinyValidationInput(t)
	dir := filepath.Join(t.TempDir(), "val")
	res, err := WriteValidation(context.Background(), dir, in, EnsembleMeta{Tool: "test", Seeds: []uint64{10, 11}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 7 {
		t.Fatalf("%d targets", len(res))
	}
	md := string(readTestFile(t, filepath.Join(dir, ReportMarkdownFile)))
	html := string(readTestFile(t, filepath.Join(dir, ReportHTMLFile)))
	for k, r := range res {
		if want := "T" + string(rune('1'+k)); r.ID != want {
			t.Errorf("target %d is %s", k, r.ID)
		}
		if len(r.Figures) == 0 || r.Headline == "" || r.Problem != "" {
			t.Errorf("%s: %d figures, headline %q, problem %q", r.ID, len(r.Figures), r.Headline, r.Problem)
		}
		for _, s := range []string{"## " + r.ID + ":", "validation-" + r.ID + ".png"} {
			if !strings.Contains(md, s) {
				t.Errorf("report.md lacks %q", s)
			}
		}
		if !strings.Contains(html, "<h2>"+r.ID+":") {
			t.Errorf("report.html lacks the section of %s", r.ID)
		}
	}
	if n := strings.Count(html, `src="data:image/png;base64,`); n != 7 {
		t.Errorf("report.html embeds %d figures, want 7", n)
	}
	recs, err := csv.NewReader(bytes.NewReader(readTestFile(t, filepath.Join(dir, ValidationFile)))).ReadAll()
	if err != nil || len(recs) < 1+7 || strings.Join(recs[0], ",") != "target,verdict,figure,label,unit,reps,mean,p5,p95" {
		t.Fatalf("validation.csv: %v, %d lines, header %v", err, len(recs), recs[0])
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err != nil {
		t.Error(err)
	}
	// The T7 count of the priority rule is measured, not assumed: the stress run without the
	// rule has arrears while receipts cover wages.
	for _, f := range res[6].Figures {
		if f.Key == "covered:on" && f.Mean != 0 {
			t.Errorf("priority rule on: %g county-months with arrears while covered", f.Mean)
		}
	}

	// Input that does not match the targets is refused.
	bad := *in
	bad.Panels = bad.Panels[1:]
	if _, err := Validate(&bad); err == nil {
		t.Error("input with a scenario missing was accepted")
	}
}
