package observe

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/countysim/countysim/sim"
)

// Defs returns the definitions of every metric a group series carries: the county metrics in
// sim.Metrics order, then the group-level GroupMetrics.
func Defs() []sim.MetricDef {
	defs := append([]sim.MetricDef(nil), sim.Metrics[:]...)
	return append(defs, GroupMetrics...)
}

// DefIndex returns the index of the named metric in Defs(), or -1.
func DefIndex(name string) int {
	for k, d := range Defs() {
		if d.Name == name {
			return k
		}
	}
	return -1
}

// Track records, for a few named groups, every metric's group value in every month of one
// run: the compact per-run record that ensembles, comparisons and experiment batches reduce.
type Track struct {
	Groups []string
	Defs   []sim.MetricDef
	Months int
	// Values[g] holds Months rows of len(Defs) values; NaN where the group was empty.
	Values [][]float64
	// Steps holds the realised PMC step months of every cohort as of the last month observed
	// (CohortSteps): what the figures mark, rather than the planned dates.
	Steps [][4]int

	groups  []Group
	agg     *Aggregator
	members []int
	y, w    []float64
	logs    []float64 // theilWith's scratch
	month   int
	// only lists the county metrics Observe computes and theil, gini whether it computes
	// the group metrics (Only); all of them without Only.
	only        []int
	theil, gini bool
}

// NewTrack prepares a track of the named groups of m ("province", "pilot", "non-pilot",
// "step:1", "cohort:NAME" ... as Groups names them).
func NewTrack(m *sim.Model, names []string) (*Track, error) {
	all := Groups(m)
	t := &Track{Groups: names, Defs: Defs(), Months: m.Config().Months}
	agg, err := NewAggregator(sim.Metrics[:])
	if err != nil {
		return nil, err
	}
	t.agg = agg
	for _, n := range names {
		found := false
		for _, g := range all {
			if g.Name == n {
				t.groups = append(t.groups, g)
				found = true
				break
			}
		}
		if !found {
			var known []string
			for _, g := range all {
				known = append(known, g.Name)
			}
			return nil, fmt.Errorf("unknown group %q in this world (allowed here: %s)", n, strings.Join(known, ", "))
		}
	}
	width := len(t.Defs)
	t.Values = make([][]float64, len(names))
	for g := range t.Values {
		t.Values[g] = make([]float64, t.Months*width)
	}
	t.theil, t.gini = true, true
	return t, nil
}

// Only restricts the track to the metrics ks (indices into Defs): Observe computes those and
// leaves every other value NaN. A batch that reports a few metrics calls it before the run;
// each value computed is the same as without it. An index out of range is an error, and the
// track is then left as it was.
func (t *Track) Only(ks []int) error {
	for _, k := range ks {
		if k < 0 || k >= len(t.Defs) {
			return fmt.Errorf("track: metric index %d out of range (0 to %d)", k, len(t.Defs)-1)
		}
	}
	t.only, t.theil, t.gini = t.only[:0], false, false
	for _, k := range ks {
		switch {
		case k < sim.NumMetrics:
			t.only = append(t.only, k)
		case t.Defs[k].Name == TheilGDPPerCapita:
			t.theil = true
		case t.Defs[k].Name == GiniGDPPerCapita:
			t.gini = true
		}
	}
	if t.only == nil {
		t.only = []int{} // not nil: no county metric at all
	}
	for _, v := range t.Values {
		for i := range v {
			v[i] = math.NaN()
		}
	}
	return nil
}

// Clone returns an independent copy of t as it stands, with the months observed so far, to
// go on observing another model: a counterfactual forked off t's run (sim.Model.Fork), whose
// months before the fork are t's.
func (t *Track) Clone() (*Track, error) {
	c := *t
	agg, err := NewAggregator(sim.Metrics[:])
	if err != nil {
		return nil, err
	}
	c.agg = agg
	c.Values = make([][]float64, len(t.Values))
	for g, v := range t.Values {
		c.Values[g] = slices.Clone(v)
	}
	c.Steps = slices.Clone(t.Steps)
	c.groups = slices.Clone(t.groups)
	if t.only != nil {
		c.only = append([]int{}, t.only...)
	}
	c.members, c.y, c.w, c.logs = nil, nil, nil, nil
	return &c, nil
}

