// Package discover finds the conditions under which an outcome of interest occurs, by the
// Patient Rule Induction Method (PRIM; Friedman and Fisher 1999) over a finished sweep's
// factors and outcomes, as in scenario discovery (Bryant and Lempert 2010; the EMA Workbench).
package discover

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mathext"
)

// Dim is one input dimension: numeric (Values) or categorical (Cats, with each case's category
// index in Codes).
type Dim struct {
	Name   string
	Values []float64
	Cats   []string
	Codes  []int
}

// Categorical reports whether the dimension takes categories.
func (d Dim) Categorical() bool { return d.Cats != nil }

// Limit is a box's restriction on one dimension: [Lo, Hi] for a numeric one, the allowed
// categories (In[i] for category i) for a categorical one.
type Limit struct {
	Lo, Hi float64
	In     []bool
}

// Box is a hyper-rectangle: one limit per dimension.
type Box []Limit

func (b Box) clone() Box {
	out := make(Box, len(b))
	for i, l := range b {
		out[i] = Limit{Lo: l.Lo, Hi: l.Hi, In: slices.Clone(l.In)}
	}
	return out
}

// Data is a PRIM problem: the dimensions and whether each case is of interest.
type Data struct {
	Dims []Dim
	Y    []bool
}

// N is the number of cases.
func (d *Data) N() int { return len(d.Y) }

func (d *Data) inLimit(k int, l Limit, i int) bool {
	dim := d.Dims[k]
	if dim.Categorical() {
		return l.In[dim.Codes[i]]
	}
	v := dim.Values[i]
	return v >= l.Lo && v <= l.Hi
}

// Contains reports whether case i lies in box b.
func (d *Data) Contains(b Box, i int) bool {
	for k := range d.Dims {
		if !d.inLimit(k, b[k], i) {
			return false
		}
	}
	return true
}

// Initial is the box holding every case: each numeric dimension's range, every category.
func (d *Data) Initial() Box {
	b := make(Box, len(d.Dims))
	for k, dim := range d.Dims {
		if dim.Categorical() {
			b[k].In = make([]bool, len(dim.Cats))
			for c := range b[k].In {
				b[k].In[c] = true
			}
			continue
		}
		b[k].Lo, b[k].Hi = math.Inf(1), math.Inf(-1)
		for _, v := range dim.Values {
			b[k].Lo = math.Min(b[k].Lo, v)
			b[k].Hi = math.Max(b[k].Hi, v)
		}
	}
	return b
}

// Stats are a box's coverage (share of all cases of interest inside it), density (share of
// its cases that are of interest) and mass (share of all cases inside it), with the counts.
type Stats struct {
	Coverage, Density, Mass float64
	In, InY                 int
}

// Measure computes a box's statistics.
func (d *Data) Measure(b Box) Stats {
	var n, ny, total int
	for i, y := range d.Y {
		if y {
			total++
		}
		if d.Contains(b, i) {
			n++
			if y {
				ny++
			}
		}
	}
	s := Stats{In: n, InY: ny, Mass: float64(n) / float64(d.N())}
	if n > 0 {
		s.Density = float64(ny) / float64(n)
	}
	if total > 0 {
		s.Coverage = float64(ny) / float64(total)
	}
	return s
}

// Step is one box of the peeling trajectory.
type Step struct {
	Box   Box
	Stats Stats
	// Restricted lists the dimensions the box restricts (compared with the initial box).
	Restricted []int
}

// Options are PRIM's: Alpha is the share of the box's cases peeled (and pasted) at a time
// (Friedman and Fisher suggest 0.05-0.1), MinMass the mass below which peeling stops.
type Options struct {
	Alpha   float64
	MinMass float64
}

