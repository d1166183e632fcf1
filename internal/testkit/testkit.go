// Package testkit holds the fixtures the tests of several packages share: small worlds to run
// the model on and a helper that builds a model or fails the test. It is imported by test
// files only.
package testkit

import (
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
