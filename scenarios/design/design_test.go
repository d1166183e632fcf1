package design

import (
	"math"
	"reflect"
	"sort"
	"testing"
)

func testFactors() []Factor {
	return []Factor{
		Continuous("x1", -1, 3),
		{Name: "x2", Levels: []float64{10, 20, 30}, Min: 0, Max: 1},
		Categorical("x3", 4),
	}
}

func TestGridSizeAndOrder(t *testing.T) {
	fs := testFactors()
	g := Grid(fs)
	if len(g) != 2*3*4 {
		t.Fatalf("grid has %d rows, want 24", len(g))
	}
	// first factor slowest, last fastest
	want := [][]float64{{-1, 10, 0}, {-1, 10, 1}, {-1, 10, 2}, {-1, 10, 3}, {-1, 20, 0}}
	if !reflect.DeepEqual(g[:5], want) {
		t.Fatalf("first rows %v, want %v", g[:5], want)
	}
	if !reflect.DeepEqual(g[23], []float64{3, 30, 3}) {
		t.Fatalf("last row %v", g[23])
	}
	for r, row := range g {
		idx := []int{r / 12, (r / 4) % 3, r % 4}
		for i, f := range fs {
			if row[i] != f.Levels[idx[i]] {
				t.Fatalf("row %d factor %d = %v, want level %d", r, i, row[i], idx[i])
			}
		}
	}
	if Grid(nil) != nil {
		t.Fatal("Grid(nil) should be nil")
	}
}

func TestCategory(t *testing.T) {
	f := Categorical("c", 3)
	for x, want := range map[float64]int{0: 0, 0.99: 0, 1: 1, 2.5: 2, 3: 2, -1: 0} {
		if got := f.Category(x); got != want {
			t.Errorf("Category(%v) = %d, want %d", x, got, want)
		}
	}
}

func TestLatinHypercubeStrata(t *testing.T) {
	fs := testFactors()
	const n = 50
	x := LatinHypercube(fs, n, 7)
	if len(x) != n {
		t.Fatalf("%d rows", len(x))
	}
	for j, f := range fs {
		seen := make([]int, n)
		for i := range x {
			u := (x[i][j] - f.Min) / (f.Max - f.Min)
			if u < 0 || u >= 1 {
				t.Fatalf("factor %d row %d: %v out of [%v,%v)", j, i, x[i][j], f.Min, f.Max)
			}
			seen[int(u*n)]++
		}
		for s, c := range seen {
			if c != 1 {
				t.Fatalf("factor %d stratum %d has %d points", j, s, c)
			}
		}
	}
}

func TestSobolPointsKnown(t *testing.T) {
	// First points of the 3-d Joe-Kuo Sobol' sequence.
	want := [][]float64{
		{0, 0, 0}, {0.5, 0.5, 0.5}, {0.75, 0.25, 0.25}, {0.25, 0.75, 0.75},
		{0.375, 0.375, 0.625}, {0.875, 0.875, 0.125}, {0.625, 0.125, 0.875},
		{0.125, 0.625, 0.375}, {0.1875, 0.3125, 0.9375}, {0.6875, 0.8125, 0.4375},
	}
	if got := SobolPoints(10, 3, 0); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
	// skip jumps straight into the sequence
	if got := SobolPoints(4, 3, 6); !reflect.DeepEqual(got, want[6:10]) {
		t.Fatalf("skip: got %v", got)
	}
}

func TestSobolTable(t *testing.T) {
	if MaxSobolDim != len(joeKuo)+1 {
		t.Fatalf("MaxSobolDim %d != %d", MaxSobolDim, len(joeKuo)+1)
	}
	for i, row := range joeKuo {
		if int(row.s) != len(row.m) || row.a >= 1<<(row.s-1) && row.s > 1 {
			t.Errorf("d=%d: bad s/a/m %v", i+2, row)
		}
		for l, m := range row.m {
			if m%2 == 0 || m >= 1<<(l+1) {
				t.Errorf("d=%d: m_%d = %d not odd or >= 2^%d", i+2, l+1, m, l+1)
			}
		}
	}
}

func TestSobolStratification(t *testing.T) {
	// Each 1-d projection of the first 2^m points hits every dyadic
	// interval of length 2^-m once.
	const m = 10
	pts := SobolPoints(1<<m, MaxSobolDim, 0)
	for d := 0; d < MaxSobolDim; d++ {
		seen := make([]bool, 1<<m)
		for _, p := range pts {
			c := int(p[d] * (1 << m))
			if seen[c] {
				t.Fatalf("dim %d: interval %d hit twice", d+1, c)
			}
			seen[c] = true
		}
	}
	// Dimensions 1 and 2 form a (0,m,2)-net: every elementary box of area
	// 2^-m holds exactly one point.
	for a := 0; a <= m; a++ {
		cnt := map[[2]int]int{}
		for _, p := range pts {
			cnt[[2]int{int(p[0] * float64(int(1)<<a)), int(p[1] * float64(int(1)<<(m-a)))}]++
		}
		if len(cnt) != 1<<m {
			t.Fatalf("dims 1,2 not a (0,%d,2)-net for split %d", m, a)
		}
	}
}

