package sim_test

import (
	"fmt"

	"github.com/countysim/countysim/sim"
)

// A small province under the default reform (the three-step PMC path in two cohorts: an early
// fifth of the counties enters step 1 at month 24 and step 2 at month 60, a later three tenths
// step 1 at month 48), run for six years, then read by metric name.
func Example() {
	cfg := sim.DefaultConfig()
	cfg.World.Provinces = []sim.ProvinceSpec{{Name: "Demo", Prefectures: 3, Counties: 12, Towns: 150}}
	cfg.Months = 72
	m, err := sim.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := m.Run(nil); err != nil {
		fmt.Println(err)
		return
	}
	var atStep [4]int
	for i := range m.Counties {
		step, _ := m.Value(i, "pmc_step")
		atStep[int(step)]++
	}
	fmt.Printf("%d counties, %d towns, %d months\n", len(m.Counties), len(m.Towns), m.Month())
	fmt.Println("counties at PMC steps 0-3:", atStep)
	// Output:
	// 12 counties, 150 towns, 72 months
	// counties at PMC steps 0-3: [6 4 2 0]
}

// Model.Value reads a county's outcome by metric name; an unknown name is an error.
func ExampleModel_Value() {
	cfg := sim.DefaultConfig()
	cfg.World.Provinces = []sim.ProvinceSpec{{Name: "Demo", Prefectures: 2, Counties: 6, Towns: 60}}
	cfg.Months = 12
	m, _ := sim.New(cfg)
	_ = m.Run(nil)
	days, err := m.Value(m.CountyByName("Demo-C001"), "approval_days")
	fmt.Println(days > 0, err)
	_, err = m.Value(0, "approval_dayz")
	fmt.Println(err)
	// Output:
	// true <nil>
	// unknown metric "approval_dayz"
}
