package scenarios

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/countysim/countysim/census"
	"github.com/countysim/countysim/sim"
	"go.yaml.in/yaml/v3"
)

// This file holds what a scenario does with real counties: the rule for a preset together with
// an explicit world, world.counties_file (countiesfile.go), and cohort county lists by name or
// code.

// countiesFileKey is the world key naming a county CSV. sim.World has no such field: the key is
// taken out of the YAML before decoding and its file applied to the decoded world.
const countiesFileKey = "counties_file"

// takeCountiesFile removes world.counties_file from the document and returns its key and value
// nodes (nil when absent).
func takeCountiesFile(root *yaml.Node) (key, val *yaml.Node) {
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "world" {
			continue
		}
		w := resolveAlias(root.Content[i+1])
		if w.Kind != yaml.MappingNode {
			return nil, nil
		}
		for k := 0; k+1 < len(w.Content); k += 2 {
			if w.Content[k].Value == countiesFileKey {
				key, val = w.Content[k], resolveAlias(w.Content[k+1])
				w.Content = slices.Delete(w.Content, k, k+2)
				return key, val
			}
		}
	}
	return nil, nil
}

// realCounties applies the rules on real counties to a decoded document: a preset with an
// explicit world must agree with it (checkPresetWorld), the counties file overrides county
// values, and cohort lists name counties by name, short name or code (resolveCohorts).
func (d *decoder) realCounties(doc *document, cfKey, cfVal *yaml.Node) {
	if doc.Preset != "" {
		if n, ok := d.at["world.provinces"]; ok {
			if w, err := Preset(doc.Preset); err == nil {
				if diff := worldStructureDiff(w, doc.World); diff.Format != "" {
					d.add(n, "world.provinces", "preset %q already sets the provinces; with a preset, world.provinces may only restate them "+
						"(same provinces, prefectures and counties, other county values), as the full form does, but here %s: "+
						"remove preset to give your own world, or world.provinces to use the preset's", doc.Preset, diff)
				}
			}
		}
	}
	if cfKey != nil {
		d.countiesFile(doc, cfKey, cfVal)
	}
	if doc.PMC.Selection.Method == sim.ByList {
		resolveCohorts(&doc.Config, func(i, j int, msg Text) {
			path := fmt.Sprintf("pmc.cohorts[%d].counties[%d]", i, j)
			d.addText(d.place(path), path, msg)
		})
	}
}

// worldStructureDiff describes the first structural difference between a preset's world and a
// restated one ("" when they agree): province names and counts, prefecture names and codes,
// county names, codes and prefectures. County values (population, urban share, strength,
// institutional quality, towns) may differ.
func worldStructureDiff(preset, file sim.World) Text {
	if len(preset.Provinces) != len(file.Provinces) {
		return text("the file has %d provinces, the preset %d", len(file.Provinces), len(preset.Provinces))
	}
	for i, p := range preset.Provinces {
		f := file.Provinces[i]
		switch {
		case f.Name != p.Name:
			return text("province %d (%s) is named %q", i, Words(p.Name), f.Name)
		case f.Prefectures != p.Prefectures:
			return text("province %d (%s) has %d prefectures, the preset %d", i, Words(p.Name), f.Prefectures, p.Prefectures)
		case f.CountyCount() != p.CountyCount():
			return text("province %d (%s) has %d counties, the preset %d", i, Words(p.Name), f.CountyCount(), p.CountyCount())
		case !slices.Equal(f.PrefectureNames, p.PrefectureNames) || !slices.Equal(f.PrefectureCodes, p.PrefectureCodes):
			return text("province %d (%s) has other prefecture names or codes", i, Words(p.Name))
		case !slices.Equal(f.CountyNames, p.CountyNames) || f.StrongCounties != p.StrongCounties:
			return text("province %d (%s) has other county_names or strong_named_counties", i, Words(p.Name))
		case len(f.CountyList) != len(p.CountyList):
			return text("province %d (%s) lists %d counties, the preset %d", i, Words(p.Name), len(f.CountyList), len(p.CountyList))
		}
		for k, c := range p.CountyList {
			if fc := f.CountyList[k]; fc.Name != c.Name || fc.Code != c.Code || fc.Prefecture != c.Prefecture {
				return text("province %d (%s) county %d is %s (%s, prefecture %d), the preset's %s (%s, prefecture %d)",
					i, Words(p.Name), k, fc.Name, fc.Code, fc.Prefecture, c.Name, c.Code, c.Prefecture)
			}
		}
	}
	return Text{}
}

