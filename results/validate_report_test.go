package results

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
	"github.com/countysim/countysim/targets"
)

// tinyValidationInput runs every validation scenario as a variation of the small pilot
// province, two replications each, with its counterfactuals.
func tinyValidationInput(t *testing.T) *targets.Input {
	t.Helper()
	in := &targets.Input{}
	for _, v := range targets.Scenarios() {
		cfg := testkit.Pilot(1)
		switch v.Name {
		case targets.ScnStep1, targets.ScnPlaceboFiscal:
			for k := range cfg.PMC.Cohorts {
				cfg.PMC.Cohorts[k].Step2, cfg.PMC.Cohorts[k].Step3 = -1, -1
			}
			if v.Name == targets.ScnPlaceboFiscal {
				cfg.Prefecture.KeepShare, cfg.Prefecture.DelayMonths, cfg.Prefecture.RevenueTake = 0, 0, 0
			}
		case targets.ScnHenanPath:
			cfg.PMC.Cohorts = []sim.Cohort{{Name: "pilots", Share: 0.3, Step1: 0, Step2: 60, Step3: 60}}
		case targets.ScnRandom:
			cfg.PMC.Selection.Method = "random"
		case targets.ScnWeakEq, targets.ScnStrongEq, targets.ScnDevolution:
			cfg.PMC.Enabled = false
			cfg.Devolution = sim.Devolution{Economic: 1, Social: 1, Personnel: 1, TownUrbanThreshold: 0.5, Start: 24}
			cfg.Province.Equalisation = map[string]float64{targets.ScnWeakEq: 0.1, targets.ScnStrongEq: 0.9, targets.ScnDevolution: cfg.Province.Equalisation}[v.Name]
		case targets.ScnApproval, targets.ScnApprovalOnly:
			cfg.PMC.Enabled = false
			cfg.Approval = sim.Approval{ItemCut: 0.5, StepCut: 0.4, OneStop: 0.8, Start: 24, Patience: 400}
		case targets.ScnBaseline:
			cfg.PMC.Enabled = false
		case targets.ScnStress:
			cfg.PMC.Enabled = false
			cfg.Finance.RevenueShock, cfg.Finance.RevenueShockMonth = 0.5, 36
			cfg.Debt.StopNewDebt = true
		}
		if v.Name == targets.ScnDevolution || v.Name == targets.ScnApprovalOnly {
			cfg.Months = 156 // ten reform years after month 24
		}
		in.Scenarios = append(in.Scenarios, observe.ScenarioRecord{Name: v.Name, Counties: 24})
		in.Configs = append(in.Configs, cfg)
		var ps []*observe.Panel
		var ts [][]*observe.Truth
		var cps [][]*observe.Panel
		for r := range 2 {
			c := cfg
			c.Seed = uint64(10 + r)
			p, _ := runTiny(t, c, v.TreatmentStep)
			ps = append(ps, p)
			var truths []*observe.Truth
			var qs []*observe.Panel
			for _, name := range v.Counterfactuals {
				cf, err := observe.CounterfactualByName(name, v.TreatmentStep)
				if err != nil {
					t.Fatal(err)
				}
				q, _ := runTiny(t, cf.Apply(c), v.TreatmentStep)
				tr, err := observe.PairTruth(name, p, q)
				if err != nil {
					t.Fatal(err)
				}
				truths = append(truths, tr)
				qs = append(qs, q)
			}
			ts = append(ts, truths)
			if v.CounterfactualPanels {
				cps = append(cps, qs)
			}
		}
		in.Panels = append(in.Panels, ps)
		in.Truths = append(in.Truths, ts)
		in.CFPanels = append(in.CFPanels, cps)
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
	if len(res) != 9 {
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
		if r.Met != (r.Strength > targets.NotMet && r.PlaceboVerdict() != "not clean") || (r.PlaceboClean == nil) != (r.Placebo == "") {
			t.Errorf("%s: met %v with strength %v and placebo %q (%s)", r.ID, r.Met, r.Strength, r.PlaceboVerdict(), r.Placebo)
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
	if n := strings.Count(html, `src="data:image/png;base64,`); n != len(res) {
		t.Errorf("report.html embeds %d figures, want %d", n, len(res))
	}
	for _, s := range []string{"replication seeds 10, 11", "90% CI of the mean", "| Placebo |"} {
		if !strings.Contains(md, s) {
			t.Errorf("report.md lacks %q", s)
		}
	}
	recs, err := csv.NewReader(bytes.NewReader(readTestFile(t, filepath.Join(dir, ValidationFile)))).ReadAll()
	if err != nil || len(recs) < 1+9 || strings.Join(recs[0], ",") != "target,verdict,placebo,figure,label,unit,reps,mean,p5,p95,mean_ci90_low,mean_ci90_high" {
		t.Fatalf("validation.csv: %v, %d lines, header %v", err, len(recs), recs[0])
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err != nil {
		t.Error(err)
	}
	// In Chinese, the report's fixed words and verdicts are Chinese; the numbers the same.
	zdir := filepath.Join(t.TempDir(), "val-zh")
	if _, err := WriteValidation(context.Background(), zdir, in, EnsembleMeta{Tool: "test", Seeds: []uint64{10, 11}, Lang: Chinese}); err != nil {
		t.Fatal(err)
	}
	zmd := string(readTestFile(t, filepath.Join(zdir, ReportMarkdownFile)))
	zhtml := string(readTestFile(t, filepath.Join(zdir, ReportHTMLFile)))
	for _, s := range []string{"验证目标T1-T9", "| 目标 |", "## 注意事项", "均值的90%置信区间", "各次重复的种子为10、11", "离散范围来自2次重复模拟", "T4：改革下违规使用资金与隐性债务的事件研究"} {
		if !strings.Contains(zmd, s) {
			t.Errorf("Chinese report.md lacks %q", s)
		}
	}
	for _, s := range []string{"| Target |", "## Caveats", "Verdict:"} {
		if strings.Contains(zmd, s) {
			t.Errorf("Chinese report.md still has %q", s)
		}
	}
	if !strings.Contains(zhtml, `<html lang="zh-CN">`) || !strings.Contains(zhtml, "<h2>注意事项</h2>") {
		t.Errorf("Chinese report.html: %.300s", zhtml)
	}
	// True effects are measured: the programme's true effect on transfers kept from pilots is
	// negative (prefectures no longer keep any).
	d, _ := targets.NewValData(in)
	if x := observe.Summarise(d.TrueATT(targets.ScnDefault, observe.CFNoReform, "transfers_kept", 1)); !(x.Mean < 0) {
		t.Errorf("true effect on transfers kept: %g, want < 0", x.Mean)
	}

	// Input that does not match the targets is refused.
	bad := *in
	bad.Panels = bad.Panels[1:]
	if _, err := targets.Check(&bad); err == nil {
		t.Error("input with a scenario missing was accepted")
	}
	// T5 reads the no-devolution runs' panels of its equalisation settings.
	bad = *in
	bad.CFPanels = nil
	if _, err := targets.Check(&bad); err == nil || !strings.Contains(err.Error(), targets.ScnWeakEq) || !strings.Contains(err.Error(), "counterfactual panels are missing") {
		t.Errorf("input without the counterfactual panels: %v", err)
	}
}

// TestValidationPanelsKeepTheOutputs runs the validation on whole panels and on the
// targets.PanelFor of each: every file written but the manifest (its times) is the same byte
// for byte, so holding only the
// columns the validation reads changes nothing but memory.
func TestValidationPanelsKeepTheOutputs(t *testing.T) {
	full := tinyValidationInput(t)
	small := *full
	small.Panels = make([][]*observe.Panel, len(full.Panels))
	small.CFPanels = make([][][]*observe.Panel, len(full.CFPanels))
	for k, v := range targets.Scenarios() {
		for _, qs := range full.CFPanels[k] {
			var rs []*observe.Panel
			for _, q := range qs {
				r, err := targets.PanelFor(v.Name, q)
				if err != nil {
					t.Fatal(err)
				}
				rs = append(rs, r)
			}
			small.CFPanels[k] = append(small.CFPanels[k], rs)
		}
		for _, p := range full.Panels[k] {
			q, err := targets.PanelFor(v.Name, p)
			if err != nil {
				t.Fatal(err)
			}
			if len(q.Columns) >= len(p.Columns) && v.Name != targets.ScnStep1 {
				t.Errorf("%s: validation panel holds %d columns of %d", v.Name, len(q.Columns), len(p.Columns))
			}
			small.Panels[k] = append(small.Panels[k], q)
		}
	}
	meta := EnsembleMeta{Tool: "test", Seeds: []uint64{10, 11}}
	a, b := filepath.Join(t.TempDir(), "full"), filepath.Join(t.TempDir(), "small")
	if _, err := WriteValidation(context.Background(), a, full, meta); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteValidation(context.Background(), b, &small, meta); err != nil {
		t.Fatal(err)
	}
	files, err := os.ReadDir(a)
	if err != nil || len(files) < 3 {
		t.Fatalf("%d files, %v", len(files), err)
	}
	for _, f := range files {
		if f.Name() == ManifestFile { // its times differ; it lists the other files with their hashes
			continue
		}
		if !bytes.Equal(readTestFile(t, filepath.Join(a, f.Name())), readTestFile(t, filepath.Join(b, f.Name()))) {
			t.Errorf("%s differs between whole and validation panels", f.Name())
		}
	}
	if _, err := targets.PanelFor("no-such-scenario", full.Panels[0][0]); err == nil {
		t.Error("a scenario the validation does not run: no error")
	}
}
