package observe

import (
	"fmt"
	"math"
	"strings"
)

// The true effect of a reform is the difference, county by county and year by year, between
// the run with the reform (the factual) and the same world and seed without it (a
// counterfactual, counterfactual.go). Averaged over the treated counties by years since
// treatment it is the true average effect on the treated, the quantity a DiD study tries to
// estimate; averaged over the never-treated counties it is the spillover, which a DiD
// with those counties as controls subtracts from its estimate without knowing it.

// EvalOutcome is an outcome evaluate estimates: a panel column, in levels or in logs.
type EvalOutcome struct {
	Name   string // the column's name, or "ln_" + it for the log version
	Column int    // index into PanelColumns
	Log    bool
	Unit   string
}

// LogPrefix names the log version of a level outcome.
const LogPrefix = "ln_"

// loggable reports whether an estimated column is also estimated in logs: outcomes in yuan,
// whose levels grow with the county's size and strength, so that a level DiD on pilots chosen
// for strength picks up their faster growth in yuan (a pre-trend) that a log DiD does not.
func loggable(c PanelColumn) bool {
	return c.Estimate && !c.Int && strings.Contains(c.Unit, "yuan")
}

// EvalOutcomes returns the outcomes evaluate estimates, in order: every column marked
// Estimate, then the log version of each loggable one.
func EvalOutcomes() []EvalOutcome {
	var out, logs []EvalOutcome
	for k, c := range PanelColumns() {
		if !c.Estimate {
			continue
		}
		out = append(out, EvalOutcome{Name: c.Name, Column: k, Unit: c.Unit})
		if loggable(c) {
			logs = append(logs, EvalOutcome{Name: LogPrefix + c.Name, Column: k, Log: true, Unit: "log points (0.01 = about 1%)"})
		}
	}
	return append(out, logs...)
}

// EvalOutcomeByName returns the outcome of that name (as EvalOutcomes names it).
func EvalOutcomeByName(name string) (EvalOutcome, bool) {
	for _, o := range EvalOutcomes() {
		if o.Name == name {
			return o, true
		}
	}
	return EvalOutcome{}, false
}

// Value returns outcome o of county i in year index y of p (NaN for the log of a value <= 0).
func (o EvalOutcome) Value(p *Panel, i, y int) float64 {
	v := p.Value(i, y, o.Column)
	if o.Log {
		if v <= 0 {
			return math.NaN()
		}
		return math.Log(v)
	}
	return v
}

// Truth is the true effect of a reform in one replication, against one counterfactual.
type Truth struct {
	Counterfactual string
	Outcomes       []OutcomeTruth // in EvalOutcomes order
}

// OutcomeTruth is the true effect of a reform on one outcome in one replication.
type OutcomeTruth struct {
	Outcome string
	// Event is the mean effect on the treated counties by years since treatment, over the
	// event window (years with treated counties only).
	Event []TrueEvent
	// ATT is the mean effect on the treated county-years 0..EventMaxRel of the counties whose
	// year before treatment is in the panel (the sample of the Sun-Abraham ATT), NATT their
	// number (NaN and 0 without treated counties).
	ATT  float64
	NATT int
	// ATTAll is the mean effect over every treated county-year (every cohort treated after the
	// panel's first year, every year from its first treated year on): the county-years TWFE's
	// treatment dummy identifies, NAll their number.
	ATTAll float64
	NAll   int
	// Spillover is the mean effect on the never-treated counties over the years from the first
	// treated year on (NaN without treated or control counties).
	Spillover float64
	NSpill    int
	// ByYear is the mean effect over every county, by year index: the effect of a reform that
	// reaches every county at once (devolution, approval reform), where no DiD is possible.
	ByYear []float64
}

// TrueEvent is the true mean effect on the treated at one year since treatment.
type TrueEvent struct {
	Rel    int
	Effect float64
	N      int
}

// Outcome returns the truth of the named outcome, or nil.
func (t *Truth) Outcome(name string) *OutcomeTruth {
	for i := range t.Outcomes {
		if t.Outcomes[i].Outcome == name {
			return &t.Outcomes[i]
		}
	}
	return nil
}