// Peel runs PRIM's peeling: from the initial box, repeatedly remove the slice of about Alpha
// of the box's cases (the lowest or highest values of one numeric dimension, or one category
// of a categorical dimension) that scores best on the EMA Workbench's default objective,
// LENIENT1 (Kwakkel's prim.py): the gain in density divided by the number of cases removed,
// (density of the candidate - density of the box) / (cases removed), 0 when the density does
// not change (so also when nothing is removed). Dividing by the cases removed keeps a
// categorical peel, which drops a whole category (a third or half of the box), from winning
// over a slice of Alpha merely by being coarse. Ties go, as in the Workbench, to the candidate
// that restricts fewer dimensions, then to the first: numeric dimensions before categorical
// ones, each in column order, the upper side before the lower, categories in their order.
// Peeling stops, as in the Workbench, when the best candidate does not raise the density
// (objective 0 or less) or would leave the box with a mass below MinMass. It returns the
// trajectory, the initial box first.
func (d *Data) Peel(o Options) []Step {
	init := d.Initial()
	box := init.clone()
	in := make([]int, 0, d.N())
	for i := range d.Y {
		in = append(in, i)
	}
	traj := []Step{d.step(box, init)}
	for {
		curY := 0
		for _, i := range in {
			if d.Y[i] {
				curY++
			}
		}
		cur := float64(curY) / float64(len(in))
		var best Box
		bestObj, bestRes, bestN := 0.0, 0, 0
		consider := func(cand Box) {
			n, ny := 0, 0
			for _, i := range in {
				if d.Contains(cand, i) {
					n++
					if d.Y[i] {
						ny++
					}
				}
			}
			obj := lenient1(cur, len(in), ny, n)
			res := d.nRestricted(cand, init)
			if best == nil || obj > bestObj || (obj == bestObj && res < bestRes) {
				best, bestObj, bestRes, bestN = cand, obj, res, n
			}
		}
		for k, dim := range d.Dims {
			if dim.Categorical() {
				continue
			}
			vs := make([]float64, len(in))
			for j, i := range in {
				vs[j] = dim.Values[i]
			}
			sort.Float64s(vs)
			if hi, ok := peelUpper(vs, o.Alpha); ok {
				cand := box.clone()
				cand[k].Hi = hi
				consider(cand)
			}
			if lo, ok := peelLower(vs, o.Alpha); ok {
				cand := box.clone()
				cand[k].Lo = lo
				consider(cand)
			}
		}
		for k, dim := range d.Dims {
			if !dim.Categorical() {
				continue
			}
			allowed := 0
			for _, ok := range box[k].In {
				if ok {
					allowed++
				}
			}
			if allowed < 2 {
				continue
			}
			for c, ok := range box[k].In {
				if ok {
					cand := box.clone()
					cand[k].In[c] = false
					consider(cand)
				}
			}
		}
		if best == nil || !(bestObj > 0) || bestN >= len(in) || float64(bestN)/float64(d.N()) < o.MinMass {
			return traj
		}
		box = best
		kept := in[:0]
		for _, i := range in {
			if d.Contains(box, i) {
				kept = append(kept, i)
			}
		}
		in = kept
		traj = append(traj, d.step(box, init))
	}
}

// lenient1 is the EMA Workbench's LENIENT1 objective of a candidate box holding n cases, ny of
// interest, peeled (or pasted) from a box of density cur holding nOld cases: the change in
// density divided by the number of cases removed (or added), 0 when the density does not
// change. An empty candidate has density 0, as in the Workbench.
func lenient1(cur float64, nOld, ny, n int) float64 {
	dens := 0.0
	if n > 0 {
		dens = float64(ny) / float64(n)
	}
	if dens == cur || n == nOld {
		return 0
	}
	change := nOld - n
	if change < 0 {
		change = -change
	}
	return (dens - cur) / float64(change)
}

func (d *Data) nRestricted(b, init Box) int {
	n := 0
	for k, dim := range d.Dims {
		if restricted(dim, b[k], init[k]) {
			n++
		}
	}
	return n
}

// peelLower returns the new lower limit that removes the lowest share alpha of sorted values
// (at least one distinct value; ties move together).
func peelLower(vs []float64, alpha float64) (float64, bool) {
	k := max(1, int(math.Floor(alpha*float64(len(vs)))))
	if k >= len(vs) {
		return 0, false
	}
	t := vs[k]
	if t == vs[0] {
		j := sort.SearchFloat64s(vs, math.Nextafter(vs[0], math.Inf(1)))
		if j >= len(vs) {
			return 0, false
		}
		t = vs[j]
	}
	return t, true
}

// peelUpper returns the new upper limit that removes the highest share alpha of sorted values.
func peelUpper(vs []float64, alpha float64) (float64, bool) {
	n := len(vs)
	k := max(1, int(math.Floor(alpha*float64(n))))
	if k >= n {
		return 0, false
	}
	t := vs[n-1-k]
	if t == vs[n-1] {
		j := sort.SearchFloat64s(vs, vs[n-1]) - 1
		if j < 0 {
			return 0, false
		}
		t = vs[j]
	}
	return t, true
}

func (d *Data) step(b Box, init Box) Step {
	s := Step{Box: b.clone(), Stats: d.Measure(b)}
	for k := range d.Dims {
		if restricted(d.Dims[k], b[k], init[k]) {
			s.Restricted = append(s.Restricted, k)
		}
	}
	return s
}

func restricted(dim Dim, l, init Limit) bool {
	if dim.Categorical() {
		return !slices.Equal(l.In, init.In)
	}
	return l.Lo > init.Lo || l.Hi < init.Hi
}