func TestSaltelliStructure(t *testing.T) {
	fs := testFactors()
	k := len(fs)
	for _, second := range []bool{false, true} {
		const n = 64
		pts, l := Saltelli(fs, n, 3, second)
		want := n * (k + 2)
		if second {
			want = n * (2*k + 2)
		}
		if len(pts) != want || l.Total() != want || l.N != n || l.K != k {
			t.Fatalf("second=%v: %d points, layout %+v", second, len(pts), l)
		}
		for j := 0; j < n; j++ {
			a, b := pts[l.A(j)], pts[l.B(j)]
			for c, f := range fs {
				if a[c] < f.Min || a[c] > f.Max || b[c] < f.Min || b[c] > f.Max {
					t.Fatalf("row %d out of bounds: %v %v", j, a, b)
				}
			}
			for i := 0; i < k; i++ {
				ab := pts[l.AB(i, j)]
				for c := 0; c < k; c++ {
					w := a[c]
					if c == i {
						w = b[c]
					}
					if ab[c] != w {
						t.Fatalf("AB(%d) row %d col %d = %v, want %v", i, j, c, ab[c], w)
					}
				}
				if second {
					ba := pts[l.BA(i, j)]
					for c := 0; c < k; c++ {
						w := b[c]
						if c == i {
							w = a[c]
						}
						if ba[c] != w {
							t.Fatalf("BA(%d) row %d col %d = %v, want %v", i, j, c, ba[c], w)
						}
					}
				}
			}
		}
	}
}

func TestSaltelliIsShiftedSobol(t *testing.T) {
	// With a power-of-two n (points 0..n-1, the origin included) each column of A and of B
	// is stratified: one point in every interval of width 1/n (the digital shift preserves
	// nets).
	fs := []Factor{Continuous("a", 0, 1), Continuous("b", 0, 1)}
	const m = 8
	pts, l := Saltelli(fs, 1<<m, 11, false)
	for c := 0; c < 2; c++ {
		hits := make(map[int]int)
		for j := 0; j < l.N; j++ {
			hits[int(pts[l.A(j)][c]*(1<<m))]++
			hits[int(pts[l.B(j)][c]*(1<<m))+1<<m]++
		}
		if len(hits) != 2*(1<<m) {
			t.Fatalf("column %d poorly stratified: %d distinct intervals of %d", c, len(hits), 2*(1<<m))
		}
	}
}

func TestMorrisTrajectories(t *testing.T) {
	fs := testFactors()
	k := len(fs)
	for _, p := range []int{2, 4, 6} {
		d := Morris(fs, 20, p, 5)
		if len(d.Points) != 20*(k+1) || d.K != k || d.R != 20 {
			t.Fatalf("p=%d: %d points", p, len(d.Points))
		}
		delta := float64(p) / float64(2*(p-1))
		if d.DeltaUnit != delta {
			t.Fatalf("DeltaUnit %v want %v", d.DeltaUnit, delta)
		}
		for tr := 0; tr < d.R; tr++ {
			order := append([]int(nil), d.Factor[tr]...)
			sort.Ints(order)
			for i := range order {
				if order[i] != i {
					t.Fatalf("trajectory %d does not change every factor once: %v", tr, d.Factor[tr])
				}
			}
			for s := 0; s <= k; s++ {
				for i, f := range fs {
					x := d.Points[d.Row(tr, s)][i]
					if x < f.Min || x > f.Max {
						t.Fatalf("out of bounds: %v", x)
					}
					u := (x - f.Min) / (f.Max - f.Min) * float64(p-1)
					if math.Abs(u-math.Round(u)) > 1e-9 {
						t.Fatalf("off grid: %v", x)
					}
				}
			}
			for s := 0; s < k; s++ {
				a, b := d.Points[d.Row(tr, s)], d.Points[d.Row(tr, s+1)]
				i := d.Factor[tr][s]
				for c := range a {
					diff := b[c] - a[c]
					if c != i && diff != 0 {
						t.Fatalf("step changes factor %d besides %d", c, i)
					}
					if c == i {
						want := delta * (fs[i].Max - fs[i].Min)
						if math.Abs(math.Abs(diff)-want) > 1e-12 || math.Abs(diff-d.Delta[tr][s]) > 1e-12 {
							t.Fatalf("factor %d moved %v, recorded %v, |delta| %v", i, diff, d.Delta[tr][s], want)
						}
					}
				}
			}
		}
	}
}

