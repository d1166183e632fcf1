package sim

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// townBytes is the memory of the towns, to compare two runs of the town loop bit for bit.
func townBytes(towns []Town) []byte {
	return bytes.Clone(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(towns))), len(towns)*int(unsafe.Sizeof(Town{}))))
}

// TestTownsVecIsTheLoop runs one month of the towns' accounts four at a time (townsVec) and one
// at a time from the same random states, over counties of 3 to 11 towns (so every size of a
// last block) and one of 73 (several of townsVec's chunks of blocks, the last one short), with towns in every case of the account (paying, borrowing, unable to borrow:
// county-managed, new debt stopped, red and stopped), every warning level, and some accounts
// broken (a NaN or an impossible debt) so that a block is left to the Go loop and its check;
// the towns, the counties' sums and the first error must be the same bits.
func TestTownsVecIsTheLoop(t *testing.T) {
	if !haveTownsVec {
		t.Skip("no AVX2 here: the vector town loop does not run")
	}
	defer func(v bool) { useTownsVec = v }(useTownsVec)
	cfg := small(24)
	cfg.World.Provinces[0].Counties, cfg.World.Provinces[0].Towns = 40, 346
	errs := 0
	for trial := range 60 {
		r := rand.New(rand.NewPCG(uint64(trial), 7))
		cfg.Debt.StopNewDebt = r.IntN(3) == 0
		cfg.Debt.RedStopsBorrowing = r.IntN(2) == 0
		cfg.Debt.Accountability = r.Float64()
		cfg.Debt.TownResolution = r.Float64() * 0.5
		cfg.Debt.VillageResolution = r.Float64() * 0.5
		cfg.Decision.Participation = r.Float64()
		var ms [2]*Model
		for v := range ms {
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			for range 2 + trial%5 {
				if err := m.Step(); err != nil {
					t.Fatal(err)
				}
			}
			ms[v] = m
		}
		for v, m := range ms {
			// Counties of 3 to 11 towns, so that every size of a county's last block is run,
			// and the last of 73, more than one chunk of townsVec's blocks.
			t0 := 0
			for i := range m.Counties {
				c := &m.Counties[i]
				n := 3 + i%9
				if i >= 36 {
					n = 7
				}
				if i == len(m.Counties)-1 {
					n = len(m.Towns) - t0
				}
				c.Towns = [2]int{t0, t0 + n}
				for j := t0; j < t0+n; j++ {
					m.Towns[j].County = i
				}
				t0 += n
			}
			if t0 != len(m.Towns) {
				t.Fatalf("%d towns in the counties, %d in the model", t0, len(m.Towns))
			}
			m.townSums()
			m.townNeeds()
			r := rand.New(rand.NewPCG(uint64(trial), 8))
			for i := range m.Counties {
				c := &m.Counties[i]
				c.TownTransfers = c.townOwed * (0.5 + r.Float64())
				c.Detection = r.Float64() * 0.1
				if trial%2 == 0 && r.IntN(10) == 0 {
					c.Detection = math.NaN() // NaN misuse: every town's service level NaN
				}
			}
			for i := range m.Towns {
				tw := &m.Towns[i]
				tw.CountyManaged = r.IntN(3) == 0
				tw.Warning, tw.VillageWarning = r.IntN(3), r.IntN(3)
				tw.Balance = []float64{0, r.Float64() * 0.01, r.Float64(), 1e-12}[r.IntN(4)]
				tw.Debt = []float64{0, r.Float64(), 10 * r.Float64()}[r.IntN(3)]
				tw.VillageDebt = []float64{0, r.Float64(), 5 * r.Float64()}[r.IntN(3)]
				tw.Service = 1.5 * r.Float64()
				switch r.IntN(150) + trial%2*1000 { // odd trials: no account broken
				case 0:
					tw.Debt = math.NaN()
				case 1:
					tw.Balance = math.Inf(1)
				case 2:
					tw.VillageDebt = math.NaN()
				case 3:
					tw.Balance = -1 // a negative balance
				}
			}
			useTownsVec = v == 0
			m.townsVecDone = 0
			m.townFinance()
		}
		a, b := ms[0], ms[1]
		if !bytes.Equal(townBytes(a.Towns), townBytes(b.Towns)) {
			for i := range a.Towns {
				if x, y := fmt.Sprintf("%#v", a.Towns[i]), fmt.Sprintf("%#v", b.Towns[i]); x != y {
					t.Fatalf("trial %d, town %d (county %d):\nvector %s\nloop   %s", trial, i, a.Towns[i].County, x, y)
				}
			}
			t.Fatalf("trial %d: the towns differ in bits", trial)
		}
		for i := range a.Counties {
			x, y := &a.Counties[i], &b.Counties[i]
			got := []float64{x.Disputes, x.townDebt, x.townLeak, x.townsRed, x.villagesRed, x.villageDebt, x.townService}
			want := []float64{y.Disputes, y.townDebt, y.townLeak, y.townsRed, y.villagesRed, y.villageDebt, y.townService}
			for k := range got {
				if math.Float64bits(got[k]) != math.Float64bits(want[k]) {
					t.Fatalf("trial %d, county %d, sum %d: vector %v, loop %v", trial, i, k, got[k], want[k])
				}
			}
		}
		if a.townErr != nil {
			errs++
		} else if a.townsVecDone != len(a.Towns) {
			// No account broken: the vector loop must have done every town itself.
			t.Fatalf("trial %d: townsVec did %d of %d towns with no account broken", trial, a.townsVecDone, len(a.Towns))
		}
		if fmt.Sprint(a.townErr) != fmt.Sprint(b.townErr) {
			t.Fatalf("trial %d: vector error %v, loop error %v", trial, a.townErr, b.townErr)
		}
	}
	if errs == 0 {
		t.Error("no account broken: the test does not reach the Go loop's checks")
	}
	t.Logf("%d of 60 trials with a broken account", errs)
}

// TestTownFieldsInGroups checks the layout townsVec writes by: four groups of four consecutive
// fields and one of two (towns_amd64.s, STORE4), in the order of its slots.
func TestTownFieldsInGroups(t *testing.T) {
	var tw Town
	groups := [][]uintptr{
		{unsafe.Offsetof(tw.Revenue), unsafe.Offsetof(tw.Mandates), unsafe.Offsetof(tw.Unfunded), unsafe.Offsetof(tw.Debt)},
		{unsafe.Offsetof(tw.Service), unsafe.Offsetof(tw.Disputes), unsafe.Offsetof(tw.Misused), unsafe.Offsetof(tw.VillageLeak)},
		{unsafe.Offsetof(tw.Balance), unsafe.Offsetof(tw.Borrowed), unsafe.Offsetof(tw.repaid), unsafe.Offsetof(tw.unpaidInterest)},
		{unsafe.Offsetof(tw.Warning), unsafe.Offsetof(tw.VillageWarning), unsafe.Offsetof(tw.VillageDebt), unsafe.Offsetof(tw.VillageBorrowed)},
		{unsafe.Offsetof(tw.VillageRepaid), unsafe.Offsetof(tw.VillageWorks)},
	}
	for g, offs := range groups {
		for k := 1; k < len(offs); k++ {
			if offs[k] != offs[0]+uintptr(8*k) {
				t.Errorf("group %d: field %d at %d, want %d (towns_amd64.s writes the fields of a group together)", g, k, offs[k], offs[0]+uintptr(8*k))
			}
		}
	}
}
