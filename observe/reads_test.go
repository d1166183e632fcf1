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
	cfg := smallWorld(36)
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

// poison sets to NaN every county value of m outside the columns keep and returns a function
// that puts the values back.
func poison(m *sim.Model, keep []int) (restore func()) {
	v := m.Values()
	saved := append([]float64(nil), v...)
	kept := make([]bool, sim.NumMetrics)
	for _, k := range keep {
		kept[k] = true
	}
	for i := range v {
		if !kept[i%sim.NumMetrics] {
			v[i] = math.NaN()
		}
	}
	return func() { copy(v, saved) }
}

// TestReadsListsEveryColumnATrackReads: a track restricted to one metric, watching a model
// whose every column outside Reads of that metric is NaN, records the values of a full track,
// bit for bit, for every metric (county metrics by each aggregation, and both inequality
// indices). A column a track reads and Reads does not list turns its values NaN.
func TestReadsListsEveryColumnATrackReads(t *testing.T) {
	cfg := smallWorld(24)
	m, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"province", "pilot"}
	full, err := NewTrack(m, names)
	if err != nil {
		t.Fatal(err)
	}
	defs := Defs()
	only := make([]*Track, len(defs))
	reads := make([][]int, len(defs))
	for k := range defs {
		only[k], _ = NewTrack(m, names)
		if err := only[k].Only([]int{k}); err != nil {
			t.Fatal(err)
		}
		if reads[k], err = Reads([]int{k}); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Run(func(m *sim.Model) error {
		if err := full.Observe(m); err != nil {
			return err
		}
		for k := range defs {
			restore := poison(m, reads[k])
			err := only[k].Observe(m)
			restore()
			if err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for k, d := range defs {
		for g := range names {
			for mo := 0; mo < cfg.Months; mo++ {
				if got, want := only[k].At(g, mo, k), full.At(g, mo, k); math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("%s, group %s, month %d: %v from the columns Reads lists (%v), %v from all", d.Name, names[g], mo, got, reads[k], want)
				}
			}
		}
	}
}

// TestPanelReadsListsEveryColumnAPanelReads: a panel watching a model whose every column
// outside PanelReads is NaN holds the values of a panel watching the full model, bit for bit.
func TestPanelReadsListsEveryColumnAPanelReads(t *testing.T) {
	cfg := smallWorld(36)
	m, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	full, err := NewPanel(m, 1)
	if err != nil {
		t.Fatal(err)
	}
	restore := poison(m, PanelReads())
	few, err := NewPanel(m, 1)
	restore()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Run(func(m *sim.Model) error {
		if err := full.Observe(m); err != nil {
			return err
		}
		restore := poison(m, PanelReads())
		defer restore()
		return few.Observe(m)
	}); err != nil {
		t.Fatal(err)
	}
	for i := range full.values {
		if math.Float64bits(full.values[i]) != math.Float64bits(few.values[i]) {
			t.Fatalf("value %d (%s): %v from the columns PanelReads lists, %v from all", i, full.Columns[i%len(full.Columns)].Name, few.values[i], full.values[i])
		}
	}
	if !slices.Equal(full.steps, few.steps) {
		t.Fatal("the PMC steps differ")
	}
}
