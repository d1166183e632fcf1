package assess

import (
	"testing"

	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/observe"
)

func TestDescribeDiff(t *testing.T) {
	days := KeyOutcome("approval_days")
	share := KeyOutcome("admin_cost_share")
	debt := KeyOutcome("explicit_debt")
	red := KeyOutcome("counties_red")
	tests := []struct {
		o    Outcome
		d    observe.Summary
		want string
	}{
		{days, observe.Summary{N: 20, Mean: -12, P5: -15, P95: -9}, "about 12 days shorter (9 to 15)"},
		{days, observe.Summary{N: 20, Mean: -1.2, P5: -3.1, P95: 0.8}, "about 1.2 days shorter (3.1 shorter to 0.8 longer)"},
		{share, observe.Summary{N: 20, Mean: 0.021, P5: 0.018, P95: 0.025}, "about 2.1 percentage points higher (1.8 to 2.5)"},
		{debt, observe.Summary{N: 20, Mean: 42058, P5: 36333, P95: 48260}, "about 42 billion yuan more (36 to 48)"},
		{red, observe.Summary{N: 20}, "the same in every run"},
		{days, observe.Summary{N: 20, Mean: 0.001, P5: -0.4, P95: 0.5}, "about the same (0.4 shorter to 0.5 longer)"},
		{days, observe.Summary{N: 20, Mean: -12.6, P5: -12.62, P95: -12.55}, "about 12.60 days shorter (12.55 to 12.62)"},
		{days, observe.Summary{N: 20, Mean: -4.3, P5: -4.0, P95: -4.5}, "about 4.3 days shorter (4.0 to 4.5)"},
		// A range too narrow to tell apart: three significant figures, not four.
		{Criteria[1].Outcomes[0], observe.Summary{N: 20, Mean: -0.32831, P5: -0.328312, P95: -0.328308}, "about 0.328 fewer (nearly the same in every run)"},
		// A bound of a one-sided range is never 0: a finer step, or "under" the finest.
		{debt, observe.Summary{N: 20, Mean: 1030, P5: 35, P95: 1600}, "about 1.03 billion yuan more (0.04 to 1.60)"},
		{days, observe.Summary{N: 20, Mean: 16, P5: 0.000001, P95: 16}, "about 16 days longer (under 1 to 16)"},
		// One run has no range.
		{days, observe.Summary{N: 1, Mean: -12, P5: -12, P95: -12}, "about 12 days shorter (one run: no range)"},
	}
	for _, tc := range tests {
		if got := DescribeDiff(lang.English, tc.o, tc.d); got != tc.want {
			t.Errorf("DescribeDiff(%s, %+v) = %q, want %q", tc.o.Metric, tc.d, got, tc.want)
		}
	}
	for _, tc := range []struct {
		o    Outcome
		d    observe.Summary
		want string
	}{
		{days, observe.Summary{N: 20, Mean: -12, P5: -15, P95: -9}, "better"},
		{days, observe.Summary{N: 20, Mean: 2, P5: 1, P95: 3}, "worse"},
		{share, observe.Summary{N: 20, Mean: -1, P5: -2, P95: 1}, "about the same"},
		{red, observe.Summary{N: 20}, "no difference"},
		// Clear but too small to matter: 0.5 days is under the one-day minimum.
		{days, observe.Summary{N: 20, Mean: -0.5, P5: -0.6, P95: -0.4}, "about the same"},
		// 1% of a 100-day level is one day; 2 days clear of zero matters.
		{days, observe.Summary{N: 20, Mean: -2, P5: -2.5, P95: -1.5}, "better"},
		// Debt has no absolute minimum: 1% of the level. 50 of 10,000 is clear but small.
		{debt, observe.Summary{N: 20, Mean: 50, P5: 40, P95: 60}, "about the same"},
		{debt, observe.Summary{N: 20, Mean: 500, P5: 400, P95: 600}, "worse"},
		// Fewer than MinVerdictRuns pairs call nothing better or worse (one run was "better").
		{days, observe.Summary{N: 1, Mean: -12, P5: -12, P95: -12}, "too few runs"},
		{days, observe.Summary{N: MinVerdictRuns - 1, Mean: -12, P5: -15, P95: -9}, "too few runs"},
		{days, observe.Summary{N: MinVerdictRuns, Mean: -12, P5: -15, P95: -9}, "better"},
		{red, observe.Summary{N: 1}, "no difference"},
	} {
		ref := 100.0
		if tc.o.Metric == "explicit_debt" {
			ref = 10000
		}
		if got := Verdict(tc.o, ref, tc.d); got != tc.want {
			t.Errorf("Verdict(%s, %g, %+v) = %q, want %q", tc.o.Metric, ref, tc.d, got, tc.want)
		}
	}
}

func TestCombineVerdicts(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"better", "about the same"}, "better"},
		{[]string{"worse", "no difference"}, "worse"},
		{[]string{"better", "worse"}, "mixed"},
		{[]string{"about the same", "no difference"}, "about the same"},
		{[]string{"too few runs", "no difference"}, "too few runs"},
	} {
		if got := CombineVerdicts(tc.in); got != tc.want {
			t.Errorf("CombineVerdicts(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCriteriaNameMetrics(t *testing.T) {
	if len(Criteria) != 5 {
		t.Fatalf("%d criteria, want the five aims", len(Criteria))
	}
	for _, c := range Criteria {
		for _, o := range c.Outcomes {
			if observe.DefIndex(o.Metric) < 0 {
				t.Errorf("criterion %s: %q is not a metric", c.Zh, o.Metric)
			}
		}
	}
}
