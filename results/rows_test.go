package results

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"testing"

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

// rowValues are values the streamed rows must format exactly as formatFloat: repeats (the
// float slots' cache), zero and negative zero one after the other (the same text, other
// bits), NaN, infinities, integers on both sides of the 1e6 limit of 'g', extremes.
var rowValues = []float64{
	0, math.Copysign(0, -1), 0, 1.5, 1.5, 1.5, -2, 999999, 1e6, 123456.5, 1e21, 1e-5, 0.0001,
	math.NaN(), math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64, -math.SmallestNonzeroFloat64,
	-2.2250738585072014e-308, 0.1 + 0.2, 44.557639797687926, 44.557639797687926, 1.0 / 3,
}

// TestStreamedRowsMatchEncodingCSV checks that series.csv and counties.csv rows, written from
// parts formatted once and from the float slots, are the bytes encoding/csv writes for the
// same fields (as csvTable.write wrote them before), with names that need quoting, over many
// months so that every slot sees new, repeated and special values.
func TestStreamedRowsMatchEncodingCSV(t *testing.T) {
	tricky := []string{"province", `pre,f "x"`, " lead", "河南", `\.`, "", "a\nb"}
	for _, panel := range []string{"yearly", "monthly"} {
		var got, gotC, want, wantC bytes.Buffer
		r := &Recorder{opts: Options{Panel: panel}}
		for _, n := range tricky {
			r.groups = append(r.groups, observe.Group{Name: n})
			r.defs = append(r.defs, sim.MetricDef{Name: n + "_m"})
		}
		for i, n := range tricky {
			r.info = append(r.info, countyInfo{id: i + 1, name: n, code: tricky[(i+1)%len(tricky)], province: tricky[(i+2)%len(tricky)],
				prefID: i * 3, pref: tricky[(i+3)%len(tricky)], prefCode: tricky[(i+4)%len(tricky)], pilot: i % 2,
				cohort: tricky[(i+5)%len(tricky)], tercile: i%3 + 1})
		}
		gv := make([]float64, len(r.defs))
		r.panel = []int{0, 3, sim.MStep + 1, sim.NumMetrics - 1}
		var err error
		seriesCols := []column{{"month", colInt}, {"year", colInt}, {"group", colString}, {"metric", colString}, {"value", colFloat}}
		if r.series, err = newCSVTable(&got, SeriesFile, seriesCols); err != nil {
			t.Fatal(err)
		}
		countyCols := r.idColumns()
		for _, k := range r.panel {
			countyCols = append(countyCols, column{sim.Metrics[k].Name, colFloat})
		}
		if r.counties, err = newCSVTable(&gotC, CountiesFile, countyCols); err != nil {
			t.Fatal(err)
		}
		r.formatFixedParts()
		cw, cwC := csv.NewWriter(&want), csv.NewWriter(&wantC)
		cw.Write(names(seriesCols))
		cwC.Write(names(countyCols))
		values := make([]float64, len(r.info)*sim.NumMetrics)
		next := 0
		val := func() float64 { next++; return rowValues[(next*7/3)%len(rowValues)] * float64(next%3+1) }
		for month := 1; month <= 40; month++ {
			year := 2005 + (month-1)/12
			for g, grp := range r.groups {
				for k := range gv {
					gv[k] = val()
					cw.Write([]string{strconv.Itoa(month), strconv.Itoa(year), grp.Name, r.defs[k].Name, formatFloat(gv[k])})
				}
				if err := r.writeSeries(g, gv, month, year); err != nil {
					t.Fatal(err)
				}
			}
			for i := range values {
				values[i] = val()
			}
			for i, ci := range r.info {
				v := values[i*sim.NumMetrics:]
				v[sim.MStep] = float64((month + i) % 4)
				row := []string{strconv.Itoa(ci.id), ci.name, ci.code, ci.province, strconv.Itoa(ci.prefID), ci.pref, ci.prefCode,
					strconv.Itoa(ci.pilot), ci.cohort, strconv.Itoa(ci.tercile), strconv.Itoa(year)}
				if panel == "monthly" {
					row = append(row, strconv.Itoa(month))
				}
				row = append(row, strconv.Itoa(int(v[sim.MStep])))
				for _, k := range r.panel {
					row = append(row, formatFloat(v[k]))
				}
				cwC.Write(row)
			}
			if err := r.writeCounties(values, year, month); err != nil {
				t.Fatal(err)
			}
		}
		if err := r.series.flush(); err != nil {
			t.Fatal(err)
		}
		if err := r.counties.flush(); err != nil {
			t.Fatal(err)
		}
		cw.Flush()
		cwC.Flush()
		sameBytes(t, panel+" series.csv", got.Bytes(), want.Bytes())
		sameBytes(t, panel+" counties.csv", gotC.Bytes(), wantC.Bytes())
		if !bytes.Contains(want.Bytes(), []byte(`"pre,f ""x""_m"`)) || !bytes.Contains(wantC.Bytes(), []byte(`,"a`+"\n"+`b",`)) {
			t.Fatal("no quoted field in the sample: the test proves nothing")
		}
	}
}

