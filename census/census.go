// Package census reads the embedded 2010 census county data and prefecture outlines (folder
// data/, see data/README.md for source, licence and attribution) and derives from them what
// the model takes per county: population, urban share, economic strength and an
// institutional-quality proxy (see derive.go for the mapping).
//
// The data are parsed once, on first use, and shared read-only.
package census

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/countysim/countysim/data"
)

// County is one county-level unit outside city districts (county, county-level city,
// autonomous county, banner, including the ones a province administers directly).
type County struct {
	// Code is the 2010 administrative division code (区划代码), six digits.
	Code string
	// Name is the full 2010 name, e.g. 巩义市.
	Name string
	// Short is the name without its type suffix (县, 市, 自治县, 旗, ...), e.g. 巩义.
	Short string
	// Province is the index of the county's province in Data.Provinces.
	Province int
	// PrefectureCode and Prefecture are the 2010 prefecture-level unit the county belongs to;
	// for counties under a municipality or administered by their province directly they are
	// the census' groupings (e.g. 419000 省直辖县级行政区划).
	PrefectureCode, Prefecture string
	// Population is the resident population (census count).
	Population int
	// Urban is the urban share of residents.
	Urban float64
	// NonAgriHukou is the share of residents with non-agricultural hukou.
	NonAgriHukou float64
	// Primary, Secondary and Tertiary are the sector shares of employed residents (sum 1).
	Primary, Secondary, Tertiary float64
	// SectorImputed is true when the census row lacks part of the sector mix (see imputeSectors).
	SectorImputed bool
	// Schooling is the mean years of schooling of residents aged 6 and over.
	Schooling float64
}

// Prefecture is a prefecture-level grouping of counties in the 2010 census.
type Prefecture struct {
	Code, Name string
	// Direct is true for the census' groupings that are not prefecture cities: a
	// municipality's counties (e.g. 500200 重庆市辖县) and a province's directly administered
	// county-level units (e.g. 419000).
	Direct bool
	// Counties are indices into Data.Counties, in code order.
	Counties []int
}

// Province is one of the 31 provinces, autonomous regions and municipalities.
type Province struct {
	// Code is the 2010 code (e.g. 410000); Name the Chinese name (河南省).
	Code, Name string
	// Key is the preset name (e.g. henan); English the label used in outputs (Henan).
	Key, English string
	// Prefectures are the prefecture-level groupings that have counties, in code order.
	Prefectures []Prefecture
	// Counties are indices into Data.Counties, in code order.
	Counties []int
	// AllPrefectures counts every prefecture-level unit of the province in the census,
	// including the ones made up of city districts only.
	AllPrefectures int
}

// Data is the parsed census: every province and every county outside city districts.
type Data struct {
	Provinces []Province
	Counties  []County
}

// provinceNames gives each province code its preset key and English label.
var provinceNames = map[string][2]string{
	"11": {"beijing", "Beijing"}, "12": {"tianjin", "Tianjin"}, "13": {"hebei", "Hebei"},
	"14": {"shanxi", "Shanxi"}, "15": {"inner-mongolia", "Inner Mongolia"}, "21": {"liaoning", "Liaoning"},
	"22": {"jilin", "Jilin"}, "23": {"heilongjiang", "Heilongjiang"}, "31": {"shanghai", "Shanghai"},
	"32": {"jiangsu", "Jiangsu"}, "33": {"zhejiang", "Zhejiang"}, "34": {"anhui", "Anhui"},
	"35": {"fujian", "Fujian"}, "36": {"jiangxi", "Jiangxi"}, "37": {"shandong", "Shandong"},
	"41": {"henan", "Henan"}, "42": {"hubei", "Hubei"}, "43": {"hunan", "Hunan"},
	"44": {"guangdong", "Guangdong"}, "45": {"guangxi", "Guangxi"}, "46": {"hainan", "Hainan"},
	"50": {"chongqing", "Chongqing"}, "51": {"sichuan", "Sichuan"}, "52": {"guizhou", "Guizhou"},
	"53": {"yunnan", "Yunnan"}, "54": {"tibet", "Tibet"}, "61": {"shaanxi", "Shaanxi"},
	"62": {"gansu", "Gansu"}, "63": {"qinghai", "Qinghai"}, "64": {"ningxia", "Ningxia"},
	"65": {"xinjiang", "Xinjiang"},
}

// nameSuffixes are the type suffixes stripped to get a county's short name, longest first.
var nameSuffixes = []string{"各族自治县", "自治县", "自治旗", "林区", "特区", "县", "市", "旗"}

// ShortName strips a county's type suffix (县, 市, 自治县, ...) when at least two characters remain.
func ShortName(name string) string {
	for _, s := range nameSuffixes {
		if rest, ok := strings.CutSuffix(name, s); ok && len([]rune(rest)) >= 2 {
			return rest
		}
	}
	return name
}

// Load returns the parsed census data. It parses the embedded file on first call and returns
// the same shared value after; callers must not modify it.
func Load() (*Data, error) { return loadOnce() }

var loadOnce = sync.OnceValues(func() (*Data, error) {
	b, err := data.FS.ReadFile("census-2010-counties.csv")
	if err != nil {
		return nil, fmt.Errorf("census: %w", err)
	}
	d, err := parse("data/census-2010-counties.csv", b)
	if err != nil {
		return nil, fmt.Errorf("census: %w", err)
	}
	return d, nil
})

// MustLoad is Load for callers that treat the embedded data as part of the program: the file
// is checked by the package's tests, so a failure is a build defect.
func MustLoad() *Data {
	d, err := Load()
	if err != nil {
		panic(err)
	}
	return d
}