// ErrNotPaired is wrapped by PairTruth when the counterfactual is not the factual's twin.
var ErrNotPaired = fmt.Errorf("results: counterfactual run is not paired with the factual run")

// PairTruth returns the true effect of the reform in factual against the counterfactual run
// cf (same world and seed, the reform switched off, named name). Treated counties, cohorts
// and controls are those of the factual panel. The panels must have the same counties, pilots,
// years and treatment step, or the error wraps ErrNotPaired.
func PairTruth(name string, factual, cf *Panel) (*Truth, error) {
	if err := checkPaired(factual, cf); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrNotPaired, name, err)
	}
	t := &Truth{Counterfactual: name}
	p := factual
	first := make([]int, len(p.Counties))
	control := make([]bool, len(p.Counties))
	earliest := 0
	for i := range p.Counties {
		first[i] = p.FirstTreatedYear(i)
		control[i] = p.IsControl(i)
		if first[i] > 0 && (earliest == 0 || first[i] < earliest) {
			earliest = first[i]
		}
	}
	for _, o := range EvalOutcomes() {
		ot := OutcomeTruth{Outcome: o.Name, ATT: math.NaN(), ATTAll: math.NaN(), Spillover: math.NaN(), ByYear: make([]float64, p.Years)}
		sum := make([]float64, EventMaxRel-EventMinRel+1)
		cnt := make([]int, len(sum))
		attS, allS, spillS := 0.0, 0.0, 0.0
		for y := range p.Years {
			s, n := 0.0, 0
			for i := range p.Counties {
				d := o.Value(p, i, y) - o.Value(cf, i, y)
				if !finite(d) {
					continue
				}
				s += d
				n++
				year := p.Year(y)
				if c := first[i]; c > 0 {
					if year >= c && c > p.StartYear { // an always-treated county is absorbed by its fixed effect
						allS += d
						ot.NAll++
					}
					if e := year - c; e >= EventMinRel && e <= EventMaxRel {
						sum[e-EventMinRel] += d
						cnt[e-EventMinRel]++
						if e >= 0 && c > p.StartYear {
							attS += d
							ot.NATT++
						}
					}
				} else if control[i] && earliest > 0 && year >= earliest {
					spillS += d
					ot.NSpill++
				}
			}
			ot.ByYear[y] = math.NaN()
			if n > 0 {
				ot.ByYear[y] = s / float64(n)
			}
		}
		for j, n := range cnt {
			if n > 0 {
				ot.Event = append(ot.Event, TrueEvent{Rel: j + EventMinRel, Effect: sum[j] / float64(n), N: n})
			}
		}
		if ot.NATT > 0 {
			ot.ATT = attS / float64(ot.NATT)
		}
		if ot.NAll > 0 {
			ot.ATTAll = allS / float64(ot.NAll)
		}
		if ot.NSpill > 0 {
			ot.Spillover = spillS / float64(ot.NSpill)
		}
		t.Outcomes = append(t.Outcomes, ot)
	}
	return t, nil
}

func checkPaired(f, cf *Panel) error {
	switch {
	case f == nil || cf == nil:
		return fmt.Errorf("missing panel")
	case !f.Complete() || !cf.Complete():
		return fmt.Errorf("incomplete panel")
	case len(f.Counties) != len(cf.Counties) || f.Years != cf.Years || f.StartYear != cf.StartYear:
		return fmt.Errorf("%d counties over %d years from %d against %d over %d from %d",
			len(f.Counties), f.Years, f.StartYear, len(cf.Counties), cf.Years, cf.StartYear)
	case f.TreatmentStep != cf.TreatmentStep:
		return fmt.Errorf("treatment steps %d and %d", f.TreatmentStep, cf.TreatmentStep)
	}
	for i, c := range f.Counties {
		d := cf.Counties[i]
		if c.ID != d.ID || c.Pilot != d.Pilot || c.Cohort != d.Cohort {
			return fmt.Errorf("county %d (%s): pilot %v cohort %q against pilot %v cohort %q", c.ID, c.Name, c.Pilot, c.Cohort, d.Pilot, d.Cohort)
		}
	}
	return nil
}
