package scenarios

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/countysim/countysim/sim"
	"go.yaml.in/yaml/v3"
)

// A counties file (world.counties_file) brings a user's own county data into a world that lists
// its counties (a real preset, or world.provinces[].county_list). It is a CSV file with a header
// row; the path is relative to the scenario file. Columns, in any order, names case-insensitive:
//
//	code        2010 division code of the county (code or name, at least one column)
//	name        county name (full, 兰考县, or short, 兰考)
//	population  residents, persons
//	urban       urban share of residents, 0 to 1
//	gdp         GDP, million yuan: sets strength (see below)
//	strength    GDP per capita relative to a typical county (1 = typical), above 0 to 100
//	iq          institutional quality, above 0 to 1
//	towns       towns and townships, 3 to 100
//	revenue     own general-budget revenue in the opening year, million yuan a year: sets the
//	            county's tax base so that its opening revenue equals it
//	spending    general-budget spending in the opening year, million yuan a year: sets the
//	            county's own transfer component so that its opening spending equals it
//	debt        explicit government debt at the opening, million yuan
//	transfers   transfers received in the opening year, million yuan a year: sets the county's
//	            own transfer component so that its opening transfers equal it (a row gives
//	            spending or transfers, not both: opening spending is revenue plus transfers)
//	            (each above 0 up to 10 million; sim.CountySpec and docs/MODEL.md section 6)
//
// An empty cell, or a column left out, keeps the census-derived value. A gdp column sets
// strength to the county's GDP per capita over k, where k is the median, over the file's
// counties of the province that give gdp, of GDP per capita over census-derived strength: so
// the file's counties keep the scale of the others. A strength cell wins over gdp in its row.
// Every bad row or cell is reported at file:line with its column.

// countiesColumns are the columns a counties file may have, with what each allows.
var countiesColumns = map[string]string{
	"code": "a division code of a county of the world", "name": "a county name of the world",
	"population": "a number of residents above 0 up to 50 million", "urban": "a share above 0 up to 1",
	"gdp": "million yuan, above 0", "strength": "a number above 0 up to 100", "iq": "a number above 0 up to 1",
	"towns": "a whole number from 3 to 100", "revenue": moneyAllowed, "spending": moneyAllowed,
	"debt": moneyAllowed, "transfers": moneyAllowed,
}

// moneyAllowed is what the revenue, spending, debt and transfers cells allow: 0 is not a value
// (sim.CountySpec reads 0 as "derived").
const moneyAllowed = "million yuan, above 0 up to 10 million; leave the cell empty to keep the derived value"

// countiesFile reads the counties file named at val and applies it to doc's world.
func (d *decoder) countiesFile(doc *document, key, val *yaml.Node) {
	const path = "world." + countiesFileKey
	if val.Kind != yaml.ScalarNode || strings.TrimSpace(val.Value) == "" {
		d.add(key, path, "expected the path of a CSV file (relative to the scenario file)")
		return
	}
	file := val.Value
	if !filepath.IsAbs(file) && d.file != "" {
		file = filepath.Join(filepath.Dir(d.file), file)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		d.add(val, path, "cannot read the counties file: %v", err)
		return
	}
	problems, cells := applyCountiesFile(&doc.World, file, data)
	for k, p := range cells {
		d.fromFile[k] = p
	}
	for _, p := range problems {
		if p.Line == 0 {
			d.add(val, path, "%s", p.Msg)
			continue
		}
		d.problems = append(d.problems, p)
		d.flagged[path] = true
	}
}

