package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/countysim/countysim/census"
	"github.com/countysim/countysim/sim"
)

// Presets come in two kinds.
//
// Real presets (henan, zhejiang, ..., one per province, and national) list every county-level
// unit outside city districts of the 2010 census by name, code and prefecture, with its census
// population and urban share, its towns and townships, and the economic strength and
// institutional-quality proxy package census derives from the census indicators (see
// docs/MODEL.md, "Real provinces", and census/derive.go).
//
// Synthetic presets (henan-synthetic, ..., national-synthetic, teaching) give only the counts:
// the model draws the counties, which are then exchangeable.

// syntheticSuffix ends the name of a synthetic province preset.
const syntheticSuffix = "-synthetic"

// provinceCounts are the 2009 administrative counts of the provinces with synthetic presets,
// from the China Statistical Yearbook 2010, table 1-1 (data/admin-units.csv): prefecture-level
// units, county-level units outside city districts, township-level units. Jiangxi is not in
// that table: its 11 prefectures and 80 counties are from its 2005-09 PMC programme (21, 59,
// then all 80 counties); its towns are an assumption, see jiangxiTowns.
var provinceCounts = []struct {
	key, name     string
	prefectures   int
	counties      int
	townshipLevel int
}{
	{"zhejiang", "Zhejiang", 11, 58, 1513},
	{"jiangsu", "Jiangsu", 13, 51, 1334},
	{"anhui", "Anhui", 17, 61, 1520},
	{"hubei", "Hubei", 13, 64, 1227},
	{"henan", "Henan", 17, 109, 2361},
	{"hebei", "Hebei", 11, 136, 2228},
	{"jiangxi", "Jiangxi", 11, 80, 0},
}

// National totals for 2009 (same source): prefecture-level units, county-level units outside
// city districts, and township-level units, of which towns and townships (the units outside
// city cores) numbered 34,170 (19,322 towns plus 14,848 townships; 6,686 were subdistricts).
const (
	nationalProvinces     = 31
	nationalPrefectures   = 333
	nationalCounties      = 2003
	nationalTownshipLevel = 40858
	nationalTowns         = 34170
)

// jiangxiTowns is an assumption: about 1,400 towns and townships in Jiangxi's counties. The
// national 2009 ratio, about 17 per non-district county (34,170 / 2,003), times 80 counties gives
// about 1,365; the round figure is kept as the estimate.
const jiangxiTowns = 1400

// henanPilots are the ten counties Henan put under full province management from 2014
// (model brief, section 6). The henan-synthetic preset names its first ten counties after them
// and marks them strong, because pilots were chosen for their economic base.
var henanPilots = []string{"巩义", "兰考", "汝州", "滑县", "长垣", "邓州", "永城", "固始", "鹿邑", "新蔡"}

// towns converts a province's township-level count to the towns and townships outside city
// cores, by the national 2009 ratio (34,170 of 40,858), rounded to the nearest unit.
func towns(townshipLevel int) int {
	return (townshipLevel*nationalTowns + nationalTownshipLevel/2) / nationalTownshipLevel
}

func syntheticProvince(i int) sim.ProvinceSpec {
	c := provinceCounts[i]
	t := jiangxiTowns
	if c.townshipLevel > 0 {
		t = towns(c.townshipLevel)
	}
	return sim.ProvinceSpec{Name: c.name, Prefectures: c.prefectures, Counties: c.counties, Towns: t}
}

// syntheticNational is the whole country by counts only: the seven provinces above with their
// own counts, and the rest of the 2009 national totals split over 24 further provinces named
// Province-08 to Province-31, as evenly as whole numbers allow (the first ones take one more
// unit each of any remainder). The 24 are stand-ins: they match the national totals, not any
// real province.
func syntheticNational() sim.World {
	var w sim.World
	pref, cty, twn := nationalPrefectures, nationalCounties, nationalTowns
	for i := range provinceCounts {
		p := syntheticProvince(i)
		w.Provinces = append(w.Provinces, p)
		pref, cty, twn = pref-p.Prefectures, cty-p.Counties, twn-p.Towns
	}
	rest := nationalProvinces - len(w.Provinces)
	share := func(total, k int) int {
		n := total / rest
		if k < total%rest {
			n++
		}
		return n
	}
	for k := 0; k < rest; k++ {
		w.Provinces = append(w.Provinces, sim.ProvinceSpec{
			Name:        fmt.Sprintf("Province-%02d", len(w.Provinces)+1),
			Prefectures: share(pref, k),
			Counties:    share(cty, k),
			Towns:       share(twn, k),
		})
	}
	return w
}

// teachingWorld is a small made-up province for the classroom: quick to run, easy to read.
func teachingWorld() sim.World {
	return sim.World{Provinces: []sim.ProvinceSpec{{Name: "Teaching", Prefectures: 4, Counties: 20, Towns: 300}}}
}

// realWorlds holds the real provinces built from the census, once: each province with
// strength relative to its own median county (for a province preset) and relative to the
// national median county (for national, so that provinces differ from one another).
type realWorlds struct {
	province map[string]sim.ProvinceSpec
	national []sim.ProvinceSpec
	keys     []string
}

var buildReal = sync.OnceValues(func() (*realWorlds, error) {
	d, err := census.Load()
	if err != nil {
		return nil, err
	}
	return newRealWorlds(d, d.Derive())
})