// Observe records the month m has just simulated; use it as sim.Model.Run's callback.
func (t *Track) Observe(m *sim.Model) error {
	if t.month >= t.Months {
		return fmt.Errorf("track: more months observed than the horizon %d", t.Months)
	}
	width := len(t.Defs)
	values := m.Values()
	for g, grp := range t.groups {
		row := t.Values[g][t.month*width : (t.month+1)*width]
		t.members = grp.Members(t.members[:0], m.Counties)
		if len(t.members) == 0 {
			for k := range row {
				row[k] = math.NaN()
			}
			continue
		}
		if t.only == nil {
			t.agg.Group(row[:sim.NumMetrics], values, t.members)
		} else {
			for _, k := range t.only {
				row[k] = t.agg.Metric(k, values, t.members)
			}
		}
		if !t.theil && !t.gini {
			continue
		}
		t.y, t.w = t.y[:0], t.w[:0]
		for _, i := range t.members {
			t.y = append(t.y, values[i*sim.NumMetrics+sim.MGDPPerCap])
			t.w = append(t.w, values[i*sim.NumMetrics+sim.MPop])
		}
		if t.theil {
			row[sim.NumMetrics], t.logs = theilWith(t.y, t.w, t.logs)
		}
		if t.gini {
			row[sim.NumMetrics+1] = Gini(t.y, t.w)
		}
	}
	t.Steps = CohortSteps(t.Steps, m)
	t.month++
	return nil
}

// CohortSteps returns, in dst's storage, the realised step months of every cohort of m's
// config so far (sim.Model.CohortStepAt: at index 1-3 the month the cohort's first county
// entered the step, -1 not yet); empty when PMC is off.
func CohortSteps(dst [][4]int, m *sim.Model) [][4]int {
	p := m.Config().PMC
	if !p.Enabled {
		return dst[:0]
	}
	dst = dst[:0]
	for k := range p.Cohorts {
		dst = append(dst, m.CohortStepAt(k))
	}
	return dst
}

// At returns metric k of group g in month index mo (0-based).
func (t *Track) At(g, mo, k int) float64 { return t.Values[g][mo*len(t.Defs)+k] }

// Year returns metric k of group g over year y (0-based; months 12y..12y+11) combined by the
// metric's Kind: flows summed, stocks at the year's last month, rates averaged. Months where
// the group was empty are skipped; NaN if all were.
func (t *Track) Year(g, y, k int) float64 {
	lo, hi := 12*y, 12*y+12
	if hi > t.Months {
		hi = t.Months
	}
	return t.combine(g, lo, hi, k, t.Defs[k].Kind)
}

// Horizon returns metric k of group g over the whole run: flows summed (cumulative), stocks at
// the end, rates averaged.
func (t *Track) Horizon(g, k int) float64 {
	return t.combine(g, 0, t.Months, k, t.Defs[k].Kind)
}

// FinalYear is Year for the run's last whole year. A run shorter than a year has none: there
// its flows are NaN (a sum over fewer than 12 months is not a year's, and was read as one),
// its stocks and rates those of the months it has (the last month's, their average).
func (t *Track) FinalYear(g, k int) float64 {
	if t.Months < 12 {
		if t.Defs[k].Kind == sim.Flow {
			return math.NaN()
		}
		return t.Year(g, 0, k)
	}
	return t.Year(g, t.Months/12-1, k)
}

func (t *Track) combine(g, lo, hi, k int, kind sim.Kind) float64 {
	s, n := 0.0, 0
	last := math.NaN()
	for mo := lo; mo < hi; mo++ {
		v := t.At(g, mo, k)
		if math.IsNaN(v) {
			continue
		}
		s += v
		n++
		last = v
	}
	if n == 0 {
		return math.NaN()
	}
	switch kind {
	case sim.Flow:
		return s
	case sim.Stock:
		return last
	}
	return s / float64(n)
}
