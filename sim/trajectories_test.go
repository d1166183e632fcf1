package sim_test

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// goldenTrajectories is the SHA-256 of every built-in scenario's whole run at seeds 1 and 7:
// every county's metric values every month and the saved state at the end with every output,
// and the values of a model built as a batch builds it (a few metrics, sim.Options). The
// golden hashes of sim and cmd/countysim cover the default run and short runs of a few
// commands; this covers every mechanism a built-in scenario switches on, over its whole
// horizon, so a change meant to keep every bit (a speed-up) is checked against all of them.
// It changes only with an intended model change; update it then and say why in the commit
// (COUNTYSIM_GOLDEN=print go test -run TestGoldenTrajectories ./sim prints the hash).
const goldenTrajectories = "80a4e93e4bae85eb2a74b5d7fc4de8fd991e1539a1acec07ed204e981c486aea"

// batchMetrics are the metrics of a batch's model in TestGoldenTrajectories (those
// bench-henan-1000.yaml reports, and what its groups' indices read).
var batchMetrics = []string{"approval_days", "admin_cost_share", "self_sufficiency", "explicit_debt", "hidden_debt", "growth", "gdp_per_capita", "gdp", "population"}

func TestGoldenTrajectories(t *testing.T) {
	if testing.Short() {
		t.Skip("every built-in scenario over its horizon")
	}
	var few []int
	for _, n := range batchMetrics {
		k := sim.MetricIndex(n)
		if k < 0 {
			t.Fatalf("no metric %q", n)
		}
		few = append(few, k)
	}
	all := sha256.New()
	for _, name := range scenarios.Builtins() {
		s, err := scenarios.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, seed := range []uint64{1, 7} {
			for _, opt := range []sim.Options{{}, {Metrics: few}} {
				cfg := s.Config
				cfg.Seed = seed
				m, err := sim.NewWith(cfg, opt)
				if err != nil {
					t.Fatalf("%s, seed %d: %v", name, seed, err)
				}
				h := sha256.New()
				var b [8]byte
				if err := m.Run(func(m *sim.Model) error {
					for _, v := range m.Values() {
						binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
						h.Write(b[:])
					}
					return nil
				}); err != nil {
					t.Fatalf("%s, seed %d: %v", name, seed, err)
				}
				if opt.Metrics == nil {
					st, err := m.MarshalState()
					if err != nil {
						t.Fatalf("%s, seed %d: %v", name, seed, err)
					}
					h.Write(st)
				}
				all.Write(h.Sum(nil))
			}
		}
	}
	got := hex.EncodeToString(all.Sum(nil))
	if os.Getenv("COUNTYSIM_GOLDEN") == "print" {
		fmt.Printf("goldenTrajectories = %q\n", got)
	}
	if got != goldenTrajectories {
		t.Fatalf("built-in scenarios' trajectories hash %s, want %s: the model's output changed (if intended, update goldenTrajectories and say why in the commit)", got, goldenTrajectories)
	}
}
