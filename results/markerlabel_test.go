package results

import (
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
	"github.com/countysim/countysim/targets"
	"image/color"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// A marker label too long for its line is set on lines side by side, every part whole, and
// cut with an ellipsis only when it cannot fit markerLines lines (the Chinese step labels
// were cut after a few characters).
func TestFitLinesKeepsEveryPart(t *testing.T) {
	for _, l := range []Lang{English, Chinese} {
		sty := textStyleIn(l, 7, color.Black)
		parts := []string{"cohort1 " + l.F("step %d", 2), "cohort2 " + l.T("pipeline settled")}
		label := "Scenario: " + strings.Join(parts, l.Sep())
		whole := sty.Width(label)
		if got := fitLines(sty, label, whole, l.Sep()); len(got) != 1 || got[0] != label {
			t.Errorf("%s: room for the whole label: %q", l, got)
		}
		// Room for the longest part: a part a line, none cut.
		room := vg.Length(0)
		for _, p := range parts {
			room = max(room, sty.Width(p))
		}
		if got := fitLines(sty, label, room, l.Sep()); len(got) != len(parts) || got[0] != parts[0] || got[1] != parts[1] {
			t.Errorf("%s: room for the longest part: %q, want %q", l, got, parts)
		}
		// Room for the longest word: parts broken at their last space, every line within
		// its room, at most markerLines of them.
		room = 0
		for _, p := range parts {
			for _, w := range strings.Fields(p) {
				room = max(room, sty.Width(w))
			}
		}
		got := fitLines(sty, label, room, l.Sep())
		if len(got) < 2 || len(got) > markerLines {
			t.Fatalf("%s: room %v: %d lines %q", l, room, len(got), got)
		}
		for _, s := range got {
			if sty.Width(s) > room {
				t.Errorf("%s: line %q wider than its room", l, s)
			}
		}
		if strings.Contains(strings.Join(got, " "), "Scenario") {
			t.Errorf("%s: the scenario's name kept on lines %q", l, got)
		}
		// Far too little room: at most markerLines lines, the last cut.
		tiny := sty.Width("cohort1")
		long := strings.Repeat(parts[0]+l.Sep(), 5) + parts[1]
		got = fitLines(sty, long, tiny, l.Sep())
		if len(got) != markerLines || !strings.HasSuffix(got[len(got)-1], "…") {
			t.Errorf("%s: no room: %q", l, got)
		}
	}
}

// TestValueTicks: value-axis labels with the fewest decimals that write every value exactly,
// thousands separated (gonum/plot's own gave "250.00" and "50000.00").
func TestValueTicks(t *testing.T) {
	for _, tc := range []struct {
		min, max float64
		want     []string
	}{
		{0, 550, []string{"0", "250", "500"}}, // gonum/plot: 0.00, 250.00, 500.00
		{0, 62000, []string{"0", "30,000", "60,000"}},
		{100, 141, []string{"100", "120", "140"}},
		{0, 0.26, []string{"0.00", "0.25"}},
		{0, 0.7, []string{"0.0", "0.3", "0.6"}},
	} {
		var got []string
		for _, tk := range (valueTicks{}).Ticks(tc.min, tc.max) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("ticks of %g..%g: %q, want %q", tc.min, tc.max, got, tc.want)
		}
	}
}

// TestMeanSD: points.csv's mean and spread; one replication has no spread (an empty cell),
// not a spread of 0 (a researcher's audit: the README reads _sd as run-to-run spread).
func TestMeanSD(t *testing.T) {
	if m, sd := meanSD(1, 3, 9); m != 3 || !math.IsNaN(sd) {
		t.Errorf("one value 3: mean %g, sd %g; want 3 and NaN", m, sd)
	}
	if m, sd := meanSD(2, 4, 10); m != 2 || sd != math.Sqrt2 {
		t.Errorf("values 1 and 3: mean %g, sd %g; want 2 and sqrt 2", m, sd)
	}
	if m, sd := meanSD(0, 0, 0); !math.IsNaN(m) || !math.IsNaN(sd) {
		t.Errorf("no value: mean %g, sd %g; want NaN", m, sd)
	}
}

// TestShownCI: a share of replications' interval is shown within [0, 1] (1 rejection in 4
// gave [-0.34, 0.84]); other figures, and the continuous share of a cut, as computed.
func TestShownCI(t *testing.T) {
	rej := targets.TargetFigure{Label: "share of replications whose growth pre-trend test rejects at 10%", Unit: "share", Lo: -0.338, Hi: 1.18}
	if lo, hi := shownCI(rej); lo != 0 || hi != 1 {
		t.Errorf("share of replications: [%g, %g], want [0, 1]", lo, hi)
	}
	cut := targets.TargetFigure{Label: "share of the cut by year 5 reached in the first reform year", Unit: "share", Lo: -0.2, Hi: 1.3}
	if lo, hi := shownCI(cut); lo != -0.2 || hi != 1.3 {
		t.Errorf("a continuous share: [%g, %g], want it as computed", lo, hi)
	}
	days := targets.TargetFigure{Label: "days", Unit: "days", Lo: -3, Hi: 2}
	if lo, hi := shownCI(days); lo != -3 || hi != 2 {
		t.Errorf("days: [%g, %g], want as computed", lo, hi)
	}
}

// TestShortRunHasNoYearlySums: a run shorter than a year leaves its flows' yearly sums empty in
// summary.csv and its final year (6 months of misused funds were reported as a year's), keeps
// stocks and rates, and says so in the manifest.
func TestShortRunHasNoYearlySums(t *testing.T) {
	dir, _ := record(t, tinyConfig(6), Options{})
	rows := readCSV(t, filepath.Join(dir, SummaryFile))
	metric, final := slices.Index(rows[0], "metric"), slices.Index(rows[0], "final_value")
	kinds := map[string]sim.Kind{}
	for _, d := range observe.Defs() {
		kinds[d.Name] = d.Kind
	}
	var flows, others int
	for _, r := range rows[1:] {
		switch kinds[r[metric]] {
		case sim.Flow:
			flows++
			if r[final] != "" {
				t.Errorf("flow %s: final value %q in a 6-month run, want empty", r[metric], r[final])
			}
		default:
			others++
			if r[final] == "" {
				t.Errorf("%s: no final value in a 6-month run", r[metric])
			}
		}
	}
	if flows == 0 || others == 0 {
		t.Fatalf("summary.csv: %d flows and %d others; the test needs both", flows, others)
	}
	if man := string(readTestFile(t, filepath.Join(dir, ManifestFile))); !strings.Contains(man, "the yearly sums (flows) of") {
		t.Error("the manifest does not say the yearly sums were left out")
	}
	tr := handTrack(6, func(g, mo, k int) float64 { return float64(mo + 1) })
	for k, d := range tr.Defs {
		got := tr.FinalYear(0, k)
		switch d.Kind {
		case sim.Flow:
			if !math.IsNaN(got) {
				t.Errorf("FinalYear of flow %s over 6 months: %g, want NaN", d.Name, got)
			}
		case sim.Stock:
			if got != 6 {
				t.Errorf("FinalYear of stock %s over 6 months: %g, want the last month's 6", d.Name, got)
			}
		}
	}
}
