package results

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/countysim/countysim/sim"
)

// summaryYears returns the calendar years summary.csv and Highlights compare: the first year
// of the run and the last complete year (the only year if the run is shorter than a year).
func (r *Recorder) summaryYears() (first, final int) {
	first = r.cfg.StartYear
	final = first
	if r.month >= 12 {
		final = first + r.month/12 - 1
	}
	return first, final
}

// yearValue returns key metric j (index into KeyMetrics) of group g in a calendar year: flows
// summed over the months the group had members, stocks at its last such month, rates averaged
// over them. n is the group's size in that last month; ok is false if the group was empty all
// year.
func (r *Recorder) yearValue(g, j, year int) (v float64, n int, ok bool) {
	for _, gy := range r.years[g] {
		if gy.year != year {
			continue
		}
		v = gy.v[j]
		if r.defs[r.key[j]].Kind == sim.Rate {
			v /= float64(gy.months)
		}
		return v, gy.n, true
	}
	return math.NaN(), 0, false
}

// yearlyUnit is a metric's unit in yearly tables: flows are summed over the year, so "per
// month" becomes "per year".
func yearlyUnit(d sim.MetricDef) string {
	if d.Kind != sim.Flow {
		return d.Unit
	}
	if u, ok := strings.CutSuffix(d.Unit, " per month"); ok {
		return u + " per year"
	}
	return d.Unit + " per year"
}

// writeSummary writes summary.csv: for every group and key metric, the first and final year
// values, the change and the change in percent of the first value (empty when undefined).
func (r *Recorder) writeSummary(w io.Writer) error {
	t, err := newCSVTable(w, SummaryFile, []column{
		{"group", colString}, {"metric", colString}, {"unit", colString},
		{"first_year", colInt}, {"first_value", colFloat},
		{"final_year", colInt}, {"final_value", colFloat},
		{"change", colFloat}, {"change_pct", colFloat},
	})
	if err != nil {
		return err
	}
	first, final := r.summaryYears()
	for g, grp := range r.groups {
		if len(r.years[g]) == 0 {
			continue
		}
		for j, k := range r.key {
			a, _, _ := r.yearValue(g, j, first)
			b, _, _ := r.yearValue(g, j, final)
			pct := math.NaN()
			if a != 0 {
				pct = 100 * (b - a) / math.Abs(a)
			}
			err := t.write([]cell{str(grp.Name), str(r.defs[k].Name), str(yearlyUnit(r.defs[k])),
				integer(first), float(a), integer(final), float(b), float(b - a), float(pct)})
			if err != nil {
				return err
			}
		}
	}
	return t.flush()
}

// writeMetrics writes metrics.csv, the dictionary of every metric in series.csv and
// counties.csv.
func (r *Recorder) writeMetrics(w io.Writer) error {
	t, err := newCSVTable(w, MetricsFile, []column{
		{"name", colString}, {"unit", colString}, {"yearly_unit", colString}, {"family", colString},
		{"kind", colString}, {"aggregation", colString}, {"level", colString}, {"help", colString},
	})
	if err != nil {
		return err
	}
	for k, d := range r.defs {
		level, agg := "county", aggregation(d)
		if k >= sim.NumMetrics {
			level, agg = "group", "computed from county gdp and population (population-weighted)"
		}
		err := t.write([]cell{str(d.Name), str(d.Unit), str(yearlyUnit(d)), str(d.Family),
			str(kindName(d.Kind)), str(agg), str(level), str(d.Help)})
		if err != nil {
			return err
		}
	}
	return t.flush()
}

// aggregation describes in words how a metric combines across a group's counties.
func aggregation(d sim.MetricDef) string {
	switch d.Agg {
	case sim.Sum:
		return "sum"
	case sim.Mean:
		return "mean"
	case sim.Weighted:
		return "mean weighted by " + d.Weight
	case sim.Ratio:
		s := "sum(" + d.Num + ") / sum(" + d.Den + ")"
		if d.Scale != 1 {
			s += " * " + strconv.FormatFloat(d.Scale, 'g', -1, 64)
		}
		return s
	}
	return "unknown"
}

func kindName(k sim.Kind) string {
	switch k {
	case sim.Flow:
		return "flow"
	case sim.Stock:
		return "stock"
	case sim.Rate:
		return "rate"
	}
	return "unknown"
}

// highlight is one sentence of Highlights: how to read its value from a group-year and the
// wording with pilots (pilot now, pilot then, non-pilot now) and without (province now, then).
type highlight struct {
	value         func(r *Recorder, g, year int) (float64, bool)
	format        func(float64) string
	pilot, county string
}

