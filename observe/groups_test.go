package observe

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/countysim/countysim/sim"
)

// TestMembershipsMatchMembers checks, month by month on a two-province world with a cohort
// moving along the PMC path, that Memberships gives every group (of all groups and of a
// subset) the members of Group.Members, that Same names only an earlier group of the same
// members (and the first such), that InOrder lists them in the shared income order, and
// that GiniSorted on those lists has the bits of Gini.
func TestMembershipsMatchMembers(t *testing.T) {
	cfg := smallWorld(30)
	cfg.World.Provinces = append(cfg.World.Provinces, sim.ProvinceSpec{Name: "U", Prefectures: 2, Counties: 7, Towns: 80})
	m, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	all := Groups(m)
	var subset []Group
	for g, grp := range all {
		if g%3 != 1 {
			subset = append(subset, grp)
		}
	}
	mss := []*Memberships{NewMemberships(all), NewMemberships(subset)}
	var o LorenzOrder
	var order []int32
	same := 0
	err = m.Run(func(m *sim.Model) error {
		v := m.Values()
		y, w := make([]float64, len(m.Counties)), make([]float64, len(m.Counties))
		for i := range y {
			y[i], w[i] = v[i*sim.NumMetrics+sim.MGDPPerCap], v[i*sim.NumMetrics+sim.MPop]
		}
		o.Sort(y)
		order = o.Order(order)
		for s, groups := range [][]Group{all, subset} {
			ms := mss[s]
			ms.Update(m.Counties)
			sorted := ms.InOrder(order)
			for g, grp := range groups {
				want := grp.Members(nil, m.Counties)
				if !slices.Equal(ms.Lists[g], want) {
					t.Fatalf("month %d %s: members %v, want %v", m.Month(), grp.Name, ms.Lists[g], want)
				}
				if h := ms.Same(g); h >= 0 {
					same++
					if h >= g || !slices.Equal(ms.Lists[h], want) || ms.Same(h) >= 0 {
						t.Fatalf("month %d %s: same as %d (%s), not the first earlier group of its members", m.Month(), grp.Name, h, groups[h].Name)
					}
				} else {
					for h := range g {
						if slices.Equal(ms.Lists[h], want) {
							t.Fatalf("month %d %s: has the members of %s but Same is -1", m.Month(), grp.Name, groups[h].Name)
						}
					}
				}
				var wantSorted []int32
				var my, mw []float64
				for _, i := range order {
					if slices.Contains(want, int(i)) {
						wantSorted = append(wantSorted, i)
					}
				}
				for _, i := range want {
					my, mw = append(my, y[i]), append(mw, w[i])
				}
				if !slices.Equal(sorted[g], wantSorted) {
					t.Fatalf("month %d %s: in order %v, want %v", m.Month(), grp.Name, sorted[g], wantSorted)
				}
				if len(want) > 0 {
					got, g0 := GiniSorted(y, w, my, mw, sorted[g]), Gini(my, mw)
					if math.Float64bits(got) != math.Float64bits(g0) {
						t.Fatalf("month %d %s: GiniSorted %v, Gini %v", m.Month(), grp.Name, got, g0)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if same == 0 {
		t.Fatal("no group ever had the members of an earlier one: Same is untested")
	}
}

// TestLorenzOrderResortsFromLastOrder checks that Sort from the last month's order gives
// the order of a fresh sort, when incomes move a little (insertion) and a lot (past the
// budget), with ties, NaN and -0, and when the number of counties changes.
func TestLorenzOrderResortsFromLastOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var o LorenzOrder
	var got, want []int32
	y := make([]float64, 500)
	for i := range y {
		y[i] = float64(rng.IntN(200)) * 3.5
	}
	for round := 0; round < 60; round++ {
		switch {
		case round%20 == 19: // a new size
			y = y[:len(y)-round/2]
		case round%5 == 4: // everything moves
			for i := range y {
				y[i] = rng.Float64() * 1e4
			}
		default: // a few move
			for range 1 + rng.IntN(10) {
				y[rng.IntN(len(y))] += (rng.Float64() - 0.5) * 50
			}
		}
		if round%7 == 3 {
			y[rng.IntN(len(y))] = math.NaN()
			y[rng.IntN(len(y))] = math.Copysign(0, -1)
			y[rng.IntN(len(y))] = 0
		}
		o.Sort(y)
		got = o.Order(got)
		var fresh LorenzOrder
		fresh.Sort(y)
		want = fresh.Order(want)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: order from the last one differs from a fresh sort", round)
		}
		if !slices.IsSortedFunc(fresh.ord, giniCmp) {
			t.Fatalf("round %d: fresh order not sorted", round)
		}
	}
}
