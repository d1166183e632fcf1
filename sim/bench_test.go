package sim

import (
	"fmt"
	"testing"
)

// nationalWorld spreads the 2009 national totals (333 prefectures, 2,003 non-district counties,
// 34,170 towns and townships) evenly over 31 provinces; the scenarios package has the preset
// with the real provinces, this is only for timing the model.
func nationalWorld() World {
	var w World
	for i := 0; i < 31; i++ {
		p := ProvinceSpec{Name: fmt.Sprintf("P%02d", i+1), Prefectures: 10, Counties: 64, Towns: 1102}
		if i < 23 {
			p.Prefectures = 11
		}
		if i < 19 {
			p.Counties = 65
		}
		if i < 8 {
			p.Towns = 1103
		}
		w.Provinces = append(w.Provinces, p)
	}
	return w
}

func benchRun(b *testing.B, cfg Config) { benchRunWith(b, cfg, Options{}) }

func benchRunWith(b *testing.B, cfg Config, opt Options) {
	m, err := NewWith(cfg, opt)
	if err != nil {
		b.Fatal(err)
	}
	agents := len(m.Counties) + len(m.Towns) + len(m.Prefs) + len(m.Provinces) + len(m.Branches)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, _ := NewWith(cfg, opt)
		for !m.Done() {
			if err := m.Step(); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(agents*cfg.Months), "ns/agent-month")
}

// BenchmarkHenan20y runs a Henan-size province (17 prefectures, 109 counties, 1,975 towns)
// for 240 months, building included.
func BenchmarkHenan20y(b *testing.B) {
	cfg := DefaultConfig()
	cfg.World.Provinces = []ProvinceSpec{{Name: "Henan", Prefectures: 17, Counties: 109, Towns: 1975}}
	benchRun(b, cfg)
}

// BenchmarkNational20y runs the whole country (31 provinces) for 240 months.
func BenchmarkNational20y(b *testing.B) {
	cfg := DefaultConfig()
	cfg.World = nationalWorld()
	benchRun(b, cfg)
}

// BenchmarkStepNational times one steady-state month of the national world; allocs/op must be 0.
func BenchmarkStepNational(b *testing.B) {
	cfg := DefaultConfig()
	cfg.World = nationalWorld()
	cfg.Months = 600
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 12; i++ {
		_ = m.Step()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if m.Done() {
			b.StopTimer()
			m, _ = New(cfg)
			b.StartTimer()
		}
		if err := m.Step(); err != nil {
			b.Fatal(err)
		}
	}
}

// sweepMetrics are the county metrics bench-henan-1000.yaml reports (approval_days,
// admin_cost_share, self_sufficiency, explicit_debt, hidden_debt, growth; the Theil index
// reads gdp_per_capita and population).
var sweepMetrics = []int{MApprovalDays, MAdminShare, MSelfSufficiency, MExplicitDebt, MHiddenDebt, MGrowth, MGDPPerCap, MPop}

// BenchmarkHenan20yFewMetrics is BenchmarkHenan20y for a batch that reads a few metrics
// (NewWith, Options.Metrics): the within-limit share and the 90th percentile are left out.
func BenchmarkHenan20yFewMetrics(b *testing.B) {
	cfg := DefaultConfig()
	cfg.World.Provinces = []ProvinceSpec{{Name: "Henan", Prefectures: 17, Counties: 109, Towns: 1975}}
	benchRunWith(b, cfg, Options{Metrics: sweepMetrics})
}

// BenchmarkTownFinance times one month of the towns' accounts (townFinance) of a Henan-size
// province after five years, four towns at a time where the machine allows (vec) and one at a
// time (loop). Every iteration starts from the same towns (restored outside the timer), so that
// the accounts do not drift over thousands of months into values of another cost.
func BenchmarkTownFinance(b *testing.B) {
	for _, size := range []string{"henan", "national"} {
		for _, vec := range []bool{true, false} {
			name := size + "/loop"
			if vec {
				name = size + "/vec"
			}
			b.Run(name, func(b *testing.B) {
				if vec && !haveTownsVec {
					b.Skip("no vector town loop here")
				}
				defer func(v bool) { useTownsVec = v }(useTownsVec)
				useTownsVec = vec
				cfg := DefaultConfig()
				cfg.World.Provinces = []ProvinceSpec{{Name: "Henan", Prefectures: 17, Counties: 109, Towns: 1975}}
				if size == "national" { // about the national size: 2,000 counties, 34,000 towns
					cfg.World.Provinces = nil
					for p := range 10 {
						cfg.World.Provinces = append(cfg.World.Provinces, ProvinceSpec{Name: string(rune('A' + p)), Prefectures: 30, Counties: 200, Towns: 3400})
					}
				}
				m, err := New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				for range 60 {
					if err := m.Step(); err != nil {
						b.Fatal(err)
					}
				}
				towns := append([]Town(nil), m.Towns...)
				b.ResetTimer()
				for range b.N {
					b.StopTimer()
					copy(m.Towns, towns)
					b.StartTimer()
					m.townFinance()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(m.Towns)), "ns/town")
			})
		}
	}
}

// BenchmarkForkNationalSize forks a model of about the national size (2,000 counties,
// 34,000 towns) as run forks its counterfactual: the cost of sim.Model.Fork against the
// months the fork saves.
func BenchmarkForkNationalSize(b *testing.B) {
	c := small(240)
	c.World.Provinces = nil
	for p := 0; p < 10; p++ {
		c.World.Provinces = append(c.World.Provinces, ProvinceSpec{Name: string(rune('A' + p)), Prefectures: 30, Counties: 200, Towns: 3400})
	}
	m, err := New(c)
	if err != nil {
		b.Fatal(err)
	}
	to := c
	to.PMC.Enabled = false
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Fork(to, Options{Metrics: []int{MGDP}}); err != nil {
			b.Fatal(err)
		}
	}
}
