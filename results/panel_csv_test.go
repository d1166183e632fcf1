package results

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/countysim/countysim/internal/testkit"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

// runTiny runs cfg into a panel with treatment step step, recording the months alongside.
func runTiny(t *testing.T, cfg sim.Config, step int) (*observe.Panel, *testkit.Months) {
	return testkit.RunWith(t, cfg, func(m *sim.Model) (*observe.Panel, error) { return observe.NewPanel(m, step) })
}

func TestPanelCSVReadsBack(t *testing.T) {
	a, _ := runTiny(t, testkit.Pilot(1), 1)
	b, _ := runTiny(t, testkit.Pilot(2), 1)
	var buf bytes.Buffer
	if err := WritePanelCSV(&buf, []*observe.Panel{a, b}, []uint64{11, 1 << 63}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"replication", "seed", "county_id", "county", "county_code", "prefecture_id", "prefecture", "prefecture_code", "province", "year",
		"pilot", "cohort", "tercile", "iq_tercile", "strength", "iq", "pmc_step", "treated", "first_treated_year",
		"years_since_treatment", "growth", "gdp_per_capita", "population", "own_revenue", "local_revenue",
		"transfers_received", "transfers_kept", "spend_wages", "spend_operations", "spend_livelihood",
		"spend_production", "spend_debt_service", "misused_funds", "explicit_debt", "hidden_debt", "approval_days",
		"investment_days", "market_entry_days", "counties_red", "wage_arrears", "counties_with_arrears",
		"arrears_months", "arrears_covered_months"}
	if !slices.Equal(recs[0], want) {
		t.Fatalf("header\n got %v\nwant %v", recs[0], want)
	}
	if len(recs) != 1+2*24*7 {
		t.Fatalf("%d rows, want %d (2 replications x 24 counties x 7 years)", len(recs)-1, 2*24*7)
	}
	idx := func(name string) int { return slices.Index(want, name) }
	never := 0
	for _, r := range recs[1:] {
		first, since, treated := r[idx("first_treated_year")], r[idx("years_since_treatment")], r[idx("treated")]
		year, _ := strconv.Atoi(r[idx("year")])
		if first == "" {
			never++
			if since != "" || treated != "0" || r[idx("pilot")] != "0" {
				t.Fatalf("never treated but years_since_treatment %q, treated %q, pilot %q", since, treated, r[idx("pilot")])
			}
		} else {
			f, _ := strconv.Atoi(first)
			s, _ := strconv.Atoi(since)
			step, _ := strconv.Atoi(r[idx("pmc_step")])
			if s != year-f || (treated == "1") != (year >= f) || (treated == "1") != (step >= 1) {
				t.Fatalf("year %d first %d since %d treated %s step %d", year, f, s, treated, step)
			}
		}
		for _, c := range want[idx("growth"):] {
			if _, err := strconv.ParseFloat(r[idx(c)], 64); err != nil {
				t.Fatalf("column %s: %q is not a number", c, r[idx(c)])
			}
		}
	}
	if never != 2*12*7 {
		t.Errorf("%d never-treated rows, want %d", never, 2*12*7)
	}
	if recs[1][1] != "11" || recs[len(recs)-1][1] != "9223372036854775808" || recs[len(recs)-1][0] != "1" {
		t.Errorf("replication and seed columns: %v ... %v", recs[1][:2], recs[len(recs)-1][:2])
	}

	// One panel, no seeds: no replication columns.
	buf.Reset()
	if err := WritePanelCSV(&buf, []*observe.Panel{a}, nil); err != nil {
		t.Fatal(err)
	}
	one, _ := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if !slices.Equal(one[0], want[2:]) || len(one) != 1+24*7 {
		t.Errorf("single panel: header %v, %d rows", one[0][:3], len(one)-1)
	}

	// The Parquet copy types whole numbers as int64 and measurements as double.
	dir := t.TempDir()
	src, dst := filepath.Join(dir, PanelFile), filepath.Join(dir, PanelParquetFile)
	if err := os.WriteFile(src, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CSVToParquet(src, dst, PanelParquetTypes()); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Year  *int64   `parquet:"year"`
		First *int64   `parquet:"first_treated_year"`
		G     *float64 `parquet:"growth"`
		Name  *string  `parquet:"county"`
	}
	rows, err := parquet.ReadFile[row](dst)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 24*7 || *rows[0].Year != int64(a.StartYear) || rows[0].G == nil || *rows[0].Name != a.Counties[0].Name {
		t.Fatalf("parquet rows %d, first %+v", len(rows), rows[0])
	}
	// pilot and treated are real booleans in Parquet (0/1 in the CSV), the step is pmc_step
	// as in counties.csv, and the seed a string.
	if err := CSVToParquet(src, dst, PanelParquetTypes()); err != nil {
		t.Fatal(err)
	}
	pf := openParquet(t, dst)
	for col, kind := range map[string]parquet.Kind{"pilot": parquet.Boolean, "treated": parquet.Boolean, "pmc_step": parquet.Int64} {
		leaf, ok := pf.Schema().Lookup(col)
		if !ok || leaf.Node.Type().Kind() != kind {
			t.Errorf("parquet column %s: found %v, type %v, want %v", col, ok, leaf.Node, kind)
		}
	}
	type flags struct {
		Pilot   *bool  `parquet:"pilot"`
		Treated *bool  `parquet:"treated"`
		Step    *int64 `parquet:"pmc_step"`
	}
	fl, err := parquet.ReadFile[flags](dst)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range fl {
		c, y := i/7, i%7
		if *r.Pilot != a.Counties[c].Pilot || *r.Step != int64(a.Step(c, y)) || *r.Treated != (a.Step(c, y) >= a.TreatmentStep) {
			t.Fatalf("parquet row %d: pilot %v treated %v step %d; county pilot %v step %d", i, *r.Pilot, *r.Treated, *r.Step, a.Counties[c].Pilot, a.Step(c, y))
		}
	}
	var rec Recorder
	if ids := rec.idColumns(); ids[len(ids)-1].name != "pmc_step" || !slices.Contains(PanelHeader(false), "pmc_step") || slices.Contains(PanelHeader(true), "step") {
		t.Errorf("the PMC step is named differently in counties.csv (%s) and panel.csv", ids[len(ids)-1].name)
	}
}
