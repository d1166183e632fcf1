package calibrate

import (
	"errors"
	"fmt"
	"github.com/countysim/countysim/sim"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/results"
)

// Prior is one parameter's prior: uniform on [Min, Max], or (Normal) a normal distribution
// with Mean and SD truncated to [Min, Max].
type Prior struct {
	Min, Max float64
	Normal   bool
	Mean, SD float64
}

// Contains reports whether x lies in the prior's support.
func (p Prior) Contains(x float64) bool { return x >= p.Min && x <= p.Max }

// logDensity is the log prior density up to a constant, -Inf outside the support.
func (p Prior) logDensity(x float64) float64 {
	if !p.Contains(x) {
		return math.Inf(-1)
	}
	if p.Normal {
		z := (x - p.Mean) / p.SD
		return -0.5 * z * z
	}
	return 0
}

func (p Prior) sample(rng *rand.Rand) (float64, error) {
	if !p.Normal {
		return p.Min + rng.Float64()*(p.Max-p.Min), nil
	}
	for range 100_000 {
		if x := p.Mean + p.SD*rng.NormFloat64(); p.Contains(x) {
			return x, nil
		}
	}
	return 0, fmt.Errorf("normal prior (mean %g, sd %g) has almost no mass in [%g, %g]", p.Mean, p.SD, p.Min, p.Max)
}

// sd is the prior's standard deviation: (max-min)/sqrt(12) for a uniform prior, and for a
// truncated normal its moments computed on a grid of 2,000 points over the support.
func (p Prior) sd() float64 {
	if !p.Normal {
		return (p.Max - p.Min) / math.Sqrt(12)
	}
	// Numerical moments of the truncated normal on a fine grid.
	const n = 2000
	var w, s, ss float64
	for i := 0; i < n; i++ {
		x := p.Min + (float64(i)+0.5)*(p.Max-p.Min)/n
		d := sim.Exp(p.logDensity(x))
		w += d
		s += d * x
		ss += d * x * x
	}
	m := s / w
	return math.Sqrt(math.Max(0, ss/w-m*m))
}

// Population is one generation's accepted particles: parameter vectors, normalised weights
// and distances, with the generation's tolerance.
type Population struct {
	Thetas    [][]float64
	Weights   []float64
	Distances []float64
	// Round and Index are each particle's round and index among its round's proposals.
	Round   []int
	Index   []int
	Epsilon float64
}

// ESS is the effective sample size (sum w)^2 / sum w^2.
func (p *Population) ESS() float64 {
	var s, ss float64
	for _, w := range p.Weights {
		s += w
		ss += w * w
	}
	return s * s / ss
}

// streamABC is the second PCG word of the proposal generator.
const streamABC uint64 = 0x4142432d534d4321 // "ABC-SMC!"

// kernel is the Gaussian perturbation kernel of a generation: covariance twice the previous
// population's weighted covariance (Beaumont et al. 2009), held as its Cholesky factor.
type kernel struct {
	chol   *mat.TriDense // lower L with L L^T = Sigma
	inv    *mat.TriDense // L^-1
	prev   *Population
	scaled [][]float64 // L^-1 theta_j of the previous particles
}

