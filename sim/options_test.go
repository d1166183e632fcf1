package sim

import (
	"math"
	"strings"
	"testing"
)

// TestOptionsMetricsKeepEveryOtherBit runs the default world with and without Options.Metrics:
// every value of every month but the two left out has the same bits, and those two are NaN.
// With both of them listed, nothing is left out.
func TestOptionsMetricsKeepEveryOtherBit(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Months = 36
	full, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	few, err := NewWith(cfg, Options{Metrics: []int{MApprovalDays, MGDP}})
	if err != nil {
		t.Fatal(err)
	}
	both, err := NewWith(cfg, Options{Metrics: []int{MWithinLimit, MApprovalP90}})
	if err != nil {
		t.Fatal(err)
	}
	for !full.Done() {
		for _, m := range []*Model{full, few, both} {
			if err := m.Step(); err != nil {
				t.Fatal(err)
			}
		}
		fv, wv, bv := full.Values(), few.Values(), both.Values()
		for i := range fv {
			k := i % NumMetrics
			if math.Float64bits(bv[i]) != math.Float64bits(fv[i]) {
				t.Fatalf("month %d, county %d, %s: %v with both listed, %v in full", full.Month(), i/NumMetrics, Metrics[k].Name, bv[i], fv[i])
			}
			if k == MWithinLimit || k == MApprovalP90 {
				if !math.IsNaN(wv[i]) {
					t.Fatalf("month %d, %s: %v, want NaN when not listed", full.Month(), Metrics[k].Name, wv[i])
				}
				if math.IsNaN(fv[i]) {
					t.Fatalf("month %d, %s: NaN in the full run", full.Month(), Metrics[k].Name)
				}
				continue
			}
			if math.Float64bits(wv[i]) != math.Float64bits(fv[i]) {
				t.Fatalf("month %d, county %d, %s: %v with few metrics, %v in full", full.Month(), i/NumMetrics, Metrics[k].Name, wv[i], fv[i])
			}
		}
	}
	if _, err := few.MarshalState(); err == nil || !strings.Contains(err.Error(), "sim.Options.Metrics") {
		t.Errorf("saving a model that leaves outputs out: %v, want a refusal naming Options.Metrics", err)
	}
	if _, err := both.MarshalState(); err != nil {
		t.Errorf("saving a model that leaves nothing out: %v", err)
	}
	if _, err := NewWith(cfg, Options{Metrics: []int{NumMetrics}}); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("metric index %d: %v, want out of range", NumMetrics, err)
	}
}
