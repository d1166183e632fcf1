package results

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

func TestDIDPanelTakesTreatedAndControls(t *testing.T) {
	p, _ := runTiny(t, pilotConfig(4), 3)
	d := p.DIDPanel(p.Column("growth"), nil)
	if d.Len() != 24*7 {
		t.Fatalf("%d rows, want every county-year (24 x 7)", d.Len())
	}
	for r := range d.Y {
		i := d.Unit[r] // county ids are their indices
		if want := p.FirstTreatedYear(i); d.Cohort[r] != want {
			t.Fatalf("county %d: cohort %d, first treated year %d", i, d.Cohort[r], want)
		}
	}
	// Only the tercile-1 counties.
	sub := p.DIDPanel(p.Column("growth"), func(i int) bool { return p.Counties[i].Tercile == 1 })
	for _, u := range sub.Unit {
		if p.Counties[u].Tercile != 1 {
			t.Fatalf("county %d of tercile %d in the tercile-1 sample", u, p.Counties[u].Tercile)
		}
	}

	// Pilots that stop at step 1 are neither treated nor controls when treatment is step 3.
	cfg := pilotConfig(4)
	for k := range cfg.PMC.Cohorts {
		cfg.PMC.Cohorts[k].Step2, cfg.PMC.Cohorts[k].Step3 = -1, -1
	}
	q, _ := runTiny(t, cfg, 3)
	if q.Treated() != 0 || q.DIDPanel(0, nil).Len() != 12*7 {
		t.Errorf("step-1-only pilots: %d treated, %d rows (want 0 and the 12 controls)", q.Treated(), q.DIDPanel(0, nil).Len())
	}
	if _, _, err := observe.EstimatePanel(q, 0); !errors.Is(err, observe.ErrNoTreatedCounties) {
		t.Errorf("no treated county: err = %v", err)
	}
}

func TestEstimatePanel(t *testing.T) {
	p, _ := runTiny(t, pilotConfig(5), 3)
	q, _ := runTiny(t, observe.PMCOff(pilotConfig(5)), 3)
	truth, err := observe.PairTruth(observe.CFNoReform, p, q)
	if err != nil {
		t.Fatal(err)
	}
	est, notes, err := observe.EstimatePanel(p, 7, truth)
	if err != nil {
		t.Fatal(err)
	}
	again, _, _ := observe.EstimatePanel(p, 7, truth)
	if !reflect.DeepEqual(fmt.Sprint(est), fmt.Sprint(again)) {
		t.Error("estimates differ between two calls")
	}
	seen := map[string]map[string]int{}
	for _, e := range est {
		if e.Replication != 7 {
			t.Fatalf("replication %d", e.Replication)
		}
		if seen[e.Outcome] == nil {
			seen[e.Outcome] = map[string]int{}
		}
		seen[e.Outcome][e.Estimator]++
		switch e.Estimator {
		case observe.EstTWFE, observe.EstSAATT:
			if e.HasRel || !(e.CI90Low <= e.Coef && e.Coef <= e.CI90High) || e.N != 24*7 && e.Estimator == observe.EstTWFE {
				t.Errorf("%s %s: %+v", e.Outcome, e.Estimator, e)
			}
		case observe.EstSAEvent, observe.EstTrueEvent + observe.CFNoReform:
			if !e.HasRel || e.Rel < observe.EventMinRel || e.Rel > observe.EventMaxRel || e.Estimator == observe.EstSAEvent && e.Rel == -1 && (e.Coef != 0 || e.SE != 0) {
				t.Errorf("%s event row %+v", e.Outcome, e)
			}
		case observe.EstPreTrend:
			if !math.IsNaN(e.P) && !(e.P >= 0 && e.P <= 1) || e.Significant() != (e.P < observe.PreTrendAlpha) {
				t.Errorf("%s pre-trend row %+v", e.Outcome, e)
			}
		case observe.EstPreTreated, observe.EstPreControl, observe.EstTrueATT + observe.CFNoReform, observe.EstSpillover + observe.CFNoReform:
			if e.HasRel || e.Significant() {
				t.Errorf("%s %s: %+v", e.Outcome, e.Estimator, e)
			}
		case observe.EstTWFEBias + observe.CFNoReform, observe.EstSAATTBias + observe.CFNoReform:
		default:
			t.Errorf("estimator %q", e.Estimator)
		}
	}
	for _, c := range observe.PanelColumns() {
		if !c.Estimate {
			if seen[c.Name] != nil {
				t.Errorf("%s is not an outcome but was estimated", c.Name)
			}
			continue
		}
		if s := seen[c.Name]; s == nil {
			t.Logf("%s not estimated (notes %v)", c.Name, notes)
		} else if s[observe.EstTWFE] != 1 || s[observe.EstSAATT] != 1 || s[observe.EstSAEvent] < 2 || s[observe.EstPreTrend] != 1 || s[observe.EstTrueATT+observe.CFNoReform] != 1 ||
			s[observe.EstSAATTBias+observe.CFNoReform] != 1 || s[observe.EstTrueEvent+observe.CFNoReform] < 2 || s[observe.EstPreTreated] != 1 {
			t.Errorf("%s: estimator counts %v", c.Name, s)
		}
	}
	if seen["growth"] == nil || seen["transfers_received"] == nil || seen["ln_transfers_received"] == nil {
		t.Fatalf("growth or transfers not estimated: %v", notes)
	}
	// Bias is estimate minus truth; pilots are chosen for strength.
	var att, tru, bias, strT, strC float64
	for _, e := range est {
		switch {
		case e.Outcome == "growth" && e.Estimator == observe.EstSAATT:
			att = e.Coef
		case e.Outcome == "growth" && e.Estimator == observe.EstTrueATT+observe.CFNoReform:
			tru = e.Coef
		case e.Outcome == "growth" && e.Estimator == observe.EstSAATTBias+observe.CFNoReform:
			bias = e.Coef
		case e.Outcome == observe.StrengthOutcome && e.Estimator == observe.EstPreTreated:
			strT = e.Coef
		case e.Outcome == observe.StrengthOutcome && e.Estimator == observe.EstPreControl:
			strC = e.Coef
		}
	}
	if math.Abs(att-tru-bias) > 1e-12 || tru == 0 {
		t.Errorf("growth: estimate %g, truth %g, bias %g", att, tru, bias)
	}
	if !(strT > strC) {
		t.Errorf("pilots chosen by index: treated strength %g, controls %g", strT, strC)
	}
}