// applyCountiesFile overrides w's county values from the CSV data (named file in problems). It
// returns the problems found and where each spending it set was given (by field path: file,
// line and "column N (spending): "), for a problem the model finds later (Parse).
func applyCountiesFile(w *sim.World, file string, data []byte) ([]Problem, map[string]Problem) {
	var ps []Problem
	cells := map[string]Problem{}
	bad := func(line int, col, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		if col != "" {
			msg = "column " + col + ": " + msg
		}
		ps = append(ps, Problem{File: file, Line: line, Path: "world." + countiesFileKey, Msg: msg})
	}
	if p := NotUTF8(file, data); p != nil {
		p.Path = "world." + countiesFileKey
		return []Problem{*p}, cells
	}
	refs := worldCounties(*w)
	if len(refs) == 0 || !slices.ContainsFunc(w.Provinces, func(p sim.ProvinceSpec) bool { return len(p.CountyList) > 0 }) {
		bad(0, "", "the world lists no counties to override: use a real preset (such as henan) or world.provinces[].county_list")
		return ps, nil
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if errors.Is(err, io.EOF) {
		bad(1, "", "the file is empty (allowed: a header row, such as code,name,population, then a row per county)")
		return ps, nil
	}
	if err != nil {
		bad(1, "", "cannot read the header row: %v", err)
		return ps, nil
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, ok := countiesColumns[h]; !ok {
			keys := make([]string, 0, len(countiesColumns))
			for k := range countiesColumns {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			bad(1, fmt.Sprintf("%d (%s)", i+1, h), "unknown column (allowed: %s)", strings.Join(keys, ", "))
			continue
		}
		if _, dup := col[h]; dup {
			bad(1, fmt.Sprintf("%d (%s)", i+1, h), "duplicate column")
			continue
		}
		col[h] = i
	}
	_, hasCode := col["code"]
	_, hasName := col["name"]
	if !hasCode && !hasName {
		bad(1, "", "no code or name column: one is needed to find each county")
	}
	if len(ps) > 0 {
		return ps, nil
	}
	type gdpRow struct {
		ref    countyRef
		gdppc  float64
		strong bool // the row gives strength itself
	}
	var gdps []gdpRow
	seen := map[[2]int]int{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// No record to ask FieldPos about (it panics then): the line is the parse error's.
			line := 1
			if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
				line = max(1, pe.StartLine)
			}
			bad(line, "", "cannot read the row: %v", err)
			break
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(head) {
			bad(line, "", "%d fields, the header has %d", len(rec), len(head))
			continue
		}
		cell := func(name string) (string, string, bool) {
			i, ok := col[name]
			if !ok {
				return "", "", false
			}
			v := strings.TrimSpace(rec[i])
			return v, fmt.Sprintf("%d (%s)", i+1, name), v != ""
		}
		var ref countyRef
		var msg string
		given := "" // the county as the row gives it: its code (and name), or its name
		if code, where, ok := cell("code"); ok {
			ref, msg = findCounty(refs, *w, code)
			if msg != "" {
				bad(line, where, "%s", msg)
				continue
			}
			if name, where, ok := cell("name"); ok {
				if byName, m := findCounty(refs, *w, name); m != "" || byName != ref {
					bad(line, where, "name %q does not match code %s (%s)", name, code, ref.name)
					continue
				}
			}
			given = fmt.Sprintf("%s (%s)", code, ref.name)
		} else if name, where, ok := cell("name"); ok {
			if ref, msg = findCounty(refs, *w, name); msg != "" {
				bad(line, where, "%s", msg)
				continue
			}
			given = ref.name
		} else {
			bad(line, "", "no code or name: the row names no county")
			continue
		}
		k := [2]int{ref.province, ref.index}
		if prev, dup := seen[k]; dup {
			bad(line, "", "county %s is already given at line %d", given, prev)
			continue
		}
		seen[k] = line
		p := &w.Provinces[ref.province]
		if ref.index >= len(p.CountyList) {
			bad(line, "", "county %s is named but not listed (world.provinces[%d].county_list has no entry for it)", ref.name, ref.province)
			continue
		}
		cs := &p.CountyList[ref.index]
		num := func(name string, lo float64, loOpen bool, hi float64) (float64, bool) {
			v, where, ok := cell(name)
			if !ok {
				return 0, false
			}
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) || x > hi || x < lo || (loOpen && x == lo) {
				bad(line, where, "bad value %q (allowed: %s)", v, countiesColumns[name])
				return 0, false
			}
			return x, true
		}
		if x, ok := num("population", 0, true, 5e7); ok {
			cs.Population = x
		}
		if x, ok := num("urban", 0, true, 1); ok {
			cs.Urban = x
		}
		if x, ok := num("iq", 0, true, 1); ok {
			cs.IQ = x
		}
		if x, ok := num("towns", 3, false, 100); ok {
			if x != math.Trunc(x) {
				_, where, _ := cell("towns")
				bad(line, where, "bad value %v (allowed: %s)", x, countiesColumns["towns"])
			} else {
				cs.Towns = int(x)
			}
		}
		if x, ok := num("revenue", 0, true, 1e7); ok {
			cs.Revenue = x
		}
		if x, ok := num("debt", 0, true, 1e7); ok {
			cs.Debt = x
		}
		sp, okS := num("spending", 0, true, 1e7)
		tr, okT := num("transfers", 0, true, 1e7)
		if okS && okT {
			_, where, _ := cell("spending")
			bad(line, where, "give spending or transfers, not both: the county's opening spending is its revenue plus its transfers, so one fixes the other")
		} else if okS {
			cs.Spending = sp
			_, where, _ := cell("spending")
			path := fmt.Sprintf("world.provinces[%d].county_list[%d].spending", ref.province, ref.index)
			cells[path] = Problem{File: file, Line: line, Path: "world." + countiesFileKey, Msg: "column " + where + ": "}
		} else if okT {
			cs.Transfers = tr
		}
		s, strong := num("strength", 0, true, 100)
		if strong {
			// Data, not an index: the build does not widen it (sim.CountySpec.StrengthPartial).
			cs.Strength, cs.StrengthPartial = s, false
		}
		if g, ok := num("gdp", 0, true, math.MaxFloat64); ok && cs.Population > 0 {
			gdps = append(gdps, gdpRow{ref: ref, gdppc: g / cs.Population, strong: strong})
		}
	}
	// GDP per capita to strength, on the scale of the census-derived strengths, by province.
	for pi := range w.Provinces {
		var ratios []float64
		for _, g := range gdps {
			if s := w.Provinces[pi].CountyList[g.ref.index].Strength; g.ref.province == pi && !g.strong && s > 0 {
				ratios = append(ratios, g.gdppc/s)
			}
		}
		if len(ratios) == 0 {
			continue
		}
		sort.Float64s(ratios)
		k := ratios[len(ratios)/2]
		if len(ratios)%2 == 0 {
			k = (ratios[len(ratios)/2-1] + ratios[len(ratios)/2]) / 2
		}
		for _, g := range gdps {
			if g.ref.province == pi && !g.strong {
				cs := &w.Provinces[pi].CountyList[g.ref.index]
				cs.Strength, cs.StrengthPartial = math.Min(100, g.gdppc/k), false
			}
		}
	}
	// A province whose every county fixes its towns has exactly that many.
	for pi := range w.Provinces {
		p := &w.Provinces[pi]
		if len(p.CountyList) == 0 || p.Towns == 0 {
			continue
		}
		sum := 0
		for _, cs := range p.CountyList {
			if cs.Towns == 0 {
				sum = -1
				break
			}
			sum += cs.Towns
		}
		if sum > 0 {
			p.Towns = sum
		}
	}
	return ps, cells
}
