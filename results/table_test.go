package results

import (
	"bytes"
	"encoding/csv"
	"math"
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