// ProvinceByKey returns the index of the province with preset key key, or -1.
func (d *Data) ProvinceByKey(key string) int {
	return slices.IndexFunc(d.Provinces, func(p Province) bool { return p.Key == key })
}

// parse reads the census CSV (header: code,name,kind,prefecture_code,prefecture,population,
// urban_population,nonagri_hukou_pct,primary_pct,secondary_pct,tertiary_pct,schooling_years).
func parse(file string, b []byte) (*Data, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	want := []string{"code", "name", "kind", "prefecture_code", "prefecture", "population", "urban_population",
		"nonagri_hukou_pct", "primary_pct", "secondary_pct", "tertiary_pct", "schooling_years"}
	if !slices.Equal(head, want) {
		return nil, fmt.Errorf("%s:1: header %v, want %v", file, head, want)
	}
	d := &Data{}
	provIdx := map[string]int{}
	prefAll := map[string]int{} // province code -> prefecture rows
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		code, name, kind := rec[0], rec[1], rec[2]
		if len(code) != 6 {
			return nil, fmt.Errorf("%s:%d: code %q is not six digits", file, line, code)
		}
		switch kind {
		case "province":
			n, ok := provinceNames[code[:2]]
			if !ok {
				return nil, fmt.Errorf("%s:%d: unknown province code %s", file, line, code)
			}
			provIdx[code[:2]] = len(d.Provinces)
			d.Provinces = append(d.Provinces, Province{Code: code, Name: name, Key: n[0], English: n[1]})
			continue
		case "prefecture":
			prefAll[code[:2]]++
			continue
		case "county":
		default:
			return nil, fmt.Errorf("%s:%d: unknown kind %q", file, line, kind)
		}
		pi, ok := provIdx[code[:2]]
		if !ok {
			return nil, fmt.Errorf("%s:%d: county %s before its province", file, line, code)
		}
		c := County{Code: code, Name: name, Short: ShortName(name), Province: pi, PrefectureCode: rec[3], Prefecture: rec[4]}
		num := func(col int) (float64, bool, error) {
			if rec[col] == "" {
				return 0, false, nil
			}
			v, err := strconv.ParseFloat(rec[col], 64)
			if err != nil {
				return 0, false, fmt.Errorf("%s:%d: column %s: %w", file, line, want[col], err)
			}
			return v, true, nil
		}
		var vals [7]float64
		var have [7]bool
		for k := range vals {
			if vals[k], have[k], err = num(5 + k); err != nil {
				return nil, err
			}
		}
		if !have[0] || vals[0] <= 0 || !have[1] || !have[2] || !have[6] {
			return nil, fmt.Errorf("%s:%d: county %s lacks population, urban population, hukou or schooling", file, line, code)
		}
		c.Population = int(vals[0])
		c.Urban = vals[1] / vals[0]
		c.NonAgriHukou = vals[2] / 100
		c.Schooling = vals[6]
		c.Primary, c.Secondary, c.Tertiary = vals[3]/100, vals[4]/100, vals[5]/100
		given := 0
		for _, h := range have[3:6] {
			if h {
				given++
			}
		}
		c.SectorImputed = given < 3
		switch given {
		case 3:
			if s := c.Primary + c.Secondary + c.Tertiary; s > 0 {
				c.Primary, c.Secondary, c.Tertiary = c.Primary/s, c.Secondary/s, c.Tertiary/s
			}
		case 2: // the missing share is the rest
			switch {
			case !have[3]:
				c.Primary = max(0, 1-c.Secondary-c.Tertiary)
			case !have[4]:
				c.Secondary = max(0, 1-c.Primary-c.Tertiary)
			default:
				c.Tertiary = max(0, 1-c.Primary-c.Secondary)
			}
		default: // filled from the prefecture below
			c.Primary, c.Secondary, c.Tertiary = -1, -1, -1
		}
		ci := len(d.Counties)
		d.Counties = append(d.Counties, c)
		p := &d.Provinces[pi]
		p.Counties = append(p.Counties, ci)
		if n := len(p.Prefectures); n == 0 || p.Prefectures[n-1].Code != c.PrefectureCode {
			p.Prefectures = append(p.Prefectures, Prefecture{Code: c.PrefectureCode, Name: c.Prefecture, Direct: isDirect(c.PrefectureCode, c.Prefecture)})
		}
		pf := &p.Prefectures[len(p.Prefectures)-1]
		pf.Counties = append(pf.Counties, ci)
	}
	for i := range d.Provinces {
		p := &d.Provinces[i]
		p.AllPrefectures = prefAll[p.Code[:2]]
		for _, pf := range p.Prefectures {
			imputeSectors(d, pf)
		}
	}
	if len(d.Provinces) != 31 {
		return nil, fmt.Errorf("%s: %d provinces, want 31", file, len(d.Provinces))
	}
	return d, nil
}

// isDirect tells the census' county groupings that are not prefecture cities.
func isDirect(code, name string) bool {
	return code[2:4] == "90" || strings.HasSuffix(name, "辖县") || name == "省直辖县级行政区划"
}

// imputeSectors gives a county whose census row has at most one sector share the mean sector
// mix of the other counties of its prefecture grouping (only 鹿泉市, 130185, in the data).
func imputeSectors(d *Data, pf Prefecture) {
	var p, s, t float64
	n := 0
	for _, ci := range pf.Counties {
		if c := d.Counties[ci]; c.Primary >= 0 {
			p, s, t = p+c.Primary, s+c.Secondary, t+c.Tertiary
			n++
		}
	}
	for _, ci := range pf.Counties {
		if c := &d.Counties[ci]; c.Primary < 0 {
			c.Primary, c.Secondary, c.Tertiary = p/float64(n), s/float64(n), t/float64(n)
		}
	}
}