func TestDeterminism(t *testing.T) {
	fs := testFactors()
	if !reflect.DeepEqual(LatinHypercube(fs, 20, 1), LatinHypercube(fs, 20, 1)) {
		t.Error("LHS not deterministic")
	}
	if reflect.DeepEqual(LatinHypercube(fs, 20, 1), LatinHypercube(fs, 20, 2)) {
		t.Error("LHS ignores seed")
	}
	s1, _ := Saltelli(fs, 16, 1, true)
	s1b, _ := Saltelli(fs, 16, 1, true)
	s2, _ := Saltelli(fs, 16, 2, true)
	if !reflect.DeepEqual(s1, s1b) {
		t.Error("Saltelli not deterministic")
	}
	if reflect.DeepEqual(s1, s2) {
		t.Error("Saltelli ignores seed")
	}
	if !reflect.DeepEqual(Morris(fs, 5, 4, 1), Morris(fs, 5, 4, 1)) {
		t.Error("Morris not deterministic")
	}
	if reflect.DeepEqual(Morris(fs, 5, 4, 1).Points, Morris(fs, 5, 4, 2).Points) {
		t.Error("Morris ignores seed")
	}
}

func TestPanics(t *testing.T) {
	bad := []Factor{{Name: "b", Min: 1, Max: 0}}
	for name, f := range map[string]func(){
		"grid no levels":   func() { Grid([]Factor{{Name: "e"}}) },
		"lhs bounds":       func() { LatinHypercube(bad, 3, 1) },
		"saltelli n":       func() { Saltelli(testFactors(), 0, 1, false) },
		"saltelli k":       func() { Saltelli(make([]Factor, MaxSobolDim), 4, 1, false) },
		"morris odd p":     func() { Morris(testFactors(), 2, 3, 1) },
		"morris zero span": func() { Morris([]Factor{{Name: "z", Min: 1, Max: 1}}, 2, 4, 1) },
		"BA first order":   func() { SaltelliLayout{N: 1, K: 1}.BA(0, 0) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// primitive reports whether the degree-s polynomial over GF(2) with bit
// pattern poly (bit s and bit 0 set) is primitive: x has order 2^s - 1.
func primitive(poly uint32, s int) bool {
	order := uint32(1)<<s - 1
	x := uint32(1)
	for e := uint32(1); e <= order; e++ {
		x <<= 1
		if x&(1<<s) != 0 {
			x ^= poly
		}
		if x == 1 {
			return e == order
		}
	}
	return false
}

func TestSobolTablePolynomials(t *testing.T) {
	// Joe & Kuo list the primitive polynomials in order of degree, then of
	// a; regenerate that list and compare (catches transcription errors).
	var want [][2]uint32
	for s := 1; len(want) < len(joeKuo); s++ {
		for a := uint32(0); a < 1<<(s-1) && len(want) < len(joeKuo); a++ {
			poly := uint32(1)<<s | a<<1 | 1
			if primitive(poly, s) {
				want = append(want, [2]uint32{uint32(s), a})
			}
		}
	}
	for i, row := range joeKuo {
		if row.s != want[i][0] || row.a != want[i][1] {
			t.Fatalf("d=%d: (s,a) = (%d,%d), want (%d,%d)", i+2, row.s, row.a, want[i][0], want[i][1])
		}
	}
}

// TestSaltelliBaseIsANet: A's first two columns (the Sobol' sequence's first two dimensions,
// a (0,2)-sequence, digitally shifted) put exactly one of n = 2^m base points in every
// elementary box of area 1/n. Dropping the sequence's first point, as the design did, broke
// this and doubled the indices' error (Owen 2020).
func TestSaltelliBaseIsANet(t *testing.T) {
	const m = 6
	n := 1 << m
	fs := []Factor{Continuous("a", 0, 1), Continuous("b", 0, 1)}
	for _, seed := range []uint64{1, 2, 3} {
		pts, lay := Saltelli(fs, n, seed, false)
		for p := 0; p <= m; p++ {
			q := m - p
			seen := make(map[[2]int]int)
			for j := 0; j < n; j++ {
				x := pts[lay.A(j)]
				seen[[2]int{int(x[0] * float64(int(1)<<p)), int(x[1] * float64(int(1)<<q))}]++
			}
			if len(seen) != n {
				t.Errorf("seed %d, boxes 2^-%d x 2^-%d: %d of %d boxes hold a point", seed, p, q, len(seen), n)
			}
		}
	}
}
