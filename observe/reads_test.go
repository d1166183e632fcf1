package observe

import (
	"math"
	"slices"
	"testing"

	"github.com/countysim/countysim/sim"
)

// TestPanelReadsKeepThePanel: a panel filled from a model built with PanelReads (which leaves
// out the within-limit share and the 90th percentile) has every value, bit for bit, of the
// panel of a full model.
func TestPanelReadsKeepThePanel(t *testing.T) {
	cfg := sim.DefaultConfig()
	cfg.Months = 36
	cfg.World.Provinces = []sim.ProvinceSpec{{Name: "T", Prefectures: 3, Counties: 12, Towns: 150}}
	cfg.PMC.Cohorts = []sim.Cohort{{Name: "c1", Share: 0.5, Step1: 6, Step2: 12, Step3: 18}}
	panel := func(opt sim.Options) *Panel {
		m, err := sim.NewWith(cfg, opt)
		if err != nil {
			t.Fatal(err)
		}
		p, err := NewPanel(m, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Run(p.Observe); err != nil {
			t.Fatal(err)
		}
		return p
	}
	reads := PanelReads()
	if slices.Contains(reads, sim.MApprovalP90) || slices.Contains(reads, sim.MWithinLimit) {
		t.Fatalf("PanelReads %v lists an output the panel has no column for", reads)
	}
	full, few := panel(sim.Options{}), panel(sim.Options{Metrics: reads})
	if len(full.values) == 0 || len(full.values) != len(few.values) {
		t.Fatalf("panels of %d and %d values", len(full.values), len(few.values))
	}
	for i := range full.values {
		if math.Float64bits(full.values[i]) != math.Float64bits(few.values[i]) {
			t.Fatalf("value %d (%s): %v from PanelReads, %v in full", i, full.Columns[i%len(full.Columns)].Name, few.values[i], full.values[i])
		}
	}
	if !slices.Equal(full.steps, few.steps) {
		t.Fatal("the PMC steps differ")
	}
}
