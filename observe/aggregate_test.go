package observe

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/countysim/countysim/sim"
)

// A hand-made table of 4 counties and 7 metrics, one of each aggregation kind plus the
// columns they read.
var (
	testDefs = []sim.MetricDef{
		{Name: "x", Agg: sim.Sum},
		{Name: "m", Agg: sim.Mean},
		{Name: "w", Agg: sim.Sum},
		{Name: "wm", Agg: sim.Weighted, Weight: "w"},
		{Name: "num", Agg: sim.Sum},
		{Name: "den", Agg: sim.Sum},
		{Name: "r", Agg: sim.Ratio, Num: "num", Den: "den", Scale: 100},
	}
	//                   x   m   w  wm num den  r (county value, ignored by Ratio)
	testRows = []float64{
		1, 10, 1, 10, 1, 4, 25,
		2, 20, 3, 20, 2, 0, 0,
		3, 30, 0, 99, 3, 6, 50,
		4, 40, 0, 50, 0, 0, 0,
	}
)

func TestAggregatorGroup(t *testing.T) {
	agg, err := NewAggregator(testDefs)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		members []int
		want    []float64 // x, m, w, wm, num, den, r
	}{
		{"all", []int{0, 1, 2, 3}, []float64{10, 25, 4, (10*1 + 20*3) / 4.0, 6, 10, 60}},
		{"one", []int{2}, []float64{3, 30, 0, 99, 3, 6, 50}},
		{"pair", []int{0, 1}, []float64{3, 15, 4, 17.5, 3, 4, 75}},
		// Zero total weight: the weighted mean falls back to the plain mean.
		{"zero weight", []int{2, 3}, []float64{7, 35, 0, 74.5, 3, 6, 50}},
		// Zero denominator: the ratio is 0, as the model's county ratios.
		{"zero denominator", []int{1, 3}, []float64{6, 30, 3, 20, 2, 0, 0}},
		{"order does not matter", []int{3, 1, 0, 2}, []float64{10, 25, 4, 17.5, 6, 10, 60}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := make([]float64, agg.Width())
			agg.Group(out, testRows, tc.members)
			for k, want := range tc.want {
				if math.Abs(out[k]-want) > 1e-12 {
					t.Errorf("%s (%v): got %v, want %v", testDefs[k].Name, testDefs[k].Agg, out[k], want)
				}
			}
		})
	}
}

func TestNewAggregatorRejectsUnknownNames(t *testing.T) {
	tests := []sim.MetricDef{
		{Name: "a", Agg: sim.Weighted, Weight: "nope"},
		{Name: "a", Agg: sim.Ratio, Num: "a", Den: "nope"},
		{Name: "a", Agg: sim.Ratio, Num: "nope", Den: "a"},
		{Name: "a", Agg: sim.Agg(99)},
	}
	for _, d := range tests {
		if _, err := NewAggregator([]sim.MetricDef{d}); err == nil {
			t.Errorf("%+v: no error", d)
		}
	}
	if _, err := NewAggregator(sim.Metrics[:]); err != nil {
		t.Errorf("the model's metrics: %v", err)
	}
}

// giniPairs is the O(n^2) definition, to check the Lorenz-curve algorithm against.
func giniPairs(y, w []float64) float64 {
	var W, mu, s float64
	for i := range y {
		W += w[i]
		mu += w[i] * y[i]
	}
	mu /= W
	for i := range y {
		for j := range y {
			s += w[i] / W * w[j] / W * math.Abs(y[i]-y[j])
		}
	}
	return s / (2 * mu)
}

func TestTheilGini(t *testing.T) {
	tests := []struct {
		name        string
		y, w        []float64
		theil, gini float64
	}{
		{"equal incomes", []float64{7, 7, 7, 7}, []float64{1, 2, 3, 4}, 0, 0},
		{"one county", []float64{5}, []float64{3}, 0, 0},
		{"two halves 1 and 3", []float64{1, 3}, []float64{5, 5},
			0.25*math.Log(0.5) + 0.75*math.Log(1.5), 0.25},
		{"scale invariant", []float64{1000, 3000}, []float64{1, 1},
			0.25*math.Log(0.5) + 0.75*math.Log(1.5), 0.25},
		// All income with one county of population share p: Theil ln(1/p), Gini 1-p.
		{"one holds all", []float64{0, 0, 9}, []float64{2, 1, 1}, math.Log(4), 0.75},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Theil(tc.y, tc.w); math.Abs(got-tc.theil) > 1e-12 {
				t.Errorf("Theil = %v, want %v", got, tc.theil)
			}
			if got := Gini(tc.y, tc.w); math.Abs(got-tc.gini) > 1e-12 {
				t.Errorf("Gini = %v, want %v", got, tc.gini)
			}
		})
	}
}

