package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"github.com/countysim/countysim/sim"
)

// provinceCounts are the 2009 administrative counts of the provinces with presets, from the
// China Statistical Yearbook 2010, table 1-1, as copied into shared/data/admin-units.csv
// (prefecture-level units, county-level units outside city districts, township-level units).
// Jiangxi is not in that table: its 11 prefectures and 80 counties are from its 2005-09 PMC
// programme (21, 59, then all 80 counties); its towns are an assumption, see jiangxiTowns.
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
// (model brief, section 6). The henan preset names its first ten counties after them and marks
// them strong, because pilots were chosen for their economic base.
var henanPilots = []string{"巩义", "兰考", "汝州", "滑县", "长垣", "邓州", "永城", "固始", "鹿邑", "新蔡"}

// towns converts a province's township-level count to the towns and townships outside city
// cores, by the national 2009 ratio (34,170 of 40,858), rounded to the nearest unit.
func towns(townshipLevel int) int {
	return (townshipLevel*nationalTowns + nationalTownshipLevel/2) / nationalTownshipLevel
}

func realProvince(i int) sim.ProvinceSpec {
	c := provinceCounts[i]
	t := jiangxiTowns
	if c.townshipLevel > 0 {
		t = towns(c.townshipLevel)
	}
	return sim.ProvinceSpec{Name: c.name, Prefectures: c.prefectures, Counties: c.counties, Towns: t}
}

// nationalWorld is the whole country: the seven provinces above with their own counts, and the
// rest of the 2009 national totals split over 24 further provinces named Province-08 to
// Province-31, as evenly as whole numbers allow (the first ones take one more unit each of any
// remainder). The 24 are stand-ins: they match the national totals, not any real province.
func nationalWorld() sim.World {
	var w sim.World
	pref, cty, twn := nationalPrefectures, nationalCounties, nationalTowns
	for i := range provinceCounts {
		p := realProvince(i)
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

// Presets returns the names of the province presets, sorted.
func Presets() []string {
	out := []string{"national", "teaching"}
	for _, c := range provinceCounts {
		out = append(out, c.key)
	}
	slices.Sort(out)
	return out
}

// Preset returns the world of the named province preset (a fresh copy each call).
func Preset(name string) (sim.World, error) {
	switch name {
	case "national":
		return nationalWorld(), nil
	case "teaching":
		return teachingWorld(), nil
	}
	for i, c := range provinceCounts {
		if c.key == name {
			p := realProvince(i)
			if name == "henan" {
				p.CountyNames = slices.Clone(henanPilots)
				p.StrongCounties = true
			}
			return sim.World{Provinces: []sim.ProvinceSpec{p}}, nil
		}
	}
	return sim.World{}, fmt.Errorf("unknown preset %q (presets: %s)", name, strings.Join(Presets(), ", "))
}
