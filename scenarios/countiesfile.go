package scenarios

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
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
var countiesColumns = map[string]Text{
	"code": text("a division code of a county of the world"), "name": text("a county name of the world"),
	"population": text("persons, from 1,000 to 50 million (a figure in 万人 is 10,000 times too small)"), "urban": text("a share above 0 up to 1"),
	"gdp": text("million yuan, above 0"), "strength": text("a number above 0 up to 100"), "iq": text("a number above 0 up to 1"),
	"towns": text("a whole number from 3 to 100"), "revenue": moneyAllowed, "spending": moneyAllowed,
	"debt": moneyAllowed, "transfers": moneyAllowed,
}

// Plausibility bounds of a county's figures, beyond which a figure is a unit slip, not a
// county (assumption, from the 2010 extremes: the smallest county-level units have some
// thousands of residents; the richest counties had GDP per resident of some 300,000 yuan and
// own revenue of some 30,000 yuan per resident; small Tibetan counties spend some 60,000 yuan
// per resident). A figure in 万元 (ten thousand yuan) where million yuan are asked is 100
// times too large and passes them only for the poorest counties.
const (
	minCountyPop           = 1000
	maxGDPPerResident      = 8e5   // yuan
	maxRevenuePerResident  = 6e4   // yuan
	maxSpendingPerResident = 1.5e5 // yuan: spending, transfers
	maxDebtPerResident     = 5e5   // yuan
)

// chineseColumns maps the Chinese column names a statistical yearbook or an office's table
// uses to the English ones a counties file takes, for the message that refuses them (the
// units differ too: 万人, 万元).
var chineseColumns = map[string]Text{
	"代码": text("%s", "code"), "区划代码": text("%s", "code"), "行政区划代码": text("%s", "code"),
	"县名": text("%s", "name"), "名称": text("%s", "name"), "县": text("%s", "name"),
	"人口": text("%s (persons, not 万人)", "population"), "常住人口": text("%s (persons, not 万人)", "population"), "户籍人口": text("%s (persons, not 万人)", "population"),
	"城镇化率": text("%s (a share 0-1)", "urban"), "地区生产总值": text("%s (million yuan, not 万元)", "gdp"), "生产总值": text("%s (million yuan, not 万元)", "gdp"),
	"一般公共预算收入": text("%s (million yuan, not 万元)", "revenue"), "财政收入": text("%s (million yuan, not 万元)", "revenue"),
	"一般公共预算支出": text("%s (million yuan, not 万元)", "spending"), "财政支出": text("%s (million yuan, not 万元)", "spending"),
	"债务": text("%s (million yuan, not 万元)", "debt"), "政府债务": text("%s (million yuan, not 万元)", "debt"), "转移支付": text("%s (million yuan, not 万元)", "transfers"),
	"乡镇数": text("%s", "towns"),
	// The README's own words for the columns (its table and the fields' Chinese names).
	"一般预算收入": text("%s (million yuan, not 万元)", "revenue"), "一般预算支出": text("%s (million yuan, not 万元)", "spending"),
	"县级固定收入": text("%s (general-budget revenue, 一般预算收入: the county's own revenue, 县级固定收入, plus its share of the shared taxes; million yuan, not 万元)", "revenue"),
	"显性债务":   text("%s (million yuan, not 万元)", "debt"), "政府显性债务": text("%s (million yuan, not 万元)", "debt"),
	"上级转移支付收入": text("%s (million yuan, not 万元)", "transfers"), "转移支付收入": text("%s (million yuan, not 万元)", "transfers"),
	"经济实力": text("%s", "strength"), "制度质量": text("%s", "iq"),
}

// numberHint adds to msg, the refusal of a cell that is not a plain number, why, when the
// cell looks like a spreadsheet's habit: full-width digits, thousands separators, a unit, a
// percentage.
func numberHint(msg Text, v string) Text {
	switch {
	case strings.ContainsAny(v, "０１２３４５６７８９．"):
		return text("%s; write half-width digits (0-9 and .): the cell has full-width ones", msg)
	case strings.ContainsAny(v, "－＋"):
		return text("%s; write half-width characters: the cell has a full-width sign (－ or ＋)", msg)
	case strings.Contains(v, ",") || strings.Contains(v, "，") || spacedDigits.MatchString(v):
		return text("%s; write the number without thousands separators", msg)
	case strings.HasSuffix(v, "%"):
		return text("%s; write a share as a number from 0 to 1 (33%% is 0.33)", msg)
	case strings.ContainsAny(v, "元万亿人"):
		return text("%s; write the number alone, in the column's unit", msg)
	}
	return msg
}

