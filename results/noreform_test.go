package results

import (
	"slices"
	"testing"

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

// TestCounterfactualMetricsSuffice checks that tracks computing only CounterfactualMetrics
// (as `countysim run` keeps them) give AgainstCounterfactual the same lines as full tracks:
// the list names every metric the comparison reads.
func TestCounterfactualMetricsSuffice(t *testing.T) {
	cfg := tinyConfig(24)
	cf := cfg
	cf.PMC.Enabled = false
	track := func(only bool, c sim.Config) *observe.Track {
		m := newModel(t, c)
		tr, err := observe.NewTrack(m, []string{"province"})
		if err != nil {
			t.Fatal(err)
		}
		if only {
			if err := tr.Only(CounterfactualMetrics()); err != nil {
				t.Fatal(err)
			}
		}
		if err := m.Run(tr.Observe); err != nil {
			t.Fatal(err)
		}
		return tr
	}
	full := AgainstCounterfactual(English, track(false, cfg), track(false, cf), 7, 2006, true)
	only := AgainstCounterfactual(English, track(true, cfg), track(true, cf), 7, 2006, true)
	if !slices.Equal(full, only) {
		t.Fatalf("with only CounterfactualMetrics:\n%q\nwith every metric:\n%q", only, full)
	}
	if len(full) != len(counterfactualOutcomes)+2 {
		t.Fatalf("%d lines, want a heading, %d outcomes and a closing line", len(full), len(counterfactualOutcomes))
	}
}
