package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// benchExperiment writes an experiment of n runs of the given preset and horizon.
func benchExperiment(b *testing.B, n int, preset string, months int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench.yaml")
	exp := fmt.Sprintf(`name: bench
scenario: pmc-three-step
set: {preset: %s, months: %d}
factors:
  - {path: devolution.economic, min: 0, max: 1}
  - {path: approval.item_cut, min: 0, max: 0.6}
design: {type: lhs, samples: %d}
metrics: [approval_days, admin_cost_share, self_sufficiency, explicit_debt, hidden_debt, growth, theil_gdp_per_capita]
groups: [province, pilot, non-pilot]
`, preset, months, n)
	if err := os.WriteFile(path, []byte(exp), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

func sweepOnce(b *testing.B, exp string, jobs int) time.Duration {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "out")
	start := time.Now()
	code, _, e := runCLIb(b, "sweep", exp, "--out", dir, "-j", fmt.Sprint(jobs), "-q")
	if code != 0 {
		b.Fatalf("sweep failed (%d): %s", code, e)
	}
	return time.Since(start)
}

func runCLIb(b *testing.B, args ...string) (int, string, string) {
	var o, e strings.Builder
	code := mainErr(args, &o, &e)
	return code, o.String(), e.String()
}

// BenchmarkSweepHenan1000 times 1,000 runs of a Henan-size province over 20 years with one and
// two workers; compare runs/s between the sub-benchmarks for the speed-up.
func BenchmarkSweepHenan1000(b *testing.B) {
	exp := benchExperiment(b, 1000, "henan", 240)
	for _, j := range []int{1, 2} {
		b.Run(fmt.Sprintf("j%d", j), func(b *testing.B) {
			var total time.Duration
			for i := 0; i < b.N; i++ {
				total += sweepOnce(b, exp, j)
			}
			b.ReportMetric(1000*float64(b.N)/total.Seconds(), "runs/s")
		})
	}
}

// BenchmarkSweepMemory reports the peak heap of sweeps of 1,000 and 10,000 short runs of the
// teaching province: flat in the number of runs means results stream to disk.
func BenchmarkSweepMemory(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("runs%d", n), func(b *testing.B) {
			exp := benchExperiment(b, n, "teaching", 24)
			for i := 0; i < b.N; i++ {
				runtime.GC()
				stop := make(chan struct{})
				peak := make(chan uint64)
				go func() {
					var max uint64
					var ms runtime.MemStats
					t := time.NewTicker(20 * time.Millisecond)
					defer t.Stop()
					for {
						select {
						case <-stop:
							peak <- max
							return
						case <-t.C:
							runtime.ReadMemStats(&ms)
							if ms.HeapInuse > max {
								max = ms.HeapInuse
							}
						}
					}
				}()
				d := sweepOnce(b, exp, runtime.NumCPU())
				close(stop)
				b.ReportMetric(float64(<-peak)/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(n)/d.Seconds(), "runs/s")
			}
		})
	}
}

// BenchmarkRunCounterfactual times the national no-reform counterfactual of `run` with its
// track, run from the start against forked off the run at the pilots' first step (the fork,
// from a model already at that month, included): docs/BENCHMARKS.md, sixth round. Run it with
// -cpu 1 -benchtime 5x.
func BenchmarkRunCounterfactual(b *testing.B) {
	s, err := scenarios.Resolve("pmc-three-step")
	if err != nil {
		b.Fatal(err)
	}
	if err := scenarios.Set(s, "preset=national"); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	c, err := startCounterfactual(ctx, s, true)
	if err != nil {
		b.Fatal(err)
	}
	m, err := sim.New(s.Config)
	if err != nil {
		b.Fatal(err)
	}
	for m.Month() < c.at {
		if err := m.Step(); err != nil {
			b.Fatal(err)
		}
	}
	track, err := newProvinceTrack(m)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("from-start", func(b *testing.B) {
		for range b.N {
			if _, err := observe.RunWith(ctx, c.cfg, s.Config.Seed, c.opt, newProvinceTrack); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("forked", func(b *testing.B) {
		for range b.N {
			f, err := m.Fork(c.cfg, c.opt)
			if err != nil {
				b.Fatal(err)
			}
			t, err := track.Clone()
			if err != nil {
				b.Fatal(err)
			}
			if err := f.Run(t.Observe); err != nil {
				b.Fatal(err)
			}
		}
	})
}