// countyRef is one county of a world as a cohort list or a counties file may name it.
type countyRef struct {
	province, index int // province and county index in it
	name, code      string
}

// worldCounties lists the counties of a world that have a name: every county of a county
// list, and the named counties of a drawn world.
func worldCounties(w sim.World) []countyRef {
	var out []countyRef
	for pi, p := range w.Provinces {
		// Only a county with a name or a list entry is listed, so the loop stops at the last
		// of those: the count is not validated yet here, and a count of 2^63 (an attacker's
		// --set) kept a core busy for centuries.
		for k := range min(p.CountyCount(), max(len(p.CountyNames), len(p.CountyList))) {
			var name, code string
			if k < len(p.CountyNames) {
				name = p.CountyNames[k]
			}
			if k < len(p.CountyList) {
				code = p.CountyList[k].Code
				if p.CountyList[k].Name != "" {
					name = p.CountyList[k].Name
				}
			}
			if name != "" || code != "" {
				out = append(out, countyRef{province: pi, index: k, name: name, code: code})
			}
		}
	}
	return out
}

// findCounty resolves a county as a user writes it: its exact name, its division code, or its
// name without the type suffix (兰考 for 兰考县; also 巩义县 for 巩义市). It returns the one
// match, or a message: unknown (with the nearest names of the world, and where a real county
// of that name lies if it is not in the world) or ambiguous (with the candidates).
func findCounty(refs []countyRef, w sim.World, q string) (countyRef, Text) {
	q = strings.TrimSpace(q)
	match := func(eq func(countyRef) bool) []countyRef {
		var out []countyRef
		for _, r := range refs {
			if eq(r) {
				out = append(out, r)
			}
		}
		return out
	}
	short := census.ShortName(q)
	for _, found := range [][]countyRef{
		match(func(r countyRef) bool { return r.name == q }),
		match(func(r countyRef) bool { return r.code != "" && r.code == q }),
		match(func(r countyRef) bool { return census.ShortName(r.name) == short }),
	} {
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0], Text{}
		default:
			var names []Text
			for _, r := range found {
				names = append(names, describeRef(w, r))
			}
			return countyRef{}, text("ambiguous county %q: it matches %v; write the full name or the code", q, listText(names))
		}
	}
	msg := text("unknown county %q in this world", q)
	if code, slip, ok := asCode(q); ok {
		return countyRef{}, unknownCode(refs, w, msg, code, slip)
	}
	if elsewhere := censusCounty(q); elsewhere.Format != "" {
		msg = text("%s; %s", msg, elsewhere)
	}
	if near := nearestCounties(refs, w, q, 3); len(near) > 0 {
		msg = text("%s; nearest: %v", msg, listText(near))
	}
	if len(refs) == 0 {
		msg = text("%s; the world names no counties (use a real preset such as henan, or world.provinces[].county_list)", msg)
	}
	return countyRef{}, msg
}

// describeRef names a county of the world: its name, with its code and province (said in the
// reader's language: a census province's English name is Words) when it has a code.
func describeRef(w sim.World, r countyRef) Text {
	if r.code == "" {
		return text("%s", r.name)
	}
	return text("%s (%s, %v)", r.name, r.code, Words(w.Provinces[r.province].Name))
}

// listText says a list of texts, comma-separated in English.
func listText(ts []Text) Text {
	if len(ts) == 0 {
		return Text{}
	}
	out := ts[0]
	for _, t := range ts[1:] {
		out = text("%v, %v", out, t)
	}
	return out
}

