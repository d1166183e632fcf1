package observe

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/countysim/countysim/sim"
)

// Panel is the county-year panel of one run, built while the run goes (its Observe method is
// sim.Model.Run's callback) and held in memory: counties x years x columns. It is the data a
// difference-in-differences study of the reform works on: one row per county and calendar
// year, the county's PMC step at the year's end, whether it is treated, and its outcomes.
//
// A county is treated from the first year whose last month finds it at TreatmentStep or
// beyond (1: fiscal PMC, 3: full PMC); steps only go up, so treatment never ends.
// Non-pilot counties never leave step 0 and are the controls. Outcomes combine the months of
// a year as counties.csv does (sim.Kind: flows summed, stocks at the last month, rates
// averaged), except the derived columns listed in PanelColumns.
type Panel struct {
	TreatmentStep int
	StartYear     int
	// Years is the number of whole calendar years the horizon covers. Months past the last
	// whole year are observed but left out (a year's flows must be a year's, and its growth a
	// year's): PartialMonths reports them.
	Years    int
	Columns  []PanelColumn
	Counties []PanelCounty

	months  int       // horizon
	month   int       // months observed
	steps   []int     // counties x years: PMC step at the year's last observed month
	values  []float64 // counties x years x len(Columns)
	acc     []float64 // counties x len(Columns): the current year so far
	nAcc    int       // months in acc
	gdpPrev []float64 // county GDP at the end of the previous year
}

// PanelCounty holds a county's identifier and fixed columns.
type PanelCounty struct {
	ID         int
	Name       string
	Code       string // administrative division code ("" for a drawn county)
	PrefID     int
	Prefecture string
	PrefCode   string // prefecture's division code ("" for a drawn world)
	Province   string
	Pilot      bool
	Cohort     string // cohort name; empty for non-pilots
	// Tercile is the strength tercile within the province (1 weakest), IQTercile the
	// institutional-quality tercile within the province (1 lowest).
	Tercile, IQTercile int
	IQ, Strength       float64
}

// PanelColumn is one value column of the panel.
type PanelColumn struct {
	Name string
	Unit string // per county and year
	// Int columns hold whole numbers (counts, 0/1 indicators).
	Int bool
	// Estimate marks the outcomes that evaluate estimates effects on.
	Estimate bool
	metric   int // index into sim.Metrics, or one of the derived codes below
}

// Derived columns, computed from the model's monthly outputs rather than copied from one metric.
const (
	derivedGrowth = -1 - iota
	derivedArrearsMonths
	derivedArrearsCovered
)

// arrearsEpsilon is the wage arrears (million yuan) above which a county counts as owing
// wages, as in the counties_with_arrears metric.
const arrearsEpsilon = 1e-9

// PanelColumns returns the value columns of the county-year panel, in output order.
//
//   - growth is the year's GDP growth as a log rate, ln(GDP at the year's end / GDP at the
//     previous year's end) (the first year starts from the last burn-in month). The model
//     compounds GDP by exp(g/12) each month, so this equals the mean of the monthly growth
//     rates over the year exactly.
//   - arrears_months counts the months of the year the county owed wages;
//     arrears_covered_months those of them in which its receipts (local_revenue +
//     transfers_received) covered its whole wage obligation (this month's wage bill plus the
//     arrears carried in, which equals spend_wages + wage_arrears at the month's end), the
//     situation the priority rule is meant to rule out.
//   - every other column is the sim metric of that name combined by its Kind.
func PanelColumns() []PanelColumn {
	m := func(name string, estimate bool) PanelColumn {
		k := sim.MetricIndex(name)
		if k < 0 {
			panic("results: panel column " + name + " is not a metric of the model")
		}
		d := sim.Metrics[k]
		return PanelColumn{Name: name, Unit: YearlyUnit(d), Estimate: estimate, metric: k}
	}
	indicator := func(name string) PanelColumn {
		c := m(name, true)
		c.Int, c.Unit = true, "0/1 at the year's end"
		return c
	}
	return []PanelColumn{
		{Name: "growth", Unit: "log rate per year", Estimate: true, metric: derivedGrowth},
		m("gdp_per_capita", true),
		m("population", false),
		m("own_revenue", true),
		m("local_revenue", true),
		m("transfers_received", true),
		m("transfers_kept", true),
		m("spend_wages", true),
		m("spend_operations", true),
		m("spend_livelihood", true),
		m("spend_production", true),
		m("spend_debt_service", true),
		m("misused_funds", true),
		m("explicit_debt", true),
		m("hidden_debt", true),
		m("approval_days", true),
		m("investment_days", true),
		m("market_entry_days", true),
		indicator("counties_red"),
		m("wage_arrears", true),
		indicator("counties_with_arrears"),
		{Name: "arrears_months", Unit: "months", Int: true, metric: derivedArrearsMonths},
		{Name: "arrears_covered_months", Unit: "months", Int: true, metric: derivedArrearsCovered},
	}
}

