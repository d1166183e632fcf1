package results

import (
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/observe"
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
//
// A flow of a year the run does not cover whole (a run shorter than a year) is NaN: a sum
// over fewer than 12 months is not a year's.
func (r *Recorder) yearValue(g, j, year int) (v float64, n int, ok bool) {
	for _, gy := range r.years[g] {
		if gy.year != year {
			continue
		}
		v = gy.v[j]
		if r.defs[r.key[j]].Kind == sim.Flow && r.month < 12*(year-r.cfg.StartYear+1) {
			v = math.NaN()
		}
		if r.defs[r.key[j]].Kind == sim.Rate {
			v /= float64(gy.months)
		}
		return v, gy.n, true
	}
	return math.NaN(), 0, false
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
			err := t.write([]cell{str(grp.Name), str(r.defs[k].Name), str(observe.YearlyUnit(r.defs[k])),
				integer(first), float(a), integer(final), float(b), float(b - a), float(pct)})
			if err != nil {
				return err
			}
		}
	}
	return t.flush()
}

// writeMetrics writes metrics.csv, the dictionary of every metric in series.csv and
// counties.csv. The English columns never change with the language; name_zh and meaning_zh
// give every metric's Chinese name and meaning in every language.
func (r *Recorder) writeMetrics(w io.Writer) error {
	t, err := newCSVTable(w, MetricsFile, []column{
		{"name", colString}, {"unit", colString}, {"yearly_unit", colString}, {"family", colString},
		{"kind", colString}, {"aggregation", colString}, {"level", colString}, {"help", colString},
		{"name_zh", colString}, {"meaning_zh", colString},
	})
	if err != nil {
		return err
	}
	for k, d := range r.defs {
		level, agg := "county", aggregation(d)
		if k >= sim.NumMetrics {
			level, agg = "group", "computed from county gdp and population (population-weighted)"
		}
		nameZh, meaningZh, _ := lang.MetricNameZh(d.Name)
		err := t.write([]cell{str(d.Name), str(d.Unit), str(observe.YearlyUnit(d)), str(d.Family),
			str(kindName(d.Kind)), str(agg), str(level), str(d.Help), str(nameZh), str(meaningZh)})
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
	format        func(Lang, float64) string
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
	{debtPerCounty("explicit_debt"), money,
		"Debt on the books stood at %s per pilot county at the end of %d, against %s at the end of %d (non-pilots: %s).",
		"Debt on the books stood at %s per county at the end of %d, against %s at the end of %d."},
	{debtPerCounty("hidden_debt"), money,
		"Hidden, off-budget debt stood at %s per pilot county at the end of %d, against %s at the end of %d (non-pilots: %s).",
		"Hidden, off-budget debt stood at %s per county at the end of %d, against %s at the end of %d."},
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

// Highlights returns a few plain-language sentences, in the recorder's language, built from
// the recorded numbers: pilot counties in the final year against the first year and against
// non-pilots, or, without pilots, all counties in the final year against the first; then
// within-province inequality. The years are those of summary.csv. These describe change over
// time within the run, not the effect of a reform: for that, compare with the no-reform
// counterfactual (AgainstCounterfactual). It returns nil before two calendar years are
// recorded.
func (r *Recorder) Highlights() []string {
	l := r.opts.Lang
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
			out = append(out, l.F(h.pilot, h.format(l, p1), final, h.format(l, p0), first, h.format(l, n1)))
			continue
		}
		a1, ok1 := h.value(r, prov, final)
		a0, ok0 := h.value(r, prov, first)
		if ok1 && ok0 {
			out = append(out, l.F(h.county, h.format(l, a1), final, h.format(l, a0), first))
		}
	}
	t1, ok1 := keyValue(observe.TheilGDPPerCapita, 1)(r, prov, final)
	t0, ok0 := keyValue(observe.TheilGDPPerCapita, 1)(r, prov, first)
	if ok1 && ok0 {
		out = append(out, l.F("Inequality of GDP per capita across counties (Theil index, 0 = equal) was %.3f in %d, against %.3f in %d.", t1, final, t0, first))
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

// debtPerCounty reads a debt metric per member county at the end of a year.
func debtPerCounty(name string) func(*Recorder, int, int) (float64, bool) {
	return func(r *Recorder, g, year int) (float64, bool) {
		d, ok := keyValue(name, 1)(r, g, year)
		if !ok {
			return 0, false
		}
		_, n, _ := r.yearValue(g, 0, year)
		return d / float64(n), n > 0
	}
}

func days(l Lang, v float64) string {
	if v < 10 {
		return strconv.FormatFloat(v, 'f', 1, 64) + l.T(" days")
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + l.T(" days")
}

func percent(_ Lang, v float64) string {
	if math.Abs(v) < 10 {
		return strconv.FormatFloat(v, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + "%"
}

// money formats million yuan: in Chinese 万元 below a hundred million yuan, 亿元 above.
func money(l Lang, v float64) string {
	if l == Chinese {
		if math.Abs(v) >= 100 {
			return strconv.FormatFloat(v/100, 'f', 1, 64) + "亿元"
		}
		return strconv.FormatFloat(v*100, 'f', 0, 64) + "万元"
	}
	if math.Abs(v) >= 1000 {
		return strconv.FormatFloat(v/1000, 'f', 1, 64) + " billion yuan"
	}
	return strconv.FormatFloat(v, 'f', 0, 64) + " million yuan"
}

// yuan formats a whole number of yuan with thousands separators.
func yuan(l Lang, v float64) string {
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
	return b.String() + l.T(" yuan")
}