func TestSummariseEstimates(t *testing.T) {
	row := func(rep int, est string, rel int, coef, lo, hi float64) observe.EvalEstimate {
		return observe.EvalEstimate{Replication: rep, Outcome: "growth", Estimator: est, Rel: rel, HasRel: est == observe.EstSAEvent,
			Coef: coef, CI90Low: lo, CI90High: hi}
	}
	var est []observe.EvalEstimate
	for r, c := range []float64{1, 2, 3, 4, 5} {
		est = append(est, row(r, observe.EstTWFE, 0, c, c-1.5, c+1.5), row(r, observe.EstSAEvent, 2, -c, -c-0.5, -c+0.5))
	}
	got := observe.SummariseEstimates(est)
	if len(got) != 2 || got[0].Estimator != observe.EstTWFE || got[1].Rel != 2 || !got[1].HasRel {
		t.Fatalf("groups %+v", got)
	}
	tw := got[0]
	// CIs [c-1.5, c+1.5] exclude 0 for c = 2..5; percentiles by Hyndman-Fan type 7.
	if tw.Reps != 5 || tw.Mean != 3 || math.Abs(tw.P5-1.2) > 1e-12 || math.Abs(tw.P95-4.8) > 1e-12 || tw.ShareSignificant != 0.8 {
		t.Errorf("twfe summary %+v", tw)
	}
	if got[1].Mean != -3 || got[1].ShareSignificant != 1 {
		t.Errorf("event summary %+v", got[1])
	}
}