// spacedDigits finds digits separated by spaces (650 000, with a space, a no-break or thin
// space, or the full-width one): thousands separators as some locales write them.
var spacedDigits = regexp.MustCompile(`[0-9０-９][\s\x{00a0}\x{2009}\x{202f}\x{3000}]+[0-9０-９]`)

// thousands writes x rounded to a whole number with thousands separators.
func thousands(x float64) string {
	s := strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// moneyAllowed is what the revenue, spending, debt and transfers cells allow: 0 is not a value
// (sim.CountySpec reads 0 as "derived").
var moneyAllowed = text("million yuan, above 0 up to 10 million; leave the cell empty to keep the derived value")

// column is a column of a counties file: its number (1 for the first; 0 for a problem with the
// row as a whole) and its name as the header gives it ("" for none).
type column struct {
	n    int
	name string
}

// cellAt is a cell of a counties file: the file, the line and the column.
type cellAt struct {
	file string
	line int
	column
}

// in puts the column before t: "column 3 (population): t".
func (c column) in(t Text) Text {
	switch {
	case c.n == 0:
		return t
	case c.name == "":
		return text("column %d: %s", c.n, t)
	}
	return text("column %d (%s): %s", c.n, c.name, t)
}

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
		if op, p, reason, ok := pathError(err); ok {
			d.add(val, path, "cannot read the counties file: %s %s: %s", op, p, reason)
		} else {
			d.add(val, path, "cannot read the counties file: %v", err)
		}
		return
	}
	problems, cells, given := applyCountiesFile(&doc.World, file, data)
	for k, p := range cells {
		d.fromFile[k] = p
	}
	if len(problems) == 0 {
		sum := sha256.Sum256(data)
		total := 0
		for _, p := range doc.World.Provinces {
			total += p.CountyCount()
		}
		d.counties = &CountiesFile{Path: val.Value, SHA256: hex.EncodeToString(sum[:]), Given: given, Counties: total}
	}
	for _, p := range problems {
		if p.Line == 0 {
			d.addText(val, path, p.Text)
			continue
		}
		d.problems = append(d.problems, p)
		d.flagged[path] = true
	}
}

// CountiesFile records the counties file a scenario's world took values from: the path as the
// scenario gives it, the SHA-256 of its bytes, how many counties it gave values of and how
// many the world has (the others keep their census-derived values).
type CountiesFile struct {
	Path            string
	SHA256          string
	Given, Counties int
}