// NewPanel prepares the panel of m with treatment at PMC step treatmentStep (1 to 3). Call it
// after sim.New and before the first Step.
func NewPanel(m *sim.Model, treatmentStep int) (*Panel, error) {
	if treatmentStep < 1 || treatmentStep > 3 {
		return nil, fmt.Errorf("results: treatment step %d (allowed: 1 to 3)", treatmentStep)
	}
	if m.Month() != 0 {
		return nil, fmt.Errorf("results: panel started at month %d; start it before the first Step", m.Month())
	}
	cfg := m.Config()
	p := &Panel{
		TreatmentStep: treatmentStep,
		StartYear:     cfg.StartYear,
		Years:         cfg.Months / 12,
		Columns:       PanelColumns(),
		months:        cfg.Months,
	}
	if p.Years == 0 {
		return nil, fmt.Errorf("results: a county-year panel needs at least one whole year: the horizon is %d months", cfg.Months)
	}
	n, w := len(m.Counties), len(p.Columns)
	p.steps = make([]int, n*p.Years)
	p.values = make([]float64, n*p.Years*w)
	p.acc = make([]float64, n*w)
	p.gdpPrev = make([]float64, n)
	names := CohortNames(cfg)
	iqTercile := iqTerciles(m)
	values := m.Values() // the last burn-in month
	for i := range m.Counties {
		c := &m.Counties[i]
		pc := PanelCounty{
			ID: c.ID, Name: c.Name, Code: c.Code, PrefID: c.Pref, Prefecture: m.Prefs[c.Pref].Name, PrefCode: m.Prefs[c.Pref].Code,
			Province: m.Provinces[c.Province].Name, Pilot: c.Pilot,
			Tercile: c.Tercile + 1, IQTercile: iqTercile[i] + 1, IQ: c.IQ, Strength: c.Strength,
		}
		if c.Cohort >= 0 && c.Cohort < len(names) {
			pc.Cohort = names[c.Cohort]
		}
		p.Counties = append(p.Counties, pc)
		p.gdpPrev[i] = values[i*sim.NumMetrics+sim.MGDP]
	}
	return p, nil
}

// iqTerciles ranks counties by institutional quality within their province, as the model
// ranks strength: tercile 3r/n of rank r (0 lowest), ties in county order.
func iqTerciles(m *sim.Model) []int {
	out := make([]int, len(m.Counties))
	for _, pr := range m.Provinces {
		idx := slices.Clone(pr.Counties)
		sort.SliceStable(idx, func(a, b int) bool { return m.Counties[idx[a]].IQ < m.Counties[idx[b]].IQ })
		for r, ci := range idx {
			out[ci] = 3 * r / len(idx)
		}
	}
	return out
}

// Observe records the month m has just simulated.
func (p *Panel) Observe(m *sim.Model) error {
	if m.Month() != p.month+1 {
		return fmt.Errorf("results: panel observed month %d after month %d (Observe must follow every Step)", m.Month(), p.month)
	}
	if p.month >= p.months {
		return fmt.Errorf("results: panel: more months observed than the horizon %d", p.months)
	}
	values := m.Values()
	if len(values) != len(p.Counties)*sim.NumMetrics {
		return fmt.Errorf("results: month %d: model has %d counties, panel was made for %d", m.Month(), len(values)/sim.NumMetrics, len(p.Counties))
	}
	p.month = m.Month()
	w := len(p.Columns)
	for i := range p.Counties {
		v := values[i*sim.NumMetrics : (i+1)*sim.NumMetrics]
		acc := p.acc[i*w : (i+1)*w]
		for k, col := range p.Columns {
			switch col.metric {
			case derivedGrowth:
				acc[k] = v[sim.MGDP] // closed at the year's end
			case derivedArrearsMonths:
				if v[sim.MWageArrears] > arrearsEpsilon {
					acc[k]++
				}
			case derivedArrearsCovered:
				arrears := v[sim.MWageArrears]
				if arrears > arrearsEpsilon && v[sim.MLocalRevenue]+v[sim.MTransfers] >= v[sim.MWages]+arrears {
					acc[k]++
				}
			default:
				if sim.Metrics[col.metric].Kind == sim.Stock {
					acc[k] = v[col.metric]
				} else {
					acc[k] += v[col.metric]
				}
			}
		}
	}
	p.nAcc++
	if p.month%12 == 0 {
		p.closeYear(values)
	}
	return nil
}

// PartialMonths is the number of months of the horizon past its last whole year, which the
// panel leaves out.
func (p *Panel) PartialMonths() int { return p.months % 12 }

