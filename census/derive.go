package census

import (
	"github.com/countysim/countysim/sim"
	"math"
	"slices"
	"sync"
)

// The mapping from census indicators to the model's county inputs. The census has no GDP or
// fiscal figures, so economic strength (GDP per capita relative to a typical county) is
// estimated from what it has, in two documented steps, with no parameter fitted to a model
// outcome:
//
//  1. Output per worker from the sector mix of employed residents: each sector's share of
//     workers times its national relative labour productivity in 2010 (its share of GDP over
//     its share of employment: primary 10.1/36.7, secondary 46.7/28.7, tertiary 43.2/34.6;
//     China Statistical Yearbook 2011, tables 2-2 and 4-2).
//  2. Human capital: times exp(SchoolingReturn x (years of schooling - NationalSchooling)),
//     a Mincer return of 8% a year of schooling (a middle value of estimates for China around
//     2010; an assumption).
//
// Urbanisation and the non-agricultural hukou share are not added to the strength index: both
// move with the sector mix, and adding them would count the same thing twice. They feed the
// urban share (directly) and the institutional-quality proxy. The index leaves out what the
// census cannot see (capital per worker, resource rents, productivity differences within a
// sector), so its spread is narrower than that of real county GDP per capita (docs/MODEL.md,
// section 6, gives the numbers).

// SectorProductivity is each sector's 2010 national relative labour productivity (share of GDP
// over share of employment): primary, secondary, tertiary.
var SectorProductivity = [3]float64{10.1 / 36.7, 46.7 / 28.7, 43.2 / 34.6}

const (
	// SchoolingReturn is the Mincer return to a year of schooling (assumption, see above).
	SchoolingReturn = 0.08
	// NationalSchooling is the mean years of schooling of residents aged 6+ in 2010 (census).
	NationalSchooling = 8.8
	// IQMean and IQSpread place the institutional-quality proxy: the national mean and standard
	// deviation of county institutional quality, as in the model's synthetic draw (default
	// economy.institution_mean 0.55; spread about 0.12).
	IQMean   = 0.55
	IQSpread = 0.12
)

// Productivity is the county's output-per-worker index (1 = the national average worker with
// national mean schooling).
func (c County) Productivity() float64 {
	p := c.Primary*SectorProductivity[0] + c.Secondary*SectorProductivity[1] + c.Tertiary*SectorProductivity[2]
	return p * sim.Exp(SchoolingReturn*(c.Schooling-NationalSchooling))
}

// Derived is what the model takes for one county, derived from the census.
type Derived struct {
	// Strength is GDP per capita relative to the province's median county (1 = typical).
	Strength float64
	// NationalStrength is the same relative to the national median county.
	NationalStrength float64
	// IQ is the institutional-quality proxy in [0.05, 0.95].
	IQ float64
}

// Derive returns the derived inputs of every county, index for index with d.Counties.
//
// Strength is the county's productivity index over its province's median. The
// institutional-quality proxy is IQMean + IQSpread x q, clamped to [0.05, 0.95], where q is
// the standardised mean of the national z-scores of schooling and of the non-agricultural
// hukou share: better-schooled counties with more of their residents in the non-agricultural
// system (cadres, teachers, state employees) are taken to have more administrative capacity
// (an assumption of the mapping, not an estimate).
func (d *Data) Derive() []Derived {
	if loaded, err := Load(); err == nil && d == loaded {
		return derivedOnce()
	}
	return derive(d)
}

// derivedOnce caches the derivation of the embedded data.
var derivedOnce = sync.OnceValue(func() []Derived { return derive(MustLoad()) })

func derive(d *Data) []Derived {
	n := len(d.Counties)
	out := make([]Derived, n)
	prod := make([]float64, n)
	for i, c := range d.Counties {
		prod[i] = c.Productivity()
	}
	natMed := median(prod)
	for _, p := range d.Provinces {
		vals := make([]float64, len(p.Counties))
		for k, ci := range p.Counties {
			vals[k] = prod[ci]
		}
		med := median(vals)
		for _, ci := range p.Counties {
			out[ci].Strength = prod[ci] / med
			out[ci].NationalStrength = prod[ci] / natMed
		}
	}
	school := make([]float64, n)
	hukou := make([]float64, n)
	for i, c := range d.Counties {
		school[i], hukou[i] = c.Schooling, c.NonAgriHukou
	}
	zs, zh := zscores(school), zscores(hukou)
	q := make([]float64, n)
	for i := range q {
		q[i] = (zs[i] + zh[i]) / 2
	}
	q = zscores(q)
	for i := range out {
		out[i].IQ = math.Max(0.05, math.Min(0.95, IQMean+IQSpread*q[i]))
	}
	return out
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func zscores(v []float64) []float64 {
	var m, ss float64
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	for _, x := range v {
		ss += (x - m) * (x - m)
	}
	sd := math.Sqrt(ss / float64(len(v)))
	out := make([]float64, len(v))
	for i, x := range v {
		if sd > 0 {
			out[i] = (x - m) / sd
		}
	}
	return out
}