func TestWriteEvaluation(t *testing.T) {
	var ev Evaluation
	ev.TreatmentStep = 3
	ev.Scenario = observe.ScenarioRecord{Name: "tiny"}
	ev.Config = pilotConfig(1)
	ev.Formats = []string{"svg"} // rasterising is slow under the race detector
	seeds := []uint64{1, 2}
	for r, s := range seeds {
		p, _ := runTiny(t, pilotConfig(s), 3)
		est, notes, err := observe.EstimatePanel(p, r)
		if err != nil {
			t.Fatal(err)
		}
		ev.Panels = append(ev.Panels, p)
		ev.Estimates = append(ev.Estimates, est)
		ev.Notes = append(ev.Notes, notes...)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteEvaluation(context.Background(), dir, &ev, EnsembleMeta{Tool: "test", Seeds: seeds}); err != nil {
		t.Fatal(err)
	}
	var man EvaluationManifest
	if err := json.Unmarshal(readTestFile(t, filepath.Join(dir, ManifestFile)), &man); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range man.Files {
		names = append(names, f.Name)
	}
	want := []string{PanelFile, PanelParquetFile, EstimatesFile, EvalSummaryFile, DictionaryFile, EventStudyFile + ".svg"}
	if !reflect.DeepEqual(names, want) || man.Reps != 2 || man.TreatmentStep != 3 || man.EventWindow != [2]int{-4, 8} {
		t.Errorf("manifest files %v, reps %d, step %d, window %v", names, man.Reps, man.TreatmentStep, man.EventWindow)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != len(want)+1 {
		t.Errorf("%d entries in the folder, want %d (no temporary files left)", len(ents), len(want)+1)
	}
	// A cancelled write leaves nothing behind.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	gone := filepath.Join(t.TempDir(), "gone")
	if err := WriteEvaluation(ctx, gone, &ev, EnsembleMeta{Seeds: seeds}); err == nil {
		t.Error("cancelled write succeeded")
	}
	if _, err := os.Stat(gone); !os.IsNotExist(err) {
		t.Error("cancelled write left its folder")
	}
}

func readTestFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDictionaryCoversEveryColumn asks dictionary.csv to explain every column of panel.csv,
// estimates.csv and summary.csv and every estimator evaluate writes.
func TestDictionaryCoversEveryColumn(t *testing.T) {
	has := map[string]bool{}
	for _, e := range evaluationDictionary() {
		if e.meaning == "" {
			t.Errorf("%s %s: no meaning", e.file, e.column)
		}
		has[e.column] = true
	}
	for _, c := range append(append(PanelHeader(true), estimatesHeader...), summaryHeader...) {
		if !has[c] {
			t.Errorf("column %s is not in the dictionary", c)
		}
	}
	p, _ := runTiny(t, pilotConfig(5), 3)
	q, _ := runTiny(t, observe.PMCStepOff(pilotConfig(5), 3), 3)
	truth, err := observe.PairTruth(observe.CFStepOff, p, q)
	if err != nil {
		t.Fatal(err)
	}
	est, _, _ := observe.EstimatePanel(p, 0, truth)
	for _, e := range est {
		name := e.Estimator
		if cut, ok := strings.CutSuffix(name, observe.CFStepOff); ok {
			name = cut + "CF"
			if !has["estimator=CF="+observe.CFStepOff] {
				t.Errorf("counterfactual %s is not in the dictionary", observe.CFStepOff)
			}
		}
		if !has["estimator="+name] {
			t.Errorf("estimator %s is not in the dictionary", e.Estimator)
		}
		if strings.HasPrefix(e.Outcome, observe.LogPrefix) && !has["outcome="+e.Outcome] {
			t.Errorf("outcome %s is not in the dictionary", e.Outcome)
		}
	}
}

func TestCheckEvaluable(t *testing.T) {
	off := pilotConfig(1)
	off.PMC.Enabled = false
	all := pilotConfig(1)
	all.PMC.Cohorts[1].Share = 0.75
	never := pilotConfig(1)
	for k := range never.PMC.Cohorts {
		never.PMC.Cohorts[k].Step3 = -1
	}
	late := pilotConfig(1)
	late.Months = 30 // step 3 comes at months 36 and 42
	for _, c := range []struct {
		name string
		cfg  sim.Config
		want error
	}{
		{"default", pilotConfig(1), nil},
		{"pmc off", off, observe.ErrNoTreatedCounties},
		{"every county a pilot", all, observe.ErrNoControlCounties},
		{"step 3 never", never, observe.ErrNoTreatedCounties},
		{"step 3 after the horizon", late, observe.ErrNoTreatedCounties},
	} {
		if err := observe.CheckConfigEvaluable(c.cfg, 3); !errors.Is(err, c.want) || (err == nil) != (c.want == nil) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if err := observe.CheckConfigEvaluable(never, 1); err != nil {
		t.Errorf("step 1 of step-1-only pilots: %v", err)
	}
	every := synthPanel(6, 6, 5, 2, func(i, y, k int) float64 { return 1 })
	if err := observe.CheckEvaluable(every); !errors.Is(err, observe.ErrNoControlCounties) {
		t.Errorf("panel of pilots only: %v", err)
	}
	none := synthPanel(6, 0, 5, 2, func(i, y, k int) float64 { return 1 })
	if err := observe.CheckEvaluable(none); !errors.Is(err, observe.ErrNoTreatedCounties) {
		t.Errorf("panel without treated counties: %v", err)
	}
}

// synthPanel builds a panel by hand: counties 0..n-1 over years, the first treated counties
// reaching step 1 in year index cohort, and every column's value given by v(i, y, k).
func synthPanel(n, treated, years, cohort int, v func(i, y, k int) float64) *observe.Panel {
	cols := observe.PanelColumns()
	w := len(cols)
	steps := make([]int, n*years)
	values := make([]float64, n*years*w)
	var counties []observe.PanelCounty
	for i := range n {
		counties = append(counties, observe.PanelCounty{ID: i, Name: fmt.Sprint("c", i), Pilot: i < treated, Tercile: 1 + i%3, IQTercile: 1 + i%3})
		for y := range years {
			if i < treated && y >= cohort {
				steps[i*years+y] = 1
			}
			for k := range w {
				values[(i*years+y)*w+k] = v(i, y, k)
			}
		}
	}
	p, err := observe.PanelOf(1, 2000, years, cols, counties, steps, values)
	if err != nil {
		panic(err)
	}
	return p
}