// Clone returns an independent copy of p as it stands, with the months observed so far, to go
// on observing another model: a counterfactual forked off p's run (sim.Model.Fork), whose
// months before the fork, and counties, are p's.
func (p *Panel) Clone() (*Panel, error) {
	c := *p
	c.Columns = slices.Clone(p.Columns)
	c.Counties = slices.Clone(p.Counties)
	c.steps = slices.Clone(p.steps)
	c.values = slices.Clone(p.values)
	c.acc = slices.Clone(p.acc)
	c.gdpPrev = slices.Clone(p.gdpPrev)
	return &c, nil
}

// closeYear stores the accumulated year.
func (p *Panel) closeYear(values []float64) {
	y := (p.month - 1) / 12
	w := len(p.Columns)
	n := float64(p.nAcc)
	for i := range p.Counties {
		acc := p.acc[i*w : (i+1)*w]
		out := p.values[(i*p.Years+y)*w : (i*p.Years+y+1)*w]
		for k, col := range p.Columns {
			switch {
			case col.metric == derivedGrowth:
				gdp := acc[k]
				out[k] = math.Log(gdp/p.gdpPrev[i]) * 12 / n
				p.gdpPrev[i] = gdp
			case col.metric >= 0 && sim.Metrics[col.metric].Kind == sim.Rate:
				out[k] = acc[k] / n
			default:
				out[k] = acc[k]
			}
		}
		p.steps[i*p.Years+y] = int(values[i*sim.NumMetrics+sim.MStep])
		clear(acc)
	}
	p.nAcc = 0
}

// Complete reports whether the whole horizon has been observed.
func (p *Panel) Complete() bool { return p.month == p.months }

// Year returns the calendar year of year index y.
func (p *Panel) Year(y int) int { return p.StartYear + y }

// Value returns column k of county i in year index y.
func (p *Panel) Value(i, y, k int) float64 { return p.values[(i*p.Years+y)*len(p.Columns)+k] }

// Step returns county i's PMC step at the end of year index y.
func (p *Panel) Step(i, y int) int { return p.steps[i*p.Years+y] }

// Column returns the index of the named column, or -1.
func (p *Panel) Column(name string) int {
	return slices.IndexFunc(p.Columns, func(c PanelColumn) bool { return c.Name == name })
}

// FirstTreatedYear returns the calendar year from which county i is treated, or 0 if it
// never reaches the treatment step within the horizon.
func (p *Panel) FirstTreatedYear(i int) int {
	for y := range p.Years {
		if p.Step(i, y) >= p.TreatmentStep {
			return p.Year(y)
		}
	}
	return 0
}

// IsControl reports whether county i is a comparison county: a non-pilot that never leaves
// step 0. Pilots that never reach the treatment step are neither treated nor controls.
func (p *Panel) IsControl(i int) bool {
	if p.Counties[i].Pilot {
		return false
	}
	for y := range p.Years {
		if p.Step(i, y) > 0 {
			return false
		}
	}
	return true
}

// Progress returns the months observed so far and the months of the run.
func (p *Panel) Progress() (observed, months int) { return p.month, p.months }

// Keep returns a panel of p's counties, years and steps holding only the columns ks, in that
// order: a fraction of p's memory for a consumer that reads a few columns.
func (p *Panel) Keep(ks []int) *Panel {
	q := &Panel{TreatmentStep: p.TreatmentStep, StartYear: p.StartYear, Years: p.Years, Counties: p.Counties,
		months: p.months, month: p.month, steps: p.steps}
	for _, k := range ks {
		q.Columns = append(q.Columns, p.Columns[k])
	}
	q.values = make([]float64, 0, len(p.Counties)*p.Years*len(ks))
	for i := range p.Counties {
		for y := range p.Years {
			for _, k := range ks {
				q.values = append(q.values, p.Value(i, y, k))
			}
		}
	}
	return q
}

// Months returns the horizon of the run p observes, in months.
func (p *Panel) Months() int { return p.months }

// PanelOf returns the complete panel of values already aggregated by year (a panel built by
// hand or read back): steps[i*years+y] is county i's PMC step in year index y and
// values[(i*years+y)*len(columns)+k] its column k. The horizon is the years' months.
func PanelOf(treatmentStep, startYear, years int, columns []PanelColumn, counties []PanelCounty, steps []int, values []float64) (*Panel, error) {
	n := len(counties)
	if len(steps) != n*years || len(values) != n*years*len(columns) {
		return nil, fmt.Errorf("panel of %d counties over %d years: %d steps and %d values, want %d and %d",
			n, years, len(steps), len(values), n*years, n*years*len(columns))
	}
	return &Panel{TreatmentStep: treatmentStep, StartYear: startYear, Years: years, Columns: columns, Counties: counties,
		months: 12 * years, month: 12 * years, steps: steps, values: values}, nil
}
