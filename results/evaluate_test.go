package results

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/observe"
	"gonum.org/v1/plot/vg/draw"
)

func TestWriteEvaluation(t *testing.T) {
	var ev Evaluation
	ev.TreatmentStep = 3
	ev.Scenario = observe.ScenarioRecord{Name: "tiny"}
	ev.Config = testkit.Pilot(1)
	ev.Formats = []string{"svg"} // rasterising is slow under the race detector
	seeds := []uint64{1, 2}
	for r, s := range seeds {
		p, _ := runTiny(t, testkit.Pilot(s), 3)
		est, skipped, err := observe.EstimatePanel(p, r, observe.Bootstrap{Draws: 19, Seed: s})
		if err != nil {
			t.Fatal(err)
		}
		ev.Panels = append(ev.Panels, p)
		ev.Estimates = append(ev.Estimates, est)
		for _, k := range observe.SummariseSkips(skipped, 1) {
			ev.Notes = append(ev.Notes, k.Note())
		}
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
	p, _ := runTiny(t, testkit.Pilot(5), 3)
	q, _ := runTiny(t, observe.PMCStepOff(testkit.Pilot(5), 3), 3)
	truth, err := observe.PairTruth(observe.CFStepOff, p, q)
	if err != nil {
		t.Fatal(err)
	}
	est, _, _ := observe.EstimatePanel(p, 0, observe.Bootstrap{Draws: 19, Seed: 1}, truth)
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

// TestEventFiguresFlagFailedPreTrends: an outcome whose pre-trend test rejects in more than
// twice the nominal share of runs is named under the event-study figure and marked in its
// chart's title, in both languages; one that rejects less often is not.
func TestEventFiguresFlagFailedPreTrends(t *testing.T) {
	var est []observe.EvalEstimate
	for r := range 10 {
		for _, o := range EventFigureOutcomes {
			for rel := observe.EventMinRel; rel <= observe.EventMaxRel; rel++ {
				est = append(est, observe.EvalEstimate{Replication: r, Outcome: o, Estimator: observe.EstSAEvent, Rel: rel, HasRel: true, Coef: 0.01 * float64(rel), CI90Low: -1, CI90High: 1})
			}
			p := 0.5
			if o == "hidden_debt" && r < 3 || o == "growth" && r < 2 { // 30% and 20% of runs reject
				p = 0.01
			}
			est = append(est, observe.EvalEstimate{Replication: r, Outcome: o, Estimator: observe.EstPreTrend, Coef: 3, N: 4, P: p})
		}
	}
	failed := PreTrendFailures(observe.SummariseEstimates(est))
	if len(failed) != 1 || failed[0].Outcome != "hidden_debt" || failed[0].Share != 0.3 {
		t.Fatalf("failures %+v, want hidden_debt at 30%% only (growth rejects in 20%%, not more)", failed)
	}
	for _, c := range []struct {
		l          Lang
		note, flag string
	}{
		{English, "PRE-TREND: the joint pre-trend test rejects at 10% in more than 20% of runs for hidden_debt (30%)", "hidden_debt (pre-trend test fails)"},
		{Chinese, "平行趋势警告：隐性债务（30%）的联合平行趋势检验", "隐性债务（平行趋势检验未通过）"},
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

// TestPreTrendWarningReadsTheBootstrap: where the pre-trend test has its wild cluster
// bootstrap (pretrend_wcr), the warning flags the outcomes by the bootstrap's share of
// rejections and gives the clustered Wald test's beside it, and says so; an outcome without the
// bootstrap is flagged by the clustered test, named as such; the figure flags the same charts.
func TestPreTrendWarningReadsTheBootstrap(t *testing.T) {
	var est []observe.EvalEstimate
	for r := range 10 {
		for _, c := range []struct {
			o         string
			wald, wcr int // replications (of 10) in which each rejects; wcr < 0: no bootstrap
		}{{"growth", 5, 1}, {"hidden_debt", 2, 3}, {"gdp_per_capita", 4, -1}, {"own_revenue", 1, 1}} {
			p := func(n int) float64 {
				if r < n {
					return 0.01
				}
				return 0.5
			}
			est = append(est, observe.EvalEstimate{Replication: r, Outcome: c.o, Estimator: observe.EstPreTrend, Coef: 3, N: 3, P: p(c.wald)})
			if c.wcr >= 0 {
				est = append(est, observe.EvalEstimate{Replication: r, Outcome: c.o, Estimator: observe.EstPreTrendWCR, Coef: 3, N: 999, P: p(c.wcr)})
			}
		}
	}
	failed := PreTrendFailures(observe.SummariseEstimates(est))
	want := []PreTrendFailure{{Outcome: "hidden_debt", Share: 0.3, Boot: true, Clustered: 0.2, Runs: 10, Of: 10}, {Outcome: "gdp_per_capita", Share: 0.4, Runs: 10, Of: 10}}
	if !reflect.DeepEqual(failed, want) {
		t.Fatalf("failures %+v, want %+v (growth: the bootstrap rejects in 10%%, the clustered test in 50%%)", failed, want)
	}
	for _, c := range []struct {
		l    Lang
		note string
	}{
		{English, "PRE-TREND: the wild cluster bootstrap of the joint pre-trend test (pretrend_wcr) rejects at 10% in more than 20% of runs for hidden_debt (30%; clustered 20%), gdp_per_capita (clustered 40%) (the second share: the clustered Wald test's)"},
		{Chinese, "平行趋势警告：隐性债务（30%；聚类稳健检验20%）、人均地区生产总值（聚类稳健检验40%）的联合平行趋势检验按野聚类自助法（pretrend_wcr）"},
	} {
		if note := PreTrendNote(c.l, failed); !strings.HasPrefix(note, c.note) {
			t.Errorf("%s note: %q", c.l, note)
		}
	}
	for _, o := range EventFigureOutcomes {
		if preTrendFails(failed, o) != (o == "hidden_debt" || o == "gdp_per_capita") {
			t.Errorf("%s flagged: %v", o, preTrendFails(failed, o))
		}
	}
}

// TestSummaryMarksSubsets: a summary row computed in fewer replications than the evaluation
// ran says so in its note (its mean is over a selected subset); one computed in all has no
// note. estimates.csv writes the bootstrap's p-value as it writes the pre-trend test's.
func TestSummaryMarksSubsets(t *testing.T) {
	var b strings.Builder
	rows := []observe.EvalSummary{
		{Outcome: "growth", Estimator: observe.EstTWFE, Reps: 5, Of: 5, Mean: 0.01},
		{Outcome: "ln_misused_funds", Estimator: observe.EstTWFE, Reps: 2, Of: 5, Mean: 0.2},
		{Outcome: "ln_hidden_debt", Estimator: observe.EstPreTrend, Reps: 0, Of: 5, Mean: math.NaN()},
	}
	if err := WriteEvalSummaryCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	note := slices.Index(recs[0], "note")
	if note < 0 || len(recs) != 4 {
		t.Fatalf("header %v, %d records", recs[0], len(recs))
	}
	if recs[1][note] != "" || !strings.HasPrefix(recs[2][note], "over 2 of 5 replications only: a subset selected") ||
		recs[3][note] != "computed in none of the 5 replications" {
		t.Errorf("notes %q, %q, %q", recs[1][note], recs[2][note], recs[3][note])
	}
	b.Reset()
	est := []observe.EvalEstimate{
		{Outcome: "growth", Estimator: observe.EstTWFE, Coef: 0.01, SE: 0.002, CI90Low: 0.006, CI90High: 0.014, N: 40, P: math.NaN()},
		{Outcome: "growth", Estimator: observe.EstTWFEWCR, Coef: 0.01, SE: math.NaN(), CI90Low: 0.004, CI90High: math.Inf(1), N: 999, P: 0.032},
	}
	if err := WriteEstimatesCSV(&b, est); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if lines[1] != "0,growth,twfe,,0.01,0.002,0.006,0.014,40," || lines[2] != "0,growth,twfe_wcr,,0.01,,0.004,Inf,999,0.032" {
		t.Errorf("estimates.csv rows:\n%s", strings.Join(lines[1:], "\n"))
	}
}

// TestPreTrendShareOfFewerRuns: an outcome whose test was computed in fewer runs than the
// others (a log outcome with a zero in some) has its share said with the number of runs it is
// over (a new user read "100%" of one run as of every run).
func TestPreTrendShareOfFewerRuns(t *testing.T) {
	var est []observe.EvalEstimate
	for r := range 4 {
		est = append(est, observe.EvalEstimate{Replication: r, Outcome: "growth", Estimator: observe.EstPreTrend, Coef: 3, N: 3, P: 0.01})
		if r < 2 {
			est = append(est, observe.EvalEstimate{Replication: r, Outcome: "ln_misused_funds", Estimator: observe.EstPreTrend, Coef: 3, N: 3, P: 0.01})
		}
		if r < 1 {
			est = append(est, observe.EvalEstimate{Replication: r, Outcome: "ln_hidden_debt", Estimator: observe.EstPreTrend, Coef: 3, N: 3, P: 0.01})
		}
	}
	failed := PreTrendFailures(observe.SummariseEstimates(est))
	for _, c := range []struct {
		l    Lang
		want string
	}{
		{English, "for growth (100%), ln_misused_funds (100% of the 2 runs that estimated it), ln_hidden_debt (100% of the one run that estimated it);"},
		{Chinese, "ln(违规使用资金)（得到估计的2次模拟中的100%）、ln(隐性债务)（得到估计的1次模拟中的100%）"},
	} {
		if note := PreTrendNote(c.l, failed); !strings.Contains(note, c.want) {
			t.Errorf("%s: %q lacks %q", c.l, note, c.want)
		}
	}
}