// censusCounty says where a real county of the name or code q lies (an empty Text if none).
func censusCounty(q string) Text {
	d, err := census.Load()
	if err != nil {
		return Text{}
	}
	short := census.ShortName(q)
	for _, c := range d.Counties {
		if c.Name == q || c.Code == q || c.Short == short {
			p := d.Provinces[c.Province]
			return text("%s (%s) is a county of %v (%s), not of this world's provinces", c.Name, c.Code, Words(p.English), c.Prefecture)
		}
	}
	return Text{}
}

// The slips of a county code written in a spreadsheet or with a Chinese input method (asCode).
const (
	codeAsWritten   = iota // the code as it is
	codeFullWidth          // full-width digits: ４１０２２５
	codeDecimal            // a number format's decimals: 410225.0
	codeStatistical        // the 12-digit statistical code: 410225000000
)

// asCode reads q as a county code: its digits (full-width ones made half-width, a decimal
// part of zeros and the six zeros of a 12-digit statistical code dropped) and the slip that
// was undone; ok is false when q is not a number.
func asCode(q string) (code string, slip int, ok bool) {
	code = strings.Map(func(r rune) rune {
		if '０' <= r && r <= '９' {
			slip = codeFullWidth
			return '0' + (r - '０')
		}
		return r
	}, q)
	if whole, frac, dec := strings.Cut(code, "."); dec && frac != "" && strings.Trim(frac, "0") == "" {
		code = whole
		if slip == codeAsWritten {
			slip = codeDecimal
		}
	}
	if code == "" || strings.ContainsFunc(code, func(r rune) bool { return r < '0' || r > '9' }) {
		return "", 0, false
	}
	if len(code) == 12 && strings.HasSuffix(code, "000000") {
		code = code[:6]
		if slip == codeAsWritten {
			slip = codeStatistical
		}
	}
	return code, slip, true
}

// unknownCode explains a county code (code, read by asCode from the query; msg says it is
// unknown) that names no county of the world: the slip that hid a known code (full-width
// digits, a decimal, a statistical code), else that codes are the 2010 census's, which
// prefecture the code's first four digits are, and the world's counties of the nearest codes.
func unknownCode(refs []countyRef, w sim.World, msg Text, code string, slip int) Text {
	for _, r := range refs {
		if r.code != code || slip == codeAsWritten {
			continue
		}
		switch slip {
		case codeFullWidth:
			return text("%s; write the code in half-width digits (0-9): %s is %v", msg, code, describeRef(w, r))
		case codeDecimal:
			return text("%s; write the code without its decimals (a spreadsheet took it for a number; format the column as text): %s is %v", msg, code, describeRef(w, r))
		default:
			return text("%s; write the 6-digit county code: %s is %v", msg, code, describeRef(w, r))
		}
	}
	switch slip {
	case codeFullWidth:
		msg = text("%s; write the code in half-width digits (0-9)", msg)
	case codeDecimal:
		msg = text("%s; write the code without its decimals (a spreadsheet took it for a number; format the column as text)", msg)
	}
	if elsewhere := censusCounty(code); elsewhere.Format != "" {
		return text("%s; %s", msg, elsewhere)
	}
	msg = text("%s; county codes are the 2010 census's six-digit division codes (a code given since, as to a county that became a city or a district, is not among them: write the county's name instead)", msg)
	if pref := prefectureOf(refs, code); pref != "" {
		msg = text("%s; codes beginning %s are %s's", msg, code[:4], pref)
	}
	if near := nearestCodes(refs, w, code, 3); len(near) > 0 {
		return text("%s; nearest: %v", msg, listText(near))
	}
	var provinces []string // the first two digits of the world's codes
	for _, r := range refs {
		if len(r.code) >= 2 && !slices.Contains(provinces, r.code[:2]) {
			provinces = append(provinces, r.code[:2])
		}
	}
	if len(provinces) > 0 && len(provinces) <= 5 {
		msg = text("%s; this world's county codes begin with %s", msg, orList(provinces))
	}
	return msg
}