func newKernel(prev *Population, priors []Prior) (*kernel, error) {
	d := len(priors)
	mean := make([]float64, d)
	for i, th := range prev.Thetas {
		for k := range d {
			mean[k] += prev.Weights[i] * th[k]
		}
	}
	cov := mat.NewSymDense(d, nil)
	for a := range d {
		for b := a; b < d; b++ {
			var s float64
			for i, th := range prev.Thetas {
				s += prev.Weights[i] * (th[a] - mean[a]) * (th[b] - mean[b])
			}
			cov.SetSym(a, b, 2*s)
		}
	}
	// A population collapsed on one value in some dimension gets a small floor (1e-6 of the
	// prior range), so the kernel stays proper.
	for k, p := range priors {
		floor := math.Pow(1e-6*(p.Max-p.Min), 2)
		if cov.At(k, k) < floor {
			cov.SetSym(k, k, floor)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		for k := range d {
			cov.SetSym(k, k, cov.At(k, k)*(1+1e-6))
		}
		if !ch.Factorize(cov) {
			return nil, errors.New("perturbation kernel: the population's covariance is not positive definite")
		}
	}
	var l mat.TriDense
	ch.LTo(&l)
	var inv mat.TriDense
	if err := inv.InverseTri(&l); err != nil {
		return nil, fmt.Errorf("perturbation kernel: %w", err)
	}
	k := &kernel{chol: &l, inv: &inv, prev: prev}
	k.scaled = make([][]float64, len(prev.Thetas))
	for i, th := range prev.Thetas {
		k.scaled[i] = k.whiten(th)
	}
	return k, nil
}

func (k *kernel) whiten(th []float64) []float64 {
	d := len(th)
	out := make([]float64, d)
	for a := range d {
		var s float64
		for b := 0; b <= a; b++ {
			s += k.inv.At(a, b) * th[b]
		}
		out[a] = s
	}
	return out
}

// logMixture is log sum_j W_j K(theta | theta_j) up to the kernel's constant.
func (k *kernel) logMixture(th []float64) float64 {
	z := k.whiten(th)
	terms := make([]float64, len(k.scaled))
	top := math.Inf(-1)
	for j, zj := range k.scaled {
		var q float64
		for a := range z {
			e := z[a] - zj[a]
			q += e * e
		}
		terms[j] = math.Log(k.prev.Weights[j]) - 0.5*q
		top = math.Max(top, terms[j])
	}
	var s float64
	for _, t := range terms {
		s += sim.Exp(t - top)
	}
	return top + math.Log(s)
}

// Propose returns round round of generation gen's proposals: from the priors for generation 0, else drawn
// from prev by weight and moved by the Gaussian kernel until inside the priors' support. The
// draws depend only on (seed, gen, round, prev), never on the worker count.
func Propose(priors []Prior, prev *Population, n int, seed uint64, gen, round int) ([][]float64, error) {
	rng := rand.New(rand.NewPCG(batch.Seed(seed, gen), streamABC^uint64(round)))
	d := len(priors)
	out := make([][]float64, n)
	if gen == 0 || prev == nil {
		for i := range out {
			out[i] = make([]float64, d)
			for k, p := range priors {
				x, err := p.sample(rng)
				if err != nil {
					return nil, fmt.Errorf("parameter %d: %w", k, err)
				}
				out[i][k] = x
			}
		}
		return out, nil
	}
	k, err := newKernel(prev, priors)
	if err != nil {
		return nil, err
	}
	cum := make([]float64, len(prev.Weights))
	var s float64
	for i, w := range prev.Weights {
		s += w
		cum[i] = s
	}
	z := make([]float64, d)
	for i := range out {
		th := make([]float64, d)
		ok := false
		for try := 0; try < 10_000 && !ok; try++ {
			j := sort.SearchFloat64s(cum, rng.Float64()*s)
			j = min(j, len(cum)-1)
			for a := range z {
				z[a] = rng.NormFloat64()
			}
			ok = true
			for a := range d {
				var v float64
				for b := 0; b <= a; b++ {
					v += k.chol.At(a, b) * z[b]
				}
				th[a] = prev.Thetas[j][a] + v
				ok = ok && priors[a].Contains(th[a])
			}
		}
		if !ok {
			return nil, errors.New("perturbation kernel: no proposal inside the priors' support after 10000 tries")
		}
		out[i] = th
	}
	return out, nil
}

// Select accepts a round of proposals into a generation. In generation 0 (prev nil) the
// tolerance is the keep-th smallest distance (the keep/len(proposals) quantile of the prior
// draws) and every proposal within it is accepted, ties included. After it, eps is the
// generation's tolerance and the first proposals (in index order) with a distance at most eps
// are accepted, up to keep of them. Weights are 1 in generation 0 and prior(theta) / sum_j W_j
// K(theta | theta_j) after it (Beaumont et al. 2009), normalised to sum 1 by Merge. NaN
// distances (failed runs) are never accepted.
func Select(priors []Prior, prev *Population, thetas [][]float64, dist []float64, keep int, eps float64) (*Population, error) {
	pop := &Population{Epsilon: eps}
	if prev == nil {
		order := make([]int, 0, len(dist))
		for i, x := range dist {
			if !math.IsNaN(x) {
				order = append(order, i)
			}
		}
		if len(order) < 2 {
			return nil, fmt.Errorf("only %d of %d proposals have a distance (the others failed)", len(order), len(dist))
		}
		sort.SliceStable(order, func(a, b int) bool { return dist[order[a]] < dist[order[b]] })
		pop.Epsilon = dist[order[min(keep, len(order))-1]]
	}
	for i, x := range dist {
		if x <= pop.Epsilon && (prev == nil || len(pop.Index) < keep) {
			pop.Index = append(pop.Index, i)
		}
	}
	var k *kernel
	if prev != nil {
		var err error
		if k, err = newKernel(prev, priors); err != nil {
			return nil, err
		}
	}
	pop.Weights = make([]float64, len(pop.Index))
	for a, i := range pop.Index {
		pop.Thetas = append(pop.Thetas, thetas[i])
		pop.Distances = append(pop.Distances, dist[i])
		if k != nil {
			for j, p := range priors {
				pop.Weights[a] += p.logDensity(thetas[i][j])
			}
			pop.Weights[a] -= k.logMixture(thetas[i])
		}
	}
	return pop, nil
}

// Merge joins a generation's rounds in order (keeping at most keep particles) and turns their
// log weights into weights that sum to 1.
func Merge(rounds []*Population, keep int) *Population {
	out := &Population{}
	for r, p := range rounds {
		out.Epsilon = p.Epsilon
		for a := range p.Index {
			if len(out.Thetas) == keep {
				break
			}
			out.Thetas = append(out.Thetas, p.Thetas[a])
			out.Distances = append(out.Distances, p.Distances[a])
			out.Weights = append(out.Weights, p.Weights[a])
			out.Index = append(out.Index, p.Index[a])
			out.Round = append(out.Round, r)
		}
	}
	top := math.Inf(-1)
	for _, l := range out.Weights {
		top = math.Max(top, l)
	}
	var s float64
	for a, l := range out.Weights {
		out.Weights[a] = sim.Exp(l - top)
		s += out.Weights[a]
	}
	for a := range out.Weights {
		out.Weights[a] /= s
	}
	return out
}

// Batch names one round of proposals: generation, round within it, and the run index of its
// first proposal over the whole calibration.
type Batch struct {
	Gen, Round, First int
}

// Evaluate returns the distances of one round of proposals.
type Evaluate func(b Batch, thetas [][]float64) ([]float64, error)

// Trace is what Run did: every generation's population, with its proposals and runs.
type Trace struct {
	Pops      []*Population
	Proposals []int // runs made per generation
	Runs      int
	// Stop says why the sampler stopped (in English; StopIn translates it).
	Stop string
	stop []message
}

// message is a sentence of the outputs: an English format and its arguments.
type message struct {
	format string
	args   []any
}

// stopWith records why the sampler stopped, adding to what was recorded before.
func (tr *Trace) stopWith(format string, args ...any) {
	tr.stop = append(tr.stop, message{format, args})
	parts := make([]string, len(tr.stop))
	for i, m := range tr.stop {
		parts[i] = fmt.Sprintf(m.format, m.args...)
	}
	tr.Stop = strings.Join(parts, "; ")
}

// StopIn says in l why the sampler stopped.
func (tr *Trace) StopIn(l results.Lang) string {
	parts := make([]string, len(tr.stop))
	for i, m := range tr.stop {
		parts[i] = l.F(m.format, m.args...)
	}
	return strings.Join(parts, l.T("; "))
}

// Tolerance returns generation gen's tolerance from the previous population: the q-quantile
// of its distances, each particle counting once (Del Moral et al. 2012; pyabc's
// QuantileEpsilon with weighted=False: its default weights them), at least minEps.
func Tolerance(prev *Population, q, minEps float64) float64 {
	d := append([]float64(nil), prev.Distances...)
	sort.Float64s(d)
	i := int(math.Ceil(q*float64(len(d)))) - 1
	return math.Max(d[max(0, min(i, len(d)-1))], minEps)
}

// Run is ABC-SMC on a plain function. Generation 0 draws s.Proposals parameter vectors from
// the priors and keeps the s.Population closest. Every later generation sets its tolerance to
// the s.Quantile quantile of the previous generation's distances, then proposes in rounds of
// s.Proposals (drawn from the previous population and moved by the kernel) until
// s.Population are within it. It stops after s.Generations generations, when the tolerance
// reaches s.MinEpsilon, when a generation's acceptance rate falls below s.MinAcceptance, or
// when the next round would exceed s.MaxRuns (the unfinished generation is then kept if it
// has at least half its particles, dropped otherwise).
func Run(priors []Prior, s Settings, seed uint64, eval Evaluate) (*Trace, error) {
	tr := &Trace{}
	var prev *Population
	for gen := 0; gen < s.Generations; gen++ {
		eps := math.NaN()
		if prev != nil {
			eps = Tolerance(prev, s.Quantile, s.MinEpsilon)
		}
		var rounds []*Population
		got, made := 0, 0
		for round := 0; got < s.Population; round++ {
			if s.MaxRuns > 0 && tr.Runs+s.Proposals > s.MaxRuns {
				tr.stopWith("run budget: generation %d would need more than max_runs %d", gen, s.MaxRuns)
				if got >= max(2, s.Population/2) {
					// Its particles are a valid weighted sample at its tolerance, only smaller.
					tr.Pops = append(tr.Pops, Merge(rounds, s.Population))
					tr.Proposals = append(tr.Proposals, made)
					tr.stopWith("it is kept with %d of %d particles", got, s.Population)
				}
				return tr, nil
			}
			thetas, err := Propose(priors, prev, s.Proposals, seed, gen, round)
			if err != nil {
				return tr, fmt.Errorf("generation %d: %w", gen, err)
			}
			dist, err := eval(Batch{Gen: gen, Round: round, First: tr.Runs}, thetas)
			if err != nil {
				return tr, fmt.Errorf("generation %d: %w", gen, err)
			}
			tr.Runs += len(thetas)
			made += len(thetas)
			pop, err := Select(priors, prev, thetas, dist, s.Population-got, eps)
			if err != nil {
				return tr, fmt.Errorf("generation %d: %w", gen, err)
			}
			rounds = append(rounds, pop)
			got += len(pop.Index)
			if prev == nil {
				break
			}
		}
		pop := Merge(rounds, s.Population)
		tr.Pops = append(tr.Pops, pop)
		tr.Proposals = append(tr.Proposals, made)
		prev = pop
		switch {
		case pop.Epsilon <= s.MinEpsilon:
			tr.stopWith("tolerance %g reached min_epsilon %g", pop.Epsilon, s.MinEpsilon)
			return tr, nil
		case gen > 0 && float64(len(pop.Thetas))/float64(made) < s.MinAcceptance:
			tr.stopWith("acceptance rate %.4f below min_acceptance %g", float64(len(pop.Thetas))/float64(made), s.MinAcceptance)
			return tr, nil
		}
	}
	tr.stopWith("%d generations done", s.Generations)
	return tr, nil
}

// WeightedMoments returns a population's weighted mean and standard deviation of parameter k.
func (p *Population) WeightedMoments(k int) (mean, sd float64) {
	for i, th := range p.Thetas {
		mean += p.Weights[i] * th[k]
	}
	var v float64
	for i, th := range p.Thetas {
		v += p.Weights[i] * (th[k] - mean) * (th[k] - mean)
	}
	return mean, math.Sqrt(v)
}

// WeightedQuantile returns the weighted q-quantile of parameter k.
func (p *Population) WeightedQuantile(k int, q float64) float64 {
	idx := make([]int, len(p.Thetas))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return p.Thetas[idx[a]][k] < p.Thetas[idx[b]][k] })
	var c float64
	for _, i := range idx {
		c += p.Weights[i]
		if c >= q {
			return p.Thetas[i][k]
		}
	}
	return p.Thetas[idx[len(idx)-1]][k]
}