// newRealWorlds builds every real province from the census data and its derivation.
func newRealWorlds(d *census.Data, der []census.Derived) (*realWorlds, error) {
	totals, err := realTownTotals(d)
	if err != nil {
		return nil, err
	}
	rw := &realWorlds{province: map[string]sim.ProvinceSpec{}}
	for pi, p := range d.Provinces {
		rw.province[p.Key] = realProvince(d, der, pi, totals[pi], false)
		rw.national = append(rw.national, realProvince(d, der, pi, totals[pi], true))
		rw.keys = append(rw.keys, p.Key)
	}
	return rw, nil
}

// realTownTotals gives each census province its towns and townships outside city cores: the
// 2009 township-level count of data/admin-units.csv converted by the national ratio (towns), for
// the six provinces the table has; jiangxiTowns for Jiangxi; and the rest of the national
// 34,170 split over the other 24 provinces in proportion to their numbers of counties
// (largest remainder). Within a province, realProvince apportions the total by population.
func realTownTotals(d *census.Data) ([]int, error) {
	out := make([]int, len(d.Provinces))
	left := nationalTowns
	var rest []int
	var restW []float64
	for pi, p := range d.Provinces {
		switch row, ok := census.Admin(p.English, 2009); {
		case ok && row.TownshipLevel > 0:
			out[pi] = towns(row.TownshipLevel)
		case p.Key == "jiangxi":
			out[pi] = jiangxiTowns
		default:
			rest = append(rest, pi)
			restW = append(restW, float64(len(p.Counties)))
			continue
		}
		left -= out[pi]
	}
	if _, ok := census.Admin("China", 2009); !ok {
		return nil, fmt.Errorf("data/admin-units.csv: no national row for 2009")
	}
	for k, n := range sim.Apportion(left, restW, 0) {
		out[rest[k]] = n
	}
	return out, nil
}

// Limits the model puts on a county's towns (sim.Config.Validate).
const minTowns, maxTowns = 3, 100

// realProvince builds one province's spec from the census: prefectures in code order (the
// census' groupings of a municipality's counties and of a province's directly administered
// county-level units count as one prefecture each), counties in code order within them.
func realProvince(d *census.Data, der []census.Derived, pi, towns int, national bool) sim.ProvinceSpec {
	p := d.Provinces[pi]
	spec := sim.ProvinceSpec{Name: p.English, Prefectures: len(p.Prefectures)}
	var pop []float64
	for j, pf := range p.Prefectures {
		spec.PrefectureNames = append(spec.PrefectureNames, pf.Name)
		spec.PrefectureCodes = append(spec.PrefectureCodes, pf.Code)
		for _, ci := range pf.Counties {
			c := d.Counties[ci]
			s := der[ci].Strength
			if national {
				s = der[ci].NationalStrength
			}
			spec.CountyList = append(spec.CountyList, sim.CountySpec{
				Name: c.Name, Code: c.Code, Prefecture: j,
				Population: float64(c.Population),
				Urban:      math.Max(0.01, math.Min(1, c.Urban)),
				Strength:   s,
				// The census index sees the sector mix and schooling, not capital, resource
				// rents or productivity within sectors: the rest of the spread is drawn.
				StrengthPartial: true,
				IQ:              der[ci].IQ,
			})
			pop = append(pop, float64(c.Population))
		}
	}
	spec.Counties = len(spec.CountyList)
	towns = max(towns, minTowns*spec.Counties)
	for k, n := range sim.Apportion(towns-minTowns*spec.Counties, pop, 0) {
		t := min(minTowns+n, maxTowns)
		spec.CountyList[k].Towns = t
		spec.Towns += t
	}
	return spec
}

// cloneProvince copies a spec with its own lists, so that callers may change it.
func cloneProvince(p sim.ProvinceSpec) sim.ProvinceSpec {
	p.CountyNames = slices.Clone(p.CountyNames)
	p.CountyList = slices.Clone(p.CountyList)
	p.PrefectureNames = slices.Clone(p.PrefectureNames)
	p.PrefectureCodes = slices.Clone(p.PrefectureCodes)
	return p
}

// Presets returns the names of the province presets, sorted.
func Presets() []string {
	out := []string{"national", "national" + syntheticSuffix, "teaching"}
	for _, c := range provinceCounts {
		out = append(out, c.key+syntheticSuffix)
	}
	if rw, err := buildReal(); err == nil {
		out = append(out, rw.keys...)
	}
	slices.Sort(out)
	return out
}

// Preset returns the world of the named province preset (a fresh copy each call).
func Preset(name string) (sim.World, error) {
	switch name {
	case "national" + syntheticSuffix:
		return syntheticNational(), nil
	case "teaching":
		return teachingWorld(), nil
	}
	if key, ok := strings.CutSuffix(name, syntheticSuffix); ok {
		for i, c := range provinceCounts {
			if c.key == key {
				p := syntheticProvince(i)
				if key == "henan" {
					p.CountyNames = slices.Clone(henanPilots)
					p.StrongCounties = true
				}
				return sim.World{Provinces: []sim.ProvinceSpec{p}}, nil
			}
		}
	}
	rw, err := buildReal()
	if err != nil {
		return sim.World{}, fmt.Errorf("preset %q: %w", name, err)
	}
	if name == "national" {
		w := sim.World{Provinces: make([]sim.ProvinceSpec, len(rw.national))}
		for i, p := range rw.national {
			w.Provinces[i] = cloneProvince(p)
		}
		return w, nil
	}
	if p, ok := rw.province[name]; ok {
		return sim.World{Provinces: []sim.ProvinceSpec{cloneProvince(p)}}, nil
	}
	return sim.World{}, fmt.Errorf("unknown preset %q (presets: %s)", name, strings.Join(Presets(), ", "))
}