// applyCountiesFile overrides w's county values from the CSV data (named file in problems). It
// returns the problems found, the cell that gave each spending it set (by field path), for a
// problem the model finds later (Parse), and how many counties the file gave.
func applyCountiesFile(w *sim.World, file string, data []byte) ([]Problem, map[string]cellAt, int) {
	var ps []Problem
	cells := map[string]cellAt{}
	badText := func(line int, col column, t Text) {
		ps = append(ps, problem(file, line, 0, "world."+countiesFileKey, col.in(t)))
	}
	bad := func(line int, col column, format string, args ...any) { badText(line, col, text(format, args...)) }
	if p := NotUTF8(file, data); p != nil {
		p.Path = "world." + countiesFileKey
		return []Problem{*p}, cells, 0
	}
	refs := worldCounties(*w)
	if len(refs) == 0 || !slices.ContainsFunc(w.Provinces, func(p sim.ProvinceSpec) bool { return len(p.CountyList) > 0 }) {
		bad(0, column{}, "the world lists no counties to override: use a real preset (such as henan) or world.provinces[].county_list")
		return ps, nil, 0
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if errors.Is(err, io.EOF) {
		bad(1, column{}, "the file is empty (allowed: a header row, such as code,name,population, then a row per county)")
		return ps, nil, 0
	}
	if err != nil {
		bad(1, column{}, "cannot read the header row: %s", Words(err.Error()))
		return ps, nil, 0
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
			name := h // a yearbook's header may give its unit: 人口（万人）
			if i := strings.IndexAny(h, "(（"); i > 0 {
				name = strings.TrimSpace(h[:i])
			}
			switch en, zh := chineseColumns[name]; {
			case h == "":
				bad(1, column{n: i + 1}, "a column with no name (allowed: %s; delete the empty columns Excel leaves)", strings.Join(keys, ", "))
			case zh:
				bad(1, column{i + 1, h}, "unknown column: the column names are English (write %s; allowed: %s)", en, strings.Join(keys, ", "))
			default:
				bad(1, column{i + 1, h}, "unknown column (allowed: %s)", strings.Join(keys, ", "))
			}
			continue
		}
		if _, dup := col[h]; dup {
			bad(1, column{i + 1, h}, "duplicate column")
			continue
		}
		col[h] = i
	}
	_, hasCode := col["code"]
	_, hasName := col["name"]
	if !hasCode && !hasName {
		bad(1, column{}, "no code or name column: one is needed to find each county")
	}
	if len(ps) > 0 {
		return ps, nil, 0
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
			bad(line, column{}, "cannot read the row: %s", Words(err.Error()))
			break
		}
		line, _ := r.FieldPos(0)
		if !slices.ContainsFunc(rec, func(c string) bool { return strings.TrimSpace(c) != "" }) {
			continue // a blank line, or an empty row Excel leaves (,,,,)
		}
		if len(rec) != len(head) {
			if slices.ContainsFunc(rec, func(c string) bool { return strings.Contains(c, "，") }) {
				bad(line, column{}, "%d fields, the header has %d (the row separates its fields with full-width commas ，: use ASCII commas ,)", len(rec), len(head))
			} else {
				bad(line, column{}, "%d fields, the header has %d", len(rec), len(head))
			}
			continue
		}
		cell := func(name string) (string, column, bool) {
			i, ok := col[name]
			if !ok {
				return "", column{}, false
			}
			v := strings.TrimSpace(rec[i])
			return v, column{i + 1, name}, v != ""
		}
		var ref countyRef
		var msg Text
		given := "" // the county as the row gives it: its code (and name), or its name
		if code, where, ok := cell("code"); ok {
			ref, msg = findCounty(refs, *w, code)
			if msg.Format != "" {
				badText(line, where, msg)
				continue
			}
			if name, where, ok := cell("name"); ok {
				if byName, m := findCounty(refs, *w, name); m.Format != "" || byName != ref {
					bad(line, where, "name %q does not match code %s (%s)", name, code, ref.name)
					continue
				}
			}
			given = fmt.Sprintf("%s (%s)", code, ref.name)
		} else if name, where, ok := cell("name"); ok {
			if ref, msg = findCounty(refs, *w, name); msg.Format != "" {
				badText(line, where, msg)
				continue
			}
			given = ref.name
		} else {
			bad(line, column{}, "no code or name: the row names no county")
			continue
		}
		k := [2]int{ref.province, ref.index}
		if prev, dup := seen[k]; dup {
			bad(line, column{}, "county %s is already given at line %d", given, prev)
			continue
		}
		seen[k] = line
		p := &w.Provinces[ref.province]
		if ref.index >= len(p.CountyList) {
			bad(line, column{}, "county %s is named but not listed (world.provinces[%d].county_list has no entry for it)", ref.name, ref.province)
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
				msg := text("bad value %q (allowed: %s)", v, countiesColumns[name])
				if name == "urban" && err == nil && x > 1 && x <= 100 {
					msg = text("%s; a percentage? write the share (%s%% is %g)", msg, v, x/100)
				} else {
					msg = numberHint(msg, v)
				}
				badText(line, where, msg)
				return 0, false
			}
			return x, true
		}
		if x, ok := num("population", minCountyPop, false, 5e7); ok {
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
			cells[path] = cellAt{file, line, where}
		} else if okT {
			cs.Transfers = tr
		}
		s, strong := num("strength", 0, true, 100)
		if strong {
			// Data, not an index: the build does not widen it (sim.CountySpec.StrengthPartial).
			cs.Strength, cs.StrengthPartial = s, false
		}
		g, okG := num("gdp", 0, true, math.MaxFloat64)
		// Money per resident beyond any county's is a unit slip: 万元 (ten thousand yuan)
		// for million yuan makes every figure 100 times too large.
		if cs.Population > 0 {
			for _, m := range []struct {
				col string
				v   float64
				ok  bool
				max float64
			}{{"gdp", g, okG, maxGDPPerResident}, {"revenue", cs.Revenue, cs.Revenue > 0, maxRevenuePerResident}, {"spending", sp, okS, maxSpendingPerResident}, {"transfers", tr, okT, maxSpendingPerResident}, {"debt", cs.Debt, cs.Debt > 0, maxDebtPerResident}} {
				v, where, given := cell(m.col)
				if m.ok && given && m.v*1e6/cs.Population > m.max {
					bad(line, where, "bad value %q: %s yuan per resident (of %s), more than any county has (allowed: million yuan, at most %s yuan per resident; a figure in 万元 is 100 times too large)",
						v, thousands(m.v*1e6/cs.Population), thousands(cs.Population), thousands(m.max))
					if m.col == "gdp" {
						okG = false
					}
				}
			}
		}
		if okG && cs.Population > 0 {
			gdps = append(gdps, gdpRow{ref: ref, gdppc: g / cs.Population, strong: strong})
		}
	}
	if len(ps) == 0 && len(seen) == 0 {
		// A header alone would run the census-derived world unnoticed.
		bad(1, column{}, "no county: the file has a header row but no row of a county (allowed: a header row, then a row per county, at least one; blank rows are skipped)")
		return ps, nil, 0
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
	return ps, cells, len(seen)
}
