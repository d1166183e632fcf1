package results

import (
	"bytes"
	"encoding/csv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestCSVTableMatchesEncodingCSV checks that the allocation-free table writer writes the
// same bytes as encoding/csv with formatFloat, on fields that need quoting and on every kind
// of float, across the flush threshold.
func TestCSVTableMatchesEncodingCSV(t *testing.T) {
	cols := []column{{"name", colString}, {"n", colInt}, {"value", colFloat}, {"note, quoted", colString}}
	strs := []string{"", "plain", "a,b", `say "hi"`, "line\nbreak", "cr\rhere", " lead", "\tlead", `\.`, "\u00a0nbsp", "河南", "trail "}
	floats := []float64{0, math.Copysign(0, -1), 1, -1.5, 0.1, 1e-300, 1e21, 123456789.125, math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64, math.SmallestNonzeroFloat64}
	var got, want bytes.Buffer
	tab, err := newCSVTable(&got, "t.csv", cols)
	if err != nil {
		t.Fatal(err)
	}
	cw := csv.NewWriter(&want)
	if err := cw.Write(names(cols)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5000; i++ { // enough rows to cross csvFlushSize several times
		s, f := strs[i%len(strs)], floats[i%len(floats)]*float64(i%7+1)
		n := int64(i*7919) - 20000
		if err := tab.write([]cell{str(s), {typ: colInt, i: n}, float(f), str(strs[(i/3)%len(strs)])}); err != nil {
			t.Fatal(err)
		}
		if err := cw.Write([]string{s, strconv.FormatInt(n, 10), formatFloat(f), strs[(i/3)%len(strs)]}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tab.flush(); err != nil {
		t.Fatal(err)
	}
	cw.Flush()
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		g, w := got.String(), want.String()
		k := 0
		for k < len(g) && k < len(w) && g[k] == w[k] {
			k++
		}
		t.Fatalf("csvTable and encoding/csv differ at byte %d: got %q, want %q", k, g[k:min(k+60, len(g))], w[k:min(k+60, len(w))])
	}
	if !strings.Contains(want.String(), `"say ""hi"""`) {
		t.Fatal("sample has no quoted field: the test proves nothing")
	}
}

// TestCSVTableRejectsBadRows checks that a row that does not fit the schema is refused and
// leaves nothing half-written.
func TestCSVTableRejectsBadRows(t *testing.T) {
	var b bytes.Buffer
	tab, _ := newCSVTable(&b, "t.csv", []column{{"a", colInt}, {"b", colFloat}})
	if err := tab.write([]cell{integer(1)}); err == nil || !strings.Contains(err.Error(), "row of 1 values for 2 columns") {
		t.Fatalf("short row: got %v", err)
	}
	if err := tab.write([]cell{integer(1), str("x")}); err == nil || !strings.Contains(err.Error(), "column b: value of the wrong type") {
		t.Fatalf("wrong type: got %v", err)
	}
	if err := tab.write([]cell{integer(2), float(0.5)}); err != nil {
		t.Fatal(err)
	}
	tab.flush()
	if b.String() != "a,b\n2,0.5\n" {
		t.Fatalf("got %q", b.String())
	}
}

// BenchmarkCSVTableWrite measures one series.csv row.
func BenchmarkCSVTableWrite(b *testing.B) {
	var sink bytes.Buffer
	tab, _ := newCSVTable(&sink, "series.csv", []column{{"month", colInt}, {"year", colInt}, {"group", colString}, {"metric", colString}, {"value", colFloat}})
	row := []cell{integer(17), integer(2006), str("prefecture:Zhengzhou"), str("approval_days"), float(101.23456789)}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		row[4].f = float64(i) * 1.000123
		if err := tab.write(row); err != nil {
			b.Fatal(err)
		}
		if sink.Len() > 1<<20 {
			sink.Reset()
		}
	}
}

// TestAppendShortest compares appendShortest, and appendFloat's integer path, with
// strconv's shortest 'g' on random bit patterns (every exponent, subnormals included), on
// random values of every decimal exponent from -7 to 8 (across both limits of the 'f'
// form), on integers, and on the values next to the limits.
func TestAppendShortest(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	check := func(v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) || v == 0 {
			return
		}
		want := strconv.AppendFloat([]byte("x"), v, 'g', -1, 64)
		if got := appendShortest([]byte("x"), math.Float64bits(v)); !bytes.Equal(got, want) {
			t.Fatalf("appendShortest(%b): got %q, want %q", v, got, want)
		}
		if got := appendFloat([]byte("x"), v); !bytes.Equal(got, want) {
			t.Fatalf("appendFloat(%b): got %q, want %q", v, got, want)
		}
	}
	for i := 0; i < 100000; i++ {
		check(math.Float64frombits(rng.Uint64()))
		e := rng.IntN(16) - 7
		check((rng.Float64() - 0.5) * math.Pow(10, float64(e)))
		check(float64(rng.IntN(4e6) - 2e6))
		check(math.Round(rng.Float64()*1e4) / math.Pow(10, float64(rng.IntN(8)))) // few digits
	}
	for e := -1074; e <= 1023; e++ { // powers of two (Dragonbox's own branch) and neighbours
		p := math.Ldexp(1, e)
		check(p)
		check(math.Nextafter(p, 0))
		check(math.Nextafter(p, math.Inf(1)))
	}
	for _, edge := range []float64{1e-5, 1e-4, 1e-3, 0.1, 1, 10, 1e5, 999999, 999999.5, 1e6, 1e7, 1e21, 123456789,
		math.MaxFloat64, math.SmallestNonzeroFloat64, 2.2250738585072014e-308, 0.30000000000000004, 5e-324} {
		for _, v := range []float64{edge, math.Nextafter(edge, 0), math.Nextafter(edge, math.Inf(1))} {
			check(v)
			check(-v)
		}
	}
}

// BenchmarkAppendFloat measures appendFloat on values as series.csv holds them (mostly 16
// or 17 significant digits, a few integers), against strconv's 'g', which writes the same.
func BenchmarkAppendFloat(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	vs := make([]float64, 1024)
	for i := range vs {
		vs[i] = rng.ExpFloat64() * math.Pow(10, float64(rng.IntN(9)-3))
		if i%10 == 0 {
			vs[i] = math.Round(vs[i])
		}
	}
	buf := make([]byte, 0, 64)
	b.Run("appendFloat", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			buf = appendFloat(buf[:0], vs[i%len(vs)])
		}
	})
	b.Run("strconv-g", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			buf = strconv.AppendFloat(buf[:0], vs[i%len(vs)], 'g', -1, 64)
		}
	})
}

// TestPow10Tab checks entries of the computed table against Go's internal/strconv/pow10tab.go.
func TestPow10Tab(t *testing.T) {
	pow10Once.Do(makePow10Tab)
	for e, want := range map[int]u128{
		-348: {0xfa8fd5a0081c0288, 0x1732c869cd60e453},
		-1:   {0xcccccccccccccccc, 0xcccccccccccccccc},
		0:    {0x8000000000000000, 0},
		22:   {0x878678326eac9000, 0},
		23:   {0xa968163f0a57b400, 0},
		347:  {0xd13eb46469447567, 0x4b7195f2d2d1a9fb},
	} {
		if got := pow10Tab[e-pow10Min]; got != want {
			t.Errorf("10^%d: got %#x, want %#x", e, got, want)
		}
	}
}