var highlights = []highlight{
	{keyValue("investment_days", 1), days,
		"Investment approvals in pilot counties took %s in %d, against %s in %d (non-pilots: %s).",
		"Investment approvals took %s on average in %d, against %s in %d."},
	{keyValue("admin_cost_share", 100), percent,
		"Administrative cost was %s of pilot counties' spending in %d, against %s in %d (non-pilots: %s).",
		"Administrative cost was %s of county spending in %d, against %s in %d."},
	{keyValue("self_sufficiency", 100), percent,
		"Pilot counties covered %s of their spending from own and shared revenue in %d, against %s in %d (non-pilots: %s).",
		"Counties covered %s of their spending from own and shared revenue in %d, against %s in %d."},
	{debtPerCounty, money,
		"Debt, explicit plus hidden, stood at %s per pilot county at the end of %d, against %s at the end of %d (non-pilots: %s).",
		"Debt, explicit plus hidden, stood at %s per county at the end of %d, against %s at the end of %d."},
	{keyValue("growth", 100), percent,
		"GDP in pilot counties grew %s in %d, against %s in %d (non-pilots: %s).",
		"County GDP grew %s in %d, against %s in %d."},
	{keyValue("gdp_per_capita", 1), yuan,
		"GDP per capita in pilot counties was %s in %d, against %s in %d (non-pilots: %s).",
		"GDP per capita in the counties was %s in %d, against %s in %d."},
	{keyValue("detection", 100), percent,
		"The monthly chance that misuse or hidden borrowing is detected was %s in pilot counties in %d, against %s in %d (non-pilots: %s).",
		"The monthly chance that misuse or hidden borrowing is detected was %s in %d, against %s in %d."},
}

// Highlights returns a few plain-language sentences built from the recorded numbers: pilot
// counties in the final year against the first year and against non-pilots, or, without
// pilots, all counties in the final year against the first; then within-province inequality.
// The years are those of summary.csv. It returns nil before two calendar years are recorded.
func (r *Recorder) Highlights() []string {
	first, final := r.summaryYears()
	if first == final {
		return nil
	}
	prov, pilot, non := r.groupIndex("province"), r.groupIndex("pilot"), r.groupIndex("non-pilot")
	var out []string
	for _, h := range highlights {
		p1, ok1 := h.value(r, pilot, final)
		p0, ok0 := h.value(r, pilot, first)
		n1, okn := h.value(r, non, final)
		if ok1 && ok0 && okn {
			out = append(out, fmt.Sprintf(h.pilot, h.format(p1), final, h.format(p0), first, h.format(n1)))
			continue
		}
		a1, ok1 := h.value(r, prov, final)
		a0, ok0 := h.value(r, prov, first)
		if ok1 && ok0 {
			out = append(out, fmt.Sprintf(h.county, h.format(a1), final, h.format(a0), first))
		}
	}
	t1, ok1 := keyValue(TheilGDPPerCapita, 1)(r, prov, final)
	t0, ok0 := keyValue(TheilGDPPerCapita, 1)(r, prov, first)
	if ok1 && ok0 {
		out = append(out, fmt.Sprintf("Inequality of GDP per capita across counties (Theil index, 0 = equal) was %.3f in %d, against %.3f in %d.", t1, final, t0, first))
	}
	return out
}

func (r *Recorder) groupIndex(name string) int {
	for g, grp := range r.groups {
		if grp.Name == name {
			return g
		}
	}
	return -1
}

// keyValue reads a key metric of a group-year, times scale.
func keyValue(name string, scale float64) func(*Recorder, int, int) (float64, bool) {
	j := -1
	for i, k := range KeyMetrics {
		if k == name {
			j = i
		}
	}
	return func(r *Recorder, g, year int) (float64, bool) {
		if g < 0 {
			return 0, false
		}
		v, _, ok := r.yearValue(g, j, year)
		return v * scale, ok && !math.IsNaN(v)
	}
}

// debtPerCounty is explicit plus hidden debt per member county at the end of a year.
func debtPerCounty(r *Recorder, g, year int) (float64, bool) {
	e, okE := keyValue("explicit_debt", 1)(r, g, year)
	h, okH := keyValue("hidden_debt", 1)(r, g, year)
	if !okE || !okH {
		return 0, false
	}
	_, n, _ := r.yearValue(g, 0, year)
	return (e + h) / float64(n), n > 0
}

func days(v float64) string {
	if v < 10 {
		return strconv.FormatFloat(v, 'f', 1, 64) + " days"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " days"
}

func percent(v float64) string {
	if math.Abs(v) < 10 {
		return strconv.FormatFloat(v, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + "%"
}

// money formats million yuan.
func money(v float64) string {
	if math.Abs(v) >= 1000 {
		return strconv.FormatFloat(v/1000, 'f', 1, 64) + " billion yuan"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " million yuan"
}

// yuan formats a whole number of yuan with thousands separators.
func yuan(v float64) string {
	s := strconv.FormatFloat(math.Abs(math.Round(v)), 'f', 0, 64)
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + " yuan"
}
