package main

import (
	"context"
	"testing"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// A new run hands its model and track to the no-reform counterfactual at the pilots' first
// step, PMC switched off in the fork; the counterfactual's track is then the one of a run
// from the start, bit for bit. A run continued from a saved state does not fork.
func TestRunForksItsCounterfactual(t *testing.T) {
	s, err := scenarios.Resolve("pmc-three-step")
	if err != nil {
		t.Fatal(err)
	}
	s.Config.Months = 72
	s.Config.World.Provinces = []sim.ProvinceSpec{{Name: "Tiny", Prefectures: 3, Counties: 24, Towns: 150}}
	ctx := context.Background()
	c, err := startCounterfactual(ctx, s, true)
	if err != nil {
		t.Fatal(err)
	}
	if c.at != s.Config.PMC.Cohorts[0].Step1 || c.cfg.PMC.Enabled {
		t.Fatalf("fork at month %d with pmc %v; want the first cohort's step 1 (%d), pmc off", c.at, c.cfg.PMC.Enabled, s.Config.PMC.Cohorts[0].Step1)
	}
	m, err := sim.New(s.Config)
	if err != nil {
		t.Fatal(err)
	}
	track, err := newProvinceTrack(m)
	if err != nil {
		t.Fatal(err)
	}
	c.handOver(m, track)
	err = m.Run(func(m *sim.Model) error {
		if err := track.Observe(m); err != nil {
			return err
		}
		c.handOver(m, track)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	<-c.done
	if c.err != nil {
		t.Fatal(c.err)
	}
	want, err := observe.RunWith(ctx, c.cfg, s.Config.Seed, c.opt, newProvinceTrack)
	if err != nil {
		t.Fatal(err)
	}
	for g := range want.Values {
		if i := testkit.FirstDiff(c.track.Values[g], want.Values[g]); i >= 0 {
			t.Fatalf("group %d, value %d (month %d): forked counterfactual %v, from the start %v", g, i, i/len(want.Defs)+1, c.track.Values[g][i], want.Values[g][i])
		}
	}
	resumed, err := startCounterfactual(ctx, s, false)
	if err != nil {
		t.Fatal(err)
	}
	<-resumed.done
	if resumed.fork != nil || resumed.err != nil || resumed.track == nil {
		t.Errorf("a run from a saved state: its counterfactual must run from the start (fork %v, error %v)", resumed.fork != nil, resumed.err)
	}
}
