package results

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSensitivityWarning(t *testing.T) {
	nan := math.NaN()
	narrow := []sensitivityBar{{Factor: "a", A: 0.5, ALow: 0.4, AHigh: 0.6, B: 0.6, BLow: 0.5, BHigh: 0.7}}
	if w := sensitivityWarning(English, "sobol", narrow); w != "" {
		t.Errorf("narrow intervals warned: %q", w)
	}
	wide := append(narrow, sensitivityBar{Factor: "b", A: 0.05, ALow: -0.2, AHigh: 0.3, B: 0.1, BLow: nan, BHigh: nan})
	if w := sensitivityWarning(English, "sobol", wide); !strings.Contains(w, "1 of 2 factors") {
		t.Errorf("an interval wider than its index: warning %q", w)
	}
	if w := sensitivityWarning(Chinese, "morris", wide); !strings.Contains(w, "没有区间") {
		t.Errorf("Morris warning %q", w)
	}
	dir := t.TempDir()
	for _, l := range []Lang{English, Chinese} {
		path := filepath.Join(dir, string(l)+".png")
		w, err := sensitivityChart(l, path, "approval_days", "province", "sobol", "S1", "ST", wide)
		if err != nil || w == "" {
			t.Fatalf("%s chart: warning %q, %v", l, w, err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Size() < 5000 {
			t.Errorf("%s chart: %v", l, err)
		}
	}
}
