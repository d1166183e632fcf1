package results

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/countysim/countysim/sim"
	"gonum.org/v1/plot/vg/draw"
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
	if _, _, err := EstimatePanel(q, 0); !errors.Is(err, ErrNoTreatedCounties) {
		t.Errorf("no treated county: err = %v", err)
	}
}

func TestEstimatePanel(t *testing.T) {
	p, _ := runTiny(t, pilotConfig(5), 3)
	q, _ := runTiny(t, PMCOff(pilotConfig(5)), 3)
	truth, err := PairTruth(CFNoReform, p, q)
	if err != nil {
		t.Fatal(err)
	}
	est, notes, err := EstimatePanel(p, 7, truth)
	if err != nil {
		t.Fatal(err)
	}
	again, _, _ := EstimatePanel(p, 7, truth)
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
		case EstTWFE, EstSAATT:
			if e.HasRel || !(e.CI90Low <= e.Coef && e.Coef <= e.CI90High) || e.N != 24*7 && e.Estimator == EstTWFE {
				t.Errorf("%s %s: %+v", e.Outcome, e.Estimator, e)
			}
		case EstSAEvent, EstTrueEvent + CFNoReform:
			if !e.HasRel || e.Rel < EventMinRel || e.Rel > EventMaxRel || e.Estimator == EstSAEvent && e.Rel == -1 && (e.Coef != 0 || e.SE != 0) {
				t.Errorf("%s event row %+v", e.Outcome, e)
			}
		case EstPreTrend:
			if !math.IsNaN(e.P) && !(e.P >= 0 && e.P <= 1) || e.Significant() != (e.P < PreTrendAlpha) {
				t.Errorf("%s pre-trend row %+v", e.Outcome, e)
			}
		case EstPreTreated, EstPreControl, EstTrueATT + CFNoReform, EstSpillover + CFNoReform:
			if e.HasRel || e.Significant() {
				t.Errorf("%s %s: %+v", e.Outcome, e.Estimator, e)
			}
		case EstTWFEBias + CFNoReform, EstSAATTBias + CFNoReform:
		default:
			t.Errorf("estimator %q", e.Estimator)
		}
	}
	for _, c := range PanelColumns() {
		if !c.Estimate {
			if seen[c.Name] != nil {
				t.Errorf("%s is not an outcome but was estimated", c.Name)
			}
			continue
		}
		if s := seen[c.Name]; s == nil {
			t.Logf("%s not estimated (notes %v)", c.Name, notes)
		} else if s[EstTWFE] != 1 || s[EstSAATT] != 1 || s[EstSAEvent] < 2 || s[EstPreTrend] != 1 || s[EstTrueATT+CFNoReform] != 1 ||
			s[EstSAATTBias+CFNoReform] != 1 || s[EstTrueEvent+CFNoReform] < 2 || s[EstPreTreated] != 1 {
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
		case e.Outcome == "growth" && e.Estimator == EstSAATT:
			att = e.Coef
		case e.Outcome == "growth" && e.Estimator == EstTrueATT+CFNoReform:
			tru = e.Coef
		case e.Outcome == "growth" && e.Estimator == EstSAATTBias+CFNoReform:
			bias = e.Coef
		case e.Outcome == StrengthOutcome && e.Estimator == EstPreTreated:
			strT = e.Coef
		case e.Outcome == StrengthOutcome && e.Estimator == EstPreControl:
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
	row := func(rep int, est string, rel int, coef, lo, hi float64) EvalEstimate {
		return EvalEstimate{Replication: rep, Outcome: "growth", Estimator: est, Rel: rel, HasRel: est == EstSAEvent,
			Coef: coef, CI90Low: lo, CI90High: hi}
	}
	var est []EvalEstimate
	for r, c := range []float64{1, 2, 3, 4, 5} {
		est = append(est, row(r, EstTWFE, 0, c, c-1.5, c+1.5), row(r, EstSAEvent, 2, -c, -c-0.5, -c+0.5))
	}
	got := SummariseEstimates(est)
	if len(got) != 2 || got[0].Estimator != EstTWFE || got[1].Rel != 2 || !got[1].HasRel {
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
	ev.Scenario = ScenarioRecord{Name: "tiny"}
	ev.Config = pilotConfig(1)
	ev.Formats = []string{"svg"} // rasterising is slow under the race detector
	seeds := []uint64{1, 2}
	for r, s := range seeds {
		p, _ := runTiny(t, pilotConfig(s), 3)
		est, notes, err := EstimatePanel(p, r)
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

func TestSlopeOverPost(t *testing.T) {
	rels := []int{-2, -1, 0, 1, 2, 3}
	if s := slopeOverPost(rels, []float64{9, 0, 1, 3, 5, 7}); math.Abs(s-2) > 1e-12 {
		t.Errorf("slope %g, want 2 (pre-period ignored)", s)
	}
	if s := slopeOverPost([]int{-1, 0}, []float64{0, 1}); !math.IsNaN(s) {
		t.Errorf("one post point: slope %g, want NaN", s)
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
	q, _ := runTiny(t, PMCStepOff(pilotConfig(5), 3), 3)
	truth, err := PairTruth(CFStepOff, p, q)
	if err != nil {
		t.Fatal(err)
	}
	est, _, _ := EstimatePanel(p, 0, truth)
	for _, e := range est {
		name := e.Estimator
		if cut, ok := strings.CutSuffix(name, CFStepOff); ok {
			name = cut + "CF"
			if !has["estimator=CF="+CFStepOff] {
				t.Errorf("counterfactual %s is not in the dictionary", CFStepOff)
			}
		}
		if !has["estimator="+name] {
			t.Errorf("estimator %s is not in the dictionary", e.Estimator)
		}
		if strings.HasPrefix(e.Outcome, logPrefix) && !has["outcome="+e.Outcome] {
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
		{"pmc off", off, ErrNoTreatedCounties},
		{"every county a pilot", all, ErrNoControlCounties},
		{"step 3 never", never, ErrNoTreatedCounties},
		{"step 3 after the horizon", late, ErrNoTreatedCounties},
	} {
		if err := CheckConfigEvaluable(c.cfg, 3); !errors.Is(err, c.want) || (err == nil) != (c.want == nil) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if err := CheckConfigEvaluable(never, 1); err != nil {
		t.Errorf("step 1 of step-1-only pilots: %v", err)
	}
	every := synthPanel(6, 6, 5, 2, func(i, y, k int) float64 { return 1 })
	if err := CheckEvaluable(every); !errors.Is(err, ErrNoControlCounties) {
		t.Errorf("panel of pilots only: %v", err)
	}
	none := synthPanel(6, 0, 5, 2, func(i, y, k int) float64 { return 1 })
	if err := CheckEvaluable(none); !errors.Is(err, ErrNoTreatedCounties) {
		t.Errorf("panel without treated counties: %v", err)
	}
}

// TestEventFiguresFlagFailedPreTrends: an outcome whose pre-trend test rejects in more than
// twice the nominal share of runs is named under the event-study figure and marked in its
// chart's title, in both languages; one that rejects less often is not.
func TestEventFiguresFlagFailedPreTrends(t *testing.T) {
	var est []EvalEstimate
	for r := range 10 {
		for _, o := range EventFigureOutcomes {
			for rel := EventMinRel; rel <= EventMaxRel; rel++ {
				est = append(est, EvalEstimate{Replication: r, Outcome: o, Estimator: EstSAEvent, Rel: rel, HasRel: true, Coef: 0.01 * float64(rel), CI90Low: -1, CI90High: 1})
			}
			p := 0.5
			if o == "hidden_debt" && r < 3 || o == "growth" && r < 2 { // 30% and 20% of runs reject
				p = 0.01
			}
			est = append(est, EvalEstimate{Replication: r, Outcome: o, Estimator: EstPreTrend, Coef: 3, N: 4, P: p})
		}
	}
	failed := PreTrendFailures(SummariseEstimates(est))
	if len(failed) != 1 || failed[0].Outcome != "hidden_debt" || failed[0].Share != 0.3 {
		t.Fatalf("failures %+v, want hidden_debt at 30%% only (growth rejects in 20%%, not more)", failed)
	}
	for _, c := range []struct {
		l          Lang
		note, flag string
	}{
		{English, "PRE-TREND: the joint pre-trend test rejects at 10% in more than 20% of runs for hidden_debt (30%)", "hidden_debt (pre-trend test fails)"},
		{Chinese, "预趋势警告：隐性债务（30%）的联合预趋势检验", "隐性债务（预趋势检验未通过）"},
	} {
		note := PreTrendNote(c.l, failed)
		if !strings.HasPrefix(note, c.note) {
			t.Errorf("%s note: %q", c.l, note)
		}
		f := eventFigure(EventStudyFile, "t", EventFigureOutcomes, 3)
		f.note = note
		var buf bytes.Buffer
		if err := renderIn(c.l, &buf, f, "svg", func(cv draw.Canvas) {
			drawEventFigure(c.l, cv, f, EventFigureOutcomes, est, 10, nil, failed)
		}); err != nil {
			t.Fatal(err)
		}
		svg := buf.String()
		if strings.Count(svg, c.flag) != 1 || !strings.Contains(svg, html.EscapeString(note)) {
			t.Errorf("%s: the figure does not flag hidden_debt once (%d) or lacks the note", c.l, strings.Count(svg, c.flag))
		}
	}
	if PreTrendNote(English, nil) != "" {
		t.Error("a note without failures")
	}
}