func TestGiniMatchesPairwiseDefinitionAndBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(30)
		y, w := make([]float64, n), make([]float64, n)
		minP, W := math.Inf(1), 0.0
		for i := range y {
			y[i] = math.Exp(2 * rng.NormFloat64())
			if rng.IntN(5) == 0 {
				y[i] = y[(i+1)%n] // ties
			}
			w[i] = 0.1 + rng.Float64()
			W += w[i]
			minP = math.Min(minP, w[i])
		}
		minP /= W
		g := Gini(y, w)
		if want := giniPairs(y, w); math.Abs(g-want) > 1e-12 {
			t.Fatalf("trial %d: Gini %v, pairwise definition %v", trial, g, want)
		}
		if g < 0 || g > 1-minP+1e-12 {
			t.Fatalf("trial %d: Gini %v outside [0, 1-min p = %v]", trial, g, 1-minP)
		}
		if th := Theil(y, w); th < 0 || th > math.Log(1/minP)+1e-12 {
			t.Fatalf("trial %d: Theil %v outside [0, ln(1/min p) = %v]", trial, th, math.Log(1/minP))
		}
	}
}

func TestInequalityUndefined(t *testing.T) {
	tests := []struct {
		name string
		y, w []float64
	}{
		{"empty", nil, nil},
		{"lengths differ", []float64{1, 2}, []float64{1}},
		{"negative income", []float64{-1, 2}, []float64{1, 1}},
		{"no weight", []float64{1, 2}, []float64{0, 0}},
		{"no income", []float64{0, 0}, []float64{1, 1}},
		{"NaN", []float64{math.NaN(), 2}, []float64{1, 1}},
	}
	for _, tc := range tests {
		if v := Theil(tc.y, tc.w); !math.IsNaN(v) {
			t.Errorf("%s: Theil = %v, want NaN", tc.name, v)
		}
		if v := Gini(tc.y, tc.w); !math.IsNaN(v) {
			t.Errorf("%s: Gini = %v, want NaN", tc.name, v)
		}
	}
}

// TestGroupSameBitsAsMetric checks that Group, which sums row by row, gives every metric the
// bits of Metric, which sums column by column, on the model's metric table with random
// values (a third of them zero, so that weights and denominators sum to zero in small groups)
// and random groups, empty and repeated members included.
func TestGroupSameBitsAsMetric(t *testing.T) {
	agg, err := NewAggregator(sim.Metrics[:])
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	const counties = 60
	values := make([]float64, counties*agg.Width())
	out := make([]float64, agg.Width())
	for trial := 0; trial < 200; trial++ {
		for i := range values {
			switch rng.IntN(3) {
			case 0:
				values[i] = 0
			case 1:
				values[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)-4))
			default:
				values[i] = rng.Float64() * 1e3
			}
		}
		members := []int{}
		for i := 0; i < counties; i++ {
			if rng.IntN(4) < trial%5 {
				members = append(members, i)
			}
		}
		if trial%7 == 0 && len(members) > 0 {
			members = append(members, members[0])
		}
		agg.Group(out, values, members)
		for k := range out {
			want := agg.Metric(k, values, members)
			if math.Float64bits(out[k]) != math.Float64bits(want) && !(math.IsNaN(out[k]) && math.IsNaN(want)) {
				t.Fatalf("trial %d, %s (%v), %d members: Group %v, Metric %v", trial, sim.Metrics[k].Name, sim.Metrics[k].Agg, len(members), out[k], want)
			}
		}
	}
}

// BenchmarkAggregatorGroup measures one group of 109 counties (a Henan province) over the
// model's metrics.
func BenchmarkAggregatorGroup(b *testing.B) {
	agg, err := NewAggregator(sim.Metrics[:])
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	values := make([]float64, 109*agg.Width())
	for i := range values {
		values[i] = rng.Float64()
	}
	members := make([]int, 109)
	for i := range members {
		members[i] = i
	}
	out := make([]float64, agg.Width())
	for b.Loop() {
		agg.Group(out, values, members)
	}
}

// TestTheilIsTheFormula: Theil, its logs taken four at a time, gives the bits of the formula
// summed member by member with math.Log, on incomes with zeros, zero weights and groups of
// every size up to 40 (so every length of a last block of four).
func TestTheilIsTheFormula(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var buf []float64
	for n := 1; n <= 40; n++ {
		for range 20 {
			y, w := make([]float64, n), make([]float64, n)
			for i := range y {
				y[i] = r.ExpFloat64() * 30000
				w[i] = r.Float64() * 1e6
				switch r.IntN(10) {
				case 0:
					y[i] = 0
				case 1:
					w[i] = 0
				}
			}
			W, mu, ok := popMean(y, w)
			want := math.NaN()
			if ok {
				want = 0
				for i, yi := range y {
					if yi > 0 && w[i] > 0 {
						q := yi / mu
						want += w[i] / W * q * math.Log(q)
					}
				}
				want = math.Max(want, 0)
			}
			var got float64
			got, buf = theilWith(y, w, buf)
			if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("n %d: Theil %v, the formula %v", n, got, want)
			}
			if g := Theil(y, w); math.Float64bits(g) != math.Float64bits(got) && !(math.IsNaN(g) && math.IsNaN(got)) {
				t.Fatalf("n %d: Theil %v without a buffer, %v with", n, g, got)
			}
		}
	}
}

// BenchmarkTheil measures Theil on a Henan-size group (109 counties) with its buffer, as a
// Track takes it every month for every group.
func BenchmarkTheil(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	y, w := make([]float64, 109), make([]float64, 109)
	for i := range y {
		y[i], w[i] = r.ExpFloat64()*30000, 1e5+r.Float64()*1e6
	}
	var buf []float64
	for b.Loop() {
		_, buf = theilWith(y, w, buf)
	}
}