// sameBytes fails with the first difference between got and want.
func sameBytes(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	k := 0
	for k < len(got) && k < len(want) && got[k] == want[k] {
		k++
	}
	t.Fatalf("%s differs from encoding/csv at byte %d: got %q, want %q", what, k, got[k:min(k+60, len(got))], want[k:min(k+60, len(want))])
}

// TestFloatSlotFormatsEveryValue checks the float slots against formatFloat, value after
// value in one slot: a repeat reuses the text, any other value (even of the same text, as
// -0 after 0) is formatted.
func TestFloatSlotFormatsEveryValue(t *testing.T) {
	s := newFloatSlots(1)
	for i := 0; i < 3*len(rowValues); i++ {
		v := rowValues[(i*i)%len(rowValues)]
		if got := string(appendFloatSlot([]byte("x"), v, &s[0])); got != "x"+formatFloat(v) {
			t.Fatalf("value %d (%v): got %q, want %q", i, v, got, "x"+formatFloat(v))
		}
	}
}

// BenchmarkSeriesRows measures writing one group's month of series.csv (every metric) with
// the values of the province in a run, half of them repeating last month's.
func BenchmarkSeriesRows(b *testing.B) {
	r := &Recorder{groups: []observe.Group{{Name: "province"}}}
	r.defs = append(r.defs, sim.Metrics[:]...)
	r.defs = append(r.defs, observe.GroupMetrics...)
	gv := make([]float64, len(r.defs))
	var sink bytes.Buffer
	r.series, _ = newCSVTable(&sink, SeriesFile, []column{{"month", colInt}, {"year", colInt}, {"group", colString}, {"metric", colString}, {"value", colFloat}})
	r.formatFixedParts()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for k := range gv {
			if k%2 == 0 {
				gv[k] = float64(i) * 1.000123 * float64(k+1)
			}
		}
		if err := r.writeSeries(0, gv, i%240+1, 2005+i%240/12); err != nil {
			b.Fatal(err)
		}
		if sink.Len() > 1<<20 {
			sink.Reset()
		}
	}
}

// BenchmarkAccumulate measures adding one month of a Henan-size province (109 counties) to
// the yearly county panel.
func BenchmarkAccumulate(b *testing.B) {
	r := &Recorder{info: make([]countyInfo, 109)}
	for k, d := range sim.Metrics {
		if d.Kind == sim.Stock {
			r.stocks = append(r.stocks, k)
		}
	}
	r.acc = make([]float64, len(r.info)*sim.NumMetrics)
	values := make([]float64, len(r.info)*sim.NumMetrics)
	for i := range values {
		values[i] = float64(i%97) * 0.37
	}
	for b.Loop() {
		if err := r.accumulate(values, 2005, 1); err != nil { // month 1: no year written
			b.Fatal(err)
		}
	}
}
