// Package testkit holds the fixtures the tests of several packages share: small worlds to run
// the model on and a helper that builds a model or fails the test. It is imported by test
// files only.
package testkit

import (
	"math"
	"slices"
	"testing"

	"github.com/countysim/countysim/census"
	"github.com/countysim/countysim/sim"
)

// Tiny is one province of 4 prefectures, 20 counties and 300 towns over months, seed 7, with
// two pilot cohorts whose steps all fall within 36 months.
func Tiny(months int) sim.Config {
	cfg := sim.DefaultConfig()
	cfg.Seed = 7
	cfg.Months = months
	cfg.World.Provinces = []sim.ProvinceSpec{{Name: "Tiny", Prefectures: 4, Counties: 20, Towns: 300}}
	cfg.PMC.Cohorts = []sim.Cohort{
		{Name: "first", Share: 0.25, Step1: 3, Step2: 9, Step3: 18},
		{Name: "second", Share: 0.25, Step1: 12, Step2: 20, Step3: 27},
	}
	return cfg
}

// Ningxia is Ningxia's 13 real counties in their 5 prefectures (a small real world whose
// counties carry division codes), no towns, 24 months, seed 3, with one pilot cohort.
func Ningxia(t testing.TB) sim.Config {
	t.Helper()
	d := census.MustLoad()
	p := d.Provinces[d.ProvinceByKey("ningxia")]
	spec := sim.ProvinceSpec{Name: p.English, Prefectures: len(p.Prefectures), Towns: 0}
	for j, pf := range p.Prefectures {
		spec.PrefectureNames = append(spec.PrefectureNames, pf.Name)
		spec.PrefectureCodes = append(spec.PrefectureCodes, pf.Code)
		for _, ci := range pf.Counties {
			c := d.Counties[ci]
			spec.CountyList = append(spec.CountyList, sim.CountySpec{Name: c.Name, Code: c.Code, Prefecture: j, Population: float64(c.Population)})
		}
	}
	cfg := sim.DefaultConfig()
	cfg.Seed = 3
	cfg.Months = 24
	cfg.World.Provinces = []sim.ProvinceSpec{spec}
	cfg.PMC.Cohorts = []sim.Cohort{{Name: "first", Share: 0.4, Step1: 3, Step2: 6, Step3: 9}}
	return cfg
}

// NewModel builds the model of cfg or fails the test.
func NewModel(t testing.TB, cfg sim.Config) *sim.Model {
	t.Helper()
	m, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Pilot is a small province on a fast pilot path: 24 counties and 150 towns in 3 prefectures
// over 7 years (84 months), with two cohorts of a quarter each, early (steps at months 12,
// 24, 36) and late (24, 30, 42: it reaches step 3 in July of its year, so its first treated
// year is the year it gets there, judged at the year's end).
func Pilot(seed uint64) sim.Config {
	cfg := sim.DefaultConfig()
	cfg.Seed = seed
	cfg.Months = 84
	cfg.World = sim.World{Provinces: []sim.ProvinceSpec{{Name: "Tiny", Prefectures: 3, Counties: 24, Towns: 150}}}
	cfg.PMC.Cohorts = []sim.Cohort{
		{Name: "early", Share: 0.25, Step1: 12, Step2: 24, Step3: 36},
		{Name: "late", Share: 0.25, Step1: 24, Step2: 30, Step3: 42},
	}
	return cfg
}

// Months records, for the checks, what the model showed each month of a run.
type Months struct {
	Steps  [][]int     // month x county: PMC step
	Values [][]float64 // month x (county x metric), Model.Values
	GDP0   []float64   // county GDP before the first month
}

// Observer is anything that observes a run month by month (observe.Panel, observe.Track).
type Observer interface{ Observe(m *sim.Model) error }

// RunWith builds the model of cfg, makes its observer with newObs, runs it to the horizon and
// returns the observer with what the model showed each month; any error fails the test.
func RunWith[O Observer](t testing.TB, cfg sim.Config, newObs func(*sim.Model) (O, error)) (O, *Months) {
	t.Helper()
	m := NewModel(t, cfg)
	o, err := newObs(m)
	if err != nil {
		t.Fatal(err)
	}
	rec := &Months{}
	for i := range m.Counties {
		rec.GDP0 = append(rec.GDP0, m.Counties[i].GDP)
	}
	err = m.Run(func(m *sim.Model) error {
		st := make([]int, len(m.Counties))
		for i := range m.Counties {
			st[i] = m.Counties[i].Step
		}
		rec.Steps = append(rec.Steps, st)
		rec.Values = append(rec.Values, slices.Clone(m.Values()))
		return o.Observe(m)
	})
	if err != nil {
		t.Fatal(err)
	}
	return o, rec
}

// FirstDiff returns the first index at which a and b hold other bits (NaN included: the same
// NaN is no difference), len(a) when a is b's prefix or the reverse and they differ in length,
// and -1 when they are the same bit for bit.
func FirstDiff(a, b []float64) int {
	for i := range min(len(a), len(b)) {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}
