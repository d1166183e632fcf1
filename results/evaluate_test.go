package results

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/countysim/countysim/observe"
)

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
