package observe

import (
	"fmt"
	"math"
	"testing"

	"github.com/countysim/countysim/sim"
)

// smallWorld is the default config on one province of 3 prefectures, 12 counties and 150
// towns, with one cohort of half the counties stepping at months 6, 12 and 18.
func smallWorld(months int) sim.Config {
	cfg := sim.DefaultConfig()
	cfg.Months = months
	cfg.World.Provinces = []sim.ProvinceSpec{{Name: "T", Prefectures: 3, Counties: 12, Towns: 150}}
	cfg.PMC.Cohorts = []sim.Cohort{{Name: "c1", Share: 0.5, Step1: 6, Step2: 12, Step3: 18}}
	return cfg
}

func TestTrackAggregatesAndCombinesByKind(t *testing.T) {
	cfg := smallWorld(30)
	m, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrack(m, []string{"province", "pilot", "step:3"})
	if err != nil {
		t.Fatal(err)
	}
	var own []float64
	err = m.Run(func(m *sim.Model) error {
		s := 0.0
		v := m.Values()
		for i := range m.Counties {
			s += v[i*sim.NumMetrics+sim.MOwnRevenue]
		}
		own = append(own, s)
		return tr.Observe(m)
	})
	if err != nil {
		t.Fatal(err)
	}
	for mo, want := range own {
		if got := tr.At(0, mo, sim.MOwnRevenue); math.Abs(got-want) > 1e-9*want {
			t.Fatalf("month %d: province own revenue %v, want the county sum %v", mo, got, want)
		}
	}
	year1 := 0.0
	for _, v := range own[12:24] {
		year1 += v
	}
	if got := tr.Year(0, 1, sim.MOwnRevenue); math.Abs(got-year1) > 1e-9*year1 {
		t.Fatalf("a flow's year value should be the sum of its months: %v vs %v", got, year1)
	}
	if got, want := tr.Year(0, 1, sim.MExplicitDebt), tr.At(0, 23, sim.MExplicitDebt); got != want {
		t.Fatalf("a stock's year value should be the last month's: %v vs %v", got, want)
	}
	if !math.IsNaN(tr.At(2, 0, sim.MGDP)) || math.IsNaN(tr.At(2, 29, sim.MGDP)) {
		t.Fatal("step:3 should be empty (NaN) in month 1 and filled at the end")
	}
	if _, err := NewTrack(m, []string{"pilots"}); err == nil {
		t.Fatal("an unknown group name should be an error")
	}
}

// TestTrackOnlyComputesTheAskedMetricsWithTheSameBits: a track restricted with Only holds, for
// the metrics asked, exactly the full track's values, and NaN for every other metric.
func TestTrackOnlyComputesTheAskedMetricsWithTheSameBits(t *testing.T) {
	cfg := smallWorld(24)
	m, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"province", "pilot", "step:3"}
	full, err := NewTrack(m, names)
	if err != nil {
		t.Fatal(err)
	}
	// The restricted track watches a model built to compute only what it reads (Reads):
	// a ratio (admin_cost_share reads admin_cost and spending), a weighted mean
	// (approval_days) and the Theil index (gdp, pop).
	asked := []int{sim.MGDP, sim.MApprovalDays, sim.MAdminShare, DefIndex(TheilGDPPerCapita)}
	reads, err := Reads(asked)
	if err != nil {
		t.Fatal(err)
	}
	mf, err := sim.NewWith(cfg, sim.Options{Metrics: reads})
	if err != nil {
		t.Fatal(err)
	}
	only, _ := NewTrack(mf, names)
	if err := only.Only(asked); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(func(m *sim.Model) error {
		if err := full.Observe(m); err != nil {
			return err
		}
		if err := mf.Step(); err != nil {
			return err
		}
		if v := mf.Values()[sim.MApprovalP90]; !math.IsNaN(v) {
			return fmt.Errorf("month %d: approval_p90 %v in the restricted model, want NaN (not read)", mf.Month(), v)
		}
		return only.Observe(mf)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := Reads([]int{len(full.Defs)}); err == nil {
		t.Fatal("Reads with an index past the metrics should be an error")
	}
	isAsked := map[int]bool{}
	for _, k := range asked {
		isAsked[k] = true
	}
	for g := range names {
		for mo := 0; mo < cfg.Months; mo++ {
			for k := range full.Defs {
				got, want := only.At(g, mo, k), full.At(g, mo, k)
				if isAsked[k] && math.Float64bits(got) != math.Float64bits(want) {
					t.Fatalf("group %s month %d %s: %v, want the full track's %v", names[g], mo, full.Defs[k].Name, got, want)
				}
				if !isAsked[k] && !math.IsNaN(got) {
					t.Fatalf("group %s month %d %s: %v, want NaN (not asked)", names[g], mo, full.Defs[k].Name, got)
				}
			}
		}
	}
	if err := only.Only([]int{len(full.Defs)}); err == nil {
		t.Fatal("Only with an index past the metrics should be an error")
	}
}