// prefectureOf names the 2010 prefecture whose codes begin as code does (its first four
// digits), when a county of the world has such a code; "" otherwise.
func prefectureOf(refs []countyRef, code string) string {
	if len(code) < 4 || !slices.ContainsFunc(refs, func(r countyRef) bool { return strings.HasPrefix(r.code, code[:4]) }) {
		return ""
	}
	d, err := census.Load()
	if err != nil {
		return ""
	}
	for _, c := range d.Counties {
		if strings.HasPrefix(c.Code, code[:4]) && c.Prefecture != "" {
			return c.Prefecture
		}
	}
	return ""
}

// nearestCodes returns up to n counties of the world whose codes are nearest code: the longest
// shared beginning first (the same prefecture, then the same province: a code of another
// province is near none), then the nearest number.
func nearestCodes(refs []countyRef, w sim.World, code string, n int) []Text {
	type cand struct {
		prefix int
		diff   int64
		r      countyRef
	}
	q, _ := strconv.ParseInt(code, 10, 64)
	var cs []cand
	for _, r := range refs {
		k := 0
		for k < min(len(r.code), len(code)) && r.code[k] == code[k] {
			k++
		}
		if k < 2 {
			continue
		}
		v, _ := strconv.ParseInt(r.code, 10, 64)
		d := v - q
		if d < 0 {
			d = -d
		}
		cs = append(cs, cand{k, d, r})
	}
	sort.SliceStable(cs, func(a, b int) bool {
		if cs[a].prefix != cs[b].prefix {
			return cs[a].prefix > cs[b].prefix
		}
		return cs[a].diff < cs[b].diff
	})
	var out []Text
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, describeRef(w, c.r))
	}
	return out
}

// nearestCounties returns up to n county names of the world closest to q by edit distance (on
// characters, comparing full and short names), closest first.
func nearestCounties(refs []countyRef, w sim.World, q string, n int) []Text {
	type cand struct {
		d int
		r countyRef
	}
	var cs []cand
	qs := census.ShortName(q)
	for _, r := range refs {
		if r.name == "" {
			continue
		}
		dist := min(editDistance(q, r.name), editDistance(qs, census.ShortName(r.name)))
		cs = append(cs, cand{dist, r})
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].d < cs[b].d })
	var out []Text
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, describeRef(w, c.r))
	}
	return out
}

// resolveCohorts replaces each county of the cohort lists by the name the world gives it (so
// 兰考 and 410225 both become 兰考县) and reports each one it cannot resolve.
func resolveCohorts(cfg *sim.Config, report func(cohort, item int, msg Text)) {
	refs := worldCounties(cfg.World)
	for i := range cfg.PMC.Cohorts {
		list := cfg.PMC.Cohorts[i].Counties
		if len(list) == 0 {
			continue
		}
		list = slices.Clone(list)
		for j, q := range list {
			r, msg := findCounty(refs, cfg.World, q)
			if msg.Format != "" {
				report(i, j, msg)
				continue
			}
			list[j] = r.name
		}
		cfg.PMC.Cohorts[i].Counties = list
	}
}

// encodeDocument writes doc with enc (which writes to buf). A world that is exactly its
// preset's is left out, with a comment saying so: the preset gives it back on loading, and a
// real world's county list (1,954 counties for national) would take longer to write than the
// run takes to build. Any other world is written out in full.
func encodeDocument(enc *yaml.Encoder, buf *bytes.Buffer, doc document) error {
	if doc.Preset == "" {
		return enc.Encode(doc)
	}
	w, err := Preset(doc.Preset)
	if err != nil || !reflect.DeepEqual(w, doc.World) {
		return enc.Encode(doc)
	}
	doc.World = sim.World{}
	var n yaml.Node
	if err := n.Encode(doc); err != nil {
		return err
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "world" {
				n.Content = slices.Delete(n.Content, i, i+2)
				break
			}
		}
	}
	fmt.Fprintf(buf, "# world: the world of preset %s, unchanged (not written out).\n", doc.Preset)
	return enc.Encode(&n)
}
