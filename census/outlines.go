package census

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/countysim/countysim/data"
)

// Outline is one prefecture-level unit of data/prefectures-2020-outlines.csv: its 2020 code,
// name, the centroid of its outline and the outline (simplified; schematic, not an
// authoritative boundary).
type Outline struct {
	Code, Name string
	// Lon and Lat are the area-weighted centroid (WGS84 degrees).
	Lon, Lat float64
	// Rings are the outer rings of the outline's parts, each a closed list of [lon, lat].
	Rings [][][2]float64
}

// Outlines returns the prefecture outlines by 2020 code (parsed once; do not modify).
func Outlines() (map[string]*Outline, error) { return outlinesOnce() }

var outlinesOnce = sync.OnceValues(func() (map[string]*Outline, error) {
	b, err := data.FS.ReadFile("prefectures-2020-outlines.csv")
	if err != nil {
		return nil, fmt.Errorf("census: %w", err)
	}
	return parseOutlines("data/prefectures-2020-outlines.csv", b)
})

func parseOutlines(file string, b []byte) (map[string]*Outline, error) {
	r := csv.NewReader(bytes.NewReader(b))
	head, err := r.Read()
	want := []string{"code", "name", "province_code", "centroid_lon", "centroid_lat", "outline_wkt"}
	if err != nil || !slices.Equal(head, want) {
		return nil, fmt.Errorf("%s:1: header is not %v", file, want)
	}
	out := map[string]*Outline{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		o := &Outline{Code: rec[0], Name: rec[1]}
		if o.Lon, err = strconv.ParseFloat(rec[3], 64); err == nil {
			o.Lat, err = strconv.ParseFloat(rec[4], 64)
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: centroid: %w", file, line, err)
		}
		if o.Rings, err = ParseWKT(rec[5]); err != nil {
			return nil, fmt.Errorf("%s:%d: outline_wkt: %w", file, line, err)
		}
		out[o.Code] = o
	}
	return out, nil
}

// ParseWKT reads a WKT POLYGON or MULTIPOLYGON and returns the outer ring of each polygon
// (holes are dropped) as [lon, lat] points.
func ParseWKT(s string) ([][][2]float64, error) {
	s = strings.TrimSpace(s)
	var body string
	switch {
	case strings.HasPrefix(s, "MULTIPOLYGON"):
		body = strings.TrimSpace(strings.TrimPrefix(s, "MULTIPOLYGON"))
	case strings.HasPrefix(s, "POLYGON"):
		body = "(" + strings.TrimSpace(strings.TrimPrefix(s, "POLYGON")) + ")"
	default:
		return nil, fmt.Errorf("not a POLYGON or MULTIPOLYGON: %.20q", s)
	}
	if !strings.HasPrefix(body, "(((") || !strings.HasSuffix(body, ")))") {
		return nil, fmt.Errorf("unbalanced parentheses")
	}
	body = body[1 : len(body)-1]
	var rings [][][2]float64
	for _, poly := range strings.Split(body, ")),") {
		poly = strings.TrimSpace(poly)
		outer, _, _ := strings.Cut(strings.Trim(poly, "()"), "),")
		var ring [][2]float64
		for _, xy := range strings.Split(strings.Trim(outer, "() "), ",") {
			f := strings.Fields(xy)
			if len(f) != 2 {
				return nil, fmt.Errorf("bad point %q", xy)
			}
			x, err1 := strconv.ParseFloat(f[0], 64)
			y, err2 := strconv.ParseFloat(f[1], 64)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("bad point %q", xy)
			}
			ring = append(ring, [2]float64{x, y})
		}
		if len(ring) < 4 {
			return nil, fmt.Errorf("a ring of %d points (at least 4)", len(ring))
		}
		rings = append(rings, ring)
	}
	return rings, nil
}

// Codes that changed after 2010. The outlines carry 2020 codes; the census and the model carry
// 2010 codes. OutlineCode maps one to the other explicitly:
//
//   - prefectures re-coded when a prefecture (地区) became a prefecture-level city: 522200
//     铜仁 -> 520600, 522400 毕节 -> 520500, 542100 昌都 -> 540300, 542200 山南 -> 540500,
//     542300 日喀则 -> 540200, 542400 那曲 -> 540600, 542600 林芝 -> 540400, 632100 海东 ->
//     630200, 652100 吐鲁番 -> 650400, 652200 哈密 -> 650500;
//   - 371200 莱芜 merged into 370100 济南 in 2019 (it had no counties, only districts);
//   - 341400 巢湖 was dissolved in 2011: its counties are drawn in the prefecture they joined
//     (341421 庐江 -> 340100 合肥, 341422 无为 -> 340200 芜湖, 341423 含山 and 341424 和县 ->
//     340500 马鞍山);
//   - a municipality's counties (110200, 120200, 310200, 500200) are drawn inside the
//     municipality's outline (110100, 120100, 310100, 500100);
//   - county-level units a province administers directly (xx90xx) have outlines of their own
//     under their county code, except 469003 儋州, a prefecture-level city since 2015 (460400).
var (
	prefectureRecoded = map[string]string{
		"522200": "520600", "522400": "520500", "542100": "540300", "542200": "540500",
		"542300": "540200", "542400": "540600", "542600": "540400", "632100": "630200",
		"652100": "650400", "652200": "650500", "371200": "370100",
		"110200": "110100", "120200": "120100", "310200": "310100", "500200": "500100",
	}
	countyRecoded = map[string]string{
		"341421": "340100", "341422": "340200", "341423": "340500", "341424": "340500",
		"469003": "460400",
	}
)

// OutlineCode returns the 2020 outline code under which a county (2010 code) is drawn, given
// its 2010 prefecture code, and whether the outlines have it.
func OutlineCode(countyCode, prefCode string) (string, bool) {
	os, err := Outlines()
	if err != nil {
		return "", false
	}
	code := prefCode
	switch {
	case countyRecoded[countyCode] != "":
		code = countyRecoded[countyCode]
	case len(countyCode) == 6 && countyCode[2:4] == "90":
		code = countyCode
	case prefectureRecoded[prefCode] != "":
		code = prefectureRecoded[prefCode]
	}
	_, ok := os[code]
	return code, ok
}