// Paste enlarges a box (Friedman and Fisher's pasting): repeatedly widen the one limit (a
// numeric side by about Alpha of the box's cases, or one category added back) that scores
// best by the peeling's objective (LENIENT1: the gain in density over the cases added; ties
// to the box restricting fewer dimensions), as the EMA Workbench pastes, while the best
// widening adds cases and raises the density.
func (d *Data) Paste(b Box, o Options) Step {
	init := d.Initial()
	box := b.clone()
	cur := d.Measure(box)
	for {
		var best Box
		var bestS Stats
		bestObj, bestRes := 0.0, 0
		try := func(cand Box) {
			s := d.Measure(cand)
			if s.In <= cur.In {
				return
			}
			obj := lenient1(cur.Density, cur.In, s.InY, s.In)
			res := d.nRestricted(cand, init)
			if obj > bestObj || (best != nil && obj == bestObj && res < bestRes) {
				best, bestS, bestObj, bestRes = cand, s, obj, res
			}
		}
		step := max(1, int(math.Floor(o.Alpha*float64(cur.In))))
		for k, dim := range d.Dims {
			if dim.Categorical() {
				for c, ok := range box[k].In {
					if !ok {
						cand := box.clone()
						cand[k].In[c] = true
						try(cand)
					}
				}
				continue
			}
			// Candidates: the cases outside the box only along k, below and above it.
			var below, above []float64
			for i := range d.Y {
				if !d.containsExcept(box, k, i) {
					continue
				}
				v := dim.Values[i]
				switch {
				case v < box[k].Lo:
					below = append(below, v)
				case v > box[k].Hi:
					above = append(above, v)
				}
			}
			if len(below) > 0 {
				sort.Float64s(below)
				cand := box.clone()
				cand[k].Lo = below[max(0, len(below)-step)]
				try(cand)
			}
			if len(above) > 0 {
				sort.Float64s(above)
				cand := box.clone()
				cand[k].Hi = above[min(len(above)-1, step-1)]
				try(cand)
			}
		}
		if best == nil {
			return d.step(box, init)
		}
		box, cur = best, bestS
	}
}

func (d *Data) containsExcept(b Box, skip, i int) bool {
	for k := range d.Dims {
		if k != skip && !d.inLimit(k, b[k], i) {
			return false
		}
	}
	return true
}

// QP holds the quasi-p values of a box's restrictions on one dimension: of its lower and of
// its upper limit for a numeric dimension, of its set of categories for a categorical one;
// NaN where the box does not restrict.
type QP struct {
	Lower, Upper, Categories float64
}

// QuasiP is the significance of each of the box's restrictions on dimension k (Bryant and
// Lempert 2010), one per limit as in the EMA Workbench's calculate_qp: the one-sided binomial
// probability of finding at least the box's cases of interest among its cases if they were
// drawn with the density of the box with that one limit removed (a numeric dimension's lower
// and upper limits each on its own, a categorical one's categories all back). Small values
// mean the limit matters. It is a heuristic, computed on the runs that shaped the box.
func (d *Data) QuasiP(b Box, k int) QP {
	qp := QP{Lower: math.NaN(), Upper: math.NaN(), Categories: math.NaN()}
	init := d.Initial()
	s := d.Measure(b)
	without := func(widen func(l *Limit)) float64 {
		wide := b.clone()
		widen(&wide[k])
		return binomialSF(s.InY, s.In, d.Measure(wide).Density)
	}
	switch {
	case d.Dims[k].Categorical():
		if restricted(d.Dims[k], b[k], init[k]) {
			qp.Categories = without(func(l *Limit) { l.In = slices.Clone(init[k].In) })
		}
	default:
		if b[k].Lo > init[k].Lo {
			qp.Lower = without(func(l *Limit) { l.Lo = init[k].Lo })
		}
		if b[k].Hi < init[k].Hi {
			qp.Upper = without(func(l *Limit) { l.Hi = init[k].Hi })
		}
	}
	return qp
}

// binomialSF is P(X >= k) for X ~ Binomial(n, p).
func binomialSF(k, n int, p float64) float64 {
	switch {
	case k <= 0:
		return 1
	case k > n:
		return 0
	case p <= 0:
		return 0
	case p >= 1:
		return 1
	}
	return mathext.RegIncBeta(float64(k), float64(n-k+1), p)
}

// Describe writes limit l of dimension dim, e.g. "[0.2, 0.7]" or "{one-shot, three-step}".
func (dim Dim) Describe(l Limit) string {
	if !dim.Categorical() {
		return fmt.Sprintf("[%.4g, %.4g]", l.Lo, l.Hi)
	}
	var in []string
	for c, ok := range l.In {
		if ok {
			in = append(in, dim.Cats[c])
		}
	}
	return "{" + strings.Join(in, ", ") + "}"
}

// Choose picks the box of the trajectory a report shows, on the coverage-density Pareto
// front: the one with the highest coverage among those whose density is at least minDensity,
// the denser on equal coverage (peels that remove no case of interest keep the coverage and
// raise the density); if none reaches minDensity, the densest, the higher coverage on equal
// density. It reports whether the threshold was reached.
func Choose(traj []Step, minDensity float64) (int, bool) {
	better := func(a, b Stats, byCoverage bool) bool {
		if byCoverage {
			return a.Coverage > b.Coverage || (a.Coverage == b.Coverage && a.Density > b.Density)
		}
		return a.Density > b.Density || (a.Density == b.Density && a.Coverage > b.Coverage)
	}
	best := -1
	for i, s := range traj {
		if s.Stats.Density >= minDensity && (best < 0 || better(s.Stats, traj[best].Stats, true)) {
			best = i
		}
	}
	if best >= 0 {
		return best, true
	}
	best = 0
	for i, s := range traj {
		if better(s.Stats, traj[best].Stats, false) {
			best = i
		}
	}
	return best, false
}
