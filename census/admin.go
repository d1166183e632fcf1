package census

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/countysim/countysim/data"
)

// AdminRow is one row of data/admin-units.csv: a province's (or the country's) administrative
// units at the end of a year (China Statistical Yearbook 2010, table 1-1).
type AdminRow struct {
	// Region is the English province name, or "China".
	Region string
	Year   int
	// Prefectures, CountyLevel (districts included), CountiesNonDistrict and TownshipLevel
	// (towns, townships and urban subdistricts) are the counts; 0 where the table has none.
	Prefectures, CountyLevel, CountiesNonDistrict, TownshipLevel int
}

// AdminUnits returns the rows of data/admin-units.csv (parsed once; do not modify).
func AdminUnits() ([]AdminRow, error) { return adminOnce() }

var adminOnce = sync.OnceValues(func() ([]AdminRow, error) {
	b, err := data.FS.ReadFile("admin-units.csv")
	if err != nil {
		return nil, fmt.Errorf("census: %w", err)
	}
	return parseAdmin("data/admin-units.csv", b)
})

func parseAdmin(file string, b []byte) ([]AdminRow, error) {
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	want := []string{"region", "year", "prefectures", "county_level", "county_level_non_district", "township_level", "province_span_full_pmc"}
	if len(recs) == 0 || !slices.Equal(recs[0], want) {
		return nil, fmt.Errorf("%s:1: header is not %v", file, want)
	}
	var out []AdminRow
	for i, r := range recs[1:] {
		var v [5]int
		for k := range v {
			if r[k+1] == "" {
				continue
			}
			if v[k], err = strconv.Atoi(r[k+1]); err != nil {
				return nil, fmt.Errorf("%s:%d: column %s: %w", file, i+2, want[k+1], err)
			}
		}
		out = append(out, AdminRow{Region: r[0], Year: v[0], Prefectures: v[1], CountyLevel: v[2], CountiesNonDistrict: v[3], TownshipLevel: v[4]})
	}
	return out, nil
}

// Admin returns the row of region (English name or "China") for year, if the table has it.
func Admin(region string, year int) (AdminRow, bool) {
	rows, err := AdminUnits()
	if err != nil {
		return AdminRow{}, false
	}
	i := slices.IndexFunc(rows, func(r AdminRow) bool { return r.Region == region && r.Year == year })
	if i < 0 {
		return AdminRow{}, false
	}
	return rows[i], true
}
